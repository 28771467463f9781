"""Training parity with real TensorFlow Keras: same model, same weights, same data, shuffle off.

Each case builds the model in both, copies Keras's initial weights into jnet with
``set_weights(keras_model.get_weights())``, trains 5 epochs and compares the per-epoch losses
and metrics (within 1e-4 relative), the validation logs, and the final weights.
"""

import numpy as np
import pytest

import jnet

N, D, EPOCHS, BATCH = 100, 6, 5, 16  # 100 % 16 = 4: a partial last batch every epoch


def _data(task, rng):
    x = rng.normal(size=(N, D)).astype(np.float32)
    if task == "regression":
        y = (x @ rng.normal(size=(D, 1)) + 0.1 * rng.normal(size=(N, 1))).astype(np.float32)
    elif task == "binary":
        y = (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype(np.float32)
    elif task == "sparse":
        y = np.argmax(x[:, :3], axis=1).astype(np.int32)
    else:  # one-hot
        y = np.eye(3, dtype=np.float32)[np.argmax(x[:, :3], axis=1)]
    return x, y


def _pair(keras, units_out, activation, optimizer_args, loss, metrics):
    keras.utils.set_random_seed(0)  # Keras's initial weights, the same every run
    kmodel = keras.Sequential([
        keras.Input((D,)),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(units_out, activation=activation),
    ])
    jmodel = jnet.Sequential([
        jnet.Input(shape=(D,)),
        jnet.layers.Dense(8, activation="relu"),
        jnet.layers.Dense(units_out, activation=activation),
    ])
    name, kwargs = optimizer_args
    kopt = getattr(keras.optimizers, name)(**kwargs)
    jopt = getattr(jnet.optimizers, name)(**kwargs)
    kmodel.compile(optimizer=kopt, loss=loss, metrics=list(metrics))
    jmodel.compile(optimizer=jopt, loss=loss, metrics=list(metrics))
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


# Learning rates keep every run converging: a diverging run amplifies float rounding (TF's
# oneDNN kernels vs XLA's) past any tolerance, which would test chaos, not parity.
OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.05}),
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("RMSprop", {"learning_rate": 0.005}),
    ("RMSprop", {"learning_rate": 0.005, "momentum": 0.9}),
    ("RMSprop", {"learning_rate": 0.005, "centered": True}),
]


def _compare(khist, jhist, keys, rtol=1e-4):
    for key in keys:
        np.testing.assert_allclose(
            jhist.history[key], khist.history[key], rtol=rtol, atol=1e-6, err_msg=key
        )


@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: f"{o[0]}-{'-'.join(map(str, o[1]))}")
def test_optimizers_regression_mse(keras, rng, opt):
    x, y = _data("regression", rng)
    kmodel, jmodel = _pair(keras, 1, None, opt, "mse", ["mae"])
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    _compare(kh, jh, ["loss", "mae"])
    assert kh.history["loss"][-1] < kh.history["loss"][0]  # the run converges
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=5e-5)


@pytest.mark.parametrize(
    "task,units,activation,loss",
    [
        ("binary", 1, "sigmoid", "binary_crossentropy"),
        ("onehot", 3, "softmax", "categorical_crossentropy"),
        ("sparse", 3, "softmax", "sparse_categorical_crossentropy"),
        ("binary", 1, None, "mse"),
        ("binary", 1, "sigmoid", "huber"),
    ],
)
def test_classification_losses_and_accuracy(keras, rng, task, units, activation, loss):
    x, y = _data(task, rng)
    kmodel, jmodel = _pair(keras, units, activation, ("Adam", {"learning_rate": 0.02}), loss,
                           ["accuracy"])
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                    validation_split=0.2)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                    validation_split=0.2)
    assert set(jh.history) == set(kh.history)
    _compare(kh, jh, sorted(kh.history))
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-4
    )
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-4, atol=1e-6
    )


def test_logits_shortcut_matches_tensorflow_on_saturated_outputs(keras, rng):
    """Large weights saturate the sigmoid: Keras on TF computes BCE from logits (no clipping),
    so its loss exceeds the clipped -log(1e-7) = 16.1 bound; jnet must agree."""
    x, _ = _data("binary", rng)
    y = (rng.random(N) > 0.5).astype(np.float32)
    kmodel, jmodel = _pair(keras, 1, "sigmoid", ("SGD", {"learning_rate": 0.0}),
                           "binary_crossentropy", [])
    weights = [w * 40.0 for w in kmodel.get_weights()]
    kmodel.set_weights(weights)
    jmodel.set_weights(weights)
    kloss = kmodel.evaluate(x, y, verbose=0)
    jloss = jmodel.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(jloss, kloss, rtol=1e-4)


def test_sample_weight_and_class_weight(keras, rng):
    x, y = _data("binary", rng)
    sw = rng.uniform(0.2, 2.0, size=N).astype(np.float32)
    for kwargs in ({"sample_weight": sw}, {"class_weight": {0: 1.0, 1: 3.0}}):
        kmodel, jmodel = _pair(keras, 1, "sigmoid", ("RMSprop", {"learning_rate": 0.01}),
                               "binary_crossentropy", ["accuracy"])
        kh = kmodel.fit(x, y, batch_size=BATCH, epochs=3, shuffle=False, verbose=0, **kwargs)
        jh = jmodel.fit(x, y, batch_size=BATCH, epochs=3, shuffle=False, verbose=0, **kwargs)
        _compare(kh, jh, ["loss", "accuracy"])


