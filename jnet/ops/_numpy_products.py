"""Keras's products (``keras.ops.numpy``): ``matmul``, ``dot``, ``einsum``, ``tensordot``,
``inner``, ``outer``, ``vdot``, ``kron``, ``cross``, ``correlate``, ``trace``, ``slogdet``.

Operands are cast to Keras's promoted dtype before jax runs (``int32 @ float32`` is
``float32``), except where Keras says otherwise: ``matmul`` and ``einsum`` of ``int8``
operands accumulate in and return ``int32``; ``correlate`` returns a float dtype
(``float32`` unless the inputs promote to ``float16``/``bfloat16``); ``trace`` sums
``bool``/``int8``/``int16`` as ``int32`` and ``uint8``/``uint16`` as ``uint32``.

Example:
    >>> matmul(jnp.ones((2, 3), "int8"), jnp.ones((3, 1), "int8")).dtype
    dtype('int32')
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._numpy_array_checks import canonical_axis, check_rank
from jnet.ops._op import convert, keras_op, promote

__all__ = [
    "correlate",
    "cross",
    "dot",
    "einsum",
    "inner",
    "kron",
    "matmul",
    "outer",
    "slogdet",
    "tensordot",
    "trace",
    "vdot",
]


def _shape(x: jnp.ndarray) -> tuple[int, ...]:
    return tuple(x.shape)


def _broadcast_batch(a: jnp.ndarray, b: jnp.ndarray, core_a: int, core_b: int):
    """``a`` and ``b`` broadcast to one batch shape (all but their last ``core_*`` axes)."""
    batch_a, batch_b = _shape(a)[: a.ndim - core_a], _shape(b)[: b.ndim - core_b]
    try:
        batch = np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        raise errors.JnetValueError(
            f"The batch axes of `x1` (shape {_shape(a)}) and `x2` (shape {_shape(b)}) do not "
            f"broadcast."
        ) from None
    return (jnp.broadcast_to(a, batch + _shape(a)[a.ndim - core_a:]),
            jnp.broadcast_to(b, batch + _shape(b)[b.ndim - core_b:]))


@keras_op
def matmul(x1: Any, x2: Any):
    """The matrix product of ``x1`` and ``x2`` (batched over leading axes, NumPy's rules).

    Args:
        x1: an array of 1 or more dimensions.
        x2: an array of 1 or more dimensions; ``x1.shape[-1] == x2.shape[-2]`` (or ``[0]``
            when 1-D).

    Returns:
        The product, of Keras's promoted dtype (``int32`` for two ``int8`` operands).

    Example:
        >>> matmul(jnp.ones((4, 2, 3)), jnp.ones((3, 5))).shape
        (4, 2, 5)
    """
    x1, x2 = convert(x1), convert(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise errors.JnetValueError(
            f"`matmul` needs arrays of 1 or more dimensions. Received: x1.shape={_shape(x1)}, "
            f"x2.shape={_shape(x2)}."
        )
    inner_1, inner_2 = x1.shape[-1], x2.shape[0] if x2.ndim == 1 else x2.shape[-2]
    if inner_1 != inner_2:
        raise errors.JnetValueError(
            f"Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but "
            f"received `x1.shape={_shape(x1)}` and `x2.shape={_shape(x2)}`."
        )
    if x1.dtype == jnp.int8 and x2.dtype == jnp.int8:
        preferred = jnp.int32
    else:
        x1, x2 = promote(x1, x2)
        preferred = None
    try:
        np.broadcast_shapes(_shape(x1)[:-2], _shape(x2)[:-2])
    except ValueError:
        raise errors.JnetValueError(
            f"The batch axes of `x1` (shape {_shape(x1)}) and `x2` (shape {_shape(x2)}) do "
            f"not broadcast."
        ) from None
    return jnp.matmul(x1, x2, preferred_element_type=preferred)


@keras_op
def dot(x1: Any, x2: Any):
    """The dot product of ``x1`` and ``x2`` (NumPy's ``dot``): the product of scalars, the
    inner product of vectors, the matrix product of matrices, and for N-D arrays a sum over
    the last axis of ``x1`` and the second-to-last of ``x2``.

    Args:
        x1: the first array.
        x2: the second array.

    Returns:
        The product, of Keras's promoted dtype.

    Example:
        >>> dot(jnp.array([1, 2]), jnp.array([3, 4])).tolist()
        11
    """
    x1, x2 = promote(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return jnp.multiply(*jnp.broadcast_arrays(x1, x2))
    axis2 = 0 if x2.ndim == 1 else x2.ndim - 2
    if x1.shape[-1] != x2.shape[axis2]:
        raise errors.JnetValueError(
            f"Shape must match on the last axis of `x1` and the "
            f"{'only' if x2.ndim == 1 else 'second last'} axis of `x2`, but received "
            f"`x1.shape={_shape(x1)}` and `x2.shape={_shape(x2)}`."
        )
    return jnp.dot(x1, x2)


@keras_op
def einsum(subscripts: str, *operands: Any, **kwargs: Any):
    """The Einstein summation of ``operands`` as ``subscripts`` says.

    Args:
        subscripts: the summation, e.g. ``"ij,jk->ik"``.
        *operands: the arrays.
        **kwargs: passed to ``jax.numpy.einsum`` (e.g. ``optimize``, ``precision``).

    Returns:
        The result, of Keras's promoted dtype (``int32`` when every operand is ``int8``).

    Example:
        >>> einsum("ij,j->i", jnp.ones((2, 3)), jnp.arange(3.0)).tolist()
        [3.0, 3.0]
    """
    operands = [convert(x) for x in operands]
    if operands and all(x.dtype == jnp.int8 for x in operands):
        kwargs.setdefault("preferred_element_type", jnp.int32)
    else:
        operands = promote(*operands)
    try:
        return jnp.einsum(subscripts, *operands, **kwargs)
    except ValueError as e:  # jax's words on a mismatch, with the call's own arguments
        shapes = ", ".join(str(tuple(x.shape)) for x in operands)
        raise errors.JnetValueError(
            f"einsum: the operands do not fit `subscripts`={subscripts!r}: {e} Received "
            f"operand shapes {shapes}."
        ) from e


def _tensordot_axes(x1: jnp.ndarray, x2: jnp.ndarray, axes: Any):
    if isinstance(axes, int):
        if axes < 0 or axes > min(x1.ndim, x2.ndim):
            raise errors.JnetValueError(
                f"`axes` = {axes} must be between 0 and the smaller rank of `x1` "
                f"({x1.ndim}) and `x2` ({x2.ndim})."
            )
        a1, a2 = list(range(x1.ndim - axes, x1.ndim)), list(range(axes))
    else:
        if len(axes) != 2:
            raise errors.JnetValueError(
                f"`axes` must be an int or a pair of axis lists. Received: axes={axes!r}."
            )
        a1, a2 = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                  [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
        a1 = [canonical_axis(a, x1.ndim, "axes") for a in a1]
        a2 = [canonical_axis(a, x2.ndim, "axes") for a in a2]
    sizes1, sizes2 = [x1.shape[a] for a in a1], [x2.shape[a] for a in a2]
    if sizes1 != sizes2:
        raise errors.JnetValueError(
            f"Shape mismatch on `x1[axes[0]]` and `x2[axes[1]]`, received {sizes1} and "
            f"{sizes2} (x1.shape={_shape(x1)}, x2.shape={_shape(x2)}, axes={axes!r})."
        )
    return a1, a2


@keras_op
def tensordot(x1: Any, x2: Any, axes: Any = 2):
    """The sum of products of ``x1`` and ``x2`` over the given axes.

    Args:
        x1: the first array.
        x2: the second array.
        axes: an int ``N`` (the last ``N`` axes of ``x1`` with the first ``N`` of ``x2``;
            default 2), or a pair of axis lists.

    Returns:
        The product: ``x1``'s other axes, then ``x2``'s; Keras's promoted dtype.

    Example:
        >>> tensordot(jnp.ones((2, 3)), jnp.ones((3, 4)), axes=1).shape
        (2, 4)
    """
    x1, x2 = promote(x1, x2)
    a1, a2 = _tensordot_axes(x1, x2, axes)
    return jnp.tensordot(x1, x2, axes=(a1, a2))


@keras_op
def inner(x1: Any, x2: Any):
    """The inner product of ``x1`` and ``x2`` over their last axes (a plain product when one
    is a scalar).

    Example:
        >>> inner(jnp.array([1.0, 2.0]), jnp.ones((3, 2))).tolist()
        [3.0, 3.0, 3.0]
    """
    x1, x2 = promote(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return jnp.multiply(*jnp.broadcast_arrays(x1, x2))
    if x1.shape[-1] != x2.shape[-1]:
        raise errors.JnetValueError(
            f"`inner` requires the last dimension of `x1` and `x2` to match. Received: "
            f"x1.shape={_shape(x1)}, x2.shape={_shape(x2)}."
        )
    return jnp.inner(x1, x2)


@keras_op
def outer(x1: Any, x2: Any):
    """The outer product of the flattened ``x1`` and ``x2``.

    Example:
        >>> outer(jnp.array([1, 2]), jnp.array([1, 10])).tolist()
        [[1, 10], [2, 20]]
    """
    x1, x2 = promote(x1, x2)
    return jnp.outer(jnp.ravel(x1), jnp.ravel(x2))


@keras_op
def vdot(x1: Any, x2: Any):
    """The dot product of the flattened ``x1`` and ``x2`` (``x1`` conjugated if complex).

    Example:
        >>> vdot(jnp.array([[1, 2]]), jnp.array([3, 4])).tolist()
        11
    """
    x1, x2 = promote(x1, x2)
    if x1.size != x2.size:
        raise errors.JnetValueError(
            f"`vdot` needs `x1` and `x2` of the same size. Received: x1.shape={_shape(x1)}, "
            f"x2.shape={_shape(x2)}."
        )
    return jnp.vdot(jnp.ravel(x1), jnp.ravel(x2))


@keras_op
def kron(x1: Any, x2: Any):
    """The Kronecker product of ``x1`` and ``x2`` (blocks of ``x2`` scaled by ``x1``).

    Example:
        >>> kron(jnp.array([1, 10]), jnp.array([1, 2])).tolist()
        [1, 2, 10, 20]
    """
    x1, x2 = promote(x1, x2)
    return jnp.kron(x1, x2)


@keras_op
def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None):
    """The cross product of vectors (of 2 or 3 components) in ``x1`` and ``x2``.

    Args:
        x1: the first vectors, along ``axisa``.
        x2: the second vectors, along ``axisb``.
        axisa: the vector axis of ``x1`` (default -1).
        axisb: the vector axis of ``x2`` (default -1).
        axisc: the vector axis of the result (default -1; unused when both vectors have
            2 components, whose cross product is a scalar).
        axis: if given, the vector axis of ``x1``, ``x2`` and the result (overrides the
            other three).

    Returns:
        The cross products, of Keras's promoted dtype.

    Example:
        >>> cross(jnp.array([1, 0, 0]), jnp.array([0, 1, 0])).tolist()
        [0, 0, 1]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = promote(x1, x2)
    check_rank(x1, "cross", 1, "x1")
    check_rank(x2, "cross", 1, "x2")
    x1 = jnp.moveaxis(x1, canonical_axis(axisa, x1.ndim, "axisa"), -1)
    x2 = jnp.moveaxis(x2, canonical_axis(axisb, x2.ndim, "axisb"), -1)
    for name, v in (("x1", x1), ("x2", x2)):
        if v.shape[-1] not in (2, 3):
            raise errors.JnetValueError(
                f"`{name}`'s dimension on the vector axis must be either 2 or 3, but "
                f"received: {v.shape[-1]} (shape {_shape(v)})."
            )
    x1, x2 = _broadcast_batch(x1, x2, 1, 1)
    if x1.shape[-1] == 2 and x2.shape[-1] == 2:
        return jnp.cross(x1, x2)
    out_ndim = x1.ndim
    return jnp.cross(x1, x2, axisc=canonical_axis(axisc, out_ndim, "axisc"))


@keras_op
def correlate(x1: Any, x2: Any, mode: str = "valid"):
    """The cross-correlation of two 1-D arrays.

    Args:
        x1: the signal (1-D).
        x2: the filter (1-D).
        mode: ``"valid"`` (default: where they overlap fully), ``"same"`` (length of the
            longer) or ``"full"`` (every overlap).

    Returns:
        The correlation, of a float dtype: ``float32`` unless the inputs promote to
        ``float16`` or ``bfloat16`` (as Keras).

    Example:
        >>> correlate(jnp.array([1.0, 2.0, 3.0]), jnp.array([0.0, 1.0])).tolist()
        [2.0, 3.0]
    """
    x1, x2 = convert(x1), convert(x2)
    for name, v in (("x1", x1), ("x2", x2)):
        if v.ndim != 1:
            raise errors.JnetValueError(
                f"`{name}` must be a 1-dimensional tensor, but received shape {_shape(v)}."
            )
    if mode not in ("valid", "same", "full"):
        raise errors.JnetValueError(
            f"`mode` must be either `valid`, `same`, or `full`, but received: {mode!r}."
        )
    dtype = _dtypes.result_type(x1.dtype, x2.dtype)
    if dtype not in ("bfloat16", "float16"):
        dtype = "float32"
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    return jnp.correlate(x1, x2, mode=mode)


_TRACE_DTYPES = {"bool": "int32", "int8": "int32", "int16": "int32",
                 "uint8": "uint32", "uint16": "uint32"}


@keras_op
def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The sum along a diagonal of ``x``.

    Args:
        x: an array of 2 or more dimensions.
        offset: the diagonal: 0 (default) the main one, positive above it, negative below.
        axis1: the first axis of the plane (default 0).
        axis2: the second axis of the plane (default 1).

    Returns:
        The sums over the other axes; ``bool``/``int8``/``int16`` give ``int32``,
        ``uint8``/``uint16`` give ``uint32``, other dtypes stay.

    Example:
        >>> trace(jnp.arange(9).reshape(3, 3)).tolist()
        12
    """
    x = convert(x)
    check_rank(x, "trace", 2)
    a1 = canonical_axis(axis1, x.ndim, "axis1")
    a2 = canonical_axis(axis2, x.ndim, "axis2")
    if a1 == a2:
        raise errors.JnetValueError(
            f"`axis1` and `axis2` must be different. Received: axis1={axis1}, axis2={axis2}."
        )
    name = _dtypes.standardize_dtype(x.dtype)
    dtype = _TRACE_DTYPES.get(name, name)
    return jnp.trace(x.astype(dtype), offset=offset, axis1=a1, axis2=a2, dtype=dtype)


@keras_op
def slogdet(x: Any):
    """The sign and the natural log of the absolute value of the determinant of ``x``.

    Args:
        x: square matrices, shape ``(..., N, N)``.

    Returns:
        ``(sign, logabsdet)``, each of shape ``x.shape[:-2]``.

    Example:
        >>> sign, logdet = slogdet(jnp.array([[2.0, 0.0], [0.0, -3.0]]))
        >>> sign.tolist(), round(logdet.tolist(), 4)
        (-1.0, 1.7918)
    """
    x = convert(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise errors.JnetValueError(
            f"`slogdet` needs square matrices of shape (..., N, N). Received: "
            f"x.shape={_shape(x)}."
        )
    return tuple(jnp.linalg.slogdet(x))
