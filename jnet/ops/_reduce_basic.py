"""Keras's reductions over axes: sums, products, means and spreads, extrema, truth tests,
counts, and the positions of extrema (``keras.ops.sum``, ``mean``, ``max``, ``argmax``, ...).

Keras's result dtypes (its JAX backend, 64-bit computed as 32-bit):

* ``sum``/``prod``: ``bool``, ``int8``, ``int16`` give ``int32``; ``uint8``, ``uint16`` give
  ``uint32``; other dtypes are kept;
* ``mean``: ints and bools give ``float32``; ``float16``/``bfloat16`` are computed in
  ``float32`` and cast back; ``var``/``std`` likewise (ints give ``floatx()``);
* ``argmax``/``argmin``/``count_nonzero``: ``int32``; ``all``/``any``: ``bool``;
  ``max``/``min``/``amax``/``amin``/``ptp``: the input's dtype.

Example:
    >>> import jax.numpy as jnp
    >>> x = jnp.array([[1, 2], [3, 4]], "int8")
    >>> sum(x).dtype, mean(x, axis=0).tolist()
    (dtype('int32'), [2.0, 3.0])
"""

from __future__ import annotations

import builtins
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op, result_dtype
from jnet.ops._reduce_common import axes, compute_dtype, float_dtype, non_empty, sum_dtype

__all__ = [
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "average",
    "count_nonzero",
    "max",
    "mean",
    "min",
    "prod",
    "ptp",
    "std",
    "sum",
    "var",
]


@keras_op
def sum(x: Any, axis: Any = None, keepdims: bool = False):
    """Sum of array elements over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes to sum over (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The sum: ``bool``, ``int8``, ``int16`` inputs give ``int32``; ``uint8``/``uint16``
        give ``uint32``; other dtypes are kept.

    Example:
        >>> sum(jnp.array([[True, False], [True, True]]), axis=1).tolist()
        [1, 2]
    """
    x = convert(x)
    return jnp.sum(x, axis=axes(axis, x.ndim, op="sum"), keepdims=keepdims,
                   dtype=sum_dtype(x.dtype))


@keras_op
def prod(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None):
    """Product of array elements over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).
        dtype: the result dtype (default None: as for ``sum``, small ints widen to 32 bits).

    Returns:
        The product.

    Example:
        >>> prod(jnp.array([[1, 2], [3, 4]]), axis=0).tolist()
        [3, 8]
    """
    x = convert(x)
    out = sum_dtype(x.dtype) if dtype is None else _dtypes.standardize_dtype(dtype)
    return jnp.prod(x, axis=axes(axis, x.ndim, op="prod"), keepdims=keepdims, dtype=out)


@keras_op
def mean(x: Any, axis: Any = None, keepdims: bool = False):
    """Arithmetic mean over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The mean: ``float32`` for int and bool inputs; ``float16``/``bfloat16`` inputs are
        averaged in ``float32`` and the result cast back to theirs.

    Example:
        >>> mean(jnp.array([1, 2])).item()
        1.5
    """
    x = convert(x)
    compute = compute_dtype(x.dtype)
    name = _dtypes.standardize_dtype(x.dtype)
    out = compute if "int" in name or name == "bool" else name
    m = jnp.mean(x, axis=axes(axis, x.ndim, op="mean"), keepdims=keepdims, dtype=compute)
    return m.astype(out)


@keras_op
def var(x: Any, axis: Any = None, keepdims: bool = False):
    """Variance (population, ``ddof=0``) over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The variance, of dtype ``result_type(x.dtype, float)`` (computed in ``float32`` for
        ``float16``/``bfloat16``).

    Example:
        >>> var(jnp.array([1.0, 3.0])).item()
        1.0
    """
    x = convert(x)
    v = jnp.var(x, axis=axes(axis, x.ndim, op="var"), keepdims=keepdims,
                dtype=compute_dtype(x.dtype))
    return v.astype(float_dtype(x.dtype))


@keras_op
def std(x: Any, axis: Any = None, keepdims: bool = False):
    """Standard deviation (population, ``ddof=0``) over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The standard deviation: ``floatx()`` for int and bool inputs, else ``x``'s dtype.

    Example:
        >>> std(jnp.array([1, 3])).item()
        1.0
    """
    x = convert(x)
    s = jnp.std(x, axis=axes(axis, x.ndim, op="std"), keepdims=keepdims,
                dtype=compute_dtype(x.dtype))
    return s.astype(float_dtype(x.dtype))


