"""jnet.Variable and StatelessScope against keras.Variable (TensorFlow backend) and Keras's
contract: construction, attributes, assign, operators (values and result dtypes), conversions,
what jax accepts, and the pure path for compiled code."""

from __future__ import annotations

import copy
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import errors, initializers
from jnet.ops import core
from jnet.ops._op import keras_op, promote
from jnet.variables import (
    StatelessScope,
    Variable,
    get_stateless_scope,
    in_stateless_scope,
    register_initializer_resolver,
    reset_names,
)

_TO_32 = {"int64": "int32", "uint64": "uint32", "float64": "float32"}


def _dtype32(x) -> str:
    name = x.dtype if isinstance(x.dtype, str) else getattr(x.dtype, "name", str(x.dtype))
    return _TO_32.get(name, name)


@pytest.fixture
def resolver():
    register_initializer_resolver(initializers.get)
    yield
    register_initializer_resolver(initializers.get)  # as `import jnet` leaves it


# -- construction ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, dtype, expected",
    [
        (np.ones((2, 3), "float32"), None, "float32"),
        (np.ones(3), None, "float32"),  # float64 is held as float32 (Keras's JAX backend)
        (np.arange(3), None, "int32"),
        (3, None, "int32"),
        (2.5, None, "float32"),
        (True, None, "bool"),
        ([1, 2, 3], None, "int32"),
        ([1.0, 2.0], None, "float32"),
        (np.ones(2, "float16"), None, "float16"),
        (jnp.ones(2, jnp.bfloat16), None, "bfloat16"),
        ([1.0, 2.0], "bfloat16", "bfloat16"),
        (1.5, "int32", "int32"),
        (np.ones(2), "float64", "float32"),
        (np.zeros((0, 2)), None, "float32"),
    ],
)
def test_from_array_keeps_or_casts_dtype(value, dtype, expected):
    v = Variable(value, dtype=dtype)
    assert v.dtype == expected
    assert v.value.dtype == jnp.dtype(expected)
    assert v.shape == np.shape(value) and v.ndim == np.ndim(value)
    np.testing.assert_array_equal(np.asarray(v.value, "float32"),
                                  np.asarray(value, dtype or None).astype("float32"))


def test_from_array_matches_keras(keras):
    for value in (np.ones((2, 2), "float32"), 3, [1, 2, 3], 2.5, np.float16(1.5), True):
        ours, theirs = Variable(value), keras.Variable(value)
        assert ours.shape == tuple(theirs.shape)
        assert ours.dtype == _TO_32.get(theirs.dtype, theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert Variable(1.5, dtype="int32").numpy() == keras.Variable(1.5, dtype="int32").numpy()


def test_from_keras_style_callable():
    calls = []

    def init(shape, dtype=None):
        calls.append((shape, dtype))
        return np.full(shape, 0.5)

    v = Variable(init, shape=(2, 3))
    assert calls == [((2, 3), "float32")]
    assert v.dtype == "float32" and v.shape == (2, 3)
    np.testing.assert_array_equal(v.numpy(), np.full((2, 3), 0.5, "float32"))
    assert Variable(init, shape=[4], dtype="float16").dtype == "float16"


def test_from_jnet_and_jax_initializers():
    v = Variable(initializers.Ones(), shape=(2,), dtype="float32")
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0])
    g = Variable(initializers.GlorotUniform(seed=3), shape=(4, 5))
    assert g.shape == (4, 5) and np.all(np.abs(g.numpy()) <= np.sqrt(6 / 9))
    n = Variable(jax.nn.initializers.normal(1.0), shape=(50,))  # key from jnet's stream
    assert n.dtype == "float32" and n.numpy().std() > 0.5


def test_unseeded_random_initializer_follows_set_random_seed():
    from jnet.utils import set_random_seed

    set_random_seed(7)
    a = Variable(initializers.RandomNormal(), shape=(3,)).numpy()
    set_random_seed(7)
    b = Variable(initializers.RandomNormal(), shape=(3,)).numpy()
    np.testing.assert_array_equal(a, b)


def test_string_initializer_through_the_resolver(resolver):
    v = Variable("zeros", shape=(2, 2))
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 2)))
    v = Variable("ones", shape=(3,), dtype="float16")
    assert v.dtype == "float16" and v.numpy().tolist() == [1, 1, 1]


