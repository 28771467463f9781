"""Keras 2's legacy HDF5 weights (jnet.saving._legacy_h5): files Keras writes load by position
(Keras's default) or by name, and crafted files are refused before anything is read."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

import jnet
from jnet.saving import FileFormatError
from jnet.saving._legacy_h5 import is_legacy_file, load_legacy_weights


def _jnet_model():
    inputs = jnet.Input((4,))
    x = jnet.layers.Dense(3, name="hidden")(inputs)
    x = jnet.layers.BatchNormalization(name="norm")(x)
    x = jnet.layers.Dropout(0.5, name="drop")(x)
    return jnet.Model(inputs, jnet.layers.Dense(2, name="out")(x))


@pytest.fixture(scope="module")
def keras_file(keras, tmp_path_factory):
    """A legacy file Keras writes (``save_weights_to_hdf5_group``), and Keras's weights and
    predictions; the model is the same as :func:`_jnet_model`'s, with trained BN statistics."""
    from keras.src.legacy.saving import legacy_h5_format

    inputs = keras.Input((4,))
    x = keras.layers.Dense(3, name="hidden")(inputs)
    x = keras.layers.BatchNormalization(name="norm")(x)
    x = keras.layers.Dropout(0.5, name="drop")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="out")(x))
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype("float32") + (i == 5)
                       for i, w in enumerate(model.get_weights())])
    path = tmp_path_factory.mktemp("legacy") / "w.h5"
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    x = rng.normal(size=(5, 4)).astype("float32")
    return path, model.get_weights(), x, model.predict(x, verbose=0)


@pytest.mark.parametrize("by_name", [False, True])
def test_keras_legacy_file_loads_by_position_and_by_name(keras_file, by_name):
    path, weights, x, expected = keras_file
    model = _jnet_model()
    assert is_legacy_file(path)
    model.load_weights(str(path), by_name=by_name)
    for ours, theirs in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_by_position_ignores_names_by_name_needs_them(keras_file):
    path, weights, _, _ = keras_file
    inputs = jnet.Input((4,))
    x = jnet.layers.Dense(3, name="a")(inputs)
    x = jnet.layers.BatchNormalization(name="b")(x)
    model = jnet.Model(inputs, jnet.layers.Dense(2, name="c")(x))
    model.load_weights(str(path))  # Keras's default: the layers holding weights, in order
    np.testing.assert_array_equal(model.get_weights()[0], weights[0])
    with pytest.raises(jnet.errors.JnetValueError, match="by name: the file has no layer 'a'"):
        model.load_weights(str(path), by_name=True)
    with pytest.warns(UserWarning, match="no layer 'a'"):
        model.load_weights(str(path), by_name=True, skip_mismatch=True)


def test_count_and_shape_mismatches_are_named(keras_file):
    path = keras_file[0]
    inputs = jnet.Input((4,))
    small = jnet.Model(inputs, jnet.layers.Dense(2, name="hidden")(inputs))
    with pytest.raises(jnet.errors.JnetValueError, match="expected 1 layers with weights, found 3"):
        small.load_weights(str(path))
    with pytest.raises(jnet.errors.JnetValueError,
                       match=r"layer .hidden.*shape \(4, 2\), received an array of shape \(4, 3"):
        small.load_weights(str(path), by_name=True)
    with pytest.raises(jnet.errors.JnetValueError, match="by_name=True is only for Keras 2"):
        small.load_weights("x.weights.safetensors", by_name=True)
    with pytest.raises(jnet.errors.JnetTypeError, match="by_nam"):
        small.load_weights(str(path), by_nam=True)


