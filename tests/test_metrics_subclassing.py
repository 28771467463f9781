"""Metrics written the Keras way (``add_variable``, ``update_state`` with ``assign``,
``result``, ``reset_state``): standalone, stateless (Keras's JAX-backend names), and compiled
in ``fit``, against Keras on TensorFlow; the guide "training with built-in methods"'s
CategoricalTruePositives end to end."""

import jax
import numpy as np
import pytest

import jnet
from jnet import errors

N, BATCH = 70, 16  # a partial last batch every epoch


def _categorical_true_positives(lib):
    """The guide's metric, verbatim but for the library it subclasses."""
    ops = lib.ops

    class CategoricalTruePositives(lib.metrics.Metric):
        def __init__(self, name="categorical_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
            values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
            values = ops.cast(values, "float32")
            if sample_weight is not None:
                sample_weight = ops.cast(sample_weight, "float32")
                values = ops.multiply(values, sample_weight)
            self.true_positives.assign_add(ops.sum(values))

        def result(self):
            return self.true_positives

        def reset_state(self):
            self.true_positives.assign(0.0)

    return CategoricalTruePositives


def _weighted_mean_error(lib):
    """Two variables, the base reset_state, a dict-free scalar result."""
    ops = lib.ops

    class WeightedMeanError(lib.metrics.Metric):
        def __init__(self, name="wme", dtype=None):
            super().__init__(name=name, dtype=dtype)
            self.total = self.add_weight(initializer="zeros", name="total")
            self.count = self.add_variable(shape=(), initializer="zeros", name="count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            err = ops.abs(ops.cast(y_true, "float32") - ops.cast(y_pred, "float32"))
            err = ops.mean(err, axis=-1)
            w = ops.ones_like(err) if sample_weight is None else ops.cast(
                sample_weight, "float32")
            self.total.assign_add(ops.sum(err * w))
            self.count.assign_add(ops.sum(w))

        def result(self):
            return ops.divide_no_nan(self.total, self.count)

    return WeightedMeanError


def _data(rng):
    y_true = rng.integers(0, 3, size=(6, 1)).astype("float32")
    y_pred = rng.random((6, 3)).astype("float32")
    return y_true, y_pred


def test_standalone_update_result_reset_as_keras(keras, rng):
    y_true, y_pred = _data(rng)
    weights = np.array([1, 0, 1, 1, 0, 1], "float32")
    for factory in (_categorical_true_positives, _weighted_mean_error):
        kmetric, jmetric = factory(keras)(), factory(jnet)()
        for m in (kmetric, jmetric):
            m.update_state(y_true, y_pred)
            m.update_state(y_true, y_pred, sample_weight=weights)
        np.testing.assert_allclose(float(jmetric.result()), float(kmetric.result()), rtol=1e-6)
        assert [v.name for v in jmetric.variables] == [v.name for v in kmetric.variables]
        assert all(isinstance(v, jnet.Variable) and not v.trainable for v in jmetric.variables)
        np.testing.assert_allclose(float(jmetric(y_true, y_pred)), float(kmetric(y_true, y_pred)),
                                   rtol=1e-6)
        jmetric.reset_state()
        assert [float(v.numpy()) for v in jmetric.variables] == [0.0] * len(jmetric.variables)


def test_stateless_api_leaves_variables_alone(rng):
    y_true, y_pred = _data(rng)
    metric = _categorical_true_positives(jnet)()
    fresh = metric.stateless_reset_state()
    assert [float(v) for v in fresh] == [0.0]

    @jax.jit
    def step(values):
        values = metric.stateless_update_state(values, y_true, y_pred)
        return values, metric.stateless_result(values)

    values, result = step(fresh)
    values, result = step(values)
    assert float(result) == 2 * float(np.sum(y_pred.argmax(1)[:, None] == y_true))
    assert float(metric.true_positives.numpy()) == 0.0  # the Variable never changed
    with pytest.raises(errors.JnetValueError, match="1:1 to CategoricalTruePositives"):
        metric.stateless_update_state([], y_true, y_pred)


def test_pure_init_update_compute_from_the_keras_hooks(rng):
    y_true, y_pred = _data(rng)
    metric = _weighted_mean_error(jnet)()
    state = jax.jit(metric.update)(metric.init(), y_true, y_pred)
    assert isinstance(state, tuple) and len(state) == 2
    expected = np.abs(y_true - y_pred).mean(-1).mean()
    np.testing.assert_allclose(float(metric.result(state)), expected, rtol=1e-6)
    np.testing.assert_allclose(float(metric.compute(state)), expected, rtol=1e-6)
    assert float(metric.result()) == 0.0  # the pure path did not touch the variables


def test_builtin_metrics_hold_their_state_in_variables(keras):
    kmean, jmean = keras.metrics.Mean(), jnet.metrics.Mean()
    assert [v.name for v in jmean.variables] == [v.name for v in kmean.variables]
    values = jmean.stateless_update_state(jmean.stateless_reset_state(), np.array([1.0, 3.0]))
    assert [float(v) for v in values] == [4.0, 2.0]
    assert float(jmean.stateless_result(values)) == 2.0
    assert float(jmean.result()) == 0.0
    jmean.update_state(np.array([5.0]))
    assert [float(v.numpy()) for v in jmean.variables] == [5.0, 1.0]


def test_sub_metrics_are_tracked():
    class MeanOfTwo(jnet.metrics.Metric):
        def __init__(self):
            super().__init__(name="mean_of_two")
            self.a = jnet.metrics.Mean(name="a")
            self.b = jnet.metrics.Mean(name="b")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.a.update_state(y_true)
            self.b.update_state(y_pred)

        def result(self):
            return (self.a.result() + self.b.result()) / 2

    metric = MeanOfTwo()
    assert [v.name for v in metric.variables] == ["total", "count", "total", "count"]
    state = metric.update(metric.init(), np.array([1.0, 3.0]), np.array([5.0]))
    assert float(metric.result(state)) == 3.5


def _mlp(lib):
    inputs = lib.Input(shape=(8,), name="digits")
    x = lib.layers.Dense(16, activation="relu", name="dense_1")(inputs)
    outputs = lib.layers.Dense(3, activation="softmax", name="predictions")(x)
    return lib.Model(inputs=inputs, outputs=outputs)


@pytest.fixture
def mlp_pair(keras):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _mlp(keras), _mlp(jnet)
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def test_guide_categorical_true_positives_in_fit_as_keras(keras, mlp_pair, rng):
    kmodel, jmodel = mlp_pair
    x = rng.normal(size=(N, 8)).astype("float32")
    y = rng.integers(0, 3, size=(N,)).astype("float32")
    before = jmodel.get_weights()
    histories, evaluations = [], []
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(
            optimizer=lib.optimizers.RMSprop(learning_rate=1e-3),
            loss=lib.losses.SparseCategoricalCrossentropy(),
            metrics=[_categorical_true_positives(lib)()],
        )
        # The guide compares labels (batch,) with argmaxes (batch, 1): a (batch, batch)
        # broadcast, which Keras does; JAX does it too once rank promotion is allowed.
        with jax.numpy_rank_promotion("allow"):
            histories.append(model.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False,
                                       verbose=0).history)
            evaluations.append(model.evaluate(x, y, batch_size=BATCH, verbose=0,
                                              return_dict=True))
    khist, jhist = histories
    for key in ("loss", "categorical_true_positives"):
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-5, err_msg=key)
    for key, value in evaluations[0].items():
        np.testing.assert_allclose(evaluations[1][key], value, rtol=1e-5, err_msg=key)
    assert any(not np.allclose(a, b) for a, b in zip(before, jmodel.get_weights(), strict=True))
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=1e-6)


