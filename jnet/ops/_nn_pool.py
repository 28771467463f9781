"""Keras's pooling ops: ``max_pool``, ``average_pool`` and their adaptive forms, on
``jax.lax.reduce_window``.

Inputs are ``(batch, *spatial, channels)`` (``data_format='channels_last'``) or
``(batch, channels, *spatial)``, with 1, 2 or 3 spatial axes; ``data_format=None`` means
``jnet.config.image_data_format()``. Adaptive pooling splits each spatial axis of size ``L``
into ``output_size`` windows, window ``i`` covering ``[floor(i L / n), ceil((i + 1) L / n))``.

Example:
    >>> max_pool(np.arange(4.0).reshape(1, 4, 1), 2)[0, :, 0].tolist()
    [1.0, 3.0]
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jnet import _dtypes
from jnet.ops._nn_utils import check_rank, float_array, padding_mode, spatial_tuple
from jnet.ops._nn_utils import data_format as standard_format
from jnet.ops._op import convert, keras_op

__all__ = ["adaptive_average_pool", "adaptive_max_pool", "average_pool", "max_pool"]


def _window(values: tuple, fmt: str) -> tuple:
    return (1, *values, 1) if fmt == "channels_last" else (1, 1, *values)


def _spatial_axes(ndim: int, fmt: str) -> tuple[int, ...]:
    return tuple(range(1, ndim - 1)) if fmt == "channels_last" else tuple(range(2, ndim))


def _lowest(dtype: Any) -> np.ndarray:
    dtype = np.dtype(dtype)
    if _dtypes.is_float(dtype):
        return np.array(-np.inf, dtype)
    if dtype == np.bool_:
        return np.array(False)
    return np.array(np.iinfo(dtype).min, dtype)


def _pool_args(inputs, pool_size, strides, padding, data_format, op):
    fmt = standard_format(data_format, op)
    padding = padding_mode(padding, op)
    check_rank(inputs, (3, 4, 5), op, "inputs", "batch, 1 to 3 spatial axes and channels")
    n = inputs.ndim - 2
    pool = spatial_tuple(pool_size, n, "pool_size", op)
    steps = pool if strides is None else spatial_tuple(strides, n, "strides", op)
    return _window(pool, fmt), _window(steps, fmt), padding.upper()


@keras_op
def max_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid",
             data_format: str | None = None) -> jax.Array:
    """Max pooling over 1, 2 or 3 spatial axes.

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        pool_size: an int or a tuple of one int per spatial axis.
        strides: an int, a tuple, or None (default: ``pool_size``).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).

    Returns:
        The pooled array, of ``inputs``' dtype.

    Example:
        >>> max_pool(np.arange(5.0).reshape(1, 5, 1), 2, padding="same")[0, :, 0].tolist()
        [1.0, 3.0, 4.0]
    """
    inputs = convert(inputs)
    window, steps, padding = _pool_args(inputs, pool_size, strides, padding, data_format,
                                        "max_pool")
    return lax.reduce_window(inputs, _lowest(inputs.dtype), lax.max, window, steps, padding)


@keras_op
def average_pool(inputs: Any, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: str | None = None) -> jax.Array:
    """Average pooling over 1, 2 or 3 spatial axes (``'same'`` padding averages only the
    positions inside the input).

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        pool_size: an int or a tuple of one int per spatial axis.
        strides: an int, a tuple, or None (default: ``pool_size``).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).

    Returns:
        The pooled array (integer inputs give ``floatx()``).

    Example:
        >>> average_pool(np.arange(5.0).reshape(1, 5, 1), 2, padding="same")[0, :, 0].tolist()
        [0.5, 2.5, 4.0]
    """
    inputs = float_array(inputs)
    window, steps, padding = _pool_args(inputs, pool_size, strides, padding, data_format,
                                        "average_pool")
    zero = np.array(0, inputs.dtype)
    total = lax.reduce_window(inputs, zero, lax.add, window, steps, padding)
    if padding == "VALID":
        return total / math.prod(window)
    shape = [size if w != 1 else 1 for size, w in zip(inputs.shape, window, strict=True)]
    counts = lax.reduce_window(jnp.ones(shape, inputs.dtype), zero, lax.add, window, steps,
                               padding)
    return total / counts


def _adaptive_axis(x: jax.Array, axis: int, out: int, reducer: str) -> jax.Array:
    # Windows along one axis have two sizes at most (ceil(L / n) and one more): pool with each
    # size at stride 1, then gather each output's window by its start.
    length = x.shape[axis]
    starts = np.floor(np.arange(out) * length / out).astype(np.int64)
    ends = np.ceil(np.arange(1, out + 1) * length / out).astype(np.int64)
    sizes = ends - starts
    pooled, offset, index = [], 0, np.zeros(out, np.int64)
    for size in sorted(set(sizes.tolist())):
        window = [1] * x.ndim
        window[axis] = size
        if reducer == "max":
            part = lax.reduce_window(x, _lowest(x.dtype), lax.max, window, [1] * x.ndim, "VALID")
        else:
            part = lax.reduce_window(x, np.array(0, x.dtype), lax.add, window, [1] * x.ndim,
                                     "VALID") / size
        index = np.where(sizes == size, starts + offset, index)
        offset += part.shape[axis]
        pooled.append(part)
    combined = pooled[0] if len(pooled) == 1 else jnp.concatenate(pooled, axis=axis)
    return jnp.take(combined, jnp.asarray(index, jnp.int32), axis=axis)


def _adaptive(inputs: Any, output_size: Any, data_format: Any, reducer: str, op: str):
    fmt = standard_format(data_format, op)
    x = convert(inputs) if reducer == "max" else float_array(inputs)
    check_rank(x, (3, 4, 5), op, "inputs", "batch, 1 to 3 spatial axes and channels")
    axes = _spatial_axes(x.ndim, fmt)
    sizes = spatial_tuple(output_size, len(axes), "output_size", op)
    for axis, out in zip(axes, sizes, strict=True):
        x = _adaptive_axis(x, axis, out, reducer)
    return x


@keras_op
def adaptive_max_pool(inputs: Any, output_size: Any,
                      data_format: str | None = None) -> jax.Array:
    """Adaptive max pooling: the maximum over windows that split each spatial axis into
    ``output_size`` parts.

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        output_size: an int or a tuple of one int per spatial axis.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).

    Returns:
        An array whose spatial axes have ``output_size``.

    Example:
        >>> adaptive_max_pool(np.arange(5.0).reshape(1, 5, 1), 2)[0, :, 0].tolist()
        [2.0, 4.0]
    """
    return _adaptive(inputs, output_size, data_format, "max", "adaptive_max_pool")


@keras_op
def adaptive_average_pool(inputs: Any, output_size: Any,
                          data_format: str | None = None) -> jax.Array:
    """Adaptive average pooling: the mean over windows that split each spatial axis into
    ``output_size`` parts.

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        output_size: an int or a tuple of one int per spatial axis.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).

    Returns:
        An array whose spatial axes have ``output_size`` (integer inputs give ``floatx()``).

    Example:
        >>> adaptive_average_pool(np.arange(5.0).reshape(1, 5, 1), 2)[0, :, 0].tolist()
        [1.0, 3.0]
    """
    return _adaptive(inputs, output_size, data_format, "mean", "adaptive_average_pool")
