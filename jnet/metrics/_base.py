"""The metric base: configuration plus pure ``init``/``update``/``compute`` over a state pytree.

:class:`Metric` is the protocol every metric follows (Keras's ``keras/src/metrics/metric.py``);
the reductions built on it are in :mod:`jnet.metrics._reduction`. See :mod:`jnet.metrics` for
the overview.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.metrics._utils import _snake_case, _standardize_dtype

__all__ = ["Metric"]

Array = jax.Array


class Metric:
    """Base class: configuration plus pure ``init``/``update``/``compute`` over a state pytree.

    Subclasses implement :meth:`init`, :meth:`update` and :meth:`compute`. The stateful
    Keras API (:meth:`update_state`, :meth:`result`, :meth:`reset_state`, ``__call__``) runs
    them on an internal state.

    Args:
        name: the metric's name (its key in the training logs). Defaults to the snake-cased
            class name.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> class Count(Metric):
        ...     def init(self):
        ...         return jnp.zeros((), jnp.float32)
        ...     def update(self, state, y_true, y_pred, sample_weight=None):
        ...         return state + jnp.float32(np.shape(y_true)[0])
        ...     def compute(self, state):
        ...         return state
        >>> m = Count()
        >>> m.update_state(np.zeros(3), np.zeros(3))
        >>> float(m.result())
        3.0
    """

    def __init__(self, name: str | None = None, dtype: Any = None):
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string; received {errors.describe(name)}."
            )
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = _standardize_dtype(dtype)
        self._state = None

    # Pure API -----------------------------------------------------------------------------

    def init(self) -> Any:
        """A fresh state (a pytree of arrays); needs no shapes (see :meth:`init_for`)."""
        raise NotImplementedError(f"{type(self).__name__} must implement init().")

    def init_for(self, y_true: Any, y_pred: Any) -> Any:
        """A fresh state for batches shaped like these (static shapes only, never values).

        The same as :meth:`init` except for metrics whose state has one entry per class
        (:class:`R2Score`, :class:`FBetaScore`, multi-label :class:`AUC`) built without a
        class count; a training engine should call this with the first batch's shapes.
        """
        del y_true, y_pred
        return self.init()

    def update(self, state: Any, *args, **kwargs) -> Any:
        """The state after one batch. Pure and jit-able."""
        raise NotImplementedError(f"{type(self).__name__} must implement update(state, ...).")

    def compute(self, state: Any) -> Array:
        """The metric's value for ``state``."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute(state).")

    def merge(self, state_a: Any, state_b: Any) -> Any:
        """Combines two states (e.g. from two devices): the sum of their accumulators."""
        return jax.tree_util.tree_map(jnp.add, state_a, state_b)

    def result(self, state: Any = None) -> Array:
        """The value for ``state``, or for the internal state when ``state`` is None."""
        return self.compute(self.state if state is None else state)

    # Stateful (Keras) API -----------------------------------------------------------------

    @property
    def state(self) -> Any:
        """The internal state used by :meth:`update_state` and :meth:`result`."""
        if self._state is None:
            self._state = self.init()
        return self._state

    @state.setter
    def state(self, value: Any) -> None:
        self._state = value

    def update_state(self, *args, **kwargs) -> None:
        """Accumulates one batch into the internal state (Keras's ``update_state``)."""
        if self._state is None and len(args) >= 2:
            self._state = self.init_for(args[0], args[1])
        self._state = self.update(self.state, *args, **kwargs)

    def reset_state(self) -> None:
        """Zeroes the internal state (keeping its shapes, as Keras keeps its variables)."""
        if self._state is None:
            return
        self._state = jax.tree_util.tree_map(jnp.zeros_like, self._state)

    def __call__(self, *args, **kwargs) -> Array:
        """Keras's ``metric(...)``: :meth:`update_state`, then :meth:`result`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        """The constructor arguments, as Keras serialises them."""
        return {"name": self.name, "dtype": str(self.dtype)}

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        """Builds the metric from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
