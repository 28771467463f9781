"""Bidirectional and TimeDistributed: Keras's outputs, weight order, masks and errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import GRU, LSTM, Dense, SimpleRNN
from jnet.layers.wrappers import Bidirectional, TimeDistributed

B, T, F, U = 4, 6, 3, 4


def _tokens(rng):
    tokens = rng.integers(1, 20, size=(B, T))
    tokens[1, 4:] = 0  # padded at the end
    tokens[2, :2] = 0  # padded at the start
    return tokens


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "sequences"])
@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_masked_bidirectional_in_sequential_predicts_as_keras(keras, rng, merge_mode, cls,
                                                              return_sequences):
    def stack(lib):
        return [lib.layers.Embedding(20, F, mask_zero=True),
                lib.layers.Bidirectional(getattr(lib.layers, cls)(U,
                                                                  return_sequences=return_sequences),
                                         merge_mode=merge_mode)]

    kmodel = keras.Sequential([keras.Input((T,)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((T,)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    tokens = _tokens(rng)
    _close(jmodel.predict(tokens, verbose=0), kmodel.predict(tokens, verbose=0))
    assert jmodel.count_params() == kmodel.count_params()
    assert jmodel.output_shape == kmodel.output_shape


@pytest.mark.parametrize("merge_mode", ["concat", None])
def test_direct_call_with_states_and_mask_matches_keras(keras, rng, merge_mode):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    mask = np.ones((B, T), bool)
    mask[1, 4:] = False
    mask[2, :3] = False
    klayer = keras.layers.Bidirectional(
        keras.layers.LSTM(U, return_sequences=True, return_state=True), merge_mode=merge_mode
    )
    kout = klayer(x, mask=keras.ops.convert_to_tensor(mask))
    layer = Bidirectional(LSTM(U, return_sequences=True, return_state=True),
                          merge_mode=merge_mode)
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), klayer.get_weights())
    out = layer.apply(variables, x, mask=mask)
    assert len(out) == len(kout) == (5 if merge_mode == "concat" else 6)
    for a, b in zip(out, kout, strict=True):
        _close(a, b)


def test_weights_are_forward_then_backward(keras):
    x = np.zeros((1, T, F), np.float32)
    klayer = keras.layers.Bidirectional(keras.layers.GRU(U))
    klayer.build(x.shape)
    layer = Bidirectional(GRU(U))
    variables = layer.init(jax.random.key(0), x)
    assert set(variables["params"]) == {"forward_gru", "backward_gru"}
    assert [w.shape for w in layer.keras_weights(variables)] == [
        w.shape for w in klayer.get_weights()
    ]
    weights = [np.full(w.shape, i, np.float32) for i, w in enumerate(klayer.get_weights())]
    variables = layer.set_keras_weights(variables, weights)
    assert float(variables["params"]["forward_gru"]["kernel"][0, 0]) == 0.0
    assert float(variables["params"]["backward_gru"]["kernel"][0, 0]) == 3.0


def test_custom_backward_layer_matches_keras(keras, rng):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    klayer = keras.layers.Bidirectional(
        keras.layers.LSTM(U, return_sequences=True),
        backward_layer=keras.layers.SimpleRNN(2, return_sequences=True, go_backwards=True),
    )
    kout = klayer(x)
    layer = Bidirectional(LSTM(U, return_sequences=True),
                          backward_layer=SimpleRNN(2, return_sequences=True, go_backwards=True))
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), klayer.get_weights())
    _close(layer.apply(variables, x), kout)


def test_bidirectional_summary_equals_keras(keras):
    keras.backend.clear_session()

    def stack(lib):
        return [lib.layers.Embedding(50, 8, mask_zero=True),
                lib.layers.Bidirectional(lib.layers.LSTM(6)),
                lib.layers.Dense(1, activation="sigmoid")]

    kmodel = keras.Sequential([keras.Input((10,)), *stack(keras)], name="text")
    jmodel = jnet.Sequential([jnet.layers.Input((10,)), *stack(jnet)], name="text")

    def text(model):
        lines = []
        model.summary(print_fn=lambda line, *a, **k: lines.append(line))
        return "\n".join(lines).rstrip()

    assert text(jmodel) == text(kmodel)


def test_bidirectional_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="must be a recurrent layer"):
        Bidirectional(Dense(3))
    with pytest.raises(jnet.errors.JnetValueError, match="merge_mode must be one of"):
        Bidirectional(LSTM(3), merge_mode="max")
    with pytest.raises(jnet.errors.JnetValueError, match="different go_backwards"):
        Bidirectional(LSTM(3), backward_layer=LSTM(3))
    with pytest.raises(jnet.errors.JnetValueError, match="same return_sequences"):
        Bidirectional(LSTM(3), backward_layer=LSTM(3, go_backwards=True,
                                                   return_sequences=True))
    with pytest.raises(jnet.errors.JnetValueError, match="merge_mode=None"):
        jnet.Sequential([jnet.layers.Input((T, F)), Bidirectional(LSTM(3), merge_mode=None)])


def test_time_distributed_dense_matches_keras(keras, rng):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    klayer = keras.layers.TimeDistributed(keras.layers.Dense(2, activation="relu"))
    kout = klayer(x)
    layer = TimeDistributed(Dense(2, activation="relu"))
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), klayer.get_weights())
    _close(layer.apply(variables, x), kout)

    kmodel = keras.Sequential([keras.Input((T, F)),
                               keras.layers.TimeDistributed(keras.layers.Dense(2))])
    jmodel = jnet.Sequential([jnet.layers.Input((T, F)), TimeDistributed(Dense(2))])
    jmodel.set_weights(kmodel.get_weights())
    _close(jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0))
    assert jmodel.count_params() == kmodel.count_params() == 8
    assert jmodel.output_shape == kmodel.output_shape == (None, T, 2)


def test_time_distributed_passes_the_mask_to_a_sequence_lstm(keras, rng):
    def stack(lib):
        return [lib.layers.Embedding(20, F, mask_zero=True),
                lib.layers.TimeDistributed(lib.layers.Dense(5)),
                lib.layers.LSTM(U)]

    kmodel = keras.Sequential([keras.Input((T,)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((T,)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    tokens = _tokens(rng)
    _close(jmodel.predict(tokens, verbose=0), kmodel.predict(tokens, verbose=0))


def test_time_distributed_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="must be a jnet layer"):
        TimeDistributed(lambda x: x)
    with pytest.raises(jnet.errors.JnetValueError, match="rank >= 3"):
        TimeDistributed(Dense(2)).init(jax.random.key(0), jnp.ones((2, 3)))