def test_string_initializer_without_resolver_says_what_to_do():
    register_initializer_resolver(None)
    try:
        with pytest.raises(errors.JnetValueError, match="jnet.initializers"):
            Variable("zeros", shape=(2,))
    finally:
        register_initializer_resolver(initializers.get)  # later tests (any file) need it


def test_initializer_returning_another_shape_is_refused():
    with pytest.raises(errors.JnetValueError, match=r"returned an array of shape \(3,\)"):
        Variable(lambda shape, dtype: np.ones(3), shape=(2,))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"initializer": lambda shape, dtype: np.ones(shape)}, errors.JnetValueError,
         "the `shape` argument should be specified"),
        ({"initializer": 1.0, "name": "a/b"}, errors.JnetValueError, "cannot contain"),
        ({"initializer": 1.0, "name": 3}, errors.JnetValueError, "must be a string"),
        ({"initializer": 1.0, "aggregation": "max"}, errors.JnetValueError,
         "Invalid value for argument `aggregation`"),
        ({"initializer": 1.0, "synchronization": "x"}, errors.JnetValueError,
         "Invalid value for argument `synchronization`"),
        ({"initializer": lambda shape, dtype: np.ones(shape), "shape": (None, 2)},
         errors.JnetValueError, "fully-defined"),
        ({"initializer": lambda shape, dtype: np.ones(shape), "shape": (-1,)},
         errors.JnetValueError, "Negative dimensions"),
        ({"initializer": lambda shape, dtype: np.ones(shape), "shape": (2.0,)},
         errors.JnetValueError, "invalid dimension"),
        ({"initializer": lambda shape, dtype: np.ones(shape), "shape": 3},
         errors.JnetValueError, "Cannot convert '3' to a shape"),
        ({"initializer": np.ones(3), "shape": (4,)}, errors.JnetValueError,
         r"initial value has shape \(3,\), but shape=\(4,\)"),
        ({"initializer": 1.0, "dtype": "float33"}, errors.JnetValueError, "Invalid dtype"),
        ({"initializer": 1.0, "trainble": False}, errors.JnetTypeError, r"\['trainble'\]"),
        ({"initializer": object()}, errors.JnetTypeError, "Cannot convert"),
    ],
)
def test_bad_arguments_get_jnet_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        Variable(**kwargs)


def test_bad_arguments_match_keras_messages(keras):
    for kwargs in ({"initializer": lambda shape, dtype: np.ones(shape)},
                   {"initializer": 1.0, "name": "a/b"},
                   {"initializer": 1.0, "aggregation": "max"}):
        with pytest.raises(ValueError) as theirs:
            keras.Variable(**kwargs)
        with pytest.raises(errors.JnetValueError) as ours:
            Variable(**kwargs)
        assert str(ours.value).split(" Received")[0] == str(theirs.value).split(" Received")[0]


# -- attributes -----------------------------------------------------------------------------


def test_attributes_and_defaults():
    v = Variable(np.ones((2, 3), "float32"), name="kernel")
    assert (v.name, v.path, v.shape, v.ndim, v.dtype) == ("kernel", "kernel", (2, 3), 2, "float32")
    assert v.trainable is True
    assert (v.aggregation, v.synchronization) == ("none", "auto")
    assert v.regularizer is None and v.constraint is None and v.overwrite_with_gradient is False
    v.trainable = 0
    assert v.trainable is False
    v.regularizer = abs
    v.constraint = abs
    assert v.regularizer is abs and v.constraint is abs
    with pytest.raises(errors.JnetValueError, match="regularizer"):
        v.regularizer = 3
    with pytest.raises(errors.JnetValueError, match="constraint"):
        v.constraint = "x"
    with pytest.raises(errors.JnetTypeError, match="must be a boolean"):
        v.overwrite_with_gradient = 1
    w = Variable(1.0, trainable=False, aggregation=None, synchronization=None)
    assert (w.trainable, w.aggregation, w.synchronization) == (False, "none", "none")


def test_automatic_names_count_as_keras():
    reset_names()
    names = [Variable(1.0).name for _ in range(3)]
    assert names == ["variable", "variable_1", "variable_2"]
    assert Variable(1.0, name="").name == "variable_3"  # an empty name is no name
    reset_names()
    assert Variable(1.0).name == "variable"


