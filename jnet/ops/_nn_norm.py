"""Keras's normalization ops: ``moments``, ``batch_normalization``, ``layer_normalization``,
``rms_normalization`` and ``normalize``.

float16 and bfloat16 inputs are normalized in float32 and the result cast back, as Keras
does; integer inputs give ``floatx()``.

Example:
    >>> mean, variance = moments(np.array([1.0, 3.0]), axes=0)
    >>> mean.tolist(), variance.tolist()
    (2.0, 1.0)
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jnet import _dtypes, config, errors
from jnet.ops._nn_utils import canonical_axes, canonical_axis, float_array
from jnet.ops._op import convert, keras_op

__all__ = [
    "batch_normalization",
    "layer_normalization",
    "moments",
    "normalize",
    "rms_normalization",
]

_HALF = ("float16", "bfloat16")


@keras_op
def moments(x: Any, axes: Any, keepdims: bool = False,
            synchronized: bool = False) -> tuple[jax.Array, jax.Array]:
    """Mean and variance of ``x`` over ``axes``.

    Args:
        x: input array.
        axes: an axis or a sequence of axes to reduce.
        keepdims: keep the reduced axes with size 1 (default False).
        synchronized: must be False: a cross-device mean needs a named axis (use
            ``jax.lax.pmean`` in a ``shard_map``), as on Keras's JAX backend.

    Returns:
        ``(mean, variance)``, of ``x``'s dtype (float16/bfloat16 computed in float32 and
        clipped to float16's range).

    Example:
        >>> m, v = moments(np.array([[1.0, 2.0], [3.0, 6.0]]), axes=[1], keepdims=True)
        >>> m.tolist(), v.tolist()
        ([[1.5], [4.5]], [[0.25], [2.25]])
    """
    if synchronized:
        raise errors.JnetValueError(
            "moments: synchronized=True is not supported on the jax backend (Keras raises "
            "too); compute a cross-device mean with jax.lax.pmean instead."
        )
    x = float_array(x)
    axes = canonical_axes(axes, x.ndim, "moments", "axes")
    dtype = x.dtype
    if dtype in _HALF:
        x = x.astype("float32")
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.var(x, axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axes), jnp.squeeze(variance, axes)
    if dtype in _HALF:
        limit = float(jnp.finfo(jnp.float16).max)
        mean = jnp.clip(mean, -limit, limit).astype(dtype)
        variance = jnp.clip(variance, -limit, limit).astype(dtype)
    return mean, variance


def _vector(value: Any, name: str, size: int, dtype: str, shape: list[int],
            op: str) -> jax.Array | None:
    if value is None:
        return None
    value = convert(value)
    if value.shape != (size,):
        raise errors.JnetValueError(
            f"{op}: argument `{name}` must be a vector of length `x.shape[axis]`. "
            f"Expected: `{(size,)}`. Received: `{value.shape}`."
        )
    return value.astype(dtype).reshape(shape)


@keras_op
def batch_normalization(x: Any, mean: Any, variance: Any, axis: int, offset: Any = None,
                        scale: Any = None, epsilon: float = 1e-3) -> jax.Array:
    """Normalizes ``x`` with given statistics: ``(x - mean) / sqrt(variance + epsilon) *
    scale + offset``, the vectors broadcast along ``axis``.

    Args:
        x: input array.
        mean: vector of length ``x.shape[axis]``.
        variance: vector of length ``x.shape[axis]``.
        axis: the feature axis of ``x``.
        offset: optional vector added after scaling (default None).
        scale: optional vector multiplying the normalized values (default None).
        epsilon: added to the variance (default 1e-3).

    Returns:
        The normalized array, of the operands' promoted dtype.

    Example:
        >>> batch_normalization(np.array([[1.0, 2.0]]), np.array([1.0, 0.0]),
        ...                     np.array([1.0, 4.0]), axis=-1, epsilon=0.0).tolist()
        [[0.0, 1.0]]
    """
    arrays = [v for v in (x, mean, variance, offset, scale) if v is not None]
    dtype = _dtypes.result_type(*(_dtypes.dtype_of(v) for v in arrays))
    if not _dtypes.is_float(dtype):
        dtype = _dtypes.standardize_dtype(None)
    x = convert(x).astype(dtype)
    axis = canonical_axis(axis, x.ndim, "batch_normalization")
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def vector(value, name):
        return _vector(value, name, x.shape[axis], dtype, shape, "batch_normalization")

    mean, variance = vector(mean, "mean"), vector(variance, "variance")
    offset, scale = vector(offset, "offset"), vector(scale, "scale")
    inv = lax.rsqrt(variance + epsilon)
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv
    if offset is not None:
        shift = shift + offset
    return x * inv + shift


def _compute(x: Any) -> tuple[jax.Array, str]:
    x = convert(x)
    original = _dtypes.standardize_dtype(x.dtype)
    if not _dtypes.is_float(original):
        original = _dtypes.standardize_dtype(None)
    return x.astype(_dtypes.result_type(original, "float32")), original


def _broadcast_param(value: Any, x: jax.Array, axes: tuple[int, ...]) -> jax.Array | None:
    if value is None:
        return None
    value = convert(value).astype(x.dtype)
    if value.ndim == x.ndim:
        return value
    if axes == (x.ndim - 1,):  # numpy broadcasting, spelled out (no implicit rank promotion)
        return value.reshape((1,) * (x.ndim - value.ndim) + value.shape)
    return value.reshape([x.shape[a] if a in axes else 1 for a in range(x.ndim)])


@keras_op
def layer_normalization(x: Any, gamma: Any = None, beta: Any = None, axis: Any = -1,
                        epsilon: float | None = None, **kwargs: Any) -> jax.Array:
    """Layer normalization: ``(x - mean) / sqrt(variance + epsilon) * gamma + beta``, the
    statistics taken over ``axis``.

    Args:
        x: input array.
        gamma: optional scale, of the shape of the normalized axes (default None).
        beta: optional offset, of the shape of the normalized axes (default None).
        axis: an axis or a sequence of axes to normalize over (default -1).
        epsilon: added to the variance (default: ``jnet.config.epsilon()``).
        **kwargs: ``rms_scaling=True`` (deprecated in Keras, warns) scales by the variance
            alone, without centering or ``beta``.

    Returns:
        The normalized array, of ``x``'s dtype.

    Example:
        >>> print(np.round(layer_normalization(np.array([[1.0, 3.0]]), epsilon=0.0), 4))
        [[-1.  1.]]
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise errors.unknown_arguments("layer_normalization", kwargs, ["rms_scaling"])
    if rms_scaling:
        warnings.warn(
            "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly "
            "scales the input by the variance, not the root mean square. To correctly use RMS "
            "Normalization, please use `jnet.ops.rms_normalization` instead.", stacklevel=2)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, original = _compute(x)
    axes = tuple(sorted(canonical_axes(axis, x.ndim, "layer_normalization")))
    gamma, beta = _broadcast_param(gamma, x, axes), _broadcast_param(beta, x, axes)
    if rms_scaling:
        outputs = x * lax.rsqrt(jnp.var(x, axis=axes, keepdims=True) + epsilon)
        if gamma is not None:
            outputs = outputs * gamma
        return outputs.astype(original)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    inv = lax.rsqrt(jnp.var(x, axis=axes, keepdims=True) + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return (x * inv + shift).astype(original)


@keras_op
def rms_normalization(x: Any, scale: Any = None, axis: Any = -1,
                      epsilon: float | None = None) -> jax.Array:
    """Root-mean-square normalization: ``x / sqrt(mean(x**2) + epsilon) * scale``.

    Args:
        x: input array.
        scale: optional scale, broadcast against ``x`` (default None).
        axis: an axis or a sequence of axes to normalize over (default -1).
        epsilon: added to the mean square (default: ``jnet.config.epsilon()``).

    Returns:
        The normalized array, of ``x``'s dtype.

    Example:
        >>> print(np.round(rms_normalization(np.array([3.0, 4.0]), epsilon=0.0), 4))
        [0.848... 1.1314...]
    """
    epsilon = config.epsilon() if epsilon is None else epsilon
    x, original = _compute(x)
    if x.ndim == 0:
        x = x[None]
    axes = canonical_axes(axis, x.ndim, "rms_normalization")
    outputs = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        scale = convert(scale).astype(x.dtype)
        outputs = outputs * scale.reshape((1,) * (x.ndim - scale.ndim) + scale.shape)
    return outputs.astype(original)


@keras_op
def normalize(x: Any, axis: Any = -1, order: int = 2, epsilon: float | None = None) -> jax.Array:
    """``x`` divided by its ``order``-norm along ``axis`` (the norm at least ``epsilon``).

    Args:
        x: input array.
        axis: an axis or a sequence of axes (default -1).
        order: the norm's order, an int >= 1 (default 2).
        epsilon: the smallest norm divided by (default: ``jnet.config.epsilon()``).

    Returns:
        The normalized array (integer inputs give ``floatx()``).

    Example:
        >>> normalize(np.array([3.0, 4.0])).tolist()
        [0.6..., 0.8...]
    """
    if isinstance(order, bool) or not isinstance(order, int | np.integer) or order < 1:
        raise errors.JnetValueError(
            f"normalize: argument `order` must be an int >= 1. Received: order={order!r}"
        )
    x = float_array(x)
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    axes = canonical_axes(axis, x.ndim, "normalize")
    if order == 2:
        inv = lax.rsqrt(jnp.sum(jnp.square(x), axis=axes, keepdims=True))
        return x * jnp.minimum(inv, 1.0 / epsilon)
    # as Keras (linalg.norm): two axes give a matrix norm of that order
    norm = jnp.linalg.norm(x, ord=order, axis=axes if len(axes) > 1 else axes[0], keepdims=True)
    return x / jnp.maximum(norm, epsilon)
