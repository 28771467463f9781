"""jnet.symbolic: the symbolic core below ops, layers and models (any callable records a node)."""

import ast
import pathlib

import jax.numpy as jnp
import pytest

import jnet
from jnet import errors, symbolic
from jnet.symbolic import KerasHistory, KerasTensor, Node


def test_symbolic_imports_nothing_above_it():
    """Floor 3: jnet.symbolic imports only jnet.errors, itself and third-party packages."""
    root = pathlib.Path(symbolic.__file__).parent
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jnet"):
                names = [a.name for a in node.names]
                allowed = node.module.startswith("jnet.symbolic") or (
                    node.module == "jnet" and names == ["errors"]
                )
                assert allowed, f"{path.name} imports {node.module} {names}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("jnet") for a in node.names), path.name


def test_a_plain_function_records_a_node_without_hooks():
    def scale(v, factor=2.0):
        return v * factor

    x = KerasTensor((None, 5, 3))
    y = symbolic.symbolic_call(scale, (x,), {"factor": 3.0})
    assert y.shape == (None, 5, 3) and y.dtype == "float32"
    node = symbolic.node_of(y)
    assert node.operation is scale and node.input_tensors == [x] and node.kwargs == {
        "factor": 3.0
    }
    assert y._keras_history == KerasHistory(scale, 0, 0)


def test_free_axes_follow_the_inputs():
    x = KerasTensor((None, None, 4))
    y = symbolic.symbolic_call(lambda v: jnp.concatenate([v, v], axis=1), (x,), {})
    assert y.shape == (None, None, 4)
    fixed = KerasTensor((2, 3))
    assert symbolic.symbolic_call(lambda v: v.sum(axis=-1), (fixed,), {}).shape == (2,)


def test_hooks_are_used_when_the_operation_has_them():
    class Op:
        name = "op"
        prepared = 0

        def _symbolic_prepare(self, specs):
            self.prepared += 1

        def _symbolic_apply(self, args, kwargs):
            return args[0][:, :1], {"w": jnp.zeros(args[0].shape[1:])}

    op = Op()
    with pytest.raises(errors.JnetValueError, match="depends on an axis that is not defined"):
        symbolic.symbolic_call(op, (KerasTensor((None, None)),), {})
    y = symbolic.symbolic_call(op, (KerasTensor((None, 6)),), {})
    assert y.shape == (None, 1) and op.prepared == 4


def test_an_operation_rejecting_its_input_shape_is_explained():
    def bad(v):
        raise ValueError("no")

    with pytest.raises(errors.JnetValueError, match=r"cannot take inputs of shape \(None, 2\)"):
        symbolic.symbolic_call(bad, (KerasTensor((None, 2)),), {})


def test_input_nodes_are_told_by_a_class_flag():
    x = jnet.Input(shape=(2,))
    assert symbolic.node_of(x).is_input
    y = jnet.layers.Dense(1)(x)
    assert not symbolic.node_of(y).is_input
    assert isinstance(symbolic.node_of(y), Node)


def test_the_call_context_routes_layer_calls():
    class Context:
        def owns(self, layer):
            return True

        def call(self, layer, args, kwargs):
            return "routed"

    layer = jnet.layers.Dense(1)
    assert symbolic.current_context() is None
    with symbolic.call_context(Context()):
        assert layer(jnp.ones((1, 2))) == "routed"
    assert symbolic.current_context() is None


def test_layer_input_re_exports_the_symbolic_names():
    from jnet.layers import input as input_module

    assert input_module.KerasTensor is KerasTensor
    assert input_module.inbound_nodes is symbolic.inbound_nodes
    assert input_module.flatten is symbolic.flatten