def test_repr_is_keras(keras):
    for value in (np.ones((2, 2), "float32"), 3, np.arange(3, dtype="int32"), 2.5):
        ours = Variable(value, name="w")
        theirs = keras.Variable(value, name="w")
        assert repr(ours) == repr(theirs)


# -- value and assign -----------------------------------------------------------------------


def test_assign_returns_the_new_value_as_keras(keras):
    v, k = Variable(np.zeros((2, 2), "float32")), keras.Variable(np.zeros((2, 2), "float32"))
    for method, arg in (("assign", np.ones((2, 2))), ("assign_add", 2.0),
                        ("assign_sub", np.full((2, 2), 0.5, "float32"))):
        ours, theirs = getattr(v, method)(arg), getattr(k, method)(arg)
        assert isinstance(ours, jax.Array)
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
        np.testing.assert_array_equal(v.numpy(), k.numpy())
        assert v.value.dtype == jnp.float32


def test_assign_casts_to_the_variable_dtype():
    v = Variable([1, 2])
    np.testing.assert_array_equal(v.assign([3.7, 4.2]), [3, 4])
    assert v.value.dtype == jnp.int32
    np.testing.assert_array_equal(v.assign_add(1.5), [4, 5])  # int32 + 1.5 -> float -> int32
    assert v.dtype == "int32"
    w = Variable(np.zeros(2, "float16"))
    w.assign(np.ones(2, "float64"))
    assert w.value.dtype == jnp.float16
    w.assign(Variable(np.full(2, 3.0, "float32")))  # from another Variable
    assert w.numpy().tolist() == [3.0, 3.0]


def test_assign_of_the_wrong_shape_gives_keras_message(keras):
    v, k = Variable(np.ones((2, 2), "float32")), keras.Variable(np.ones((2, 2), "float32"))
    for bad in (np.ones(3), np.ones((1, 2)), 1.0):
        with pytest.raises(ValueError) as theirs:
            k.assign(bad)
        with pytest.raises(errors.JnetValueError) as ours:
            v.assign(bad)
        assert str(ours.value).split("Target variable")[0] == (
            str(theirs.value).split("Target variable")[0])
    with pytest.raises(errors.JnetValueError, match=r"variable.shape=\(2, 2\)"):
        v.assign_add(np.ones((3, 1, 1)))  # the sum broadcasts to (3, 2, 2): refused
    with pytest.raises(errors.JnetValueError, match=r"Cannot broadcast the shapes \(2, 2\)"):
        v.assign_add(np.ones(3))


def test_assign_of_a_tracer_outside_a_scope_is_refused():
    v = Variable(np.zeros(2, "float32"))
    with pytest.raises(errors.JnetValueError, match="StatelessScope"):
        jax.jit(lambda x: v.assign(x))(jnp.ones(2))
    assert v.numpy().tolist() == [0.0, 0.0]
    with pytest.raises(errors.JnetValueError, match="traced value"):
        jax.jit(lambda x: Variable(x))(jnp.ones(2))


# -- conversions and Python protocols --------------------------------------------------------


def test_conversions():
    v = Variable(np.arange(6, dtype="float32").reshape(2, 3))
    assert isinstance(v.numpy(), np.ndarray) and v.numpy().dtype == np.float32
    np.testing.assert_array_equal(np.asarray(v), v.numpy())
    assert np.asarray(v, dtype="int32").dtype == np.int32
    a = np.array(v, copy=True)
    a[0, 0] = 100
    assert v.numpy()[0, 0] == 0
    s = Variable(2.5)
    assert float(s) == 2.5 and int(s) == 2 and f"{s:.2f}" == "2.50"
    assert f"{s}" == repr(s)
    with pytest.raises(errors.JnetTypeError, match="Only scalar arrays"):
        float(v)
    with pytest.raises(errors.JnetTypeError, match="Only scalar arrays"):
        int(v)
    with pytest.raises(TypeError, match="cannot be used as a boolean"):
        bool(s)
    with pytest.raises(TypeError, match="unhashable"):
        hash(v)


