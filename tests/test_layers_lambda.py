"""Lambda: wraps a JAX function; outputs against Keras (TF backend), config, kwargs, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.lambda_layer import Lambda


def _scale_shift(x, factor, shift=0.0):
    return x * factor + shift


@pytest.mark.parametrize(
    "jnet_fn,keras_fn,arguments",
    [
        (lambda x: x**2, lambda x: x**2, None),
        (jnp.tanh, "tanh", None),
        (lambda x: jnp.mean(x, axis=-1, keepdims=True), "mean", None),
        (_scale_shift, _scale_shift, {"factor": 3.0, "shift": -1.0}),
    ],
    ids=["square", "tanh", "mean", "arguments"],
)
def test_lambda_matches_keras(keras, rng, jnet_fn, keras_fn, arguments):
    if keras_fn == "tanh":
        keras_fn = keras.ops.tanh
    elif keras_fn == "mean":
        keras_fn = lambda x: keras.ops.mean(x, axis=-1, keepdims=True)  # noqa: E731
    x = rng.normal(size=(3, 4)).astype(np.float32)
    kout = np.asarray(keras.layers.Lambda(keras_fn, arguments=arguments)(x))
    out = Lambda(jnet_fn, arguments=arguments).apply({}, x)
    np.testing.assert_allclose(out, kout, rtol=1e-6, atol=1e-6)


def test_lambda_in_sequential_matches_keras(keras, rng):
    kmodel = keras.Sequential([
        keras.Input((4, 3)),
        keras.layers.Lambda(lambda t: keras.ops.sum(t, axis=1)),
        keras.layers.Dense(2),
    ])
    model = jnet.Sequential([
        jnet.layers.Input((4, 3)),
        Lambda(lambda t: jnp.sum(t, axis=1)),
        jnet.layers.Dense(2),
    ])
    model.set_weights(kmodel.get_weights())
    x = rng.normal(size=(5, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert model.output_shape == kmodel.output_shape == (None, 2)
    assert model.count_params() == kmodel.count_params()
    assert model.layers[0].name == "lambda" and model.layers[0].count_params() == 0


def test_lambda_has_no_weights_and_jits():
    layer = Lambda(jnp.square)
    assert layer.init(jax.random.key(0), jnp.ones((1, 3))) == {}
    f = jax.jit(lambda a: layer.apply({}, a))
    np.testing.assert_array_equal(f(jnp.array([[2.0, 3.0]])), [[4.0, 9.0]])


def test_lambda_passes_training_and_mask_when_the_function_asks():
    seen = {}

    def fn(x, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return x

    layer = Lambda(fn)
    layer.apply({}, jnp.ones((1, 2)), training=True, mask="m")
    assert seen == {"mask": "m", "training": True}
    layer.apply({}, jnp.ones((1, 2)))
    assert seen == {"mask": None, "training": False}


def test_lambda_sees_training_inside_a_model():
    model = jnet.Sequential([
        jnet.layers.Input((2,)),
        Lambda(lambda x, training=False: x * (2.0 if training else 1.0)),
    ])
    x = jnp.ones((1, 2))
    train_out, _, _ = model.forward(model.variables["params"], {}, x, training=True)
    infer_out, _, _ = model.forward(model.variables["params"], {}, x, training=False)
    np.testing.assert_array_equal(train_out, 2 * x)
    np.testing.assert_array_equal(infer_out, x)


def test_get_config_matches_keras_keys(keras):
    def double(x):
        return 2 * x

    config = Lambda(double, arguments={"unused": 1}).get_config()
    kconfig = keras.layers.Lambda(double).get_config()
    assert config["function"] == "double" == kconfig["function"]["config"]
    assert config["arguments"] == {"unused": 1}
    assert set(config) == set(kconfig)  # no output_shape/mask when not given
    assert Lambda(lambda x: x).get_config()["function"] == "<lambda>"
    full = Lambda(double, output_shape=(3,), mask=double).get_config()
    assert full["output_shape"] == (3,) and full["mask"] == "double"


def test_defaults_match_keras(keras):
    klayer = keras.layers.Lambda(jnp.abs)
    layer = Lambda(jnp.abs)
    assert layer.output_shape is None and layer.mask is None and layer.arguments is None
    assert klayer.get_config()["arguments"] == layer.get_config()["arguments"] == {}


def test_positional_order_matches_keras():
    mask = jnp.array([True])
    layer = Lambda(jnp.abs, (2,), mask, {"a": 1})
    assert layer.output_shape == (2,) and layer.mask is mask and layer.arguments == {"a": 1}


def test_output_shape_and_compute_mask():
    layer = Lambda(lambda x: x[:, :2], output_shape=(2,))
    assert layer.apply({}, jnp.ones((4, 5))).shape == (4, 2)
    assert layer.compute_output_shape((None, 5)) == (None, 2)
    by_fn = Lambda(lambda x: x[:, :2], output_shape=lambda s: (s[0], 2))
    assert by_fn.apply({}, jnp.ones((4, 5))).shape == (4, 2)
    assert Lambda(jnp.abs, mask=lambda x, m: m).compute_mask(None, "m") == "m"
    assert Lambda(jnp.abs, mask="fixed").compute_mask(None) == "fixed"
    assert Lambda(jnp.abs).compute_mask(None, "m") is None


# -- validation errors -----------------------------------------------------------------------


@pytest.mark.parametrize("function", [None, 3, "relu", [jnp.abs]],
                         ids=["none", "int", "string", "list"])
def test_rejects_a_non_callable(function):
    with pytest.raises(jnet.errors.JnetTypeError, match="Lambda: function must be callable"):
        Lambda(function)


def test_rejects_non_dict_arguments():
    with pytest.raises(jnet.errors.JnetTypeError, match="arguments must be a dict"):
        Lambda(jnp.abs, arguments=[1, 2])


def test_rejects_bad_output_shape():
    with pytest.raises(jnet.errors.JnetValueError, match="output_shape must be None, a callable"):
        Lambda(jnp.abs, output_shape=(-3,))


def test_rejects_output_that_contradicts_output_shape():
    with pytest.raises(
        jnet.errors.JnetValueError,
        match=r"returned shape \(4, 5\) for inputs of shape \(4, 5\), but output_shape declares "
        r"\(4, 2\)",
    ):
        Lambda(jnp.abs, output_shape=(2,)).apply({}, jnp.ones((4, 5)))