def test_keras_style_and_overridden_builtin_metrics_in_fit(keras, mlp_pair, rng):
    def doubled(lib):
        class DoubledMSE(lib.metrics.MeanSquaredError):
            def update_state(self, y_true, y_pred, sample_weight=None):
                super().update_state(y_true, y_pred * 2.0, sample_weight=sample_weight)

        return DoubledMSE(name="doubled_mse")

    kmodel, jmodel = mlp_pair
    x = rng.normal(size=(N, 8)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, size=N)]
    histories = []
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.1),
                      loss="categorical_crossentropy",
                      metrics=[_weighted_mean_error(lib)(), doubled(lib)])
        histories.append(model.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False,
                                   verbose=0).history)
    for key in ("loss", "wme", "doubled_mse"):
        np.testing.assert_allclose(histories[1][key], histories[0][key], rtol=1e-5, err_msg=key)


def test_metric_without_update_state_or_result_is_refused_at_compile():
    class NoUpdate(jnet.metrics.Metric):
        def result(self):
            return 0.0

    class NoResult(jnet.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            pass

    for metric, missing in ((NoUpdate(), "update_state"), (NoResult(), "result")):
        model = jnet.Sequential([jnet.Input((2,)), jnet.layers.Dense(1)])
        with pytest.raises(errors.JnetTypeError, match=f"{type(metric).__name__}.*{missing}"):
            model.compile(optimizer="sgd", loss="mse", metrics=[metric])


def test_forgetting_super_init_is_a_clear_error():
    class Forgetful(jnet.metrics.Metric):
        def __init__(self):
            self.total = self.add_variable((), "zeros")

    with pytest.raises(errors.JnetValueError, match=r"super\(\).__init__\(\)"):
        Forgetful()
