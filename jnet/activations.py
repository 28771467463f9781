"""Keras's activation functions on JAX: same names, same arguments, same defaults, same numbers.

Every function in Keras 3's activation registry (``keras.activations``) is here under the same
name, with the same keyword arguments and defaults, written with ``jax.numpy``/``jax.nn`` in the
order of operations of Keras's TensorFlow backend. ``get`` resolves the identifiers a Keras layer
accepts (a name, an alias such as ``'swish'``, a config dict, a callable or None).

Notable defaults that differ from ``jax.nn``: ``gelu`` is exact (``approximate=False``) and
``leaky_relu`` has ``negative_slope=0.2``.

Scalar arguments (``negative_slope``, ``max_value``, ``alpha``, ...) are Python numbers chosen at
trace time; the functions themselves are pure and jit-able.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet import activations
    >>> activations.get("relu")(jnp.array([-1.0, 2.0]))
    Array([0., 2.], dtype=float32)

One concept, one file (about 900 lines): 39 short functions around one registry, most of the
length their Args/Returns/Example docstrings; Keras keeps its activations in one file too.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet._registry import Registry
from jnet.utils._object_registration import get_registered_object

__all__ = [
    "ACTIVATIONS",
    "celu",
    "deserialize",
    "elu",
    "exponential",
    "gelu",
    "get",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "linear",
    "log_sigmoid",
    "log_softmax",
    "logits_activation",
    "mish",
    "relu",
    "relu6",
    "selu",
    "serialize",
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
    "tanh",
    "tanh_shrink",
    "threshold",
]

Activation = Callable[..., jax.Array]

# SELU constants (Klambauer et al., 2017), the values TensorFlow and jax.nn use.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _as_array(x: Any) -> jax.Array:
    return jnp.asarray(x)


def _like(value: Any, x: jax.Array) -> Any:
    """``value`` as a scalar of ``x``'s dtype when ``x`` is floating (strict-promotion safe)."""
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return jnp.asarray(value, dtype=x.dtype)
    return value


def _clip(x: jax.Array, low: Any, high: Any) -> jax.Array:
    """``tf.clip_by_value``: gradient 1 on the closed interval, 0 strictly outside."""
    low, high = _like(low, x), _like(high, x)
    return jnp.where(x < low, low, jnp.where(x > high, high, x))


# --------------------------------------------------------------------------------------------
# Rectifiers.
# --------------------------------------------------------------------------------------------


def relu(x: Any, negative_slope: float = 0.0, max_value: float | None = None,
         threshold: float = 0.0) -> jax.Array:
    """Rectified linear unit, with Keras's optional slope, cap and threshold.

    With the defaults this is ``max(x, 0)``. Otherwise, as in Keras: values above ``threshold``
    pass through (capped at ``max_value``), values below become
    ``negative_slope * (x - threshold)``.

    Args:
        x: input array.
        negative_slope: slope below the threshold. Defaults to 0.0.
        max_value: the largest value returned, or None for no cap. Defaults to None.
        threshold: values at or below it are damped or zeroed. Defaults to 0.0.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> relu(jnp.array([-10.0, -5.0, 0.0, 5.0, 10.0]), max_value=5.0)
        Array([0., 0., 0., 5., 5.], dtype=float32)
    """
    x = _as_array(x)
    negative_part: Any = None
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return leaky_relu(x, negative_slope=negative_slope)
        if threshold != 0:
            negative_part = jax.nn.relu(-x + _like(threshold, x))
        else:
            negative_part = jax.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = jnp.where(x > _like(threshold, x), x, jnp.zeros_like(x))
    elif max_value == 6:
        x = jax.nn.relu6(x)
        clip_max = False
    else:
        x = jax.nn.relu(x)
    if clip_max:
        x = _clip(x, 0.0, max_value)
    if negative_part is not None:
        x = x - _like(negative_slope, x) * negative_part
    return x


def leaky_relu(x: Any, negative_slope: float = 0.2) -> jax.Array:
    """Leaky ReLU: ``x`` where positive, ``negative_slope * x`` elsewhere.

    Note that Keras's default slope (0.2) differs from ``jax.nn.leaky_relu``'s (0.01).

    Args:
        x: input array.
        negative_slope: slope for ``x <= 0``. Defaults to 0.2.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> leaky_relu(jnp.array([-1.0, 2.0]))
        Array([-0.2,  2. ], dtype=float32)
    """
    x = _as_array(x)
    return jnp.where(x > 0, x, _like(negative_slope, x) * x)


