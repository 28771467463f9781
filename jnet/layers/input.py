"""``jnet.Input``, ``InputLayer`` and symbolic tensors: declaring a model's inputs the Keras way.

``jnet.Input(shape=...)`` returns a :class:`KerasTensor`: a shape and a dtype, with the history
of how it was made (the layer, its call and the position among that call's outputs). Calling a
jnet layer on KerasTensors records a :class:`Node` and returns new KerasTensors; a
``jnet.Model(inputs, outputs)`` turns the recorded graph into one pure function.

Example:
    >>> import jnet
    >>> x = jnet.Input(shape=(10,))
    >>> x.shape
    (None, 10)
    >>> model = jnet.Sequential([x, jnet.layers.Dense(1)])
    >>> model.input_shape
    (None, 10)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import flax.linen as nn
import jax

from jnet import errors
from jnet.layers.base import Layer, _check_shape

__all__ = ["Input", "InputLayer", "KerasTensor", "KerasHistory", "Node"]


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


# Symbolic tensors are leaves of JAX pytrees (lists/dicts/tuples of them are walked as usual).


class Node:
    """One call of a layer on symbolic tensors (Keras's ``Node``).

    Attributes:
        layer: the layer (or model) called.
        args, kwargs: the call's arguments, KerasTensors in place of arrays.
        outputs: the call's outputs, a KerasTensor or a pytree of them.
    """

    def __init__(self, layer: Any, args: tuple, kwargs: dict[str, Any], outputs: Any):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs

    @property
    def is_input(self) -> bool:
        return isinstance(self.layer, InputLayer)

    @property
    def input_tensors(self) -> list[KerasTensor]:
        """The KerasTensors this call reads, in argument order."""
        return [t for t in flatten((self.args, self.kwargs)) if isinstance(t, KerasTensor)]

    @property
    def output_tensors(self) -> list[KerasTensor]:
        return [t for t in flatten(self.outputs) if isinstance(t, KerasTensor)]

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes that made this node's inputs."""
        out = []
        for t in self.input_tensors:
            history = t._keras_history
            if history is not None:
                out.append(inbound_nodes(history.layer)[history.node_index])
        return out


def flatten(tree: Any) -> list[Any]:
    """The leaves of a pytree of KerasTensors/arrays (None kept), in JAX's order."""
    return jax.tree_util.tree_leaves(tree, is_leaf=lambda x: x is None)


def inbound_nodes(layer: Any) -> list[Node]:
    """The nodes recorded for ``layer`` (its calls on symbolic tensors), oldest first."""
    nodes = getattr(layer, "_jnet_inbound_nodes", None)
    if nodes is None:
        nodes = []
        object.__setattr__(layer, "_jnet_inbound_nodes", nodes)
    return nodes


def Input(  # noqa: N802 - Keras's name
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    name: str | None = None,
    batch_shape: Any = None,
) -> KerasTensor:
    """Declares a model input, as ``keras.Input``.

    Args:
        shape: the shape of one sample, without the batch axis, e.g. ``(784,)``.
        batch_size: an optional fixed batch size.
        dtype: the input dtype (default float32).
        name: an optional name (a model names unnamed inputs ``input_layer``,
            ``input_layer_1``, ...).
        batch_shape: the full shape including the batch axis, instead of ``shape``.

    Returns:
        A :class:`KerasTensor` of shape ``(batch_size, *shape)``.

    Example:
        >>> import jnet
        >>> x = jnet.Input(shape=(28, 28, 1), name="image")
        >>> x.shape, x.name
        ((None, 28, 28, 1), 'image')
    """
    if shape is None and batch_shape is None:
        raise errors.JnetValueError(
            "Input needs shape=(...) (one sample's shape, without the batch axis) or "
            "batch_shape=(...)."
        )
    if batch_shape is not None:
        full = tuple(batch_shape)
        _check_shape("batch_shape", full[1:], "Input")
    else:
        if isinstance(shape, int):
            shape = (shape,)
        _check_shape("shape", shape, "Input")
        full = (batch_size, *tuple(shape))
    layer = InputLayer(shape=full[1:], batch_size=full[0], dtype=dtype, name=name)
    return layer._jnet_make_tensor()


class InputLayer(Layer):
    """The layer behind :func:`Input`; a ``Sequential`` turns it into its input shape.

    Args:
        shape: the shape of one sample, without the batch axis.
        batch_size: an optional fixed batch size.
        dtype: the input dtype (default float32).

    Example:
        >>> import jnet
        >>> x = jnet.Input(shape=(3,))
        >>> type(x._keras_history.layer).__name__
        'InputLayer'
    """

    shape: Any = None
    batch_size: Any = None
    dtype: Any = None

    @property
    def batch_shape(self) -> tuple[int | None, ...]:
        return (self.batch_size, *tuple(self.shape or ()))

    @nn.nowrap
    def _jnet_make_tensor(self) -> KerasTensor:
        """The KerasTensor this layer stands for (made once, at its first node)."""
        nodes = inbound_nodes(self)
        if nodes:
            return nodes[0].outputs
        tensor = KerasTensor(
            shape=self.batch_shape,
            dtype=str(self.dtype or "float32"),
            name=self.name,
            _keras_history=KerasHistory(self, 0, 0),
        )
        nodes.append(Node(self, (), {}, tensor))
        return tensor

    def __call__(self, inputs, training: bool = False):
        return inputs
