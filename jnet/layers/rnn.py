"""Keras's generic ``RNN(cell)`` layer and ``StackedRNNCells``.

``RNN`` runs any cell over the time axis under ``jax.lax.scan``: a built-in cell
(``LSTMCell``...) or one written by the user, Keras-style -- a ``jnet.layers.Layer`` with a
``state_size`` attribute (an int, or a list of ints or of nested lists), ``build`` /
``add_weight``, and ``call(inputs, states)`` returning ``(output, new_states)``. A list of
cells is a ``StackedRNNCells``. Masks, ``go_backwards``, ``zero_output_for_mask``,
``return_sequences`` and ``return_state`` follow Keras's ``backend.rnn``.

The cell is called once before the loop, on the first timestep: that builds it (and makes its
variables in ``init``) and draws its dropout masks, which every step then reuses, as Keras's
``RNN`` does with its ``DropoutRNNCell`` masks. The loop itself is compiled once, however long
the sequence.

Example:
    >>> import numpy as np, jnet
    >>> rnn = jnet.layers.RNN([jnet.layers.LSTMCell(4), jnet.layers.GRUCell(2)])
    >>> rnn(np.ones((3, 5, 6), "float32")).shape
    (3, 2)
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers import rnn_cells
from jnet.layers.keras_layer import KerasLayer
from jnet.layers.rnn_cells import GRUCell, LSTMCell, SimpleRNNCell

__all__ = ["RNN", "StackedRNNCells"]


def _check_cell(cell: Any, owner: str, argument: str) -> None:
    if not callable(getattr(cell, "call", None)):
        raise errors.JnetValueError(
            f"{owner}: argument `{argument}` should have a `call` method. Received: "
            f"{errors.describe(cell)}."
        )
    if getattr(cell, "state_size", None) is None:
        raise errors.JnetValueError(
            f"{owner}: the RNN cell should have a `state_size` attribute (single integer or "
            f"list of integers, one integer per RNN state). Received: {errors.describe(cell)}."
        )


def _flat_sizes(state_size: Any) -> Any:
    return state_size if isinstance(state_size, int | np.integer) else list(state_size)


def _zeros(state_size: Any, batch: int, dtype: Any) -> Any:
    """Zero states in the structure of ``state_size`` (an int gives one array)."""
    if isinstance(state_size, int | np.integer):
        return jnp.zeros((batch, int(state_size)), dtype)
    return [_zeros(s, batch, dtype) for s in state_size]


def _output_size(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return int(size)
    size = cell.state_size
    while not isinstance(size, int | np.integer):
        size = size[0]
    return int(size)


_CELLS = {c.__name__: c for c in (GRUCell, LSTMCell, SimpleRNNCell)}


def _deserialize_cell(config: Any, custom_objects: Mapping[str, Any] | None) -> Any:
    if not isinstance(config, Mapping) or "class_name" not in config:
        return config  # a cell object
    name = config.get("class_name")
    classes = {**_CELLS, "StackedRNNCells": StackedRNNCells, **(custom_objects or {})}
    if name not in classes:
        raise errors.unknown_identifier("RNN cell class", str(name), sorted(classes))
    cls = classes[name]
    inner = config.get("config", {})
    if hasattr(cls, "from_config"):
        try:
            return cls.from_config(dict(inner), custom_objects=custom_objects)
        except TypeError:
            return cls.from_config(dict(inner))
    return cls(**inner)


def _serialize_cell(cell: Any) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": type(cell).__name__,
            "config": cell.get_config(), "registered_name": None}


class StackedRNNCells(KerasLayer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    The output of each cell is the input of the next; the states are one entry per cell
    (each in its own cell's structure).

    Args:
        cells: list of RNN cell instances.
        **kwargs: the base layer's keywords (``name``, ``dtype``...).

    Example:
        >>> import numpy as np, jnet
        >>> cells = [jnet.layers.LSTMCell(8) for _ in range(2)]
        >>> stacked = StackedRNNCells(cells)
        >>> stacked.state_size, jnet.layers.RNN(stacked)(np.ones((2, 3, 4), "float32")).shape
        ([[8, 8], [8, 8]], (2, 8))
    """

    def __init__(self, cells: Any, **kwargs: Any):
        super().__init__(**kwargs)
        if isinstance(cells, list | tuple):  # configs, as get_config writes them
            cells = [_deserialize_cell(c, None) for c in cells]
        if not isinstance(cells, list | tuple) or not cells:
            raise errors.JnetValueError(
                f"StackedRNNCells: cells must be a non-empty list of RNN cells, received "
                f"{errors.describe(cells)}."
            )
        for cell in cells:
            _check_cell(cell, "StackedRNNCells", "cells")
        self.cells = list(cells)

    @property
    def state_size(self) -> list[Any]:
        return [_flat_sizes(c.state_size) for c in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size: int | None = None) -> list[Any]:
        """Zero states, one entry per cell (a cell's own ``get_initial_state`` if it has one)."""
        out = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            out.append(fn(batch_size=batch_size) if fn is not None
                       else _zeros(cell.state_size, batch_size, self.compute_dtype))
        return out

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, KerasLayer) and not cell.built:
                cell.build(shape)
                object.__setattr__(cell, "built", True)
            shape = (shape[0], _output_size(cell))

    def call(self, inputs: Any, states: Any = None, training: bool = False) -> Any:
        if states is None:  # jnet's convenience: zero states
            states = self.get_initial_state(jnp.shape(inputs)[0])
        new_states = []
        for cell, state in zip(self.cells, states, strict=True):
            is_list = isinstance(state, list | tuple)
            state = list(state) if is_list else [state]
            kwargs = {"training": training} if _accepts_training(cell) else {}
            inputs, state = cell(inputs, state, **kwargs)
            if isinstance(state, list | tuple) and len(state) == 1 and not is_list:
                state = state[0]
            new_states.append(state)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["cells"] = [_serialize_cell(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    custom_objects: Mapping[str, Any] | None = None) -> StackedRNNCells:
        config = dict(config)
        cells = [_deserialize_cell(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _accepts_training(cell: Any) -> bool:
    try:
        return "training" in inspect.signature(cell.call).parameters
    except (TypeError, ValueError):
        return False


class RNN(KerasLayer):
    """Base class for recurrent layers: runs ``cell`` over the time axis.

    Args:
        cell: an RNN cell (a layer with ``call(inputs, states) -> (output, new_states)`` and
            a ``state_size`` attribute; optionally ``output_size`` and
            ``get_initial_state(batch_size)``), or a list of cells (a ``StackedRNNCells``).
        return_sequences: return the whole output sequence instead of the last output.
            Default False.
        return_state: also return the final states: ``[output, *states]``. Default False.
        go_backwards: process the sequence backwards and return the reversed sequence.
            Default False.
        stateful: only False (jnet layers keep no state between calls; pass the final
            states of one call as ``initial_state`` of the next).
        unroll: unroll the loop (faster for short sequences, slower to compile).
        zero_output_for_mask: outputs at masked steps are zeros instead of the previous
            output. Default False.
        **kwargs: the base layer's keywords (``name``, ``dtype``, ``input_shape``...).

    Call arguments: ``sequences`` (batch, timesteps, ...), ``initial_state`` (the cell's
    state structure), ``mask`` (batch, timesteps) booleans, ``training``.

    Example:
        >>> import numpy as np, jnet
        >>> class MinimalRNNCell(jnet.layers.Layer):
        ...     def __init__(self, units, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.units = units
        ...         self.state_size = units
        ...     def build(self, input_shape):
        ...         self.kernel = self.add_weight(shape=(input_shape[-1], self.units))
        ...         self.recurrent_kernel = self.add_weight(shape=(self.units, self.units))
        ...     def call(self, inputs, states):
        ...         prev = states[0]
        ...         out = jnet.ops.matmul(inputs, self.kernel) + jnet.ops.matmul(
        ...             prev, self.recurrent_kernel)
        ...         return out, [out]
        >>> RNN(MinimalRNNCell(32))(np.ones((2, 7, 5), "float32")).shape
        (2, 32)
    """

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs: Any):
        owner = type(self).__name__
        cell = _deserialize_cell(cell, None)  # a config, as get_config writes it
        if isinstance(cell, list | tuple):
            cell = StackedRNNCells(list(cell))
        _check_cell(cell, owner, "cell")
        size = cell.state_size
        if not isinstance(size, int | np.integer | list | tuple):
            raise errors.JnetValueError(
                f"{owner}: state_size must be an integer, or a list/tuple of integers (one "
                f"for each state tensor); the cell's is {errors.describe(size)}."
            )
        super().__init__(**kwargs)
        for name, value in (("return_sequences", return_sequences),
                            ("return_state", return_state), ("go_backwards", go_backwards),
                            ("unroll", unroll), ("zero_output_for_mask", zero_output_for_mask)):
            errors.require_bool(value, name, owner)
        if stateful:
            raise errors.JnetValueError(
                f"{owner}: stateful=True is not supported by jnet: its layers are pure "
                f"functions and keep no state between batches. Pass the final states of one "
                f"call as initial_state= of the next (return_state=True gives them)."
            )
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        object.__setattr__(self, "supports_masking", True)

    @property
    def state_size(self) -> list[Any]:
        size = self.cell.state_size
        return [int(size)] if isinstance(size, int | np.integer) else list(size)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The input mask when ``return_sequences``, else None (and None for each state)."""
        if isinstance(mask, list | tuple):
            mask = mask[0]
        out = mask if self.return_sequences else None
        if self.return_state:
            return [out] + [None for _ in self.state_size]
        return out

    def check_in_sequential(self) -> None:
        """A Sequential passes one tensor between layers: ``return_state`` cannot be used."""
        if self.return_state:
            raise errors.JnetValueError(
                f"{type(self).__name__}(return_state=True) returns [output, *states], which a "
                f"Sequential model cannot pass on. Call the layer directly to get the states, "
                f"or drop return_state."
            )

    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        shape = tuple(sequences_shape)
        if len(shape) < 3:
            raise errors.JnetValueError(
                f"{type(self).__name__} expects inputs of rank 3 or more (batch, timesteps, "
                f"features...), received shape {shape}."
            )
        if isinstance(self.cell, KerasLayer) and not self.cell.built:
            self.cell.build((shape[0], *shape[2:]))
            object.__setattr__(self.cell, "built", True)

    def get_initial_state(self, batch_size: int) -> list[Any]:
        """Zero states in the cell's structure (the cell's ``get_initial_state`` if any)."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn is not None:
            state = fn(batch_size=batch_size)
            return list(state) if isinstance(state, list | tuple) else [state]
        return [_zeros(s, batch_size, self.compute_dtype) for s in self.state_size]

    def call(self, sequences: Any, initial_state: Any = None, mask: Any = None,
             training: bool = False) -> Any:
        owner = type(self).__name__
        x = jnp.asarray(sequences)
        if x.ndim < 3:
            raise errors.JnetValueError(
                f"{owner} expects inputs of rank 3 or more (batch, timesteps, features...), "
                f"received shape {tuple(x.shape)}."
            )
        batch, steps = x.shape[0], x.shape[1]
        if initial_state is None:
            states = self.get_initial_state(batch)
        else:
            states = list(initial_state) if isinstance(initial_state, list | tuple) else [
                initial_state]
            expected = len(self.state_size)
            if len(states) != expected:
                raise errors.JnetValueError(
                    f"{owner}: initial_state must hold {expected} state(s) (the cell's "
                    f"state_size is {self.cell.state_size}), received {len(states)}."
                )
            states = jax.tree_util.tree_map(jnp.asarray, states)
        kwargs = {"training": training} if _accepts_training(self.cell) else {}

        def step(x_t, states):
            out, new = self.cell(x_t, states, **kwargs)
            if not isinstance(new, list | tuple):
                new = [new]
            return out, list(new)

        xs = jnp.swapaxes(x, 0, 1)
        if self.go_backwards:
            xs = xs[::-1]
        # Builds the cell, makes its variables (init) and draws its dropout masks once.
        with rnn_cells.collect_dropout_masks():
            first, _ = step(xs[0], states)
        try:
            outputs, last, states = _loop(step, xs, states, mask, first, steps, self)
        finally:
            rnn_cells.reset_dropout_masks(self.cell)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output, *states]
        return output

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences, "return_state": self.return_state,
            "go_backwards": self.go_backwards, "stateful": self.stateful,
            "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask,
            "cell": _serialize_cell(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    custom_objects: Mapping[str, Any] | None = None) -> RNN:
        config = dict(config)
        cell = _deserialize_cell(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _loop(step, xs, states, mask, first, steps, layer):
    """Keras's ``backend.rnn`` on time-major ``xs``: returns ``(outputs (B, T, ...) or None,
    last output, final states)``."""
    seq = layer.return_sequences
    unroll = True if layer.unroll else 1
    if mask is None:
        def body(carry, x_t):
            out, new = step(x_t, carry[0])
            return (new, out), (out if seq else None)

        (final, last), ys = jax.lax.scan(body, (states, jnp.zeros_like(first)), xs,
                                         unroll=unroll)
        return (jnp.swapaxes(ys, 0, 1) if seq else None), last, final

    m = jnp.asarray(mask).astype(jnp.bool_)
    if m.ndim != 2 or tuple(m.shape) != (xs.shape[1], steps):
        raise errors.JnetValueError(
            f"The mask of {type(layer).__name__} must have shape (batch, timesteps) = "
            f"{(xs.shape[1], steps)}, received {tuple(m.shape)}."
        )
    m = jnp.swapaxes(m, 0, 1)
    if layer.go_backwards:
        m = m[::-1]
    zero_out = layer.zero_output_for_mask

    def pick(m_t, new, old):
        return jnp.where(m_t.reshape((-1,) + (1,) * (new.ndim - 1)), new, old)

    def body(carry, inputs):
        st, prev = carry
        x_t, m_t = inputs
        out, new = step(x_t, st)
        held = jax.tree_util.tree_map(lambda n, o: pick(m_t, n, o), new, st)
        out = pick(m_t, out, jnp.zeros_like(prev) if zero_out else prev)
        return (held, out), (out if seq else None)

    (final, last), ys = jax.lax.scan(body, (states, jnp.zeros_like(first)), (xs, m),
                                     unroll=unroll)
    outputs = jnp.swapaxes(ys, 0, 1) if seq else None
    return outputs, last, final
