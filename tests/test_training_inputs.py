"""fit/evaluate/predict on every input kind: JAX arrays, generators, iterables, PyDataset and
tf.data give the numpy arrays' numbers; Keras's generator rules (steps_per_epoch, running out
of data) hold; bad batches raise jnet errors naming the batch."""

import os
import subprocess
import sys
import warnings

import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import errors
from jnet.training import data_adapters as adapters
from jnet.training import loop
from jnet.utils.py_dataset import PyDataset

N, FEATURES, CLASSES, BATCH = 100, 4, 3, 16  # 6 full batches and a partial one of 4
STEPS = -(-N // BATCH)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N, FEATURES)).astype(np.float32)
    y = rng.integers(0, CLASSES, size=N).astype(np.int32)
    sw = rng.uniform(0.5, 1.5, size=N).astype(np.float32)
    return x, y, sw


def _model(steps_per_execution="auto", input_shape=(FEATURES,)):
    jnet.utils.set_random_seed(1)
    first = (jnet.layers.Dense(8, activation="relu", input_shape=input_shape) if input_shape
             else jnet.layers.Dense(8, activation="relu"))
    model = jnet.Sequential([first, jnet.layers.Dense(CLASSES, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    return model


def _batches(arrays, size=BATCH):
    n = arrays[0].shape[0]
    return [tuple(a[i:i + size] for a in arrays) for i in range(0, n, size)]


def _endless(arrays):
    while True:
        yield from _batches(arrays)


class _Iterable:
    """Re-iterable, with a length: like a torch DataLoader."""

    def __init__(self, arrays):
        self.items = _batches(arrays)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


class _Dataset(PyDataset):
    def __init__(self, arrays, size=BATCH):
        super().__init__()
        self.items = _batches(arrays, size)
        self.epoch_ends = 0
        self.calls: list[int] = []

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        self.calls.append(index)
        return self.items[index]

    def on_epoch_end(self):
        self.epoch_ends += 1


def _tf_dataset(arrays):
    tf = pytest.importorskip("tensorflow")
    return tf.data.Dataset.from_tensor_slices(tuple(arrays)).batch(BATCH)


def _source(kind, arrays):
    """``(x, fit kwargs)`` for one input kind holding ``arrays``' batches."""
    if kind == "jax":
        return tuple(jnp.asarray(a) for a in arrays), {}
    if kind == "generator":
        return _endless(arrays), {"steps_per_epoch": -(-arrays[0].shape[0] // BATCH)}
    if kind == "iterable":
        return _Iterable(arrays), {}
    if kind == "pydataset":
        return _Dataset(arrays), {}
    if kind == "tf.data":
        return _tf_dataset(arrays), {}
    raise AssertionError(kind)


KINDS = ["jax", "generator", "iterable", "pydataset", "tf.data"]


def _fit(model, kind, arrays, val_arrays, epochs=3):
    source, kwargs = _source(kind, arrays)
    val, val_kwargs = _source(kind, val_arrays)
    if kind == "jax":
        return model.fit(source[0], source[1], sample_weight=source[2], batch_size=BATCH,
                         epochs=epochs, shuffle=False, verbose=0, validation_data=val)
    if "steps_per_epoch" in val_kwargs:
        kwargs["validation_steps"] = -(-val_arrays[0].shape[0] // BATCH)
    return model.fit(source, epochs=epochs, shuffle=False, verbose=0, validation_data=val,
                     **kwargs)


def _close(a, b, tol=1e-6):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=tol, atol=tol, err_msg=key)


_REFERENCES: dict = {}


def _reference(steps_per_execution, data):
    """The numpy-array run every input kind is compared with (computed once per setting)."""
    if steps_per_execution not in _REFERENCES:
        x, y, sw = data
        model = _model(steps_per_execution)
        history = model.fit(x[:80], y[:80], sample_weight=sw[:80], batch_size=BATCH,
                            epochs=EPOCHS, shuffle=False, verbose=0,
                            validation_data=(x[80:], y[80:])).history
        evaluated = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
        predicted = model.predict(x, batch_size=BATCH, verbose=0)
        _REFERENCES[steps_per_execution] = history, evaluated, predicted
    return _REFERENCES[steps_per_execution]


EPOCHS = 2


@pytest.mark.parametrize(("kind", "steps_per_execution"), [
    *((kind, "auto") for kind in KINDS), ("pydataset", 4), ("generator", 4), ("generator", 1),
])
def test_every_input_kind_gives_the_array_numbers(kind, steps_per_execution, data):
    """Training (with sample weights and validation data of the same kind), evaluate and
    predict, to 1e-6 of the numpy arrays; steps_per_execution=4 stacks blocks of 4 batches
    and pads the short last block."""
    x, y, sw = data
    history, expected_eval, expected_pred = _reference(steps_per_execution, data)
    model = _model(steps_per_execution)
    _close(_fit(model, kind, (x[:80], y[:80], sw[:80]), (x[80:], y[80:]), EPOCHS).history,
           history)

    source, kwargs = _source(kind, (x, y))
    steps = kwargs.get("steps_per_epoch")
    if kind == "jax":
        evaluated = model.evaluate(*source, batch_size=BATCH, verbose=0, return_dict=True)
    else:
        evaluated = model.evaluate(source, steps=steps, verbose=0, return_dict=True)
    _close(evaluated, expected_eval)
    x_only, _ = _source(kind, (x,))
    if kind == "jax":
        predicted = model.predict(x_only[0], batch_size=BATCH, verbose=0)
    else:
        predicted = model.predict(x_only, steps=steps, verbose=0)
    np.testing.assert_allclose(predicted, expected_pred, rtol=1e-6, atol=1e-6)


def test_predict_takes_bare_arrays_or_tuples_and_ignores_targets(data):
    x, y, _ = data
    model = _model()
    expected = model.predict(x, batch_size=BATCH, verbose=0)
    for batches in ([b[0] for b in _batches((x,))], _batches((x,)), _batches((x, y))):
        with pytest.warns(UserWarning, match="ran out of data"):  # as Keras warns
            predicted = model.predict(iter(batches), verbose=0)
        np.testing.assert_allclose(predicted, expected, rtol=1e-6, atol=1e-6)


def test_a_model_without_input_shape_is_built_from_the_first_batch(data):
    x, y, _ = data
    reference = _model().fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
    model = _model(input_shape=None)
    history = model.fit(_endless((x, y)), steps_per_epoch=STEPS, epochs=2, shuffle=False,
                        verbose=0)
    _close(history.history, reference.history)


def test_pydataset_on_epoch_end_once_per_epoch_and_shuffled_batch_order(data):
    x, y, _ = data
    train, val = _Dataset((x, y)), _Dataset((x[:48], y[:48]))
    _model().fit(train, epochs=3, shuffle=True, verbose=0, validation_data=val)
    assert train.epoch_ends == 3 and val.epoch_ends == 3
    epochs = [train.calls[i * STEPS:(i + 1) * STEPS] for i in range(3)]
    assert len(train.calls) == 3 * STEPS
    assert all(sorted(e) == list(range(STEPS)) for e in epochs)
    assert any(e != list(range(STEPS)) for e in epochs)  # shuffle=True reorders the batches
    unshuffled = _Dataset((x, y))
    _model().fit(unshuffled, epochs=2, shuffle=False, verbose=0)
    assert unshuffled.calls == [*range(STEPS), *range(STEPS)]


def test_pydataset_class_weight(data):
    x, y, _ = data
    weights = {0: 0.5, 1: 2.0, 2: 1.0}
    reference = _model().fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0,
                             class_weight=weights)
    history = _model().fit(_Dataset((x, y)), epochs=2, shuffle=False, verbose=0,
                           class_weight=weights)
    _close(history.history, reference.history)


def test_generator_with_steps_per_epoch_carries_over_between_epochs(data):
    x, y, _ = data
    seen = []

    def numbered():
        i = 0
        while True:
            seen.append(i)
            start = (i * BATCH) % 96
            yield x[start:start + BATCH], y[start:start + BATCH]
            i += 1

    _model().fit(numbered(), steps_per_epoch=4, epochs=3, shuffle=False, verbose=0)
    assert seen == list(range(12))  # epoch 2 continues where epoch 1 stopped


def _counting(keras_like_callback_base):
    class Count(keras_like_callback_base):
        def __init__(self):
            super().__init__()
            self.per_epoch = []

        def on_epoch_begin(self, epoch, logs=None):
            self.per_epoch.append(0)

        def on_train_batch_end(self, batch, logs=None):
            self.per_epoch[-1] += 1

    return Count()


@pytest.mark.parametrize("steps_per_epoch", [None, 3, 5])
def test_running_out_of_data_matches_keras(keras, steps_per_epoch):
    """A finite generator of 5 batches, 3 epochs: Keras (TensorFlow backend) trains 5, 2, 2
    batches without steps_per_epoch (the two peeked batches are replayed), 3, 2, 2 with 3 and
    5, 0, - with 5; and warns that the input ran out of data. jnet does the same, to the loss."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(10, 2)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0]], np.float32) + 0.5).astype(np.float32)

    def gen():
        for i in range(5):
            yield x[2 * i:2 * i + 2], y[2 * i:2 * i + 2]

    kmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    kmodel.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.05), loss="mse")
    model.set_weights(kmodel.get_weights())
    epochs = 3 if steps_per_epoch != 5 else 2
    results = {}
    for name, m, base in (("keras", kmodel, keras.callbacks.Callback),
                          ("jnet", model, jnet.callbacks.Callback)):
        count = _counting(base)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = m.fit(gen(), epochs=epochs, steps_per_epoch=steps_per_epoch,
                            shuffle=False, verbose=0, callbacks=[count])
        ran_out = sum("ran out of data" in str(w.message) for w in caught)
        results[name] = (count.per_epoch, ran_out, history.history["loss"])
    assert results["jnet"][:2] == results["keras"][:2]
    np.testing.assert_allclose(results["jnet"][2], results["keras"][2], rtol=1e-5, atol=1e-6)


def test_generator_runs_until_exhausted_without_steps(data):
    x, y, _ = data
    reference = _model().fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    with pytest.warns(UserWarning, match="ran out of data"):
        history = _model().fit(iter(_batches((x, y))), epochs=1, shuffle=False, verbose=0)
    _close(history.history, reference.history)


def test_shuffle_is_ignored_for_a_generator_with_keras_warning(data):
    x, y, _ = data
    with pytest.warns(UserWarning, match="shuffle=True"):
        _model().fit(_endless((x, y)), steps_per_epoch=2, verbose=0)


def test_batches_compile_at_most_twice_and_never_after_the_first_epoch(data):
    x, y, _ = data
    model = _model(steps_per_execution=4)
    before = loop.train_chunk._cache_size()
    model.fit(_Dataset((x, y)), epochs=1, shuffle=False, verbose=0)  # blocks of 4, 2 and 1
    after_first = loop.train_chunk._cache_size()
    assert after_first - before <= 2
    model.fit(_Dataset((x, y)), epochs=2, shuffle=False, verbose=0)
    assert loop.train_chunk._cache_size() == after_first


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["generator", "pydataset", "tf.data"])
def test_y_with_a_dataset_is_an_error(kind, data):
    x, y, _ = data
    source, _ = _source(kind, (x, y))
    with pytest.raises(errors.JnetValueError, match="y must not be given"):
        _model().fit(source, y, verbose=0)


def test_sample_weight_with_a_generator_is_an_error(data):
    x, y, sw = data
    with pytest.raises(errors.JnetValueError, match="sample_weight must not be given"):
        _model().fit(_endless((x, y)), sample_weight=sw, steps_per_epoch=2, verbose=0)


def test_a_wrong_shaped_batch_names_its_index(data):
    x, y, _ = data
    batches = _batches((x, y))
    batches[2] = (batches[2][0][:, :3], batches[2][1])
    with pytest.raises(errors.JnetValueError, match=r"Batch 2 from the generator.*expects shape"):
        _model().fit(iter(batches), shuffle=False, verbose=0)


def test_labels_out_of_range_name_the_batch(data):
    x, y, _ = data
    batches = _batches((x, y))
    batches[3] = (batches[3][0], np.full_like(batches[3][1], CLASSES))
    with pytest.raises(errors.JnetValueError, match=r"Batch 3 from the PyDataset.*labels must"):
        model = _model(steps_per_execution=4)
        dataset = _Dataset((x, y))
        dataset.items = batches
        model.fit(dataset, shuffle=False, verbose=0)


def test_a_batch_without_targets_is_an_error_for_fit(data):
    x, _, _ = data
    with pytest.raises(errors.JnetValueError, match="Batch 0 from the generator.*no targets"):
        _model().fit(iter([x[:BATCH]]), verbose=0, shuffle=False)


def test_a_dataset_of_strings_is_a_type_error(data):
    _, y, _ = data
    text = np.array(["a", "b", "c", "d"])
    with pytest.raises(errors.JnetTypeError, match="Batch 0 from the generator.*numeric"):
        _model().fit(iter([(text, y[:4])]), verbose=0, shuffle=False)
    tf_text = _tf_dataset((text, y[:4]))
    with pytest.raises(errors.JnetTypeError, match="Batch 0 from the tf.data.Dataset.*text"):
        _model().fit(tf_text, verbose=0, shuffle=False)


def test_other_misuses(data):
    x, y, _ = data
    with pytest.raises(errors.JnetValueError, match="validation_split is only supported"):
        _model().fit(_endless((x, y)), steps_per_epoch=2, validation_split=0.2, verbose=0,
                     shuffle=False)
    with pytest.raises(errors.JnetValueError, match="class_weight is not supported"):
        _model().fit(_endless((x, y)), steps_per_epoch=2, class_weight={0: 1.0}, verbose=0,
                     shuffle=False)
    with pytest.raises(errors.JnetValueError, match="empty"):
        _model().fit(iter([]), verbose=0, shuffle=False)
    with pytest.raises(errors.JnetValueError, match="infinite tf.data.Dataset.*steps_per_epoch"):
        _model().fit(_tf_dataset((x, y)).repeat(), verbose=0, shuffle=False)
    with pytest.raises(errors.JnetValueError, match="Batch 0.*4 elements"):
        _model().fit(iter([(x, y, y, y)]), verbose=0, shuffle=False)


def test_detection_does_not_import_tensorflow():
    script = (
        "import sys, numpy as np, jnet\n"
        "from jnet.training import data_adapters as adapters\n"
        "assert not adapters.is_batch_source(np.ones(3))\n"
        "assert adapters.is_batch_source(iter([]))\n"
        "m = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])\n"
        "m.compile(optimizer='sgd', loss='mse')\n"
        "m.fit(iter([(np.ones((4, 2)), np.ones((4, 1)))]), verbose=0, shuffle=False)\n"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'\n"
    )
    env = dict(os.environ, JNET_COMPILATION_CACHE="0")
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def test_is_batch_source():
    assert adapters.is_batch_source(_Dataset((np.ones((4, 1)),)))
    assert adapters.is_batch_source(x for x in [])
    for arrays in (np.ones(3), jnp.ones(3), [1.0, 2.0], (np.ones(3), np.ones(3)), None):
        assert not adapters.is_batch_source(arrays)


def test_fit_keeps_a_timeseries_datasets_own_batch_order():
    """Keras returns a tf.data dataset, whose order fit(shuffle=True) never changes; nor does
    fit change the order of jnet's timeseries windows as a PyDataset."""
    seen = []
    series = np.arange(40, dtype=np.float32)
    data = jnet.utils.timeseries.timeseries_windows(
        series[:, None], series[3:], sequence_length=3, batch_size=4)
    first = [float(data[i][0][0, 0, 0]) for i in range(len(data))]
    model = jnet.Sequential([jnet.layers.Flatten(input_shape=(3, 1)), jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    original = type(data).__getitem__

    def spy(self, index):
        seen.append(index)
        return original(self, index)

    type(data).__getitem__ = spy
    try:
        model.fit(data, epochs=2, shuffle=True, verbose=0)
    finally:
        type(data).__getitem__ = original
    assert seen == list(range(len(data))) * 2, seen
    assert first == sorted(first)
