"""Keras's shape manipulation ops (``keras.ops.numpy``): reshaping, moving axes, flipping,
rotating, padding, repeating and tiling. Each keeps ``x``'s dtype (``view`` reinterprets its
bytes). Joining and splitting are in :mod:`jnet.ops._numpy_join`.

Example:
    >>> reshape(jnp.arange(6), (2, -1)).shape
    (2, 3)
"""

from __future__ import annotations

import math
from typing import Any

import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._numpy_array_checks import (
    as_axes,
    canonical_axes,
    canonical_axis,
    check_rank,
)
from jnet.ops._op import convert, keras_op

__all__ = [
    "broadcast_to",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "moveaxis",
    "ndim",
    "pad",
    "ravel",
    "repeat",
    "reshape",
    "roll",
    "rot90",
    "size",
    "squeeze",
    "swapaxes",
    "tile",
    "transpose",
    "view",
]


def _shape(x: jnp.ndarray) -> tuple[int, ...]:
    return tuple(x.shape)


# -- reshaping ----------------------------------------------------------------------------


@keras_op
def reshape(x: Any, newshape: Any):
    """``x`` with a new shape of the same size.

    Args:
        x: the array.
        newshape: the new shape (an int or a tuple of ints); one entry may be -1, inferred
            from the size.

    Returns:
        The reshaped array.

    Example:
        >>> reshape(jnp.arange(6), (3, -1)).shape
        (3, 2)
    """
    x = convert(x)
    newshape = tuple(newshape) if isinstance(newshape, list | tuple) else (newshape,)
    known = [int(d) for d in newshape if int(d) != -1]
    if any(d < -1 for d in map(int, newshape)) or len(known) < len(newshape) - 1:
        raise errors.JnetValueError(
            f"Each dimension in `newshape` must be a non-negative integer, or -1 for a single "
            f"unknown dimension. Received: newshape={newshape}."
        )
    size, product = math.prod(x.shape), math.prod(known)
    if (len(known) == len(newshape) and size != product) or (
        len(known) < len(newshape) and (product == 0 or size % product)
    ):
        raise errors.JnetValueError(
            f"`reshape` must keep the size of `x`: x.shape={_shape(x)} ({size} values) "
            f"cannot take newshape={newshape}."
        )
    return jnp.reshape(x, newshape)


@keras_op
def ravel(x: Any):
    """``x`` flattened to 1-D (row-major order).

    Example:
        >>> ravel(jnp.ones((2, 3))).shape
        (6,)
    """
    return jnp.ravel(convert(x))


@keras_op
def expand_dims(x: Any, axis: Any):
    """``x`` with new axes of length 1 inserted.

    Args:
        x: the array.
        axis: where the new axes go in the output (an int, or a tuple/list of ints).

    Returns:
        The array with ``len(axis)`` more dimensions.

    Example:
        >>> expand_dims(jnp.ones((2, 3)), -1).shape, expand_dims(jnp.ones(2), (0, 2)).shape
        ((2, 3, 1), (1, 2, 1))
    """
    if not isinstance(axis, int | tuple | list):
        raise errors.JnetValueError(
            f"The `axis` argument to `expand_dims` should be an integer, tuple or list. "
            f"Received axis={axis!r}."
        )
    x = convert(x)
    axes = canonical_axes(axis, x.ndim + len(as_axes(axis)))
    return jnp.expand_dims(x, axes)


@keras_op
def squeeze(x: Any, axis: Any = None):
    """``x`` without its axes of length 1.

    Args:
        x: the array.
        axis: the axes to remove (an int or a tuple; each must have length 1); default
            ``None``: every axis of length 1.

    Returns:
        The squeezed array.

    Example:
        >>> squeeze(jnp.ones((1, 2, 1))).shape, squeeze(jnp.ones((1, 2, 1)), axis=0).shape
        ((2,), (2, 1))
    """
    x = convert(x)
    if axis is None:
        return jnp.squeeze(x)
    axes = canonical_axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise errors.JnetValueError(
                f"Cannot squeeze axis={a}, because the dimension is not 1: "
                f"x.shape={_shape(x)}."
            )
    return jnp.squeeze(x, axis=axes)


