"""Losses: Keras's loss functions and ``Loss`` classes, as pure JAX functions.

Each *function* (``mean_squared_error``, ``binary_crossentropy``, ...) returns per-sample values
(averaged over the last axis where Keras averages). Each *class* (``MeanSquaredError``, ...)
wraps a function and reduces its values to a scalar exactly as Keras's ``Loss.__call__`` does:
rank alignment of ``y_true``/``y_pred`` and of ``sample_weight``, weighting, then the
reduction (``'sum_over_batch_size'`` divides by the number of elements, not by the sum of the
weights).

The numbers are those of Keras 3 on the TensorFlow backend (``backend/tensorflow/nn.py``):
crossentropies from probabilities clip to ``[1e-7, 1 - 1e-7]``, categorical crossentropy
renormalises ``p / sum(p)`` first, and sparse categorical crossentropy is the softmax
crossentropy of ``log(clip(p))``.

Logits shortcut. Keras's TensorFlow backend computes any crossentropy (binary, categorical or
sparse, whatever its ``from_logits``) from the *pre-activation* logits when ``y_pred`` is the
direct output of Keras's ``sigmoid`` or ``softmax`` (the activation stores its input on the
output as ``_keras_logits``; ``backend/tensorflow/nn.py _get_logits``), so no clipping happens
and the activation that produced ``y_pred`` does not even have to match the loss. A training
engine reproduces this with :attr:`Loss.logits_activation` / :meth:`Loss.logits_activation_for`
(``None`` for losses without a logits form) and :meth:`Loss.with_logits`.

Example:
    >>> import numpy as np
    >>> from jnet import losses
    >>> y_true = np.array([[0.0, 1.0], [0.0, 0.0]], np.float32)
    >>> y_pred = np.array([[0.6, 0.4], [0.4, 0.6]], np.float32)
    >>> [round(float(v), 3) for v in losses.binary_crossentropy(y_true, y_pred)]
    [0.916, 0.714]
    >>> round(float(losses.BinaryCrossentropy()(y_true, y_pred)), 3)
    0.815
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet._registry import Registry

__all__ = [
    "EPSILON",
    "REDUCTIONS",
    "Loss",
    "LossFunctionWrapper",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "Huber",
    "CrossentropyByShape",
    "mean_squared_error",
    "mean_absolute_error",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "huber",
    "squeeze_or_expand_to_same_rank",
    "reduce_weighted_values",
    "compute_with_mask",
    "is_binary_or_sparse_categorical",
    "crossentropy_for_shapes",
    "get",
    "resolve",
    "serialize",
    "deserialize",
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


# --------------------------------------------------------------------------------------------
# Loss functions (keras/src/losses/losses.py, backend/tensorflow/nn.py)
# --------------------------------------------------------------------------------------------


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


def _sigmoid_crossentropy_with_logits(labels: Array, logits: Array) -> Array:
    """TensorFlow's ``sigmoid_cross_entropy_with_logits``: max(x,0) - x*y + log1p(exp(-|x|))."""
    relu_logits = jnp.where(logits >= 0, logits, jnp.zeros_like(logits))
    neg_abs_logits = jnp.where(logits >= 0, -logits, logits)
    return (relu_logits - logits * labels) + jnp.log1p(jnp.exp(neg_abs_logits))


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Array:
    """Binary crossentropy per sample, averaged over ``axis``.

    From probabilities: ``p = clip(y_pred, 1e-7, 1 - 1e-7)``, then
    ``-(y log p + (1 - y) log(1 - p))``. From logits: ``max(x, 0) - x y + log1p(exp(-|x|))``.

    Args:
        y_true: labels in ``[0, 1]``, same shape as ``y_pred`` (a rank difference of one
            through a trailing 1 is aligned, e.g. ``(N,)`` against ``(N, 1)``).
        y_pred: probabilities, or logits when ``from_logits``.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + 0.5 s``. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.

    Returns:
        Per-sample values with ``axis`` removed.

    Example:
        >>> [round(float(v), 3) for v in binary_crossentropy([[0, 1]], [[0.6, 0.4]])]
        [0.916]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _require_same_shape(y_true, y_pred, "binary_crossentropy")
    axis = _check_axis(axis, y_pred.ndim, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        values = _sigmoid_crossentropy_with_logits(y_true, y_pred)
    else:
        p = jnp.clip(y_pred, EPSILON, 1.0 - EPSILON)
        bce = y_true * jnp.log(p)
        bce = bce + (1 - y_true) * jnp.log(1 - p)
        values = -bce
    return jnp.mean(values, axis=axis)


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Array:
    """Categorical crossentropy per sample, from one-hot (or soft) labels.

    From probabilities: ``p = clip(y_pred / sum(y_pred), 1e-7, 1 - 1e-7)``, then
    ``-sum(y log p)``. From logits: the softmax crossentropy.

    Args:
        y_true: one-hot labels, same shape as ``y_pred`` ``(N, ..., C)``.
        y_pred: probabilities, or logits when ``from_logits``.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.

    Returns:
        Per-sample values with ``axis`` removed.

    Example:
        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> [round(float(v), 4) for v in categorical_crossentropy(y_true, y_pred)]
        [0.0513, 2.3026]
    """
    if isinstance(axis, bool):
        raise errors.JnetTypeError(
            f"categorical_crossentropy: argument `axis` must be an int; received axis={axis}."
        )
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _require_same_shape(y_true, y_pred, "categorical_crossentropy")
    if y_pred.ndim < 1:
        raise errors.JnetValueError(
            "categorical_crossentropy: y_true and y_pred must be at least rank 1; received "
            f"shape {y_pred.shape}."
        )
    axis = _check_axis(axis, y_pred.ndim, "categorical_crossentropy")
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: y_pred.shape="
            f"{y_pred.shape}. Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = jnp.asarray(y_true.shape[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        # TensorFlow's softmax_cross_entropy_with_logits: sum(y * (logsumexp - shifted)).
        shifted = y_pred - jax.lax.stop_gradient(jnp.max(y_pred, axis=axis, keepdims=True))
        log_sum_exp = jnp.log(jnp.sum(jnp.exp(shifted), axis=axis, keepdims=True))
        return jnp.sum(y_true * (log_sum_exp - shifted), axis=axis)
    p = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    p = jnp.clip(p, EPSILON, 1.0 - EPSILON)
    return -jnp.sum(y_true * jnp.log(p), axis=axis)


def _sparse_softmax_crossentropy(labels: Array, logits: Array) -> Array:
    """TensorFlow's ``sparse_softmax_cross_entropy_with_logits`` (NaN for labels out of range)."""
    num_classes = logits.shape[-1]
    shifted = logits - jax.lax.stop_gradient(jnp.max(logits, axis=-1, keepdims=True))
    log_sum_exp = jnp.log(jnp.sum(jnp.exp(shifted), axis=-1))
    index = jnp.where(labels < 0, num_classes, labels)[..., None]
    picked = jnp.take_along_axis(shifted, index, axis=-1, mode="fill", fill_value=jnp.nan)
    return log_sum_exp - picked[..., 0]


