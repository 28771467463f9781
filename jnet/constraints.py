"""Weight constraints, as ``keras.constraints`` (Keras 3's numbers).

A constraint is a callable ``w -> projected w``. Layers take them as ``kernel_constraint=``,
``bias_constraint=``, ...; training applies each to its weight after every optimizer update.

Example:
    >>> import jax.numpy as jnp
    >>> NonNeg()(jnp.array([-1.0, 2.0]))
    Array([0., 2.], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp

from jnet._registry import Registry, keras_object_config

__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]

_EPSILON = 1e-7  # Keras's backend.epsilon()


class Constraint:
    """Base class of constraints: ``__call__(w)`` returns ``w`` projected (unchanged here).

    Example:
        >>> import jax.numpy as jnp
        >>> Constraint()(jnp.array([1.0]))
        Array([1.], dtype=float32)
    """

    def __call__(self, w: Any) -> Any:
        return jnp.asarray(w)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (Keras's ``get_config``)."""
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Constraint:
        """Builds the constraint from :meth:`get_config`'s dict."""
        return cls(**dict(config))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.get_config())))


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list | tuple) else axis


def _norms(w: jnp.ndarray, axis: Any) -> jnp.ndarray:
    return jnp.sqrt(jnp.sum(jnp.square(w), axis=_axis(axis), keepdims=True))


def _float(w: Any) -> jnp.ndarray:
    w = jnp.asarray(w)
    return w if jnp.issubdtype(w.dtype, jnp.floating) else w.astype(jnp.float32)


class MaxNorm(Constraint):
    """Rescales each slice along ``axis`` to an L2 norm of at most ``max_value``:
    ``w * clip(norm, 0, max_value) / (epsilon + norm)``.

    Args:
        max_value: the largest norm (default 2).
        axis: the axis (or axes) the norms are taken over (default 0: a Dense kernel's
            incoming weights; ``[0, 1, 2]`` for a Conv2D kernel's filters).

    Example:
        >>> import jax.numpy as jnp
        >>> MaxNorm(1.0)(jnp.array([[3.0], [4.0]])).round(3)
        Array([[0.6],
               [0.8]], dtype=float32)
    """

    def __init__(self, max_value: float = 2, axis: Any = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = _float(w)
        norms = _norms(w, self.axis)
        desired = jnp.clip(norms, 0, self.max_value)
        return w * (desired / (_EPSILON + norms))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Clips weights at 0 from below.

    Example:
        >>> import jax.numpy as jnp
        >>> NonNeg()(jnp.array([-3.0, 1.0]))
        Array([0., 1.], dtype=float32)
    """

    def __call__(self, w: Any) -> Any:
        w = jnp.asarray(w)
        return jnp.maximum(w, jnp.zeros((), w.dtype))


class UnitNorm(Constraint):
    """Rescales each slice along ``axis`` to unit L2 norm: ``w / (epsilon + norm)``.

    Args:
        axis: the axis (or axes) the norms are taken over (default 0).

    Example:
        >>> import jax.numpy as jnp
        >>> UnitNorm()(jnp.array([[3.0], [4.0]])).round(3)
        Array([[0.6],
               [0.8]], dtype=float32)
    """

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = _float(w)
        return w / (_EPSILON + _norms(w, self.axis))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's norm towards ``[min_value, max_value]``:
    ``w * (rate * clip(norm, min, max) + (1 - rate) * norm) / (epsilon + norm)``.

    Args:
        min_value: the smallest norm (default 0.0).
        max_value: the largest norm (default 1.0).
        rate: 1.0 enforces the bounds strictly; less moves the norm part of the way.
        axis: the axis (or axes) the norms are taken over (default 0).

    Example:
        >>> import jax.numpy as jnp
        >>> MinMaxNorm(1.0, 2.0)(jnp.array([[0.3], [0.4]])).round(3)
        Array([[0.6],
               [0.8]], dtype=float32)
    """

    def __init__(
        self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Any = 0
    ):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = _float(w)
        norms = _norms(w, self.axis)
        desired = self.rate * jnp.clip(norms, self.min_value, self.max_value) + (
            1 - self.rate
        ) * norms
        return w * (desired / (_EPSILON + norms))

    def get_config(self) -> dict[str, Any]:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


# Keras's lowercase names: the same classes (``keras.constraints.max_norm is MaxNorm``).
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_REGISTRY = Registry(
    "constraint",
    {
        "MaxNorm": MaxNorm,
        "MinMaxNorm": MinMaxNorm,
        "NonNeg": NonNeg,
        "UnitNorm": UnitNorm,
        "Constraint": Constraint,
    },
    aliases={
        "max_norm": "MaxNorm",
        "min_max_norm": "MinMaxNorm",
        "non_neg": "NonNeg",
        "unit_norm": "UnitNorm",
        "constraint": "Constraint",
    },
)


def get(identifier: Any) -> Any:
    """Resolves a constraint identifier as ``keras.constraints.get`` does.

    Args:
        identifier: None; a name (``'max_norm'``, ``'MaxNorm'``, ``'non_neg'``,
            ``'unit_norm'``, ``'min_max_norm'``) built with its defaults; a config dict; a
            class (instantiated); or a callable ``w -> w`` (returned as is).

    Returns:
        The constraint, or None.

    Raises:
        UnknownIdentifierError: an unknown name (the valid names are listed).
        JnetTypeError: anything else.

    Example:
        >>> get("max_norm")
        MaxNorm(max_value=2, axis=0)
    """
    return _REGISTRY.resolve(
        identifier,
        "a name such as 'max_norm', a config dict, a Constraint, or a callable w -> w",
    )


def serialize(constraint: Any) -> Any:
    """Keras's config dict of a constraint (None for None; a plain function: its name).

    Example:
        >>> serialize(MaxNorm(3))["config"]
        {'max_value': 3, 'axis': 0}
    """
    if constraint is None:
        return None
    if isinstance(constraint, Constraint):
        return keras_object_config(constraint, "keras.constraints")
    return getattr(constraint, "__name__", repr(constraint))


def deserialize(config: Any) -> Any:
    """Builds a constraint from :func:`serialize`'s (or Keras's) output.

    Example:
        >>> deserialize(serialize(UnitNorm(axis=1)))
        UnitNorm(axis=1)
    """
    return get(config)
