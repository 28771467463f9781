"""Keras's order statistics and correlation: ``median``, ``quantile``, ``percentile``, their
NaN-ignoring forms, and ``corrcoef``.

Results have dtype ``result_type(x.dtype, float)`` (``floatx()`` for int and bool inputs);
``float16``/``bfloat16`` inputs are computed in ``float32`` and cast back. ``q`` may be a
scalar or 1-D; a 1-D ``q`` puts its axis first in the result. ``method`` is one of
``"linear"`` (default), ``"lower"``, ``"higher"``, ``"midpoint"``, ``"nearest"``.

Example:
    >>> import jax.numpy as jnp
    >>> x = jnp.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    >>> median(x, axis=1).tolist()
    [2.5, 6.5]
    >>> quantile(x, [0.0, 1.0], axis=1).tolist()
    [[1.0, 5.0], [4.0, 8.0]]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import errors
from jnet.ops._op import convert, keras_op
from jnet.ops._reduce_common import axes, compute_dtype, float_dtype

__all__ = [
    "corrcoef",
    "median",
    "nanmedian",
    "nanpercentile",
    "nanquantile",
    "percentile",
    "quantile",
]

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _order_statistic(fn, name: str, x: Any, q: Any, axis: Any, method: str, keepdims: bool):
    if method not in _METHODS:
        raise errors.JnetValueError(
            f"{name}: `method` must be one of {', '.join(map(repr, _METHODS))}. Received: "
            f"method={method!r}."
        )
    x = convert(x)
    compute = compute_dtype(x.dtype)
    q = convert(q)
    if q.ndim > 1:
        raise errors.JnetValueError(
            f"{name}: `q` must be a scalar or 1-D. Received: q of shape {q.shape}."
        )
    out = fn(x.astype(compute), q.astype(compute), axis=axes(axis, x.ndim, op=name),
             method=method, keepdims=keepdims)
    return out.astype(float_dtype(x.dtype))


def _median(fn, name: str, x: Any, axis: Any, keepdims: bool):
    x = convert(x)
    out = fn(x.astype(compute_dtype(x.dtype)), axis=axes(axis, x.ndim, op=name),
             keepdims=keepdims)
    return out.astype(float_dtype(x.dtype))


@keras_op
def median(x: Any, axis: Any = None, keepdims: bool = False):
    """Median over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The median, of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> median(jnp.array([3, 1, 2, 10])).item()
        2.5
    """
    return _median(jnp.median, "median", x, axis, keepdims)


@keras_op
def nanmedian(x: Any, axis: Any = None, keepdims: bool = False):
    """Median over the given axes, NaNs left out.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The median, of dtype ``result_type(x.dtype, float)``; NaN where every value is NaN.

    Example:
        >>> nanmedian(jnp.array([3.0, jnp.nan, 1.0])).item()
        2.0
    """
    return _median(jnp.nanmedian, "nanmedian", x, axis, keepdims)


@keras_op
def quantile(x: Any, q: Any, axis: Any = None, method: str = "linear",
             keepdims: bool = False):
    """The ``q``-th quantiles over the given axes.

    Args:
        x: input tensor.
        q: quantile or 1-D sequence of quantiles, in [0, 1].
        axis: axis or tuple of axes (default None: all of them).
        method: how to interpolate between data points (default ``"linear"``; also
            ``"lower"``, ``"higher"``, ``"midpoint"``, ``"nearest"``).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The quantiles, of dtype ``result_type(x.dtype, float)``; a 1-D ``q`` adds a first
        axis.

    Example:
        >>> quantile(jnp.array([1.0, 2.0, 3.0, 4.0]), 0.5, method="lower").item()
        2.0
    """
    return _order_statistic(jnp.quantile, "quantile", x, q, axis, method, keepdims)


@keras_op
def nanquantile(x: Any, q: Any, axis: Any = None, method: str = "linear",
                keepdims: bool = False):
    """The ``q``-th quantiles over the given axes, NaNs left out.

    Args:
        x: input tensor.
        q: quantile or 1-D sequence of quantiles, in [0, 1].
        axis: axis or tuple of axes (default None: all of them).
        method: how to interpolate (default ``"linear"``; see :func:`quantile`).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The quantiles, of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> nanquantile(jnp.array([1.0, jnp.nan, 3.0]), 0.5).item()
        2.0
    """
    return _order_statistic(jnp.nanquantile, "nanquantile", x, q, axis, method, keepdims)


@keras_op
def percentile(x: Any, q: Any, axis: Any = None, method: str = "linear",
               keepdims: bool = False):
    """The ``q``-th percentiles over the given axes.

    Args:
        x: input tensor.
        q: percentile or 1-D sequence of percentiles, in [0, 100].
        axis: axis or tuple of axes (default None: all of them).
        method: how to interpolate (default ``"linear"``; see :func:`quantile`).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The percentiles: ``floatx()`` for int and bool inputs, else ``x``'s dtype.

    Example:
        >>> percentile(jnp.array([1, 2, 3, 4, 5]), [25, 50]).tolist()
        [2.0, 3.0]
    """
    return _order_statistic(jnp.percentile, "percentile", x, q, axis, method, keepdims)


@keras_op
def nanpercentile(x: Any, q: Any, axis: Any = None, method: str = "linear",
                  keepdims: bool = False):
    """The ``q``-th percentiles over the given axes, NaNs left out.

    Args:
        x: input tensor.
        q: percentile or 1-D sequence of percentiles, in [0, 100].
        axis: axis or tuple of axes (default None: all of them).
        method: how to interpolate (default ``"linear"``; see :func:`quantile`).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The percentiles, of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> nanpercentile(jnp.array([1.0, jnp.nan, 3.0]), 50).item()
        2.0
    """
    return _order_statistic(jnp.nanpercentile, "nanpercentile", x, q, axis, method, keepdims)


@keras_op
def corrcoef(x: Any):
    """Pearson correlation coefficients of the rows of ``x`` (each row a variable, each
    column an observation).

    Args:
        x: a 1-D or 2-D tensor.

    Returns:
        The ``(rows, rows)`` correlation matrix (a scalar for 1-D ``x``), clipped to
        [-1, 1], of dtype ``result_type(x.dtype, float)``.

    Example:
        >>> corrcoef(jnp.array([[1, 2, 3], [3, 2, 1]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    x = convert(x)
    if x.ndim > 2:
        raise errors.JnetValueError(
            f"corrcoef: `x` must be 1-D or 2-D. Received: x of shape {x.shape}."
        )
    return jnp.corrcoef(x.astype(compute_dtype(x.dtype))).astype(float_dtype(x.dtype))
