"""Overridden ``train_step`` / ``test_step`` / ``predict_step`` / ``compute_loss`` in Keras's
JAX form (the guide "Customizing what happens in fit() with JAX", import swapped): run
compiled, with the built-in step's numbers where they compute the same thing; a step jnet
cannot run is refused with a jnet error, never silently ignored."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import jnet
import jnet as keras  # the guide's code, import swapped
from jnet.training import custom_step


def _data(n=256, features=32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, features), dtype=np.float32),
            rng.random((n, 1), dtype=np.float32))


def _functional(cls, units=1, features=32, seed=1):
    jnet.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(features,))
    return cls(inputs, keras.layers.Dense(units)(inputs))


def _builtin_history(weights, x, y, epochs=3, **compile_kwargs):
    model = _functional(jnet.Model)
    model.set_weights(weights)
    model.compile(**compile_kwargs)
    return model, model.fit(x, y, epochs=epochs, verbose=0, shuffle=False).history


def _assert_histories(got, expected):
    assert sorted(got) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5, atol=1e-6)


# -- the guide's examples ------------------------------------------------------------------------


class GuideModel(keras.Model):
    """The guide's first example."""

    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables,
                                 metrics_variables, x, y, sample_weight, training=False):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=training,
        )
        loss, (trainable_variables, non_trainable_variables, metrics_variables) = (
            self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y,
                y_pred=y_pred, sample_weight=sample_weight, training=training,
            )
        )
        return loss, (y_pred, non_trainable_variables, metrics_variables)

    def train_step(self, state, data):
        (trainable_variables, non_trainable_variables, optimizer_variables,
         metrics_variables) = state
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (loss, (y_pred, non_trainable_variables, metrics_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, metrics_variables, x, y,
            sample_weight, training=True,
        )
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        new_metrics_vars = []
        logs = {}
        for metric in self.metrics:
            this_metric_vars = metrics_variables[
                len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
            ]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, loss, sample_weight=sample_weight
                )
            else:
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, y, y_pred, sample_weight=sample_weight
                )
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars
        state = (trainable_variables, non_trainable_variables, optimizer_variables,
                 new_metrics_vars)
        return logs, state


def test_guide_train_step_matches_the_builtin_step():
    x, y = _data()  # 256 rows: whole batches, so the guide's batch-mean loss is the same
    model = _functional(GuideModel)
    weights = model.get_weights()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    assert [m.name for m in model.metrics] == ["loss", "compile_metrics"]
    history = model.fit(x, y, epochs=3, verbose=0, shuffle=False).history
    builtin, expected = _builtin_history(weights, x, y, optimizer="adam", loss="mse",
                                         metrics=["mae"])
    _assert_histories(history, expected)
    np.testing.assert_allclose(model.predict(x[:5], verbose=0),
                               builtin.predict(x[:5], verbose=0), rtol=1e-5)


def test_custom_step_is_compiled_once_and_scanned():
    x, y = _data()
    model = _functional(GuideModel)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], steps_per_execution=1)
    one = model.fit(x, y, epochs=2, verbose=0, shuffle=False).history
    model = _functional(GuideModel)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"], steps_per_execution=4)
    four = model.fit(x, y, epochs=2, verbose=0, shuffle=False).history
    _assert_histories(four, one)
    before = custom_step.train_chunk._cache_size()
    model.fit(x, y, epochs=1, verbose=0, shuffle=False)  # second fit: no new compilation
    assert custom_step.train_chunk._cache_size() == before


