"""jnet.datasets against keras.datasets: tiny files in Keras's formats, written once into a
temporary Keras cache that both read. No download: jnet's checksums are set to the tiny files'
own (so jnet's verification runs), Keras's checksum check is switched off, and any attempt to
download fails the test."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import pickle
import struct
import tarfile

import numpy as np
import pytest

import jnet
from jnet import datasets, errors
from jnet.datasets import _readers
from jnet.utils import file_utils

RNG = np.random.default_rng(7)


def _ragged(n: int, high: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(w) for w in RNG.integers(1, high, size=int(RNG.integers(2, 12)))]
    return out


def _idx(data: np.ndarray, images: bool) -> bytes:
    header = struct.pack(">IIII", 2051, len(data), 28, 28) if images else struct.pack(
        ">II", 2049, len(data))
    return gzip.compress(header + data.astype(np.uint8).tobytes())


def _cifar_batch(n: int, labels: dict[str, list[int]]) -> bytes:
    batch = {b"batch_label": b"tiny", b"data": RNG.integers(0, 256, (n, 3072), dtype=np.uint8),
             b"filenames": [b"img%d.png" % i for i in range(n)]}
    batch.update({k.encode(): v for k, v in labels.items()})
    # CIFAR's batches are Python 2 pickles; protocol 3 reads back the same (bytes stay bytes;
    # protocol 2 from Python 3 would spell them through _codecs.encode, refused).
    return pickle.dumps(batch, protocol=3)


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _files() -> dict[str, bytes]:
    """Cache path (under datasets/) -> content, in Keras's formats and names."""
    fine = [int(v) for v in RNG.integers(0, 100, 7)]
    cifar10 = {f"cifar-10-batches-py/data_batch_{i}": _cifar_batch(3, {"labels": [
        int(v) for v in RNG.integers(0, 10, 3)]}) for i in range(1, 6)}
    cifar10["cifar-10-batches-py/test_batch"] = _cifar_batch(4, {"labels": [1, 2, 3, 4]})
    return {
        "mnist.npz": _npz(
            x_train=RNG.integers(0, 256, (6, 28, 28), dtype=np.uint8),
            y_train=RNG.integers(0, 10, 6, dtype=np.uint8),
            x_test=RNG.integers(0, 256, (4, 28, 28), dtype=np.uint8),
            y_test=RNG.integers(0, 10, 4, dtype=np.uint8)),
        "fashion-mnist/train-labels-idx1-ubyte.gz": _idx(RNG.integers(0, 10, 5), False),
        "fashion-mnist/train-images-idx3-ubyte.gz": _idx(RNG.integers(0, 256, (5, 28, 28)), True),
        "fashion-mnist/t10k-labels-idx1-ubyte.gz": _idx(RNG.integers(0, 10, 3), False),
        "fashion-mnist/t10k-images-idx3-ubyte.gz": _idx(RNG.integers(0, 256, (3, 28, 28)), True),
        "cifar-10-batches-py-target_archive": _tar_gz(cifar10),
        "cifar-100-python-target_archive": _tar_gz({
            "cifar-100-python/train": _cifar_batch(7, {
                "fine_labels": fine, "coarse_labels": [v // 5 for v in fine]}),
            "cifar-100-python/test": _cifar_batch(2, {
                "fine_labels": [3, 99], "coarse_labels": [0, 19]}),
        }),
        "imdb.npz": _npz(x_train=_ragged(30, 40), y_train=RNG.integers(0, 2, 30),
                         x_test=_ragged(20, 40), y_test=RNG.integers(0, 2, 20)),
        "imdb_word_index.json": json.dumps({"the": 1, "and": 2, "a": 3}).encode(),
        "reuters.npz": _npz(x=_ragged(40, 30), y=RNG.integers(0, 46, 40)),
        "reuters_word_index.json": json.dumps({"the": 1, "of": 2}).encode(),
        "boston_housing.npz": _npz(x=RNG.normal(size=(21, 13)), y=RNG.normal(size=21)),
        "california_housing.npz": _npz(x=RNG.normal(size=(650, 8)).astype(np.float32),
                                       y=RNG.normal(size=650).astype(np.float32)),
    }


# Module -> {hash attribute: the cache file whose checksum it holds}.
HASHES = {
    datasets.mnist: {"_FILE_HASH": "mnist.npz"},
    datasets.cifar10: {"_FILE_HASH": "cifar-10-batches-py-target_archive"},
    datasets.cifar100: {"_FILE_HASH": "cifar-100-python-target_archive"},
    datasets.imdb: {"_FILE_HASH": "imdb.npz", "_WORD_INDEX_HASH": "imdb_word_index.json"},
    datasets.reuters: {"_FILE_HASH": "reuters.npz", "_WORD_INDEX_HASH": "reuters_word_index.json"},
    datasets.boston_housing: {"_FILE_HASH": "boston_housing.npz"},
    datasets.california_housing: {"_FILE_HASH": "california_housing.npz"},
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A Keras home holding every tiny file, and each file's checksum (md5 where Keras's is)."""
    home = tmp_path_factory.mktemp("keras_home")
    checksums = {}
    for name, data in _files().items():
        path = home / "datasets" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        checksums[name] = (hashlib.md5 if name.endswith(".json") else hashlib.sha256)(
            data).hexdigest()
    return home, checksums


def _no_download(*args, **kwargs):
    raise AssertionError("a test tried to download")


@pytest.fixture
def home(cache, monkeypatch):
    """KERAS_HOME set to the tiny cache for jnet, with jnet's checksums set to the files'."""
    path, checksums = cache
    monkeypatch.setenv("KERAS_HOME", str(path))
    monkeypatch.setattr(file_utils, "_download", _no_download)
    for module, attributes in HASHES.items():
        for attribute, name in attributes.items():
            monkeypatch.setattr(module, attribute, checksums[name])
    return path


@pytest.fixture
def keras_home(keras, home, monkeypatch):
    """The same cache for Keras (it reads KERAS_HOME at import), its checksums unchecked."""
    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils as keras_file_utils

    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    monkeypatch.setattr(keras_file_utils, "validate_file", lambda *a, **k: True)
    monkeypatch.setattr(keras_file_utils, "urlretrieve", _no_download)
    return keras


def _assert_same(ours, theirs, where="result"):
    if isinstance(theirs, tuple | list) and not isinstance(theirs, np.ndarray):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            _assert_same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), where
        assert (ours.dtype, ours.shape) == (theirs.dtype, theirs.shape), where
        if theirs.dtype == object:
            assert [list(v) for v in ours] == [list(v) for v in theirs], where
        else:
            np.testing.assert_array_equal(ours, theirs, err_msg=where)
    else:
        assert ours == theirs, where


CASES = [
    ("mnist", "load_data", {}),
    ("fashion_mnist", "load_data", {}),
    ("cifar100", "load_data", {}),
    ("cifar100", "load_data", {"label_mode": "coarse"}),
    ("imdb", "load_data", {}),
    ("imdb", "load_data", {"num_words": 20, "skip_top": 3, "maxlen": 9, "seed": 1}),
    ("imdb", "load_data", {"start_char": None, "oov_char": None, "index_from": 0,
                           "num_words": 25}),
    ("imdb", "get_word_index", {}),
    ("reuters", "load_data", {}),
    ("reuters", "load_data", {"num_words": 15, "maxlen": 10, "test_split": 0.3, "seed": 5}),
    ("reuters", "load_data", {"start_char": None, "oov_char": None, "skip_top": 4}),
    ("reuters", "get_word_index", {}),
    ("reuters", "get_label_names", {}),
    ("boston_housing", "load_data", {}),
    ("boston_housing", "load_data", {"test_split": 0.5, "seed": 3}),
    ("california_housing", "load_data", {}),
    ("california_housing", "load_data", {"version": "small", "test_split": 0.0}),
]


@pytest.mark.parametrize("name, function, kwargs", CASES,
                         ids=[f"{n}.{f}-{i}" for i, (n, f, _) in enumerate(CASES)])
def test_same_arrays_as_keras(keras_home, name, function, kwargs):
    ours = getattr(getattr(jnet.datasets, name), function)(**kwargs)
    theirs = getattr(getattr(keras_home.datasets, name), function)(**kwargs)
    _assert_same(ours, theirs)


def test_cifar100_channels_first_as_keras(keras_home):
    keras_home.config.set_image_data_format("channels_first")
    jnet.config.set_image_data_format("channels_first")
    try:
        ours, theirs = datasets.cifar100.load_data(), keras_home.datasets.cifar100.load_data()
    finally:
        keras_home.config.set_image_data_format("channels_last")
        jnet.config.set_image_data_format("channels_last")
    assert ours[0][0].shape == (7, 3, 32, 32)
    _assert_same(ours, theirs)


def test_cifar10_assembles_keras_batches(keras_home, home):
    # Keras's cifar10 hard-codes 10,000 images per batch: compare batch by batch instead.
    from keras.src.datasets.cifar import load_batch

    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    folder = home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    batches = [load_batch(str(folder / f"data_batch_{i}")) for i in range(1, 6)]
    expected_x = np.concatenate([x for x, _ in batches]).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(x_train, expected_x)
    np.testing.assert_array_equal(y_train[:, 0], np.concatenate([y for _, y in batches]))
    test_x, test_y = load_batch(str(folder / "test_batch"))
    np.testing.assert_array_equal(x_test, test_x.transpose(0, 2, 3, 1))
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (15, 32, 32, 3), (15, 1), (4, 32, 32, 3), (4, 1))
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype("uint8")}
    assert y_test[:, 0].tolist() == [1, 2, 3, 4]


def test_fashion_mnist_arrays_are_writable(home):
    (x_train, _), _ = datasets.fashion_mnist.load_data()
    x_train[0, 0, 0] = 1  # Keras's np.frombuffer arrays are read-only; jnet's are not


def test_checksum_is_verified_on_the_cached_file(home, monkeypatch):
    monkeypatch.setattr(datasets.mnist, "_FILE_HASH", "0" * 64)
    with pytest.raises(AssertionError, match="tried to download"):  # would download again
        datasets.mnist.load_data()


class _Hostile:
    def __reduce__(self):
        return os.getcwd, ()


@pytest.mark.parametrize("payload", [
    pickle.dumps({b"data": _Hostile()}, protocol=3),
    pickle.dumps(np.array([_Hostile()], dtype=object), protocol=3),
], ids=["global", "inside-array"])
def test_hostile_cifar_pickle_is_refused(tmp_path, payload):
    path = tmp_path / "data_batch_1"
    path.write_bytes(payload)
    with pytest.raises(pickle.UnpicklingError, match="Refusing to deserialize `posix.getcwd`"):
        _readers.load_cifar_batch(path)


def test_hostile_npz_object_array_is_refused(tmp_path):
    path = tmp_path / "imdb.npz"
    np.savez(path, x_train=np.array([_Hostile(), [1]], dtype=object))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to deserialize `posix.getcwd`"):
        _readers.load_npz(path)


def test_oversized_member_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_readers, "MAX_MEMBER_BYTES", 100)
    np.savez(tmp_path / "big.npz", x=np.zeros(100))
    with pytest.raises(errors.JnetValueError, match="larger than MAX_MEMBER_BYTES=100 bytes"):
        _readers.load_npz(tmp_path / "big.npz")


@pytest.mark.parametrize("call, error, match", [
    (lambda: datasets.cifar100.load_data("medium"), errors.JnetValueError,
     "`label_mode` must be one of `\"fine\"`, `\"coarse\"`. Received: label_mode='medium'"),
    (lambda: datasets.boston_housing.load_data(test_split=1.0), errors.JnetValueError,
     "Invalid `test_split` argument: 1.0. It must be between 0 and 1"),
    (lambda: datasets.california_housing.load_data(test_split=-0.1), errors.JnetValueError,
     "Invalid `test_split` argument: -0.1"),
    (lambda: datasets.california_housing.load_data(version="tiny"), errors.JnetValueError,
     "one of 'small', 'large'. Received: version='tiny'"),
    (lambda: datasets.imdb.load_data(nb_words=10), errors.JnetTypeError,
     r"unexpected keyword arguments \['nb_words'\]"),
    (lambda: datasets.imdb.load_data(maxlen=2), errors.JnetValueError,
     "no sequence was kept. Increase maxlen"),
], ids=["label_mode", "test_split", "test_split-negative", "version", "kwargs", "maxlen"])
def test_bad_arguments(home, call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_namespace_matches_keras(keras):
    for name in datasets.__all__:
        theirs = {n for n in dir(getattr(keras.datasets, name)) if not n.startswith("_")}
        assert theirs <= set(dir(getattr(datasets, name))), name