def _sparse_categorical_crossentropy_and_mask(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> tuple[Array, Array | None]:
    what = "sparse_categorical_crossentropy"
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true)
    if y_pred.ndim < 1:
        raise errors.JnetValueError(
            f"{what}: y_pred must be at least rank 1 (..., num_classes); received shape "
            f"{y_pred.shape}."
        )
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise errors.JnetTypeError(
            f"{what}: argument `axis` must be an int; received {errors.describe(axis)}."
        )
    if axis not in (-1, y_pred.ndim - 1):
        raise errors.JnetValueError(
            f"{what}: only the last axis can be the class axis (axis=-1); received axis={axis}."
        )
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = jnp.squeeze(y_true, -1)
    if y_true.shape != y_pred.shape[:-1]:
        raise errors.JnetValueError(
            f"{what}: y_true must hold one integer label per row of y_pred, i.e. have shape "
            f"{y_pred.shape[:-1]} (or {y_pred.shape[:-1] + (1,)}); received y_true of shape "
            f"{y_true.shape} and y_pred of shape {y_pred.shape}. For one-hot labels use "
            f"categorical_crossentropy."
        )
    labels = y_true.astype(jnp.int32)
    valid = None
    if ignore_class is not None:
        valid = labels != int(ignore_class)
        labels = jnp.where(valid, labels, 0)
        y_pred = jnp.where(valid[..., None], y_pred, jnp.zeros_like(y_pred))
    if not from_logits:
        y_pred = jnp.log(jnp.clip(y_pred, EPSILON, 1 - EPSILON))
    values = _sparse_softmax_crossentropy(labels, y_pred)
    if valid is not None:
        values = jnp.where(valid, values, jnp.zeros_like(values))
    return values, valid


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Array:
    """Categorical crossentropy per sample, from integer labels.

    From probabilities this is the softmax crossentropy of ``log(clip(p, 1e-7, 1 - 1e-7))``,
    i.e. ``-log p_y + log sum_j clip(p_j)`` (TensorFlow backend), not exactly ``-log p_y``.

    Args:
        y_true: integer labels of shape ``(N, ...)`` or ``(N, ..., 1)``; cast to int.
        y_pred: probabilities or logits of shape ``(N, ..., C)``.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label whose entries get loss 0 (and, inside a :class:`Loss`, are left
            out of the average). Defaults to None.
        axis: the class axis; only -1 is supported, as on the TensorFlow backend.

    Returns:
        Per-sample values of shape ``(N, ...)``. Labels outside ``[0, C)`` give NaN.

    Example:
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> [round(float(v), 4) for v in sparse_categorical_crossentropy([1, 2], y_pred)]
        [0.0513, 2.3026]
    """
    return _sparse_categorical_crossentropy_and_mask(
        y_true, y_pred, from_logits=from_logits, ignore_class=ignore_class, axis=axis
    )[0]