class LowerLevelModel(keras.Model):
    """The guide's "going lower-level" example: compile() configures only the optimizer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, x, y,
                                 sample_weight, training=False):
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=training,
        )
        loss = self.loss_fn(y, y_pred, sample_weight=sample_weight)
        return loss, (y_pred, non_trainable_variables)

    def train_step(self, state, data):
        (trainable_variables, non_trainable_variables, optimizer_variables,
         metrics_variables) = state
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        grad_fn = jax.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (loss, (y_pred, non_trainable_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, x, y, sample_weight, training=True,
        )
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        loss_tracker_vars = metrics_variables[: len(self.loss_tracker.variables)]
        mae_metric_vars = metrics_variables[len(self.loss_tracker.variables) :]
        loss_tracker_vars = self.loss_tracker.stateless_update_state(
            loss_tracker_vars, loss, sample_weight=sample_weight
        )
        mae_metric_vars = self.mae_metric.stateless_update_state(
            mae_metric_vars, y, y_pred, sample_weight=sample_weight
        )
        logs = {}
        logs[self.loss_tracker.name] = self.loss_tracker.stateless_result(loss_tracker_vars)
        logs[self.mae_metric.name] = self.mae_metric.stateless_result(mae_metric_vars)
        new_metrics_vars = loss_tracker_vars + mae_metric_vars
        state = (trainable_variables, non_trainable_variables, optimizer_variables,
                 new_metrics_vars)
        return logs, state

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


def test_guide_lower_level_step_compiles_without_a_loss():
    x, y = _data()
    model = _functional(LowerLevelModel)
    weights = model.get_weights()
    model.compile(optimizer="adam")  # no loss, no metrics
    history = model.fit(x, y, epochs=3, verbose=0, shuffle=False).history
    _, expected = _builtin_history(weights, x, y, optimizer="adam", loss="mse",
                                   metrics=["mae"])
    _assert_histories(history, expected)


class GuideTestStep(keras.Model):
    """The guide's custom ``test_step``."""

    def test_step(self, state, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        trainable_variables, non_trainable_variables, metrics_variables = state
        y_pred, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, x, training=False,
        )
        loss, (trainable_variables, non_trainable_variables, metrics_variables) = (
            self.stateless_compute_loss(
                trainable_variables, non_trainable_variables, metrics_variables, x=x, y=y,
                y_pred=y_pred, sample_weight=sample_weight, training=False,
            )
        )
        new_metrics_vars = []
        logs = {}
        for metric in self.metrics:
            this_metric_vars = metrics_variables[
                len(new_metrics_vars) : len(new_metrics_vars) + len(metric.variables)
            ]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, loss, sample_weight=sample_weight
                )
            else:
                this_metric_vars = metric.stateless_update_state(
                    this_metric_vars, y, y_pred, sample_weight=sample_weight
                )
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars
        state = (trainable_variables, non_trainable_variables, new_metrics_vars)
        return logs, state


def test_guide_test_step_matches_builtin_evaluate():
    x, y = _data()
    model = _functional(GuideTestStep)
    model.compile(loss="mse", metrics=["mae"])
    got = model.evaluate(x, y, return_dict=True, verbose=0)
    builtin = _functional(jnet.Model)
    builtin.set_weights(model.get_weights())
    builtin.compile(loss="mse", metrics=["mae"])
    expected = builtin.evaluate(x, y, return_dict=True, verbose=0)
    assert sorted(got) == ["loss", "mae"]
    for key in expected:
        assert got[key] == pytest.approx(expected[key], rel=1e-5)


# -- compute_loss alone, predict_step ------------------------------------------------------------


class SuperLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return super().compute_loss(x, y, y_pred, sample_weight, training)


