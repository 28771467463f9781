"""save_weights / load_weights: jnet's .weights.safetensors, and Keras 3's .weights.h5 both ways.

The Keras tests write files with real Keras 3 (TensorFlow backend) and read them with jnet, and
the other way round; the weights must arrive unchanged and the models predict alike.
"""

import numpy as np
import pytest

import jnet
from jnet.saving import FileFormatError

L = jnet.layers


def _jnet_cnn():
    return jnet.Sequential([
        jnet.Input(shape=(6, 6, 2)),
        L.Conv2D(3, 3, activation="relu"),
        L.BatchNormalization(),
        L.Dropout(0.2),
        L.Flatten(),
        L.Dense(4, activation="relu"),
        L.Dense(2),
    ])


def _keras_cnn(keras):
    K = keras.layers
    return keras.Sequential([
        keras.Input(shape=(6, 6, 2)),
        K.Conv2D(3, 3, activation="relu"),
        K.BatchNormalization(),
        K.Dropout(0.2),
        K.Flatten(),
        K.Dense(4, activation="relu"),
        K.Dense(2),
    ])


def _randomize(model, rng):
    """Random weights everywhere (BatchNormalization's variance kept positive)."""
    model.set_weights([
        rng.uniform(0.5, 1.5, size=w.shape).astype(w.dtype) for w in model.get_weights()
    ])


def _assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def test_safetensors_round_trip(tmp_path, rng):
    model = _jnet_cnn()
    _randomize(model, rng)
    path = tmp_path / "m.weights.safetensors"
    model.save_weights(path)
    other = _jnet_cnn()
    other.load_weights(path)
    _assert_same(other.get_weights(), model.get_weights())


def test_safetensors_mismatches(tmp_path, rng):
    model = _jnet_cnn()
    path = tmp_path / "m.weights.safetensors"
    model.save_weights(path)
    wider = jnet.Sequential([
        jnet.Input(shape=(6, 6, 2)), L.Conv2D(5, 3, activation="relu"), L.BatchNormalization(),
        L.Dropout(0.2), L.Flatten(), L.Dense(4, activation="relu"), L.Dense(2),
    ])
    with pytest.raises(jnet.errors.JnetValueError, match=r"conv2d.*shape \(3, 3, 2, 5\)"):
        wider.load_weights(path)
    before = wider.get_weights()
    with pytest.warns(UserWarning, match="Skipping layer 'conv2d'"):
        wider.load_weights(path, skip_mismatch=True)
    after = wider.get_weights()
    np.testing.assert_array_equal(after[0], before[0])  # the skipped conv kernel is unchanged
    _assert_same(after[-2:], model.get_weights()[-2:])  # the last Dense is loaded
    small = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(jnet.errors.JnetValueError, match=r"'dense'.*shape \(3, 2\)"):
        small.load_weights(path)
    renamed = jnet.Sequential([L.Dense(2, input_shape=(3,), name="head")])
    with pytest.raises(jnet.errors.JnetValueError, match=r"no weights \['head/kernel'"):
        renamed.load_weights(path)
    with pytest.raises(jnet.errors.JnetValueError, match=r"\.weights\.safetensors"):
        model.save_weights(tmp_path / "m.bin")
    model.save(tmp_path / "m.jnet")
    (tmp_path / "w.weights.safetensors").write_bytes((tmp_path / "m.jnet").read_bytes())
    with pytest.raises(FileFormatError, match="'jnet.model' file"):
        model.load_weights(tmp_path / "w.weights.safetensors")


def test_weights_from_a_model_file(tmp_path, rng):
    model = _jnet_cnn()
    _randomize(model, rng)
    model.save(tmp_path / "m.jnet")
    other = _jnet_cnn()
    other.load_weights(tmp_path / "m.jnet")
    _assert_same(other.get_weights(), model.get_weights())


def test_keras_h5_into_jnet(keras, tmp_path, rng):
    kmodel = _keras_cnn(keras)
    kmodel.set_weights([
        rng.uniform(0.5, 1.5, size=w.shape).astype("float32") for w in kmodel.get_weights()
    ])
    kmodel.compile(optimizer="adam", loss="mse")  # an optimizer group in the file: ignored
    x = rng.normal(size=(4, 6, 6, 2)).astype(np.float32)
    kmodel.fit(x, np.zeros((4, 2), np.float32), verbose=0)
    path = str(tmp_path / "k.weights.h5")
    kmodel.save_weights(path)
    model = _jnet_cnn()
    model.load_weights(path)
    _assert_same(model.get_weights(), kmodel.get_weights())
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )


def test_jnet_h5_into_keras(keras, tmp_path, rng):
    model = _jnet_cnn()
    _randomize(model, rng)
    path = str(tmp_path / "j.weights.h5")
    model.save_weights(path)
    kmodel = _keras_cnn(keras)
    kmodel.load_weights(path)
    _assert_same(kmodel.get_weights(), model.get_weights())
    # And back: jnet reads its own h5 files too.
    again = _jnet_cnn()
    again.load_weights(path)
    _assert_same(again.get_weights(), model.get_weights())


def test_keras_h5_recurrent_layers_both_ways(keras, tmp_path, rng):
    K = keras.layers
    kmodel = keras.Sequential([
        keras.Input(shape=(5,)),
        K.Embedding(10, 4),
        K.LSTM(3, return_sequences=True),
        K.Bidirectional(K.GRU(2, return_sequences=True)),
        K.TimeDistributed(K.Dense(2)),
    ])
    kmodel.set_weights([rng.normal(size=w.shape).astype("float32") for w in kmodel.get_weights()])
    kmodel.save_weights(str(tmp_path / "k.weights.h5"))
    model = jnet.Sequential([
        L.Embedding(10, 4, input_shape=(5,)),
        L.LSTM(3, return_sequences=True),
        L.Bidirectional(L.GRU(2, return_sequences=True)),
        L.TimeDistributed(L.Dense(2)),
    ])
    model.load_weights(tmp_path / "k.weights.h5")
    _assert_same(model.get_weights(), kmodel.get_weights())
    _randomize(model, rng)
    model.save_weights(tmp_path / "j.weights.h5")
    kmodel.load_weights(str(tmp_path / "j.weights.h5"))
    _assert_same(kmodel.get_weights(), model.get_weights())


def test_h5_mismatch_and_foreign_files(tmp_path):
    import h5py

    model = _jnet_cnn()
    path = tmp_path / "m.weights.h5"
    jnet.Sequential([L.Dense(2, input_shape=(3,))]).save_weights(path)
    with pytest.raises(jnet.errors.JnetValueError, match="'conv2d'.*expects 2 weights"):
        model.load_weights(path)
    legacy = tmp_path / "legacy.weights.h5"
    with h5py.File(legacy, "w") as f:
        f.attrs["layer_names"] = [b"dense"]
    with pytest.raises(FileFormatError, match="Keras 2"):
        model.load_weights(legacy)
    junk = tmp_path / "junk.weights.h5"
    junk.write_bytes(b"not hdf5 at all")
    with pytest.raises(FileFormatError, match="HDF5"):
        model.load_weights(junk)