def compute_with_mask(fn: Callable, y_true: Any, y_pred: Any, **kwargs) -> tuple:
    """Calls a loss function and returns ``(values, mask)``.

    Keras attaches a mask to the values of ``sparse_categorical_crossentropy`` with
    ``ignore_class`` (``_keras_mask``), which its reductions then honour. JAX arrays carry no
    attributes, so the mask travels beside the values; it is ``None`` for every other function.

    Args:
        fn: a loss function ``fn(y_true, y_pred, **kwargs)``.
        y_true: targets.
        y_pred: predictions.
        **kwargs: passed to ``fn``.

    Returns:
        ``(values, mask)`` where ``mask`` is a boolean array of the values' shape, or None.

    Example:
        >>> values, mask = compute_with_mask(
        ...     sparse_categorical_crossentropy, [0, 1], [[0.9, 0.1], [0.5, 0.5]], ignore_class=1)
        >>> [bool(m) for m in mask]
        [True, False]
    """
    if fn is sparse_categorical_crossentropy:
        return _sparse_categorical_crossentropy_and_mask(y_true, y_pred, **kwargs)
    return fn(y_true, y_pred, **kwargs), None


def is_binary_or_sparse_categorical(y_true: Any, y_pred: Any) -> tuple[bool, bool]:
    """Keras's shape rule behind ``'accuracy'`` and ``'crossentropy'``.

    Args:
        y_true: labels (anything with a ``.shape``, e.g. ``jax.ShapeDtypeStruct``).
        y_pred: predictions (anything with a ``.shape``).

    Returns:
        ``(is_binary, is_sparse_categorical)``: binary when ``y_pred``'s last dimension is 1;
        sparse when ``y_true`` has lower rank than ``y_pred``, or its last dimension is 1 while
        ``y_pred``'s is larger. Neither means categorical (one-hot labels).

    Example:
        >>> is_binary_or_sparse_categorical(np.zeros(32), np.zeros((32, 10)))
        (False, True)
    """
    true_shape, pred_shape = _shape(y_true), _shape(y_pred)
    if not true_shape or not pred_shape:
        raise errors.JnetValueError(
            "Cannot tell binary, sparse and categorical labels apart for scalars: received "
            f"y_true of shape {true_shape} and y_pred of shape {pred_shape}."
        )
    is_binary = pred_shape[-1] == 1
    is_sparse = len(true_shape) < len(pred_shape) or (true_shape[-1] == 1 and pred_shape[-1] > 1)
    return is_binary, is_sparse


