"""Embedding and Masking: Keras's outputs, masks, weights, defaults and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.embedding import Embedding
from jnet.layers.masking import Masking


def _tokens(rng):
    tokens = rng.integers(1, 10, size=(4, 6))
    tokens[1, 4:] = 0
    tokens[2, :2] = 0
    return tokens


@pytest.mark.parametrize("mask_zero", [False, True])
def test_embedding_matches_keras_output_and_mask(keras, rng, mask_zero):
    tokens = _tokens(rng)
    klayer = keras.layers.Embedding(10, 3, mask_zero=mask_zero)
    kout = klayer(tokens)
    layer = Embedding(10, 3, mask_zero=mask_zero)
    variables = layer.set_keras_weights(
        layer.init(jax.random.key(0), tokens), klayer.get_weights()
    )
    assert [w.shape for w in layer.keras_weights(variables)] == [(10, 3)]
    np.testing.assert_array_equal(layer.apply(variables, tokens), np.asarray(kout))
    kmask = klayer.compute_mask(tokens)
    jmask = layer.compute_mask(tokens, None)
    if mask_zero:
        np.testing.assert_array_equal(np.asarray(jmask), np.asarray(kmask))
    else:
        assert jmask is None and kmask is None


def test_embedding_in_sequential_predicts_as_keras(keras, rng):
    tokens = _tokens(rng)
    kmodel = keras.Sequential([keras.Input((6,)), keras.layers.Embedding(10, 3, mask_zero=True)])
    jmodel = jnet.Sequential([jnet.layers.Input((6,)), Embedding(10, 3, mask_zero=True)])
    jmodel.set_weights(kmodel.get_weights())
    np.testing.assert_array_equal(
        jmodel.predict(tokens, verbose=0), kmodel.predict(tokens, verbose=0)
    )
    assert jmodel.count_params() == kmodel.count_params() == 30
    assert jmodel.output_shape == kmodel.output_shape == (None, 6, 3)


def test_integer_inputs_are_used_as_integers():
    layer = Embedding(3, 2, embeddings_initializer="ones")
    variables = layer.init(jax.random.key(0), jnp.zeros((1, 2), jnp.int32))
    table = jnp.arange(6, dtype=jnp.float32).reshape(3, 2)
    variables = layer.set_keras_weights(variables, [table])
    for dtype in (jnp.int32, jnp.uint8, jnp.float32):
        out = layer.apply(variables, jnp.array([[2, 0]], dtype))
        np.testing.assert_array_equal(out, [[[4.0, 5.0], [0.0, 1.0]]])
        assert out.dtype == jnp.float32


def test_out_of_range_indices_are_clamped():
    layer = Embedding(3, 1)
    variables = layer.set_keras_weights(
        layer.init(jax.random.key(0), jnp.zeros((1, 1), jnp.int32)),
        [np.array([[10.0], [11.0], [12.0]], np.float32)],
    )
    out = layer.apply(variables, jnp.array([[-4, 7]]))
    np.testing.assert_array_equal(out[..., 0], [[10.0, 12.0]])


def test_defaults_are_keras_defaults(keras):
    kconfig = keras.layers.Embedding(100, 8).get_config()
    layer = Embedding(100, 8)
    assert layer.mask_zero is kconfig["mask_zero"] is False
    assert layer.embeddings_initializer == "uniform"  # RandomUniform(-0.05, 0.05)
    table = np.asarray(layer.init(jax.random.key(0), jnp.zeros((1, 1)))["params"]["embeddings"])
    assert table.shape == (100, 8)
    assert np.abs(table).max() <= 0.05 and np.abs(table).max() > 0.045
    config = layer.get_config()
    assert config["input_dim"] == 100 and config["output_dim"] == 8
    assert Embedding(5, 2, "zeros", None, None, True).mask_zero  # Keras's positional order


def test_input_dim_is_the_vocabulary_not_an_input_shape():
    model = jnet.Sequential([Embedding(1000, 4, input_shape=(7,))])
    assert model.input_shape == (None, 7) and model.output_shape == (None, 7, 4)
    assert Embedding(10, 2, input_length=5).declared_input_shape() is None  # Keras 3 ignores it


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_dim": 0, "output_dim": 2}, "input_dim must be a positive integer"),
        ({"input_dim": 3.5, "output_dim": 2}, "input_dim must be a positive integer"),
        ({"input_dim": 3, "output_dim": -1}, "output_dim must be a positive integer"),
        ({"input_dim": 3, "output_dim": 2, "embeddings_regularizer": "l3"},
         "embeddings_regularizer: Unknown regularizer"),
        ({"input_dim": 3, "output_dim": 2, "weights": [np.zeros((3, 2))]}, "set_weights"),
    ],
)
def test_embedding_argument_errors(kwargs, match):
    with pytest.raises(jnet.errors.JnetValueError, match=match):
        Embedding(**kwargs)


def test_embedding_requires_both_dimensions():
    with pytest.raises(jnet.errors.JnetTypeError, match="output_dim"):
        Embedding(10)


def test_masking_matches_keras(keras, rng):
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    x[0, 3:] = -1.0
    x[1, :2] = -1.0
    x[2, 1, 0] = -1.0  # only one feature equal: not masked
    klayer = keras.layers.Masking(-1.0)
    layer = Masking(-1.0)
    np.testing.assert_array_equal(layer.apply({}, x), np.asarray(klayer(x)))
    np.testing.assert_array_equal(
        np.asarray(layer.compute_mask(x, None)), np.asarray(klayer.compute_mask(x))
    )


def test_masking_before_lstm_in_sequential_predicts_as_keras(keras, rng):
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    x[0, 3:] = 0.0
    x[1, :2] = 0.0

    def stack(lib):
        return [lib.layers.Masking(), lib.layers.LSTM(3, return_sequences=True),
                lib.layers.Dense(1)]

    kmodel = keras.Sequential([keras.Input((5, 2)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((5, 2)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