def relu6(x: Any) -> jax.Array:
    """ReLU capped at 6: ``min(max(x, 0), 6)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> relu6(jnp.array([-1.0, 3.0, 9.0]))
        Array([0., 3., 6.], dtype=float32)
    """
    return jax.nn.relu6(_as_array(x))


def elu(x: Any, alpha: float = 1.0) -> jax.Array:
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Args:
        x: input array.
        alpha: scale of the negative part. Defaults to 1.0.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> elu(jnp.array([0.0, 1.0]))
        Array([0., 1.], dtype=float32)
    """
    x = _as_array(x)
    res = jnp.where(x > 0, x, jnp.expm1(jnp.where(x > 0, jnp.zeros_like(x), x)))
    if alpha == 1:
        return res
    return jnp.where(x > 0, res, _like(alpha, x) * res)


def selu(x: Any) -> jax.Array:
    """Scaled ELU: ``scale * elu(x, alpha)`` with alpha=1.67326324, scale=1.05070098.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> selu(jnp.array([0.0, 1.0]))
        Array([0.      , 1.050701], dtype=float32)
    """
    x = _as_array(x)
    negative = _like(_SELU_ALPHA, x) * jnp.expm1(jnp.where(x > 0, jnp.zeros_like(x), x))
    return _like(_SELU_SCALE, x) * jnp.where(x > 0, x, negative)


def celu(x: Any, alpha: float = 1.0) -> jax.Array:
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``.

    Args:
        x: input array.
        alpha: scale of the negative part. Defaults to 1.0.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> celu(jnp.array([0.0, 2.0]))
        Array([0., 2.], dtype=float32)
    """
    x = _as_array(x)
    a = _like(alpha, x)
    zero = jnp.zeros_like(x)
    return jnp.maximum(x, zero) + a * jnp.expm1(jnp.minimum(x, zero) / a)


# --------------------------------------------------------------------------------------------
# Smooth and gated units.
# --------------------------------------------------------------------------------------------


def softplus(x: Any) -> jax.Array:
    """Softplus: ``log(exp(x) + 1)``, computed stably.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> softplus(jnp.array([0.0]))
        Array([0.6931472], dtype=float32)
    """
    return jax.nn.softplus(_as_array(x))


def softsign(x: Any) -> jax.Array:
    """Softsign: ``x / (abs(x) + 1)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> softsign(jnp.array([-1.0, 3.0]))
        Array([-0.5 ,  0.75], dtype=float32)
    """
    x = _as_array(x)
    return x / (jnp.abs(x) + _like(1.0, x))


def squareplus(x: Any, b: float = 4) -> jax.Array:
    """Squareplus: ``(x + sqrt(x**2 + b)) / 2``.

    Args:
        x: input array.
        b: smoothness parameter. Defaults to 4.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> squareplus(jnp.array([0.0]))
        Array([1.], dtype=float32)
    """
    x = _as_array(x)
    y = x + jnp.sqrt(jnp.square(x) + _like(b, x))
    return y / _like(2.0, x)


def silu(x: Any) -> jax.Array:
    """SiLU, also called swish: ``x * sigmoid(x)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> silu(jnp.array([0.0]))
        Array([0.], dtype=float32)
    """
    x = _as_array(x)
    return x * jax.nn.sigmoid(x)


swish = silu


def gelu(x: Any, approximate: bool = False) -> jax.Array:
    """Gaussian error linear unit, exact by default (Keras; ``jax.nn.gelu`` defaults to tanh).

    Exact: ``0.5 * x * erfc(-x / sqrt(2))``. Approximate:
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``.

    Args:
        x: input array.
        approximate: whether to use the tanh approximation. Defaults to False.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> gelu(jnp.array([0.0, 1.0]))
        Array([0.       , 0.8413447], dtype=float32)
    """
    x = _as_array(x)
    half = _like(0.5, x)
    if approximate:
        inner = _like(0.7978845608028654, x) * (x + _like(0.044715, x) * x**3)
        return half * x * (_like(1.0, x) + jnp.tanh(inner))
    return half * x * jax.lax.erfc(-x * _like(0.7071067811865476, x))


