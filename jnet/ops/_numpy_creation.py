"""Keras's array creation ops (``keras.ops.numpy``): filled arrays, ranges, grids, triangles.

Without ``dtype``, ``zeros``, ``ones``, ``full``, ``empty``, ``eye``, ``identity`` and ``tri``
make ``floatx()`` arrays; the ``*_like`` ops keep ``x``'s dtype; ``arange`` takes Keras's
promotion of its arguments' types (ints give ``int32``); ``linspace``, ``logspace`` and
``geomspace`` give a float dtype (their arguments promoted with ``float``).

Example:
    >>> zeros((2,)).dtype, arange(3).dtype, arange(0.0, 1.0, 0.5).tolist()
    (dtype('float32'), dtype('int32'), [0.0, 0.5])
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op, result_dtype

__all__ = [
    "arange",
    "array",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "geomspace",
    "identity",
    "linspace",
    "logspace",
    "meshgrid",
    "ones",
    "ones_like",
    "tri",
    "vander",
    "zeros",
    "zeros_like",
]


def _dtype_or_floatx(dtype: Any) -> str:
    return _dtypes.standardize_dtype(dtype)  # None gives floatx()


def _dtype_or_none(dtype: Any) -> str | None:
    return None if dtype is None else _dtypes.standardize_dtype(dtype)


def _shape(shape: Any) -> tuple:
    return tuple(shape) if isinstance(shape, list | tuple) else shape


@keras_op
def zeros(shape: Any, dtype: Any = None):
    """An array of zeros.

    Args:
        shape: the shape (an int or a tuple of ints).
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The array of zeros.

    Example:
        >>> zeros((2, 3)).shape, zeros(2, dtype="int32").tolist()
        ((2, 3), [0, 0])
    """
    return jnp.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype))


@keras_op
def ones(shape: Any, dtype: Any = None):
    """An array of ones.

    Args:
        shape: the shape (an int or a tuple of ints).
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The array of ones.

    Example:
        >>> ones((2,)).tolist()
        [1.0, 1.0]
    """
    return jnp.ones(_shape(shape), dtype=_dtype_or_floatx(dtype))


@keras_op
def empty(shape: Any, dtype: Any = None):
    """An array of the given shape and dtype (its values are zeros in jnet, as in Keras's
    TensorFlow backend; do not rely on them).

    Args:
        shape: the shape (an int or a tuple of ints).
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The array.

    Example:
        >>> empty((2, 2)).shape
        (2, 2)
    """
    return jnp.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype))


@keras_op
def full(shape: Any, fill_value: Any, dtype: Any = None):
    """An array of ``shape`` filled with ``fill_value``.

    Args:
        shape: the shape (an int or a tuple of ints).
        fill_value: the value (a scalar, or an array broadcastable to ``shape``).
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The filled array.

    Example:
        >>> full((2,), 7, dtype="int32").tolist()
        [7, 7]
    """
    dtype = _dtype_or_floatx(dtype)
    return jnp.broadcast_to(convert(fill_value).astype(dtype), _shape(shape))


@keras_op
def zeros_like(x: Any, dtype: Any = None):
    """Zeros of ``x``'s shape.

    Args:
        x: the array giving the shape.
        dtype: the dtype (default ``None``: ``x``'s).

    Returns:
        The array of zeros.

    Example:
        >>> zeros_like(jnp.ones((2,), "int32")).tolist()
        [0, 0]
    """
    return jnp.zeros_like(convert(x), dtype=_dtype_or_none(dtype))


@keras_op
def ones_like(x: Any, dtype: Any = None):
    """Ones of ``x``'s shape.

    Args:
        x: the array giving the shape.
        dtype: the dtype (default ``None``: ``x``'s).

    Returns:
        The array of ones.

    Example:
        >>> ones_like(jnp.zeros((2,)), dtype="int32").tolist()
        [1, 1]
    """
    return jnp.ones_like(convert(x), dtype=_dtype_or_none(dtype))


@keras_op
def empty_like(x: Any, dtype: Any = None):
    """An array of ``x``'s shape (its values are zeros in jnet; do not rely on them).

    Args:
        x: the array giving the shape.
        dtype: the dtype (default ``None``: ``x``'s).

    Returns:
        The array.

    Example:
        >>> empty_like(jnp.ones((3,))).shape
        (3,)
    """
    return jnp.zeros_like(convert(x), dtype=_dtype_or_none(dtype))


@keras_op
def full_like(x: Any, fill_value: Any, dtype: Any = None):
    """An array of ``x``'s shape filled with ``fill_value``.

    Args:
        x: the array giving the shape.
        fill_value: the value (a scalar, or an array broadcastable to ``x``'s shape).
        dtype: the dtype (default ``None``: ``x``'s).

    Returns:
        The filled array.

    Example:
        >>> full_like(jnp.zeros((2,), "int32"), 3).tolist()
        [3, 3]
    """
    x = convert(x)
    dtype = _dtype_or_none(dtype) or x.dtype
    return jnp.broadcast_to(convert(fill_value).astype(dtype), x.shape)


def _check_int(value: Any, name: str, none_ok: bool = False) -> None:
    if none_ok and value is None:
        return
    if isinstance(value, float) or _dtypes.is_float(_dtypes.dtype_of(value)):
        raise errors.JnetTypeError(
            f"Argument `{name}` must be an integer{' or None' if none_ok else ''}. "
            f"Received: {name}={value!r}."
        )


@keras_op
def eye(N: Any, M: Any = None, k: int = 0, dtype: Any = None):
    """A 2-D array with ones on the ``k``-th diagonal and zeros elsewhere.

    Args:
        N: the number of rows.
        M: the number of columns (default ``None``: ``N``).
        k: the diagonal: 0 (default) the main one, positive above it, negative below.
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The ``(N, M)`` array.

    Example:
        >>> eye(2, 3, k=1).tolist()
        [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    _check_int(N, "N")
    _check_int(M, "M", none_ok=True)
    return jnp.eye(N, M, k=k, dtype=_dtype_or_floatx(dtype))


@keras_op
def identity(n: int, dtype: Any = None):
    """The ``(n, n)`` identity matrix.

    Args:
        n: the number of rows and columns.
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The identity matrix.

    Example:
        >>> identity(2, dtype="int32").tolist()
        [[1, 0], [0, 1]]
    """
    return jnp.identity(n, dtype=_dtype_or_floatx(dtype))


@keras_op
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None):
    """A 2-D array with ones at and below the ``k``-th diagonal, zeros elsewhere.

    Args:
        N: the number of rows.
        M: the number of columns (default ``None``: ``N``).
        k: the diagonal: 0 (default) the main one, positive above it, negative below.
        dtype: the dtype (default ``None``: ``floatx()``).

    Returns:
        The ``(N, M)`` array.

    Example:
        >>> tri(2, dtype="int32").tolist()
        [[1, 0], [1, 1]]
    """
    return jnp.tri(N, M, k=k, dtype=_dtype_or_floatx(dtype))


def _type_of(value: Any) -> Any:
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        return dtype
    return int if isinstance(value, int) and not isinstance(value, bool) else type(value)


@keras_op
def arange(start: Any, stop: Any = None, step: Any = None, dtype: Any = None):
    """Evenly spaced values in ``[start, stop)`` (``[0, start)`` when ``stop`` is None).

    Args:
        start: the first value (or, without ``stop``, the end).
        stop: the end, excluded (default ``None``).
        step: the spacing (default ``None``: 1).
        dtype: the dtype (default ``None``: Keras's promotion of the arguments' types, so
            Python ints give ``int32`` and a Python float ``float32``).

    Returns:
        The 1-D array of values.

    Example:
        >>> arange(1, 7, 2).tolist(), arange(2.0).dtype
        ([1, 3, 5], dtype('float32'))
    """
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = _dtypes.result_type(*(_type_of(v) for v in given))
    dtype = _dtypes.standardize_dtype(dtype)
    return jnp.arange(start, stop, step, dtype=dtype)


@keras_op
def array(x: Any, dtype: Any = None):
    """An array of ``x`` (``keras.ops.array``).

    Args:
        x: an array, list or scalar.
        dtype: the dtype (default ``None``: ``x``'s; Python floats give ``floatx()``, Python
            ints ``int32``).

    Returns:
        The array.

    Example:
        >>> array([1, 2]).dtype, array([1, 2], dtype="float32").tolist()
        (dtype('int32'), [1.0, 2.0])
    """
    return convert(x, dtype)


def _space_dtype(start: Any, stop: Any, dtype: Any) -> str:
    # Keras: the given dtype or the arguments' promotion, made a float (ints give floatx).
    if dtype is not None:
        return _dtypes.standardize_dtype(dtype)
    return _dtypes.result_type(_dtypes.dtype_of(start), _dtypes.dtype_of(stop), float)


def _float_of(dtype: str) -> str:
    return dtype if _dtypes.is_float(dtype) else _dtypes.result_type(dtype, float)


def _check_num(num: Any) -> None:
    if not isinstance(num, int) or num < 0:
        raise errors.JnetValueError(
            f"`num` must be a non-negative integer. Received: num={num!r}."
        )


@keras_op
def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
             retstep: bool = False, dtype: Any = None, axis: int = 0):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Args:
        start: the first value (a scalar or an array).
        stop: the last value (included when ``endpoint``).
        num: how many values (default 50).
        endpoint: whether ``stop`` is the last value (default True).
        retstep: also return the spacing (default False).
        dtype: the dtype (default ``None``: the arguments' promotion with ``float``, so
            ints give ``float32``); an integer dtype floors the values.
        axis: where the new axis goes when ``start``/``stop`` are arrays (default 0).

    Returns:
        The values, or ``(values, step)`` when ``retstep``.

    Example:
        >>> linspace(0, 1, 5).tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    _check_num(num)
    dtype = _space_dtype(start, stop, dtype)
    compute = _float_of(dtype)
    start, stop = convert(start).astype(compute), convert(stop).astype(compute)
    return jnp.linspace(start, stop, num=num, endpoint=endpoint, retstep=retstep,
                        dtype=dtype, axis=axis)


@keras_op
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: Any = 10,
             dtype: Any = None, axis: int = 0):
    """``num`` values spaced evenly on a log scale, from ``base ** start`` to
    ``base ** stop``.

    Args:
        start: the first exponent (a scalar or an array).
        stop: the last exponent (included when ``endpoint``).
        num: how many values (default 50).
        endpoint: whether ``base ** stop`` is the last value (default True).
        base: the base (default 10).
        dtype: the dtype (default ``None``: the arguments' promotion with ``float``).
        axis: where the new axis goes when ``start``/``stop`` are arrays (default 0).

    Returns:
        The values.

    Example:
        >>> logspace(0, 2, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    _check_num(num)
    dtype = _space_dtype(start, stop, dtype)
    compute = _float_of(dtype)
    start, stop = convert(start).astype(compute), convert(stop).astype(compute)
    exponents = jnp.linspace(start, stop, num=num, endpoint=endpoint, dtype=compute, axis=axis)
    out = jnp.power(convert(base).astype(compute), exponents)
    return out.astype(dtype)


@keras_op
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0):
    """``num`` values spaced evenly on a log scale (a geometric progression) from ``start`` to
    ``stop``.

    Args:
        start: the first value (a scalar or an array; nonzero).
        stop: the last value (included when ``endpoint``), of ``start``'s sign.
        num: how many values (default 50).
        endpoint: whether ``stop`` is the last value (default True).
        dtype: the dtype (default ``None``: the arguments' promotion with ``float``).
        axis: where the new axis goes when ``start``/``stop`` are arrays (default 0).

    Returns:
        The values.

    Example:
        >>> [round(v, 3) for v in geomspace(1, 8, 4).tolist()]
        [1.0, 2.0, 4.0, 8.0]
    """
    _check_num(num)
    dtype = _space_dtype(start, stop, dtype)
    compute = _float_of(dtype)
    start, stop = convert(start).astype(compute), convert(stop).astype(compute)
    start, stop = jnp.broadcast_arrays(start, stop)
    # A geometric progression: evenly spaced logs of |start|..|stop|, with start's sign.
    logs = jnp.linspace(jnp.log10(jnp.abs(start)), jnp.log10(jnp.abs(stop)), num=num,
                        endpoint=endpoint, dtype=compute, axis=axis)
    sign = jnp.expand_dims(jnp.sign(start), axis)
    return (sign * jnp.power(jnp.asarray(10, compute), logs)).astype(dtype)


@keras_op
def meshgrid(*x: Any, indexing: str = "xy"):
    """Coordinate matrices from coordinate vectors.

    Args:
        *x: 1-D arrays of coordinates.
        indexing: ``"xy"`` (default, Cartesian: the first two output axes swapped) or
            ``"ij"`` (matrix indexing).

    Returns:
        A list of arrays, one per input, each of shape ``(len(x[0]), len(x[1]), ...)``
        (first two swapped for ``"xy"``).

    Example:
        >>> a, b = meshgrid(jnp.arange(3), jnp.arange(2))
        >>> a.shape, b.tolist()
        ((2, 3), [[0, 0, 0], [1, 1, 1]])
    """
    if indexing not in ("xy", "ij"):
        raise errors.JnetValueError(
            f"Valid values for `indexing` are 'xy' and 'ij', but received {indexing!r}."
        )
    return jnp.meshgrid(*(convert(v) for v in x), indexing=indexing)


@keras_op
def vander(x: Any, N: int | None = None, increasing: bool = False):
    """The Vandermonde matrix of ``x``: its columns are powers of ``x``.

    Args:
        x: a 1-D array.
        N: the number of columns (default ``None``: ``len(x)``).
        increasing: powers increase left to right (default False: they decrease).

    Returns:
        The ``(len(x), N)`` array, of ``x``'s dtype.

    Example:
        >>> vander(jnp.array([1, 2, 3]), 3).tolist()
        [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
    """
    x = convert(x)
    if x.ndim != 1:
        raise errors.JnetValueError(
            f"`vander` needs a 1-dimensional `x`. Received: x.shape={tuple(x.shape)}."
        )
    if N is not None:
        if not isinstance(N, int) or isinstance(N, bool):
            raise errors.JnetTypeError(
                f"Argument `N` must be of type `int`. Received: N={N!r} of type "
                f"{type(N).__name__}."
            )
        if N < 0:
            raise errors.JnetValueError(f"Argument `N` must be nonnegative. Received: N={N}.")
    if not isinstance(increasing, bool):
        raise errors.JnetTypeError(
            f"Argument `increasing` must be of type `bool`. Received: increasing={increasing!r}."
        )
    return jnp.vander(x, N=N, increasing=increasing).astype(result_dtype(x))
