"""Merging layers: combine a list of tensors into one (``Add``, ``Concatenate``, ``Dot``, ...).

Each layer's ``__call__`` takes a list (or tuple) of arrays, as Keras's merge layers do. The
element-wise layers (``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``,
``Minimum``) follow Keras's broadcasting: inputs of lower rank get axes of size 1 inserted
after the batch axis until the ranks agree, then axes of size 1 broadcast. Masks merge as in
Keras: ``compute_mask(inputs, masks)`` ORs a list of masks (``Concatenate`` concatenates them;
``Dot`` drops them), and ``Maximum``/``Minimum``/``Multiply`` read the masks in their
computation when given ``mask=[...]``.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.layers.merging import Add, Concatenate
    >>> a, b = jnp.ones((2, 3)), jnp.full((2, 3), 2.0)
    >>> Add().apply({}, [a, b]).tolist()
    [[3.0, 3.0, 3.0], [3.0, 3.0, 3.0]]
    >>> Concatenate().apply({}, [a, b]).shape
    (2, 6)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer, cast_inputs

__all__ = [
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]

_EPSILON = 1e-7  # keras.config.epsilon(), used by Dot(normalize=True)


def _as_list(inputs: Any, owner: str) -> list[Any]:
    if not isinstance(inputs, list | tuple):
        raise errors.JnetValueError(
            f"{owner}: a merge layer should be called on a list of inputs, received "
            f"{errors.describe(inputs)}. Write {owner}()([x1, x2])."
        )
    if len(inputs) < 1:
        raise errors.JnetValueError(
            f"{owner}: a merge layer should be called on a list of at least 1 input, received "
            f"an empty list."
        )
    return list(inputs)


def _shapes(inputs: Sequence[Any]) -> list[tuple[int, ...]]:
    return [tuple(np.shape(x)) for x in inputs]


def _check_batch(shapes: Sequence[tuple[int, ...]], owner: str) -> None:
    for shape in shapes:
        if len(shape) < 1:
            raise errors.JnetValueError(
                f"{owner}: inputs must have a batch axis, received shapes {list(shapes)}."
            )
    if len({s[0] for s in shapes}) > 1:
        raise errors.JnetValueError(
            f"{owner}: cannot merge tensors with different batch sizes. Received tensors with "
            f"shapes {list(shapes)}."
        )


def _elementwise_shape(a: tuple[int, ...], b: tuple[int, ...], owner: str) -> tuple[int, ...]:
    """Keras's ``_compute_elemwise_op_output_shape`` on per-sample shapes (right-aligned)."""
    if len(a) < len(b):
        return _elementwise_shape(b, a, owner)
    if not b:
        return a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b, strict=True):
        if i != j and i != 1 and j != 1:
            raise errors.JnetValueError(
                f"{owner}: inputs have incompatible shapes. Received shapes {a} and {b} "
                f"(batch axis excluded); each axis must be equal or 1."
            )
        out.append(j if i == 1 else i)
    return tuple(out)


def _expand_mask(mask: Any, x: jax.Array) -> jax.Array:
    """A (batch, ...) mask broadcast to ``x``'s shape: ``expand_dims(mask, -1)`` broadcast."""
    mask = jnp.asarray(mask).astype(bool)
    return jnp.broadcast_to(jnp.expand_dims(mask, -1), x.shape)


def _check_masks(inputs: Sequence[Any], mask: Any, owner: str) -> list[Any] | None:
    if mask is None:
        return None
    if not isinstance(mask, list | tuple) and len(inputs) == 1:
        mask = [mask]  # one input's mask, given bare
    if not isinstance(mask, list | tuple):
        raise errors.JnetValueError(
            f"{owner}: mask should be a list (one mask or None per input), received "
            f"{errors.describe(mask)}."
        )
    if len(mask) != len(inputs):
        raise errors.JnetValueError(
            f"{owner}: the lists inputs and mask should have the same length, received "
            f"{len(inputs)} inputs and {len(mask)} masks."
        )
    return list(mask)


