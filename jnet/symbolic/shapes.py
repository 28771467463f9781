"""Shapes while tracing symbolically: the stand-in size of a free (None) axis, how two traces
at different stand-in sizes tell which output axes are free, and how a shape is written.

A layer's output shape is found by tracing it (``jax.eval_shape``, no computation) on inputs
whose free axes take a stand-in size, twice: at :data:`STAND_IN` and at ``STAND_IN + 3``.
An output axis whose size differs between the two follows a free input axis, so it is free
(None) too; weights whose size differs depend on a free axis, which is an error.

Example:
    >>> from jnet.symbolic.shapes import STAND_IN, format_shape, free_axes
    >>> free_axes((1, STAND_IN, 8), (1, STAND_IN + 3, 8))
    (None, None, 8)
    >>> format_shape((None, 8)), format_shape((None,))
    ('(None, 8)', '(None,)')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet.symbolic.keras_tensor import KerasTensor

__all__ = ["STAND_IN", "format_shape", "free_axes", "standin_specs", "tree_size"]

STAND_IN = 64  # the size a free (None) axis takes while a model traces its layers


def free_axes(a: Sequence[int], b: Sequence[int]) -> tuple[int | None, ...]:
    """``(None, *axes)``: the batch axis, then None where two traces disagree."""
    return (None, *(x if x == y else None for x, y in zip(a[1:], b[1:], strict=True)))


def standin_specs(tensors: Sequence[KerasTensor], size: int) -> list[jax.ShapeDtypeStruct]:
    """Array specs for ``tensors``: a free batch axis takes 1, other free axes ``size``."""
    specs = []
    for t in tensors:
        batch = t.shape[0] if t.shape and t.shape[0] is not None else 1
        dims = [size if d is None else d for d in t.shape[1:]]
        specs.append(jax.ShapeDtypeStruct((batch, *dims), jnp.dtype(t.dtype)))
    return specs


def tree_size(tree: Any) -> int:
    """The number of scalars in a pytree of arrays."""
    return int(sum(np.size(v) for v in jax.tree_util.tree_leaves(tree)))


def format_shape(shape: Sequence[int | None]) -> str:
    """A shape as Keras prints it: ``(None, 8)``, ``(None,)``."""
    dims = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({dims},)" if len(shape) == 1 else f"({dims})"
