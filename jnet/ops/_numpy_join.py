"""Keras's joining and splitting ops (``keras.ops.numpy``): ``concatenate``, ``stack``,
``append``, ``hstack``, ``vstack``, ``dstack``, ``split``, ``array_split``, ``hsplit``,
``vsplit``, ``dsplit``.

Joining ops promote their inputs to one dtype with Keras's type promotion
(``int32`` with ``float32`` gives ``float32``); splitting ops return lists, as Keras does.

Example:
    >>> concatenate([jnp.zeros(2, "int32"), jnp.ones(1)]).dtype
    dtype('float32')
    >>> [p.shape for p in split(jnp.ones((4, 2)), 2)]
    [(2, 2), (2, 2)]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.ops._numpy_array_checks import canonical_axis, check_rank
from jnet.ops._op import convert, keras_op, promote

__all__ = [
    "append",
    "array_split",
    "concatenate",
    "dsplit",
    "dstack",
    "hsplit",
    "hstack",
    "split",
    "stack",
    "vsplit",
    "vstack",
]


def _shape(x: jnp.ndarray) -> tuple[int, ...]:
    return tuple(x.shape)


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
