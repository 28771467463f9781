"""RNN(cell), the cells, StackedRNNCells, a user's Keras-style cell and ConvLSTM1D/2D/3D:
outputs and states equal Keras's (TensorFlow backend) on copied weights, one short fit follows
Keras's loss trajectory, configs round-trip, and bad input gives jnet errors."""

import jax
import numpy as np
import pytest

import jnet

B, T, F, U = 3, 5, 4, 3


def _mask():
    mask = np.ones((B, T), bool)
    mask[1, 3:] = False
    mask[2, :2] = False
    return mask


def _close(actual, expected, tol=1e-5):
    a = [np.asarray(x) for x in (actual if isinstance(actual, list | tuple) else [actual])]
    e = [np.asarray(x) for x in (expected if isinstance(expected, list | tuple) else [expected])]
    assert len(a) == len(e)
    for x, y in zip(a, e, strict=True):
        np.testing.assert_allclose(x, y, rtol=tol, atol=tol)


def _minimal_cell(lib):
    """The custom cell of Keras's ``RNN`` docstring / "Working with RNNs" guide, written
    against ``lib`` (keras or jnet): only the import differs."""

    class MinimalRNNCell(lib.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(
                shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
            self.recurrent_kernel = self.add_weight(
                shape=(self.units, self.units), initializer="uniform",
                name="recurrent_kernel")

        def call(self, inputs, states):
            prev_output = states[0]
            h = lib.ops.matmul(inputs, self.kernel)
            output = h + lib.ops.matmul(prev_output, self.recurrent_kernel)
            return output, [output]

    return MinimalRNNCell


#: One Keras model per row: a cell (or cells) and the RNN options it is checked with.
CASES = {
    "simple": (lambda lib: lib.layers.SimpleRNNCell(U),
               {"return_sequences": True, "go_backwards": True}),
    "lstm": (lambda lib: lib.layers.LSTMCell(U), {"mask": True}),
    "gru": (lambda lib: lib.layers.GRUCell(U), {"return_sequences": True}),
    "gru_reset_before": (lambda lib: lib.layers.GRUCell(U, reset_after=False),
                         {"mask": True, "zero_output_for_mask": True,
                          "return_sequences": True}),
    "stacked": (lambda lib: [lib.layers.LSTMCell(U), lib.layers.SimpleRNNCell(2)],
                {"mask": True, "return_sequences": True}),
    "custom": (lambda lib: _minimal_cell(lib)(U), {"go_backwards": True}),
    "custom_stacked": (lambda lib: lib.layers.StackedRNNCells(
        [_minimal_cell(lib)(U), lib.layers.GRUCell(2)]), {}),
}
CELLS = {name: make for name, (make, _) in CASES.items()}


def _pair(keras, name, kwargs, x, initial_state=None):
    kl = keras.layers.RNN(CELLS[name](keras), return_state=True, **kwargs)
    jl = jnet.layers.RNN(CELLS[name](jnet), return_state=True, **kwargs)
    kl(x, initial_state=initial_state)
    jl(x, initial_state=initial_state)
    jl.set_weights(kl.get_weights())
    return kl, jl


@pytest.mark.parametrize("name", list(CASES))
def test_rnn_of_each_cell_matches_keras(keras, rng, name):
    kwargs = dict(CASES[name][1])
    mask = _mask() if kwargs.pop("mask", False) else None
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    kl, jl = _pair(keras, name, kwargs, x)
    assert [w.shape for w in jl.get_weights()] == [tuple(w.shape) for w in kl.get_weights()]
    expected = kl(x, mask=mask)
    actual = jl(x, mask=mask)
    _close(keras.tree.flatten(actual), [np.asarray(t) for t in keras.tree.flatten(expected)])


def test_initial_state_matches_keras(keras, rng):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    state = [rng.normal(size=(B, U)).astype(np.float32) for _ in range(2)]
    kl, jl = _pair(keras, "lstm", {}, x, state)
    _close(jl(x, initial_state=state), [np.asarray(t) for t in kl(x, initial_state=state)])


@pytest.mark.parametrize("cell, layer", [("SimpleRNNCell", "SimpleRNN"), ("LSTMCell", "LSTM"),
                                         ("GRUCell", "GRU")])
def test_rnn_of_a_cell_equals_the_builtin_layer(rng, cell, layer):
    x = rng.normal(size=(B, T, F)).astype(np.float32)
    builtin = getattr(jnet.layers, layer)(U, return_sequences=True)
    variables = builtin.init(jax.random.key(1), x)
    rnn = jnet.layers.RNN(getattr(jnet.layers, cell)(U), return_sequences=True)
    rnn(x)
    rnn.set_weights(builtin.keras_weights(variables))
    _close(rnn(x), builtin.apply(variables, x))


def test_fit_follows_keras_for_two_epochs(keras, rng):
    x = rng.normal(size=(8, T, F)).astype(np.float32)
    y = rng.normal(size=(8, 1)).astype(np.float32)

    def build(lib):
        model = lib.Sequential([
            lib.layers.Input((T, F)),
            lib.layers.RNN([lib.layers.GRUCell(U), lib.layers.LSTMCell(U)]),
            lib.layers.Dense(1)])
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        return model

    km, jm = build(keras), build(jnet)
    jm.set_weights(km.get_weights())
    kh = km.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    jh = jm.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(jh, kh, rtol=1e-5, atol=1e-6)
    _close(jm.get_weights(), km.get_weights(), 1e-5)


def test_cell_dropout_only_in_training_and_one_mask_per_sequence(rng):
    x = np.ones((2, 4, 3), np.float32)
    rnn = jnet.layers.RNN(jnet.layers.SimpleRNNCell(
        3, dropout=0.5, recurrent_dropout=0.5, recurrent_initializer="zeros",
        kernel_initializer="ones", activation=None, seed=1), return_sequences=True)
    plain = np.asarray(rnn(x))
    np.testing.assert_allclose(plain, np.full((2, 4, 3), 3.0))
    dropped = np.asarray(rnn(x, training=True))
    # recurrent kernel 0: each step's output is the same masked input projection
    assert not np.allclose(dropped, plain)
    np.testing.assert_allclose(dropped, np.broadcast_to(dropped[:, :1], dropped.shape))


@pytest.mark.parametrize("name", ["lstm", "stacked", "custom"])
def test_config_round_trip(name):
    layer = jnet.layers.RNN(CELLS[name](jnet), return_sequences=True, go_backwards=True,
                            name="r")
    config = layer.get_config()
    custom = {"MinimalRNNCell": type(layer.cell)} if name == "custom" else None
    again = jnet.layers.RNN.from_config(config, custom_objects=custom)
    assert again.get_config() == config
    assert config["cell"]["class_name"] == type(layer.cell).__name__


def test_cell_configs_match_keras(keras):
    for name in ("SimpleRNNCell", "LSTMCell", "GRUCell"):
        kc = getattr(keras.layers, name)(U, dropout=0.1).get_config()
        jc = getattr(jnet.layers, name)(U, dropout=0.1).get_config()
        assert set(jc) == set(kc), name
        assert {k: jc[k] for k in ("units", "dropout", "use_bias", "activation")} == {
            k: kc[k] for k in ("units", "dropout", "use_bias", "activation")}
    kc = keras.layers.ConvLSTM2D(2, 3).get_config()
    jc = jnet.layers.ConvLSTM2D(2, 3).get_config()
    assert set(jc) == set(kc)
    again = jnet.layers.ConvLSTM2D.from_config(jc)
    assert again.get_config() == jc


CONV = {
    "1d": ("ConvLSTM1D", (B, 3, 7, 2), {"strides": 2}),
    "2d": ("ConvLSTM2D", (2, 3, 5, 6, 2), {"padding": "same", "return_sequences": True}),
    "3d": ("ConvLSTM3D", (1, 2, 3, 3, 3, 1), {"padding": "same", "go_backwards": True}),
}


@pytest.mark.parametrize("case", list(CONV))
def test_conv_lstm_matches_keras(keras, rng, case):
    cls, shape, kwargs = CONV[case]
    x = rng.normal(size=shape).astype(np.float32)
    kl = getattr(keras.layers, cls)(3, 3, return_state=True, **kwargs)
    jl = getattr(jnet.layers, cls)(3, 3, return_state=True, **kwargs)
    expected = kl(x)
    jl(x)
    assert [w.shape for w in jl.get_weights()] == [tuple(w.shape) for w in kl.get_weights()]
    jl.set_weights(kl.get_weights())
    _close(jl(x), [np.asarray(t) for t in expected])


def test_conv_lstm_channels_first_is_channels_last_transposed(keras, rng):
    """Keras's TensorFlow backend has no channels-first convolution on CPU: compare with its
    channels-last layer on transposed inputs."""
    x = rng.normal(size=(2, 3, 6, 5, 2)).astype(np.float32)
    kl = keras.layers.ConvLSTM2D(3, 3, dilation_rate=2, return_sequences=True)
    expected = np.asarray(kl(x))
    jl = jnet.layers.ConvLSTM2D(3, 3, dilation_rate=2, return_sequences=True,
                                data_format="channels_first")
    first = np.moveaxis(x, -1, 2)
    jl(first)
    jl.set_weights(kl.get_weights())
    _close(np.moveaxis(np.asarray(jl(first)), 2, -1), expected)


class _NoStateSize(jnet.layers.Layer):
    def call(self, inputs, states):
        return inputs, states


def test_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="state_size"):
        jnet.layers.RNN(_NoStateSize())
    with pytest.raises(jnet.errors.JnetValueError, match="rank 3"):
        jnet.layers.RNN(jnet.layers.LSTMCell(3))(np.ones((2, 4), np.float32))
    with pytest.raises(jnet.errors.JnetValueError, match="rank 5"):
        jnet.layers.ConvLSTM2D(2, 3)(np.ones((2, 3, 4, 4), np.float32))
    with pytest.raises(jnet.errors.JnetValueError, match="initial_state"):
        jnet.layers.RNN(jnet.layers.LSTMCell(3))(np.ones((2, 4, 3), np.float32),
                                                 initial_state=[np.zeros((2, 3))])
    with pytest.raises(jnet.errors.JnetValueError, match="stateful"):
        jnet.layers.RNN(jnet.layers.LSTMCell(3), stateful=True)
    with pytest.raises(jnet.errors.JnetValueError, match="units"):
        jnet.layers.LSTMCell(0)
