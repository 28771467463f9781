"""The probabilistic loss functions: the crossentropy family, KL divergence and Poisson.

Pure functions returning per-sample values, each crossentropy marked with its logits form
(:func:`~jnet.losses._logits.takes_logits`), plus Keras's shape rule that picks a
crossentropy for ``'crossentropy'`` (:func:`crossentropy_for_shapes`). The classes wrapping
them live in :mod:`jnet.losses._probabilistic`.

The numbers are those of Keras 3 on the TensorFlow backend (``backend/tensorflow/nn.py``):
crossentropies from probabilities clip to ``[1e-7, 1 - 1e-7]``, categorical crossentropy
renormalises ``p / sum(p)`` first, and sparse categorical crossentropy is the softmax
crossentropy of ``log(clip(p))``. See :mod:`jnet.losses` for the logits shortcut.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.losses._logits import takes_logits
from jnet.losses._utils import (
    EPSILON,
    Array,
    _as_float,
    _broadcast_pair,
    _check_axis,
    _require_same_shape,
    _shape,
    squeeze_or_expand_to_same_rank,
)

__all__ = [
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "is_binary_or_sparse_categorical",
    "crossentropy_for_shapes",
]


def _sigmoid_crossentropy_with_logits(labels: Array, logits: Array) -> Array:
    """TensorFlow's ``sigmoid_cross_entropy_with_logits``: max(x,0) - x*y + log1p(exp(-|x|))."""
    relu_logits = jnp.where(logits >= 0, logits, jnp.zeros_like(logits))
    neg_abs_logits = jnp.where(logits >= 0, -logits, logits)
    return (relu_logits - logits * labels) + jnp.log1p(jnp.exp(neg_abs_logits))


@takes_logits("sigmoid")
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


@takes_logits("softmax")
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
    # The label's logit picked by a one-hot select, not take_along_axis: the gradient of a
    # gather is a scatter-add, which XLA:CPU runs as a scalar loop (measured: 12% of an MLP's
    # train step); a select's gradient is a select, fused with the softmax. Exact: the row
    # sums one value and zeros.
    classes = jax.lax.broadcasted_iota(labels.dtype, shifted.shape, shifted.ndim - 1)
    hit = classes == labels[..., None]
    picked = jnp.sum(jnp.where(hit, shifted, jnp.zeros((), shifted.dtype)), axis=-1)
    valid = (labels >= 0) & (labels < num_classes)
    return jnp.where(valid, log_sum_exp - picked, jnp.asarray(jnp.nan, shifted.dtype))


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


@takes_logits("softmax", with_mask=_sparse_categorical_crossentropy_and_mask)
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


@takes_logits("sigmoid", shortcut_with_from_logits=False)
def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Array:
    """Binary focal crossentropy per sample (Lin et al., 2018), averaged over ``axis``.

    ``(1 - p_t) ** gamma * bce`` with ``p_t = y p + (1 - y)(1 - p)``, times
    ``y alpha + (1 - y)(1 - alpha)`` when ``apply_class_balancing``. ``bce`` is
    :func:`binary_crossentropy`'s elementwise value: from clipped probabilities, or — with
    ``from_logits`` — TensorFlow's stable sigmoid crossentropy of the logits (Keras's TF
    backend reads the logits back from ``sigmoid(y_pred)``); ``p_t`` uses the unclipped
    probabilities.

    Args:
        y_true: labels in ``[0, 1]``, same shape as ``y_pred`` (a rank difference of one
            through a trailing 1 is aligned).
        y_pred: probabilities, or logits when ``from_logits``.
        apply_class_balancing: weigh class 1 by ``alpha`` and class 0 by ``1 - alpha``.
            Defaults to False.
        alpha: the class-1 weight of the balancing. Defaults to 0.25.
        gamma: the focusing parameter; 0 gives binary crossentropy. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + 0.5 s``. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.

    Returns:
        Per-sample values with ``axis`` removed.

    Example:
        >>> y_true, y_pred = [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]
        >>> [round(float(v), 3) for v in binary_focal_crossentropy(y_true, y_pred, gamma=2)]
        [0.33, 0.206]
    """
    what = "binary_focal_crossentropy"
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _require_same_shape(y_true, y_pred, what)
    axis = _check_axis(axis, y_pred.ndim, what)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = _sigmoid_crossentropy_with_logits(y_true, y_pred)
        y_pred = jax.nn.sigmoid(y_pred)
    else:
        p = jnp.clip(y_pred, EPSILON, 1.0 - EPSILON)
        bce = y_true * jnp.log(p)
        bce = bce + (1 - y_true) * jnp.log(1 - p)
        bce = -bce
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = jnp.power(1.0 - p_t, jnp.asarray(gamma, y_pred.dtype)) * bce
    if apply_class_balancing:
        alpha = jnp.asarray(alpha, y_pred.dtype)
        weight = y_true * alpha + (1 - y_true) * (1 - alpha)
        focal_bce = weight * focal_bce
    return jnp.mean(focal_bce, axis=axis)


