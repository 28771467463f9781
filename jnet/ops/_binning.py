"""Keras's counting into bins: ``bincount``, ``histogram`` and ``digitize``.

``digitize`` is traceable; ``bincount`` and ``histogram`` compute concrete counts
(``bincount``'s length depends on the largest value, as in Keras's JAX backend, so it is not
traceable under ``jax.jit``; ``histogram``'s default range is taken from the data but its
shape is fixed by ``bins``, so it traces).

Example:
    >>> import jax.numpy as jnp
    >>> bincount(jnp.array([0, 1, 1, 3])).tolist()
    [1, 2, 0, 1]
    >>> digitize(jnp.array([0.5, 1.5, 9.0]), jnp.array([1.0, 2.0])).tolist()
    [0, 1, 2]
"""

from __future__ import annotations

import builtins
from typing import Any

import jax
import jax.numpy as jnp

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op, promote, result_dtype
from jnet.ops._reduce_common import float_dtype

__all__ = ["bincount", "digitize", "histogram"]


@keras_op
def bincount(x: Any, weights: Any = None, minlength: int = 0, sparse: bool = False):
    """Counts the occurrences of each value in an integer tensor.

    Args:
        x: non-negative integers, 1-D (or 2-D: one count per row).
        weights: weights of ``x``'s shape: each occurrence adds its weight instead of 1
            (default None).
        minlength: the smallest length of the result (default 0).
        sparse: accepted for Keras compatibility; jnet has no sparse tensors, the result is
            dense.

    Returns:
        The counts, of length ``max(max(x) + 1, minlength)`` along the last axis:
        ``int32`` without weights, else ``result_type(x.dtype, weights.dtype)``.

    Example:
        >>> bincount(jnp.array([0, 2, 2]), weights=jnp.array([0.5, 1.0, 2.0])).tolist()
        [0.5, 0.0, 3.0]
        >>> bincount(jnp.array([1]), minlength=3).tolist()
        [0, 1, 0]
    """
    x = convert(x)
    if not _dtypes.is_int(x.dtype) and _dtypes.standardize_dtype(x.dtype) != "bool":
        raise errors.JnetTypeError(
            f"bincount: `x` must hold integers. Received: x of dtype {x.dtype}."
        )
    if x.ndim not in (1, 2):
        raise errors.JnetValueError(
            f"bincount: `x` must be 1-D or 2-D. Received: x of shape {x.shape}."
        )
    if weights is None:
        dtype = "int32"
    else:
        weights = convert(weights)
        dtype = result_dtype(x, weights)
        if weights.shape != x.shape:
            raise errors.JnetValueError(
                f"bincount: `weights` must have the shape of `x`. Received: "
                f"weights.shape={weights.shape}, x.shape={x.shape}."
            )
        weights = weights.astype(dtype)
    try:
        largest = int(jnp.max(x)) if x.size else -1
    except jax.errors.ConcretizationTypeError:
        raise errors.JnetValueError(
            "bincount: the length of the result depends on the values of `x`, so it cannot "
            "be traced (under jax.jit, vmap, ...). Call it on concrete arrays."
        ) from None
    length = builtins.max(largest + 1, minlength)
    x = x.astype("int32")

    def count(row, w):
        return jnp.bincount(row, weights=w, length=length).astype(dtype)

    if x.ndim == 1:
        return count(x, weights)
    if weights is None:
        return jax.vmap(lambda row: count(row, None))(x)
    return jax.vmap(count)(x, weights)


@keras_op
def histogram(x: Any, bins: int = 10, range: tuple[float, float] | None = None):
    """Counts the values of a 1-D tensor in ``bins`` equal-width bins.

    Args:
        x: a 1-D tensor.
        bins: the number of bins (default 10).
        range: ``(lower, upper)`` of the bins (default None: ``(min(x), max(x))``); values
            outside are not counted.

    Returns:
        A tuple ``(counts, bin_edges)``: ``bins`` counts and ``bins + 1`` edges, both of
        dtype ``result_type(x.dtype, float)`` (Keras's JAX backend; its TensorFlow backend
        keeps an integer ``x``'s dtype).

    Example:
        >>> counts, edges = histogram(jnp.array([0.0, 1.0, 1.5, 4.0]), bins=2)
        >>> counts.tolist(), edges.tolist()
        ([3.0, 1.0], [0.0, 2.0, 4.0])
    """
    if isinstance(bins, bool) or not isinstance(bins, int):
        raise errors.JnetTypeError(
            f"histogram: `bins` must be an int. Received: bins={bins!r}."
        )
    if bins < 0:
        raise errors.JnetValueError(
            f"histogram: `bins` must be a non-negative integer. Received: bins={bins}."
        )
    if range:
        if not isinstance(range, tuple) or len(range) != 2:
            raise errors.JnetValueError(
                f"histogram: `range` must be a tuple of two elements. Received: "
                f"range={range!r}."
            )
        if range[1] < range[0]:
            raise errors.JnetValueError(
                f"histogram: the second element of `range` must not be smaller than the "
                f"first. Received: range={range!r}."
            )
    x = convert(x)
    if x.ndim > 1:
        raise errors.JnetValueError(
            f"histogram: `x` must be 1-dimensional. Received: x.shape={x.shape}."
        )
    dtype = float_dtype(x.dtype)
    counts, edges = jnp.histogram(x.astype(dtype), bins=bins, range=range or None)
    return counts.astype(dtype), edges.astype(dtype)


@keras_op
def digitize(x: Any, bins: Any):
    """Index of the bin each value of ``x`` falls in.

    For increasing ``bins``, ``i`` such that ``bins[i - 1] <= x < bins[i]`` (0 below the
    first edge, ``len(bins)`` from the last one on).

    Args:
        x: input tensor.
        bins: 1-D monotonic bin edges.

    Returns:
        ``int32`` indices, of ``x``'s shape.

    Example:
        >>> digitize(jnp.array([1, 2, 5]), jnp.array([0.0, 2.0, 4.0])).tolist()
        [1, 2, 3]
    """
    bins = convert(bins)
    if bins.ndim != 1:
        raise errors.JnetValueError(
            f"digitize: `bins` must be a 1-D array. Received: bins of shape {bins.shape}."
        )
    x, bins = promote(x, bins)
    return jnp.digitize(x, bins).astype("int32")
