"""jnet.utils.Dataset against tf.data.Dataset (same elements, same cardinality), split_dataset
against Keras's, and fit/predict consuming a jnet Dataset."""

import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError
from jnet.utils import Dataset
from jnet.utils import dataset as dataset_module

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10, dtype=np.int32)

PIPELINES = {
    "batch": lambda d: d.batch(4),
    "batch_drop": lambda d: d.batch(4, drop_remainder=True),
    "batch_unbatch": lambda d: d.batch(3).unbatch(),
    "map": lambda d: d.map(lambda x, y: (x * 2, y + 1)),
    "map_single": lambda d: d.map(lambda x, y: x).batch(5),
    "filter": lambda d: d.filter(lambda x, y: y % 3 == 0),
    "take_skip": lambda d: d.skip(2).take(5),
    "take_all": lambda d: d.take(-1).batch(10),
    "skip_all": lambda d: d.skip(-1),
    "skip_past_end": lambda d: d.skip(12),
    "repeat": lambda d: d.repeat(2).batch(7),
    "repeat_take": lambda d: d.repeat().take(13),
    "cache_prefetch": lambda d: d.cache().prefetch(3).batch(6),
    "take_more": lambda d: d.take(30),
    "padded": lambda d: d.map(lambda x, y: x[: int(y) % 2 + 1]).padded_batch(3),
    "dict": lambda d: d.map(lambda x, y: {"a": x, "b": y}).batch(4),
    "concatenate": lambda d: d.take(3).concatenate(d.skip(8)),
    "enumerate": lambda d: d.enumerate(5).skip(7),
    "zip": lambda d: type(d).zip((d, d.map(lambda x, y: y).skip(4))),
}


def _elements(ds):
    def as_list(e):
        if isinstance(e, tuple):
            return tuple(as_list(v) for v in e)
        if isinstance(e, dict):
            return {k: as_list(v) for k, v in e.items()}
        return np.asarray(e).tolist()

    return [as_list(e) for e in ds.as_numpy_iterator()]


@pytest.mark.parametrize("name", list(PIPELINES))
def test_pipelines_match_tf_data(keras, name):
    import tensorflow as tf

    pipeline = PIPELINES[name]
    if name == "padded":  # the slice length depends on the value: tf needs graph ops
        want_ds = tf.data.Dataset.from_tensor_slices((X, Y)).map(
            lambda x, y: x[: y % 2 + 1]).padded_batch(3)
    else:
        want_ds = pipeline(tf.data.Dataset.from_tensor_slices((X, Y)))
    got_ds = pipeline(Dataset.from_tensor_slices((X, Y)))
    assert _elements(got_ds) == _elements(want_ds)
    assert got_ds.cardinality() == int(want_ds.cardinality())
    if got_ds.cardinality() >= 0:
        assert len(got_ds) == len(want_ds)
    # each pass starts over
    assert _elements(got_ds) == _elements(got_ds)


