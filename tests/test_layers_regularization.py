"""Dropout, SpatialDropout and Gaussian noise layers: statistics (formula), Keras's scaling,
inference identity, rng handling, model use, defaults and errors."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.regularization import (
    Dropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)

ALL = [
    Dropout(0.3),
    SpatialDropout1D(0.3),
    SpatialDropout2D(0.3),
    SpatialDropout3D(0.3),
    GaussianNoise(0.3),
    GaussianDropout(0.3),
]
SHAPES = {
    "Dropout": (4, 6),
    "SpatialDropout1D": (4, 5, 6),
    "SpatialDropout2D": (4, 3, 5, 6),
    "SpatialDropout3D": (4, 2, 3, 5, 6),
    "GaussianNoise": (4, 6),
    "GaussianDropout": (4, 6),
}


def _key(seed):
    return {"dropout": jax.random.key(seed)}


def _train(layer, x, seed=0):
    return np.asarray(layer.apply({}, x, training=True, rngs=_key(seed)))


@pytest.mark.parametrize("layer", ALL, ids=lambda lay: type(lay).__name__)
def test_every_layer_is_identity_in_inference_and_random_in_training(layer, rng):
    x = rng.normal(size=SHAPES[type(layer).__name__]).astype(np.float32)
    np.testing.assert_array_equal(layer.apply({}, x), x)  # no rng needed
    np.testing.assert_array_equal(layer.apply({}, x, training=False, rngs=_key(0)), x)
    a, b, c = _train(layer, x, 0), _train(layer, x, 0), _train(layer, x, 1)
    np.testing.assert_array_equal(a, b)  # same rng, same noise
    assert not np.array_equal(a, c)  # another rng, other noise
    assert not np.array_equal(a, x)
    jitted = jax.jit(lambda x, key: layer.apply({}, x, training=True, rngs={"dropout": key}))
    np.testing.assert_allclose(jitted(x, jax.random.key(0)), a, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("layer", ALL, ids=lambda lay: type(lay).__name__)
def test_every_layer_has_no_weights_and_keeps_shape(layer):
    shape = SHAPES[type(layer).__name__]
    variables = layer.init(jax.random.key(0), jnp.ones(shape))
    assert jax.tree_util.tree_leaves(variables) == []
    assert layer.apply({}, jnp.ones(shape), training=True, rngs=_key(0)).shape == shape


def test_dropout_keeps_one_minus_rate_and_scales_like_tensorflow(keras):
    x = np.ones((500, 400), np.float32)
    y = _train(Dropout(0.3), x)
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    scale = np.float32(1.0 / 0.7)  # TF multiplies by 1/(1-rate) computed in double
    np.testing.assert_array_equal(y[kept], np.full(kept.sum(), scale))
    ky = np.asarray(keras.layers.Dropout(0.3)(x[:50], training=True))
    assert set(np.unique(ky).tolist()) == {0.0, float(scale)}


def test_dropout_scales_arbitrary_values(rng):
    x = rng.normal(size=(64, 64)).astype(np.float32)
    y = _train(Dropout(0.25), x)
    kept = y != 0
    np.testing.assert_array_equal(y[kept], x[kept] * np.float32(1.0 / 0.75))


def test_dropout_rate_zero_is_identity_and_rate_one_drops_all():
    x = np.ones((8, 8), np.float32)
    np.testing.assert_array_equal(Dropout(0.0).apply({}, x, training=True), x)  # no rng needed
    np.testing.assert_array_equal(Dropout(1.0).apply({}, x, training=True, rngs=_key(0)), 0 * x)


def test_dropout_noise_shape_broadcasts():
    x = np.ones((200, 5, 40), np.float32)
    y = _train(Dropout(0.5, noise_shape=(None, 1, 40)), x)
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1, :], y.shape))
    assert abs((y[:, 0, :] != 0).mean() - 0.5) < 0.03
    y = _train(Dropout(0.5, [200, 5, 1]), x)  # a list, positional
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :, :1], y.shape))


def test_dropout_noise_shape_must_fit_the_inputs():
    with pytest.raises(jnet.errors.JnetValueError, match="does not broadcast"):
        Dropout(0.5, noise_shape=(None, 3)).apply({}, jnp.ones((2, 4)), training=True,
                                                 rngs=_key(0))
    with pytest.raises(jnet.errors.JnetValueError, match="does not broadcast"):
        Dropout(0.5, noise_shape=(None, 1)).apply({}, jnp.ones((2, 4, 3)), training=True,
                                                 rngs=_key(0))


@pytest.mark.parametrize(
    "layer,shape,channel_axes",
    [
        (SpatialDropout1D(0.4), (300, 6, 20), (0, 2)),
        (SpatialDropout2D(0.4), (150, 4, 5, 20), (0, 3)),
        (SpatialDropout2D(0.4, "channels_first"), (150, 20, 4, 5), (0, 1)),
        (SpatialDropout3D(0.4), (100, 2, 3, 2, 20), (0, 4)),
        (SpatialDropout3D(0.4, data_format="channels_first"), (100, 20, 2, 3, 2), (0, 1)),
    ],
    ids=["1d", "2d", "2d_first", "3d", "3d_first"],
)
def test_spatial_dropout_drops_whole_channels(layer, shape, channel_axes):
    y = _train(layer, np.ones(shape, np.float32))
    spatial = tuple(i for i in range(len(shape)) if i not in channel_axes)
    first = y[tuple(slice(None) if i in channel_axes else slice(0, 1) for i in range(len(shape)))]
    np.testing.assert_array_equal(y, np.broadcast_to(first, shape))  # constant per map
    kept = first.squeeze(spatial) != 0
    assert abs(kept.mean() - 0.6) < 0.03
    np.testing.assert_array_equal(np.unique(y), [0.0, np.float32(1.0 / 0.6)])


@pytest.mark.parametrize(
    "layer,shape,message",
    [
        (SpatialDropout1D(0.5), (2, 3), r"rank 3 \(batch, steps, channels\).*\(2, 3\)"),
        (SpatialDropout2D(0.5), (2, 3, 4), r"rank 4 \(batch, height, width, channels\)"),
        (SpatialDropout2D(0.5, "channels_first"), (2, 3), r"\(batch, channels, height, width\)"),
        (SpatialDropout3D(0.5), (2, 3, 4, 5), r"rank 5"),
    ],
)
def test_spatial_dropout_checks_rank_even_in_inference(layer, shape, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        layer.apply({}, jnp.ones(shape))


def test_gaussian_noise_statistics():
    x = np.full((400, 500), 2.0, np.float32)
    noise = _train(GaussianNoise(0.2), x) - x
    assert abs(noise.mean()) < 0.002
    assert abs(noise.std() - 0.2) < 0.002
    np.testing.assert_array_equal(GaussianNoise(0.0).apply({}, x, training=True), x)


def test_gaussian_dropout_statistics():
    x = np.full((400, 500), 3.0, np.float32)
    factor = _train(GaussianDropout(0.3), x) / 3.0
    assert abs(factor.mean() - 1.0) < 0.005
    assert abs(factor.std() - math.sqrt(0.3 / 0.7)) < 0.005
    np.testing.assert_array_equal(GaussianDropout(0.0).apply({}, x, training=True), x)


# -- through a model --------------------------------------------------------------------------


def test_dropout_in_a_model_matches_keras_in_inference(keras, rng):
    x = rng.normal(size=(9, 5, 4)).astype(np.float32)
    klayers = [keras.layers.Dense(3), keras.layers.Dropout(0.5), keras.layers.SpatialDropout1D(0.2),
               keras.layers.GaussianNoise(0.1), keras.layers.GaussianDropout(0.2)]
    kmodel = keras.Sequential([keras.Input((5, 4)), *klayers])
    model = jnet.Sequential([
        jnet.layers.Input((5, 4)), jnet.layers.Dense(3), Dropout(0.5), SpatialDropout1D(0.2),
        GaussianNoise(0.1), GaussianDropout(0.2),
    ])
    model.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert model.count_params() == kmodel.count_params()
    assert model.output_shape == kmodel.output_shape
    assert [lay.name for lay in model.layers] == [
        "dense", "dropout", "spatial_dropout1d", "gaussian_noise", "gaussian_dropout"
    ]


def test_dropout_is_active_in_the_models_training_forward(rng):
    x = np.ones((64, 32), np.float32)
    model = jnet.Sequential([jnet.layers.Input((32,)), Dropout(0.5)])
    variables = model.variables
    params, state = variables["params"], {k: v for k, v in variables.items() if k != "params"}
    a, _, _ = model.forward(params, state, x, training=True, rng=jax.random.key(0))
    b, _, _ = model.forward(params, state, x, training=True, rng=jax.random.key(1))
    assert set(np.unique(np.asarray(a)).tolist()) == {0.0, 2.0}
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)


def test_model_with_dropout_fits():
    data = np.random.default_rng(1)
    x = data.normal(size=(32, 4)).astype(np.float32)
    y = data.normal(size=(32, 1)).astype(np.float32)
    model = jnet.Sequential([jnet.layers.Input((4,)), jnet.layers.Dense(8), Dropout(0.5),
                             jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert all(np.isfinite(history.history["loss"]))


# -- defaults, config, errors -----------------------------------------------------------------


def test_defaults_and_positional_order_are_keras(keras):
    for name, args in [("Dropout", (0.5,)), ("GaussianNoise", (0.5,)),
                       ("GaussianDropout", (0.5,)), ("SpatialDropout1D", (0.5,)),
                       ("SpatialDropout2D", (0.5,))]:
        kconfig = getattr(keras.layers, name)(*args).get_config()
        config = getattr(jnet.layers.regularization, name)(*args).get_config()
        for key, value in kconfig.items():
            if key in ("name", "dtype", "trainable"):
                continue
            if key == "data_format":
                assert value == "channels_last" and config[key] is None
                continue
            assert config[key] == value, (name, key)
    layer = Dropout(0.2, (None, 1), 7)
    assert (layer.rate, layer.noise_shape, layer.seed) == (0.2, (None, 1), 7)
    layer = SpatialDropout2D(0.2, "channels_first", 3)
    assert (layer.rate, layer.data_format, layer.seed) == (0.2, "channels_first", 3)
    assert SpatialDropout1D(0.2, 5).seed == 5
    assert GaussianNoise(0.1, 4).seed == 4 and GaussianDropout(0.1, 4).seed == 4


@pytest.mark.parametrize("rate", [1.5, -0.1, float("nan"), "0.5", None, True])
@pytest.mark.parametrize("cls", [Dropout, SpatialDropout1D, SpatialDropout2D, GaussianDropout])
def test_rejects_bad_rate(cls, rate):
    with pytest.raises(jnet.errors.JnetValueError, match=r"rate must be a float in \[0, 1"):
        cls(rate)


def test_gaussian_dropout_rejects_rate_one_and_noise_rejects_bad_stddev():
    with pytest.raises(jnet.errors.JnetValueError, match=r"rate must be a float in \[0, 1\)"):
        GaussianDropout(1.0)
    with pytest.raises(jnet.errors.JnetValueError, match=r"stddev must be a float in \[0, 1\]"):
        GaussianNoise(-0.5)
    with pytest.raises(jnet.errors.JnetValueError, match=r"stddev"):
        GaussianNoise(1.5)  # Keras's range


def test_rejects_bad_noise_shape_seed_and_data_format():
    with pytest.raises(jnet.errors.JnetValueError, match="noise_shape must be a tuple"):
        Dropout(0.5, noise_shape="batch")
    with pytest.raises(jnet.errors.JnetValueError, match="noise_shape must contain positive"):
        Dropout(0.5, noise_shape=(None, 0))
    with pytest.raises(jnet.errors.JnetValueError, match="seed must be None or a non-negative"):
        Dropout(0.5, seed=-1)
    with pytest.raises(jnet.errors.JnetValueError, match="data_format must be one of"):
        SpatialDropout2D(0.5, data_format="NHWC")