def glu(x: Any, axis: int = -1) -> jax.Array:
    """Gated linear unit: halves ``a, b`` of ``x`` along ``axis`` give ``a * sigmoid(b)``.

    Args:
        x: input array; its size along ``axis`` must be even.
        axis: the axis to split. Defaults to -1.

    Returns:
        An array with half the size of ``x`` along ``axis``.

    Raises:
        JnetValueError: if the size along ``axis`` is odd.

    Example:
        >>> import jax.numpy as jnp
        >>> glu(jnp.array([2.0, 0.0]))
        Array([1.], dtype=float32)
    """
    x = _as_array(x)
    if x.ndim == 0 or x.shape[axis] % 2 != 0:
        raise errors.JnetValueError(
            f"glu splits `x` in two halves along axis={axis}, so that axis must have an even "
            f"size; received x with shape {tuple(x.shape)}. Pass an even-sized axis."
        )
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def mish(x: Any) -> jax.Array:
    """Mish: ``x * tanh(softplus(x))``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> mish(jnp.array([0.0]))
        Array([0.], dtype=float32)
    """
    x = _as_array(x)
    return x * jnp.tanh(jax.nn.softplus(x))


# --------------------------------------------------------------------------------------------
# Sigmoids, tanh and their piecewise-linear relatives.
# --------------------------------------------------------------------------------------------


def sigmoid(x: Any) -> jax.Array:
    """Sigmoid: ``1 / (1 + exp(-x))``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``, in [0, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> sigmoid(jnp.array([0.0]))
        Array([0.5], dtype=float32)
    """
    return jax.nn.sigmoid(_as_array(x))


def log_sigmoid(x: Any) -> jax.Array:
    """Log of the sigmoid: ``-softplus(-x)``, computed stably.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> log_sigmoid(jnp.array([0.0]))
        Array([-0.6931472], dtype=float32)
    """
    return -jax.nn.softplus(-_as_array(x))


def hard_sigmoid(x: Any) -> jax.Array:
    """Hard sigmoid as Keras 3 defines it: ``relu6(x + 3) / 6``.

    This is 0 for ``x <= -3``, 1 for ``x >= 3`` and ``x / 6 + 0.5`` between (Keras 2 used
    ``0.2 * x + 0.5``).

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``, in [0, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> hard_sigmoid(jnp.array([-4.0, 0.0, 4.0]))
        Array([0. , 0.5, 1. ], dtype=float32)
    """
    x = _as_array(x)
    return jax.nn.relu6(x + _like(3.0, x)) / _like(6.0, x)