class _Merge(Layer):
    """Base of the element-wise merge layers (Keras's ``Merge``)."""

    SUPPORTS_MASKING: ClassVar[bool] = True
    ACCEPTS_MASK: ClassVar[bool] = True

    @nn.nowrap
    def check_in_sequential(self) -> None:
        raise errors.JnetValueError(
            f"{type(self).__name__} merges a list of tensors and cannot be a step of a "
            f"Sequential model: build the model with the functional API, "
            f"jnet.Model(inputs, outputs)."
        )

    @nn.nowrap
    def _prepare(self, inputs: Any) -> list[jax.Array]:
        """Checked float32 inputs, lower ranks expanded at axis 1 (Keras's reshape rule)."""
        owner = type(self).__name__
        xs = [cast_inputs(x) for x in _as_list(inputs, owner)]
        shapes = _shapes(xs)
        _check_batch(shapes, owner)
        out: tuple[int, ...] = shapes[0][1:]
        for shape in shapes[1:]:
            out = _elementwise_shape(out, shape[1:], owner)
        rank = max(len(s) for s in shapes)
        return [jnp.reshape(x, (x.shape[0], *(1,) * (rank - x.ndim), *x.shape[1:])) for x in xs]

    def _merge(self, xs: list[jax.Array], masks: list[Any] | None) -> jax.Array:
        raise NotImplementedError

    def __call__(self, inputs, training: bool = False, mask: Any = None):
        xs = self._prepare(inputs)
        masks = _check_masks(xs, mask, type(self).__name__)
        return self._merge(xs, masks)

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The OR of the inputs' masks; None unless every input has one (Keras's rule)."""
        if mask is None:
            return None
        owner = type(self).__name__
        masks = _check_masks(_as_list(inputs, owner), mask, owner)
        if any(m is None for m in masks):
            return None
        out = jnp.asarray(masks[0]).astype(bool)
        for m in masks[1:]:
            out = jnp.logical_or(out, jnp.asarray(m).astype(bool))
        return out


def _merge_or_masked(
    op: Callable[[jax.Array, jax.Array], jax.Array],
    xs: list[jax.Array],
    masks: list[Any] | None,
) -> jax.Array:
    """Keras's ``_apply_merge_op_and_or_mask``: masked entries take the other input's value."""
    masks = masks or [None] * len(xs)
    output = output_mask = None
    for x, mask in zip(xs, masks, strict=True):
        if mask is not None:
            mask = _expand_mask(mask, x)
        if output is None:
            output, output_mask = x, mask
            continue
        if mask is not None:
            x = jnp.where(mask, x, output)
        if output_mask is not None:
            output = jnp.where(output_mask, output, x)
        output_mask = (
            jnp.logical_or(output_mask, mask)
            if mask is not None and output_mask is not None
            else None
        )
        output = op(output, x)
    return output


class Add(_Merge):
    """Adds a list of inputs element-wise (Keras's ``Add``).

    Takes a list of tensors of the same shape (or shapes that broadcast) and returns their
    sum.

    Example:
        >>> import jax.numpy as jnp
        >>> Add().apply({}, [jnp.ones((1, 2)), jnp.ones((1, 2))]).tolist()
        [[2.0, 2.0]]
    """

    def _merge(self, xs, masks):
        output = xs[0]
        for x in xs[1:]:
            output = output + x
        return output


class Subtract(_Merge):
    """Subtracts two inputs, ``inputs[0] - inputs[1]`` (Keras's ``Subtract``).

    Example:
        >>> import jax.numpy as jnp
        >>> Subtract().apply({}, [jnp.full((1, 2), 3.0), jnp.ones((1, 2))]).tolist()
        [[2.0, 2.0]]
    """

    def _merge(self, xs, masks):
        if len(xs) != 2:
            raise errors.JnetValueError(
                f"Subtract: a Subtract layer should be called on exactly 2 inputs, received "
                f"{len(xs)}."
            )
        return xs[0] - xs[1]


class Multiply(_Merge):
    """Multiplies a list of inputs element-wise (Keras's ``Multiply``).

    With masks for every input (``mask=[m1, m2]``), masked entries count as 1 in the product
    and entries masked in every input are 0, as in Keras.

    Example:
        >>> import jax.numpy as jnp
        >>> Multiply().apply({}, [jnp.full((1, 2), 3.0), jnp.full((1, 2), 2.0)]).tolist()
        [[6.0, 6.0]]
    """

    def _merge(self, xs, masks):
        masks = masks or [None] * len(xs)
        all_masked = all(m is not None for m in masks)
        output = output_mask = None
        for x, mask in zip(xs, masks, strict=True):
            if mask is not None:
                mask = _expand_mask(mask, x)
                x = jnp.where(mask, x, jnp.ones_like(x))
                if all_masked:
                    output_mask = mask if output_mask is None else jnp.logical_or(
                        output_mask, mask
                    )
            output = x if output is None else output * x
        if all_masked:
            output = jnp.where(output_mask, output, jnp.zeros_like(output))
        return output


class Average(_Merge):
    """Averages a list of inputs element-wise (Keras's ``Average``).

    Example:
        >>> import jax.numpy as jnp
        >>> Average().apply({}, [jnp.ones((1, 2)), jnp.full((1, 2), 3.0)]).tolist()
        [[2.0, 2.0]]
    """

    def _merge(self, xs, masks):
        output = xs[0]
        for x in xs[1:]:
            output = output + x
        return output / jnp.float32(len(xs))


class Maximum(_Merge):
    """The element-wise maximum of a list of inputs (Keras's ``Maximum``).

    Example:
        >>> import jax.numpy as jnp
        >>> Maximum().apply({}, [jnp.array([[1.0, 5.0]]), jnp.array([[4.0, 2.0]])]).tolist()
        [[4.0, 5.0]]
    """

    def _merge(self, xs, masks):
        return _merge_or_masked(jnp.maximum, xs, masks)


class Minimum(_Merge):
    """The element-wise minimum of a list of inputs (Keras's ``Minimum``).

    Example:
        >>> import jax.numpy as jnp
        >>> Minimum().apply({}, [jnp.array([[1.0, 5.0]]), jnp.array([[4.0, 2.0]])]).tolist()
        [[1.0, 2.0]]
    """

    def _merge(self, xs, masks):
        return _merge_or_masked(jnp.minimum, xs, masks)


class Concatenate(_Merge):
    """Concatenates a list of inputs along ``axis`` (Keras's ``Concatenate``).

    All inputs must have the same shape except along the concatenation axis.

    Args:
        axis: the axis to concatenate along. Default -1.

    Example:
        >>> import jax.numpy as jnp
        >>> Concatenate(axis=1).apply({}, [jnp.ones((2, 2, 5)), jnp.ones((2, 1, 5))]).shape
        (2, 3, 5)
    """

    axis: int = -1

    def __post_init__(self):
        if isinstance(self.axis, bool) or not isinstance(self.axis, int | np.integer):
            raise errors.JnetTypeError(
                f"Concatenate: axis must be an integer, received {self.axis!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def _axis(self, rank: int) -> int:
        if not -rank <= self.axis < rank:
            raise errors.JnetValueError(
                f"Concatenate: axis={self.axis} is out of range for inputs of rank {rank}."
            )
        return self.axis % rank

    @nn.nowrap
    def _prepare(self, inputs: Any) -> list[jax.Array]:
        xs = [cast_inputs(x) for x in _as_list(inputs, "Concatenate")]
        shapes = _shapes(xs)
        _check_batch(shapes, "Concatenate")
        ranks = {len(s) for s in shapes}
        message = (
            f"Concatenate: a Concatenate layer requires inputs with matching shapes except for "
            f"the concatenation axis (axis={self.axis}). Received: input_shape={shapes}."
        )
        if len(ranks) != 1:
            raise errors.JnetValueError(message)
        axis = self._axis(ranks.pop())
        rest = {s[:axis] + s[axis + 1:] for s in shapes}
        if len(rest) != 1:
            raise errors.JnetValueError(message)
        return xs

    def _merge(self, xs, masks):
        return jnp.concatenate(xs, axis=self._axis(xs[0].ndim))

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """Keras's rule: each input's mask (all True when None) broadcast to the input's
        shape, concatenated along ``axis``, then ``any`` over the last axis."""
        if mask is None:
            return None
        inputs = _as_list(inputs, "Concatenate")
        masks = _check_masks(inputs, mask, "Concatenate")
        if all(m is None for m in masks):
            return None
        full = []
        for x, m in zip(inputs, masks, strict=True):
            shape = tuple(np.shape(x))
            if m is None:
                full.append(jnp.ones(shape, bool))
                continue
            m = jnp.asarray(m).astype(bool)
            if m.ndim < len(shape):
                m = jnp.broadcast_to(jnp.expand_dims(m, -1), shape)
            full.append(m)
        concatenated = jnp.concatenate(full, axis=self._axis(full[0].ndim))
        return jnp.any(concatenated, axis=-1)


class Dot(_Merge):
    """The dot product of two inputs along the given axes, per sample (Keras's ``Dot``).

    For inputs of shapes ``(batch, 3, 5)`` and ``(batch, 10, 3)`` and ``axes=(1, 2)`` the
    output has shape ``(batch, 5, 10)``: the first input's remaining axes, then the second's.
    An output of rank 1 becomes ``(batch, 1)``.

    Args:
        axes: an integer, or a tuple of two integers (one axis per input), along which to take
            the dot product. The batch axis 0 cannot be included.
        normalize: whether to L2-normalize both inputs along the dot axes first (the output is
            then the cosine similarity). Default False.

    Example:
        >>> import jax.numpy as jnp
        >>> Dot(axes=1).apply({}, [jnp.ones((2, 4)), jnp.full((2, 4), 0.5)]).tolist()
        [[2.0], [2.0]]
    """

    axes: Any
    normalize: bool = False

    SUPPORTS_MASKING: ClassVar[bool] = True
    ACCEPTS_MASK: ClassVar[bool] = False

    def __post_init__(self):
        axes = self.axes
        if not _is_int(axes):
            if not isinstance(axes, list | tuple):
                raise errors.JnetTypeError(
                    f"Dot: axes must be an integer or a tuple of 2 integers, received "
                    f"{axes!r}. Write Dot(axes=1) or Dot(axes=(1, 2))."
                )
            if len(axes) != 2 or not all(_is_int(a) for a in axes):
                raise errors.JnetValueError(
                    f"Dot: axes must be an integer or a tuple of 2 integers, received "
                    f"{axes!r}."
                )
        super().__post_init__()

    @nn.nowrap
    def _resolved_axes(self, ranks: Sequence[int]) -> list[int]:
        given = [self.axes] * 2 if _is_int(self.axes) else list(self.axes)
        axes = []
        for axis, rank in zip(given, ranks, strict=True):
            if not -rank <= int(axis) < rank:
                raise errors.JnetValueError(
                    f"Dot: axes={self.axes!r} is out of range for inputs of ranks {list(ranks)}."
                )
            axes.append(int(axis) % rank)
        if 0 in axes:
            raise errors.JnetValueError(
                f"Dot: cannot take the dot product over the batch axis 0 (axes={self.axes!r}). "
                f"If your inputs are not batched, add a batch axis: x[None]."
            )
        return axes

    @nn.nowrap
    def _prepare(self, inputs: Any) -> list[jax.Array]:
        xs = [cast_inputs(x) for x in _as_list(inputs, "Dot")]
        if len(xs) != 2:
            raise errors.JnetValueError(
                f"Dot: a Dot layer should be called on a list of exactly 2 inputs, received "
                f"{len(xs)}."
            )
        shapes = _shapes(xs)
        if min(len(s) for s in shapes) < 2:
            raise errors.JnetValueError(
                f"Dot: inputs must have rank >= 2 (batch, features...), received shapes "
                f"{shapes}."
            )
        _check_batch(shapes, "Dot")
        a0, a1 = self._resolved_axes([len(s) for s in shapes])
        if shapes[0][a0] != shapes[1][a1]:
            raise errors.JnetValueError(
                f"Dot: incompatible input shapes: axis values {shapes[0][a0]} (at axis {a0}) != "
                f"{shapes[1][a1]} (at axis {a1}). Full input shapes: {shapes[0]}, {shapes[1]}."
            )
        return xs

    def _merge(self, xs, masks):
        x, y = xs
        a0, a1 = self._resolved_axes([x.ndim, y.ndim])
        if self.normalize:
            x, y = _l2_normalize(x, a0), _l2_normalize(y, a1)
        out = jax.lax.dot_general(x, y, (((a0,), (a1,)), ((0,), (0,))))
        if out.ndim == 1:
            out = jnp.reshape(out, (out.shape[0], 1))
        return out

    def __call__(self, inputs, training: bool = False):
        return self._merge(self._prepare(inputs), None)

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """Always None: Keras's ``Dot`` drops masks."""
        return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _l2_normalize(x: jax.Array, axis: int) -> jax.Array:
    """Keras's ``normalize(x, axis)``: ``x * min(rsqrt(sum(x**2)), 1 / epsilon)``."""
    inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
    return x * jnp.minimum(inv_norm, jnp.float32(1.0 / _EPSILON))


# -- Keras's functional shortcuts: ``add([x1, x2])`` is ``Add()([x1, x2])`` --------------------


def add(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.add``: the elementwise sum, ``Add(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> add([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[3.0, 5.0]]
    """
    return Add(**kwargs)(inputs)

def subtract(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.subtract``: first minus second, ``Subtract(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> subtract([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[1.0, 1.0]]
    """
    return Subtract(**kwargs)(inputs)

def multiply(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.multiply``: the elementwise product, ``Multiply(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> multiply([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[2.0, 6.0]]
    """
    return Multiply(**kwargs)(inputs)

def average(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.average``: the elementwise mean, ``Average(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> average([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[1.5, 2.5]]
    """
    return Average(**kwargs)(inputs)

def maximum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.maximum``: the elementwise maximum, ``Maximum(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> maximum([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[2.0, 3.0]]
    """
    return Maximum(**kwargs)(inputs)

def minimum(inputs: Sequence[Any], **kwargs: Any) -> Any:
    """Keras's ``keras.layers.minimum``: the elementwise minimum, ``Minimum(**kwargs)(inputs)``.

    Args:
        inputs: a list of tensors of one shape (KerasTensors, or arrays to compute now).

    Example:
        >>> minimum([jnp.array([[2.0, 3.0]]), jnp.array([[1.0, 2.0]])]).tolist()
        [[1.0, 2.0]]
    """
    return Minimum(**kwargs)(inputs)

def concatenate(inputs: Sequence[Any], axis: int = -1, **kwargs: Any) -> Any:
    """Keras's ``keras.layers.concatenate``: ``Concatenate(axis=axis, **kwargs)(inputs)``.

    Args:
        inputs: a list of tensors whose shapes agree except along ``axis``.
        axis: the axis to join along. Defaults to -1.

    Example:
        >>> concatenate([jnp.ones((2, 3)), jnp.zeros((2, 1))]).shape
        (2, 4)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs: Sequence[Any], axes: Any = -1, **kwargs: Any) -> Any:
    """Keras's ``keras.layers.dot``: the dot product, ``Dot(axes=axes, **kwargs)(inputs)``.

    Args:
        inputs: a list of two tensors.
        axes: an integer, or a pair of integers (one axis per input), to sum over.
        **kwargs: the layer's arguments (``normalize``, ``name``).

    Example:
        >>> dot([jnp.array([[1.0, 2.0]]), jnp.array([[3.0, 4.0]])], axes=1).tolist()
        [[11.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
