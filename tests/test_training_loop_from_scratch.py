"""Keras's guide "Writing a training loop from scratch in JAX", run with jnet.

The guide's code (keras-io ``guides/writing_a_custom_training_loop_in_jax.py``) is copied with
``import keras`` replaced by jnet and MNIST replaced by generated data of MNIST's shapes (784
features, 10 classes; 128 training and 64 validation samples): ``model.stateless_call``,
``optimizer.build(model.trainable_variables)``, ``optimizer.variables``,
``optimizer.stateless_apply``, ``metric.stateless_update_state`` and ``metric.variables`` go
through ``jax.jit`` and ``jax.value_and_grad``; the trained values are written back with
``variable.assign``. The checks: the loop trains exactly as jnet's ``fit`` on the same batches,
the assigned weights are the model's, and the metric variables count what the loops saw.
"""

# ruff: noqa: B905  (the guide's zip() calls, kept as written)

import jax
import numpy as np
import pytest
import tensorflow as tf

import jnet

keras = jnet  # the guide's only change


def _guide(x_train, y_train, x_val, y_val):
    """The guide's program (its printing kept); returns what the checks need."""
    out = {"batches": [], "initial": None}

    def get_model():
        inputs = keras.Input(shape=(784,), name="digits")
        x1 = keras.layers.Dense(64, activation="relu")(inputs)
        x2 = keras.layers.Dense(64, activation="relu")(x1)
        outputs = keras.layers.Dense(10, name="predictions")(x2)
        model = keras.Model(inputs=inputs, outputs=outputs)
        return model

    model = get_model()
    out["initial"] = model.get_weights()
    batch_size = 32
    train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size)
    val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
    val_dataset = val_dataset.batch(batch_size)

    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)

    def compute_loss_and_updates(trainable_variables, non_trainable_variables, x, y):
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        return loss, non_trainable_variables

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):
        trainable_variables, non_trainable_variables, optimizer_variables = state
        x, y = data
        (loss, non_trainable_variables), grads = grad_fn(
            trainable_variables, non_trainable_variables, x, y
        )
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        return loss, (trainable_variables, non_trainable_variables, optimizer_variables)

    optimizer.build(model.trainable_variables)
    trainable_variables = model.trainable_variables
    non_trainable_variables = model.non_trainable_variables
    optimizer_variables = optimizer.variables
    state = trainable_variables, non_trainable_variables, optimizer_variables
    for step, data in enumerate(train_dataset):
        data = (data[0].numpy(), data[1].numpy())
        out["batches"].append(data)
        loss, state = train_step(state, data)
        if step % 100 == 0:
            print(f"Training loss (for 1 batch) at step {step}: {float(loss):.4f}")
            print(f"Seen so far: {(step + 1) * batch_size} samples")

    trainable_variables, non_trainable_variables, optimizer_variables = state
    for variable, value in zip(model.trainable_variables, trainable_variables):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable_variables):
        variable.assign(value)
    out["model"], out["state"] = model, state

    # -- Low-level handling of metrics --
    model = get_model()
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.CategoricalAccuracy()
    val_acc_metric = keras.metrics.CategoricalAccuracy()

    def compute_loss_and_updates(  # noqa: F811 (the guide redefines it)
        trainable_variables, non_trainable_variables, metric_variables, x, y
    ):
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        metric_variables = train_acc_metric.stateless_update_state(
            metric_variables, y, y_pred
        )
        return loss, (non_trainable_variables, metric_variables)

    grad_fn = jax.value_and_grad(compute_loss_and_updates, has_aux=True)

    @jax.jit
    def train_step(state, data):  # noqa: F811
        (trainable_variables, non_trainable_variables, optimizer_variables,
         metric_variables) = state
        x, y = data
        (loss, (non_trainable_variables, metric_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, metric_variables, x, y
        )
        trainable_variables, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables
        )
        return loss, (trainable_variables, non_trainable_variables, optimizer_variables,
                      metric_variables)

    @jax.jit
    def eval_step(state, data):
        trainable_variables, non_trainable_variables, metric_variables = state
        x, y = data
        y_pred, non_trainable_variables = model.stateless_call(
            trainable_variables, non_trainable_variables, x
        )
        loss = loss_fn(y, y_pred)
        metric_variables = val_acc_metric.stateless_update_state(
            metric_variables, y, y_pred
        )
        return loss, (trainable_variables, non_trainable_variables, metric_variables)

    optimizer.build(model.trainable_variables)
    trainable_variables = model.trainable_variables
    non_trainable_variables = model.non_trainable_variables
    optimizer_variables = optimizer.variables
    metric_variables = train_acc_metric.variables
    state = (trainable_variables, non_trainable_variables, optimizer_variables,
             metric_variables)
    for step, data in enumerate(train_dataset):
        data = (data[0].numpy(), data[1].numpy())
        loss, state = train_step(state, data)
        if step % 100 == 0:
            print(f"Training loss (for 1 batch) at step {step}: {float(loss):.4f}")
            _, _, _, metric_variables = state
            for variable, value in zip(train_acc_metric.variables, metric_variables):
                variable.assign(value)
            print(f"Training accuracy: {train_acc_metric.result()}")
            print(f"Seen so far: {(step + 1) * batch_size} samples")
    out["train_metric_variables"] = state[3]

    metric_variables = val_acc_metric.variables
    (trainable_variables, non_trainable_variables, optimizer_variables,
     metric_variables) = state
    state = trainable_variables, non_trainable_variables, metric_variables
    for step, data in enumerate(val_dataset):
        data = (data[0].numpy(), data[1].numpy())
        loss, state = eval_step(state, data)
        if step % 100 == 0:
            print(f"Validation loss (for 1 batch) at step {step}: {float(loss):.4f}")
            _, _, metric_variables = state
            for variable, value in zip(val_acc_metric.variables, metric_variables):
                variable.assign(value)
            print(f"Validation accuracy: {val_acc_metric.result()}")
    out["metric_model"], out["eval_state"] = model, state
    out["val_acc_metric"] = val_acc_metric

    # -- Low-level handling of losses tracked by the model --
    class ActivityRegularizationLayer(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(1e-2 * jax.numpy.sum(inputs))
            return inputs

    inputs = keras.Input(shape=(784,), name="digits")
    x = keras.layers.Dense(64, activation="relu")(inputs)
    x = ActivityRegularizationLayer()(x)
    x = keras.layers.Dense(64, activation="relu")(x)
    outputs = keras.layers.Dense(10, name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    out["regularized"] = model
    return out


@pytest.fixture(scope="module")
def guide():
    rng = np.random.default_rng(0)
    x = rng.random((192, 784)).astype("float32")
    y = jnet.utils.to_categorical(rng.integers(0, 10, 192), 10)
    data = {"x_train": x[:-64], "y_train": y[:-64], "x_val": x[-64:], "y_val": y[-64:]}
    return _guide(**data), data


def test_the_loop_trains_as_fit_on_the_same_batches(guide):
    out, _ = guide
    twin = jnet.models.clone_model(out["model"])
    twin.set_weights(out["initial"])
    twin.compile(optimizer=jnet.optimizers.Adam(learning_rate=1e-3),
                 loss=jnet.losses.CategoricalCrossentropy(from_logits=True))
    x = np.concatenate([b[0] for b in out["batches"]])
    y = np.concatenate([b[1] for b in out["batches"]])
    twin.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    assert len(out["batches"]) == 4
    for got, expected in zip(out["model"].get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_assign_writes_the_loop_state_into_the_model(guide):
    out, _ = guide
    trained = [np.asarray(v) for v in out["state"][0]]
    weights = out["model"].get_weights()
    assert len(trained) == len(weights) == 6
    for got, expected in zip(weights, trained, strict=True):
        np.testing.assert_array_equal(got, expected)
    assert not np.allclose(weights[0], out["initial"][0])


def test_metric_variables_count_what_the_loops_saw(guide):
    out, data = guide
    total, count = (float(np.asarray(v)) for v in out["train_metric_variables"])
    assert count == 128.0 and 0.0 <= total <= 128.0
    # The guide starts the evaluation state from the training metric's variables (it
    # overwrites `metric_variables = val_acc_metric.variables` when it unpacks the state),
    # so the validation accuracy counts both loops, in Keras as here.
    trainable, non_trainable, metric_variables = out["eval_state"]
    y_pred, _ = out["metric_model"].stateless_call(trainable, non_trainable, data["x_val"])
    correct = int(np.sum(np.argmax(np.asarray(y_pred), -1) == np.argmax(data["y_val"], -1)))
    np.testing.assert_allclose([float(np.asarray(v)) for v in metric_variables],
                               [total + correct, 192.0])
    metric = out["val_acc_metric"]
    for variable, value in zip(metric.variables, metric_variables, strict=True):
        variable.assign(value)
    assert float(metric.result()) == pytest.approx((total + correct) / 192.0, rel=1e-6)


def test_stateless_call_returns_the_losses_added_in_the_call(guide):
    out, data = guide
    model = out["regularized"]
    _, _, losses = model.stateless_call(model.trainable_variables,
                                        model.non_trainable_variables, data["x_val"],
                                        return_losses=True)
    hidden = jnet.Model(model.inputs, model.layers[1].output)
    expected = 1e-2 * np.sum(hidden.predict(data["x_val"], verbose=0))
    assert len(losses) == 1
    np.testing.assert_allclose(float(losses[0]), expected, rtol=1e-5)
