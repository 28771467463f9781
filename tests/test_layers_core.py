"""Dense and Activation: Keras's outputs, weight layout, defaults, config and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import Activation, Dense


def test_dense_matches_keras_output_and_layout(keras, rng):
    klayer = keras.layers.Dense(5, activation="tanh")
    x = rng.normal(size=(7, 4)).astype(np.float32)
    kout = np.asarray(klayer(x))
    layer = Dense(5, activation="tanh")
    variables = layer.init(jax.random.key(0), jnp.ones((1, 4)))
    assert [w.shape for w in layer.keras_weights(variables)] == [(4, 5), (5,)]
    variables = layer.set_keras_weights(variables, klayer.get_weights())
    np.testing.assert_allclose(layer.apply(variables, x), kout, rtol=1e-5, atol=1e-6)


def test_dense_applies_to_last_axis_of_rank3_inputs(keras, rng):
    klayer = keras.layers.Dense(3)
    x = rng.normal(size=(2, 5, 4)).astype(np.float32)
    kout = np.asarray(klayer(x))
    layer = Dense(3)
    variables = layer.set_keras_weights(
        layer.init(jax.random.key(0), x), klayer.get_weights()
    )
    np.testing.assert_allclose(layer.apply(variables, x), kout, rtol=1e-5, atol=1e-6)


def test_dense_defaults_are_keras_defaults():
    layer = Dense(4)
    assert layer.activation is None and layer.use_bias
    assert layer.kernel_initializer == "glorot_uniform"
    assert layer.bias_initializer == "zeros"
    variables = layer.init(jax.random.key(0), jnp.ones((1, 100)))
    kernel = np.asarray(variables["params"]["kernel"])
    limit = np.sqrt(6.0 / (100 + 4))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit
    assert np.all(np.asarray(variables["params"]["bias"]) == 0)


def test_dense_without_bias_has_one_weight():
    layer = Dense(2, use_bias=False)
    variables = layer.init(jax.random.key(0), jnp.ones((1, 3)))
    assert [w.shape for w in layer.keras_weights(variables)] == [(3, 2)]


def test_dense_accepts_callable_activation():
    layer = Dense(2, activation=jax.nn.relu, kernel_initializer="ones")
    variables = layer.init(jax.random.key(0), jnp.ones((1, 3)))
    out = layer.apply(variables, -jnp.ones((1, 3)))
    np.testing.assert_array_equal(out, np.zeros((1, 2), np.float32))


def test_dense_casts_integer_inputs():
    layer = Dense(1, kernel_initializer="ones")
    variables = layer.init(jax.random.key(0), jnp.ones((1, 2), jnp.int32))
    assert layer.apply(variables, jnp.array([[1, 2]], jnp.int32)).dtype == jnp.float32


@pytest.mark.parametrize("units", [0, -3, 2.5, "4", None, True])
def test_dense_rejects_bad_units(units):
    with pytest.raises(jnet.errors.JnetValueError, match="units must be a positive integer"):
        Dense(units)


def test_dense_rejects_unknown_activation_and_initializer():
    with pytest.raises(ValueError, match="relu"):
        Dense(3, activation="relux")
    with pytest.raises(ValueError, match="glorot_uniform"):
        Dense(3, kernel_initializer="glorot_unifrom")


def test_input_shape_must_be_a_tuple():
    with pytest.raises(TypeError, match=r"input_shape=\(10,\)"):
        Dense(3, input_shape=10)
    with pytest.raises(ValueError, match="positive integers"):
        Dense(3, input_shape=(0,))
    assert Dense(3, input_dim=7).declared_input_shape() == (7,)


def test_set_keras_weights_checks_count_and_shapes():
    layer = Dense(2)
    variables = layer.init(jax.random.key(0), jnp.ones((1, 3)))
    with pytest.raises(ValueError, match="expects 2 weights"):
        layer.set_keras_weights(variables, [np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*\(2, 3\)"):
        layer.set_keras_weights(variables, [np.zeros((2, 3)), np.zeros(2)])


def test_get_config_has_keras_keys():
    config = Dense(3, activation="relu", name="hidden").get_config()
    assert config["units"] == 3 and config["activation"] == "relu"
    assert config["name"] == "hidden" and config["use_bias"] is True


def test_activation_layer_matches_keras(keras, rng):
    x = rng.normal(size=(4, 6)).astype(np.float32)
    for name in ["relu", "softmax", "sigmoid", "elu", "gelu"]:
        kout = np.asarray(keras.layers.Activation(name)(x))
        np.testing.assert_allclose(Activation(name).apply({}, x), kout, rtol=1e-5, atol=1e-6)


def test_layer_is_a_flax_module_usable_inside_linen():
    import flax.linen as nn

    class Net(nn.Module):
        @nn.compact
        def __call__(self, x):
            return Dense(2, activation="relu")(Dense(4)(x))

    variables = Net().init(jax.random.key(0), jnp.ones((1, 3)))
    assert Net().apply(variables, jnp.ones((5, 3))).shape == (5, 2)
