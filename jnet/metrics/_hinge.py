"""Hinge metrics (``keras/src/metrics/hinge_metrics.py``): Hinge, SquaredHinge,
CategoricalHinge, with their per-sample functions.

Example:
    >>> m = Hinge()
    >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.3
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet.metrics._regression import _wrapper_class
from jnet.metrics._utils import _as_float

__all__ = [
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
]

Array = jax.Array


def _hinge_labels(y_true: Array) -> Array:
    """Keras's ``convert_binary_labels_to_hinge``: 0/1 labels become -1/1 when ALL the batch's
    labels are 0 or 1 (a value test, done with ``where`` so it jits)."""
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _prepare(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    return jnp.asarray(y_true).astype(y_pred.dtype), y_pred


def hinge(y_true: Any, y_pred: Any) -> Array:
    """``mean(max(1 - y_true * y_pred, 0))`` over the last axis (0/1 labels become -1/1).

    Args:
        y_true: -1/1 (or 0/1) labels.
        y_pred: scores, same shape.

    Returns:
        Per-sample values.

    Example:
        >>> [round(float(v), 4) for v in hinge([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])]
        [1.1, 1.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return jnp.mean(jnp.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Array:
    """``mean(max(1 - y_true * y_pred, 0) ** 2)`` over the last axis.

    Args:
        y_true: -1/1 (or 0/1) labels.
        y_pred: scores, same shape.

    Returns:
        Per-sample values.

    Example:
        >>> [round(float(v), 4) for v in squared_hinge([[0, 1]], [[0.6, 0.4]])]
        [1.46]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return jnp.mean(jnp.square(jnp.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Array:
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` per sample.

    Args:
        y_true: one-hot labels.
        y_pred: scores, same shape.

    Returns:
        Per-sample values.

    Example:
        >>> [round(float(v), 4) for v in categorical_hinge([[0, 1]], [[0.6, 0.4]])]
        [1.2]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    pos = jnp.sum(y_true * y_pred, axis=-1)
    neg = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(neg - pos + 1.0, jnp.zeros((), y_pred.dtype))


Hinge = _wrapper_class(
    hinge,
    "Hinge",
    "hinge",
    """Running mean of :func:`hinge`.

    Args:
        name: Defaults to ``'hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.3
    """,
    __name__,
)
SquaredHinge = _wrapper_class(
    squared_hinge,
    "SquaredHinge",
    "squared_hinge",
    """Running mean of :func:`squared_hinge`.

    Args:
        name: Defaults to ``'squared_hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[0, 1]], [[0.6, 0.4]])
        >>> round(float(m.result()), 4)
        1.46
    """,
    __name__,
)
CategoricalHinge = _wrapper_class(
    categorical_hinge,
    "CategoricalHinge",
    "categorical_hinge",
    """Running mean of :func:`categorical_hinge`.

    Args:
        name: Defaults to ``'categorical_hinge'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0, 1]], [[0.6, 0.4]])
        >>> round(float(m.result()), 4)
        1.2
    """,
    __name__,
)