def _legacy(path, build):
    """A minimal legacy file for one Dense(2) layer 'd' on 3 inputs, altered by ``build``."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = [b"d"]
        g = f.create_group("d")
        g.attrs["weight_names"] = [b"d/kernel:0", b"d/bias:0"]
        g.create_dataset("d/kernel:0", data=np.ones((3, 2), "float32"))
        g.create_dataset("d/bias:0", data=np.zeros(2, "float32"))
        build(f, g)
    return str(path)


def _dense():
    inputs = jnet.Input((3,))
    return jnet.Model(inputs, jnet.layers.Dense(2, name="d")(inputs))


def _external(f, g, tmp_path):
    with h5py.File(tmp_path / "other.h5", "w") as o:
        o.create_dataset("k", data=np.ones((3, 2), "float32"))
    del g["d/kernel:0"]
    g["d/kernel:0"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "k")


def _huge(f, g):
    del g["d/kernel:0"]
    g.create_dataset("d/kernel:0", shape=(100_000, 1000), dtype="float32", compression="gzip")


HOSTILE = [
    ("soft link", lambda f, g, t: g.__setitem__("d/bias:0x", h5py.SoftLink("/d/d/kernel:0"))
     or g.attrs.__setitem__("weight_names", [b"d/kernel:0", b"d/bias:0x"]), "is a link"),
    ("external link", _external, "is a link"),
    ("absolute name", lambda f, g, t: g.attrs.__setitem__("weight_names",
                                                          [b"/d/d/kernel:0", b"d/bias:0"]),
     "not a plain name"),
    ("dot-dot name", lambda f, g, t: g.attrs.__setitem__("weight_names",
                                                         [b"../d/d/kernel:0", b"d/bias:0"]),
     "not a plain name"),
    ("missing weight", lambda f, g, t: g.attrs.__setitem__("weight_names",
                                                           [b"d/kernel:0", b"d/nope"]),
     "which it lacks"),
    ("string dataset", lambda f, g, t: (g.__delitem__("d/bias:0"),
                                        g.create_dataset("d/bias:0", data=np.array([b"a"]))),
     "expected numbers"),
    ("names not strings", lambda f, g, t: g.attrs.__setitem__("weight_names", [1.0, 2.0]),
     "list of names"),
    ("oversized dataset", lambda f, g, t: _huge(f, g), "more values than the layer"),
]


@pytest.mark.parametrize(("what", "build", "match"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_crafted_files_are_refused(tmp_path, what, build, match):
    path = _legacy(tmp_path / "w.h5", lambda f, g: build(f, g, tmp_path))
    with pytest.raises((FileFormatError, jnet.errors.JnetValueError), match=match):
        _dense().load_weights(path)


def test_chunked_layer_names_and_whole_model_files(tmp_path):
    """Keras splits long attribute lists (``layer_names0``, ``layer_names1``) and keeps a whole
    model's weights under ``model_weights``."""
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights")
        root.attrs["layer_names0"] = [b"input_layer"]
        root.attrs["layer_names1"] = [b"d"]
        root.create_group("input_layer").attrs["weight_names"] = np.zeros(0)
        g = root.create_group("d")
        g.attrs["weight_names"] = [b"d/kernel:0", b"d/bias:0"]
        g.create_dataset("d/kernel:0", data=np.full((3, 2), 2.0, "float32"))
        g.create_dataset("d/bias:0", data=np.ones(2, "float32"))
    model = _dense()
    model.load_weights(str(path))
    np.testing.assert_array_equal(model.get_weights()[0], np.full((3, 2), 2.0))


def test_not_legacy_files_are_told_apart(tmp_path):
    model = _dense()
    path = str(tmp_path / "k3.h5")
    model.save_weights(str(tmp_path / "k3.weights.h5"))
    (tmp_path / "k3.weights.h5").rename(path)  # Keras 3's layout under a plain .h5 name
    assert not is_legacy_file(path)
    model.load_weights(path)  # read as Keras 3's layout
    with pytest.raises(FileFormatError, match="not in Keras 2's legacy"):
        load_legacy_weights(model, path)
    (tmp_path / "text.h5").write_text("not hdf5")
    with pytest.raises(FileFormatError, match="not a readable HDF5"):
        model.load_weights(str(tmp_path / "text.h5"))
