"""timeseries_dataset_from_array: Keras's tf.data.Dataset when TensorFlow is installed, and the
same NumPy batches from jnet's Dataset (and from its TimeseriesDataset windows) without it."""

import numpy as np
import pytest

import jnet
from jnet.errors import JnetValueError
from jnet.utils import Dataset, PyDataset, timeseries_dataset_from_array
from jnet.utils import dataset as dataset_module
from jnet.utils.timeseries import TimeseriesDataset, timeseries_windows

CASES = [
    {"sequence_length": 10},
    {"sequence_length": 10, "sampling_rate": 2, "sequence_stride": 3, "batch_size": 7},
    {"sequence_length": 5, "batch_size": 16, "start_index": 7, "end_index": 60},
    {"sequence_length": 4, "sequence_stride": 4, "batch_size": None},
    {"sequence_length": 1, "batch_size": 32},
    {"sequence_length": 99},  # exactly one window
    {"sequence_length": 120},  # no window at all
]


def _keras_batches(keras, *args, **kwargs):
    return [
        tuple(np.asarray(t) for t in b) if isinstance(b, tuple) else np.asarray(b)
        for b in keras.utils.timeseries_dataset_from_array(*args, **kwargs)
    ]


def _assert_same(batches, expected):
    assert len(batches) == len(expected)
    for got, want in zip(batches, expected, strict=True):
        got = got if isinstance(got, tuple) else (got,)
        want = want if isinstance(want, tuple) else (want,)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("kwargs", CASES, ids=str)
@pytest.mark.parametrize("with_targets", [True, False])
def test_batches_match_keras(keras, rng, monkeypatch, kwargs, with_targets):
    import tensorflow as tf

    data = rng.normal(size=(99, 3)).astype(np.float32)
    targets = np.arange(99) * 10 if with_targets else None
    expected = _keras_batches(keras, data, targets, **kwargs)
    ds = timeseries_dataset_from_array(data, targets, **kwargs)
    assert isinstance(ds, tf.data.Dataset)
    _assert_same(_numpy_batches(ds), expected)
    windows = timeseries_windows(data, targets, **kwargs)
    assert isinstance(windows, PyDataset) and len(windows) == windows.num_batches
    _assert_same(list(windows), expected)
    _assert_same([windows[i] for i in range(len(windows))], expected)
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", True)
    ds = timeseries_dataset_from_array(data, targets, **kwargs)
    assert isinstance(ds, Dataset) and len(ds) == len(expected)
    _assert_same(_numpy_batches(ds), expected)
    _assert_same(_numpy_batches(timeseries_dataset_from_array(data, targets, format="grain",
                                                              **kwargs)), expected)


def _numpy_batches(ds):
    return [tuple(b) if isinstance(b, tuple) else b for b in ds.as_numpy_iterator()]


@pytest.mark.parametrize("batch_size", [8, None])
def test_shuffled_tf_dataset_is_keras_s(keras, batch_size):
    data = np.arange(60, dtype=np.float32)
    kwargs = {"sequence_length": 4, "sequence_stride": 2, "batch_size": batch_size,
              "shuffle": True, "seed": 5}
    ds = timeseries_dataset_from_array(data, data * 10, **kwargs)
    _assert_same(_numpy_batches(ds), _keras_batches(keras, data, data * 10, **kwargs))


def test_forecasting_window_like_the_course(keras):
    # the course's windowing: past `window` steps predict the next one, 1-D series
    series = np.sin(np.arange(200) / 7.0).astype(np.float32)
    window = 20
    ds = timeseries_dataset_from_array(series[:-window], series[window:], window, batch_size=32)
    expected = _keras_batches(keras, series[:-window], series[window:], window, batch_size=32)
    _assert_same(_numpy_batches(ds), expected)
    for x, y in ds.take(1):  # as Keras's examples read it
        np.testing.assert_array_equal(x[1], series[1 : 1 + window])
        assert y[1] == series[1 + window]