def test_validation_data_and_second_fit_keeps_optimizer_state(keras, rng):
    x, y = _data("regression", rng)
    kmodel, jmodel = _pair(keras, 1, None, ("Adam", {"learning_rate": 0.01}), "mse", [])
    for _ in range(2):  # the second fit continues Adam's moments and step count
        kh = kmodel.fit(x[:80], y[:80], validation_data=(x[80:], y[80:]), batch_size=BATCH,
                        epochs=2, shuffle=False, verbose=0)
        jh = jmodel.fit(x[:80], y[:80], validation_data=(x[80:], y[80:]), batch_size=BATCH,
                        epochs=2, shuffle=False, verbose=0)
        _compare(kh, jh, ["loss", "val_loss"])


@pytest.mark.parametrize(
    "activation,loss",
    [
        ("softmax", "binary_crossentropy"),  # mismatched: Keras reads pre-softmax as logits
        ("sigmoid", "categorical_crossentropy"),
    ],
)
def test_logits_shortcut_follows_tensorflow_even_when_mismatched(keras, rng, activation, loss):
    x, _ = _data("binary", rng)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, N)]
    kmodel, jmodel = _pair(keras, 3, activation, ("SGD", {"learning_rate": 0.1}), loss, [])
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
    _compare(kh, jh, ["loss"])


def test_from_logits_true_on_sigmoid_output_warns_and_matches_keras(keras, rng):
    x, y = _data("binary", rng)
    kmodel, jmodel = _pair(keras, 1, "sigmoid", ("SGD", {"learning_rate": 0.0}),
                           keras.losses.BinaryCrossentropy(from_logits=True), [])
    jmodel.compile(optimizer="sgd", loss=jnet.losses.BinaryCrossentropy(from_logits=True))
    with pytest.warns(UserWarning, match="from_logits=True"):
        jloss = jmodel.evaluate(x, y, verbose=0)
    with pytest.warns(UserWarning, match="from_logits=True"):  # Keras warns too
        kloss = kmodel.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(jloss, kloss, rtol=1e-5)


@pytest.mark.parametrize(
    ("units", "activation", "metric", "labels"),
    [
        (1, "sigmoid", "binary_crossentropy", "binary"),
        (3, "softmax", "sparse_categorical_crossentropy", "sparse"),
        (3, "softmax", "categorical_crossentropy", "onehot"),
    ],
)
def test_crossentropy_metrics_read_the_logits_as_keras_does(keras, rng, units, activation,
                                                            metric, labels):
    """Saturated outputs: clipped probabilities would give a different (capped) metric."""
    keras.utils.set_random_seed(0)
    x, y = _data(labels, rng)
    kmodel = keras.Sequential([keras.Input((D,)), keras.layers.Dense(units, activation=activation)])
    jmodel = jnet.Sequential([jnet.Input(shape=(D,)), jnet.layers.Dense(units, activation)])
    weights = [w * 40.0 for w in kmodel.get_weights()]  # saturated: probabilities 0 or 1
    kmodel.set_weights(weights)
    jmodel.set_weights(weights)
    for model in (kmodel, jmodel):
        model.compile(optimizer="sgd", loss=metric, metrics=[metric])
    kvalue = kmodel.evaluate(x, y, verbose=0, return_dict=True)[metric]
    jvalue = jmodel.evaluate(x, y, verbose=0, return_dict=True)[metric]
    assert kvalue > 17  # above the clipped cap -log(1e-7) = 16.1: the shortcut is exercised
    np.testing.assert_allclose(jvalue, kvalue, rtol=1e-5)


@pytest.mark.parametrize(
    ("metric", "labels", "units", "activation", "loss"),
    [
        ("F1Score", "onehot", 3, "softmax", "categorical_crossentropy"),
        ("R2Score", "regression", 1, None, "mse"),
        ("AUC", "binary", 1, "sigmoid", "binary_crossentropy"),
    ],
)
def test_metrics_with_per_class_state_train_as_keras(keras, rng, metric, labels, units,
                                                     activation, loss):
    """F1Score and R2Score size their state from the model's output, as Keras builds them."""
    x, y = _data(labels, rng)
    kmodel, jmodel = _pair(keras, units, activation, ("SGD", {"learning_rate": 0.05}), loss, [])
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.05), loss=loss,
                      metrics=[getattr(lib.metrics, metric)()])
    kwargs = dict(epochs=3, batch_size=BATCH, shuffle=False, verbose=0)
    khist = kmodel.fit(x, y, **kwargs).history
    jhist = jmodel.fit(x, y, **kwargs).history
    # Keras numbers repeated default names (auc_26); jnet keeps the plain name.
    kname = next(k for k in khist if k != "loss")
    jname = next(k for k in jhist if k != "loss")
    assert kname.startswith(jname)
    np.testing.assert_allclose(np.ravel(jhist[jname]), np.ravel(khist[kname]), rtol=1e-4, atol=1e-6)
