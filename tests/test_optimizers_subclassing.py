"""Optimizers written the Keras way (``build(var_list)`` with ``add_variable_from_reference``,
``update_step`` with ``self.assign``), compiled into jnet's pure step: Keras's documented
SGD-with-momentum example trains as it does on TensorFlow (3 epochs, 1e-5)."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jnet
from jnet import errors

N, BATCH = 70, 16


def _momentum_sgd(lib):
    """``keras/src/optimizers/base_optimizer.py``'s example, for ``lib``."""
    ops = lib.ops

    class SGD(lib.optimizers.Optimizer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.momentum = 0.9

        def build(self, variables):
            super().build(variables)
            self.momentums = []
            for variable in variables:
                self.momentums.append(
                    self.add_variable_from_reference(reference_variable=variable,
                                                     name="momentum")
                )

        def update_step(self, gradient, variable, learning_rate):
            learning_rate = ops.cast(learning_rate, variable.dtype)
            gradient = ops.cast(gradient, variable.dtype)
            m = self.momentums[self._get_variable_index(variable)]
            self.assign(
                m,
                ops.subtract(
                    ops.multiply(m, ops.cast(self.momentum, variable.dtype)),
                    ops.multiply(gradient, learning_rate),
                ),
            )
            self.assign_add(variable, m)

        def get_config(self):
            config = super().get_config()
            config.update({"momentum": self.momentum})
            return config

    return SGD


def _decaying(lib):
    """Reads ``self.iterations`` and uses ``add_optimizer_variables`` and ``variable.assign``."""
    ops = lib.ops

    class Decaying(lib.optimizers.Optimizer):
        def build(self, variables):
            super().build(variables)
            self.sums = self.add_optimizer_variables(variables, "sum")

        def update_step(self, gradient, variable, learning_rate):
            s = self.sums[self._get_variable_index(variable)]
            s.assign(s + ops.square(gradient))
            step = ops.cast(self.iterations + 1, variable.dtype)
            variable.assign(variable - gradient * ops.cast(learning_rate, variable.dtype) / step)

    return Decaying


def _mlp(lib):
    inputs = lib.Input(shape=(8,))
    x = lib.layers.Dense(16, activation="relu")(inputs)
    outputs = lib.layers.Dense(3, activation="softmax")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


def _fit_both(keras, rng, make_optimizer, epochs=3):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _mlp(keras), _mlp(jnet)
    jmodel.set_weights(kmodel.get_weights())
    x = rng.normal(size=(N, 8)).astype("float32")
    y = rng.integers(0, 3, size=(N,))
    histories = []
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=make_optimizer(lib), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        histories.append(model.fit(x, y, batch_size=BATCH, epochs=epochs, shuffle=False,
                                   verbose=0).history)
    return histories, kmodel, jmodel


@pytest.mark.parametrize("extras", [{}, {"clipvalue": 0.05, "weight_decay": 0.01}])
def test_documented_momentum_sgd_trains_as_keras(keras, rng, extras):
    histories, kmodel, jmodel = _fit_both(
        keras, rng, lambda lib: _momentum_sgd(lib)(learning_rate=0.05, **extras))
    khist, jhist = histories
    for key in khist:
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-5, err_msg=key)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-5, atol=1e-6)


def test_custom_momentum_sgd_matches_the_builtin_one(keras, rng):
    custom, _, _ = _fit_both(keras, rng, lambda lib: _momentum_sgd(lib)(learning_rate=0.05))
    builtin, _, _ = _fit_both(
        keras, np.random.default_rng(0),
        lambda lib: lib.optimizers.SGD(learning_rate=0.05, momentum=0.9))
    np.testing.assert_allclose(custom[1]["loss"], builtin[1]["loss"], rtol=1e-6)


def test_iterations_and_optimizer_variables_as_keras(keras, rng):
    histories, kmodel, jmodel = _fit_both(
        keras, rng, lambda lib: _decaying(lib)(learning_rate=0.2), epochs=2)
    np.testing.assert_allclose(histories[1]["loss"], histories[0]["loss"], rtol=1e-5)
    # Keras's list: iterations, the learning rate, then one slot per parameter, shaped like
    # it (jnet's slots follow the parameter tree's order), showing the trained state
    jvars, kvars = jmodel.optimizer.variables, kmodel.optimizer.variables
    assert [v.name for v in jvars[:2]] == [v.name for v in kvars[:2]] == [
        "iteration", "learning_rate"]
    assert int(jvars[0].numpy()) == int(kvars[0].numpy())
    jslots, kslots = jvars[2:], kvars[2:]
    assert sorted(v.shape for v in jslots) == sorted(tuple(v.shape) for v in kslots)
    assert all(v.name.endswith("_sum") and not v.trainable for v in jslots)
    assert sorted(float(np.sum(v.numpy())) for v in jslots) == pytest.approx(
        sorted(float(np.sum(v.numpy())) for v in kslots), rel=1e-4)


def test_pure_transformation_state_and_no_recompile():
    opt = _momentum_sgd(jnet)(learning_rate=0.1)
    tx = opt.build()
    params = {"dense": {"kernel": jnp.ones((2, 2)), "bias": jnp.zeros(2)}}
    state = tx.init(params)
    assert [s.shape for s in state.slots] == [(2,), (2, 2)]  # bias, kernel: the tree order
    assert [v.name for v in opt.variables] == [
        "iteration", "learning_rate", "dense_bias_momentum", "dense_kernel_momentum"]
    traces = []

    @jax.jit
    def step(params, state):
        traces.append(1)
        grads = jax.tree.map(jnp.ones_like, params)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    for _ in range(3):
        params, state = step(params, state)
    assert len(traces) == 1
    # v1 = -0.1, v2 = -0.19, v3 = -0.271: w = 1 - 0.561
    np.testing.assert_allclose(params["dense"]["kernel"], np.full((2, 2), 0.439), rtol=1e-6)
    assert int(jnet.optimizers.get_iterations(state)) == 3
    assert float(opt.variables[2].numpy()[0]) == 0.0  # the slot Variables never changed


def test_built_for_one_model_only_and_clear_errors():
    opt = _momentum_sgd(jnet)(learning_rate=0.1)
    tx = opt.build()
    tx.init({"w": jnp.ones(2)})
    with pytest.raises(errors.JnetValueError, match="originally built with"):
        tx.init({"w": jnp.ones(3)})

    class Forgetful(jnet.optimizers.Optimizer):
        def __init__(self):
            self.momentum = 0.9

        def build(self, variables):
            super().build(variables)

        def update_step(self, gradient, variable, learning_rate):
            pass

    with pytest.raises(errors.JnetValueError, match=r"super\(\).__init__\(\)"):
        Forgetful().build()