def crossentropy_for_shapes(y_true: Any, y_pred: Any) -> Callable:
    """The crossentropy function Keras picks for ``loss='crossentropy'`` from the shapes.

    Args:
        y_true: labels (anything with a ``.shape``, e.g. ``jax.ShapeDtypeStruct``).
        y_pred: predictions (anything with a ``.shape``).

    Returns:
        ``binary_crossentropy``, ``sparse_categorical_crossentropy`` or
        ``categorical_crossentropy``.

    Example:
        >>> crossentropy_for_shapes(np.zeros((8, 1)), np.zeros((8, 1))).__name__
        'binary_crossentropy'
    """
    is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
    if is_binary:
        return binary_crossentropy
    if is_sparse:
        return sparse_categorical_crossentropy
    return categorical_crossentropy


_LOGITS_ACTIVATION = {
    binary_crossentropy: "sigmoid",
    categorical_crossentropy: "softmax",
    sparse_categorical_crossentropy: "softmax",
}


# --------------------------------------------------------------------------------------------
# Loss classes (keras/src/losses/loss.py, losses.py)
# --------------------------------------------------------------------------------------------


class Loss:
    """Base class of losses: per-sample values from :meth:`call`, reduced by ``__call__``.

    Subclasses implement ``call(y_true, y_pred)`` returning per-sample values (or
    ``call_with_mask`` returning ``(values, mask)``).

    Args:
        name: the loss's name. Defaults to the snake-cased class name.
        reduction: ``'sum_over_batch_size'`` (default), ``'sum'``, ``'mean'``,
            ``'mean_with_sample_weight'``, ``'none'`` or ``None``; see
            :func:`reduce_weighted_values`.
        dtype: computation dtype; ``y_true`` and ``y_pred`` are cast to it. Defaults to float32.

    Attributes:
        logits_activation: ``'sigmoid'``/``'softmax'`` for crossentropies (the activation whose
            pre-activation values this loss can take as logits), None otherwise.
        from_logits: whether the loss already reads logits (False for non-crossentropies).

    Example:
        >>> class SquaredSum(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return jnp.sum(jnp.square(y_true - y_pred), axis=-1)
        >>> float(SquaredSum()(np.ones((2, 3)), np.zeros((2, 3))))
        3.0
    """

    logits_activation: str | None = None
    from_logits: bool = False

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string; received {errors.describe(name)}."
            )
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = _standardize_reduction(reduction)
        self.dtype = _standardize_dtype(dtype)

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Per-sample loss values. Subclasses implement this (or :meth:`call_with_mask`)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement call(y_true, y_pred) returning per-sample "
            f"loss values."
        )

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        """``(values, mask)``: per-sample values and the boolean mask of those that count."""
        return self.call(y_true, y_pred), None

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Array:
        """The reduced loss.

        Args:
            y_true: targets; cast to the loss dtype.
            y_pred: predictions; cast to the loss dtype.
            sample_weight: optional per-sample (or per-element) weights.

        Returns:
            A scalar (or the weighted values for ``reduction='none'``).
        """
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        y_true = jnp.asarray(y_true).astype(self.dtype)
        values, mask = self.call_with_mask(y_true, y_pred)
        return reduce_weighted_values(
            values, sample_weight=sample_weight, mask=mask, reduction=self.reduction,
            dtype=self.dtype,
        )

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        """The logits activation for these shapes (differs from the attribute only by shape)."""
        del y_true, y_pred
        return self.logits_activation

    def with_logits(self) -> Loss:
        """The same loss reading logits: ``from_logits=True``, everything else unchanged.

        Returns:
            A new Loss with the same name, reduction, dtype, smoothing, axis, ...

        Raises:
            JnetValueError: when the loss has no logits form (``logits_activation`` is None).
        """
        if self.logits_activation is None:
            raise errors.JnetValueError(
                f"Loss {self.name!r} ({type(self).__name__}) has no from_logits form; only "
                f"binary, categorical and sparse categorical crossentropy do."
            )
        return self._replace(from_logits=True)

    def _replace(self, **changes) -> Loss:
        config = {**self.get_config(), **changes}
        return type(self)(**config, dtype=self.dtype)

    def get_config(self) -> dict:
        """The constructor arguments, as Keras serialises them (name and reduction)."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        """Builds the loss from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A :class:`Loss` around a per-sample loss function ``fn(y_true, y_pred, **kwargs)``.

    ``y_true`` and ``y_pred`` are rank-aligned (:func:`squeeze_or_expand_to_same_rank`)
    before ``fn`` is called.

    Args:
        fn: the loss function.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: the loss's name. Defaults to ``'loss_function_wrapper'``.
        dtype: computation dtype. Defaults to float32.
        **kwargs: passed to ``fn`` on every call.

    Example:
        >>> loss = LossFunctionWrapper(huber, name="huber", delta=0.5)
        >>> float(loss(np.zeros((2, 1)), np.full((2, 1), 2.0)))
        0.875
    """

    def __init__(
        self,
        fn: Callable,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs,
    ):
        if not callable(fn):
            raise errors.JnetTypeError(
                f"LossFunctionWrapper: argument `fn` must be a callable fn(y_true, y_pred); "
                f"received {errors.describe(fn)}."
            )
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = dict(kwargs)

    @property
    def logits_activation(self) -> str | None:  # type: ignore[override]
        try:
            return _LOGITS_ACTIVATION.get(self.fn)
        except TypeError:  # an unhashable callable
            return None

    @property
    def from_logits(self) -> bool:  # type: ignore[override]
        return bool(self._fn_kwargs.get("from_logits", False))

    @from_logits.setter
    def from_logits(self, value: bool) -> None:
        self._fn_kwargs["from_logits"] = bool(value)

    def call(self, y_true: Array, y_pred: Array) -> Array:
        return self.call_with_mask(y_true, y_pred)[0]

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return compute_with_mask(self.fn, y_true, y_pred, **self._fn_kwargs)

    def _replace(self, **changes) -> Loss:
        if type(self) is not LossFunctionWrapper:
            return super()._replace(**changes)
        return LossFunctionWrapper(
            self.fn, reduction=self.reduction, name=self.name, dtype=self.dtype,
            **{**self._fn_kwargs, **changes},
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        config = dict(config)
        if "fn" in config:
            config["fn"] = get(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({_object_name(self.fn)}, kwargs={self._fn_kwargs})>"


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


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy; see :func:`binary_crossentropy`.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``, squeezes labels towards 0.5. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'binary_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true, logits = [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]]
        >>> round(float(BinaryCrossentropy(from_logits=True)(y_true, logits)), 3)
        0.865
    """

    logits_activation = "sigmoid"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy from one-hot labels; see :func:`categorical_crossentropy`.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(CategoricalCrossentropy()(y_true, y_pred)), 3)
        1.177
    """

    logits_activation = "softmax"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy from integer labels; see :func:`sparse_categorical_crossentropy`.

    With ``ignore_class``, entries of that label get loss 0 and are left out of the average
    (``'sum_over_batch_size'`` divides by the number of valid entries), as in Keras.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label to leave out. Defaults to None.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        axis: the class axis; only -1 is supported. Defaults to -1.
        name: Defaults to ``'sparse_categorical_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(SparseCategoricalCrossentropy()([1, 2], y_pred)), 3)
        1.177
    """

    logits_activation = "softmax"

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, ignore_class=ignore_class, axis=axis,
        )
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }

    def _replace(self, **changes) -> Loss:
        return type(self)(**{**self.get_config(), "axis": self.axis, **changes}, dtype=self.dtype)

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CrossentropyByShape(Loss):
    """The loss behind ``compile(loss='crossentropy')`` (or ``'ce'``): chosen by shape.

    At trace time, from the static shapes of ``y_true`` and ``y_pred``
    (:func:`crossentropy_for_shapes`): binary crossentropy when ``y_pred``'s last dimension is
    1, sparse categorical crossentropy for integer labels, categorical crossentropy for
    one-hot labels — Keras's ``compile_utils.get_loss``.

    Because the function depends on the shapes, so does the logits activation: use
    :meth:`logits_activation_for` (the ``logits_activation`` attribute is None).

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> loss = CrossentropyByShape()
        >>> loss.logits_activation_for(np.zeros((4,)), np.zeros((4, 3)))
        'softmax'
        >>> round(float(loss([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(
        self,
        from_logits=False,
        reduction="sum_over_batch_size",
        name="crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = bool(from_logits)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The crossentropy function these shapes select; see :func:`crossentropy_for_shapes`."""
        return crossentropy_for_shapes(y_true, y_pred)

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        return _LOGITS_ACTIVATION[self.function_for(y_true, y_pred)]

    def call(self, y_true: Array, y_pred: Array) -> Array:
        return self.call_with_mask(y_true, y_pred)[0]

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        fn = self.function_for(y_true, y_pred)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return compute_with_mask(fn, y_true, y_pred, from_logits=self.from_logits)

    def with_logits(self) -> Loss:
        return self._replace(from_logits=True)

    def get_config(self) -> dict:
        return {**super().get_config(), "from_logits": self.from_logits}


