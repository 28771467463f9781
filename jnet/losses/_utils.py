"""Shape, dtype, naming and reduction helpers shared by every loss (and by the metrics).

Rank alignment (:func:`squeeze_or_expand_to_same_rank`), explicit broadcasting with error
messages that name both shapes, dtype checks, Keras's object naming, and the weighting and
reduction of per-sample values (:func:`reduce_weighted_values`, Keras's ``Loss.__call__``
arithmetic from ``keras/src/losses/loss.py``). Nothing here knows any particular loss.
"""

from __future__ import annotations

import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

__all__ = [
    "EPSILON",
    "REDUCTIONS",
    "squeeze_or_expand_to_same_rank",
    "reduce_weighted_values",
]

EPSILON = 1e-7
"""Keras's ``backend.epsilon()``: the clipping margin of crossentropies from probabilities."""

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)
"""Every reduction a :class:`Loss` accepts (``'none'`` and ``None`` both mean no reduction)."""

Array = jax.Array


# --------------------------------------------------------------------------------------------
# Shape and dtype helpers
# --------------------------------------------------------------------------------------------


def _shape(x: Any) -> tuple:
    return tuple(np.shape(x))  # reads `.shape` first: arrays, tracers, jax.ShapeDtypeStruct


def _as_float(x: Any, dtype: Any = None) -> Array:
    """``x`` as a JAX array of ``dtype``, or of its own float dtype (float32 for non-floats)."""
    x = jnp.asarray(x)
    if dtype is not None:
        return x.astype(dtype)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x.astype(jnp.float32)
    return x


def _standardize_dtype(dtype: Any) -> np.dtype:
    if dtype is None:
        return jnp.dtype(jnp.float32)
    dtype = getattr(dtype, "compute_dtype", dtype)  # accept Keras-style DTypePolicy objects
    try:
        result = jnp.dtype(dtype)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"Argument `dtype` must be a floating dtype such as 'float32'; received "
            f"{errors.describe(dtype)}."
        ) from e
    if not jnp.issubdtype(result, jnp.floating):
        raise errors.JnetValueError(
            f"Argument `dtype` must be a floating dtype such as 'float32'; received {dtype!r}."
        )
    return result


def _snake_case(name: str) -> str:
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _object_name(obj: Any) -> str:
    """Keras's ``naming.get_object_name``: ``.name``, else the snake-cased ``__name__``."""
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return _snake_case(obj.__name__)
    return _snake_case(type(obj).__name__)


def _broadcast_pair(a: Array, b: Array, what: str, a_name: str, b_name: str):
    """Broadcasts two arrays explicitly (NumPy/TensorFlow rules) or raises naming both shapes."""
    if a.shape == b.shape:
        return a, b
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise errors.JnetValueError(
            f"{what}: {a_name} of shape {a.shape} and {b_name} of shape {b.shape} cannot be "
            f"broadcast together. Give them the same shape (a trailing dimension of 1 is "
            f"squeezed or added automatically)."
        ) from None
    return jnp.broadcast_to(a, shape), jnp.broadcast_to(b, shape)


def _require_same_shape(y_true: Array, y_pred: Array, what: str) -> None:
    if y_true.shape != y_pred.shape:
        raise errors.JnetValueError(
            f"{what}: y_true and y_pred must have the same shape; received y_true of shape "
            f"{y_true.shape} and y_pred of shape {y_pred.shape}. A trailing dimension of 1 is "
            f"squeezed or added automatically; anything else must match."
        )


def _check_axis(axis: Any, ndim: int, what: str) -> int:
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise errors.JnetTypeError(
            f"{what}: argument `axis` must be an int; received {errors.describe(axis)}."
        )
    if not -ndim <= axis < ndim:
        raise errors.JnetValueError(
            f"{what}: argument `axis`={axis} is out of range for y_pred of rank {ndim}."
        )
    return int(axis) % ndim


def _divide_no_nan(x: Array, y: Array) -> Array:
    """``x / y``, or 0 where ``y == 0`` (with a gradient that stays finite)."""
    zero = y == 0
    safe = jnp.where(zero, jnp.ones_like(y), y)
    return jnp.where(zero, jnp.zeros_like(x), x / safe)


