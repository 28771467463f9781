"""The new losses inside fit/evaluate: jnet against TensorFlow Keras, same weights, same data.

This is where the TensorFlow backend's logits shortcut shows: on a sigmoid output Keras computes
binary focal crossentropy's crossentropy term from the pre-activation logits (no clipping), but
categorical focal crossentropy from the clipped softmax probabilities.
"""

import numpy as np
import pytest

import jnet

N, D, EPOCHS, BATCH = 64, 5, 3, 16


def _pair(keras, units_out, activation, loss_factory):
    keras.utils.set_random_seed(0)
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
    kmodel.compile(optimizer=keras.optimizers.SGD(0.05), loss=loss_factory(keras.losses))
    jmodel.compile(optimizer=jnet.optimizers.SGD(0.05), loss=loss_factory(jnet.losses))
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def _data(kind, rng):
    x = rng.normal(size=(N, D)).astype(np.float32)
    if kind == "binary":
        return x, (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype(np.float32)
    if kind == "onehot":
        return x, np.eye(3, dtype=np.float32)[np.argmax(x[:, :3], axis=1)]
    if kind == "positive":
        return x, np.abs(x[:, :2] + 0.3).astype(np.float32)
    return x, (x[:, :2] * 0.7 + 0.1).astype(np.float32)


CASES = [
    ("binary", 1, "sigmoid", lambda m: m.BinaryFocalCrossentropy()),
    ("binary", 1, "sigmoid", lambda m: m.BinaryFocalCrossentropy(apply_class_balancing=True)),
    ("binary", 1, "sigmoid", lambda m: m.BinaryFocalCrossentropy(from_logits=True)),
    ("binary", 1, None, lambda m: m.BinaryFocalCrossentropy(from_logits=True, gamma=1.0)),
    ("binary", 1, "sigmoid", lambda m: "binary_focal_crossentropy"),
    ("onehot", 3, "softmax", lambda m: m.CategoricalFocalCrossentropy()),
    ("onehot", 3, None, lambda m: m.CategoricalFocalCrossentropy(from_logits=True)),
    ("onehot", 3, "softmax", lambda m: "categorical_focal_crossentropy"),
    ("onehot", 3, "softmax", lambda m: "kld"),
    ("onehot", 3, None, lambda m: m.CategoricalHinge()),
    ("binary", 1, "tanh", lambda m: "hinge"),
    ("binary", 1, "tanh", lambda m: m.SquaredHinge()),
    ("positive", 2, "softplus", lambda m: "poisson"),
    ("positive", 2, None, lambda m: "mape"),
    ("positive", 2, "relu", lambda m: "msle"),
    ("real", 2, None, lambda m: m.LogCosh()),
    ("real", 2, None, lambda m: m.CosineSimilarity()),
    ("binary", 1, "sigmoid", lambda m: m.Dice()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[2]}-{c[3](jnet.losses)}")
def test_fit_matches_keras(keras, rng, case):
    kind, units, activation, loss_factory = case
    x, y = _data(kind, rng)
    kmodel, jmodel = _pair(keras, units, activation, loss_factory)
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-5, atol=1e-6
    )


def test_focal_on_saturated_sigmoid_uses_logits_like_tensorflow(keras, rng):
    """Large weights saturate the sigmoid: Keras computes the focal loss's crossentropy term from
    the logits (no 1e-7 clip), and jnet agrees; categorical focal stays clipped in both."""
    x, y = _data("binary", rng)
    y = (rng.random((N, 1)) > 0.5).astype(np.float32)
    for factory in (lambda m: m.BinaryFocalCrossentropy(gamma=0.5), lambda m: "bce"):
        kmodel, jmodel = _pair(keras, 1, "sigmoid", factory)
        weights = [w * 40.0 for w in kmodel.get_weights()]
        kmodel.set_weights(weights)
        jmodel.set_weights(weights)
        np.testing.assert_allclose(
            jmodel.evaluate(x, y, verbose=0), kmodel.evaluate(x, y, verbose=0), rtol=1e-5
        )
