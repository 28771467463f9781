""":class:`Node`: one recorded call of an operation (a layer, a model, an op) on KerasTensors,
as Keras's ``ops/node.py``; and where an operation keeps its nodes (:func:`inbound_nodes`).

A node knows its operation, the call's arguments (KerasTensors in place of arrays) and its
symbolic outputs; following each input tensor's ``_keras_history`` back to the node that made
it walks the graph a functional model is compiled from.

An operation is an *input* (``Node.is_input``) when its class sets ``_JNET_IS_INPUT_LAYER``
(``jnet.layers.InputLayer`` does): a class flag, so this module never imports layers.

Example:
    >>> from jnet.symbolic import KerasHistory, KerasTensor, Node, inbound_nodes, node_of
    >>> class Source:
    ...     _JNET_IS_INPUT_LAYER = True
    >>> op = Source()
    >>> t = KerasTensor((None, 2), _keras_history=KerasHistory(op, 0, 0))
    >>> inbound_nodes(op).append(Node(op, (), {}, t))
    >>> node_of(t).is_input, node_of(t).output_tensors == [t]
    (True, True)
"""

from __future__ import annotations

from typing import Any

from jnet.symbolic.keras_tensor import KerasTensor, flatten

__all__ = ["Node", "inbound_nodes", "node_of"]


class Node:
    """One call of a layer on symbolic tensors (Keras's ``Node``).

    Attributes:
        layer: the layer (or model, or op) called; also ``operation``.
        args, kwargs: the call's arguments, KerasTensors in place of arrays.
        outputs: the call's outputs, a KerasTensor or a pytree of them.
    """

    def __init__(self, layer: Any, args: tuple, kwargs: dict[str, Any], outputs: Any):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs

    @property
    def operation(self) -> Any:
        return self.layer

    @property
    def is_input(self) -> bool:
        return bool(getattr(type(self.layer), "_JNET_IS_INPUT_LAYER", False))

    @property
    def input_tensors(self) -> list[KerasTensor]:
        """The KerasTensors this call reads, in argument order."""
        return [t for t in flatten((self.args, self.kwargs)) if isinstance(t, KerasTensor)]

    @property
    def output_tensors(self) -> list[KerasTensor]:
        return [t for t in flatten(self.outputs) if isinstance(t, KerasTensor)]

    def argument_masks(self, names: tuple[str, ...], masks: dict[int, Any]) -> dict[str, Any]:
        """Keras's rule for a layer whose call takes ``<name>_mask`` (``MultiHeadAttention``):
        ``{'<name>_mask': mask}`` for each tensor argument ``name`` (positional in the order
        of ``names``, or by keyword) that has a mask in ``masks`` (by tensor id)."""
        out = {}
        for i, name in enumerate(names):
            tensor = self.args[i] if i < len(self.args) else self.kwargs.get(name)
            if isinstance(tensor, KerasTensor) and masks.get(id(tensor)) is not None:
                out[f"{name}_mask"] = masks[id(tensor)]
        return out

    @property
    def parent_nodes(self) -> list[Node]:
        """The nodes that made this node's inputs."""
        out = []
        for t in self.input_tensors:
            history = t._keras_history
            if history is not None:
                out.append(inbound_nodes(history.layer)[history.node_index])
        return out


def inbound_nodes(layer: Any) -> list[Node]:
    """The nodes recorded for ``layer`` (its calls on symbolic tensors), oldest first."""
    nodes = getattr(layer, "_jnet_inbound_nodes", None)
    if nodes is None:
        nodes = []
        object.__setattr__(layer, "_jnet_inbound_nodes", nodes)
    return nodes


def node_of(tensor: KerasTensor) -> Node:
    """The node that made ``tensor`` (from its ``_keras_history``)."""
    history = tensor._keras_history
    return inbound_nodes(history.layer)[history.node_index]
