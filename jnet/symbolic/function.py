"""Keras's ``keras.Function``: a graph of KerasTensors run on arrays, without a model.

``Function(inputs, outputs)`` records the nodes that lead from ``inputs`` to ``outputs`` (in
an order where each node's inputs come first); calling it on arrays (the structure of
``inputs``) calls each node's operation (a layer, on its own weights, or a ``jnet.ops``
function) on the values, as Keras's ``Function._run_through_graph`` does, and returns the
values of ``outputs`` in their structure. No weights are created: layers run as eager calls.

Example:
    >>> import numpy as np, jnet
    >>> x = jnet.Input((3,))
    >>> y = jnet.ops.sum(jnet.ops.multiply(x, 2.0), axis=-1)
    >>> fn = jnet.Function(x, y)
    >>> fn(np.ones((2, 3), "float32")).tolist()
    [6.0, 6.0]
"""

from __future__ import annotations

from typing import Any

import jax

from jnet import errors
from jnet.symbolic.call import flatten_call, rebuild_call
from jnet.symbolic.keras_tensor import KerasTensor, flatten
from jnet.symbolic.node import Node, node_of
from jnet.symbolic.operation import Operation

__all__ = ["Function"]


def _tensors(tree: Any, argument: str) -> list[KerasTensor]:
    leaves = flatten(tree)
    bad = [t for t in leaves if not isinstance(t, KerasTensor)]
    if bad or not leaves:
        raise errors.JnetTypeError(
            f"Function: {argument} must be KerasTensors (jnet.Input(...) and what layers and "
            f"ops make from them), or a list/dict of them; received "
            f"{errors.describe(bad[0] if bad else tree)}."
        )
    return leaves


def _ordered_nodes(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> list[Node]:
    """The nodes between ``inputs`` and ``outputs``, each after the nodes of its inputs."""
    known = {id(t) for t in inputs}
    done: set[int] = set()
    order: list[Node] = []
    stack: list[tuple[Node, bool]] = []

    def push(tensor: KerasTensor) -> None:
        if id(tensor) in known:
            return
        node = node_of(tensor) if tensor._keras_history is not None else None
        if node is None or node.is_input:
            raise errors.JnetValueError(
                f"Function: graph disconnected: {tensor!r} is needed for the outputs but "
                f"cannot be reached from the inputs. Pass every jnet.Input the outputs "
                f"depend on in `inputs`."
            )
        if id(node) not in done:
            stack.append((node, False))

    for tensor in outputs:
        push(tensor)
        while stack:
            node, expanded = stack.pop()
            if id(node) in done:
                continue
            if expanded:
                done.add(id(node))
                order.append(node)
                continue
            stack.append((node, True))
            for parent in node.input_tensors:
                push(parent)
    return order


class Function(Operation):
    """A graph of KerasTensors as a function of arrays (``keras.Function``).

    Args:
        inputs: a KerasTensor, or a list or dict of them (``jnet.Input``).
        outputs: KerasTensors computed from ``inputs``, in any structure.
        name: the function's name. Defaults to ``'function'``.

    Raises:
        JnetTypeError: for inputs or outputs that are not KerasTensors.
        JnetValueError: when an output needs a tensor not computed from ``inputs``.

    Example:
        >>> import numpy as np, jnet
        >>> a, b = jnet.Input((2,)), jnet.Input((2,))
        >>> fn = jnet.Function([a, b], {"sum": a + b, "diff": a - b})
        >>> out = fn([np.ones((1, 2), "float32"), np.ones((1, 2), "float32")])
        >>> out["sum"].tolist(), out["diff"].tolist()
        ([[2.0, 2.0]], [[0.0, 0.0]])
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None):
        super().__init__(name or "function")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs = _tensors(inputs, "inputs")
        self._outputs = _tensors(outputs, "outputs")
        self._nodes = _ordered_nodes(self._inputs, self._outputs)

    @property
    def inputs(self) -> list[KerasTensor]:
        """The input KerasTensors, flattened."""
        return list(self._inputs)

    @property
    def outputs(self) -> list[KerasTensor]:
        """The output KerasTensors, flattened."""
        return list(self._outputs)

    @property
    def operations(self) -> list[Any]:
        """The operations (layers, ops) of the graph, each once, in the order they run."""
        out: list[Any] = []
        for node in self._nodes:
            if not any(op is node.operation for op in out):
                out.append(node.operation)
        return out

    def call(self, inputs: Any) -> Any:
        """Runs the graph on arrays given in the structure of ``inputs``."""
        values = flatten(inputs)
        if len(values) != len(self._inputs):
            raise errors.JnetValueError(
                f"Function {self.name!r} takes {len(self._inputs)} input array(s) (the "
                f"structure of its inputs), received {len(values)}."
            )
        known = {id(t): v for t, v in zip(self._inputs, values, strict=True)}
        for node in self._nodes:
            leaves, treedef, positions = flatten_call(node.args, node.kwargs)
            args, kwargs = rebuild_call(
                leaves, positions, [known[id(leaves[p])] for p in positions], treedef
            )
            result = node.operation(*args, **kwargs)
            for tensor, value in zip(flatten(node.outputs), flatten(result), strict=False):
                if isinstance(tensor, KerasTensor):
                    known[id(tensor)] = value
        treedef = jax.tree_util.tree_structure(self._outputs_struct, is_leaf=lambda x: x is None)
        return jax.tree_util.tree_unflatten(treedef, [known[id(t)] for t in self._outputs])
