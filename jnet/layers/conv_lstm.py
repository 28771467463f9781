"""Keras's convolutional LSTM: ``ConvLSTM1D``, ``ConvLSTM2D``, ``ConvLSTM3D``.

An LSTM whose input and recurrent transformations are convolutions (Shi et al. 2015), run by
:class:`jnet.layers.RNN` over the time axis of (batch, time, *spatial, channels) inputs (or
(batch, time, channels, *spatial) with ``data_format='channels_first'``). The cell's math is
Keras's ``ConvLSTMCell``: gates [i, f, c, o]; the input convolution takes ``strides``,
``padding`` and ``dilation_rate``, the recurrent one strides 1 and ``'same'`` padding.
Weights are Keras's: ``kernel`` (*kernel_size, in_channels, 4*filters), ``recurrent_kernel``
(*kernel_size, filters, 4*filters), ``bias`` (4*filters,).

Example:
    >>> import numpy as np
    >>> layer = ConvLSTM2D(4, 3, padding="same", return_sequences=True)
    >>> layer(np.ones((2, 5, 8, 8, 3), "float32")).shape
    (2, 5, 8, 8, 4)
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from jnet import activations, constraints, errors, initializers, regularizers
from jnet.layers import _conv_utils as cu
from jnet.layers._rnn_base import check_rate
from jnet.layers.keras_layer import KerasLayer
from jnet.layers.rnn import RNN
from jnet.layers.rnn_cells import dropout_masks
from jnet.random import SeedGenerator

__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "ConvLSTMCell"]

_CELL_KEYS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
              "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "seed")


class ConvLSTMCell(KerasLayer):
    """One timestep of a ConvLSTM of spatial rank ``rank`` (Keras's ``ConvLSTMCell``).

    Args:
        rank: 1, 2 or 3, the number of spatial axes.
        filters: the number of output channels.
        kernel_size: an int or a tuple of ``rank`` ints.
        strides: of the input convolution; an int or ``rank`` ints. Default 1.
        padding: ``'valid'`` (default) or ``'same'``, of the input convolution.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: of the input convolution. Default 1.
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'``.
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: default True (the forget-gate bias starts at 1).
        kernel_regularizer: regularizer of ``kernel``.
        recurrent_regularizer: regularizer of ``recurrent_kernel``.
        bias_regularizer: regularizer of ``bias``.
        kernel_constraint: constraint of ``kernel``.
        recurrent_constraint: constraint of ``recurrent_kernel``.
        bias_constraint: constraint of ``bias``.
        dropout: fraction of the inputs to drop, in [0, 1) (one mask per gate).
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1).
        seed: seed of the dropout masks.
        **kwargs: the base layer's keywords.

    Example:
        >>> import numpy as np
        >>> cell = ConvLSTMCell(1, 2, 3, padding="same")
        >>> x = np.ones((1, 5, 3), "float32")
        >>> out, (h, c) = cell(x, cell.get_initial_state(1) if cell.built else [
        ...     np.zeros((1, 5, 2), "float32")] * 2)
        >>> out.shape
        (1, 5, 2)
    """

    def __init__(self, rank: int, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = 1, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.filters = cu.positive_int(filters, "filters", owner)
        self.kernel_size = cu.int_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = cu.int_tuple(strides, rank, "strides", owner)
        self.padding = cu.padding_mode(padding, owner)
        self.data_format = cu.data_format(data_format, owner)
        self.dilation_rate = cu.int_tuple(dilation_rate, rank, "dilation_rate", owner)
        cu.reject_strides_with_dilation(self.strides, self.dilation_rate, owner)
        check_rate(dropout, "dropout", owner)
        check_rate(recurrent_dropout, "recurrent_dropout", owner)
        errors.require_bool(use_bias, "use_bias", owner)
        errors.require_bool(unit_forget_bias, "unit_forget_bias", owner)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.state_size = -1  # set by build: the state is (batch, *spatial, filters)
        object.__setattr__(self, "_cached_masks", None)

    def _out_spatial(self, spatial: tuple) -> tuple:
        out = []
        for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate,
                              strict=True):
            if self.padding == "same":
                out.append(math.ceil(n / s))
            else:
                out.append((n - d * (k - 1) - 1) // s + 1)
        return tuple(out)

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        owner = type(self).__name__
        if len(shape) != self.rank + 2:
            raise errors.JnetValueError(
                f"{owner} takes one timestep of rank {self.rank + 2} (batch, *spatial, "
                f"channels), received shape {shape}."
            )
        last = self.data_format == "channels_last"
        spatial = shape[1:-1] if last else shape[2:]
        channels = shape[-1] if last else shape[1]
        self.spatial_dims = tuple(int(d) for d in spatial)
        self.input_dim = int(channels)
        out = self._out_spatial(self.spatial_dims)
        self.state_shape = (*out, self.filters) if last else (self.filters, *out)
        f = self.filters
        self.kernel = self.add_weight(
            shape=(*self.kernel_size, self.input_dim, 4 * f), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(*self.kernel_size, f, 4 * f), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                base, ones = self.bias_initializer, initializers.get("ones")

                def init(key, shape, dtype=jnp.float32):
                    return jnp.concatenate([base(key, (f,), dtype), ones(key, (f,), dtype),
                                            base(key, (2 * f,), dtype)])

            self.bias = self.add_weight(
                shape=(4 * f,), name="bias", initializer=init,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def get_initial_state(self, batch_size: int | None = None) -> list[Any]:
        """Zero ``[h, c]`` of shape (batch, *output spatial, filters)."""
        zeros = jnp.zeros((batch_size, *self.state_shape), self.compute_dtype)
        return [zeros, zeros]

    def _conv(self, x, w, strides, padding, dilation):
        return jax.lax.conv_general_dilated(
            x, w, window_strides=strides, padding=padding.upper(), rhs_dilation=dilation,
            dimension_numbers=cu.dimension_numbers(self.rank))

    def call(self, inputs: Any, states: Any, training: bool = False) -> Any:
        fmt = self.data_format
        x = cu.to_channels_last(jnp.asarray(inputs), fmt)
        h, c = (cu.to_channels_last(jnp.asarray(s), fmt) for s in states)
        dp, rec = dropout_masks(self, x.shape, h.shape, 4, training)
        w = jnp.asarray(self.kernel)
        rw = jnp.asarray(self.recurrent_kernel)
        f = self.filters
        ones = (1,) * self.rank
        if dp is None:
            xz = self._conv(x, w, self.strides, self.padding, self.dilation_rate)
        else:
            xz = jnp.concatenate(
                [self._conv(x * dp[g], w[..., g * f:(g + 1) * f], self.strides, self.padding,
                            self.dilation_rate) for g in range(4)], axis=-1)
        if rec is None:
            hz = self._conv(h, rw, ones, "same", ones)
        else:
            hz = jnp.concatenate(
                [self._conv(h * rec[g], rw[..., g * f:(g + 1) * f], ones, "same", ones)
                 for g in range(4)], axis=-1)
        z = xz + hz
        if self.bias is not None:
            z = z + jnp.asarray(self.bias).reshape((1,) * (self.rank + 1) + (-1,))
        act, rec_act = self.activation, self.recurrent_activation
        i, fg, cc, o = (z[..., g * f:(g + 1) * f] for g in range(4))
        c = rec_act(fg) * c + rec_act(i) * act(cc)
        h = rec_act(o) * act(c)
        h, c = cu.from_channels_last(h, fmt), cu.from_channels_last(c, fmt)
        return h, [h, c]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({"rank": self.rank, **_cell_config(self)})
        return config


def _cell_config(cell: ConvLSTMCell) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _CELL_KEYS:
        value = getattr(cell, key)
        if key.endswith("activation"):
            value = activations.serialize(value)
        elif key.endswith("initializer"):
            value = initializers.serialize(value)
        elif key.endswith("regularizer"):
            value = regularizers.serialize(value)
        elif key.endswith("constraint"):
            value = constraints.serialize(value)
        out[key] = value
    return out


class _ConvLSTM(RNN):
    RANK = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = 1, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: Any = None,
                 return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, **kwargs: Any):
        cell = ConvLSTMCell(
            self.RANK, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)

    @property
    def state_size(self) -> list[Any]:
        return [-1, -1]

    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        shape = tuple(sequences_shape)
        if len(shape) != self.RANK + 3:
            raise errors.JnetValueError(
                f"{type(self).__name__} expects inputs of rank {self.RANK + 3} (batch, time, "
                f"*{self.RANK} spatial axes, channels), received shape {shape}."
            )
        super().build(sequences_shape)

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None,
             training: bool = False) -> Any:
        if jnp.ndim(sequences) != self.RANK + 3:
            raise errors.JnetValueError(
                f"{type(self).__name__} expects inputs of rank {self.RANK + 3} (batch, time, "
                f"*{self.RANK} spatial axes, channels), received shape "
                f"{tuple(jnp.shape(sequences))}."
            )
        return super().call(sequences, initial_state=initial_state, mask=mask,
                            training=training)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["cell"]
        config.setdefault("activity_regularizer", None)
        config.update(_cell_config(self.cell))
        return config

    @classmethod
    def from_config(cls, config: Any, custom_objects: Any = None) -> _ConvLSTM:
        return cls(**config)


def _doc(rank: int) -> str:
    spatial = {1: "(rows,)", 2: "(rows, cols)", 3: "(conv_dim1, conv_dim2, conv_dim3)"}[rank]
    shape = {1: "(2, 4, 6, 3)", 2: "(2, 4, 6, 6, 3)", 3: "(2, 3, 4, 4, 4, 2)"}[rank]
    out = {1: "(2, 4, 4)", 2: "(2, 4, 4, 4)", 3: "(2, 2, 2, 2, 4)"}[rank]
    return f"""{rank}D convolutional LSTM: inputs (batch, time, *{spatial}, channels).

    Args:
        filters: the number of output channels.
        kernel_size: an int or a tuple of {rank} ints.
        strides: of the input convolution. Default 1.
        padding: ``'valid'`` (default) or ``'same'`` (case-insensitive).
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.
        dilation_rate: of the input convolution. Default 1.
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'``.
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: default True (the forget-gate bias starts at 1).
        kernel_regularizer: regularizer of ``kernel``.
        recurrent_regularizer: regularizer of ``recurrent_kernel``.
        bias_regularizer: regularizer of ``bias``.
        activity_regularizer: regularizer of the output.
        kernel_constraint: constraint of ``kernel``.
        recurrent_constraint: constraint of ``recurrent_kernel``.
        bias_constraint: constraint of ``bias``.
        dropout: fraction of the inputs to drop, in [0, 1).
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1).
        seed: seed of the dropout masks.
        return_sequences: return the whole sequence. Default False.
        return_state: also return the final ``h`` and ``c``. Default False.
        go_backwards: process the sequence backwards. Default False.
        stateful: only False.
        **kwargs: the base layer's keywords (``name``, ``dtype``...).

    Example:
        >>> import numpy as np, jnet
        >>> layer = jnet.layers.ConvLSTM{rank}D(4, 3)
        >>> layer(np.ones({shape}, "float32")).shape
        {out}
    """


class ConvLSTM1D(_ConvLSTM):
    __doc__ = _doc(1)
    RANK = 1


class ConvLSTM2D(_ConvLSTM):
    __doc__ = _doc(2)
    RANK = 2


class ConvLSTM3D(_ConvLSTM):
    __doc__ = _doc(3)
    RANK = 3
