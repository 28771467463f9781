"""Keras's sorting and searching ops: ``sort``, ``argsort``, ``argpartition``,
``searchsorted``, ``isin``, ``unique`` and ``nonzero``.

Indices are ``int32``. ``sort``/``argsort``/``argpartition`` work along ``axis=-1`` by
default and over the flattened input for ``axis=None``; ``argsort`` is stable (equal values
keep their order). ``unique`` and ``nonzero`` have data-dependent shapes: under ``jax.jit``
``unique`` needs ``size=`` (and ``fill_value=``), as in Keras.

Example:
    >>> import jax.numpy as jnp
    >>> argsort(jnp.array([3, 1, 2])).tolist()
    [1, 2, 0]
    >>> searchsorted(jnp.array([1, 3, 5]), jnp.array([0, 3, 6])).tolist()
    [0, 1, 3]
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._op import convert, keras_op, promote
from jnet.ops._reduce_common import axis_index

__all__ = [
    "argpartition",
    "argsort",
    "isin",
    "nonzero",
    "searchsorted",
    "sort",
    "unique",
]


def _along(x: jax.Array, axis: Any, op: str) -> tuple[jax.Array, int]:
    if axis is None:
        return x.reshape(-1), 0
    return x, axis_index(axis, x.ndim, op=op)


@keras_op
def sort(x: Any, axis: Any = -1):
    """Sorts the elements of ``x`` along an axis, in ascending order.

    Args:
        x: input tensor.
        axis: the axis (default -1; None sorts the flattened input).

    Returns:
        The sorted tensor, of ``x``'s dtype (NaNs last).

    Example:
        >>> sort(jnp.array([[3, 1], [0, 2]]), axis=0).tolist()
        [[0, 1], [3, 2]]
    """
    x, index = _along(convert(x), axis, "sort")
    return jnp.sort(x, axis=index)


@keras_op
def argsort(x: Any, axis: Any = -1):
    """Indices that sort ``x`` along an axis (stable: equal values keep their order).

    Args:
        x: input tensor.
        axis: the axis (default -1; None sorts the flattened input).

    Returns:
        ``int32`` indices, of ``x``'s shape (1-D for ``axis=None``; ``[0]`` for a scalar).

    Example:
        >>> argsort(jnp.array([2, 1, 2, 0])).tolist()
        [3, 1, 0, 2]
    """
    x = convert(x)
    x, index = _along(x, None if x.ndim == 0 else axis, "argsort")
    return jnp.argsort(x, axis=index, stable=True).astype("int32")


@keras_op
def argpartition(x: Any, kth: int, axis: Any = -1):
    """Indices that partition ``x`` around its ``kth`` smallest element along an axis.

    The element at position ``kth`` is the one a full sort would put there; every element
    before it is no larger and every element after it no smaller (in no particular order).

    Args:
        x: input tensor.
        kth: the position to partition around (an integer; negative counts from the end).
        axis: the axis (default -1; None partitions the flattened input).

    Returns:
        ``int32`` indices, of ``x``'s shape (1-D for ``axis=None``).

    Example:
        >>> x = jnp.array([3, 4, 2, 1])
        >>> x[argpartition(x, 1)][1].item()
        2
    """
    x, index = _along(convert(x), axis, "argpartition")
    n = x.shape[index]
    if isinstance(kth, bool) or not isinstance(kth, int) or not -n <= kth < n:
        raise errors.JnetValueError(
            f"argpartition: `kth` must be an integer in [{-n}, {n}) (the length of the axis). "
            f"Received: kth={kth!r}."
        )
    return jnp.argpartition(x, kth % n, axis=index).astype("int32")


@keras_op
def searchsorted(sorted_sequence: Any, values: Any, side: str = "left"):
    """Indices where ``values`` would be inserted into ``sorted_sequence`` to keep it sorted.

    Args:
        sorted_sequence: a 1-D tensor sorted in ascending order.
        values: the values to place (any shape).
        side: ``"left"`` (default: the first suitable index) or ``"right"`` (the last).

    Returns:
        ``int32`` indices, of ``values``'s shape.

    Example:
        >>> searchsorted(jnp.array([1.0, 2.0, 2.0, 3.0]), jnp.array([2.0]), side="right").tolist()
        [3]
    """
    if side not in ("left", "right"):
        raise errors.JnetValueError(
            f"searchsorted: `side` must be 'left' or 'right'. Received: side={side!r}."
        )
    sorted_sequence, values = convert(sorted_sequence), convert(values)
    if sorted_sequence.ndim != 1:
        raise errors.JnetValueError(
            f"searchsorted: `sorted_sequence` must be 1-D (use jnet.ops.vectorized_map for "
            f"N-D sequences). Received: sorted_sequence.shape={sorted_sequence.shape}."
        )
    sorted_sequence, values = promote(sorted_sequence, values)
    return jnp.searchsorted(sorted_sequence, values, side=side).astype("int32")


@keras_op
def isin(x1: Any, x2: Any, assume_unique: bool = False, invert: bool = False):
    """Whether each element of ``x1`` is in ``x2``.

    Args:
        x1: the elements to test.
        x2: the values to test against (any shape).
        assume_unique: accepted for NumPy compatibility (the result is the same).
        invert: give "not in" instead (default False).

    Returns:
        A ``bool`` tensor of ``x1``'s shape.

    Example:
        >>> isin(jnp.array([0, 1, 2, 5]), jnp.array([0, 2])).tolist()
        [True, False, True, False]
    """
    x1, x2 = promote(x1, x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


@keras_op
def nonzero(x: Any):
    """Indices of the non-zero elements of ``x``, one index tensor per axis.

    Args:
        x: input tensor.

    Returns:
        A tuple of ``x.ndim`` 1-D ``int32`` tensors (data-dependent length: not traceable
        under ``jax.jit``).

    Example:
        >>> [i.tolist() for i in nonzero(jnp.array([[0, 3], [4, 0]]))]
        [[0, 1], [1, 0]]
    """
    x = convert(x)
    try:
        found = jnp.nonzero(x)
    except jax.errors.ConcretizationTypeError:
        raise errors.JnetValueError(
            "nonzero: the number of non-zero elements depends on the values of `x`, so it "
            "cannot be traced (under jax.jit, vmap, ...). Call it on concrete arrays, or use "
            "jnet.ops.where(x != 0, ...) for a fixed-shape result."
        ) from None
    return tuple(i.astype("int32") for i in found)


@keras_op
def unique(x: Any, sorted: bool = True, return_index: bool = False,
           return_inverse: bool = False, return_counts: bool = False, axis: Any = None,
           size: int | None = None, fill_value: Any = None):
    """The unique elements of ``x`` (or unique slices along ``axis``).

    Args:
        x: input tensor.
        sorted: return the unique values sorted (default True; with False their order is
            unspecified).
        return_index: also return the index of each unique value's first occurrence
            (default False).
        return_inverse: also return, for each element of ``x``, the index of its unique value
            (default False).
        return_counts: also return how often each unique value occurs (default False).
        axis: the axis whose slices are compared (default None: the flattened input).
        size: the fixed number of unique values to return: fewer are padded with
            ``fill_value``, more are cut (default None; needed under ``jax.jit``).
        fill_value: the padding value when ``size`` is given (default None: the smallest
            unique value).

    Returns:
        The unique values, or a tuple of them and the requested ``int32`` index, inverse
        and count tensors (in that order).

    Example:
        >>> unique(jnp.array([3, 1, 3, 2])).tolist()
        [1, 2, 3]
        >>> [a.tolist() for a in unique(jnp.array([3, 1, 3]), return_counts=True)]
        [[1, 3], [1, 2]]
        >>> unique(jnp.array([1, 1]), size=3, fill_value=0).tolist()
        [1, 0, 0]
    """
    x = convert(x)
    index = None if axis is None else axis_index(axis, x.ndim, op="unique")
    if size is not None:
        size = operator.index(size)
        if size < 0:
            raise errors.JnetValueError(
                f"unique: `size` must be a non-negative integer. Received: size={size!r}."
            )
    try:
        found = jnp.unique(x, return_index=return_index, return_inverse=return_inverse,
                           return_counts=return_counts, axis=index, equal_nan=False,
                           size=size, fill_value=fill_value, sorted=sorted)
    except jax.errors.ConcretizationTypeError:
        raise errors.JnetValueError(
            "unique: the number of unique values depends on the values of `x`, so under "
            "jax.jit (or vmap, grad, ...) pass `size=` (and `fill_value=`) for a "
            "fixed-shape result."
        ) from None
    if not builtins.any((return_index, return_inverse, return_counts)):
        return found
    values, *extra = found
    return (values, *(e.astype("int32") for e in extra))
