"""Streaming arrays to the device a chunk at a time (np.memmap, or arrays over the threshold)
gives the in-memory path's numbers: shuffled or not, with validation, evaluate and predict,
and any dtype on disk."""

import mmap

import numpy as np
import pytest

import jnet
from jnet.training import loop
from jnet.training.data_adapters import streaming

N, FEATURES, CLASSES, BATCH = 300, 5, 3, 16  # 18 full batches and a partial one of 12


@pytest.fixture(scope="module")
def arrays():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, FEATURES)).astype(np.float32)
    y = rng.integers(0, CLASSES, size=N).astype(np.int32)
    return x, y


@pytest.fixture
def memmap(arrays, tmp_path):
    """``x`` as a read-only memmap on disk."""
    x, _ = arrays
    path = tmp_path / "x.npy"
    np.save(path, x)
    return np.load(path, mmap_mode="r")


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few batches, so an epoch has several, and a short padded one."""
    monkeypatch.setattr(streaming, "STREAM_CHUNK_BYTES", 5 * BATCH * FEATURES * 4 + 1)


def _model(steps_per_execution="auto"):
    jnet.utils.set_random_seed(3)
    model = jnet.Sequential([
        jnet.layers.Dense(8, activation="relu", input_shape=(FEATURES,)),
        jnet.layers.Dense(CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    return model


def _fit(x, y, shuffle, steps_per_execution="auto", **kwargs):
    model = _model(steps_per_execution)
    history = model.fit(x, y, batch_size=BATCH, epochs=3, shuffle=shuffle, verbose=0,
                        validation_split=0.2, **kwargs)
    return model, history.history


def _close(a, b, tol=1e-6):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=tol, atol=tol, err_msg=key)


def test_a_memmap_is_streamed_and_arrays_are_not(arrays, memmap, monkeypatch):
    x, y = arrays
    assert streaming.should_stream(memmap) and streaming.should_stream(memmap[10:20])
    assert not streaming.should_stream(x, y)
    monkeypatch.setattr(streaming, "STREAM_THRESHOLD_BYTES", x.nbytes)
    assert streaming.should_stream(x, y)


@pytest.mark.parametrize("steps_per_execution", ["auto", 4])
@pytest.mark.parametrize("shuffle", [False, True])
def test_memmap_training_matches_in_memory(arrays, memmap, small_chunks, shuffle,
                                           steps_per_execution):
    x, y = arrays
    ref_model, reference = _fit(x, y, shuffle, steps_per_execution)
    model, history = _fit(memmap, y, shuffle, steps_per_execution)
    _close(history, reference)
    _close(model.evaluate(memmap, y, batch_size=BATCH, verbose=0, return_dict=True),
           ref_model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True))
    np.testing.assert_allclose(model.predict(memmap, batch_size=BATCH, verbose=0),
                               ref_model.predict(x, batch_size=BATCH, verbose=0),
                               rtol=1e-6, atol=1e-6)


def test_arrays_over_the_threshold_are_streamed(arrays, small_chunks, monkeypatch):
    x, y = arrays
    _, reference = _fit(x, y, shuffle=True)
    monkeypatch.setattr(streaming, "STREAM_THRESHOLD_BYTES", 1024)
    sent = []
    original = streaming.StreamingArrayAdapter._gather

    def spy(self, rows):
        block, local = original(self, rows)
        sent.append(block[0].shape[0])
        return block, local

    monkeypatch.setattr(streaming.StreamingArrayAdapter, "_gather", spy)
    _, history = _fit(x, y, shuffle=True)
    _close(history, reference)
    assert sent and max(sent) < x.shape[0] // 2  # never the whole array at once


def test_disk_dtypes_are_cast_chunk_by_chunk(arrays, tmp_path, small_chunks):
    x, y = arrays
    pixels = np.random.default_rng(1).integers(0, 256, size=(N, FEATURES)).astype(np.uint8)
    np.save(tmp_path / "p.npy", pixels)
    np.save(tmp_path / "y.npy", y.astype(np.int64))
    on_disk = np.load(tmp_path / "p.npy", mmap_mode="r")
    labels = np.load(tmp_path / "y.npy", mmap_mode="r")
    _, reference = _fit(pixels.astype(np.float32) / 1.0, y, shuffle=False)
    _, history = _fit(on_disk, labels, shuffle=False)
    _close(history, reference)


def test_sample_and_class_weights_with_a_memmap(arrays, memmap, small_chunks):
    x, y = arrays
    sw = np.linspace(0.5, 1.5, N).astype(np.float32)
    weights = {0: 1.0, 1: 2.0, 2: 0.5}
    _, reference = _fit(x, y, False, sample_weight=sw, class_weight=weights)
    _, history = _fit(memmap, y, False, sample_weight=sw, class_weight=weights)
    _close(history, reference)


def test_streaming_compiles_at_most_twice_and_never_after_the_first_epoch(arrays, memmap):
    _, y = arrays
    model = _model(steps_per_execution=5)  # 18 full batches: blocks of 5, 5, 5 and 3 (padded)
    before = loop.train_chunk._cache_size()
    model.fit(memmap, y, batch_size=BATCH, epochs=1, shuffle=True, verbose=0)
    after_first = loop.train_chunk._cache_size()
    assert after_first - before <= 2  # (5, 16) blocks and the partial (1, 12) batch
    model.fit(memmap, y, batch_size=BATCH, epochs=2, shuffle=True, verbose=0)
    assert loop.train_chunk._cache_size() == after_first


def test_pages_are_released_only_for_shared_maps(tmp_path):
    path = tmp_path / "m.f32"
    np.arange(4096 * 4, dtype=np.float32).tofile(path)
    shared = np.memmap(path, dtype=np.float32, mode="r")
    private = np.memmap(path, dtype=np.float32, mode="c")
    assert isinstance(streaming._backing_mmap(shared[100:200]), mmap.mmap)
    assert streaming._backing_mmap(private) is None
    assert streaming._backing_mmap(np.arange(3)) is None
    rows = shared.reshape(-1, 64)
    out = streaming._read_rows(rows, np.array([1, 5, 200]), 3, np.dtype(np.float32))
    np.testing.assert_array_equal(out, rows[[1, 5, 200]])
    assert not np.shares_memory(out, rows)
