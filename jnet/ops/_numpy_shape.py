"""Keras's shape manipulation ops (``keras.ops.numpy``): reshaping, moving axes, flipping,
padding, tiling, joining and splitting.

Joining ops (``concatenate``, ``stack``, ``append``, ``hstack``, ``vstack``, ``dstack``)
promote their inputs to one dtype with Keras's type promotion; the others keep ``x``'s dtype.
Splitting ops return lists, as Keras does.

Example:
    >>> reshape(jnp.arange(6), (2, -1)).shape
    (2, 3)
    >>> concatenate([jnp.zeros(2, "int32"), jnp.ones(1)]).dtype
    dtype('float32')
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
from jnet.ops._op import convert, keras_op, promote

__all__ = [
    "append",
    "array_split",
    "broadcast_to",
    "concatenate",
    "dsplit",
    "dstack",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "hsplit",
    "hstack",
    "moveaxis",
    "ndim",
    "pad",
    "ravel",
    "repeat",
    "reshape",
    "roll",
    "rot90",
    "size",
    "split",
    "squeeze",
    "stack",
    "swapaxes",
    "tile",
    "transpose",
    "view",
    "vsplit",
    "vstack",
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


# -- joining ------------------------------------------------------------------------------


def _same_shapes(xs: list, op: str, skip: int | None) -> None:
    first = _shape(xs[0])
    for x in xs[1:]:
        shape = _shape(x)
        if len(shape) != len(first) or any(
            a != b for i, (a, b) in enumerate(zip(shape, first, strict=False)) if i != skip
        ):
            where = "" if skip is None else f" except on axis {skip}"
            raise errors.JnetValueError(
                f"`{op}` needs every array in its input to have the same shape{where}. "
                f"Received shapes {[_shape(v) for v in xs]}."
            )


def _joined(xs: Any, op: str) -> list:
    if not isinstance(xs, list | tuple) or not xs:
        raise errors.JnetValueError(
            f"`{op}` needs a non-empty list of arrays. Received: {type(xs).__name__}."
        )
    return promote(*xs)


@keras_op
def concatenate(xs: Any, axis: int = 0):
    """The arrays of ``xs`` joined along an existing axis.

    Args:
        xs: a list of arrays, of the same shape except along ``axis``.
        axis: the axis (default 0; not None).

    Returns:
        The joined array, of the promoted dtype of ``xs``.

    Example:
        >>> concatenate([jnp.ones((2, 1)), jnp.zeros((2, 3))], axis=-1).shape
        (2, 4)
    """
    if axis is None:
        raise errors.JnetValueError("`axis` cannot be None for `concatenate`.")
    xs = _joined(xs, "concatenate")
    if xs[0].ndim == 0:
        raise errors.JnetValueError("`concatenate` cannot join 0-dimensional arrays.")
    axis = canonical_axis(axis, xs[0].ndim)
    _same_shapes(xs, "concatenate", axis)
    return jnp.concatenate(xs, axis=axis)


@keras_op
def stack(x: Any, axis: int = 0):
    """The arrays of ``x`` (of one shape) joined along a new axis.

    Args:
        x: a list of arrays of the same shape.
        axis: where the new axis goes in the output (default 0).

    Returns:
        The stacked array, of the promoted dtype of ``x``.

    Example:
        >>> stack([jnp.ones(3), jnp.zeros(3)], axis=1).shape
        (3, 2)
    """
    xs = _joined(x, "stack")
    _same_shapes(xs, "stack", None)
    return jnp.stack(xs, axis=canonical_axis(axis, xs[0].ndim + 1))


@keras_op
def append(x1: Any, x2: Any, axis: int | None = None):
    """``x2`` appended to ``x1``.

    Args:
        x1: the first array.
        x2: the values to append.
        axis: the axis (default ``None``: both arrays flattened first).

    Returns:
        The joined array, of the promoted dtype.

    Example:
        >>> append(jnp.array([1, 2]), jnp.array([[3]])).tolist()
        [1, 2, 3]
    """
    x1, x2 = promote(x1, x2)
    if axis is None:
        return jnp.concatenate([jnp.ravel(x1), jnp.ravel(x2)])
    axis = canonical_axis(axis, x1.ndim)
    _same_shapes([x1, x2], "append", axis)
    return jnp.concatenate([x1, x2], axis=axis)


@keras_op
def hstack(xs: Any):
    """The arrays of ``xs`` joined horizontally (along axis 1, or 0 for 1-D arrays).

    Example:
        >>> hstack([jnp.ones((2, 1)), jnp.zeros((2, 2))]).shape
        (2, 3)
    """
    xs = _joined(xs, "hstack")
    axis = 0 if xs[0].ndim <= 1 else 1
    xs = [jnp.atleast_1d(x) for x in xs]
    _same_shapes(xs, "hstack", axis)
    return jnp.concatenate(xs, axis=axis)


@keras_op
def vstack(xs: Any):
    """The arrays of ``xs`` joined vertically (along axis 0; 1-D arrays become rows).

    Example:
        >>> vstack([jnp.ones(3), jnp.zeros(3)]).shape
        (2, 3)
    """
    xs = [jnp.atleast_2d(x) for x in _joined(xs, "vstack")]
    _same_shapes(xs, "vstack", 0)
    return jnp.concatenate(xs, axis=0)


@keras_op
def dstack(xs: Any):
    """The arrays of ``xs`` joined depth-wise (along axis 2; 1-D ``(N,)`` become
    ``(1, N, 1)``, 2-D ``(M, N)`` become ``(M, N, 1)``).

    Example:
        >>> dstack([jnp.ones((2, 3)), jnp.zeros((2, 3))]).shape
        (2, 3, 2)
    """
    xs = [jnp.atleast_3d(x) for x in _joined(xs, "dstack")]
    _same_shapes(xs, "dstack", 2)
    return jnp.concatenate(xs, axis=2)


# -- splitting ----------------------------------------------------------------------------


def _split(x: jnp.ndarray, indices_or_sections: Any, axis: int, op: str) -> list:
    axis = canonical_axis(axis, x.ndim)
    length = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if indices_or_sections <= 0 or length % indices_or_sections:
            raise errors.JnetValueError(
                f"`{op}`: the size of `x` on axis {axis} ({length}) must be divisible by "
                f"`indices_or_sections` when it is an int. Received: "
                f"indices_or_sections={indices_or_sections}."
            )
    else:
        indices_or_sections = [int(i) for i in np.asarray(indices_or_sections).reshape(-1)]
    return list(jnp.split(x, indices_or_sections, axis=axis))


@keras_op
def split(x: Any, indices_or_sections: Any, axis: int = 0):
    """``x`` split into pieces along ``axis``.

    Args:
        x: the array.
        indices_or_sections: a number of equal pieces (it must divide the axis), or the
            sorted indices where the pieces start.
        axis: the axis (default 0).

    Returns:
        A list of arrays.

    Example:
        >>> [p.tolist() for p in split(jnp.arange(5), [2, 3])]
        [[0, 1], [2], [3, 4]]
    """
    x = convert(x)
    check_rank(x, "split", 1)
    return _split(x, indices_or_sections, axis, "split")


@keras_op
def array_split(x: Any, indices_or_sections: int, axis: int = 0):
    """``x`` split into ``indices_or_sections`` pieces along ``axis``, of sizes differing by at
    most one (the first ones larger).

    Args:
        x: the array.
        indices_or_sections: the number of pieces (a positive int).
        axis: the axis (default 0).

    Returns:
        A list of arrays.

    Example:
        >>> [p.tolist() for p in array_split(jnp.arange(5), 2)]
        [[0, 1, 2], [3, 4]]
    """
    if not isinstance(indices_or_sections, int) or isinstance(indices_or_sections, bool):
        raise errors.JnetTypeError(
            f"Argument `indices_or_sections` must be of type `int`. "
            f"Received: indices_or_sections={indices_or_sections!r}."
        )
    if indices_or_sections <= 0:
        raise errors.JnetValueError(
            f"Argument `indices_or_sections` must be a positive integer. "
            f"Received: indices_or_sections={indices_or_sections}."
        )
    x = convert(x)
    check_rank(x, "array_split", 1)
    axis = canonical_axis(axis, x.ndim)
    return list(jnp.array_split(x, indices_or_sections, axis=axis))


@keras_op
def hsplit(x: Any, indices_or_sections: Any):
    """``x`` split horizontally (along axis 1, or 0 for a 1-D ``x``); see :func:`split`.

    Example:
        >>> [p.shape for p in hsplit(jnp.ones((2, 4)), 2)]
        [(2, 2), (2, 2)]
    """
    x = convert(x)
    check_rank(x, "hsplit", 1)
    return _split(x, indices_or_sections, 0 if x.ndim == 1 else 1, "hsplit")


@keras_op
def vsplit(x: Any, indices_or_sections: Any):
    """``x`` (2 or more dimensions) split vertically, along axis 0; see :func:`split`.

    Example:
        >>> [p.shape for p in vsplit(jnp.ones((4, 2)), [1])]
        [(1, 2), (3, 2)]
    """
    x = convert(x)
    check_rank(x, "vsplit", 2)
    return _split(x, indices_or_sections, 0, "vsplit")


@keras_op
def dsplit(x: Any, indices_or_sections: Any):
    """``x`` (3 or more dimensions) split depth-wise, along axis 2; see :func:`split`.

    Example:
        >>> [p.shape for p in dsplit(jnp.ones((1, 2, 4)), 2)]
        [(1, 2, 2), (1, 2, 2)]
    """
    x = convert(x)
    check_rank(x, "dsplit", 3)
    return _split(x, indices_or_sections, 2, "dsplit")
