"""Rows for the core ops (``keras/src/ops/core.py``, and ``rearrange`` from ``einops.py``).

Control-flow rows pass callables written with Python operators, so the same function runs on
TensorFlow tensors (Keras's side) and jax arrays (jnet's); jnet's ``jax.lax`` loops trace the
callable once. Where Keras's TensorFlow backend differs from its JAX backend the row uses
``reference=`` and says why.
"""

import numpy as np

from ops_table import Case, bools, floats, ints


def _same_values(got, want):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64),
                               np.asarray(want, dtype=np.float64), rtol=1e-6)


def _unstack_ref(x, num=None, axis=0):
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def _np_saturate_int32(x, dtype):
    # Keras's limits for float32 -> int32 are [-2**31, 2.0**31] (2**31 - 1 rounds up in
    # float32); XLA's conversion (Keras's JAX backend, jnet) then saturates 2**31 to
    # 2**31 - 1, where TensorFlow's wraps it to -2**31.
    return np.clip(x.astype(np.float64), -(2**31), 2**31 - 1).astype("int32")


_HOST = "returns a NumPy array (a host copy): nothing to vmap"
_STATIC = "returns static Python facts (a dtype name, a shape, a bool): nothing to vmap"

_X34 = floats(3, 4)
_SEQ = floats(5, 3)
_IDX = np.array([[0, 1], [2, 3], [0, 1]], dtype="int32")



# Named functions, not lambdas: TensorFlow's autograph (Keras's map on its TF backend) reads a
# lambda's source line and can pick up another lambda from the table.
def _square(x):
    return x * x


def _two_outputs(x):
    return {"a": x * 2, "b": x + 1}

