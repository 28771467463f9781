"""SimpleRNN, LSTM, GRU: Keras's outputs, states, masking, weights, training and errors.

Reference numbers come from real TensorFlow Keras (the ``keras`` fixture) run on the same
weights (``set_keras_weights(klayer.get_weights())``); initializer checks use the formulas.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.recurrent import GRU, LSTM, SimpleRNN

B, T, F, U = 4, 6, 3, 4

CONFIGS = {
    "simple_rnn": ("SimpleRNN", {}),
    "lstm": ("LSTM", {}),
    "gru": ("GRU", {}),
    "gru_reset_before": ("GRU", {"reset_after": False}),
}
JNET = {"SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU}


def _mask():
    """Padding at the end (row 1), at the start (row 2), everywhere (row 3), nowhere (row 0)."""
    mask = np.ones((B, T), bool)
    mask[1, 4:] = False
    mask[2, :2] = False
    mask[3, :] = False
    return mask


def _pair(keras, cls, kwargs, x):
    klayer = getattr(keras.layers, cls)(U, **kwargs)
    klayer.build(x.shape)
    layer = JNET[cls](U, **kwargs)
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), klayer.get_weights())
    return klayer, layer, variables


def _close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("masked", [False, True], ids=["unmasked", "masked"])
@pytest.mark.parametrize("go_backwards", [False, True], ids=["forwards", "backwards"])
@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "sequences"])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_matches_keras_outputs_and_states(keras, rng, config, return_sequences, go_backwards,
                                          masked):
    cls, kwargs = CONFIGS[config]
    kwargs = dict(kwargs, return_sequences=return_sequences, go_backwards=go_backwards,
                  return_state=True)
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    mask = _mask() if masked else None
    klayer, layer, variables = _pair(keras, cls, kwargs, x)
    kout = klayer(x, mask=None if mask is None else keras.ops.convert_to_tensor(mask))
    out = layer.apply(variables, x, mask=mask)
    assert isinstance(out, tuple) and len(out) == len(kout) == (3 if cls == "LSTM" else 2)
    for a, b in zip(out, kout, strict=True):
        _close(a, b)


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        ("SimpleRNN", {"activation": "relu", "use_bias": False}),
        ("LSTM", {"use_bias": False, "unit_forget_bias": False}),
        ("LSTM", {"activation": "relu", "recurrent_activation": "hard_sigmoid"}),
        ("GRU", {"use_bias": False}),
        ("GRU", {"use_bias": False, "reset_after": False}),
        ("GRU", {"activation": None, "unroll": True}),
    ],
)
def test_matches_keras_with_other_arguments(keras, rng, cls, kwargs):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    klayer, layer, variables = _pair(keras, cls, dict(kwargs, return_sequences=True), x)
    _close(layer.apply(variables, x), klayer(x))


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_weight_shapes_are_keras_layout(keras, cls):
    x = np.zeros((1, T, F), np.float32)
    klayer, layer, variables = _pair(keras, cls, {}, x)
    assert [w.shape for w in layer.keras_weights(variables)] == [
        w.shape for w in klayer.get_weights()
    ]
    gru_old = GRU(U, reset_after=False)
    shapes = [w.shape for w in gru_old.keras_weights(gru_old.init(jax.random.key(0), x))]
    assert shapes == [(F, 3 * U), (U, 3 * U), (3 * U,)]


def test_initial_state_matches_keras(keras, rng):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    h0, c0 = (rng.normal(size=(B, U)).astype(np.float32) for _ in range(2))
    klayer, layer, variables = _pair(keras, "LSTM", {"return_sequences": True}, x)
    mask = _mask()
    kout = klayer(x, initial_state=[h0, c0], mask=keras.ops.convert_to_tensor(mask))
    _close(layer.apply(variables, x, initial_state=[h0, c0], mask=mask), kout)
    with pytest.raises(jnet.errors.JnetValueError, match="expects 2 initial state"):
        layer.apply(variables, x, initial_state=[h0])


def test_defaults_are_keras_defaults(keras):
    for cls in ("SimpleRNN", "LSTM", "GRU"):
        kconfig = getattr(keras.layers, cls)(U).get_config()
        layer = JNET[cls](U)
        for key in ("activation", "use_bias", "dropout", "recurrent_dropout", "return_sequences",
                    "return_state", "go_backwards", "stateful", "unroll"):
            assert getattr(layer, key) == kconfig[key], (cls, key)
        assert layer.kernel_initializer == "glorot_uniform"
        assert layer.recurrent_initializer == "orthogonal"
        assert layer.bias_initializer == "zeros"
    assert LSTM(U).unit_forget_bias and LSTM(U).recurrent_activation == "sigmoid"
    assert GRU(U).reset_after and GRU(U).recurrent_activation == "sigmoid"


def test_positional_order_is_keras_order():
    assert SimpleRNN(3, "relu").activation == "relu"
    assert LSTM(3, "relu", "tanh", False).use_bias is False
    assert GRU(3, "relu", "tanh").recurrent_activation == "tanh"


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_initializer_statistics(cls):
    units, in_dim = 16, 5
    layer = JNET[cls](units)
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cls]
    params = layer.init(jax.random.key(3), jnp.ones((1, 2, in_dim)))["params"]
    recurrent = np.asarray(params["recurrent_kernel"], np.float64)
    assert recurrent.shape == (units, gates * units)
    # Orthogonal over the whole (units, gates * units) matrix: its rows are orthonormal.
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(units), atol=1e-5)
    kernel = np.asarray(params["kernel"])
    limit = np.sqrt(6.0 / (in_dim + gates * units))  # glorot_uniform
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.8 * limit
    bias = np.asarray(params["bias"])
    if cls == "LSTM":  # unit_forget_bias: the forget gate's slice [units, 2*units) is ones
        np.testing.assert_array_equal(bias[units:2 * units], 1.0)
        np.testing.assert_array_equal(np.delete(bias, np.s_[units:2 * units]), 0.0)
    else:
        np.testing.assert_array_equal(bias, 0.0)
    if cls == "GRU":
        assert bias.shape == (2, 3 * units)


def _text_models(keras, cls, **kwargs):
    def stack(lib):
        return [lib.layers.Embedding(20, 3, mask_zero=True),
                getattr(lib.layers, cls)(U, **kwargs),
                lib.layers.Dense(1, activation="sigmoid")]

    kmodel = keras.Sequential([keras.Input((T,)), *stack(keras)], name="text_model")
    jmodel = jnet.Sequential([jnet.layers.Input((T,)), *stack(jnet)], name="text_model")
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def _tokens(rng, n=B):
    tokens = rng.integers(1, 20, size=(n, T))
    tokens[1::3, 4:] = 0  # padded at the end
    tokens[2::3, :2] = 0  # padded at the start
    return tokens


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_sequential_with_masked_embedding_predicts_as_keras(keras, rng, cls):
    kmodel, jmodel = _text_models(keras, cls)
    tokens = _tokens(rng)
    np.testing.assert_allclose(
        jmodel.predict(tokens, verbose=0), kmodel.predict(tokens, verbose=0),
        rtol=1e-5, atol=1e-5,
    )
    assert jmodel.count_params() == kmodel.count_params()
    assert jmodel.output_shape == kmodel.output_shape


def test_sequential_return_sequences_masked_into_pooling(keras, rng):
    def stack(lib):
        return [lib.layers.Embedding(20, 3, mask_zero=True),
                lib.layers.GRU(U, return_sequences=True),
                lib.layers.Dropout(0.5),  # passes the mask on, inactive in predict
                lib.layers.GlobalAveragePooling1D(),
                lib.layers.Dense(2)]

    kmodel = keras.Sequential([keras.Input((T,)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((T,)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    tokens = _tokens(rng)
    np.testing.assert_allclose(
        jmodel.predict(tokens, verbose=0), kmodel.predict(tokens, verbose=0),
        rtol=1e-5, atol=1e-5,
    )


def _summary_text(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    return "\n".join(lines).rstrip()


def test_summary_of_a_text_model_is_keras_summary(keras):
    keras.backend.clear_session()  # Keras's layer names restart at embedding, lstm, dense
    kmodel, jmodel = _text_models(keras, "LSTM")
    assert _summary_text(jmodel) == _summary_text(kmodel)


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_masked_text_model_trains_as_keras_for_3_epochs(keras, rng, cls):
    # SGD with momentum: Keras's TF Adam gives Embedding (an IndexedSlices gradient with one
    # row per token occurrence) a second moment of sum(g_i**2) instead of (sum g_i)**2, a TF
    # quirk jnet does not copy; the LSTM/GRU themselves train as Keras under Adam (below).
    kmodel, jmodel = _text_models(keras, cls)
    tokens = _tokens(rng, 40)
    y = (tokens[:, 0] > 10).astype(np.float32)
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.SGD(0.5, momentum=0.9),
                      loss="binary_crossentropy")
    kwargs = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
    khist = kmodel.fit(tokens, y, **kwargs).history
    jhist = jmodel.fit(tokens, y, **kwargs).history
    assert khist["loss"][0] - khist["loss"][-1] > 1e-3  # it learns something
    np.testing.assert_allclose(jhist["loss"], khist["loss"], rtol=1e-4)


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_training_on_float_sequences_matches_keras(keras, rng, cls):
    x = rng.normal(size=(24, T, F)).astype(np.float32)
    y = (x[:, :, 0].sum(axis=1) > 0).astype(np.float32)

    def stack(lib):
        return [getattr(lib.layers, cls)(8), lib.layers.Dense(1, activation="sigmoid")]

    kmodel = keras.Sequential([keras.Input((T, F)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((T, F)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="binary_crossentropy")
    kwargs = dict(epochs=3, batch_size=8, shuffle=False, verbose=0)
    np.testing.assert_allclose(
        jmodel.fit(x, y, **kwargs).history["loss"], kmodel.fit(x, y, **kwargs).history["loss"],
        rtol=1e-4,
    )


# -- dropout --------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_dropout_only_in_training_and_deterministic_per_key(rng, cls):
    x = jnp.asarray(rng.normal(size=(B, T, F)).astype(np.float32))
    layer = JNET[cls](U, dropout=0.5, recurrent_dropout=0.3, return_sequences=True)
    plain = JNET[cls](U, return_sequences=True)
    variables = layer.init(jax.random.key(0), x)
    np.testing.assert_array_equal(layer.apply(variables, x), plain.apply(variables, x))

    def train(key):
        return layer.apply(variables, x, training=True, rngs={"dropout": jax.random.key(key)})

    np.testing.assert_array_equal(train(1), train(1))
    assert not np.allclose(train(1), train(2))
    assert not np.allclose(train(1), plain.apply(variables, x))


def test_dropout_mask_is_drawn_once_per_sequence():
    # With an identity kernel, a zero recurrent kernel and a linear activation, the outputs
    # are the dropped inputs: the same mask at every timestep, a different one per sample.
    layer = SimpleRNN(F, activation=None, kernel_initializer="identity",
                      recurrent_initializer="zeros", dropout=0.5, return_sequences=True)
    x = jnp.ones((64, T, F))
    variables = layer.init(jax.random.key(0), x)
    out = np.asarray(layer.apply(variables, x, training=True, rngs={"dropout": jax.random.key(5)}))
    assert set(np.unique(out)) == {0.0, 2.0}
    np.testing.assert_array_equal(out, np.repeat(out[:, :1], T, axis=1))
    assert len({tuple(row) for row in out[:, 0]}) > 1


def test_dropout_in_fit_runs():
    model = jnet.Sequential([jnet.layers.Input((T, F)), LSTM(U, dropout=0.2,
                                                              recurrent_dropout=0.2),
                             jnet.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((8, T, F), np.float32), np.zeros((8, 1), np.float32)
    assert np.isfinite(model.fit(x, y, epochs=1, verbose=0).history["loss"][0])


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_argument_errors(cls):
    layer = JNET[cls]
    for units in (0, -2, 1.5, None, True):
        with pytest.raises(jnet.errors.JnetValueError, match="units must be a positive integer"):
            layer(units)
    for name in ("dropout", "recurrent_dropout"):
        for rate in (-0.1, 1.0, 1.5, "0.2"):
            with pytest.raises(jnet.errors.JnetValueError, match=rf"{name} must be a float in"):
                layer(U, **{name: rate})
    with pytest.raises(jnet.errors.JnetValueError, match="stateful=True is not supported"):
        layer(U, stateful=True)
    with pytest.raises(jnet.errors.JnetValueError, match="kernel_regularizer: Unknown regular"):
        layer(U, kernel_regularizer="l3")
    with pytest.raises(ValueError, match="tanh"):
        layer(U, activation="tanhh")


@pytest.mark.parametrize("shape", [(B, F), (B, T, F, 1)])
def test_rank_error(shape):
    with pytest.raises(jnet.errors.JnetValueError, match=r"rank 3 \(batch, timesteps, features\)"):
        LSTM(U).init(jax.random.key(0), jnp.ones(shape))


def test_return_state_is_an_error_in_sequential():
    with pytest.raises(jnet.errors.JnetValueError, match="return_state=True"):
        jnet.Sequential([jnet.layers.Input((T, F)), LSTM(U, return_state=True)])


def test_compiles_once_per_shape_any_batch_size():
    layer = GRU(U)
    variables = layer.init(jax.random.key(0), jnp.ones((1, T, F)))
    traces = []

    @jax.jit
    def run(v, x):
        traces.append(x.shape)
        return layer.apply(v, x)

    for batch in (2, 5, 2, 5):
        assert run(variables, jnp.ones((batch, T, F))).shape == (batch, U)
    assert traces == [(2, T, F), (5, T, F)]


def test_stacked_simple_rnn_forecaster_trains_as_keras(keras, rng):
    # The Keras course's time-series model: stacked SimpleRNNs, Lambda(x * 100), Huber, SGD.
    x = (rng.normal(size=(40, T, 1)) * 20 + 30).astype(np.float32)
    y = x[:, -1, 0] + rng.normal(size=40).astype(np.float32)

    def stack(lib):
        return [lib.layers.SimpleRNN(8, return_sequences=True), lib.layers.SimpleRNN(8),
                lib.layers.Dense(1), lib.layers.Lambda(lambda v: v * 100.0)]

    kmodel = keras.Sequential([keras.Input((T, 1)), *stack(keras)])
    jmodel = jnet.Sequential([jnet.layers.Input((T, 1)), *stack(jnet)])
    jmodel.set_weights(kmodel.get_weights())
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(loss=lib.losses.Huber(),
                      optimizer=lib.optimizers.SGD(learning_rate=5e-5, momentum=0.9))
    kwargs = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(
        jmodel.fit(x, y, **kwargs).history["loss"], kmodel.fit(x, y, **kwargs).history["loss"],
        rtol=1e-4,
    )