def test_indexing_len_and_iteration():
    v = Variable(np.arange(6, dtype="float32").reshape(2, 3))
    assert v[1].tolist() == [3.0, 4.0, 5.0]
    assert v[:, -1].tolist() == [2.0, 5.0]
    assert v[Variable(1), 0] == 3.0
    assert v[np.array([True, False])].shape == (1, 3)
    assert len(v) == 2
    assert [row.tolist() for row in v] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    with pytest.raises(TypeError, match="0-d"):
        len(Variable(1.0))
    with pytest.raises(TypeError, match="0-d"):
        iter(Variable(1.0))
    with pytest.raises(TypeError):
        v[0] = 1.0  # a Variable is changed with assign, as in Keras


def test_copies_are_independent():
    v = Variable(np.ones(2, "float32"), name="w")
    c = copy.deepcopy(v)
    c.assign([5.0, 5.0])
    assert v.numpy().tolist() == [1.0, 1.0] and c.name == "w"


# -- operators: values and dtypes as Keras's -------------------------------------------------

_BINARY = [
    ("add", lambda a, b: a + b), ("radd", lambda a, b: b + a),
    ("sub", lambda a, b: a - b), ("rsub", lambda a, b: b - a),
    ("mul", lambda a, b: a * b), ("rmul", lambda a, b: b * a),
    ("truediv", lambda a, b: a / b), ("rtruediv", lambda a, b: b / a),
    ("floordiv", lambda a, b: a // b), ("rfloordiv", lambda a, b: b // a),
    ("mod", lambda a, b: a % b), ("rmod", lambda a, b: b % a),
    ("pow", lambda a, b: a ** b), ("rpow", lambda a, b: b ** a),
    ("eq", lambda a, b: a == b), ("ne", lambda a, b: a != b),
    ("lt", lambda a, b: a < b), ("le", lambda a, b: a <= b),
    ("gt", lambda a, b: a > b), ("ge", lambda a, b: a >= b),
    ("rlt", lambda a, b: b < a), ("rge", lambda a, b: b >= a),
    ("and", lambda a, b: a & b), ("rand", lambda a, b: b & a),
    ("or", lambda a, b: a | b), ("xor", lambda a, b: a ^ b), ("rxor", lambda a, b: b ^ a),
]

_OPERANDS = [
    ("f32-int", np.array([1.5, -2.0, 3.0], "float32"), 2),
    ("f32-float", np.array([1.5, -2.0, 3.0], "float32"), 0.5),
    ("i32-float", np.array([3, -4, 5], "int32"), 2.5),
    ("i32-int", np.array([3, -4, 5], "int32"), 2),
    ("i32-f32arr", np.array([3, -4, 5], "int32"), np.array([2.0, 1.5, 0.5], "float32")),
    ("i8-u8arr", np.array([3, -4, 5], "int8"), np.array([2, 1, 3], "uint8")),
    ("f16-int", np.array([1.5, 2.0, 3.0], "float16"), 2),
    ("f16-f32arr", np.array([1.5, 2.0, 3.0], "float16"), np.array([2.0, 1.5, 0.5], "float32")),
    ("bool-bool", np.array([True, False, True]), np.array([True, True, False])),
    ("f32-bcast", np.array([[1.0], [2.0]], "float32"), np.array([1.0, 2.0, 4.0], "float32")),
]


def _keras_tf_takes(op: str, case: str) -> bool:
    # Keras's TF backend itself refuses bool arithmetic, logical ops on non-bools and integers
    # to negative integer powers; jnet's results there are checked by the tests below.
    if case == "bool-bool":
        return op in ("eq", "ne", "and", "rand", "or", "xor", "rxor")
    if op == "rpow" and case in ("i32-int", "i8-u8arr"):
        return False
    return op not in ("and", "rand", "or", "xor", "rxor")


_ROWS = [(op, fn, case, value, other) for op, fn in _BINARY for case, value, other in _OPERANDS
         if _keras_tf_takes(op, case)]


@pytest.mark.parametrize("op, fn, case, value, other", _ROWS,
                         ids=[f"{row[0]}-{row[2]}" for row in _ROWS])
def test_binary_operators_match_keras(keras, op, fn, case, value, other):
    ours = fn(Variable(value), other)
    theirs = fn(keras.Variable(value), other)
    assert isinstance(ours, jax.Array)
    assert _dtype32(ours) == _dtype32(theirs), (op, case)
    expected = np.asarray(theirs).astype(np.float64)
    np.testing.assert_allclose(np.asarray(ours).astype(np.float64), expected, rtol=1e-3)


def test_bool_arithmetic_and_integer_powers():
    # where Keras's TF backend refuses, its JAX backend gives jax's results: so does jnet
    b = Variable(np.array([True, False, True]))
    assert (b + np.array([True, True, False])).dtype == jnp.bool_
    assert (b * 2).dtype == jnp.int32 and (b * 2).tolist() == [2, 0, 2]
    assert (b % np.array([True, True, True])).dtype == jnp.int32  # Keras's mod of bools
    i = Variable(np.array([3, -4, 5], "int32"))
    assert (i ** 2).tolist() == [9, 16, 25] and (i ** 2).dtype == jnp.int32
    assert (2 ** Variable(np.array([0, 1, 3], "int32"))).tolist() == [1, 2, 8]


def test_logical_operators_take_any_dtype_as_booleans():
    v = Variable(np.array([0, 3, 0], "int32"))
    assert (v & True).tolist() == [False, True, False]
    assert (v | np.array([1, 0, 0])).tolist() == [True, True, False]
    assert (1.5 ^ v).tolist() == [True, False, True]


def test_matmul_matches_keras(keras):
    a = np.arange(6, dtype="float32").reshape(2, 3)
    b = np.ones((3, 2), "float32")
    np.testing.assert_allclose(Variable(a) @ b, keras.Variable(a) @ b)
    np.testing.assert_allclose(b @ Variable(a), b @ keras.Variable(a))
    i8 = Variable(np.ones((2, 2), "int8"))
    assert (i8 @ np.ones((2, 2), "int8")).dtype == jnp.int32  # Keras's int8 matmul
    assert (i8 @ Variable(np.ones((2, 2), "int8"))).dtype == jnp.int32


def test_unary_operators_and_round_match_keras(keras):
    value = np.array([-1.25, 2.5, 3.75], "float32")
    v, k = Variable(value), keras.Variable(value)
    for fn in (lambda x: -x, abs, lambda x: +x, lambda x: round(x), lambda x: round(x, 1)):
        np.testing.assert_allclose(np.asarray(fn(v)), np.asarray(fn(k)))
    ints = np.array([123, -456, 789], "int32")
    for fn in (lambda x: ~x, lambda x: round(x, -1), lambda x: round(x, -2), lambda x: -x):
        ours, theirs = fn(Variable(ints)), fn(keras.Variable(ints))
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
        assert ours.dtype == jnp.int32


def test_operators_with_arrays_on_the_left():
    v = Variable(np.array([1.0, 2.0], "float32"))
    assert isinstance(np.ones(2, "float32") + v, jax.Array)  # numpy hands over to the Variable
    assert (np.ones(2, "int32") * v).dtype == jnp.float32  # ... with Keras's promotion
    assert (np.ones(2, "float32") < v).tolist() == [False, True]
    assert (jnp.ones(2) + v).tolist() == [2.0, 3.0]  # jax's own operator unwraps it
    assert (v + v).tolist() == [2.0, 4.0]


def test_operators_leave_unknown_operands_to_python():
    v = Variable([1.0, 2.0])
    assert (v == None) is False  # noqa: E711 (NotImplemented both ways: identity)
    assert (v != "a") is True
    with pytest.raises(TypeError):
        v + "a"
    with pytest.raises(TypeError):
        assert v < None


# -- with jnet.ops and jax ------------------------------------------------------------------


def test_variables_go_into_jnet_ops():
    v = Variable(np.array([1, 2], "int32"))
    assert core.convert_to_tensor(v).dtype == jnp.int32
    assert core.cast(v, "float16").dtype == jnp.float16
    assert core.shape(v) == (2,)
    assert core.convert_to_numpy(v).tolist() == [1, 2]

    @keras_op
    def plus(x1, x2):
        x1, x2 = promote(x1, x2)
        return jnp.add(x1, x2)

    assert plus(v, 0.5).dtype == jnp.float32
    assert plus(v, Variable(np.ones(2, "int8"))).tolist() == [2, 3]
    assert jax.jit(lambda x: plus(v, x))(jnp.ones(2, jnp.int32)).tolist() == [2, 3]


def test_jax_numpy_calls_that_take_a_variable():
    v = Variable(np.array([1.0, -2.0], "float32"))
    assert jnp.asarray(v).tolist() == [1.0, -2.0]
    assert jnp.array(v).dtype == jnp.float32
    assert jnp.stack([v, v]).shape == (2, 2)
    assert jnp.concatenate([v, v]).shape == (4,)
    assert jnp.shape(v) == (2,) and jnp.ndim(v) == 1
    assert jax.jit(lambda: jnp.asarray(v) * 2)().tolist() == [2.0, -4.0]  # closure constant
    assert jax.jit(lambda x: x + v)(jnp.ones(2)).tolist() == [2.0, -1.0]
    assert jax.jit(lambda x: jnp.sin(v.value) + x)(0.0).shape == (2,)  # the workaround
    assert np.sum(v) == -1.0


_SIN = [np.sin(1.0), np.sin(-2.0)]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda v: jnp.sin(v), _SIN),
        (lambda v: jnp.sum(v), -1.0),
        (lambda v: jnp.where(True, v, 0.0), [1.0, -2.0]),
        (lambda v: jax.nn.relu(v), [1.0, 0.0]),
        (lambda v: jax.jit(jnp.sin)(v), _SIN),
        (lambda v: jax.jit(lambda: jnp.sin(v))(), _SIN),
        (lambda v: jax.grad(lambda x: jnp.sum(x.value))(v).value, [1.0, 1.0]),
        (lambda v: jax.vmap(jnp.sin)(v), _SIN),
    ],
)
def test_a_variable_is_a_pytree_of_its_value(call, expected):
    """A Variable is a pytree whose leaf is its value (jnet.variables._pytree), so jax's
    wrapped functions and transformations take it, as Keras's guides pass them Variables."""
    v = Variable(np.array([1.0, -2.0], "float32"))
    np.testing.assert_allclose(np.asarray(call(v)), expected, rtol=1e-6)