class DoubleLoss(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return 2.0 * super().compute_loss(x, y, y_pred, sample_weight, training)


def _bn_dropout_model(cls):
    jnet.utils.set_random_seed(3)
    inputs = keras.Input(shape=(8,))
    h = keras.layers.Dense(16, activation="relu", kernel_regularizer="l2")(inputs)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.Dropout(0.3)(h)
    return cls(inputs, keras.layers.Dense(3, activation="softmax")(h))


def test_compute_loss_override_runs_the_builtin_computation():
    """Keras's default train_step over an overridden compute_loss that calls super(): the
    same numbers as jnet's built-in step, with dropout, moving statistics, a weight penalty
    and the softmax logits shortcut in play."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 8)).astype(np.float32)
    y = rng.integers(0, 3, size=(96,))
    histories = []
    for cls in (SuperLoss, jnet.Model):
        model = _bn_dropout_model(cls)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        jnet.utils.set_random_seed(7)  # the same dropout key for both
        histories.append(model.fit(x, y, batch_size=32, epochs=3, verbose=0,
                                   shuffle=False).history)
        histories.append(model.get_weights())
    _assert_histories(histories[0], histories[2])
    for a, b in zip(histories[1], histories[3], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_compute_loss_override_changes_the_loss():
    x, y = _data(64)
    model = _functional(DoubleLoss)
    model.compile(optimizer="sgd", loss="mse")
    builtin = _functional(jnet.Model)
    builtin.set_weights(model.get_weights())
    builtin.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(
        2 * builtin.evaluate(x, y, verbose=0), rel=1e-5)


class ScaledPredict(keras.Model):
    def predict_step(self, state, data):
        outputs, non_trainable = super().predict_step(state, data)
        return outputs * 10.0, non_trainable


def test_predict_step_override_is_used():
    x, _ = _data(40)
    model = _functional(ScaledPredict)
    expected = 10.0 * np.asarray(model(x))
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0), expected,
                               rtol=1e-5)


def test_keras_order_of_the_state():
    model = _bn_dropout_model(jnet.Model)
    trainable, non_trainable = custom_step._spec.layout_of(model).split(model.variables)
    assert [np.shape(v) for v in trainable] == [
        np.shape(w) for w in model.trainable_weights
    ]
    assert [np.shape(v) for v in non_trainable] == [
        np.shape(w) for w in model.non_trainable_weights
    ]


# -- refused -------------------------------------------------------------------------------------


class _TensorFlowForm(jnet.Model):
    def train_step(self, data):  # Keras's TensorFlow/PyTorch form: (self, data)
        return {}


class _TensorFlowTestStep(jnet.Model):
    def test_step(self, data):
        return {}


def test_tensorflow_form_train_step_is_refused_at_fit():
    model = _functional(_TensorFlowForm, features=3)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(jnet.errors.JnetTypeError, match=r"train_step\(self, state, data\)"):
        model.fit(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)


def test_tensorflow_form_test_step_is_refused_at_evaluate():
    model = _functional(_TensorFlowTestStep, features=3)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(jnet.errors.JnetTypeError, match="TensorFlow/PyTorch form"):
        model.evaluate(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)


def test_compile_without_loss_still_refused_for_the_builtin_step():
    model = _functional(jnet.Model, features=3)
    with pytest.raises(jnet.errors.JnetValueError, match="needs a loss"):
        model.compile(optimizer="sgd")


class _BadReturn(keras.Model):
    def train_step(self, state, data):
        return {"loss": 0.0}


def test_a_step_returning_no_state_is_a_jnet_error():
    model = _functional(_BadReturn, features=3)
    model.compile(optimizer="sgd")
    with pytest.raises(jnet.errors.JnetTypeError, match=r"must return \(logs, state\)"):
        model.fit(np.zeros((4, 3), np.float32), np.zeros((4, 1), np.float32), verbose=0)


# -- jnet.utils ----------------------------------------------------------------------------------


def test_pack_and_unpack_x_y_sample_weight():
    x, y, w = np.ones((2, 3)), np.zeros((2, 1)), np.ones(2)
    assert keras.utils.pack_x_y_sample_weight(x) is x
    assert keras.utils.unpack_x_y_sample_weight(keras.utils.pack_x_y_sample_weight(x, y, w))[
        2] is w
    assert keras.utils.unpack_x_y_sample_weight([x, y]) == (x, y, None)
    with pytest.raises(jnet.errors.JnetValueError, match="length 4"):
        keras.utils.unpack_x_y_sample_weight((x, y, w, w))
