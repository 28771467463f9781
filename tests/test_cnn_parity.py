"""CNN parity with real TensorFlow Keras: outputs, summary, and 3 epochs of training.

The model is built in both, Keras's initial weights are copied into jnet, and both train with
``shuffle=False`` (no dropout: its masks cannot match across frameworks).
"""

import numpy as np
import pytest

import jnet

N, BATCH = 90, 16  # 90 % 16 = 10: a partial last batch every epoch


def _layers(lib, batch_norm):
    L = lib.layers
    stack = [
        L.Conv2D(4, 3, activation="relu", padding="same"),
        L.MaxPooling2D(),
        L.Conv2D(6, (3, 3), strides=1, activation="relu"),
    ]
    if batch_norm:
        stack.append(L.BatchNormalization())
    stack += [
        L.AveragePooling2D(pool_size=(2, 2), padding="same"),
        L.Flatten(),
        L.Dense(12, activation="relu"),
        L.Dense(3, activation="softmax"),
    ]
    return stack


def _pair(keras, batch_norm=False, optimizer=("Adam", {"learning_rate": 0.01})):
    keras.utils.set_random_seed(0)
    kmodel = keras.Sequential([keras.Input((10, 10, 1)), *_layers(keras, batch_norm)])
    jmodel = jnet.Sequential([jnet.Input(shape=(10, 10, 1)), *_layers(jnet, batch_norm)])
    name, kwargs = optimizer
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(
            optimizer=getattr(lib.optimizers, name)(**kwargs),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def _data(rng):
    x = rng.normal(size=(N, 10, 10, 1)).astype(np.float32)
    y = (x[:, :5].mean(axis=(1, 2, 3)) > 0).astype(np.int32) + (
        x[:, :, :5].mean(axis=(1, 2, 3)) > 0.1
    ).astype(np.int32)
    return x, y


@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "batchnorm"])
def test_cnn_predicts_as_keras(keras, rng, batch_norm):
    kmodel, jmodel = _pair(keras, batch_norm)
    x, _ = _data(rng)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert jmodel.output_shape == kmodel.output_shape
    assert jmodel.count_params() == kmodel.count_params()


@pytest.mark.parametrize(
    "optimizer",
    [("Adam", {"learning_rate": 0.01}), ("SGD", {"learning_rate": 0.05, "momentum": 0.9})],
    ids=["adam", "sgd-momentum"],
)
@pytest.mark.parametrize("batch_norm", [False, True], ids=["plain", "batchnorm"])
def test_cnn_trains_as_keras_for_3_epochs(keras, rng, batch_norm, optimizer):
    kmodel, jmodel = _pair(keras, batch_norm, optimizer)
    x, y = _data(rng)
    kwargs = dict(epochs=3, batch_size=BATCH, shuffle=False, verbose=0, validation_split=0.2)
    khist = kmodel.fit(x, y, **kwargs).history
    jhist = jmodel.fit(x, y, **kwargs).history
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-4, atol=1e-6, err_msg=key)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-3, atol=1e-5)


def _summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    return "\n".join(lines).rstrip()


def test_summary_prints_what_keras_prints(keras):
    keras.backend.clear_session()  # Keras's layer names restart at conv2d, as jnet's do
    kmodel, jmodel = _pair(keras, batch_norm=True)
    ktext, jtext = _summary_text(kmodel), _summary_text(jmodel)
    assert "(BatchNormalization)" in ktext and "Non-trainable params: 12" in ktext
    assert jtext == ktext