# --------------------------------------------------------------------------------------------
# Registry: get / resolve / serialize
# --------------------------------------------------------------------------------------------

_CLASSES = (
    MeanSquaredError,
    MeanAbsoluteError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Huber,
)
_FUNCTIONS = (
    mean_squared_error,
    mean_absolute_error,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    huber,
)
_REGISTRY = Registry(
    "loss",
    {obj.__name__: obj for obj in (*_CLASSES, *_FUNCTIONS)},
    aliases={
        "bce": "binary_crossentropy",
        "BCE": "binary_crossentropy",
        "mae": "mean_absolute_error",
        "MAE": "mean_absolute_error",
        "mse": "mean_squared_error",
        "MSE": "mean_squared_error",
    },
)
# Only reachable from config dicts (Keras can't build them from a bare name either).
_CONFIG_ONLY = {
    "LossFunctionWrapper": LossFunctionWrapper,
    "CrossentropyByShape": CrossentropyByShape,
}


def _interpret(obj: Any, identifier: Any) -> Any:
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise errors.JnetTypeError(
            f"Could not interpret loss identifier {errors.describe(identifier)}: expected a "
            f"loss name ({', '.join(repr(n) for n in _REGISTRY.names()[:6])}, ...), a config "
            f"dict, a Loss, or a callable fn(y_true, y_pred)."
        )
    return obj