def hard_silu(x: Any) -> jax.Array:
    """Hard SiLU, also called hard swish: ``x * hard_sigmoid(x)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> hard_silu(jnp.array([-4.0, 0.0, 4.0]))
        Array([-0.,  0.,  4.], dtype=float32)
    """
    x = _as_array(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def sparse_sigmoid(x: Any) -> jax.Array:
    """Sparse sigmoid: 0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` between.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``, in [0, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> sparse_sigmoid(jnp.array([-2.0, 0.0, 2.0]))
        Array([0. , 0.5, 1. ], dtype=float32)
    """
    x = _as_array(x)
    one = _like(1.0, x)
    middle = _like(0.5, x) * (x + one)
    return jnp.where(x <= -one, jnp.zeros_like(x), jnp.where(x >= one, jnp.ones_like(x), middle))


def sparse_plus(x: Any) -> jax.Array:
    """SparsePlus: 0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)**2 / 4`` between.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> sparse_plus(jnp.array([-2.0, 0.0, 2.0]))
        Array([0.  , 0.25, 2.  ], dtype=float32)
    """
    x = _as_array(x)
    one = _like(1.0, x)
    middle = _like(0.25, x) * (x + one) ** 2
    return jnp.where(x <= -one, jnp.zeros_like(x), jnp.where(x < one, middle, x))


def tanh(x: Any) -> jax.Array:
    """Hyperbolic tangent.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``, in [-1, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> tanh(jnp.array([0.0]))
        Array([0.], dtype=float32)
    """
    return jnp.tanh(_as_array(x))


def tanh_shrink(x: Any) -> jax.Array:
    """Tanh shrink: ``x - tanh(x)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> tanh_shrink(jnp.array([0.0]))
        Array([0.], dtype=float32)
    """
    x = _as_array(x)
    return x - jnp.tanh(x)


def hard_tanh(x: Any) -> jax.Array:
    """Hard tanh: ``x`` clipped to [-1, 1].

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> hard_tanh(jnp.array([-3.0, 0.5, 3.0]))
        Array([-1. ,  0.5,  1. ], dtype=float32)
    """
    return _clip(_as_array(x), -1.0, 1.0)


def hard_shrink(x: Any, threshold: float = 0.5) -> jax.Array:
    """Hard shrink: ``x`` where ``|x| > threshold``, 0 elsewhere.

    Args:
        x: input array.
        threshold: the cut-off. Defaults to 0.5.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> hard_shrink(jnp.array([-1.0, 0.2, 1.0]))
        Array([-1.,  0.,  1.], dtype=float32)
    """
    x = _as_array(x)
    return jnp.where(jnp.abs(x) > _like(threshold, x), x, jnp.zeros_like(x))


def soft_shrink(x: Any, threshold: float = 0.5) -> jax.Array:
    """Soft shrink: ``x - threshold`` above it, ``x + threshold`` below ``-threshold``, else 0.

    Args:
        x: input array.
        threshold: the cut-off. Defaults to 0.5.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> soft_shrink(jnp.array([-1.0, 0.2, 1.0]))
        Array([-0.5,  0. ,  0.5], dtype=float32)
    """
    x = _as_array(x)
    t = _like(threshold, x)
    return jnp.where(x > t, x - t, jnp.where(x < -t, x + t, jnp.zeros_like(x)))


def threshold(x: Any, threshold: float, default_value: float) -> jax.Array:
    """Threshold: ``x`` where ``x > threshold``, ``default_value`` elsewhere.

    As in Keras, both arguments are required (so ``get('threshold')`` is only useful with
    ``functools.partial``).

    Args:
        x: input array.
        threshold: values at or below it are replaced.
        default_value: the replacement value.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> threshold(jnp.array([-1.0, 2.0]), 0.0, 9.0)
        Array([9., 2.], dtype=float32)
    """
    x = _as_array(x)
    return jnp.where(x > _like(threshold, x), x, jnp.full_like(x, default_value))


# --------------------------------------------------------------------------------------------
# Normalising activations and the rest.
# --------------------------------------------------------------------------------------------


def _warn_if_size_one(x: jax.Array, axis: Any, name: str) -> None:
    if isinstance(axis, int) and -x.ndim <= axis < x.ndim and x.shape[axis] == 1:
        warnings.warn(
            f"You are using a {name} over axis {axis} of an array of shape {tuple(x.shape)}. "
            f"This axis has size 1, so {name} always returns a constant. Did you mean to use "
            "sigmoid instead?",
            stacklevel=3,
        )


def softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> jax.Array:
    """Softmax: ``exp(x) / sum(exp(x))`` along ``axis``, computed stably.

    Args:
        x: input array (rank >= 1).
        axis: the axis, tuple of axes, or None (all axes) to normalise over. Defaults to -1.

    Returns:
        An array of the shape and dtype of ``x`` whose entries along ``axis`` sum to 1.

    Example:
        >>> import jax.numpy as jnp
        >>> softmax(jnp.array([0.0, 0.0]))
        Array([0.5, 0.5], dtype=float32)
    """
    x = _as_array(x)
    _warn_if_size_one(x, axis, "softmax")
    return jax.nn.softmax(x, axis=axis)


def log_softmax(x: Any, axis: int | tuple[int, ...] | None = -1) -> jax.Array:
    """Log of the softmax: ``x - max(x) - log(sum(exp(x - max(x))))`` along ``axis``.

    Args:
        x: input array (rank >= 1).
        axis: the axis, tuple of axes, or None (all axes) to normalise over. Defaults to -1.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> log_softmax(jnp.array([0.0, 0.0]))
        Array([-0.6931472, -0.6931472], dtype=float32)
    """
    return jax.nn.log_softmax(_as_array(x), axis=axis)


def sparsemax(x: Any, axis: int = -1) -> jax.Array:
    """Sparsemax: the Euclidean projection of ``x`` onto the probability simplex along ``axis``.

    ``sparsemax(x) = max(x - tau(x), 0)``, where ``tau`` makes the result sum to 1
    (Martins & Astudillo, 2016).

    Args:
        x: input array (rank >= 1).
        axis: the axis to normalise over. Defaults to -1.

    Returns:
        An array of the shape and dtype of ``x`` whose entries along ``axis`` sum to 1.

    Example:
        >>> import jax.numpy as jnp
        >>> sparsemax(jnp.array([1.0, 0.0, -1.0]))
        Array([1., 0., 0.], dtype=float32)
    """
    x = _as_array(x)
    if x.ndim == 0:
        raise errors.JnetValueError(
            f"sparsemax needs an input of rank >= 1; received {errors.describe(x)}."
        )
    axis = axis % x.ndim
    x_sorted = jnp.flip(jnp.sort(x, axis=axis), axis=axis)
    cumsum = jnp.cumsum(x_sorted, axis=axis)
    r_shape = [1] * x.ndim
    r_shape[axis] = x.shape[axis]
    r = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(r_shape)
    one = _like(1.0, x)
    support = x_sorted - (cumsum - one) / r > 0
    cumsum_safe = jnp.where(support, cumsum, jnp.zeros_like(cumsum))
    k = jnp.sum(support.astype(x.dtype), axis=axis, keepdims=True)
    tau = (jnp.sum(cumsum_safe, axis=axis, keepdims=True) - one) / k
    return jnp.maximum(x - tau, jnp.zeros_like(x))


def exponential(x: Any) -> jax.Array:
    """Exponential: ``exp(x)``.

    Args:
        x: input array.

    Returns:
        An array of the shape and dtype of ``x``.

    Example:
        >>> import jax.numpy as jnp
        >>> exponential(jnp.array([0.0]))
        Array([1.], dtype=float32)
    """
    return jnp.exp(_as_array(x))


def linear(x: Any) -> Any:
    """Identity (pass-through): returns ``x`` unmodified.

    Args:
        x: input array.

    Returns:
        ``x`` itself.

    Example:
        >>> import jax.numpy as jnp
        >>> linear(jnp.array([-1.0, 2.0]))
        Array([-1.,  2.], dtype=float32)
    """
    return x


# --------------------------------------------------------------------------------------------
# Registry, get, serialize.
# --------------------------------------------------------------------------------------------

_ALL = (
    relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus,
    soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid,
    sparse_sigmoid, exponential, hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear, mish,
    log_softmax, log_sigmoid, sparsemax,
)

ACTIVATIONS = Registry(
    "activation",
    {fn.__name__: fn for fn in _ALL},
    aliases={"swish": "silu", "hard_swish": "hard_silu"},
)
"""The activation registry: Keras's names plus the aliases ``swish`` and ``hard_swish``."""

# jax functions whose defaults equal Keras's (jax.nn.gelu and jax.nn.leaky_relu do not:
# approximate=True and negative_slope=0.01 there).
_JAX_EQUIVALENTS = (
    ("relu", "relu"), ("relu6", "relu6"), ("sigmoid", "sigmoid"), ("softmax", "softmax"),
    ("log_softmax", "log_softmax"), ("tanh", "tanh"), ("elu", "elu"), ("selu", "selu"),
    ("celu", "celu"), ("softplus", "softplus"), ("soft_sign", "softsign"), ("silu", "silu"),
    ("swish", "silu"), ("log_sigmoid", "log_sigmoid"), ("hard_sigmoid", "hard_sigmoid"),
    ("hard_silu", "hard_silu"), ("hard_swish", "hard_silu"), ("hard_tanh", "hard_tanh"),
    ("glu", "glu"), ("mish", "mish"), ("squareplus", "squareplus"),
    ("sparse_plus", "sparse_plus"), ("sparse_sigmoid", "sparse_sigmoid"),
    ("identity", "linear"),
)
_KNOWN: list[tuple[Any, str]] = [(fn, fn.__name__) for fn in _ALL]
_KNOWN += [
    (getattr(jax.nn, attr), name) for attr, name in _JAX_EQUIVALENTS if hasattr(jax.nn, attr)
]
_KNOWN += [(jnp.tanh, "tanh"), (jnp.exp, "exponential")]


def _name_of(fn: Any) -> str | None:
    for known, name in _KNOWN:
        if fn is known:
            return name
    return None


def _from_config(fn: Activation, config: dict) -> Activation:
    return functools.partial(fn, **config) if config else fn


def get(identifier: Any) -> Activation:
    """Resolves an activation identifier the way ``keras.activations.get`` does.

    Args:
        identifier: None (the identity, ``linear``); a name or alias such as ``'relu'`` or
            ``'swish'``; a Keras config dict (``{'class_name': 'function', 'config': 'relu'}``
            as Keras serialises functions, or ``{'class_name': 'elu', 'config': {'alpha': 2.0}}``);
            or any callable, returned as is.

    Returns:
        A callable activation.

    Raises:
        UnknownIdentifierError: for an unknown name (the message lists the valid names).
        JnetTypeError: for anything that is not None, a string, a dict or a callable.

    Example:
        >>> get("swish") is silu
        True
        >>> get(None) is linear
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return ACTIVATIONS.lookup(identifier)
    if isinstance(identifier, Mapping):
        if identifier.get("class_name") == "function":
            name = identifier.get("config")
            if not isinstance(name, str):
                raise errors.JnetValueError(
                    "A serialised activation function needs its name under 'config'; received "
                    f"{dict(identifier)!r}."
                )
            return ACTIVATIONS.lookup(name)
        return ACTIVATIONS.get(identifier, from_config=_from_config)
    if callable(identifier):
        return identifier
    raise errors.JnetTypeError(
        f"Could not interpret activation identifier: received {errors.describe(identifier)}. "
        "Expected None, an activation name such as 'relu', a config dict, or a callable."
    )


def serialize(activation: Any) -> str | None:
    """The canonical Keras name of an activation, or None when it has none.

    Recognises jnet's functions, their names and aliases, and the ``jax.nn``/``jax.numpy``
    functions whose defaults equal Keras's (``jax.nn.relu``, ``jax.nn.sigmoid``,
    ``jax.nn.softmax``, ``jnp.tanh``, ...). ``jax.nn.gelu`` (tanh approximation by default) and
    ``jax.nn.leaky_relu`` (slope 0.01) are not Keras's ``gelu``/``leaky_relu`` and give None.

    Args:
        activation: a callable or a string.

    Returns:
        The registry name, e.g. ``'silu'`` for ``swish``; None for unknown callables.

    Example:
        >>> import jax
        >>> serialize(jax.nn.relu), serialize("swish"), serialize(jax.nn.gelu)
        ('relu', 'silu', None)
    """
    if isinstance(activation, str):
        return ACTIVATIONS.canonical(activation)
    return _name_of(activation)


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Activation:
    """The activation a :func:`serialize` name or Keras's config describes
    (``keras.activations.deserialize``).

    Args:
        config: a name (``'relu'``, a registered ``'Package>name'``), or a Keras config dict
            (``{'class_name': 'function', 'config': 'relu', ...}``, or
            ``{'class_name': 'elu', 'config': {'alpha': 2.0}}``).
        custom_objects: ``{name: function}`` for functions that are not registered. Defaults
            to None.

    Returns:
        The activation function.

    Raises:
        UnknownIdentifierError: for a name that is neither custom, registered nor Keras's.
        JnetTypeError: for a config that is not a string or a dict.

    Example:
        >>> deserialize(serialize(relu)) is relu
        True
        >>> deserialize({"class_name": "function", "config": "swish"}) is silu
        True
    """
    if isinstance(config, Mapping) and config.get("class_name") == "function":
        name = config.get("config")
    elif isinstance(config, str):
        name = config
    elif isinstance(config, Mapping):
        return get(config)
    else:
        raise errors.JnetTypeError(
            f"activations.deserialize takes a name or a config dict; received "
            f"{errors.describe(config)}. Pass serialize(activation)'s result."
        )
    if isinstance(name, str):
        found = get_registered_object(name, custom_objects)
        if found is not None:
            return found
    return get(config)


def logits_activation(activation: Any) -> str | None:
    """Which output activation ``activation`` is, for Keras's "from logits" shortcut.

    On its TensorFlow backend, Keras computes cross-entropies from the logits when the
    predictions come straight out of a sigmoid or a softmax. The training engine uses this to
    do the same.

    Args:
        activation: a callable, a name, a config dict or None.

    Returns:
        ``'sigmoid'`` for jnet's or ``jax.nn``'s sigmoid, ``'softmax'`` for jnet's or ``jax.nn``'s
        softmax over the last axis (the default ``axis=-1``), else None.

    Example:
        >>> import functools
        >>> logits_activation("softmax"), logits_activation(functools.partial(softmax, axis=0))
        ('softmax', None)
    """
    if isinstance(activation, (str, Mapping)):
        activation = get(activation)
    keywords: dict = {}
    if isinstance(activation, functools.partial):
        if activation.args:
            return None
        keywords = dict(activation.keywords)
        activation = activation.func
    name = _name_of(activation)
    if name == "sigmoid" and not keywords:
        return "sigmoid"
    if name == "softmax" and set(keywords) <= {"axis"} and keywords.get("axis", -1) == -1:
        return "softmax"
    return None
