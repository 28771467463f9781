"""Regression losses: squared, absolute, percentage, logarithmic, Huber, log-cosh, cosine.

Functions and classes follow ``keras/src/losses/losses.py``; functions return per-sample
values averaged over the last axis, classes reduce them (see :class:`jnet.losses.Loss`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._utils import (
    EPSILON,
    Array,
    _as_float,
    _broadcast_pair,
    _check_axis,
    squeeze_or_expand_to_same_rank,
)

__all__ = [
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "Huber",
    "LogCosh",
    "CosineSimilarity",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "huber",
    "log_cosh",
    "cosine_similarity",
]


def _prepare(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_squared_error(y_true: Any, y_pred: Any) -> Array:
    """Mean squared error per sample: ``mean((y_true - y_pred) ** 2, axis=-1)``.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])]
        [0.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "mean_squared_error", "y_true", "y_pred")
    return jnp.mean(jnp.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Array:
    """Mean absolute error per sample: ``mean(|y_true - y_pred|, axis=-1)``.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]])]
        [0.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "mean_absolute_error", "y_true", "y_pred")
    return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Array:
    """Huber loss per sample, averaged over the last axis.

    With ``e = y_pred - y_true``: ``0.5 * e**2`` where ``|e| <= delta``, else
    ``delta * |e| - 0.5 * delta**2``.

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.

    Returns:
        Per-sample values of shape ``y_pred.shape[:-1]``.

    Example:
        >>> round(float(huber([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]).mean()), 3)
        0.155
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "huber", "y_true", "y_pred")
    delta = jnp.asarray(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = jnp.abs(error)
    half = jnp.asarray(0.5, y_pred.dtype)
    return jnp.mean(
        jnp.where(
            abs_error <= delta,
            half * jnp.square(error),
            delta * abs_error - half * jnp.square(delta),
        ),
        axis=-1,
    )


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Array:
    """Mean absolute percentage error per sample.

    ``100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1)``.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 3) for v in mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]])]
        [37.5]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(
        y_true, y_pred, "mean_absolute_percentage_error", "y_true", "y_pred"
    )
    epsilon = jnp.asarray(EPSILON, y_pred.dtype)
    diff = jnp.abs((y_true - y_pred) / jnp.maximum(jnp.abs(y_true), epsilon))
    return jnp.asarray(100.0, y_pred.dtype) * jnp.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Array:
    """Mean squared logarithmic error per sample.

    ``mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1)) ** 2, axis=-1)``.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 4) for v in mean_squared_logarithmic_error([[0.0, 1.0]], [[1.0, 1.0]])]
        [0.2402]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(
        y_true, y_pred, "mean_squared_logarithmic_error", "y_true", "y_pred"
    )
    epsilon = jnp.asarray(EPSILON, y_pred.dtype)
    one = jnp.asarray(1.0, y_pred.dtype)
    first_log = jnp.log(jnp.maximum(y_pred, epsilon) + one)
    second_log = jnp.log(jnp.maximum(y_true, epsilon) + one)
    return jnp.mean(jnp.square(first_log - second_log), axis=-1)


def _tf_softplus(x: Array) -> Array:
    """TensorFlow's softplus: ``x`` above ``-log(eps) - 2``, ``exp(x)`` below its negative."""
    threshold = jnp.asarray(np.log(np.finfo(x.dtype).eps) + 2.0, x.dtype)
    exp_x = jnp.exp(x)
    return jnp.where(x > -threshold, x, jnp.where(x < threshold, exp_x, jnp.log1p(exp_x)))


def log_cosh(y_true: Any, y_pred: Any) -> Array:
    """Logarithm of the hyperbolic cosine of the error, averaged over the last axis.

    Computed stably as ``x + softplus(-2 x) - log(2)`` with ``x = y_pred - y_true``, as Keras
    does. ``log(cosh(x))`` is about ``x**2 / 2`` for small ``x`` and ``|x| - log(2)`` for large.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> y_true, y_pred = [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]
        >>> [round(float(v), 3) for v in log_cosh(y_true, y_pred)]
        [0.217, 0.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "log_cosh", "y_true", "y_pred")
    log2 = jnp.log(jnp.asarray(2.0, y_pred.dtype))
    x = y_pred - y_true
    return jnp.mean(x + _tf_softplus(x * jnp.asarray(-2.0, x.dtype)) - log2, axis=-1)


def _l2_normalize(x: Array, axis: int) -> Array:
    """Keras's ``ops.normalize(x, order=2)``: ``x * min(rsqrt(sum(x**2)), 1 / 1e-7)``."""
    inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
    return x * jnp.minimum(inv_norm, jnp.asarray(1.0 / EPSILON, x.dtype))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Array:
    """Negative cosine similarity per sample: ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))``.

    Between -1 (same direction) and 1 (opposite); 0 when either vector is zero.

    Args:
        y_true: targets, shape ``(N, ..., D)`` (or ``(N,)`` against ``y_pred`` ``(N, 1)``).
        y_pred: predictions, same shape.
        axis: the axis the similarity is computed along. Defaults to -1.

    Returns:
        Per-sample values with ``axis`` removed.

    Example:
        >>> y_true = [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
        >>> y_pred = [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0]]
        >>> [round(float(v), 4) for v in cosine_similarity(y_true, y_pred)]
        [-0.0, -1.0, 1.0]
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "cosine_similarity", "y_true", "y_pred")
    axis = _check_axis(axis, max(y_pred.ndim, 1), "cosine_similarity")
    if y_pred.ndim == 0:
        y_true, y_pred = y_true[None], y_pred[None]
    return -jnp.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors: ``mean((y_true - y_pred) ** 2)``.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'mean_squared_error'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])), 4)
        0.02
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: ``mean(|y_true - y_pred|)``.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'mean_absolute_error'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(MeanAbsoluteError()([1.0, 0.3, 1.0], [1.9, 0.3, 1.8])), 4)
        0.5667
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class Huber(LossFunctionWrapper):
    """Huber loss; see :func:`huber`.

    Args:
        delta: where the loss turns from quadratic to linear. Defaults to 1.0.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'huber_loss'`` (Keras's name).
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(Huber()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        0.155
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self) -> dict:
        # Keras 3.15 leaves `delta` out of Huber's config; jnet keeps it so configs round-trip.
        return {**Loss.get_config(self), "delta": self.delta}

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error; see :func:`mean_absolute_percentage_error`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'mean_absolute_percentage_error'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]])), 3)
        37.5
    """

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_absolute_percentage_error",
        dtype=None,
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )

    def get_config(self) -> dict:
        return Loss.get_config(self)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error; see :func:`mean_squared_logarithmic_error`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'mean_squared_logarithmic_error'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(MeanSquaredLogarithmicError()([[0.0, 1.0]], [[1.0, 1.0]])), 4)
        0.2402
    """

    def __init__(
        self,
        reduction="sum_over_batch_size",
        name="mean_squared_logarithmic_error",
        dtype=None,
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )

    def get_config(self) -> dict:
        return Loss.get_config(self)


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error; see :func:`log_cosh`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'log_cosh'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])), 3)
        0.108
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity; see :func:`cosine_similarity`.

    Args:
        axis: the axis the similarity is computed along. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'cosine_similarity'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true = [[0.0, 1.0], [1.0, 1.0]]
        >>> y_pred = [[1.0, 0.0], [1.0, 1.0]]
        >>> round(float(CosineSimilarity()(y_true, y_pred)), 3)
        -0.5
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        # Keras 3.15 leaves `axis` out of the config; jnet keeps it so configs round-trip.
        return {**Loss.get_config(self), "axis": self.axis}
