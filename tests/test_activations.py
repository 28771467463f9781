"""jnet.activations against real Keras 3 (TensorFlow backend), name by name."""

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import activations
from jnet.errors import JnetTypeError, JnetValueError, UnknownIdentifierError

RTOL, ATOL = 1e-5, 1e-6

# Large values (+-30), kinks (0, +-0.5, +-1, +-3, 6), values near 0, and random values.
_SPECIAL = [-30.0, -10.0, -6.0, -3.0, -2.0, -1.0, -0.5, -1e-3, -1e-7, 0.0,
            1e-7, 1e-3, 0.5, 1.0, 2.0, 3.0, 6.0, 10.0, 30.0, -0.25]
_RANDOM = np.random.default_rng(0).normal(scale=3.0, size=20)
X = np.concatenate([_SPECIAL, _RANDOM]).astype(np.float32).reshape(4, 10)

# Arguments for activations without usable defaults.
REQUIRED_ARGS = {"threshold": {"threshold": 0.5, "default_value": -1.0}}

# Non-default arguments, each compared with the same call in Keras.
NON_DEFAULT = [
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 1.0}),
    ("relu", {"threshold": -1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 4.0}),
    ("relu", {"negative_slope": 0.3, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.3, "max_value": 6.0, "threshold": 1.5}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("leaky_relu", {"negative_slope": 1.5}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("gelu", {"approximate": True}),
    ("softmax", {"axis": 0}),
    ("softmax", {"axis": (0, 1)}),
    ("softmax", {"axis": None}),
    ("log_softmax", {"axis": 0}),
    ("log_softmax", {"axis": None}),
    ("sparsemax", {"axis": 0}),
    ("glu", {"axis": 0}),
    ("soft_shrink", {"threshold": 1.0}),
    ("hard_shrink", {"threshold": 2.0}),
    ("squareplus", {"b": 1.0}),
    ("threshold", {"threshold": -2.0, "default_value": 7.0}),
]


def _keras_call(keras, name, x, **kwargs):
    return np.asarray(keras.activations.get(name)(x, **kwargs))


@pytest.mark.parametrize("name", activations.ACTIVATIONS.names())
def test_every_activation_matches_keras(keras, name):
    kwargs = REQUIRED_ARGS.get(name, {})
    expected = _keras_call(keras, name, X, **kwargs)
    got = activations.get(name)(jnp.asarray(X), **kwargs)
    assert got.shape == expected.shape and got.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(got), expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name, kwargs", NON_DEFAULT)
def test_non_default_arguments_match_keras(keras, name, kwargs):
    expected = _keras_call(keras, name, X, **kwargs)
    got = getattr(activations, name)(jnp.asarray(X), **kwargs)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", activations.ACTIVATIONS.names())
def test_gradients_match_keras_away_from_kinks(keras, name):
    import tensorflow as tf

    kwargs = REQUIRED_ARGS.get(name, {})
    x = np.random.default_rng(1).normal(scale=2.0, size=(3, 8)).astype(np.float32)
    x_tf = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tf)
        y = keras.activations.get(name)(x_tf, **kwargs)
        loss = tf.reduce_sum(y * tf.range(1.0, 1.0 + y.shape[-1]))
    expected = np.asarray(tape.gradient(loss, x_tf))

    def loss_jnet(v):
        y = activations.get(name)(v, **kwargs)
        weights = jnp.arange(1.0, 1.0 + y.shape[-1], dtype=jnp.float32)
        return jnp.sum(y * weights.reshape((1,) * (y.ndim - 1) + (-1,)))

    got = jax.grad(loss_jnet)(jnp.asarray(x))
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-4, atol=1e-5)


