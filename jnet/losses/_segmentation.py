"""Image-segmentation losses: Dice and Tversky (overlap between masks).

Functions and classes follow ``keras/src/losses/losses.py``. With ``axis=None`` (the default)
the sums run over every axis, batch included, so the function returns one scalar for the batch.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._utils import EPSILON, Array, _as_float, _broadcast_pair

__all__ = ["Dice", "Tversky", "dice", "tversky"]


def _prepare(y_true: Any, y_pred: Any, what: str) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    return _broadcast_pair(y_true, y_pred, what, "y_true", "y_pred")


def dice(y_true: Any, y_pred: Any, axis: Any = None) -> Array:
    """Dice loss: ``1 - 2 sum(y_true y_pred) / (sum(y_true) + sum(y_pred) + 1e-7)``.

    Args:
        y_true: target masks.
        y_pred: predicted masks, same shape (or broadcastable).
        axis: the axis or axes summed over; None sums over all of them. Defaults to None.

    Returns:
        The loss, with ``axis`` reduced (a scalar for ``axis=None``).

    Example:
        >>> round(float(dice([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.1], [0.6, 0.9]])), 4)
        0.1481
    """
    y_true, y_pred = _prepare(y_true, y_pred, "dice")
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    denominator = jnp.sum(y_true, axis=axis) + jnp.sum(y_pred, axis=axis) + EPSILON
    return 1 - (2.0 * intersection) / denominator


def tversky(
    y_true: Any, y_pred: Any, alpha: float = 0.5, beta: float = 0.5, axis: Any = None
) -> Array:
    """Tversky loss: ``1 - TP / (TP + alpha FP + beta FN + 1e-7)``.

    With ``TP = sum(y_true y_pred)``, ``FP = sum((1 - y_pred) y_true)`` and
    ``FN = sum(y_pred (1 - y_true))``, as Keras writes them. ``alpha = beta = 0.5`` gives Dice.

    Args:
        y_true: target masks.
        y_pred: predicted masks, same shape (or broadcastable).
        alpha: the weight of the ``FP`` term. Defaults to 0.5.
        beta: the weight of the ``FN`` term. Defaults to 0.5.
        axis: the axis or axes summed over; None sums over all of them. Defaults to None.

    Returns:
        The loss, with ``axis`` reduced (a scalar for ``axis=None``).

    Example:
        >>> round(float(tversky([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.1], [0.6, 0.9]])), 4)
        0.1481
    """
    y_true, y_pred = _prepare(y_true, y_pred, "tversky")
    intersection = jnp.sum(y_true * y_pred, axis=axis)
    fp = jnp.sum((1 - y_pred) * y_true, axis=axis)
    fn = jnp.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + EPSILON)


class Dice(LossFunctionWrapper):
    """Dice loss; see :func:`dice`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'dice'``.
        axis: the axis or axes summed over; None sums over all. Defaults to None.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(Dice(axis=-1)([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.1], [0.6, 0.9]])), 4)
        0.1504
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Tversky loss; see :func:`tversky`.

    Args:
        alpha: the weight of the false-positive term. Defaults to 0.5.
        beta: the weight of the false-negative term. Defaults to 0.5.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'tversky'``.
        axis: the axis or axes summed over; None sums over all. Defaults to None.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> loss = Tversky(alpha=0.3, beta=0.7)
        >>> round(float(loss([[1.0, 0.0], [1.0, 1.0]], [[0.8, 0.1], [0.6, 0.9]])), 4)
        0.1085
    """

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}
