"""Hinge losses (maximum-margin classification): hinge, squared hinge, categorical hinge.

Functions and classes follow ``keras/src/losses/losses.py``. Binary labels ``{0, 1}`` are turned
into ``{-1, 1}`` when *every* label is 0 or 1 (Keras's ``convert_binary_labels_to_hinge``).
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._utils import Array, _as_float, _broadcast_pair

__all__ = [
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
]


def _prepare(y_true: Any, y_pred: Any, what: str) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    return _broadcast_pair(y_true, y_pred, what, "y_true", "y_pred")


def _binary_labels_to_hinge(y_true: Array) -> Array:
    """``2 y - 1`` when every label is 0 or 1, else the labels unchanged."""
    is_binary = jnp.all((y_true == 0) | (y_true == 1))
    return jnp.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true: Any, y_pred: Any) -> Array:
    """Hinge loss per sample: ``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``.

    Args:
        y_true: labels in ``{-1, 1}`` (or ``{0, 1}``, converted), shape ``(N, ..., D)``.
        y_pred: predicted scores, same shape (or broadcastable).

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 3) for v in hinge([[0.0, 1.0]], [[0.6, 0.4]])]
        [1.1]
    """
    y_true, y_pred = _prepare(y_true, y_pred, "hinge")
    y_true = _binary_labels_to_hinge(y_true)
    return jnp.mean(jnp.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Array:
    """Squared hinge loss per sample: ``mean(maximum(1 - y_true * y_pred, 0) ** 2, axis=-1)``.

    Args:
        y_true: labels in ``{-1, 1}`` (or ``{0, 1}``, converted), shape ``(N, ..., D)``.
        y_pred: predicted scores, same shape (or broadcastable).

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 3) for v in squared_hinge([[0.0, 1.0]], [[0.6, 0.4]])]
        [1.46]
    """
    y_true, y_pred = _prepare(y_true, y_pred, "squared_hinge")
    y_true = _binary_labels_to_hinge(y_true)
    return jnp.mean(jnp.square(jnp.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Array:
    """Categorical hinge loss per sample: ``maximum(neg - pos + 1, 0)``.

    With ``pos = sum(y_true * y_pred)`` and ``neg = max((1 - y_true) * y_pred)`` over the last
    axis.

    Args:
        y_true: one-hot labels (``{0, 1}`` or ``{-1, 1}``), shape ``(N, ..., C)``.
        y_pred: predicted scores, same shape (or broadcastable).

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 3) for v in categorical_hinge([[0.0, 1.0, 0.0]], [[0.2, 0.5, 0.3]])]
        [0.8]
    """
    y_true, y_pred = _prepare(y_true, y_pred, "categorical_hinge")
    pos = jnp.sum(y_true * y_pred, axis=-1)
    neg = jnp.max((1.0 - y_true) * y_pred, axis=-1)
    return jnp.maximum(neg - pos + 1.0, jnp.zeros((), y_pred.dtype))


class Hinge(LossFunctionWrapper):
    """Hinge loss; see :func:`hinge`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'hinge'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(Hinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.3
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss; see :func:`squared_hinge`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'squared_hinge'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(SquaredHinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.86
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss; see :func:`categorical_hinge`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_hinge'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(CategoricalHinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.4
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)
