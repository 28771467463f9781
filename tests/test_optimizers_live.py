"""optimizer.variables and optimizer.iterations outside a step (jnet.optimizers._live):
Keras's list (iterations, learning rate, the slots of each weight in Keras's order) after
compile and after fit, with Keras on TensorFlow as the judge of the values."""

import numpy as np
import pytest

import jnet

_X = (np.arange(24, dtype="float32").reshape(8, 3) % 5) / 5.0
_Y = np.ones((8, 2), "float32")


def _run(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(
        2, kernel_initializer="ones", bias_initializer="zeros")])
    model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse")
    compiled = [np.array(v.numpy()) for v in model.optimizer.variables]
    model.fit(_X, _Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    fitted = [np.array(v.numpy()) for v in model.optimizer.variables]
    return compiled, fitted, int(np.asarray(model.optimizer.iterations.numpy()))


@pytest.fixture(scope="module")
def runs(keras):
    return {"jnet": _run(jnet), "keras": _run(keras)}


@pytest.mark.parametrize("when", ["compile", "fit"])
def test_optimizer_variables_as_keras(runs, when):
    index = 0 if when == "compile" else 1
    ours, theirs = runs["jnet"][index], runs["keras"][index]
    assert len(ours) == len(theirs) == (2 if when == "compile" else 6)
    for a, b in zip(ours, theirs, strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_iterations_after_fit_as_keras(runs):
    assert runs["jnet"][2] == runs["keras"][2] == 4


def test_assigning_iterations_writes_the_live_state():
    model = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(_X, _Y, batch_size=4, verbose=0)
    model.optimizer.iterations.assign(10)
    assert int(jnet.optimizers.get_iterations(model.train_state.opt_state)) == 10
