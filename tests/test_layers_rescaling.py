"""Rescaling: ``x * scale + offset`` against Keras (TF backend), in a Sequential, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.rescaling import Rescaling

CASES = [
    (1.0 / 255, 0.0),
    (1.0 / 127.5, -1.0),
    (2.5, 3),
    ([0.5, 2.0, -1.0], 0.25),
    ([0.5, 2.0, -1.0], [1.0, 0.0, -2.0]),
    (np.array([1.0 / 3, 0.1, 7.0], np.float32), np.float32(0.5)),
]


@pytest.mark.parametrize("scale,offset", CASES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "uint8"])
def test_rescaling_matches_keras(keras, rng, scale, offset, dtype):
    x = (rng.uniform(0, 255, size=(2, 4, 5, 3))).astype(dtype)
    kout = np.asarray(keras.layers.Rescaling(scale, offset)(x))
    out = Rescaling(scale, offset).apply({}, x)
    assert out.dtype == jnp.float32 and out.shape == kout.shape
    np.testing.assert_allclose(out, kout, rtol=1e-6, atol=1e-6)


def test_rescaling_order_of_operations_is_multiply_then_add():
    x = np.array([[1.0, 3.0]], np.float32)
    scale, offset = np.float32(0.1), np.float32(0.7)
    np.testing.assert_array_equal(Rescaling(0.1, 0.7).apply({}, x), x * scale + offset)


def test_rescaling_in_sequential_matches_keras(keras, rng):
    kmodel = keras.Sequential(
        [keras.Input((3, 3)), keras.layers.Rescaling([1.0, 0.5, 2.0], -1.0), keras.layers.Dense(2)]
    )
    model = jnet.Sequential(
        [jnet.layers.Input((3, 3)), Rescaling([1.0, 0.5, 2.0], -1.0), jnet.layers.Dense(2)]
    )
    model.set_weights(kmodel.get_weights())
    x = rng.normal(size=(5, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert model.output_shape == kmodel.output_shape
    assert model.count_params() == kmodel.count_params()
    assert model.layers[0].name == "rescaling" and model.layers[0].count_params() == 0


def test_defaults_and_config_match_keras(keras):
    kconfig = keras.layers.Rescaling(0.5).get_config()
    config = Rescaling(0.5).get_config()
    assert Rescaling(0.5).offset == 0.0
    for key in ("scale", "offset"):
        assert config[key] == kconfig[key]
    kconfig = keras.layers.Rescaling([1.0, 2.0], 3.0).get_config()
    assert Rescaling([1.0, 2.0], 3.0).get_config()["scale"] == kconfig["scale"]
    layer = Rescaling(2.0, 1.0)  # positional order: scale, offset
    assert (layer.scale, layer.offset) == (2.0, 1.0)


def test_rescaling_is_jittable_and_has_no_weights():
    layer = Rescaling(0.5, 1.0)
    assert layer.init(jax.random.key(0), jnp.ones((1, 2))) == {}
    np.testing.assert_array_equal(jax.jit(lambda a: layer.apply({}, a))(jnp.ones((3, 2))),
                                  np.full((3, 2), 1.5, np.float32))


# -- validation errors -----------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["half", None, [1.0, "a"], True, {"a": 1}], ids=str)
def test_rejects_non_numeric_scale(scale):
    with pytest.raises(jnet.errors.JnetValueError, match="Rescaling: scale must be a number"):
        Rescaling(scale)


def test_rejects_non_numeric_offset():
    with pytest.raises(jnet.errors.JnetValueError, match="Rescaling: offset must be a number"):
        Rescaling(1.0, "zero")


def test_rejects_per_channel_values_that_do_not_broadcast():
    with pytest.raises(
        jnet.errors.JnetValueError,
        match=r"scale of shape \(2,\) does not broadcast against inputs of shape \(4, 3\)",
    ):
        Rescaling([1.0, 2.0]).apply({}, jnp.ones((4, 3)))
    with pytest.raises(jnet.errors.JnetValueError, match=r"offset of shape \(2, 2\)"):
        Rescaling(1.0, np.ones((2, 2))).apply({}, jnp.ones((3,)))