def test_names_cover_keras_registry(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    assert set(activations.ACTIVATIONS.names()) >= set(ALL_OBJECTS_DICT)
    for name, keras_fn in ALL_OBJECTS_DICT.items():
        # Aliases resolve to the same canonical function as in Keras.
        assert activations.get(name).__name__ == keras_fn.__name__
        assert getattr(activations, name) is activations.get(name)


def test_signatures_match_keras(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, keras_fn in ALL_OBJECTS_DICT.items():
        ours = inspect.signature(activations.get(name)).parameters
        theirs = inspect.signature(keras_fn).parameters
        assert list(ours) == list(theirs), name
        for p in theirs:
            assert ours[p].default == theirs[p].default, (name, p)


def test_defaults_that_differ_from_jax_nn():
    x = jnp.asarray(X)
    exact = 0.5 * x * jax.scipy.special.erfc(-x / np.sqrt(2.0).astype(np.float32))
    np.testing.assert_allclose(activations.gelu(x), exact, rtol=RTOL, atol=ATOL)
    assert not np.allclose(activations.gelu(x), jax.nn.gelu(x), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(activations.leaky_relu(jnp.array([-1.0])), [-0.2], rtol=1e-7)


def test_hard_sigmoid_is_keras3_definition():
    x = jnp.array([-4.0, -3.0, -1.5, 0.0, 1.5, 3.0, 4.0])
    expected = np.clip(np.asarray(x) / 6.0 + 0.5, 0.0, 1.0)
    np.testing.assert_allclose(activations.hard_sigmoid(x), expected, rtol=1e-6)


def test_softmax_and_sparsemax_sum_to_one():
    x = jnp.asarray(X)
    for fn in (activations.softmax, activations.sparsemax):
        np.testing.assert_allclose(jnp.sum(fn(x), axis=-1), np.ones(4), rtol=1e-6)
    assert np.all(np.isfinite(activations.log_softmax(x * 100.0)))


def test_softmax_warns_on_size_one_axis():
    with pytest.warns(UserWarning, match="size 1"):
        activations.softmax(jnp.ones((3, 1)))


def test_glu_needs_even_axis():
    with pytest.raises(JnetValueError, match="even"):
        activations.glu(jnp.ones((2, 3)))


def test_get_accepts_strings_callables_none_and_configs(keras):
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(None) is activations.linear
    assert activations.get(jax.nn.relu) is jax.nn.relu

    def custom(x):
        return 2 * x

    assert activations.get(custom) is custom
    # Keras serialises a function as {'class_name': 'function', 'config': name}.
    keras_config = keras.saving.serialize_keras_object(keras.activations.relu)
    assert activations.get(keras_config) is activations.relu
    elu2 = activations.get({"class_name": "elu", "config": {"alpha": 2.0}})
    np.testing.assert_allclose(elu2(jnp.array([-1.0])), [2.0 * np.expm1(-1.0)], rtol=1e-6)
    assert activations.get({"class_name": "tanh", "config": {}}) is activations.tanh
    with pytest.raises(JnetValueError, match="config"):
        activations.get({"class_name": "function"})


def test_get_unknown_name_suggests_nearest():
    with pytest.raises(UnknownIdentifierError, match="'relu'") as info:
        activations.get("relux")
    assert isinstance(info.value, ValueError)
    assert "Did you mean 'relu'?" in str(info.value)


@pytest.mark.parametrize("bad", [5, 1.5, ["relu"]])
def test_get_rejects_non_callables(bad):
    with pytest.raises(JnetTypeError, match="activation identifier") as info:
        activations.get(bad)
    assert isinstance(info.value, TypeError)


def test_serialize_matches_keras_names(keras):
    from keras.src.activations import ALL_OBJECTS_DICT

    for name, keras_fn in ALL_OBJECTS_DICT.items():
        assert activations.serialize(activations.get(name)) == keras.activations.serialize(
            keras_fn
        )
    assert activations.serialize("swish") == "silu"


# jax functions that serialize as a Keras name must compute the same numbers with their defaults.
JAX_EQUIVALENTS = [
    (fn, name) for fn, name in activations._KNOWN if fn is not activations.get(name)
]


@pytest.mark.parametrize("fn, name", JAX_EQUIVALENTS, ids=[n for _, n in JAX_EQUIVALENTS])
def test_serialize_recognises_equivalent_jax_functions(fn, name):
    assert activations.serialize(fn) == name
    x = jnp.asarray(X)
    np.testing.assert_allclose(fn(x), activations.get(name)(x), rtol=RTOL, atol=ATOL)


def test_serialize_unknown_or_different_semantics_is_none():
    assert activations.serialize(jax.nn.gelu) is None  # approximate=True by default
    assert activations.serialize(jax.nn.leaky_relu) is None  # slope 0.01
    assert activations.serialize(lambda x: x) is None
    assert {activations.serialize(f) for f in (jax.nn.relu, jax.nn.sigmoid, jax.nn.softmax)} == {
        "relu", "sigmoid", "softmax"
    }
    assert activations.serialize(jnp.tanh) == "tanh"


@pytest.mark.parametrize(
    "identifier, expected",
    [
        (activations.sigmoid, "sigmoid"),
        ("sigmoid", "sigmoid"),
        (jax.nn.sigmoid, "sigmoid"),
        (activations.softmax, "softmax"),
        ("softmax", "softmax"),
        (jax.nn.softmax, "softmax"),
        (functools.partial(activations.softmax, axis=-1), "softmax"),
        (functools.partial(activations.softmax, axis=1), None),
        (functools.partial(jax.nn.softmax, axis=0), None),
        (activations.relu, None),
        ("linear", None),
        (None, None),
        ("log_softmax", None),
        (jax.nn.log_sigmoid, None),
        (lambda x: x, None),
    ],
)
def test_logits_activation(identifier, expected):
    assert activations.logits_activation(identifier) == expected


@pytest.mark.parametrize("name", activations.ACTIVATIONS.names())
def test_every_activation_jits(name):
    fn = functools.partial(activations.get(name), **REQUIRED_ARGS.get(name, {}))
    traces = []

    def traced(v):
        traces.append(1)
        return fn(v)

    x = jnp.asarray(X)
    jitted = jax.jit(traced)
    np.testing.assert_allclose(jitted(x), fn(x), rtol=RTOL, atol=ATOL)
    jitted(x + 1.0)
    assert len(traces) == 1  # a second call with the same shape does not retrace