CASES = [
    # conversion, dtype, shape
    Case("cast", (floats(3, 4), "int32"), id="float-to-int"),
    Case("cast", (ints(5), "float32"), id="int-to-float"),
    Case("cast", (bools(4), "float16"), id="bool-to-float16"),
    Case("cast", (floats(2, 3), "bfloat16"), id="to-bfloat16", rtol=1e-2, atol=1e-2),
    Case("convert_to_tensor", (floats(2, 3),), jit=False),
    Case("convert_to_tensor", ([1, 2, 3],), id="list-of-ints", jit=False),
    Case("convert_to_tensor", ([1.5, 2.0],), {"dtype": "float16"}, id="dtype", jit=False),
    Case("convert_to_numpy", (floats(2, 2),), jit=False, vmap=False, note=_HOST),
    Case("convert_to_numpy", (ints(3, dtype="int8"),), id="int8", jit=False, vmap=False,
         note=_HOST),
    Case("dtype", (floats(2, dtype="float16"),), jit=False, vmap=False, note=_STATIC,
         compare=lambda g, w: _check(g == "float16" == str(w))),
    Case("dtype", (ints(2, dtype="uint8"),), id="uint8", jit=False, vmap=False, note=_STATIC,
         compare=lambda g, w: _check(g == "uint8" == str(w))),
    Case("is_tensor", (floats(2),), id="numpy-is-not", jit=False, vmap=False,
         note="a NumPy array is not a tensor; a traced one is: " + _STATIC,
         compare=lambda g, w: _check(g is False and not w)),
    Case("is_tensor", (3.0,), id="python-scalar", jit=False,
         compare=lambda g, w: _check(g is False and not w)),
    Case("shape", (floats(2, 0, 3),), id="empty", jit=False, vmap=False, note=_STATIC,
         compare=lambda g, w: _check(g == (2, 0, 3) == tuple(w))),
    Case("shape", (floats(4),), jit=False, vmap=False, note=_STATIC,
         compare=lambda g, w: _check(g == (4,) == tuple(w))),
    Case("saturate_cast", (np.array([-1.0, 0.4, 254.6, 256.0, np.inf, -np.inf], "float32"),
                           "uint8"), id="float-to-uint8"),
    Case("saturate_cast", (ints(6, low=-300, high=300), "int8"), id="int32-to-int8"),
    Case("saturate_cast", (np.array([1e5, -1e5, 3.5], "float32"), "float16"),
         id="float32-to-float16"),
    Case("saturate_cast", (ints(4, dtype="int8"), "uint8"), id="int8-to-uint8"),
    Case("saturate_cast", (np.array([3e9, -3e9, 7.0], "float32"), "int32"), id="overflow",
         reference=_np_saturate_int32,
         note="TF wraps 2.0**31 to -2**31 after Keras's clip; XLA saturates (Keras's JAX)"),
    # gradients
    Case("stop_gradient", (_X34,), grad=True),
    Case("stop_gradient", (ints(3),), id="int"),
    # slicing and scattering
    Case("slice", (floats(5, 6), [1, 2], [3, 2])),
    Case("slice", (ints(4, 5), np.array([2, 0], "int32"), [-1, 5]), id="rest-of-axis",
         jit=False, vmap=False,
         note="-1 needs known starts; a traced start array is refused (jit and vmap)"),
    Case("slice", (ints(4, 5), np.array([2, 1], "int32"), [2, 3]), id="array-starts"),
    Case("slice", (floats(3, 4, dtype="float16"), [0, 1], [3, 0]), id="empty-float16"),
    Case("slice", (floats(5, 6), [1, 2], [3, 2]), id="grad", grad=True),
    Case("slice_update", (floats(4, 5), [1, 2], floats(2, 3))),
    Case("slice_update", (ints(3, 3), [0, 0], ints(1, 3)), id="int"),
    Case("slice_update", (floats(4, 5), [1, 2], floats(2, 3)), id="grad", grad=True),
    Case("scatter", (_IDX, floats(3), (3, 4)), id="adds-duplicates"),
    Case("scatter", (np.array([[1], [0]], "int32"), ints(2, 3), (3, 3)), id="rows-int"),
    Case("scatter", (np.zeros((0, 2), "int32"), floats(0), (2, 2)), id="no-indices"),
    Case("scatter_update", (floats(3, 4), np.array([[0, 1], [2, 3]], "int32"), floats(2))),
    Case("scatter_update", (ints(4, 3), [[1], [3]], ints(2, 3)), id="rows-int"),
    Case("scatter_update", (floats(4), [[0], [0], [1]], floats(3)), {"reduction": "add"},
         id="add"),
    Case("scatter_update", (floats(4), [[0], [2], [1]], floats(3)), {"reduction": "max"},
         id="max"),
    Case("scatter_update", (floats(4), [[0], [2], [1]], floats(3)), {"reduction": "mul"},
         id="mul"),
    Case("unstack", (floats(3, 4),)),
    Case("unstack", (ints(2, 3, 4),), {"axis": -1}, id="negative-axis"),
    Case("unstack", (bools(2, 3),), {"num": 3, "axis": 1}, id="bool-num"),
    Case("rearrange", (floats(2, 3, 4, 5), "b h w c -> b c h w")),
    Case("rearrange", (floats(2, 4, 6, 3), "b (h1 h) (w1 w) c -> (b h1 w1) h w c"),
         {"h1": 2, "w1": 2}, id="split-merge"),
    Case("rearrange", (ints(2, 4, 6, 3), "b (h h1) (w w1) c -> b h w (c h1 w1)"),
         {"h1": 2, "w1": 3}, id="space-to-depth-int"),
    Case("rearrange", (floats(2, 3, 4), "b h w -> h (b w)"), id="merge", grad=True),
    # control flow
    Case("cond", (True, lambda: np.float32(1.5), lambda: np.float32(-1.0)), jit=False,
         compare=_same_values),
    Case("cond", (np.array(False), lambda: np.ones(2, "float32"),
                  lambda: np.zeros(2, "float32")), id="array-pred", jit=False,
         reference=lambda p, t, f: t() if p else f(),
         note="Keras's TF backend refuses a NumPy pred (tf.cond); its JAX backend takes it"),
    Case("switch", (1, [lambda x, y: x + y, lambda x, y: x - y], _X34, _X34 * 2), jit=False),
    Case("switch", (5, [lambda x: x * 2, lambda x: x * 3], ints(3)), id="clamped", jit=False),
    Case("scan", (lambda c, x: (c + x, c * x), np.zeros(3, "float32"), _SEQ), jit=False),
    Case("scan", (lambda c, x: (c + x, c + x), np.zeros(3, "float32"), _SEQ),
         {"reverse": True, "unroll": 2}, id="reverse-unroll", jit=False),
    Case("scan", (lambda c, x: (c * 2, c), np.ones((), "int32")), {"length": 4},
         id="no-xs", jit=False),
    Case("associative_scan", (lambda a, b: a + b, _SEQ), jit=False),
    Case("associative_scan", (lambda a, b: a * b, ints(3, 4, low=1, high=3)),
         {"axis": 1, "reverse": True}, id="axis-reverse", jit=False),
    Case("associative_scan", (lambda a, b: [a[0] + b[0], a[1] * b[1]],
                              [ints(4), ints(4, low=1, high=3)]), id="pytree", jit=False),
    Case("fori_loop", (0, 5, lambda i, s: s * 2, np.float32(1.0)), jit=False,
         compare=_same_values),
    Case("fori_loop", (2, 6, lambda i, s: s + i, np.zeros(3, "int32")), id="index",
         jit=False),
    Case("while_loop", (lambda i: i < 10, lambda i: i + 1, np.int32(0)), jit=False,
         compare=lambda g, w: _check(int(g) == int(w) == 10)),
    Case("while_loop", (lambda x, y: x < 10, lambda x, y: (x + 1, y * 2),
                        (np.int32(0), np.ones(2, "float32"))), {"maximum_iterations": 4},
         id="maximum-iterations", jit=False),
    Case("map", (_square, _SEQ), jit=False),
    Case("map", (_two_outputs, ints(4, 2)), id="dict-out", jit=False),
    Case("vectorized_map", (lambda row: row * 3.0, _SEQ), jit=False),
    Case("vectorized_map", (lambda xs: xs[0] + xs[1], [_SEQ, _SEQ]), id="list", jit=False),
]


def _check(ok: bool) -> None:
    assert ok


LEFT_OUT: dict[str, str] = {
    "custom_gradient": "a decorator, not an op on arrays: its gradients are compared with "
                       "Keras's in tests/test_ops_symbolic.py::test_custom_gradient_as_keras",
}

PENDING: set[str] = set()
