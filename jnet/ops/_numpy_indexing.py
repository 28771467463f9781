"""Keras's indexing ops (``keras.ops.numpy``): item access, gathering, diagonals and
triangles.

All keep ``x``'s dtype (``unravel_index`` gives the dtype of its ``indices``). Negative
indices count from the end of the axis, as in NumPy.

Example:
    >>> take(jnp.array([10, 20, 30]), jnp.array([2, -1])).tolist()
    [30, 30]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import errors
from jnet.ops._numpy_array_checks import canonical_axis, check_rank
from jnet.ops._op import convert, keras_op

__all__ = [
    "diag",
    "diagflat",
    "diagonal",
    "get_item",
    "take",
    "take_along_axis",
    "tril",
    "triu",
    "unravel_index",
]


@keras_op
def get_item(x: Any, key: Any):
    """``x[key]`` (a list key counts as a tuple, as in Keras).

    Args:
        x: the array.
        key: an int, slice, ``None``, ``Ellipsis``, array, or a tuple of these.

    Returns:
        The selected values.

    Example:
        >>> get_item(jnp.arange(6).reshape(2, 3), (1, slice(0, 2))).tolist()
        [3, 4]
    """
    if isinstance(key, list):
        key = tuple(key)
    return convert(x)[key]


def _indices(indices: Any) -> jnp.ndarray:
    indices = convert(indices)
    if not jnp.issubdtype(indices.dtype, jnp.integer):
        raise errors.JnetTypeError(
            f"`indices` must be an integer array. Received: indices of dtype {indices.dtype}."
        )
    return indices


@keras_op
def take(x: Any, indices: Any, axis: int | None = None):
    """The values of ``x`` at ``indices`` along ``axis``.

    Args:
        x: the array.
        indices: integer indices (negative count from the end).
        axis: the axis (default ``None``: ``x`` flattened).

    Returns:
        The gathered values: ``x``'s shape with ``axis`` replaced by ``indices``'s shape.

    Example:
        >>> take(jnp.array([[1, 2], [3, 4]]), jnp.array([1]), axis=1).tolist()
        [[2], [4]]
    """
    x, indices = convert(x), _indices(indices)
    if axis is None:
        return jnp.take(jnp.ravel(x), indices)
    return jnp.take(x, indices, axis=canonical_axis(axis, x.ndim))


@keras_op
def take_along_axis(x: Any, indices: Any, axis: int | None = None):
    """The values of ``x`` at ``indices`` along ``axis``, matched index by index (as the
    result of ``argsort`` along that axis).

    Args:
        x: the array.
        indices: integer indices of ``x``'s rank (broadcast against ``x`` on the other axes).
        axis: the axis (default ``None``: ``x`` flattened, ``indices`` 1-D).

    Returns:
        The gathered values.

    Example:
        >>> x = jnp.array([[3, 1, 2]])
        >>> take_along_axis(x, jnp.argsort(x, axis=1), axis=1).tolist()
        [[1, 2, 3]]
    """
    x, indices = convert(x), _indices(indices)
    if axis is None:
        if indices.ndim != 1:
            raise errors.JnetValueError(
                f"`indices` must be 1D if axis=None. Received: indices.shape="
                f"{tuple(indices.shape)}."
            )
        x, axis = jnp.ravel(x), 0
    if x.ndim != indices.ndim:
        raise errors.JnetValueError(
            f"`x` and `indices` must have the same number of dimensions, but received shape "
            f"{tuple(x.shape)} and {tuple(indices.shape)}."
        )
    axis = canonical_axis(axis, x.ndim)
    shape = [max(a, b) for a, b in zip(x.shape, indices.shape, strict=True)]
    for i, (a, b) in enumerate(zip(x.shape, indices.shape, strict=True)):
        if i != axis and a != b and 1 not in (a, b):
            raise errors.JnetValueError(
                f"`x` and `indices` must broadcast on the axes other than {axis}. "
                f"Received shapes {tuple(x.shape)} and {tuple(indices.shape)}."
            )
    x = jnp.broadcast_to(x, tuple(shape[:axis]) + (x.shape[axis],) + tuple(shape[axis + 1:]))
    indices = jnp.broadcast_to(
        indices, tuple(shape[:axis]) + (indices.shape[axis],) + tuple(shape[axis + 1:]))
    return jnp.take_along_axis(x, indices, axis=axis)


@keras_op
def unravel_index(indices: Any, shape: Any):
    """The coordinates in an array of ``shape`` of the flat ``indices``.

    Args:
        indices: integer flat indices.
        shape: the array's shape.

    Returns:
        A tuple of arrays, one per axis of ``shape``, of ``indices``'s dtype and shape.

    Example:
        >>> [c.tolist() for c in unravel_index(jnp.array([5, 1]), (2, 3))]
        [[1, 0], [2, 1]]
    """
    indices = _indices(indices)
    if any(d is None for d in shape):
        raise errors.JnetValueError(
            f"`shape` argument cannot contain `None`. Received: shape={shape}."
        )
    return tuple(c.astype(indices.dtype) for c in jnp.unravel_index(indices, tuple(shape)))


@keras_op
def diag(x: Any, k: int = 0):
    """The ``k``-th diagonal of a 2-D ``x``, or a 2-D array with a 1-D ``x`` on its ``k``-th
    diagonal.

    Args:
        x: a 1-D or 2-D array.
        k: the diagonal: 0 (default) the main one, positive above it, negative below.

    Returns:
        The diagonal (1-D) or the diagonal matrix (2-D).

    Example:
        >>> diag(jnp.array([1, 2])).tolist(), diag(jnp.array([[1, 2], [3, 4]])).tolist()
        ([[1, 0], [0, 2]], [1, 4])
    """
    x = convert(x)
    if x.ndim not in (1, 2):
        raise errors.JnetValueError(
            f"`x` must be 1-D or 2-D, but received shape {tuple(x.shape)}."
        )
    return jnp.diag(x, k=k)


@keras_op
def diagflat(x: Any, k: int = 0):
    """A 2-D array with the flattened ``x`` on its ``k``-th diagonal.

    Example:
        >>> diagflat(jnp.array([[1, 2]]), k=1).tolist()
        [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    """
    return jnp.diagflat(convert(x), k=k)


@keras_op
def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The diagonals of ``x`` in the plane of ``axis1`` and ``axis2``.

    Args:
        x: an array of 2 or more dimensions.
        offset: the diagonal: 0 (default) the main one, positive above it, negative below.
        axis1: the first axis of the plane (default 0).
        axis2: the second axis of the plane (default 1).

    Returns:
        The diagonals: the other axes first, the diagonal last.

    Example:
        >>> diagonal(jnp.arange(4).reshape(2, 2)).tolist()
        [0, 3]
    """
    x = convert(x)
    check_rank(x, "diagonal", 2)
    a1 = canonical_axis(axis1, x.ndim, "axis1")
    a2 = canonical_axis(axis2, x.ndim, "axis2")
    if a1 == a2:
        raise errors.JnetValueError(
            f"`axis1` and `axis2` cannot be the same. Received: axis1={axis1}, axis2={axis2}."
        )
    return jnp.diagonal(x, offset=offset, axis1=a1, axis2=a2)


@keras_op
def tril(x: Any, k: int = 0):
    """``x`` with the values above the ``k``-th diagonal (of its last two axes) set to 0.

    Example:
        >>> tril(jnp.ones((2, 2), "int32")).tolist()
        [[1, 0], [1, 1]]
    """
    x = convert(x)
    check_rank(x, "tril", 2)
    return jnp.tril(x, k=k)


@keras_op
def triu(x: Any, k: int = 0):
    """``x`` with the values below the ``k``-th diagonal (of its last two axes) set to 0.

    Example:
        >>> triu(jnp.ones((2, 2), "int32")).tolist()
        [[1, 1], [0, 1]]
    """
    x = convert(x)
    check_rank(x, "triu", 2)
    return jnp.triu(x, k=k)
