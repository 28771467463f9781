"""Probabilistic losses: the crossentropies (binary, categorical, sparse, focal), KL, Poisson.

The numbers are those of Keras 3 on the TensorFlow backend (``backend/tensorflow/nn.py``):
crossentropies from probabilities clip to ``[1e-7, 1 - 1e-7]``, categorical crossentropy
renormalises ``p / sum(p)`` first, and sparse categorical crossentropy is the softmax
crossentropy of ``log(clip(p))``. See :mod:`jnet.losses` for the logits shortcut.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.losses._base import (
    EPSILON,
    Array,
    Loss,
    LossFunctionWrapper,
    _as_float,
    _broadcast_pair,
    _check_axis,
    _require_same_shape,
    _shape,
    squeeze_or_expand_to_same_rank,
)

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "CrossentropyByShape",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "compute_with_mask",
    "is_binary_or_sparse_categorical",
    "crossentropy_for_shapes",
    "accepts_from_logits",
    "logits_activation_of",
]


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


_FROM_LOGITS_FUNCTIONS = (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)


def accepts_from_logits(fn: Callable) -> bool:
    """Whether the loss function ``fn`` takes a ``from_logits`` argument.

    Args:
        fn: a loss function.

    Returns:
        True for the crossentropies (binary, categorical, sparse, and the two focal ones).

    Example:
        >>> accepts_from_logits(binary_focal_crossentropy), accepts_from_logits(poisson)
        (True, False)
    """
    return any(fn is f for f in _FROM_LOGITS_FUNCTIONS)


def logits_activation_of(fn: Callable, from_logits: bool = False) -> str | None:
    """The activation whose pre-activation values Keras's TF backend feeds to ``fn`` as logits.

    Keras's TensorFlow backend reads ``_keras_logits`` off a sigmoid/softmax output inside
    ``ops.binary_crossentropy``, ``ops.categorical_crossentropy`` and
    ``ops.sparse_categorical_crossentropy``. ``binary_focal_crossentropy`` calls the first on
    its probabilities, so with ``from_logits=False`` it too is computed from the logits (its
    crossentropy term; ``p_t`` uses the probabilities, which are ``sigmoid(logits)``); with
    ``from_logits=True`` it applies its own sigmoid first, so the model's logits are not used.
    ``categorical_focal_crossentropy`` never calls those ops: no shortcut.

    Args:
        fn: a loss function.
        from_logits: the ``from_logits`` the loss was built with.

    Returns:
        ``'sigmoid'``, ``'softmax'`` or None.

    Example:
        >>> logits_activation_of(binary_focal_crossentropy, from_logits=False)
        'sigmoid'
        >>> logits_activation_of(categorical_focal_crossentropy) is None
        True
    """
    if fn is binary_focal_crossentropy:
        return None if from_logits else "sigmoid"
    for known, activation in _LOGITS_ACTIVATION.items():
        if fn is known:
            return activation
    return None


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


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal crossentropy; see :func:`binary_focal_crossentropy`.

    Args:
        apply_class_balancing: weigh class 1 by ``alpha`` and class 0 by ``1 - alpha``.
            Defaults to False.
        alpha: the class-1 weight of the balancing. Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``, squeezes labels towards 0.5. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'binary_focal_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true, y_pred = [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]
        >>> loss = BinaryFocalCrossentropy(gamma=2, from_logits=True)
        >>> round(float(loss(y_true, y_pred)), 3)
        0.691
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
            apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal crossentropy; see :func:`categorical_focal_crossentropy`.

    ``logits_activation`` is None: Keras's TensorFlow backend computes this loss from the
    probabilities even after a softmax output, so a training step must not swap in logits.

    Args:
        alpha: a weight for every class, scalar or one per class. Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_focal_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(CategoricalFocalCrossentropy()(y_true, y_pred)), 3)
        0.233
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
            alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
            axis=axis,
        )
        self.alpha = alpha
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence; see :func:`kl_divergence`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'kl_divergence'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
        0.1438
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """Poisson loss; see :func:`poisson`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'poisson'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(Poisson()([[1.0, 0.0]], [[0.5, 2.0]])), 4)
        1.5966
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)
