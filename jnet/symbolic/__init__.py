"""The symbolic core: KerasTensors, the nodes of recorded calls, the symbolic call of an
operation, the call-context stack, and the names and stand-in sizes used while tracing.

It sits below ``ops``, the layers and the models (Keras keeps the same in ``ops/operation.py``,
``ops/node.py`` and ``backend/common/keras_tensor.py``) and imports only ``jnet.errors`` and
third-party code: a layer, a model or an op records a node through :func:`symbolic_call`
with duck-typed hooks (see :mod:`jnet.symbolic.call`), never the other way round.

* :mod:`~jnet.symbolic.keras_tensor`: ``KerasTensor``, ``KerasHistory``, ``flatten``;
* :mod:`~jnet.symbolic.node`: ``Node``, ``inbound_nodes``, ``node_of``;
* :mod:`~jnet.symbolic.call`: ``intercept``, ``symbolic_call``, ``node_attribute``;
* :mod:`~jnet.symbolic.operation`: Keras's ``Operation``, and the operation of an op's call;
* :mod:`~jnet.symbolic.function`: Keras's ``Function``, a graph of KerasTensors run on arrays;
* :mod:`~jnet.symbolic.scope`: Keras's ``SymbolicScope``;
* :mod:`~jnet.symbolic.context`: the call-context stack of subclassed models;
* :mod:`~jnet.symbolic.naming`: Keras's layer and model names;
* :mod:`~jnet.symbolic.source_inputs`: ``get_source_inputs`` (``keras.utils``'s);
* :mod:`~jnet.symbolic.shapes`: stand-in sizes of free axes, shape formatting.

Example:
    >>> import jnet
    >>> from jnet.symbolic import KerasTensor, inbound_nodes
    >>> x = jnet.Input(shape=(4,))
    >>> y = jnet.layers.Dense(2)(x)
    >>> isinstance(y, KerasTensor), y.shape
    (True, (None, 2))
    >>> inbound_nodes(y._keras_history.layer)[0].input_tensors == [x]
    True
"""

from jnet.symbolic.call import (
    flatten_call,
    intercept,
    node_attribute,
    rebuild_call,
    symbolic_call,
)
from jnet.symbolic.context import (
    call_context,
    current_context,
    pop_context,
    push_context,
)
from jnet.symbolic.function import Function
from jnet.symbolic.keras_tensor import (
    KerasHistory,
    KerasTensor,
    flatten,
    has_keras_tensor,
)
from jnet.symbolic.naming import (
    auto_name,
    default_name,
    snake_case,
    unique_names,
)
from jnet.symbolic.node import Node, inbound_nodes, node_of
from jnet.symbolic.operation import FunctionOperation, Operation, any_symbolic
from jnet.symbolic.scope import SymbolicScope, get_symbolic_scope, in_symbolic_scope
from jnet.symbolic.shapes import (
    STAND_IN,
    format_shape,
    free_axes,
    standin_specs,
    tree_size,
)
from jnet.symbolic.source_inputs import get_source_inputs

__all__ = [
    "STAND_IN",
    "SymbolicScope",
    "Function",
    "FunctionOperation",
    "Operation",
    "any_symbolic",
    "KerasHistory",
    "KerasTensor",
    "Node",
    "call_context",
    "current_context",
    "default_name",
    "flatten",
    "flatten_call",
    "format_shape",
    "free_axes",
    "get_symbolic_scope",
    "has_keras_tensor",
    "in_symbolic_scope",
    "inbound_nodes",
    "intercept",
    "node_attribute",
    "node_of",
    "pop_context",
    "push_context",
    "rebuild_call",
    "snake_case",
    "auto_name",
    "get_source_inputs",
    "standin_specs",
    "symbolic_call",
    "tree_size",
    "unique_names",
]