def test_python_lists_convert_like_tensorflow(keras):
    data = [float(i) for i in range(12)]
    ds = timeseries_dataset_from_array(data, list(range(12)), 3, batch_size=4)
    _assert_same(_numpy_batches(ds), _keras_batches(keras, data, list(range(12)), 3,
                                                    batch_size=4))


def test_shuffle_visits_every_window_once_and_is_seeded():
    data = np.arange(50)
    kwargs = {"sequence_length": 5, "sequence_stride": 2, "batch_size": 4, "shuffle": True}
    ds = timeseries_windows(data, data * 10, seed=3, **kwargs)
    plain = timeseries_windows(data, data * 10, **{**kwargs, "shuffle": False})
    first = [w for x, _ in ds for w in x.tolist()]
    assert sorted(first) == [w for x, _ in plain for w in x.tolist()]
    assert first != sorted(first)
    for x, y in ds:  # each target still belongs to its window
        np.testing.assert_array_equal(y, x[:, 0] * 10)
    again = timeseries_windows(data, data * 10, seed=3, **kwargs)
    assert [w for x, _ in again for w in x.tolist()] == first
    other = timeseries_windows(data, data * 10, seed=4, **kwargs)
    assert [w for x, _ in other for w in x.tolist()] != first
    # the start positions are shuffled as Keras shuffles them before its tf.data buffer
    positions = np.arange(0, 50 - 4, 2)
    np.random.RandomState(3).shuffle(positions)
    assert [w[0] for w in first] == positions.tolist()
    # each epoch end draws a new, still complete and still seeded, order
    ds.on_epoch_end()
    again.on_epoch_end()
    second = [w for x, _ in ds for w in x.tolist()]
    assert second != first and sorted(second) == sorted(first)
    assert [w for x, _ in again for w in x.tolist()] == second


def test_jnet_dataset_reshuffles_at_each_pass(monkeypatch):
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", True)
    ds = timeseries_dataset_from_array(np.arange(40), None, 3, batch_size=5, shuffle=True,
                                       seed=2)
    first, second = [x.tolist() for x in ds], [x.tolist() for x in ds]
    assert first != second and sorted(map(tuple, np.concatenate(first).tolist())) == sorted(
        map(tuple, np.concatenate(second).tolist()))


@pytest.mark.parametrize("tensorflow", [True, False], ids=["tf", "no_tf"])
def test_unseeded_shuffle_follows_numpy_global_seed(monkeypatch, tensorflow):
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", not tensorflow)

    def windows():
        ds = timeseries_dataset_from_array(np.arange(30), None, 3, shuffle=True)
        return [x.tolist() for x in ds.as_numpy_iterator()]

    jnet.utils.set_random_seed(7)
    a = windows()
    jnet.utils.set_random_seed(7)
    assert windows() == a


def test_indexing():
    ds = timeseries_windows(np.arange(10), None, 3, batch_size=3)
    assert len(ds) == 3 and ds[-1].tolist() == [[6, 7, 8], [7, 8, 9]]
    with pytest.raises(IndexError):
        ds[3]
    assert isinstance(ds, TimeseriesDataset)
    assert jnet.utils.timeseries_dataset_from_array is timeseries_dataset_from_array


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"start_index": -1}, "start_index"),
        ({"start_index": 20}, "start_index.*lower than the length"),
        ({"end_index": 20}, "end_index.*lower than the length"),
        ({"start_index": 5, "end_index": 5}, "higher than `start_index`"),
        ({"end_index": 0}, "end_index"),
        ({"sampling_rate": 0}, "sampling_rate"),
        ({"sampling_rate": 20}, "sampling_rate.*lower than the length"),
        ({"sequence_stride": 0}, "sequence_stride"),
        ({"sequence_stride": 20}, "sequence_stride.*lower than the length"),
        ({"batch_size": 0}, "batch_size"),
        ({"sequence_length": 0}, "sequence_length"),
        ({"format": "torch"}, "format.*Received: format='torch'"),
    ],
)
def test_errors(kwargs, match):
    kwargs = {"sequence_length": 3, **kwargs}
    with pytest.raises(JnetValueError, match=match):
        timeseries_dataset_from_array(np.arange(20), None, **kwargs)
