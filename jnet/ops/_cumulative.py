"""Keras's running and differencing ops along an axis: ``cumsum``, ``cumprod``, their NaN-
ignoring forms ``nancumsum``/``nancumprod``, ``diff`` and ``trapezoid``.

The cumulative ops keep the input's dtype (Keras's rule, unlike NumPy's widening of small
ints) unless ``dtype`` is given; ``bool`` gives ``int32``. ``axis=None`` runs over the
flattened input.

Example:
    >>> import jax.numpy as jnp
    >>> cumsum(jnp.array([[1, 2], [3, 4]], "int8")).tolist()
    [1, 3, 6, 10]
    >>> diff(jnp.array([1, 4, 9, 16])).tolist()
    [3, 5, 7]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op
from jnet.ops._reduce_common import axis_index, float_dtype

__all__ = ["cumprod", "cumsum", "diff", "nancumprod", "nancumsum", "trapezoid"]


def _cumulative(fn, name: str, x: Any, axis: Any, dtype: Any):
    x = convert(x)
    out = _dtypes.standardize_dtype(x.dtype if dtype is None else dtype)
    if out == "bool":
        out = "int32"
    if axis is None:
        x, index = x.reshape(-1), 0
    else:
        index = axis_index(axis, x.ndim, op=name)
    return fn(x.astype(out), axis=index, dtype=out)


@keras_op
def cumsum(x: Any, axis: Any = None, dtype: Any = None):
    """Cumulative sum along an axis.

    Args:
        x: input tensor.
        axis: the axis (default None: the flattened input).
        dtype: the result dtype (default None: ``x``'s; ``bool`` gives ``int32``).

    Returns:
        The running sums.

    Example:
        >>> cumsum(jnp.array([[1.0, 2.0], [3.0, 4.0]]), axis=1).tolist()
        [[1.0, 3.0], [3.0, 7.0]]
    """
    return _cumulative(jnp.cumsum, "cumsum", x, axis, dtype)


@keras_op
def cumprod(x: Any, axis: Any = None, dtype: Any = None):
    """Cumulative product along an axis.

    Args:
        x: input tensor.
        axis: the axis (default None: the flattened input).
        dtype: the result dtype (default None: ``x``'s; ``bool`` gives ``int32``).

    Returns:
        The running products.

    Example:
        >>> cumprod(jnp.array([1, 2, 3, 4])).tolist()
        [1, 2, 6, 24]
    """
    return _cumulative(jnp.cumprod, "cumprod", x, axis, dtype)


@keras_op
def nancumsum(x: Any, axis: Any = None, dtype: Any = None):
    """Cumulative sum along an axis, NaNs counted as zero.

    Args:
        x: input tensor.
        axis: the axis (default None: the flattened input).
        dtype: the result dtype (default None: ``x``'s; ``bool`` gives ``int32``).

    Returns:
        The running sums.

    Example:
        >>> nancumsum(jnp.array([1.0, jnp.nan, 3.0])).tolist()
        [1.0, 1.0, 4.0]
    """
    return _cumulative(jnp.nancumsum, "nancumsum", x, axis, dtype)


@keras_op
def nancumprod(x: Any, axis: Any = None, dtype: Any = None):
    """Cumulative product along an axis, NaNs counted as one.

    Args:
        x: input tensor.
        axis: the axis (default None: the flattened input).
        dtype: the result dtype (default None: ``x``'s; ``bool`` gives ``int32``).

    Returns:
        The running products.

    Example:
        >>> nancumprod(jnp.array([2.0, jnp.nan, 3.0])).tolist()
        [2.0, 2.0, 6.0]
    """
    return _cumulative(jnp.nancumprod, "nancumprod", x, axis, dtype)


@keras_op
def diff(a: Any, n: int = 1, axis: int = -1):
    """The ``n``-th discrete difference along an axis (``a[i+1] - a[i]``, ``n`` times).

    Args:
        a: input tensor, at least 1-D.
        n: how many times to difference (default 1; 0 returns ``a``).
        axis: the axis (default -1).

    Returns:
        The differences, of ``a``'s dtype, ``n`` shorter along ``axis`` (for ``bool``
        inputs, ``a[i+1] != a[i]``).

    Example:
        >>> diff(jnp.array([1, 2, 4, 7, 0]), n=2).tolist()
        [1, 1, -10]
    """
    a = convert(a)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise errors.JnetValueError(
            f"diff: the order `n` must be a non-negative integer. Received: n={n!r}."
        )
    if a.ndim == 0:
        raise errors.JnetValueError(
            f"diff: `a` must be at least 1-D. Received: a of shape {a.shape}."
        )
    return jnp.diff(a, n=n, axis=axis_index(axis, a.ndim, op="diff"))


@keras_op
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1):
    """Integral of ``y`` along an axis by the trapezoidal rule.

    Args:
        y: the values to integrate.
        x: the sample points of ``y`` along ``axis`` (default None: spaced by ``dx``).
        dx: the spacing of the samples when ``x`` is None (default 1.0).
        axis: the axis to integrate along (default -1).

    Returns:
        The integral, of dtype ``result_type(y.dtype, float)``, without ``axis``.

    Example:
        >>> trapezoid(jnp.array([1, 2, 3])).item()
        4.0
        >>> trapezoid(jnp.array([1.0, 2.0, 3.0]), x=jnp.array([0.0, 2.0, 3.0])).item()
        5.5
    """
    y = convert(y)
    dtype = float_dtype(y.dtype)
    index = axis_index(axis, y.ndim, op="trapezoid")
    shape = y.shape
    if x is None:
        return jnp.trapezoid(y.astype(dtype), dx=convert(dx).astype(dtype), axis=index)
    x = convert(x).astype(dtype)
    y = jnp.moveaxis(y.astype(dtype), index, -1)
    if x.ndim == 1 and x.shape[0] == shape[index]:
        # jnp.trapezoid would broadcast diff(x) by rank promotion
        dx = jnp.diff(x).reshape((1,) * (y.ndim - 1) + (-1,))
    elif x.shape == shape:
        dx = jnp.diff(jnp.moveaxis(x, index, -1), axis=-1)
    else:
        raise errors.JnetValueError(
            f"trapezoid: `x` must be of the shape of `y`, or 1-D with y.shape[axis]="
            f"{shape[index]} points. Received: x.shape={x.shape}, y.shape={shape}, "
            f"axis={axis!r}."
        )
    return jnp.sum((y[..., 1:] + y[..., :-1]) * dx, axis=-1) * np.asarray(0.5, dtype)