def test_len_of_infinite_and_unknown_datasets():
    ds = Dataset.from_tensor_slices(X)
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(ds.repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(ds.filter(lambda x: True))
    assert ds.repeat().cardinality() == dataset_module.INFINITE
    assert ds.unbatch().cardinality() == dataset_module.UNKNOWN


def test_shuffle_is_seeded_complete_and_reshuffles_per_pass():
    ds = Dataset.from_tensor_slices(np.arange(50)).shuffle(10, seed=3)
    first, second = list(ds), list(ds)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != list(range(50)) and first != second
    again = Dataset.from_tensor_slices(np.arange(50)).shuffle(10, seed=3)
    assert list(again) == first and list(again) == second
    fixed = Dataset.from_tensor_slices(np.arange(50)).shuffle(
        50, seed=3, reshuffle_each_iteration=False)
    assert list(fixed) == list(fixed)
    # a buffer of 1 keeps the order; each element leaves within a buffer's reach
    assert list(Dataset.from_tensor_slices(np.arange(9)).shuffle(1)) == list(range(9))
    local = list(Dataset.from_tensor_slices(np.arange(50)).shuffle(5, seed=0))
    assert all(value <= position + 4 for position, value in enumerate(local))


def test_cache_reads_the_source_once():
    calls = []
    ds = Dataset.from_tensor_slices(X).map(lambda x: calls.append(1) or x).cache()
    assert _elements(ds) == _elements(ds) == X.tolist()
    assert len(calls) == 10
    partial = Dataset.from_tensor_slices(X).map(lambda x: calls.append(1) or x).cache()
    next(iter(partial))  # an unfinished pass is not kept
    assert len(list(partial)) == 10 and len(calls) == 21


def test_strings_batch_as_object_arrays():
    batch = next(iter(Dataset.from_tensor_slices([b"a", b"bc"]).batch(2)))
    assert batch.dtype == object and batch.tolist() == [b"a", b"bc"]


@pytest.mark.parametrize("call,error,match", [
    (lambda: Dataset.from_tensor_slices((X, Y[:3])), JnetValueError,
     r"same length on axis 0, received lengths \[3, 10\]"),
    (lambda: Dataset.from_tensor_slices(np.float32(1)), JnetValueError, "same length"),
    (lambda: Dataset.from_tensor_slices(X).batch(0), JnetValueError,
     "batch_size` must be an integer >= 1, received batch_size=0"),
    (lambda: Dataset.from_tensor_slices(X).take(-2), JnetValueError, "count=-2"),
    (lambda: Dataset.from_tensor_slices(X).shuffle(None), JnetValueError, "buffer_size"),
    (lambda: Dataset.from_tensor_slices(X).cache("file"), JnetValueError, "in-memory"),
    (lambda: Dataset.from_tensor_slices(X).padded_batch(2, padded_shapes=[4]), JnetValueError,
     "padded_shapes=None"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


SPLIT_CASES = [
    (lambda: np.arange(20.0).reshape(10, 2), {"left_size": 0.8}),
    (lambda: (np.arange(10), np.arange(10) * 2), {"right_size": 3, "shuffle": True, "seed": 1}),
    (lambda: [np.arange(10.0), np.ones((10, 2))], {"left_size": 0.3, "right_size": 0.5}),
]


@pytest.mark.parametrize("make,kwargs", SPLIT_CASES)
@pytest.mark.parametrize("tensorflow", [True, False], ids=["tf", "no_tf"])
def test_split_dataset_matches_keras(keras, monkeypatch, make, kwargs, tensorflow):
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", not tensorflow)
    got = jnet.utils.split_dataset(make(), **kwargs)
    want = keras.utils.split_dataset(make(), **kwargs)
    for g, w in zip(got, want, strict=True):
        assert _elements(g) == _elements(w)
        assert isinstance(g, Dataset) != tensorflow


@pytest.mark.parametrize("tensorflow", [True, False], ids=["tf", "no_tf"])
def test_split_dataset_of_a_batched_dataset_is_batched(keras, monkeypatch, tensorflow):
    import tensorflow as tf

    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", not tensorflow)
    source = (tf.data.Dataset if tensorflow else Dataset).from_tensor_slices((X, Y)).batch(3)
    left, right = jnet.utils.split_dataset(source, left_size=6)
    want = keras.utils.split_dataset(
        tf.data.Dataset.from_tensor_slices((X, Y)).batch(3), left_size=6)
    assert _elements(left) == _elements(want[0]) and _elements(right) == _elements(want[1])


@pytest.mark.parametrize("kwargs,error,match", [
    ({}, JnetValueError, "at least one of the `left_size` or `right_size`"),
    ({"left_size": "half"}, JnetTypeError, "invalid `left_size` type"),
    ({"left_size": 1.5}, JnetValueError, r"`left_size` should be.*Received: left_size=1.5"),
    ({"right_size": 10}, JnetValueError, "smaller than 10"),
    ({"left_size": 0.6, "right_size": 0.6}, JnetValueError, "greater than 1"),
    ({"left_size": 6, "right_size": 6}, JnetValueError, "should be smaller than the 10"),
    ({"left_size": 0.01}, JnetValueError, "left side dataset split will be empty"),
    ({"left_size": 2, "preferred_backend": "torch"}, JnetValueError, "preferred_backend"),
])
def test_split_dataset_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        jnet.utils.split_dataset(np.arange(10.0), **kwargs)
    with pytest.raises(JnetValueError, match="different lengths"):
        jnet.utils.split_dataset((np.ones(3), np.ones(4)), left_size=1)
    with pytest.raises(JnetTypeError, match="must be a tf.data.Dataset"):
        jnet.utils.split_dataset({"a": np.ones(3)}, left_size=1)


def test_fit_evaluate_predict_take_a_jnet_dataset_like_arrays():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)

    def run(data, **kwargs):
        jnet.utils.set_random_seed(1)
        model = jnet.Sequential([jnet.layers.Input((3,)), jnet.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        history = model.fit(data, epochs=3, verbose=0, shuffle=False, **kwargs)
        return history.history, model

    arrays, _ = run(x, y=y, batch_size=8, validation_data=(x, y))
    ds = Dataset.from_tensor_slices((x, y)).batch(8)
    from_ds, model = run(ds, validation_data=ds)
    np.testing.assert_allclose(from_ds["loss"], arrays["loss"], rtol=1e-6)
    np.testing.assert_allclose(from_ds["val_loss"], arrays["val_loss"], rtol=1e-6)
    np.testing.assert_allclose(model.predict(ds.map(lambda a, b: a), verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)
    with pytest.raises(JnetValueError, match="infinite jnet.utils.Dataset"):
        model.fit(ds.repeat(), epochs=1, verbose=0)
