"""jnet.saving.KerasFileEditor on files real Keras wrote: the same weights tree and edits as
Keras's own editor, edited files that Keras and jnet load, compare() against jnet models, and
files refused as the loaders refuse them."""

import h5py
import numpy as np
import pytest

import jnet
from jnet.errors import JnetValueError
from jnet.saving import FileFormatError, KerasFileEditor


def _flat(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}/{key}"))
        else:
            out[f"{prefix}/{key}"] = np.asarray(value)
    return out


def _assert_same(a, b):
    fa, fb = _flat(a), _flat(b)
    assert list(fa) == list(fb)
    for key in fa:
        np.testing.assert_array_equal(fa[key], fb[key], err_msg=key)


@pytest.fixture(scope="module")
def files(keras, tmp_path_factory):
    folder = tmp_path_factory.mktemp("editor")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="hidden"),
                              keras.layers.Dense(2, name="out")])
    model.save(folder / "k.keras")
    model.save_weights(folder / "k.weights.h5")
    return folder, model


@pytest.mark.parametrize("name", ["k.keras", "k.weights.h5"])
def test_reads_and_edits_as_keras(keras, files, name, capsys):
    folder, _ = files
    ours, theirs = KerasFileEditor(str(folder / name)), keras.saving.KerasFileEditor(
        str(folder / name))
    _assert_same(ours.weights_dict, theirs.weights_dict)
    assert ours.object_metadata == {k: {a: str(v) for a, v in m.items()}
                                    for k, m in theirs.object_metadata.items()}
    assert (ours.config is None) == (name.endswith(".h5"))
    for editor in (ours, theirs):
        editor.rename_object("dense", "renamed")
        editor.delete_weight("renamed", "1")
        editor.add_weights("layers/dense_1", {"2": np.ones(3, "float32")})
        editor.add_object("layers/extra", {"0": np.zeros((2, 2), "float32")})
        editor.delete_object("layers/extra")
        editor.add_object("layers/added", {"0": np.full(2, 7.0, "float32")})
    _assert_same(ours.weights_dict, theirs.weights_dict)
    ours.save(str(folder / f"ours_{name}.weights.h5"))
    theirs.save(str(folder / f"theirs_{name}.weights.h5"))
    _assert_same(KerasFileEditor(str(folder / f"ours_{name}.weights.h5")).weights_dict,
                 keras.saving.KerasFileEditor(
                     str(folder / f"theirs_{name}.weights.h5")).weights_dict)
    capsys.readouterr()


def test_summary_prints_the_tree(files, capsys):
    folder, _ = files
    KerasFileEditor(str(folder / "k.keras")).summary()
    out = capsys.readouterr().out
    assert "Saved with Keras 3" in out
    assert "dense ('hidden')" in out and "0: shape=(3, 4), dtype=float32" in out


def test_edited_weights_load_in_keras_and_jnet(keras, files, capsys):
    """Swap the two layers' names back and forth and drop nothing: the saved file loads into
    Keras's model and jnet's, with Keras's outputs."""
    folder, model = files
    editor = KerasFileEditor(str(folder / "k.keras"))
    editor.rename_object("dense", "tmp")
    editor.rename_object("tmp", "dense")
    path = str(folder / "round.weights.h5")
    editor.resave_weights(path)
    x = np.linspace(-1, 1, 6, dtype="float32").reshape(2, 3)
    clone = keras.models.clone_model(model)
    clone.load_weights(path)
    expected = np.asarray(model(x))
    np.testing.assert_allclose(np.asarray(clone(x)), expected)
    ours = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,)), jnet.layers.Dense(2)])
    ours.load_weights(path)
    np.testing.assert_allclose(np.asarray(ours(x)), expected, atol=1e-6)
    assert editor.compare(ours) == {"status": "success", "error_count": 0, "match_count": 4}
    other = jnet.Sequential([jnet.layers.Dense(5, input_shape=(3,)), jnet.layers.Dense(2)])
    result = editor.compare(other)
    assert result["status"] == "error" and result["error_count"] == 3
    assert "Weight shape mismatch for /layers/dense/0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        (lambda e: e.rename_object("nothing", "x"), JnetValueError, "does not appear"),
        (lambda e: e.rename_object("dense", "a/b"), JnetValueError, "leaf name"),
        (lambda e: e.delete_object("layers/nothing"), JnetValueError, "not found"),
        (lambda e: e.delete_weight("dense", "9"), JnetValueError, r"weights found: \['0', '1'\]"),
        (lambda e: e.add_object("nothing/x", {}), JnetValueError, "'nothing' not found"),
        (lambda e: e.add_weights("dense", [1]), JnetValueError, "weights must be a dict"),
        (lambda e: e.save("x.h5"), JnetValueError, r"expected a '\.weights\.h5' filepath"),
    ],
)
def test_edit_errors(files, edit, error, match):
    folder, _ = files
    editor = KerasFileEditor(str(folder / "k.weights.h5"))
    with pytest.raises(error, match=match):
        edit(editor)


def test_hostile_files_are_refused(tmp_path):
    with pytest.raises(JnetValueError, match=r"expected a '\.keras' or '\.weights\.h5'"):
        KerasFileEditor(str(tmp_path / "m.h5"))
    (tmp_path / "bad.weights.h5").write_bytes(b"not hdf5")
    with pytest.raises(FileFormatError, match="no readable HDF5"):
        KerasFileEditor(str(tmp_path / "bad.weights.h5"))
    with h5py.File(tmp_path / "link.weights.h5", "w") as f:
        f.create_group("layers/dense/vars").create_dataset("0", data=np.ones(2))
        f["layers/other"] = h5py.SoftLink("/layers/dense")
    with pytest.raises(FileFormatError, match="SoftLink"):
        KerasFileEditor(str(tmp_path / "link.weights.h5"))
    with h5py.File(tmp_path / "bomb.weights.h5", "w") as f:
        f.create_group("vars").create_dataset(
            "0", data=np.zeros((4096, 4096), "float32"), compression="gzip", chunks=(512, 512))
    with pytest.raises(FileFormatError, match="compressed bomb"):
        KerasFileEditor(str(tmp_path / "bomb.weights.h5"))
