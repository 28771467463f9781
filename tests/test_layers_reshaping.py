"""Flatten and Reshape: outputs against Keras (TF backend), through a Sequential, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.reshaping import Flatten, Reshape


def _assert_parity(klayer, layer, x):
    kout = np.asarray(klayer(x))
    out = layer.apply({}, x)
    assert out.shape == kout.shape
    np.testing.assert_array_equal(out, kout)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first", None])
@pytest.mark.parametrize("shape", [(2,), (2, 5), (2, 3, 4), (2, 3, 4, 5), (2, 2, 3, 4, 2)])
def test_flatten_matches_keras(keras, rng, shape, data_format):
    x = rng.normal(size=shape).astype(np.float32)
    _assert_parity(keras.layers.Flatten(data_format), Flatten(data_format), x)


def test_flatten_channels_first_moves_channels_last():
    x = jnp.arange(2 * 3 * 4 * 5.0).reshape(2, 3, 4, 5)  # (batch, channels, h, w)
    expected = jnp.transpose(x, (0, 2, 3, 1)).reshape(2, -1)
    np.testing.assert_array_equal(Flatten("channels_first").apply({}, x), expected)


def test_flatten_keeps_dtype_and_any_batch():
    x = jnp.ones((3, 2, 2), jnp.int32)
    assert Flatten().apply({}, x).dtype == jnp.int32
    f = jax.jit(lambda a: Flatten().apply({}, a))
    assert f(jnp.ones((1, 2, 3))).shape == (1, 6) and f(jnp.ones((7, 2, 3))).shape == (7, 6)


@pytest.mark.parametrize(
    "target_shape",
    [(3, 4), (-1, 2), [2, -1, 3], (12,), (-1,), (2, 2, 3), (1, 12, 1), (3, -1, 1)],
    ids=str,
)
def test_reshape_matches_keras(keras, rng, target_shape):
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    _assert_parity(keras.layers.Reshape(target_shape), Reshape(target_shape), x)


@pytest.mark.parametrize(
    "klass,args,shape",
    [
        ("Flatten", (), (4, 3, 2)),
        ("Flatten", ("channels_first",), (2, 4, 3)),
        ("Reshape", ((6, 4),), (4, 3, 2)),
        ("Reshape", ((-1, 3),), (12, 2)),
    ],
    ids=str,
)
def test_reshaping_in_sequential_matches_keras(keras, rng, klass, args, shape):
    kmodel = keras.Sequential(
        [keras.Input(shape), getattr(keras.layers, klass)(*args), keras.layers.Dense(3)]
    )
    layer = Flatten(*args) if klass == "Flatten" else Reshape(*args)
    model = jnet.Sequential([jnet.layers.Input(shape), layer, jnet.layers.Dense(3)])
    model.set_weights(kmodel.get_weights())
    x = rng.normal(size=(5, *shape)).astype(np.float32)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert model.output_shape == kmodel.output_shape
    assert model.count_params() == kmodel.count_params()
    assert model.layers[0].count_params() == 0


def test_defaults_match_keras_config(keras):
    assert Flatten().get_config()["data_format"] == keras.layers.Flatten().get_config()[
        "data_format"
    ]
    for target in [(3, 4), [-1, 2]]:
        kconfig = keras.layers.Reshape(target).get_config()
        assert Reshape(target).get_config()["target_shape"] == kconfig["target_shape"]
    assert Reshape([2, -1]).target_shape == [2, -1]  # stored as given


def test_reshape_resolves_minus_one():
    assert Reshape((-1, 2, 2)).resolved_shape((12,)) == (3, 2, 2)
    assert Reshape((4, 3)).resolved_shape((2, 6)) == (4, 3)


# -- validation errors -----------------------------------------------------------------------


def test_reshape_rejects_an_integer_target_shape():
    with pytest.raises(jnet.errors.JnetTypeError, match=r"target_shape=\(12,\)"):
        Reshape(12)
    with pytest.raises(jnet.errors.JnetTypeError, match="target_shape must be a tuple"):
        Reshape("3, 4")


@pytest.mark.parametrize("target_shape", [(0, 3), (-2, 3), (2.5,), (True, 2), (3, None)], ids=str)
def test_reshape_rejects_bad_dimensions(target_shape):
    with pytest.raises(jnet.errors.JnetValueError, match="target_shape must be a tuple of posi"):
        Reshape(target_shape)


def test_reshape_rejects_two_unknown_dimensions():
    with pytest.raises(jnet.errors.JnetValueError, match="at most one -1"):
        Reshape((-1, -1))


def test_reshape_size_mismatch_names_shapes_and_sizes():
    with pytest.raises(
        jnet.errors.JnetValueError,
        match=r"Reshape: cannot reshape inputs of shape \(None, 3, 4\) \(12 values per sample\) "
        r"into target_shape=\(5, 2\) \(10 values per sample\)",
    ):
        Reshape((5, 2)).apply({}, jnp.ones((2, 3, 4)))
    with pytest.raises(
        jnet.errors.JnetValueError, match=r"12 is not divisible by .* \(5\), so -1 cannot"
    ):
        Reshape((-1, 5)).apply({}, jnp.ones((2, 3, 4)))


def test_reshape_size_mismatch_at_sequential_build():
    model = jnet.Sequential([jnet.layers.Input((3, 4)), Reshape((5, 2))])
    with pytest.raises(jnet.errors.JnetValueError, match=r"shape \(None, 3, 4\).*\(5, 2\)"):
        model.build()


def test_flatten_rejects_unknown_data_format():
    with pytest.raises(
        jnet.errors.JnetValueError, match="Flatten: data_format must be one of 'channels_last'"
    ):
        Flatten("NCHW")


@pytest.mark.parametrize("layer", [Flatten(), Reshape((1,))], ids=["Flatten", "Reshape"])
def test_rejects_scalar_inputs(layer):
    with pytest.raises(jnet.errors.JnetValueError, match=r"expects inputs of rank >= 1"):
        layer.apply({}, jnp.float32(1.0))
