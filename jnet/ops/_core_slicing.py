"""Keras's slicing and scattering core ops: ``slice``, ``slice_update``, ``scatter``,
``scatter_update``, ``unstack`` (``jax.lax.dynamic_slice``, ``dynamic_update_slice`` and
``.at[]`` updates, as Keras's JAX backend).

Start indices may be traced arrays (the point of ``slice`` over ``x[a:b]``); out-of-range
starts are clamped into the array, as ``jax.lax.dynamic_slice`` does. Updates take the dtype
of the array they go into; ``scatter`` adds the values of repeated indices.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.ops import _core_slicing as s
    >>> s.slice(jnp.arange(10), [3], [4]).tolist()
    [3, 4, 5, 6]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.ops._op import convert, keras_op

__all__ = ["scatter", "scatter_update", "slice", "slice_update", "unstack"]

_REDUCTIONS = ("add", "max", "min", "mul")


def _static_ints(argument: str, value: Any, op: str) -> list[int]:
    """``value`` (a list, tuple or concrete array of integers) as Python ints."""
    try:
        array = np.asarray(value)
    except Exception:  # a traced array
        raise errors.JnetValueError(
            f"{op}: `{argument}` must be known when the op is traced, received a traced array."
        ) from None
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
        raise errors.JnetValueError(
            f"{op}: `{argument}` must be a list of integers, received {value!r}."
        )
    return [int(v) for v in array]


def _starts(start_indices: Any, ndim: int, op: str) -> Any:
    """The start indices for ``jax.lax``: Python ints, or a 1-D integer array (traced)."""
    if isinstance(start_indices, jax.Array):
        if start_indices.shape != (ndim,):
            raise errors.JnetValueError(
                f"{op}: `start_indices` must hold one index per dimension of `inputs` "
                f"({ndim}), received an array of shape {start_indices.shape}."
            )
        return start_indices.astype("int32") if start_indices.dtype != "int32" else start_indices
    if isinstance(start_indices, int):
        start_indices = [start_indices]
    starts = list(start_indices)
    if len(starts) != ndim:
        raise errors.JnetValueError(
            f"The number of dimensions in `start_indices` must match the number of dimensions "
            f"in `inputs`. Received start_indices={start_indices!r} and inputs of rank {ndim}."
        )
    return [s if isinstance(s, jax.Array) else int(s) for s in starts]


@keras_op
def slice(inputs: Any, start_indices: Any, shape: Any) -> jax.Array:  # noqa: A001
    """The block of ``inputs`` of ``shape`` starting at ``start_indices`` (``keras.ops.slice``).

    Args:
        inputs: the array.
        start_indices: the start along each axis (a list, or an integer array that may be
            traced).
        shape: the block's size along each axis; -1 takes the rest of that axis (the starts
            must then be known).

    Returns:
        The block, of ``inputs``'s dtype.

    Example:
        >>> import jax.numpy as jnp
        >>> slice(jnp.arange(12).reshape(3, 4), [1, 2], [2, -1]).tolist()
        [[6, 7], [10, 11]]
    """
    inputs = convert(inputs)
    sizes = _static_ints("shape", shape, "slice")
    if len(sizes) != inputs.ndim:
        raise errors.JnetValueError(
            f"The number of dimensions in `inputs` must match the number of dimensions in "
            f"`shape`. Received inputs.shape={inputs.shape} and shape={tuple(sizes)}"
        )
    starts = _starts(start_indices, inputs.ndim, "slice")
    if -1 in sizes:
        known = _static_ints("start_indices", starts, "slice")
        sizes = [d - s if n == -1 else n for d, s, n in zip(inputs.shape, known, sizes,
                                                             strict=True)]
    for axis, (n, d) in enumerate(zip(sizes, inputs.shape, strict=True)):
        if not 0 <= n <= d:
            raise errors.JnetValueError(
                f"slice: `shape` {tuple(sizes)} does not fit in inputs of shape "
                f"{inputs.shape} (axis {axis})."
            )
    return jax.lax.dynamic_slice(inputs, starts, sizes)


@keras_op
def slice_update(inputs: Any, start_indices: Any, updates: Any) -> jax.Array:
    """``inputs`` with the block at ``start_indices`` replaced by ``updates``
    (``keras.ops.slice_update``).

    Args:
        inputs: the array.
        start_indices: the block's start along each axis (list, or integer array).
        updates: the new block, of the rank of ``inputs`` (cast to ``inputs``'s dtype).

    Returns:
        The updated array, of ``inputs``'s shape and dtype.

    Example:
        >>> import jax.numpy as jnp
        >>> slice_update(jnp.zeros((2, 3), "int32"), [1, 1], jnp.ones((1, 2), "int32")).tolist()
        [[0, 0, 0], [0, 1, 1]]
    """
    inputs = convert(inputs)
    updates = convert(updates)
    if updates.ndim != inputs.ndim:
        raise errors.JnetValueError(
            f"slice_update: `updates` must have the rank of `inputs` ({inputs.ndim}), "
            f"received updates of shape {updates.shape}."
        )
    if any(u > d for u, d in zip(updates.shape, inputs.shape, strict=True)):
        raise errors.JnetValueError(
            f"slice_update: `updates` of shape {updates.shape} does not fit in inputs of "
            f"shape {inputs.shape}."
        )
    starts = _starts(start_indices, inputs.ndim, "slice_update")
    return jax.lax.dynamic_update_slice(inputs, updates.astype(inputs.dtype), starts)


def _index_key(indices: jax.Array, rank: int, op: str) -> tuple[jax.Array, ...]:
    if indices.ndim < 1 or not 1 <= indices.shape[-1] <= rank:
        raise errors.JnetValueError(
            f"{op}: `indices` must have shape (..., k) with 1 <= k <= {rank} (the rank of the "
            f"result), received indices of shape {indices.shape}."
        )
    if indices.dtype.kind not in "iu":
        raise errors.JnetTypeError(
            f"{op}: `indices` must be integers, received dtype {indices.dtype}."
        )
    return tuple(jnp.moveaxis(indices, -1, 0))


@keras_op
def scatter(indices: Any, values: Any, shape: Any) -> jax.Array:
    """An array of zeros of ``shape`` with ``values`` added at ``indices``
    (``keras.ops.scatter``; repeated indices add up).

    Args:
        indices: integers of shape ``(..., k)``: each row indexes the first ``k`` axes.
        values: the values, of shape ``indices.shape[:-1] + shape[k:]``.
        shape: the result's shape.

    Returns:
        An array of ``shape`` and ``values``'s dtype.

    Example:
        >>> import jax.numpy as jnp
        >>> scatter([[0, 1], [1, 1], [1, 1]], jnp.asarray([1.0, 1.0, 2.0]), (2, 2)).tolist()
        [[0.0, 1.0], [0.0, 3.0]]
    """
    values = convert(values)
    shape = tuple(_static_ints("shape", shape, "scatter"))
    key = _index_key(convert(indices), len(shape), "scatter")
    return jnp.zeros(shape, values.dtype).at[key].add(values)


@keras_op
def scatter_update(inputs: Any, indices: Any, updates: Any,
                   reduction: str | None = None) -> jax.Array:
    """``inputs`` with ``updates`` written at ``indices`` (``keras.ops.scatter_update``).

    Args:
        inputs: the array updated.
        indices: integers of shape ``(N, k)``: each row indexes the first ``k`` axes.
        updates: ``N`` updates, of shape ``(N, *inputs.shape[k:])`` (cast to ``inputs``'s
            dtype).
        reduction: how repeated indices combine with what is there: None (default: replace,
            one of the writes wins), ``"add"``, ``"max"``, ``"min"`` or ``"mul"``.

    Returns:
        The updated array, of ``inputs``'s shape and dtype.

    Example:
        >>> import jax.numpy as jnp
        >>> scatter_update(jnp.zeros(4), [[0], [0], [1]], jnp.ones(3), reduction="add").tolist()
        [2.0, 1.0, 0.0, 0.0]
    """
    if reduction is not None:
        if not isinstance(reduction, str) or reduction.lower() not in _REDUCTIONS:
            raise errors.JnetValueError(
                f"Invalid reduction: {reduction!r}. Supported values are: None, 'add', 'max', "
                f"'min', 'mul'."
            )
        reduction = reduction.lower()
    inputs = convert(inputs)
    key = _index_key(convert(indices), inputs.ndim, "scatter_update")
    updates = convert(updates).astype(inputs.dtype)
    at = inputs.at[key]
    if reduction is None:
        return at.set(updates)
    return {"add": at.add, "max": at.max, "min": at.min, "mul": at.multiply}[reduction](updates)


@keras_op
def unstack(x: Any, num: int | None = None, axis: int = 0) -> list[jax.Array]:
    """The slices of ``x`` along ``axis``, as a list (``keras.ops.unstack``).

    Args:
        x: the array.
        num: the size of ``axis`` (default None: inferred; when given it must match).
        axis: the axis unstacked (default 0; negative counts from the end).

    Returns:
        A list of ``x.shape[axis]`` arrays of rank ``x.ndim - 1``.

    Example:
        >>> import jax.numpy as jnp
        >>> [v.tolist() for v in unstack(jnp.asarray([[1, 2], [3, 4]]), axis=-1)]
        [[1, 3], [2, 4]]
    """
    x = convert(x)
    if not isinstance(axis, int) or not -x.ndim <= axis < x.ndim:
        raise errors.JnetValueError(
            f"unstack: `axis` {axis!r} is out of bounds for an array of rank {x.ndim} "
            f"(shape {x.shape})."
        )
    axis %= x.ndim
    if num is not None and num != x.shape[axis]:
        raise errors.JnetValueError(
            f"unstack: `num` is {num} but `x` has size {x.shape[axis]} along axis {axis}."
        )
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]