def test_a_variable_through_jit_comes_back_a_plain_variable_with_the_new_value():
    v = Variable(np.array([1.0, -2.0], "float32"), name="w", trainable=False)
    out = jax.jit(lambda w: jax.tree_util.tree_map(lambda a: a * 2, w))(v)
    assert isinstance(out, Variable) and out is not v
    assert (out.name, out.trainable, out.numpy().tolist()) == ("w", False, [2.0, -4.0])
    assert v.numpy().tolist() == [1.0, -2.0]


@pytest.mark.parametrize(
    "call",
    [
        lambda v: jax.lax.add(v, v),
        lambda v: jnp.arange(3)[Variable(1)],
    ],
)
def test_jax_calls_that_refuse_a_variable_say_how_to_convert(call):
    v = Variable(np.array([1.0, -2.0], "float32"))
    with pytest.raises(ValueError, match=r"__jax_array__\(\).*jax.numpy.array"):
        call(v)


# -- StatelessScope: the pure path -----------------------------------------------------------


def test_scope_reads_the_mapping_and_collects_updates():
    v = Variable(np.zeros(2, "float32"))
    w = Variable(np.full(2, 5.0, "float32"))
    assert not in_stateless_scope() and get_stateless_scope() is None
    with StatelessScope([(v, np.ones(2))]) as scope:
        assert in_stateless_scope() and get_stateless_scope() is scope
        assert v.numpy().tolist() == [1.0, 1.0]
        assert w.numpy().tolist() == [5.0, 5.0]  # not mapped: its own value
        assert scope.get_current_value(w) is None
        v.assign_add(2.0)
        w.assign(v * 3)
        assert v.numpy().tolist() == [3.0, 3.0] and w.numpy().tolist() == [9.0, 9.0]
    assert not in_stateless_scope()
    assert v.numpy().tolist() == [0.0, 0.0] and w.numpy().tolist() == [5.0, 5.0]
    assert scope.get_current_value(v).tolist() == [3.0, 3.0]
    assert scope.get_current_value(w).tolist() == [9.0, 9.0]


