"""Keras's recurrent cells: ``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell``.

A cell computes one timestep, ``cell(x_t, states) -> (output, new_states)``, and is run over a
sequence by :class:`jnet.layers.RNN`. The math is :mod:`jnet.layers._rnn_steps`, the same
steps ``SimpleRNN``, ``LSTM`` and ``GRU`` scan, so ``RNN(LSTMCell(4))`` and ``LSTM(4)`` give
the same numbers for the same weights. Weights, their names, shapes and order are Keras's
(``kernel``, ``recurrent_kernel``, ``bias``).

Dropout follows Keras's ``DropoutRNNCell``: the masks are drawn once per sequence (``RNN``
asks the cell for them before its loop and the cell reuses them at every step), one per gate
for LSTM/GRU when ``recurrent_dropout > 0``.

Example:
    >>> import numpy as np
    >>> cell = LSTMCell(3)
    >>> out, (h, c) = cell(np.ones((2, 4), "float32"),
    ...                    [np.zeros((2, 3), "float32"), np.zeros((2, 3), "float32")])
    >>> out.shape, h.shape, c.shape, [w.name for w in cell.weights]
    ((2, 3), (2, 3), (2, 3), ['kernel', 'recurrent_kernel', 'bias'])
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

import jax.numpy as jnp

from jnet import activations, constraints, errors, initializers, random, regularizers
from jnet.layers import _rnn_steps
from jnet.layers._rnn_base import check_rate, check_units
from jnet.layers.keras_layer import KerasLayer
from jnet.random import SeedGenerator

__all__ = ["GRUCell", "LSTMCell", "SimpleRNNCell", "collect_dropout_masks", "dropout_masks",
           "reset_dropout_masks"]

_COLLECTING: list[bool] = []


@contextlib.contextmanager
def collect_dropout_masks():
    """Inside it, the dropout masks a cell draws are kept on the cell (``RNN`` calls the cell
    once before its loop in this context; every step then reuses the masks)."""
    _COLLECTING.append(True)
    try:
        yield
    finally:
        _COLLECTING.pop()


def reset_dropout_masks(cell: Any) -> None:
    """Forgets the masks kept by :func:`collect_dropout_masks` (in ``cell`` and the cells it
    stacks)."""
    if "_cached_masks" in getattr(cell, "__dict__", {}):
        object.__setattr__(cell, "_cached_masks", None)
    for inner in getattr(cell, "cells", None) or ():
        reset_dropout_masks(inner)


def dropout_masks(cell: Any, input_shape: tuple, state_shape: tuple, count: int | None,
                  training: Any) -> tuple[Any, Any]:
    """Keras's ``DropoutRNNCell`` masks of ``cell`` (its ``dropout``, ``recurrent_dropout``,
    ``seed_generator``): ``(input mask, recurrent mask)``, each None or of the input's (the
    state's) shape, with a leading ``count`` axis (one mask per gate) unless ``count`` is
    None; values 0 or ``1 / (1 - rate)``. The masks kept by :func:`collect_dropout_masks`
    are reused."""
    if not training or (cell.dropout == 0 and cell.recurrent_dropout == 0):
        return None, None
    cached = cell.__dict__.get("_cached_masks")
    if cached is not None:
        return cached

    def draw(rate, shape):
        if rate <= 0:
            return None
        shape = tuple(shape) if count is None else (count, *shape)
        keep = random.uniform(shape, seed=cell.seed_generator) < 1.0 - rate
        return jnp.where(keep, 1.0 / (1.0 - rate), 0.0).astype(cell.compute_dtype)

    masks = (draw(cell.dropout, input_shape), draw(cell.recurrent_dropout, state_shape))
    if _COLLECTING:
        object.__setattr__(cell, "_cached_masks", masks)
    return masks


class _RNNCell(KerasLayer):
    """What the three cells share: arguments, weights, dropout masks, config."""

    GATES: ClassVar[int] = 1
    _EXTRA: ClassVar[tuple[str, ...]] = ()

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: Any = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        owner = type(self).__name__
        check_units(units, owner)
        check_rate(dropout, "dropout", owner)
        check_rate(recurrent_dropout, "recurrent_dropout", owner)
        errors.require_bool(use_bias, "use_bias", owner)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
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
        self.output_size = self.units
        object.__setattr__(self, "_cached_masks", None)

    # -- weights ------------------------------------------------------------------------------

    def _bias_shape(self) -> tuple[int, ...]:
        return (self.GATES * self.units,)

    def _bias_initializer(self) -> Any:
        return self.bias_initializer

    def build(self, input_shape: Any) -> None:
        g, u = self.GATES, self.units
        self.kernel = self.add_weight(
            shape=(int(input_shape[-1]), g * u), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(u, g * u), name="recurrent_kernel", initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(), name="bias", initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    # -- dropout ------------------------------------------------------------------------------

    def _masks(self, batch: int, in_dim: int, training: Any) -> tuple[Any, Any]:
        """``(input mask, recurrent mask)``: None, ``(batch, n)`` or ``(gates, batch, n)``."""
        count = self.GATES if self.GATES > 1 and self.recurrent_dropout > 0 else None
        return dropout_masks(self, (batch, in_dim), (batch, self.units), count, training)

    # -- the step -----------------------------------------------------------------------------

    def _step(self, rec_mask: Any):
        raise NotImplementedError

    def _input_bias(self):
        return self.bias

    def call(self, inputs: Any, states: Any = None, training: bool = False) -> Any:
        if states is None:  # jnet's convenience: zero states
            states = [jnp.zeros((jnp.shape(inputs)[0], self.units), self.compute_dtype)
                      for _ in range(self.GATES == 4 and 2 or 1)]
            states = states if len(states) > 1 else states[0]
        nested = isinstance(states, list | tuple)
        states = tuple(states) if nested else (states,)
        inputs = jnp.asarray(inputs)
        if inputs.ndim != 2:
            raise errors.JnetValueError(
                f"{type(self).__name__} takes one timestep of shape (batch, features), "
                f"received shape {tuple(inputs.shape)}; run it over a sequence with "
                f"RNN(cell)."
            )
        dp_mask, rec_mask = self._masks(inputs.shape[0], inputs.shape[1], training)
        bias = self._input_bias()
        xp = _rnn_steps.project(inputs[None], jnp.asarray(self.kernel),
                                None if bias is None else jnp.asarray(bias), dp_mask)[0]
        new = self._step(rec_mask)(tuple(jnp.asarray(s) for s in states), xp)
        if len(new) == 1 and not nested:
            return new[0], new[0]
        return new[0], list(new)

    # -- config -------------------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": activations.serialize(self.activation),
            **{k: activations.serialize(getattr(self, k)) for k in self._EXTRA
               if k == "recurrent_activation"},
            "use_bias": self.use_bias,
            **{k: getattr(self, k) for k in self._EXTRA if k != "recurrent_activation"},
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        })
        return config


class SimpleRNNCell(_RNNCell):
    """Cell class for SimpleRNN: ``h' = activation(x @ kernel + bias + h @ recurrent_kernel)``.

    Args:
        units: positive integer, dimensionality of the output space.
        activation: default ``'tanh'``.
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer: regularizer of ``kernel``. Default None.
        recurrent_regularizer: regularizer of ``recurrent_kernel``. Default None.
        bias_regularizer: regularizer of ``bias``. Default None.
        kernel_constraint: constraint of ``kernel``. Default None.
        recurrent_constraint: constraint of ``recurrent_kernel``. Default None.
        bias_constraint: constraint of ``bias``. Default None.
        dropout: fraction of the inputs to drop, in [0, 1). Default 0.
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1). Default 0.
        seed: seed of the dropout masks.
        **kwargs: the base layer's keywords (``name``, ``dtype``...).

    Example:
        >>> import numpy as np, jnet
        >>> rnn = jnet.layers.RNN(SimpleRNNCell(4), return_sequences=True)
        >>> rnn(np.ones((2, 5, 3), "float32")).shape
        (2, 5, 4)
    """

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0, seed: Any = None,
                 **kwargs: Any):
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, kernel_regularizer,
                         recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
                         seed, **kwargs)
        self.state_size = self.units

    def _step(self, rec_mask):
        return _rnn_steps.simple_step(self.activation, jnp.asarray(self.recurrent_kernel),
                                      rec_mask)


class LSTMCell(_RNNCell):
    """Cell class for the LSTM layer (Keras's formulation, gates [i, f, c, o]).

    Args:
        units: positive integer, dimensionality of the output space.
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'``.
        use_bias: default True.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: default True: the forget-gate bias starts at 1.
        kernel_regularizer: regularizer of ``kernel``. Default None.
        recurrent_regularizer: regularizer of ``recurrent_kernel``. Default None.
        bias_regularizer: regularizer of ``bias``. Default None.
        kernel_constraint: constraint of ``kernel``. Default None.
        recurrent_constraint: constraint of ``recurrent_kernel``. Default None.
        bias_constraint: constraint of ``bias``. Default None.
        dropout: fraction of the inputs to drop, in [0, 1). Default 0.
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1). Default 0.
        seed: seed of the dropout masks.
        **kwargs: the base layer's keywords (``name``, ``dtype``...).

    Example:
        >>> import numpy as np, jnet
        >>> rnn = jnet.layers.RNN(LSTMCell(4), return_state=True)
        >>> [t.shape for t in rnn(np.ones((2, 5, 3), "float32"))]
        [(2, 4), (2, 4), (2, 4)]
    """

    GATES: ClassVar[int] = 4
    _EXTRA: ClassVar[tuple[str, ...]] = ("recurrent_activation", "unit_forget_bias")

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None,
                 recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: Any = None, **kwargs: Any):
        kwargs.pop("implementation", None)
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, kernel_regularizer,
                         recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
                         seed, **kwargs)
        errors.require_bool(unit_forget_bias, "unit_forget_bias", "LSTMCell")
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        init, u = self.bias_initializer, self.units
        ones = initializers.get("ones")

        def bias_init(key, shape, dtype=jnp.float32):
            return jnp.concatenate([init(key, (u,), dtype), ones(key, (u,), dtype),
                                    init(key, (2 * u,), dtype)])

        return bias_init

    def _step(self, rec_mask):
        return _rnn_steps.lstm_step(self.activation, self.recurrent_activation,
                                    jnp.asarray(self.recurrent_kernel), rec_mask, self.units)


class GRUCell(_RNNCell):
    """Cell class for the GRU layer (Keras's formulation, gates [z, r, h]).

    Args:
        units: positive integer, dimensionality of the output space.
        activation: default ``'tanh'``.
        recurrent_activation: default ``'sigmoid'``.
        use_bias: default True. The bias is (2, 3*units) with ``reset_after`` (input bias,
            recurrent bias), else (3*units,).
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer: regularizer of ``kernel``. Default None.
        recurrent_regularizer: regularizer of ``recurrent_kernel``. Default None.
        bias_regularizer: regularizer of ``bias``. Default None.
        kernel_constraint: constraint of ``kernel``. Default None.
        recurrent_constraint: constraint of ``recurrent_kernel``. Default None.
        bias_constraint: constraint of ``bias``. Default None.
        dropout: fraction of the inputs to drop, in [0, 1). Default 0.
        recurrent_dropout: fraction of the recurrent state to drop, in [0, 1). Default 0.
        reset_after: apply the reset gate after the recurrent matmul (Keras 3's default,
            True) or before it.
        seed: seed of the dropout masks.
        **kwargs: the base layer's keywords (``name``, ``dtype``...).

    Example:
        >>> import numpy as np, jnet
        >>> cell = GRUCell(4, reset_after=False)
        >>> jnet.layers.RNN(cell)(np.ones((2, 5, 3), "float32")).shape, cell.bias.shape
        ((2, 4), (12,))
    """

    GATES: ClassVar[int] = 3
    _EXTRA: ClassVar[tuple[str, ...]] = ("recurrent_activation", "reset_after")

    def __init__(self, units: int, activation: Any = "tanh",
                 recurrent_activation: Any = "sigmoid", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None,
                 dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 reset_after: bool = True, seed: Any = None, **kwargs: Any):
        kwargs.pop("implementation", None)
        super().__init__(units, activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, kernel_regularizer,
                         recurrent_regularizer, bias_regularizer, kernel_constraint,
                         recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
                         seed, **kwargs)
        errors.require_bool(reset_after, "reset_after", "GRUCell")
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after
        self.state_size = self.units

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if self.bias is None:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def _step(self, rec_mask):
        rec_bias = self.bias[1] if self.bias is not None and self.reset_after else None
        return _rnn_steps.gru_step(
            self.activation, self.recurrent_activation, jnp.asarray(self.recurrent_kernel),
            None if rec_bias is None else jnp.asarray(rec_bias), rec_mask, self.units,
            self.reset_after)