def squeeze_or_expand_to_same_rank(x1: Any, x2: Any, expand_rank_1: bool = True):
    """Aligns ranks that differ by one through a trailing dimension of 1, as Keras does.

    If one array has one more dimension than the other and that last dimension is 1, the
    rank-1 partner is expanded to ``(N, 1)`` (with ``expand_rank_1``) or the size-1 dimension
    is squeezed. Anything else is returned unchanged.

    Args:
        x1: an array.
        x2: an array.
        expand_rank_1: expand a rank-1 partner instead of squeezing. Defaults to True.

    Returns:
        ``(x1, x2)`` as JAX arrays, possibly reshaped.

    Example:
        >>> a, b = squeeze_or_expand_to_same_rank(np.zeros(4), np.zeros((4, 1)))
        >>> a.shape, b.shape
        ((4, 1), (4, 1))
    """
    x1, x2 = jnp.asarray(x1), jnp.asarray(x2)
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = jnp.expand_dims(x2, -1)
        else:
            x1 = jnp.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = jnp.expand_dims(x1, -1)
        else:
            x2 = jnp.squeeze(x2, -1)
    return x1, x2


# --------------------------------------------------------------------------------------------
# Reduction (keras/src/losses/loss.py)
# --------------------------------------------------------------------------------------------


def _standardize_reduction(reduction: Any) -> str | None:
    if reduction not in REDUCTIONS or (reduction is not None and not isinstance(reduction, str)):
        raise errors.JnetValueError(
            f"Invalid value for argument `reduction`: received {reduction!r}. Expected one of "
            f"{', '.join(repr(r) for r in REDUCTIONS)}."
        )
    return reduction


def _apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the sample weights (Keras ``loss.apply_mask``)."""
    if mask is None:
        return sample_weight
    mask = jnp.asarray(mask).astype(bool)
    if reduction in ("mean", "sum_over_batch_size"):
        total = jnp.asarray(mask.size, dtype)
        valid = jnp.sum(mask.astype(dtype))
        float_mask = jnp.where(mask, _divide_no_nan(total, valid), jnp.zeros((), dtype))
    else:
        float_mask = mask.astype(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    sample_weight, float_mask = _broadcast_pair(
        sample_weight.astype(dtype), float_mask, "sample_weight", "sample_weight", "mask"
    )
    return sample_weight * float_mask


def reduce_weighted_values(
    values: Any,
    sample_weight: Any = None,
    mask: Any = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: Any = None,
) -> Array:
    """Weights and reduces per-sample loss values exactly as Keras's ``Loss.__call__`` does.

    Args:
        values: per-sample losses.
        sample_weight: optional weights, rank-aligned to ``values`` through a trailing 1 and
            broadcast against them.
        mask: optional boolean mask of the entries that count. For ``'sum_over_batch_size'``
            and ``'mean'`` valid entries get weight ``total / valid``, so the result is the mean
            over valid entries; otherwise the mask multiplies the weights.
        reduction: ``'sum_over_batch_size'`` (default; ``sum(values * w) / values.size``),
            ``'mean'`` (the same), ``'sum'``, ``'mean_with_sample_weight'`` (divides by the sum
            of the weights), or ``'none'``/``None`` (returns the weighted values).
        dtype: computation dtype. Defaults to float32.

    Returns:
        A scalar, or the weighted values for ``'none'``.

    Example:
        >>> float(reduce_weighted_values(np.array([1.0, 3.0]), np.array([1.0, 0.0])))
        0.5
    """
    reduction = _standardize_reduction(reduction)
    dtype = _standardize_dtype(dtype)
    values = jnp.asarray(values).astype(dtype)
    if sample_weight is not None:
        sample_weight = jnp.asarray(sample_weight).astype(dtype)
    sample_weight = _apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weighted, weights = _broadcast_pair(
            values, sample_weight, "sample_weight", "loss values", "sample_weight"
        )
        values = weighted * weights
    if reduction is None or reduction == "none" or values.shape in ((), (0,)):
        return values
    loss = jnp.sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = jnp.sum(sample_weight)
    else:
        divisor = jnp.asarray(values.size, dtype)
    return _divide_no_nan(loss, divisor)
