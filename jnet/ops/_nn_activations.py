"""Keras's activation ops (``keras.ops.relu``, ``softmax``, ``gelu``...), on ``jax.nn``.

Each op keeps its input's dtype, as Keras: a float16 input gives float16. ``relu`` and
``relu6`` also keep integer dtypes; the other ops compute on floats, so integer and boolean
inputs become ``floatx()`` (on Keras's backends they fail or depend on the backend).

Example:
    >>> import numpy as np
    >>> relu(np.array([-1.0, 0.0, 2.0])).tolist()
    [0.0, 0.0, 2.0]
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
from jax import nn as jnn

from jnet import _dtypes, errors
from jnet.ops._nn_utils import canonical_axes, canonical_axis, float_array
from jnet.ops._op import convert, keras_op

__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
]


@keras_op
def relu(x: Any) -> jax.Array:
    """Rectified linear unit: ``max(x, 0)``.

    Args:
        x: input array (integer dtypes are kept).

    Returns:
        An array of ``x``'s shape and dtype.

    Example:
        >>> relu(np.array([-1.0, 0.0, 1.0])).tolist()
        [0.0, 0.0, 1.0]
    """
    x = convert(x)
    if _dtypes.is_float(x.dtype):
        return jnn.relu(x)
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@keras_op
def relu6(x: Any) -> jax.Array:
    """Rectified linear unit capped at 6: ``min(max(x, 0), 6)``.

    Args:
        x: input array (integer dtypes are kept).

    Returns:
        An array of ``x``'s shape and dtype.

    Example:
        >>> relu6(np.array([-1.0, 3.0, 8.0])).tolist()
        [0.0, 3.0, 6.0]
    """
    x = convert(x)
    if _dtypes.is_float(x.dtype):
        return jnn.relu6(x)
    return jnp.clip(x, jnp.zeros((), x.dtype), jnp.full((), 6, x.dtype))


@keras_op
def sigmoid(x: Any) -> jax.Array:
    """Logistic sigmoid: ``1 / (1 + exp(-x))``.

    Example:
        >>> sigmoid(np.array([0.0])).tolist()
        [0.5]
    """
    return jnn.sigmoid(float_array(x))


@keras_op
def sparse_sigmoid(x: Any) -> jax.Array:
    """Sparse sigmoid: 0 below -1, 1 above 1, ``(x + 1) / 2`` between.

    Example:
        >>> sparse_sigmoid(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jnn.sparse_sigmoid(float_array(x))


@keras_op
def softplus(x: Any) -> jax.Array:
    """Softplus: ``log(1 + exp(x))``.

    Example:
        >>> print(np.round(softplus(np.array([0.0])), 4))
        [0.6931]
    """
    return jnn.softplus(float_array(x))


@keras_op
def softsign(x: Any) -> jax.Array:
    """Softsign: ``x / (1 + |x|)``.

    Example:
        >>> softsign(np.array([1.0, -3.0])).tolist()
        [0.5, -0.75]
    """
    return jnn.soft_sign(float_array(x))


@keras_op
def soft_shrink(x: Any, threshold: float = 0.5) -> jax.Array:
    """Soft shrinkage: ``x - threshold`` above ``threshold``, ``x + threshold`` below
    ``-threshold``, 0 between.

    Args:
        x: input array.
        threshold: the threshold (default 0.5).

    Example:
        >>> soft_shrink(np.array([-1.0, 0.25, 1.0])).tolist()
        [-0.5, 0.0, 0.5]
    """
    x = float_array(x)
    zero = jnp.zeros((), x.dtype)
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, zero))