def test_scope_values_are_cast_and_checked():
    v = Variable(np.zeros(2, "float16"))
    with StatelessScope([(v, np.ones(2, "float64"))]):
        assert v.value.dtype == jnp.float16
    with StatelessScope(zip([v], [Variable(np.ones(2, "float32"))], strict=True)):
        assert v.value.dtype == jnp.float16
    with pytest.raises(errors.JnetValueError, match="must be Variable instances"):
        StatelessScope([(np.zeros(2), np.ones(2))])
    with pytest.raises(errors.JnetValueError, match="shape that matches"):
        StatelessScope([(v, np.ones(3))])


def test_assign_under_jit_through_the_scope():
    v = Variable(np.zeros(3, "float32"))
    count = Variable(0)

    @jax.jit
    def step(values, x):
        with StatelessScope(zip((v, count), values, strict=True)) as scope:
            v.assign(v * 2 + x)
            count.assign_add(1)
        return [scope.get_current_value(var) for var in (v, count)]

    values = [v.value, count.value]
    for _ in range(3):
        values = step(values, jnp.ones(3))
    assert values[0].tolist() == [7.0, 7.0, 7.0] and int(values[1]) == 3
    assert v.numpy().tolist() == [0.0, 0.0, 0.0]  # untouched until written back
    v.assign(values[0])
    count.assign(values[1])
    assert v.numpy().tolist() == [7.0, 7.0, 7.0] and int(count) == 3