def _extremum(fn, name: str, x: Any, axis: Any, keepdims: bool, initial: Any = None):
    x = convert(x)
    reduced = axes(axis, x.ndim, op=name)
    if initial is None:
        non_empty(x.shape, reduced, op=name)
        return fn(x, axis=reduced, keepdims=keepdims)
    initial = np.asarray(initial).astype(x.dtype)
    return fn(x, axis=reduced, keepdims=keepdims, initial=initial)


@keras_op
def max(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None):
    """Maximum over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).
        initial: the smallest value the result may take (default None); needed for an
            empty input.

    Returns:
        The maximum, of ``x``'s dtype.

    Example:
        >>> max(jnp.array([[1, 5], [3, 2]]), axis=1).tolist()
        [5, 3]
        >>> max(jnp.array([1, 2]), initial=4).item()
        4
    """
    return _extremum(jnp.max, "max", x, axis, keepdims, initial)


@keras_op
def min(x: Any, axis: Any = None, keepdims: bool = False, initial: Any = None):
    """Minimum over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).
        initial: the largest value the result may take (default None); needed for an
            empty input.

    Returns:
        The minimum, of ``x``'s dtype.

    Example:
        >>> min(jnp.array([[1, 5], [3, 2]]), axis=1).tolist()
        [1, 2]
    """
    return _extremum(jnp.min, "min", x, axis, keepdims, initial)


@keras_op
def amax(x: Any, axis: Any = None, keepdims: bool = False):
    """Maximum over the given axes (``max`` without ``initial``).

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The maximum, of ``x``'s dtype.

    Example:
        >>> amax(jnp.array([[1.0, 5.0], [3.0, 2.0]]), axis=0).tolist()
        [3.0, 5.0]
    """
    return _extremum(jnp.max, "amax", x, axis, keepdims)


@keras_op
def amin(x: Any, axis: Any = None, keepdims: bool = False):
    """Minimum over the given axes (``min`` without ``initial``).

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        The minimum, of ``x``'s dtype.

    Example:
        >>> amin(jnp.array([[1.0, 5.0], [3.0, 2.0]]), axis=0).tolist()
        [1.0, 2.0]
    """
    return _extremum(jnp.min, "amin", x, axis, keepdims)


@keras_op
def ptp(x: Any, axis: Any = None, keepdims: bool = False):
    """Range of values (maximum minus minimum) over the given axes ("peak to peak").

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        ``max(x) - min(x)``, of ``x``'s dtype.

    Example:
        >>> ptp(jnp.array([[4, 9, 2], [1, 6, 3]]), axis=1).tolist()
        [7, 5]
    """
    x = convert(x)
    reduced = axes(axis, x.ndim, op="ptp")
    non_empty(x.shape, reduced, op="ptp")
    return jnp.ptp(x, axis=reduced, keepdims=keepdims)


@keras_op
def all(x: Any, axis: Any = None, keepdims: bool = False):
    """Whether every element is true (non-zero) over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        A ``bool`` tensor.

    Example:
        >>> all(jnp.array([[1, 0], [2, 3]]), axis=1).tolist()
        [False, True]
    """
    x = convert(x)
    return jnp.all(x, axis=axes(axis, x.ndim, op="all"), keepdims=keepdims)


@keras_op
def any(x: Any, axis: Any = None, keepdims: bool = False):
    """Whether any element is true (non-zero) over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).
        keepdims: keep the reduced axes with length 1 (default False).

    Returns:
        A ``bool`` tensor.

    Example:
        >>> any(jnp.array([[1, 0], [0, 0]]), axis=1).tolist()
        [True, False]
    """
    x = convert(x)
    return jnp.any(x, axis=axes(axis, x.ndim, op="any"), keepdims=keepdims)


@keras_op
def count_nonzero(x: Any, axis: Any = None):
    """Number of non-zero elements over the given axes.

    Args:
        x: input tensor.
        axis: axis or tuple of axes (default None: all of them).

    Returns:
        An ``int32`` count.

    Example:
        >>> count_nonzero(jnp.array([[0, 1, 7, 0], [3, 0, 2, 19]]), axis=1).tolist()
        [2, 3]
    """
    x = convert(x)
    count = jnp.count_nonzero(x, axis=axes(axis, x.ndim, op="count_nonzero"))
    return count.astype("int32")


