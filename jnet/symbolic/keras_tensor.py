"""Symbolic tensors: :class:`KerasTensor` (a shape, a dtype, a name) and :class:`KerasHistory`
(the call that made it), as Keras's ``backend/common/keras_tensor.py``.

``jnet.Input(shape=...)`` returns a KerasTensor; calling a layer (or, later, an op) on
KerasTensors records a :class:`~jnet.symbolic.node.Node` and returns new KerasTensors.
KerasTensors are leaves of JAX pytrees: lists, dicts and tuples of them are walked as usual.

Example:
    >>> from jnet.symbolic import KerasTensor, flatten, has_keras_tensor
    >>> t = KerasTensor(shape=(None, 3))
    >>> t.ndim, has_keras_tensor([1.0, {"x": t}]), len(flatten([t, None, t]))
    (2, True, 3)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax

__all__ = ["KerasHistory", "KerasTensor", "flatten", "has_keras_tensor"]


@dataclasses.dataclass(frozen=True)
class KerasHistory:
    """Where a :class:`KerasTensor` comes from: ``layer._inbound_nodes[node_index]``'s output
    number ``tensor_index`` (Keras's ``_keras_history``)."""

    layer: Any
    node_index: int
    tensor_index: int

    @property
    def operation(self) -> Any:
        return self.layer


@dataclasses.dataclass(eq=False)
class KerasTensor:
    """A symbolic tensor: a shape (batch axis first, None when free), a dtype and a name.

    Tensors compare by identity (two inputs of the same shape are different tensors).
    """

    shape: tuple[int | None, ...]
    dtype: str = "float32"
    name: str | None = None
    _keras_history: KerasHistory | None = dataclasses.field(default=None, repr=False)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"


def flatten(tree: Any) -> list[Any]:
    """The leaves of a pytree of KerasTensors/arrays (None kept), in JAX's order."""
    return jax.tree_util.tree_leaves(tree, is_leaf=lambda x: x is None)


def has_keras_tensor(tree: Any) -> bool:
    """Whether any leaf of ``tree`` is a :class:`KerasTensor` (a symbolic call)."""
    return any(isinstance(t, KerasTensor) for t in flatten(tree))
