"""Weight and activity regularizers, as ``keras.regularizers`` (Keras 3's numbers).

A regularizer is a callable ``penalty = regularizer(x)`` returning a float32 scalar. Layers take
them as ``kernel_regularizer=``, ``bias_regularizer=``, ``activity_regularizer=`` (names,
config dicts, objects or plain callables); training adds the penalties to the loss.

Example:
    >>> import jax.numpy as jnp
    >>> float(L2(2.0)(jnp.ones((5, 5))))
    50.0
    >>> get("l2").get_config()
    {'l2': 0.01}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet._registry import Registry, keras_object_config

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]


def _factor(value: Any, name: str, owner: str) -> float:
    """Keras's ``validate_float_arg``: a finite non-negative number."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise errors.JnetValueError(
            f"{owner}: {name} must be a non-negative finite float, received {value!r}."
        )
    return float(value)


class Regularizer:
    """Base class of regularizers: ``__call__(x)`` returns a scalar penalty (0 here).

    Example:
        >>> import jax.numpy as jnp
        >>> class Sum(Regularizer):
        ...     def __call__(self, x):
        ...         return jnp.sum(x)
        ...     def get_config(self):
        ...         return {}
        >>> float(Sum()(jnp.ones(3)))
        3.0
    """

    def __call__(self, x: Any) -> Any:
        return jnp.zeros((), jnp.float32)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (Keras's ``get_config``)."""
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Regularizer:
        """Builds the regularizer from :meth:`get_config`'s dict."""
        return cls(**dict(config))

    def __repr__(self) -> str:
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.get_config().items()))))


def _abs(x: jnp.ndarray) -> jnp.ndarray:
    """``|x|`` with TensorFlow's gradient ``sign(x)`` (0 at 0; JAX's ``abs`` gives 1 there,
    which moves zero-initialized biases under an L1 penalty where Keras does not)."""
    return x * jax.lax.stop_gradient(jnp.sign(x))


def _x(x: Any) -> jnp.ndarray:
    x = jnp.asarray(x)
    return x if jnp.issubdtype(x.dtype, jnp.floating) else x.astype(jnp.float32)


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x**2)``.

    Args:
        l1: non-negative L1 factor (default 0.0; None means 0.0).
        l2: non-negative L2 factor (default 0.0; None means 0.0).

    Example:
        >>> import jax.numpy as jnp
        >>> float(L1L2(l1=1.0, l2=1.0)(jnp.array([-1.0, 2.0])))
        8.0
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _factor(0.0 if l1 is None else l1, "l1", "L1L2")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2", "L1L2")

    def __call__(self, x: Any) -> Any:
        x = _x(x)
        penalty = jnp.zeros((), x.dtype)
        if self.l1 != 0.0:
            penalty = penalty + jnp.asarray(self.l1, x.dtype) * jnp.sum(_abs(x))
        if self.l2 != 0.0:
            penalty = penalty + jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))
        return penalty

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(|x|)``.

    Args:
        l1: non-negative factor (default 0.01; None means 0.01).

    Example:
        >>> import jax.numpy as jnp
        >>> float(L1(0.5)(jnp.array([-1.0, 3.0])))
        2.0
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _factor(0.01 if l1 is None else l1, "l1", "L1")

    def __call__(self, x: Any) -> Any:
        x = _x(x)
        return jnp.asarray(self.l1, x.dtype) * jnp.sum(_abs(x))

    def get_config(self) -> dict[str, Any]:
        return {"l1": float(np.float32(self.l1))}