@keras_op
def broadcast_to(x: Any, shape: Any):
    """``x`` broadcast to ``shape`` (NumPy's broadcasting rules).

    Args:
        x: the array.
        shape: the target shape.

    Returns:
        The broadcast array.

    Example:
        >>> broadcast_to(jnp.array([1, 2]), (3, 2)).tolist()
        [[1, 2], [1, 2], [1, 2]]
    """
    x = convert(x)
    shape = tuple(shape) if isinstance(shape, list | tuple) else (shape,)
    try:
        np.broadcast_shapes(_shape(x), shape)
        ok = len(shape) >= x.ndim and np.broadcast_shapes(_shape(x), shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise errors.JnetValueError(
            f"Cannot broadcast `x` of shape {_shape(x)} to shape={shape}."
        )
    return jnp.broadcast_to(x, shape)


@keras_op
def view(x: Any, dtype: Any = None):
    """``x``'s bytes read as ``dtype`` (a bitcast; the last axis scales with the item size).

    Args:
        x: the array.
        dtype: the new dtype (default ``None``: ``x``'s).

    Returns:
        The array seen as ``dtype``.

    Example:
        >>> view(jnp.array([1.0], "float32"), "int32").tolist()
        [1065353216]
    """
    x = convert(x)
    dtype = _dtypes.standardize_dtype(dtype) if dtype is not None else x.dtype
    old, new = np.dtype(x.dtype).itemsize, np.dtype(dtype).itemsize
    if old != new and (x.ndim == 0 or x.shape[-1] * old % new):
        raise errors.JnetValueError(
            f"Cannot view array of shape {_shape(x)} and dtype {x.dtype} as dtype {dtype} "
            f"because the total number of bytes is not divisible by the new itemsize."
        )
    return x.view(dtype)


# -- moving axes --------------------------------------------------------------------------


@keras_op
def transpose(x: Any, axes: Any = None):
    """``x`` with its axes permuted.

    Args:
        x: the array.
        axes: the permutation (default ``None``: the axes reversed).

    Returns:
        The transposed array.

    Example:
        >>> transpose(jnp.ones((2, 3, 4)), (1, 0, 2)).shape
        (3, 2, 4)
    """
    x = convert(x)
    if axes is None:
        return jnp.transpose(x)
    if len(axes) != x.ndim:
        raise errors.JnetValueError(
            f"`axes` must list every axis of `x` once: expected {x.ndim} axes, received "
            f"axes={list(axes)}."
        )
    return jnp.transpose(x, canonical_axes(axes, x.ndim, "axes"))


@keras_op
def swapaxes(x: Any, axis1: int, axis2: int):
    """``x`` with two axes interchanged.

    Example:
        >>> swapaxes(jnp.ones((2, 3, 4)), 0, -1).shape
        (4, 3, 2)
    """
    x = convert(x)
    return jnp.swapaxes(x, canonical_axis(axis1, x.ndim, "axis1"),
                        canonical_axis(axis2, x.ndim, "axis2"))


@keras_op
def moveaxis(x: Any, source: Any, destination: Any):
    """``x`` with axes moved to new positions (the others keep their order).

    Args:
        x: the array.
        source: the axes to move (an int or a sequence).
        destination: their new positions (as many as ``source``).

    Returns:
        The array with the axes moved.

    Example:
        >>> moveaxis(jnp.ones((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    x = convert(x)
    src = canonical_axes(source, x.ndim, "source")
    dst = canonical_axes(destination, x.ndim, "destination")
    if len(src) != len(dst):
        raise errors.JnetValueError(
            f"`source` and `destination` arguments must have the same number of elements, "
            f"but received `source={source}` and `destination={destination}`."
        )
    return jnp.moveaxis(x, src, dst)


@keras_op
def ndim(x: Any) -> int:
    """The number of dimensions of ``x``.

    Example:
        >>> ndim(jnp.ones((2, 3)))
        2
    """
    return jnp.ndim(convert(x))


@keras_op
def size(x: Any) -> int:
    """The number of values in ``x``.

    Example:
        >>> size(jnp.ones((2, 3)))
        6
    """
    return jnp.size(convert(x))


# -- flipping and rotating ----------------------------------------------------------------


@keras_op
def flip(x: Any, axis: Any = None):
    """``x`` reversed along ``axis`` (default ``None``: every axis).

    Example:
        >>> flip(jnp.array([[1, 2], [3, 4]]), axis=1).tolist()
        [[2, 1], [4, 3]]
    """
    x = convert(x)
    return jnp.flip(x, None if axis is None else canonical_axes(axis, x.ndim))


@keras_op
def fliplr(x: Any):
    """``x`` reversed along axis 1 (left/right); ``x`` needs 2 or more dimensions.

    Example:
        >>> fliplr(jnp.array([[1, 2], [3, 4]])).tolist()
        [[2, 1], [4, 3]]
    """
    x = convert(x)
    check_rank(x, "fliplr", 2)
    return jnp.flip(x, 1)


@keras_op
def flipud(x: Any):
    """``x`` reversed along axis 0 (up/down); ``x`` needs 1 or more dimensions.

    Example:
        >>> flipud(jnp.array([[1, 2], [3, 4]])).tolist()
        [[3, 4], [1, 2]]
    """
    x = convert(x)
    check_rank(x, "flipud", 1)
    return jnp.flip(x, 0)


@keras_op
def rot90(array: Any, k: int = 1, axes: Any = (0, 1)):
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes`` (from the first
    axis towards the second).

    Args:
        array: an array of 2 or more dimensions.
        k: how many rotations (default 1; negative rotates the other way).
        axes: the plane, two different axes (default ``(0, 1)``).

    Returns:
        The rotated array.

    Example:
        >>> rot90(jnp.array([[1, 2], [3, 4]])).tolist()
        [[2, 4], [1, 3]]
    """
    array = convert(array)
    if array.ndim < 2:
        raise errors.JnetValueError(
            f"Input array must have at least 2 dimensions. Received: array.ndim={array.ndim}."
        )
    if len(axes) != 2 or axes[0] == axes[1]:
        raise errors.JnetValueError(
            f"Invalid axes: {axes}. Axes must be a tuple of two different dimensions."
        )
    plane = canonical_axes(axes, array.ndim, "axes")
    return jnp.rot90(array, k=k, axes=plane)


@keras_op
def roll(x: Any, shift: Any, axis: Any = None):
    """``x`` with its values shifted along ``axis``, wrapping around.

    Args:
        x: the array.
        shift: how many places (an int, or one per axis).
        axis: the axes (default ``None``: ``x`` is rolled flattened, then reshaped back).

    Returns:
        The rolled array.

    Example:
        >>> roll(jnp.arange(4), 1).tolist()
        [3, 0, 1, 2]
    """
    x = convert(x)
    if axis is not None:
        axis = canonical_axes(axis, x.ndim) if not isinstance(axis, int) else (
            canonical_axis(axis, x.ndim))
    return jnp.roll(x, shift, axis=axis)


# -- padding, repeating, tiling -----------------------------------------------------------


def _pad_width(pad_width: Any, rank: int) -> tuple:
    if isinstance(pad_width, int):
        pairs = ((pad_width, pad_width),)
    elif isinstance(pad_width, list | tuple) and pad_width and isinstance(pad_width[0], int):
        pairs = (tuple(pad_width),) if len(pad_width) == 2 else ((pad_width[0],) * 2,)
    else:
        pairs = tuple(tuple(p) for p in np.asarray(pad_width).tolist())
        if any(len(p) not in (1, 2) for p in pairs) or len({len(p) for p in pairs}) > 1:
            raise errors.JnetValueError(
                f"`pad_width` should be a list of tuples of length 1 or 2. "
                f"Received: pad_width={pad_width}."
            )
        pairs = tuple(p * 2 if len(p) == 1 else p for p in pairs)
    if len(pairs) == 1:
        return pairs * rank
    if len(pairs) != rank:
        raise errors.JnetValueError(
            f"`pad_width` must have the same length as `x.shape`. Received: "
            f"pad_width={pad_width} (of length {len(pairs)}) and x of rank {rank}."
        )
    return pairs


@keras_op
def pad(x: Any, pad_width: Any, mode: str = "constant", constant_values: Any = None):
    """``x`` padded on each axis.

    Args:
        x: the array.
        pad_width: ``((before, after), ...)`` per axis, or one ``(before, after)`` pair or an
            int for every axis.
        mode: ``"constant"`` (default), ``"edge"``, ``"reflect"``, ``"symmetric"``,
            ``"wrap"``, ``"maximum"``, ``"minimum"``, ``"mean"``, ``"median"``,
            ``"linear_ramp"``, ``"empty"`` (NumPy's modes).
        constant_values: the padding value for ``"constant"`` (default ``None``: 0); only
            with ``mode="constant"``.

    Returns:
        The padded array.

    Example:
        >>> pad(jnp.array([1, 2]), (1, 2)).tolist()
        [0, 1, 2, 0, 0]
    """
    x = convert(x)
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise errors.JnetValueError(
                f"Argument `constant_values` can only be provided when `mode == 'constant'`. "
                f"Received: mode={mode!r}."
            )
        kwargs["constant_values"] = convert(constant_values).astype(x.dtype)
    return jnp.pad(x, _pad_width(pad_width, x.ndim), mode=mode, **kwargs)


@keras_op
def repeat(x: Any, repeats: Any, axis: int | None = None):
    """Each value of ``x`` repeated ``repeats`` times along ``axis``.

    Args:
        x: the array.
        repeats: how many times (an int, or one count per value along ``axis``).
        axis: the axis (default ``None``: ``x`` flattened).

    Returns:
        The array with the repeats.

    Example:
        >>> repeat(jnp.array([1, 2]), 2).tolist(), repeat(jnp.array([1, 2]), [1, 3]).tolist()
        ([1, 1, 2, 2], [1, 2, 2, 2])
    """
    x = convert(x)
    if axis is not None:
        axis = canonical_axis(axis, x.ndim)
    if not isinstance(repeats, int):
        repeats = np.asarray(repeats) if not hasattr(repeats, "shape") else repeats
        length = x.size if axis is None else x.shape[axis]
        if np.ndim(repeats) == 1 and len(repeats) not in (1, length):
            raise errors.JnetValueError(
                f"`repeats` must give one count per value along the axis: expected "
                f"{length} counts, received {len(repeats)}."
            )
    return jnp.repeat(x, repeats, axis=axis)


@keras_op
def tile(x: Any, repeats: Any):
    """``x`` repeated ``repeats`` times along each axis.

    Args:
        x: the array.
        repeats: repetitions per axis (an int, or a sequence aligned on the last axes).

    Returns:
        The tiled array.

    Example:
        >>> tile(jnp.array([1, 2]), 2).tolist(), tile(jnp.array([1, 2]), (2, 1)).shape
        ([1, 2, 1, 2], (2, 2))
    """
    return jnp.tile(convert(x), repeats)
