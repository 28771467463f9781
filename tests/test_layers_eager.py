"""Eager calls of built-in layers (jnet.layers._eager): a layer called on arrays outside a
model builds on its first call, keeps its weights, and returns what Keras's returns."""

import numpy as np
import pytest

import jnet
from jnet import errors

CASES = [
    ("Dense", lambda k: k.layers.Dense(3, activation="relu"), (2, 4), "float32"),
    ("Conv2D", lambda k: k.layers.Conv2D(2, 3, padding="same"), (2, 5, 5, 3), "float32"),
    ("LSTM", lambda k: k.layers.LSTM(4, return_sequences=True), (2, 6, 3), "float32"),
    ("BatchNormalization", lambda k: k.layers.BatchNormalization(), (4, 3), "float32"),
    ("Embedding", lambda k: k.layers.Embedding(10, 4), (2, 5), "int32"),
]


def _inputs(shape, dtype, rng):
    if dtype == "int32":
        return rng.integers(0, 10, size=shape).astype("int32")
    return rng.normal(size=shape).astype("float32")


@pytest.mark.parametrize("name, make, shape, dtype", CASES, ids=[c[0] for c in CASES])
def test_eager_call_matches_keras(keras, rng, name, make, shape, dtype):
    x = _inputs(shape, dtype, rng)
    k_layer = make(keras)
    k_out = np.asarray(k_layer(x))
    j_layer = make(jnet)
    j_out = j_layer(x)
    assert tuple(j_out.shape) == k_out.shape
    j_layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(np.asarray(j_layer(x)), k_out, rtol=1e-5, atol=1e-5)
    assert [w.shape for w in j_layer.get_weights()] == [w.shape for w in k_layer.get_weights()]


def test_batch_norm_training_call_updates_moving_stats_as_keras(keras, rng):
    x = rng.normal(size=(8, 3)).astype("float32") * 3 + 1
    k_layer = keras.layers.BatchNormalization()
    j_layer = jnet.layers.BatchNormalization()
    k_out = np.asarray(k_layer(x, training=True))
    j_out = np.asarray(j_layer(x, training=True))
    np.testing.assert_allclose(j_out, k_out, rtol=1e-5, atol=1e-5)
    for a, b in zip(j_layer.get_weights(), k_layer.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_weights_are_variables_kept_by_the_layer():
    layer = jnet.layers.Dense(2, kernel_initializer="ones")
    layer(np.ones((1, 3), "float32"))
    weights = layer.weights
    assert all(isinstance(w, jnet.Variable) for w in weights)
    assert [w.path for w in weights] == ["dense/kernel", "dense/bias"]
    weights[0].assign(np.full((3, 2), 2.0, "float32"))
    assert np.asarray(layer(np.ones((1, 3), "float32"))).tolist() == [[6.0, 6.0]]
    assert len(layer.trainable_weights) == 2 and layer.non_trainable_weights == []


def test_eager_dropout_only_in_training():
    layer = jnet.layers.Dropout(0.5)
    x = np.ones((4, 50), "float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    y = np.asarray(layer(x, training=True))
    assert 0 < (y == 0).mean() < 1


def test_eagerly_called_layer_still_works_in_a_model(rng):
    layer = jnet.layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    model = jnet.Sequential([jnet.Input((3,)), layer])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rng.normal(size=(8, 3)).astype("float32"), np.zeros((8, 2), "float32"),
              epochs=1, verbose=0)
    assert [w.shape for w in layer.get_weights()] == [(3, 2), (2,)]


def test_eager_call_on_wrong_shape_is_a_jnet_error():
    layer = jnet.layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(errors.JnetValueError, match=r"'dense' \(Dense\) cannot be called on "
                       r"inputs of shape \(1, 4\)"):
        layer(np.ones((1, 4), "float32"))
    with pytest.raises(errors.JnetValueError, match="Conv2D expects inputs of rank 4"):
        jnet.layers.Conv2D(2, 3)(np.ones((2, 3), "float32"))


def test_set_weights_wrong_count_after_eager_call():
    layer = jnet.layers.Dense(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(errors.JnetValueError, match="expects 2 weights"):
        layer.set_weights([np.ones((3, 2), "float32")])
