"""jnet.Function (keras.Function: a graph of KerasTensors run on arrays) and
jnet.SymbolicScope, with Keras on TensorFlow as the judge of Function's outputs."""

import numpy as np
import pytest

import jnet
from jnet import errors

_A = np.arange(6, dtype="float32").reshape(2, 3) / 6.0
_B = np.ones((2, 3), "float32")


def _graph(lib):
    """Two inputs through a shared Dense (kernel of ones), an op and a merge, as a dict."""
    a, b = lib.Input((3,)), lib.Input((3,))
    dense = lib.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    ha, hb = dense(a), dense(b)
    total = lib.ops.add(ha, lib.ops.multiply(hb, 2.0))
    return [a, b], {"total": total, "a": ha, "relu": lib.ops.relu(total - 3.0)}


@pytest.fixture(scope="module")
def keras_outputs(keras):
    inputs, outputs = _graph(keras)
    return {k: np.asarray(v) for k, v in keras.Function(inputs, outputs)([_A, _B]).items()}


@pytest.mark.parametrize("key", ["total", "a", "relu"])
def test_function_runs_the_graph_as_keras(keras_outputs, key):
    inputs, outputs = _graph(jnet)
    fn = jnet.Function(inputs, outputs)
    ours = fn([_A, _B])
    np.testing.assert_allclose(np.asarray(ours[key]), keras_outputs[key], rtol=1e-6)
    assert len(fn.inputs) == 2 and len(fn.outputs) == 3
    assert sum(isinstance(op, jnet.layers.Dense) for op in fn.operations) == 1  # shared once


def test_function_refuses_a_disconnected_graph():
    a, b = jnet.Input((3,)), jnet.Input((3,))
    with pytest.raises(errors.JnetValueError, match="graph disconnected"):
        jnet.Function(a, jnet.ops.add(a, b))
    with pytest.raises(errors.JnetTypeError, match="KerasTensors"):
        jnet.Function(a, _A)


def test_symbolic_scope_nests():
    assert not jnet.symbolic.in_symbolic_scope()
    with jnet.SymbolicScope() as outer:
        with jnet.SymbolicScope() as inner:
            assert jnet.symbolic.get_symbolic_scope() is inner
        assert jnet.symbolic.get_symbolic_scope() is outer
    assert jnet.symbolic.get_symbolic_scope() is None