def _on_cpu(x: jax.Array) -> bool:
    devices = getattr(x, "devices", None)
    if isinstance(x, jax.core.Tracer) or devices is None:
        return jax.default_backend() == "cpu"
    return builtins.all(d.platform == "cpu" for d in devices())


def _arg_extremum(fn, name: str, x: Any, axis: Any, keepdims: bool):
    x = convert(x)
    dtype = _dtypes.standardize_dtype(x.dtype)
    index = None if axis is None else axes(axis, x.ndim, op=name)
    if index is not None and len(index) != 1:
        raise errors.JnetValueError(
            f"{name}: `axis` must be one integer or None. Received: axis={axis!r}."
        )
    index = None if index is None else index[0]
    non_empty(x.shape, None if index is None else (index,), op=name)
    if "float" in dtype and x.ndim > 0 and _on_cpu(x):
        # Keras's JAX backend tells -0.0 below 0.0 on CPU, where XLA flushes to zero (jax
        # issue 24280); elsewhere it is jnp's rule (the first of equal values), as here.
        x = x.astype(compute_dtype(dtype))
        tiny = np.asarray(-np.finfo(x.dtype).tiny, x.dtype)
        x = jnp.where((x == 0) & jnp.signbit(x), tiny, x)
    return fn(x, axis=index, keepdims=keepdims).astype("int32")


@keras_op
def argmax(x: Any, axis: Any = None, keepdims: bool = False):
    """Index of the largest value along an axis (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis (default None: index into the flattened input).
        keepdims: keep the reduced axis with length 1 (default False).

    Returns:
        ``int32`` indices. A NaN counts as the largest value; as in Keras's JAX backend,
        ``-0.0`` counts as smaller than ``0.0`` on CPU.

    Example:
        >>> argmax(jnp.array([[1, 5, 5], [4, 2, 0]]), axis=1).tolist()
        [1, 0]
    """
    return _arg_extremum(jnp.argmax, "argmax", x, axis, keepdims)


@keras_op
def argmin(x: Any, axis: Any = None, keepdims: bool = False):
    """Index of the smallest value along an axis (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis (default None: index into the flattened input).
        keepdims: keep the reduced axis with length 1 (default False).

    Returns:
        ``int32`` indices. As in Keras's JAX backend, ``-0.0`` counts as smaller than ``0.0``
        on CPU.

    Example:
        >>> argmin(jnp.array([[1, 0, 0], [4, 2, 9]]), axis=1).tolist()
        [1, 1]
    """
    return _arg_extremum(jnp.argmin, "argmin", x, axis, keepdims)


@keras_op
def average(x: Any, axis: Any = None, weights: Any = None):
    """Weighted average over an axis.

    Args:
        x: input tensor.
        axis: the axis to average over (default None: all elements).
        weights: weights of ``x``'s shape, or 1-D of length ``x.shape[axis]`` (default None:
            every weight 1).

    Returns:
        The average, of dtype ``result_type(x.dtype, weights.dtype, float)``.

    Example:
        >>> average(jnp.array([1.0, 2.0, 3.0]), weights=jnp.array([0.0, 1.0, 1.0])).item()
        2.5
    """
    x = convert(x)
    if weights is None:
        dtype = result_dtype(x, 1.0)
        index = None if axis is None else axes(axis, x.ndim, op="average")
        return jnp.mean(x.astype(dtype), axis=index)
    weights = convert(weights)
    dtype = result_dtype(x, weights, 1.0)
    x, weights = x.astype(dtype), weights.astype(dtype)
    if axis is None:
        if weights.shape != x.shape:
            raise errors.JnetValueError(
                f"average: `weights` must have the shape of `x` when `axis=None`. Received: "
                f"weights.shape={weights.shape}, x.shape={x.shape}."
            )
        return jnp.sum(x * weights) / jnp.sum(weights)
    index = axes(axis, x.ndim, op="average")
    if len(index) != 1:
        raise errors.JnetValueError(
            f"average: `axis` must be one integer or None. Received: axis={axis!r}."
        )
    index = index[0]
    if weights.shape == x.shape:
        return jnp.sum(x * weights, axis=index) / jnp.sum(weights, axis=index)
    if weights.shape != (x.shape[index],):
        raise errors.JnetValueError(
            f"average: `weights` must have the shape of `x` or be 1-D of length "
            f"x.shape[axis]={x.shape[index]}. Received: weights.shape={weights.shape}, "
            f"x.shape={x.shape}, axis={axis!r}."
        )
    return jnp.tensordot(x, weights, axes=([index], [0])) / jnp.sum(weights)