@keras_op
def sparse_plus(x: Any) -> jax.Array:
    """SparsePlus: 0 below -1, ``x`` above 1, ``(x + 1)**2 / 4`` between.

    Example:
        >>> sparse_plus(np.array([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    return jnn.sparse_plus(float_array(x))


@keras_op
def silu(x: Any) -> jax.Array:
    """Sigmoid linear unit (swish): ``x * sigmoid(x)``.

    Example:
        >>> silu(np.array([0.0])).tolist()
        [0.0]
    """
    return jnn.silu(float_array(x))


swish = silu  # Keras exports the same op under both names


@keras_op
def squareplus(x: Any, b: float = 4) -> jax.Array:
    """Squareplus: ``(x + sqrt(x**2 + b)) / 2``.

    Args:
        x: input array.
        b: smoothness (default 4).

    Example:
        >>> squareplus(np.array([0.0])).tolist()
        [1.0]
    """
    return jnn.squareplus(float_array(x), b=b)


@keras_op
def log_sigmoid(x: Any) -> jax.Array:
    """Logarithm of the sigmoid: ``-softplus(-x)``.

    Example:
        >>> print(np.round(log_sigmoid(np.array([0.0])), 4))
        [-0.6931]
    """
    return jnn.log_sigmoid(float_array(x))


@keras_op
def leaky_relu(x: Any, negative_slope: float = 0.2) -> jax.Array:
    """Leaky ReLU: ``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Args:
        x: input array.
        negative_slope: slope for negative inputs (default 0.2).

    Example:
        >>> leaky_relu(np.array([-1.0, 1.0])).tolist()
        [-0.2..., 1.0]
    """
    return jnn.leaky_relu(float_array(x), negative_slope=negative_slope)


@keras_op
def hard_sigmoid(x: Any) -> jax.Array:
    """Hard sigmoid: ``relu6(x + 3) / 6``.

    Example:
        >>> hard_sigmoid(np.array([-4.0, 0.0, 4.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return jnn.hard_sigmoid(float_array(x))


@keras_op
def hard_silu(x: Any) -> jax.Array:
    """Hard SiLU (hard swish): ``x * relu6(x + 3) / 6``.

    Example:
        >>> hard_silu(np.array([-4.0, 0.0, 4.0])).tolist()
        [-0.0, 0.0, 4.0]
    """
    return jnn.hard_silu(float_array(x))


hard_swish = hard_silu  # Keras exports the same op under both names


@keras_op
def elu(x: Any, alpha: float = 1.0) -> jax.Array:
    """Exponential linear unit: ``x`` for ``x > 0``, ``alpha * (exp(x) - 1)`` below.

    Args:
        x: input array.
        alpha: scale of the negative part (default 1.0).

    Example:
        >>> print(np.round(elu(np.array([-1.0, 1.0])), 4))
        [-0.6321  1.    ]
    """
    return jnn.elu(float_array(x), alpha=alpha)


@keras_op
def selu(x: Any) -> jax.Array:
    """Scaled ELU: ``scale * elu(x, alpha)`` with SELU's fixed constants.

    Example:
        >>> print(np.round(selu(np.array([1.0])), 4))
        [1.0507]
    """
    return jnn.selu(float_array(x))


@keras_op
def gelu(x: Any, approximate: bool = True) -> jax.Array:
    """Gaussian error linear unit.

    Args:
        x: input array.
        approximate: use the tanh approximation (default True), else the exact erf form.

    Example:
        >>> print(np.round(gelu(np.array([1.0]), approximate=False), 4))
        [0.841...]
    """
    return jnn.gelu(float_array(x), approximate=approximate)


@keras_op
def celu(x: Any, alpha: float = 1.0) -> jax.Array:
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``.

    Args:
        x: input array.
        alpha: scale (default 1.0).

    Example:
        >>> print(np.round(celu(np.array([-1.0, 1.0])), 4))
        [-0.6321  1.    ]
    """
    return jnn.celu(float_array(x), alpha=alpha)


@keras_op
def glu(x: Any, axis: int = -1) -> jax.Array:
    """Gated linear unit: ``a * sigmoid(b)``, where ``x`` splits in halves ``a``, ``b``.

    Args:
        x: input array; its size along ``axis`` must be even.
        axis: the axis to split (default -1).

    Returns:
        An array with half of ``x``'s size along ``axis``.

    Example:
        >>> glu(np.array([[1.0, 0.0]])).tolist()
        [[0.5]]
    """
    x = float_array(x)
    axis = canonical_axis(axis, x.ndim, "glu")
    if x.shape[axis] % 2:
        raise errors.JnetValueError(
            f"glu: axis size must be divisible by 2. Received: x.shape={x.shape} with "
            f"axis={axis}."
        )
    return jnn.glu(x, axis=axis)


@keras_op
def tanh_shrink(x: Any) -> jax.Array:
    """Tanh shrink: ``x - tanh(x)``.

    Example:
        >>> tanh_shrink(np.array([0.0])).tolist()
        [0.0]
    """
    x = float_array(x)
    return x - jnp.tanh(x)


@keras_op
def hard_tanh(x: Any) -> jax.Array:
    """Hard tanh: ``x`` clipped to ``[-1, 1]``.

    Example:
        >>> hard_tanh(np.array([-2.0, 0.5, 2.0])).tolist()
        [-1.0, 0.5, 1.0]
    """
    return jnn.hard_tanh(float_array(x))


@keras_op
def hard_shrink(x: Any, threshold: float = 0.5) -> jax.Array:
    """Hard shrinkage: ``x`` where ``|x| > threshold``, else 0.

    Args:
        x: input array.
        threshold: the threshold (default 0.5).

    Example:
        >>> hard_shrink(np.array([-1.0, 0.25, 1.0])).tolist()
        [-1.0, 0.0, 1.0]
    """
    x = float_array(x)
    return jnp.where(jnp.abs(x) > threshold, x, jnp.zeros((), x.dtype))


@keras_op
def threshold(x: Any, threshold: float, default_value: float) -> jax.Array:
    """``x`` where ``x > threshold``, else ``default_value``.

    Args:
        x: input array.
        threshold: the threshold.
        default_value: the value below (or at) the threshold.

    Example:
        >>> threshold(np.array([-1.0, 2.0]), 0.0, -9.0).tolist()
        [-9.0, 2.0]
    """
    x = float_array(x)
    return jnp.where(x > threshold, x, jnp.asarray(default_value, x.dtype))


def _axis_arg(x: jax.Array, axis: Any, op: str) -> Any:
    if axis is None:
        return None
    axes = canonical_axes(axis, x.ndim, op)
    return axes if isinstance(axis, tuple | list) else axes[0]


def _warn_size_one(x: jax.Array, axis: Any) -> None:
    if isinstance(axis, int) and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a softmax over axis {axis} of a tensor of shape {x.shape}. This "
            "axis has size 1. The softmax operation will always return the value 1, which "
            "is likely not what you intended. Did you mean to use a sigmoid instead?",
            stacklevel=3,
        )


@keras_op
def softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> jax.Array:
    """Softmax: ``exp(x) / sum(exp(x))`` along ``axis``.

    Args:
        x: input array.
        axis: an axis, a tuple of axes, or None for all (default -1).

    Returns:
        An array of ``x``'s shape summing to 1 along ``axis``.

    Example:
        >>> softmax(np.array([0.0, 0.0])).tolist()
        [0.5, 0.5]
    """
    x = float_array(x)
    axis = _axis_arg(x, axis, "softmax")
    _warn_size_one(x, axis)
    return jnn.softmax(x, axis=axis)


@keras_op
def log_softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> jax.Array:
    """Log-softmax: ``x - logsumexp(x)`` along ``axis``.

    Args:
        x: input array.
        axis: an axis, a tuple of axes, or None for all (default -1).

    Example:
        >>> print(np.round(log_softmax(np.array([0.0, 0.0])), 4))
        [-0.6931 -0.6931]
    """
    x = float_array(x)
    return jnn.log_softmax(x, axis=_axis_arg(x, axis, "log_softmax"))


@keras_op
def sparsemax(x: Any, axis: int = -1) -> jax.Array:
    """Sparsemax: like softmax along ``axis``, but with exact zeros.

    As Keras 3.15 (all backends), the threshold is ``(sum of the cumulative sums over the
    support - 1) / k``; where more than one entry is in the support this differs from the
    textbook projection onto the simplex (the outputs then do not sum to 1). jnet gives
    Keras's numbers.

    Args:
        x: input array.
        axis: the axis (default -1).

    Example:
        >>> sparsemax(np.array([2.0, 0.0, -1.0])).tolist()
        [1.0, 0.0, 0.0]
    """
    x = float_array(x)
    axis = canonical_axis(axis, x.ndim, "sparsemax")
    ranked = -jnp.sort(-x, axis=axis)  # descending
    cumulative = jnp.cumsum(ranked, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    k = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    support = ranked - (cumulative - 1) / k > 0
    count = jnp.sum(support, axis=axis, keepdims=True).astype(x.dtype)
    total = jnp.sum(jnp.where(support, cumulative, jnp.zeros((), x.dtype)), axis=axis,
                    keepdims=True)
    tau = (total - 1) / count
    return jnp.maximum(x - tau, jnp.zeros((), x.dtype))
