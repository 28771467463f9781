"""Keras's NaN-ignoring reductions: ``nansum``, ``nanprod``, ``nanmean``, ``nanvar``,
``nanstd``, ``nanmax``, ``nanmin``, ``nanargmax``, ``nanargmin``.

Each is its plain reduction with NaNs left out, and keeps that reduction's dtype rule
(``nansum``/``nanprod`` widen small ints to 32 bits; ``nanmean``/``nanvar``/``nanstd`` give
``result_type(x.dtype, float)``, computed in ``float32`` for ``float16``/``bfloat16``;
``nanargmax``/``nanargmin`` give ``int32``). A slice of NaNs only gives NaN (``nanmax``,
``nanmean``, ...) or -1 (``nanargmax``, ``nanargmin``), as in JAX.

Example:
    >>> import jax.numpy as jnp
    >>> x = jnp.array([[1.0, jnp.nan], [3.0, 4.0]])
    >>> nansum(x, axis=1).tolist(), nanargmax(x, axis=1).tolist()
    ([1.0, 7.0], [0, 1])
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import errors
from jnet.ops._op import convert, keras_op
from jnet.ops._reduce_common import axes, compute_dtype, float_dtype, sum_dtype

__all__ = [
    "nanargmax",
    "nanargmin",
    "nanmax",
    "nanmean",
    "nanmin",
    "nanprod",
    "nanstd",
    "nansum",
    "nanvar",
]


@keras_op
def nansum(x: Any, axis: Any = None, keepdims: bool = False):
    """Sum over the given axes, NaNs counted as zero.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The sum, with ``sum``'s dtype rule (small ints and bools widen to 32 bits).

    Example:
        >>> nansum(jnp.array([1.0, jnp.nan, 2.0])).item()
        3.0
    """
    x = convert(x)
    return jnp.nansum(x, axis=axes(axis, x.ndim, op="nansum"), keepdims=keepdims,
                      dtype=sum_dtype(x.dtype))


@keras_op
def nanprod(x: Any, axis: Any = None, keepdims: bool = False):
    """Product over the given axes, NaNs counted as one.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The product, with ``prod``'s dtype rule (small ints and bools widen to 32 bits).

    Example:
        >>> nanprod(jnp.array([2.0, jnp.nan, 3.0])).item()
        6.0
    """
    x = convert(x)
    return jnp.nanprod(x, axis=axes(axis, x.ndim, op="nanprod"), keepdims=keepdims,
                       dtype=sum_dtype(x.dtype))


def _nan_moment(fn, name: str, x: Any, axis: Any, keepdims: bool):
    x = convert(x)
    out = fn(x.astype(compute_dtype(x.dtype)), axis=axes(axis, x.ndim, op=name),
             keepdims=keepdims)
    return out.astype(float_dtype(x.dtype))


@keras_op
def nanmean(x: Any, axis: Any = None, keepdims: bool = False):
    """Mean over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The mean, of dtype ``result_type(x.dtype, float)``; NaN where every value is NaN.

    Example:
        >>> nanmean(jnp.array([1.0, jnp.nan, 2.0])).item()
        1.5
    """
    return _nan_moment(jnp.nanmean, "nanmean", x, axis, keepdims)


@keras_op
def nanvar(x: Any, axis: Any = None, keepdims: bool = False):
    """Variance (``ddof=0``) over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The variance, of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> nanvar(jnp.array([1.0, jnp.nan, 3.0])).item()
        1.0
    """
    return _nan_moment(jnp.nanvar, "nanvar", x, axis, keepdims)


@keras_op
def nanstd(x: Any, axis: Any = None, keepdims: bool = False):
    """Standard deviation (``ddof=0``) over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The standard deviation, of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> nanstd(jnp.array([1.0, jnp.nan, 3.0])).item()
        1.0
    """
    return _nan_moment(jnp.nanstd, "nanstd", x, axis, keepdims)


@keras_op
def nanmax(x: Any, axis: Any = None, keepdims: bool = False):
    """Maximum over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The maximum, of ``x``'s dtype; NaN where every value is NaN.

    Example:
        >>> nanmax(jnp.array([1.0, jnp.nan, 2.0])).item()
        2.0
    """
    x = convert(x)
    return jnp.nanmax(x, axis=axes(axis, x.ndim, op="nanmax"), keepdims=keepdims)


@keras_op
def nanmin(x: Any, axis: Any = None, keepdims: bool = False):
    """Minimum over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The minimum, of ``x``'s dtype; NaN where every value is NaN.

    Example:
        >>> nanmin(jnp.array([1.0, jnp.nan, 2.0])).item()
        1.0
    """
    x = convert(x)
    return jnp.nanmin(x, axis=axes(axis, x.ndim, op="nanmin"), keepdims=keepdims)


def _nan_arg(fn, name: str, x: Any, axis: Any, keepdims: bool):
    x = convert(x)
    index = axes(axis, x.ndim, op=name)
    if index is not None and len(index) != 1:
        raise errors.JnetValueError(
            f"{name}: `axis` must be one integer or None. Received: axis={axis!r}."
        )
    return fn(x, axis=None if index is None else index[0], keepdims=keepdims).astype("int32")


@keras_op
def nanargmax(x: Any, axis: Any = None, keepdims: bool = False):
    """Index of the largest value along an axis, NaNs left out (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis (default None: index into the flattened input).
        keepdims: keep the reduced axis with length 1 (default False).

    Returns:
        ``int32`` indices; -1 where every value is NaN.

    Example:
        >>> nanargmax(jnp.array([1.0, jnp.nan, 2.0])).item()
        2
    """
    return _nan_arg(jnp.nanargmax, "nanargmax", x, axis, keepdims)


@keras_op
def nanargmin(x: Any, axis: Any = None, keepdims: bool = False):
    """Index of the smallest value along an axis, NaNs left out (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis (default None: index into the flattened input).
        keepdims: keep the reduced axis with length 1 (default False).

    Returns:
        ``int32`` indices; -1 where every value is NaN.

    Example:
        >>> nanargmin(jnp.array([jnp.nan, 1.0, 0.5])).item()
        2
    """
    return _nan_arg(jnp.nanargmin, "nanargmin", x, axis, keepdims)