@takes_logits(None)
def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: Any = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Array:
    """Categorical focal crossentropy per sample, from one-hot (or soft) labels.

    With ``p = clip(y_pred / sum(y_pred), 1e-7, 1 - 1e-7)`` (after a softmax when
    ``from_logits``): ``sum(alpha (1 - p) ** gamma * (-y log p), axis)``. Unlike the other
    crossentropies this one always goes through probabilities (Keras's TensorFlow backend has
    no logits shortcut for it).

    Args:
        y_true: one-hot labels, same shape as ``y_pred`` ``(N, ..., C)``.
        y_pred: probabilities, or logits when ``from_logits``.
        alpha: a weight for every class: a scalar, or one per class (broadcast against the last
            axis). Defaults to 0.25.
        gamma: the focusing parameter; 0 gives ``alpha`` times categorical crossentropy.
            Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.

    Returns:
        Per-sample values with ``axis`` removed.

    Example:
        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]
        >>> [round(float(v), 6) for v in categorical_focal_crossentropy(y_true, y_pred)]
        [0.000263, 0.675912]
    """
    what = "categorical_focal_crossentropy"
    if isinstance(axis, bool):
        raise errors.JnetTypeError(f"{what}: argument `axis` must be an int; received axis={axis}.")
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _require_same_shape(y_true, y_pred, what)
    if y_pred.ndim < 1:
        raise errors.JnetValueError(
            f"{what}: y_true and y_pred must be at least rank 1; received shape {y_pred.shape}."
        )
    axis = _check_axis(axis, y_pred.ndim, what)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {what}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={y_pred.shape}. Consider using "
            f"'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        num_classes = jnp.asarray(y_true.shape[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = jax.nn.softmax(y_pred, axis=axis)
    output = y_pred / jnp.sum(y_pred, axis=axis, keepdims=True)
    output = jnp.clip(output, EPSILON, 1.0 - EPSILON)
    cce = -y_true * jnp.log(output)
    modulating_factor = jnp.power(1.0 - output, jnp.asarray(gamma, y_pred.dtype))
    alpha = jnp.asarray(alpha, y_pred.dtype)
    try:
        alpha = jnp.broadcast_to(alpha, modulating_factor.shape)
    except ValueError:
        raise errors.JnetValueError(
            f"{what}: argument `alpha` of shape {alpha.shape} does not broadcast against "
            f"y_pred of shape {y_pred.shape}; give a scalar or one weight per class."
        ) from None
    focal_cce = (modulating_factor * alpha) * cce
    return jnp.sum(focal_cce, axis=axis)


def kl_divergence(y_true: Any, y_pred: Any) -> Array:
    """Kullback-Leibler divergence per sample: ``sum(y_true * log(y_true / y_pred), axis=-1)``.

    Both are clipped to ``[1e-7, 1]`` first.

    Args:
        y_true: target distributions, shape ``(N, ..., C)``.
        y_pred: predicted distributions, same shape (or broadcastable).

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 4) for v in kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])]
        [0.1438]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "kl_divergence", "y_true", "y_pred")
    y_true = jnp.clip(y_true, EPSILON, 1)
    y_pred = jnp.clip(y_pred, EPSILON, 1)
    return jnp.sum(y_true * jnp.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Array:
    """Poisson loss per sample: ``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``.

    Args:
        y_true: observed counts, shape ``(N, ..., D)``.
        y_pred: predicted rates, same shape (or broadcastable).

    Returns:
        Per-sample values of shape ``(N, ...)``.

    Example:
        >>> [round(float(v), 4) for v in poisson([[1.0, 0.0]], [[0.5, 2.0]])]
        [1.5966]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = _broadcast_pair(y_true, y_pred, "poisson", "y_true", "y_pred")
    epsilon = jnp.asarray(EPSILON, y_pred.dtype)
    return jnp.mean(y_pred - y_true * jnp.log(y_pred + epsilon), axis=-1)


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