def test_grad_and_vmap_through_the_scope():
    v = Variable(np.array([1.0, 2.0], "float32"))

    def loss(value, x):
        with StatelessScope([(v, value)]):
            return jnp.sum((v * x) ** 2)  # operators on a traced value

    grad = jax.grad(loss)(v.value, jnp.array([1.0, 1.0]))
    np.testing.assert_allclose(grad, [2.0, 4.0])

    def through_ops(value):
        with StatelessScope([(v, value)]):
            return jnp.sum(core.cast(v, "float32") * jnp.asarray(v))  # jnet.ops and jnp.asarray

    np.testing.assert_allclose(jax.jit(jax.grad(through_ops))(v.value), [2.0, 4.0])
    batched = jax.vmap(loss, in_axes=(0, None))(jnp.ones((4, 2)), jnp.ones(2))
    np.testing.assert_allclose(batched, [2.0] * 4)


def test_nested_scopes_read_the_innermost():
    v = Variable(np.zeros(1, "float32"))
    with StatelessScope([(v, np.ones(1))]) as outer:
        with StatelessScope([(v, np.full(1, 2.0))]) as inner:
            assert float(v[0]) == 2.0
            v.assign([5.0])
        assert float(v[0]) == 1.0 and get_stateless_scope() is outer
    assert inner.get_current_value(v).tolist() == [5.0] and outer.get_current_value(v)[0] == 1.0


def test_variables_created_in_a_scope():
    with pytest.raises(errors.JnetValueError, match="while in a stateless scope"):
        with StatelessScope():
            Variable(np.ones(2))
    with StatelessScope() as scope:
        v = Variable(lambda shape, dtype: np.full(shape, 4.0), shape=(2,))
        assert v.numpy().tolist() == [4.0, 4.0]  # a stand-in from the initializer
        v.assign([1.0, 2.0])
        assert scope.get_current_value(v).tolist() == [1.0, 2.0]
    assert v.numpy().tolist() == [4.0, 4.0]  # initialized when the scope exited
    with StatelessScope(initialize_variables=False):
        u = Variable(lambda shape, dtype: np.zeros(shape), shape=(1,))
    assert u._value is None
    u._deferred_initialize()
    assert u.numpy().tolist() == [0.0]
    with pytest.raises(errors.JnetValueError, match="already initialized"):
        u._deferred_initialize()


def test_scope_losses():
    with StatelessScope(collect_losses=True) as scope:
        scope.add_loss(1.5)
    assert scope.losses == [1.5] and scope.collect_losses


def test_scopes_are_per_thread():
    v = Variable(np.zeros(1, "float32"))
    seen = []
    with StatelessScope([(v, np.ones(1))]):
        thread = threading.Thread(target=lambda: seen.append(float(v[0])))
        thread.start()
        thread.join()
        seen.append(float(v[0]))
    assert seen == [0.0, 1.0]
