"""Keras's argument forms at fit/evaluate/predict/compile (verbose as a bool or None, shuffle
'batch', validation_freq as a list, numpy integers), and Keras's per-class model names, which
let unnamed Sequentials nest in a Sequential that trains and saves."""

import numpy as np
import pytest

import jnet
from jnet.training import loop

X = np.linspace(0.0, 1.0, 24, dtype=np.float32).reshape(8, 3)
Y = X.sum(axis=1, keepdims=True)


@pytest.fixture(scope="module")
def model():
    m = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(1)], name="forms")
    m.compile(optimizer="sgd", loss="mse")
    return m


# (method, verbose, whether a progress bar or epoch line is printed)
VERBOSE = [
    ("fit", True, True), ("fit", False, False), ("fit", None, False), ("fit", "auto", True),
    ("fit", np.int64(0), False), ("fit", 2, True),
    ("evaluate", True, True), ("evaluate", False, False), ("evaluate", None, False),
    ("predict", True, True), ("predict", False, False), ("predict", 0, False),
]


@pytest.mark.parametrize("method,verbose,prints", VERBOSE)
def test_verbose_forms_as_keras(model, capsys, method, verbose, prints):
    args = (X,) if method == "predict" else (X, Y)
    getattr(model, method)(*args, batch_size=4, verbose=verbose)
    out = capsys.readouterr().out
    assert (out != "") == prints, out
    if verbose is True:  # True is 1: the progress bar of 1, with its step counter
        assert "2/2" in out


@pytest.mark.parametrize("verbose,message", [
    (3, "verbose must be 'auto', 0, 1, 2, True, False or None, received 3"),
    ("loud", "received 'loud'"),
])
def test_verbose_other_values_are_refused(model, verbose, message):
    with pytest.raises(ValueError, match=message):
        model.fit(X, Y, verbose=verbose)


def test_shuffle_batch_keeps_batches_and_shuffles_within_them():
    rng = np.random.default_rng(0)
    chunks = loop.plan_batches(10, 4, 8, "batch", rng)
    full, last = chunks[0], chunks[1]
    assert [sorted(row) for row in full.tolist()] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert sorted(last[0].tolist()) == [8, 9]
    orders = {tuple(loop.plan_batches(8, 4, 8, "batch", rng)[0][0]) for _ in range(20)}
    assert len(orders) > 1  # rows really move within a batch


def test_fit_argument_forms(model, capsys):
    history = model.fit(X, Y, batch_size=np.int32(4), epochs=np.int64(3), shuffle="batch",
                        validation_data=(X, Y), validation_freq=[1, 3], verbose=False)
    assert len(history.history["loss"]) == 3
    assert len(history.history["val_loss"]) == 2  # after epochs 1 and 3 only, as Keras
    with pytest.raises(TypeError, match="shuffle must be True, False or 'batch', received 'yes'"):
        model.fit(X, Y, shuffle="yes")
    with pytest.raises(ValueError, match="validation_freq must be a positive integer or a list"):
        model.fit(X, Y, validation_freq=0.5)


def test_compile_takes_numpy_steps_per_execution():
    m = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(1)])
    m.compile(optimizer="sgd", loss="MSE", steps_per_execution=np.int64(2))
    assert m.fit(X, Y, batch_size=2, verbose=0).history["loss"][0] > 0


# -- model names ---------------------------------------------------------------------------

class Tower(jnet.Model):
    def __init__(self):
        super().__init__()
        self.dense = jnet.layers.Dense(1)

    def call(self, x):
        return self.dense(x)


def test_models_get_keras_per_class_session_names():
    x = jnet.Input((3,))
    names = [jnet.Sequential().name, jnet.Sequential().name,
             jnet.Model(x, jnet.layers.Dense(1)(x)).name, jnet.Model(x, x).name,
             Tower().name, Tower().name, jnet.Sequential(name="mine").name,
             jnet.Sequential().name]
    assert names == ["sequential", "sequential_1", "functional", "functional_1", "tower",
                     "tower_1", "mine", "sequential_2"]
    jnet.utils.clear_session()
    assert jnet.Sequential().name == "sequential"


def _nested():
    encoder = jnet.Sequential([jnet.layers.Dense(4, activation="relu", input_shape=(3,))])
    return jnet.Sequential([encoder, jnet.Sequential([jnet.layers.Dense(1)])])


def test_nested_sequentials_train_and_save(tmp_path):
    model = _nested()
    assert [layer.name for layer in model.layers] == ["sequential", "sequential_1"]
    assert model.name == "sequential_2"
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(X, Y, epochs=2, verbose=False)
    assert len(history.history["loss"]) == 2
    path = str(tmp_path / "nested.jnet")
    model.save(path)
    loaded = jnet.saving.load_model(path)
    assert [layer.name for layer in loaded.layers] == ["sequential", "sequential_1"]
    expected = model.predict(X, verbose=0)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, rtol=1e-6)
    # a twin built later in the program has other automatic names (sequential_3, ...): its
    # weights still load, matched by position as Keras matches its own files
    weights = str(tmp_path / "nested.weights.safetensors")
    model.save_weights(weights)
    for source in (weights, path):
        twin = _nested()
        assert [layer.name for layer in twin.layers] != ["sequential", "sequential_1"]
        twin.load_weights(source)
        np.testing.assert_allclose(twin.predict(X, verbose=0), expected, rtol=1e-6)


def test_tf_keras_lr_is_refused_as_keras_3_does_naming_learning_rate():
    with pytest.raises(ValueError, match=r"not recognized by RMSprop: \['lr'\]\. Keras 3 \(and "
                                         r"jnet\) name it learning_rate"):
        jnet.optimizers.RMSprop(lr=0.001)
