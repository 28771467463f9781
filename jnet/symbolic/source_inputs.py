"""Keras's ``keras.utils.get_source_inputs``: the input tensors a symbolic tensor is computed
from (``ops/operation_utils.py``), found by walking the recorded calls back to the inputs.

Example:
    >>> import jnet
    >>> a, b = jnet.Input((3,), name="a"), jnet.Input((3,), name="b")
    >>> total = jnet.layers.Add()([jnet.layers.Dense(3)(a), b])
    >>> [t.name for t in get_source_inputs(total)]
    ['a', 'b']
"""

from __future__ import annotations

from typing import Any

from jnet.symbolic.keras_tensor import KerasTensor
from jnet.symbolic.node import inbound_nodes

__all__ = ["get_source_inputs"]


def get_source_inputs(tensor: Any) -> Any:
    """Returns the list of input tensors necessary to compute ``tensor``.

    As Keras: a tensor made by no recorded call is its own source (``[tensor]``), the walk
    stops at input layers, each source is listed once, in the order first reached, and a
    value that is not a symbolic tensor is returned as it is.

    Args:
        tensor: the symbolic tensor (``jnet.Input`` or a layer's output on one) to start from.

    Returns:
        A list of the input tensors (``jnet.Input(...)`` results) it depends on.

    Example:
        >>> import jnet
        >>> x = jnet.Input((4,), name="x")
        >>> y = jnet.layers.Dense(2)(jnet.layers.Dense(3)(x))
        >>> get_source_inputs(y)[0] is x
        True
    """
    if not isinstance(tensor, KerasTensor):
        return tensor
    history = tensor._keras_history
    if history is None or not inbound_nodes(history.layer):
        return [tensor]
    node = inbound_nodes(history.layer)[history.node_index]
    if node.is_input:
        return node.output_tensors
    sources: list[Any] = []
    stack = list(reversed(node.input_tensors))  # iterative: deep graphs need no recursion
    seen: set[int] = set()
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        h = t._keras_history
        parent = inbound_nodes(h.layer)[h.node_index] if h is not None and inbound_nodes(
            h.layer) else None
        if parent is None or parent.is_input:
            found = [t] if parent is None else parent.output_tensors
            sources.extend(x for x in found if all(x is not s for s in sources))
        else:
            stack.extend(reversed(parent.input_tensors))
    return sources
