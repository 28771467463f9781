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

__all__ = ["KerasHistory", "KerasTensor", "flatten", "has_keras_tensor", "register_operators"]

# Python operators on KerasTensors (``a + b``, ``x[:, 0]``) record the matching jnet.ops op;
# jnet.ops fills this table when it is imported (it sits above this module).
_OPERATORS: dict[str, Any] = {}


def register_operators(table: dict[str, Any]) -> None:
    """Sets the op behind each Python operator of :class:`KerasTensor` (``'add'``,
    ``'subtract'``, ``'get_item'``, ...); ``jnet.ops`` registers its ops at import."""
    _OPERATORS.update(table)


def _op(name: str) -> Any:
    try:
        return _OPERATORS[name]
    except KeyError:
        raise TypeError(
            f"Operator {name!r} on a KerasTensor needs jnet.ops: import jnet first."
        ) from None


def _binary(name: str, reflected: bool = False):
    def method(self, other):
        return _op(name)(other, self) if reflected else _op(name)(self, other)

    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    method.__qualname__ = f"KerasTensor.{method.__name__}"
    return method


def _unary(name: str):
    def method(self):
        return _op(name)(self)

    method.__name__ = f"__{name}__"
    method.__qualname__ = f"KerasTensor.{method.__name__}"
    return method


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

    # Python operators record the jnet.ops op, as Keras's KerasTensor does (``==`` and ``!=``
    # stay identity comparisons here: the graph code compares tensors).
    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("subtract"), _binary("subtract", True)
    __mul__, __rmul__ = _binary("multiply"), _binary("multiply", True)
    __matmul__, __rmatmul__ = _binary("matmul"), _binary("matmul", True)
    __truediv__, __rtruediv__ = _binary("true_divide"), _binary("true_divide", True)
    __floordiv__, __rfloordiv__ = _binary("floor_divide"), _binary("floor_divide", True)
    __mod__, __rmod__ = _binary("mod"), _binary("mod", True)
    __pow__, __rpow__ = _binary("power"), _binary("power", True)
    __lt__, __le__ = _binary("less"), _binary("less_equal")
    __gt__, __ge__ = _binary("greater"), _binary("greater_equal")
    __and__, __rand__ = _binary("logical_and"), _binary("logical_and", True)
    __or__, __ror__ = _binary("logical_or"), _binary("logical_or", True)
    __xor__, __rxor__ = _binary("logical_xor"), _binary("logical_xor", True)
    __neg__, __abs__ = _unary("negative"), _unary("absolute")
    __invert__ = _unary("logical_not")

    def __getitem__(self, key: Any) -> Any:
        return _op("get_item")(self, key)

    def __round__(self, ndigits: int | None = None) -> Any:
        return _op("round")(self, decimals=ndigits or 0)


def flatten(tree: Any) -> list[Any]:
    """The leaves of a pytree of KerasTensors/arrays (None kept), in JAX's order."""
    return jax.tree_util.tree_leaves(tree, is_leaf=lambda x: x is None)


def has_keras_tensor(tree: Any) -> bool:
    """Whether any leaf of ``tree`` is a :class:`KerasTensor` (a symbolic call)."""
    return any(isinstance(t, KerasTensor) for t in flatten(tree))
