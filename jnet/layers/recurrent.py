"""Keras's recurrent layers: SimpleRNN, LSTM and GRU, run under ``jax.lax.scan``.

Weights are stored in Keras's layout, so ``set_weights(keras_layer.get_weights())`` copies
them unchanged: ``kernel`` (input_dim, G*units), ``recurrent_kernel`` (units, G*units) and
``bias`` (G*units,) -- or (2, 3*units) for GRU with ``reset_after=True`` (row 0 the input
bias, row 1 the recurrent bias). Gate blocks: LSTM [i, f, c, o], GRU [z, r, h].

Every layer takes ``(inputs, training=False, mask=None, initial_state=None)``; ``mask`` is a
``(batch, timesteps)`` boolean array (a ``Sequential`` passes the one made by
``Embedding(mask_zero=True)`` or ``Masking``).

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.recurrent import LSTM
    >>> layer = LSTM(4, return_sequences=True)
    >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 5, 3)))
    >>> layer.apply(variables, jnp.ones((2, 5, 3))).shape
    (2, 5, 4)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp

from jnet import _typing, activations, initializers
from jnet.layers._rnn_base import RNNBase
from jnet.layers._rnn_steps import gru_step, lstm_step, simple_step

__all__ = ["GRU", "LSTM", "SimpleRNN"]


class SimpleRNN(RNNBase):
    """Fully-connected RNN: ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``.

    Args:
        units: positive integer, dimensionality of the output (and state).
        activation: default ``'tanh'``; None is linear.
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint: Keras's weight
            penalties (added to the loss) and projections (after each update).
        dropout: fraction of the inputs to drop, in [0, 1); one mask per sequence.
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1).
        return_sequences: return the whole output sequence (batch, timesteps, units)
            instead of the last output (batch, units). Default False.
        return_state: also return the final state: ``(output, h)``. Default False.
        go_backwards: process the sequence backwards and return the reversed sequence.
        stateful: only False (jnet layers keep no state between calls).
        unroll: unroll the scan (faster for short sequences, slower to compile).
        seed: accepted for Keras compatibility; masks come from the ``'dropout'`` rng.
        zero_output_for_mask: keyword-only; with a mask, the sequence output is zeros at
            masked steps instead of the last unmasked step's output. Default False.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Input((10, 3)), SimpleRNN(4)])
        >>> model.output_shape, model.count_params()
        ((None, 4), 32)
    """

    units: int
    activation: _typing.Activation = "tanh"
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    recurrent_initializer: _typing.Initializer = "orthogonal"
    bias_initializer: _typing.Initializer = "zeros"
    kernel_regularizer: _typing.Regularizer = None
    recurrent_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    recurrent_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    return_sequences: bool = False
    return_state: bool = False
    go_backwards: bool = False
    stateful: bool = False
    unroll: bool = False
    seed: Any = None

    GATES: ClassVar[int] = 1
    N_STATES: ClassVar[int] = 1

    def __post_init__(self):
        self._check_common()
        super().__post_init__()

    @nn.nowrap
    def _make_weights(self, in_dim, units):
        kernel, recurrent_kernel = self._kernels(in_dim, units)
        return kernel, recurrent_kernel, self._bias((units,))

    @nn.nowrap
    def _fast_kind(self):
        return "simple" if activations.get(self.activation) is activations.tanh else None

    @nn.nowrap
    def _step_fn(self, recurrent_kernel, bias, rec_mask, units):
        return simple_step(activations.get(self.activation), recurrent_kernel, rec_mask)


class LSTM(RNNBase):
    """Long Short-Term Memory (Hochreiter 1997), Keras's formulation.

    ``z = x_t @ kernel + bias + h @ recurrent_kernel`` split into [i, f, c, o];
    ``c' = sigmoid(f) * c + sigmoid(i) * tanh(z_c)``; ``h' = sigmoid(o) * tanh(c')``.
    States are ``[h, c]``.

    Args:
        units: positive integer, dimensionality of the output (and of h and c).
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'`` (the true sigmoid, as Keras 3).
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``, over the whole
            (units, 4*units) matrix as Keras does.
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: default True: the forget-gate slice of the bias starts at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint: weight penalties and
            projections, as Keras.
        dropout: input dropout rate in [0, 1), one mask per sequence (per gate when
            ``recurrent_dropout > 0``, as Keras's implementation 1).
        recurrent_dropout: recurrent-state dropout rate in [0, 1).
        seed: accepted for Keras compatibility; masks come from the ``'dropout'`` rng.
        zero_output_for_mask: keyword-only; with a mask, the sequence output is zeros at
            masked steps instead of the last unmasked step's output. Default False.
        return_sequences: default False.
        return_state: also return the final states: ``(output, h, c)``.
        go_backwards: default False.
        stateful: only False.
        unroll: default False.
        use_cudnn: accepted ('auto', True, False) and ignored.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Input((50, 8)), LSTM(64)])
        >>> model.count_params()  # 4 * (8 * 64 + 64 * 64 + 64)
        18688
    """

    units: int
    activation: _typing.Activation = "tanh"
    recurrent_activation: _typing.Activation = "sigmoid"
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    recurrent_initializer: _typing.Initializer = "orthogonal"
    bias_initializer: _typing.Initializer = "zeros"
    unit_forget_bias: bool = True
    kernel_regularizer: _typing.Regularizer = None
    recurrent_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    recurrent_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    seed: Any = None
    return_sequences: bool = False
    return_state: bool = False
    go_backwards: bool = False
    stateful: bool = False
    unroll: bool = False
    use_cudnn: Any = "auto"

    GATES: ClassVar[int] = 4
    N_STATES: ClassVar[int] = 2

    def __post_init__(self):
        self._check_common()
        super().__post_init__()

    @nn.nowrap
    def _make_weights(self, in_dim, units):
        kernel, recurrent_kernel = self._kernels(in_dim, units)
        init = initializers.get(self.bias_initializer)
        if self.unit_forget_bias:
            ones = initializers.get("ones")

            def bias_init(key, shape, dtype=jnp.float32):
                return jnp.concatenate(
                    [init(key, (units,), dtype), ones(key, (units,), dtype),
                     init(key, (2 * units,), dtype)]
                )

            return kernel, recurrent_kernel, self._bias((4 * units,), bias_init)
        return kernel, recurrent_kernel, self._bias((4 * units,))

    @nn.nowrap
    def _fast_kind(self):
        return "lstm" if _default_activations(self) else None

    @nn.nowrap
    def _step_fn(self, recurrent_kernel, bias, rec_mask, units):
        return lstm_step(activations.get(self.activation),
                         activations.get(self.recurrent_activation), recurrent_kernel,
                         rec_mask, units)


class GRU(RNNBase):
    """Gated Recurrent Unit (Cho 2014), Keras's formulation.

    Gates [z, r, h]: ``z = sigmoid(x_z + h @ R_z)``, ``r = sigmoid(x_r + h @ R_r)``,
    ``hh = tanh(x_h + r * (h @ R_h + b_rh))`` with ``reset_after=True`` (the default, the
    cuDNN-compatible form) or ``tanh(x_h + (r * h) @ R_h)`` with ``reset_after=False``;
    ``h' = z * h + (1 - z) * hh``.

    Args:
        units: positive integer, dimensionality of the output (and state).
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'``.
        use_bias: default True. The bias has shape (2, 3*units) with ``reset_after``
            (input bias, recurrent bias), else (3*units,).
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'`` over the whole (units, 3*units).
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint: weight penalties and
            projections, as Keras.
        dropout: input dropout rate in [0, 1).
        recurrent_dropout: recurrent-state dropout rate in [0, 1).
        seed: accepted for Keras compatibility; masks come from the ``'dropout'`` rng.
        zero_output_for_mask: keyword-only; with a mask, the sequence output is zeros at
            masked steps instead of the last unmasked step's output. Default False.
        return_sequences: default False.
        return_state: also return the final state: ``(output, h)``.
        go_backwards: default False.
        stateful: only False.
        unroll: default False.
        reset_after: default True (Keras 3's default).
        use_cudnn: accepted ('auto', True, False) and ignored.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Input((7, 3)), GRU(4)])
        >>> model.count_params()  # 3 * (3 * 4 + 4 * 4 + 2 * 4)
        108
    """

    units: int
    activation: _typing.Activation = "tanh"
    recurrent_activation: _typing.Activation = "sigmoid"
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    recurrent_initializer: _typing.Initializer = "orthogonal"
    bias_initializer: _typing.Initializer = "zeros"
    kernel_regularizer: _typing.Regularizer = None
    recurrent_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    recurrent_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    seed: Any = None
    return_sequences: bool = False
    return_state: bool = False
    go_backwards: bool = False
    stateful: bool = False
    unroll: bool = False
    reset_after: bool = True
    use_cudnn: Any = "auto"

    GATES: ClassVar[int] = 3
    N_STATES: ClassVar[int] = 1

    def __post_init__(self):
        self._check_common()
        super().__post_init__()

    @nn.nowrap
    def _make_weights(self, in_dim, units):
        kernel, recurrent_kernel = self._kernels(in_dim, units)
        shape = (2, 3 * units) if self.reset_after else (3 * units,)
        return kernel, recurrent_kernel, self._bias(shape)

    @nn.nowrap
    def _input_bias(self, bias):
        if bias is None:
            return None
        return bias[0] if self.reset_after else bias

    @nn.nowrap
    def _fast_kind(self):
        return "gru" if self.reset_after and _default_activations(self) else None

    @nn.nowrap
    def _recurrent_bias(self, bias):
        return bias[1] if bias is not None and self.reset_after else None

    @nn.nowrap
    def _step_fn(self, recurrent_kernel, bias, rec_mask, units):
        return gru_step(activations.get(self.activation),
                        activations.get(self.recurrent_activation), recurrent_kernel,
                        self._recurrent_bias(bias), rec_mask, units, self.reset_after)


def _default_activations(layer: Any) -> bool:
    """tanh and sigmoid, the activations :mod:`jnet.layers._fast_rnn` differentiates."""
    return (activations.get(layer.activation) is activations.tanh
            and activations.get(layer.recurrent_activation) is activations.sigmoid)
