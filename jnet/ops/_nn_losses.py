"""Keras's elementwise losses of ``keras.ops.nn``: the three cross-entropies and ``psnr``.

The cross-entropies return one loss per sample (no reduction), in the promoted float dtype
of ``target`` and ``output``. From probabilities (``from_logits=False``) the output is
clipped to ``[epsilon, 1 - epsilon]`` (``jnet.config.epsilon()``) before the logarithm, and
the categorical forms first rescale ``output`` to sum to 1 along ``axis``, as Keras.

Example:
    >>> print(np.round(binary_crossentropy(np.array([1.0]), np.array([0.5])), 4))
    [0.6931]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import nn as jnn

from jnet import _dtypes, config, errors
from jnet.ops._nn_utils import canonical_axis
from jnet.ops._op import convert, keras_op, promote

__all__ = [
    "binary_crossentropy",
    "categorical_crossentropy",
    "psnr",
    "sparse_categorical_crossentropy",
]


def _float_pair(a: Any, b: Any) -> list[jax.Array]:
    dtype = _dtypes.result_type(_dtypes.dtype_of(a), _dtypes.dtype_of(b))
    if not _dtypes.is_float(dtype):
        dtype = _dtypes.standardize_dtype(None)
    return promote(a, b, dtype=dtype)


def _same_shape(target: jax.Array, output: jax.Array, op: str) -> None:
    if target.shape != output.shape:
        raise errors.JnetValueError(
            f"{op}: arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )


def _log_probabilities(output: jax.Array, from_logits: bool, axis: int) -> jax.Array:
    if from_logits:
        return jnn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    return jnp.log(jnp.clip(output, eps, 1.0 - eps))


@keras_op
def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> jax.Array:
    """Elementwise binary cross-entropy between ``target`` and ``output``.

    Args:
        target: labels in [0, 1], of ``output``'s shape.
        output: probabilities, or logits with ``from_logits=True``.
        from_logits: whether ``output`` holds logits (default False).

    Returns:
        The loss of each element, of ``output``'s shape.

    Example:
        >>> print(np.round(binary_crossentropy(np.array([0.0, 1.0]), np.array([0.0, 0.0]),
        ...                              from_logits=True), 4))
        [0.6931 0.6931]
    """
    target, output = _float_pair(target, output)
    _same_shape(target, output, "binary_crossentropy")
    if from_logits:
        return -target * jnn.log_sigmoid(output) - (1.0 - target) * jnn.log_sigmoid(-output)
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


@keras_op
def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                             axis: int = -1) -> jax.Array:
    """Categorical cross-entropy between one-hot (or soft) ``target`` and ``output``.

    Args:
        target: class probabilities, of ``output``'s shape.
        output: probabilities (rescaled to sum to 1), or logits with ``from_logits=True``.
        from_logits: whether ``output`` holds logits (default False).
        axis: the class axis (default -1).

    Returns:
        The loss of each sample: ``output``'s shape without ``axis``.

    Example:
        >>> print(np.round(categorical_crossentropy(np.array([[0.0, 1.0]]),
        ...                                   np.array([[0.5, 0.5]])), 4))
        [0.6931]
    """
    target, output = _float_pair(target, output)
    _same_shape(target, output, "categorical_crossentropy")
    if target.ndim < 1:
        raise errors.JnetValueError(
            "categorical_crossentropy: arguments `target` and `output` must be at least rank "
            f"1. Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    axis = canonical_axis(axis, output.ndim, "categorical_crossentropy")
    return -jnp.sum(target * _log_probabilities(output, from_logits, axis), axis=axis)


@keras_op
def sparse_categorical_crossentropy(target: Any, output: Any, from_logits: bool = False,
                                    axis: int = -1) -> jax.Array:
    """Categorical cross-entropy with integer class ``target``.

    Args:
        target: class indices, of ``output``'s shape without ``axis`` (a trailing axis of
            size 1 is dropped). An index outside ``[0, classes)`` gives a loss of 0.
        output: probabilities (rescaled to sum to 1), or logits with ``from_logits=True``.
        from_logits: whether ``output`` holds logits (default False).
        axis: the class axis of ``output`` (default -1).

    Returns:
        The loss of each sample: ``output``'s shape without ``axis``.

    Example:
        >>> print(np.round(sparse_categorical_crossentropy(np.array([1]),
        ...                                          np.array([[0.5, 0.5]])), 4))
        [0.6931]
    """
    output = convert(output)
    if not _dtypes.is_float(output.dtype):
        output = output.astype(_dtypes.standardize_dtype(None))
    target = convert(target, "int32")
    if output.ndim < 1:
        raise errors.JnetValueError(
            "sparse_categorical_crossentropy: argument `output` must be at least rank 1. "
            f"Received: output.shape={output.shape}"
        )
    axis = canonical_axis(axis, output.ndim, "sparse_categorical_crossentropy")
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    expected = output.shape[:axis] + output.shape[axis + 1:]
    if target.shape != expected:
        raise errors.JnetValueError(
            "sparse_categorical_crossentropy: arguments `target` and `output` must have the "
            "same shape up until the last dimension: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    log_prob = _log_probabilities(output, from_logits, axis)
    labels = jnn.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -jnp.sum(labels * log_prob, axis=axis)


@keras_op
def psnr(x1: Any, x2: Any, max_val: float) -> jax.Array:
    """Peak signal-to-noise ratio: ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``.

    Args:
        x1: first image(s).
        x2: second image(s), of ``x1``'s shape.
        max_val: the largest possible pixel value (e.g. 1.0 or 255).

    Returns:
        A scalar, in decibels.

    Example:
        >>> round(float(psnr(np.zeros(4), np.full(4, 0.1), 1.0)), 4)
        20.0
    """
    x1, x2 = _float_pair(x1, x2)
    if x1.shape != x2.shape:
        raise errors.JnetValueError(
            f"psnr: input shapes {x1.shape} and {x2.shape} must match for PSNR calculation."
        )
    max_val = convert(max_val, x2.dtype)
    mse = jnp.mean(jnp.square(x1 - x2))
    return 20 * jnp.log10(max_val) - 10 * jnp.log10(mse)