class L2(Regularizer):
    """``l2 * sum(x**2)``.

    Args:
        l2: non-negative factor (default 0.01; None means 0.01).

    Example:
        >>> import jax.numpy as jnp
        >>> float(L2(0.5)(jnp.array([-1.0, 3.0])))
        5.0
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = _factor(0.01 if l2 is None else l2, "l2", "L2")

    def __call__(self, x: Any) -> Any:
        x = _x(x)
        return jnp.asarray(self.l2, x.dtype) * jnp.sum(jnp.square(x))

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Penalizes non-orthogonal rows (or columns) of a rank-2 weight:
    ``factor * 0.5 * sum(|P - diag(P)|) / (n (n - 1) / 2)`` with ``P`` the Gram matrix of the
    L2-normalized rows (``mode='rows'``) or columns (``mode='columns'``).

    Args:
        factor: non-negative factor (default 0.01).
        mode: ``'rows'`` (default) or ``'columns'``.

    Example:
        >>> import jax.numpy as jnp
        >>> float(OrthogonalRegularizer(1.0)(jnp.eye(3)))
        0.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _factor(factor, "factor", "OrthogonalRegularizer")
        if mode not in ("rows", "columns"):
            raise errors.JnetValueError(
                f"OrthogonalRegularizer: mode must be one of 'rows', 'columns', received "
                f"{mode!r}."
            )
        self.mode = mode

    def __call__(self, x: Any) -> Any:
        x = _x(x)
        if x.ndim != 2:
            raise errors.JnetValueError(
                f"OrthogonalRegularizer: inputs must have rank 2, received shape {x.shape}."
            )
        axis = 1 if self.mode == "rows" else 0
        # Keras's normalize(order=2): x * min(rsqrt(sum x^2), 1 / epsilon), epsilon 1e-7.
        square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
        x = x * jnp.minimum(jax.lax.rsqrt(square_sum), jnp.asarray(1.0 / 1e-7, x.dtype))
        if self.mode == "rows":
            product, size = jnp.matmul(x, x.T), x.shape[0]
        else:
            product, size = jnp.matmul(x.T, x), x.shape[1]
        off_diagonal = product * (1.0 - jnp.eye(size, dtype=x.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        return (
            jnp.asarray(self.factor, x.dtype) * 0.5 * jnp.sum(_abs(off_diagonal))
            / jnp.asarray(num_pairs, x.dtype)
        )

    def get_config(self) -> dict[str, Any]:
        return {"factor": float(np.float32(self.factor)), "mode": self.mode}


# Keras's lowercase names: the same classes (``keras.regularizers.l2 is keras.regularizers.L2``).
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_REGISTRY = Registry(
    "regularizer",
    {
        "L1": L1,
        "L2": L2,
        "L1L2": L1L2,
        "OrthogonalRegularizer": OrthogonalRegularizer,
        "Regularizer": Regularizer,
    },
    aliases={
        "l1": "L1",
        "l2": "L2",
        "l1l2": "L1L2",
        "l1_l2": "L1L2",
        "orthogonal_regularizer": "OrthogonalRegularizer",
        "regularizer": "Regularizer",
    },
)


def get(identifier: Any) -> Any:
    """Resolves a regularizer identifier as ``keras.regularizers.get`` does.

    Args:
        identifier: None; a name (``'l1'``, ``'l2'``, ``'l1_l2'``, ``'L1L2'``,
            ``'orthogonal_regularizer'``, ...) built with its defaults; a config dict
            ``{'class_name': ..., 'config': {...}}``; a class (instantiated); or a callable
            ``x -> penalty`` (returned as is). Unlike Keras, ``'l1_l2'`` (the name of Keras's
            ``l1_l2`` function) is accepted as an alias of ``'L1L2'``.

    Returns:
        The regularizer, or None.

    Raises:
        UnknownIdentifierError: an unknown name (the valid names are listed).
        JnetTypeError: anything else.

    Example:
        >>> get({"class_name": "L2", "config": {"l2": 0.1}})
        L2(l2=0.1)
    """
    return _REGISTRY.resolve(
        identifier,
        "a name such as 'l2', a config dict, a Regularizer, or a callable x -> penalty",
    )


def serialize(regularizer: Any) -> Any:
    """Keras's config dict of a regularizer (None for None; a plain function: its name).

    Example:
        >>> serialize(L2(0.1))["class_name"]
        'L2'
    """
    if regularizer is None:
        return None
    if isinstance(regularizer, Regularizer):
        return keras_object_config(regularizer, "keras.regularizers")
    return getattr(regularizer, "__name__", repr(regularizer))


def deserialize(config: Any) -> Any:
    """Builds a regularizer from :func:`serialize`'s (or Keras's) output.

    Example:
        >>> deserialize(serialize(L1L2(l1=0.1)))
        L1L2(l1=0.1, l2=0.0)
    """
    return get(config)