def deserialize(config: Mapping) -> Any:
    """Builds a loss from :func:`serialize`'s output (Keras's serialization format).

    Args:
        config: ``{'class_name': ..., 'config': ...}``; ``class_name`` ``'function'`` names a
            loss function in ``config``.

    Returns:
        A :class:`Loss` instance or a loss function.

    Example:
        >>> deserialize(serialize(BinaryCrossentropy(from_logits=True))).from_logits
        True
    """
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise errors.JnetValueError(
            f"A loss config dict needs a 'class_name' key; received {errors.describe(config)}."
        )
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "function":
        return _REGISTRY.lookup(inner)
    cls = _CONFIG_ONLY.get(class_name) or _REGISTRY.lookup(class_name)
    if not (inspect.isclass(cls) and issubclass(cls, Loss)):
        return cls
    return cls.from_config(dict(inner or {}))


def get(identifier: Any) -> Any:
    """Resolves a loss identifier as ``keras.losses.get`` does.

    Args:
        identifier: a function name or alias (``'mse'``, ``'binary_crossentropy'``,
            ``'huber'``) -> the function; a class name (``'MeanSquaredError'``) or a Loss class
            -> a default instance; a config dict -> the deserialised object; a Loss instance or
            any callable -> itself; None -> None.

    Returns:
        A loss function, a :class:`Loss` instance, or None.

    Raises:
        UnknownIdentifierError: for an unknown name (lists the valid ones).

    Example:
        >>> get("mse") is mean_squared_error
        True
        >>> type(get("MeanSquaredError")).__name__
        'MeanSquaredError'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Mapping):
        return _interpret(deserialize(identifier), identifier)
    return _interpret(_REGISTRY.get(identifier), identifier)


def resolve(identifier: Any) -> Loss | None:
    """Resolves ``compile(loss=...)`` to a :class:`Loss`, following Keras's ``get_loss``.

    * ``'crossentropy'``/``'ce'`` (any case) -> :class:`CrossentropyByShape` named as given.
    * other strings -> :func:`get`; functions are wrapped in :class:`LossFunctionWrapper`
      named by the string given (``'mse'`` stays ``'mse'``); class names give instances with
      their default names (``'MeanSquaredError'`` -> ``'mean_squared_error'``).
    * a :class:`Loss` instance -> itself; a Loss class -> a default instance.
    * a plain callable ``fn(y_true, y_pred)`` -> wrapped, named by its snake-cased
      ``__name__``.
    * None -> None (a model may have no compiled loss).

    Args:
        identifier: what was passed to ``compile(loss=...)``.

    Returns:
        A :class:`Loss`, or None.

    Example:
        >>> resolve("mse").name, resolve("MeanSquaredError").name, resolve("ce").name
        ('mse', 'mean_squared_error', 'ce')
    """
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        return CrossentropyByShape(name=identifier)
    obj = get(identifier)
    if isinstance(obj, Loss):
        return obj
    name = identifier if isinstance(identifier, str) else _object_name(obj)
    return LossFunctionWrapper(obj, name=name)


def serialize(loss: Any) -> dict | None:
    """Serialises a loss the way ``keras.losses.serialize`` does.

    Args:
        loss: a :class:`Loss` instance or a loss function.

    Returns:
        ``{'module', 'class_name', 'config', 'registered_name'}``; functions serialise as
        ``class_name='function'`` with their name as ``config``.

    Example:
        >>> serialize(mean_squared_error)["config"]
        'mean_squared_error'
        >>> serialize(BinaryCrossentropy())["config"]["from_logits"]
        False
    """
    if loss is None:
        return None
    if isinstance(loss, Loss):
        keras_public = type(loss) in _CLASSES
        return {
            "module": "keras.losses" if keras_public else "jnet.losses",
            "class_name": type(loss).__name__,
            "config": loss.get_config(),
            "registered_name": None if keras_public else type(loss).__name__,
        }
    if callable(loss) and hasattr(loss, "__name__"):
        return {
            "module": "builtins",
            "class_name": "function",
            "config": loss.__name__,
            "registered_name": "function",
        }
    raise errors.JnetTypeError(
        f"serialize: expected a Loss or a loss function; received {errors.describe(loss)}."
    )
