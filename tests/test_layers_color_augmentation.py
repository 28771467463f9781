"""Colour augmentations: Keras's transforms (TF backend) given the same factors (degenerate
factor ranges make Keras's draws constant), inference is the identity, draws vary per
image and repeat per key, config and errors."""

import jax
import numpy as np
import pytest

import jnet

KEY = jax.random.key(0)


def _train(layer, images, key=KEY):
    """The layer in training mode, compiled (cheaper than op-by-op dispatch)."""
    run = jax.jit(lambda x, k: layer.apply({}, x, training=True, rngs={"dropout": k}))
    return np.asarray(run(images, key))
RNG = np.random.default_rng(0)
X = RNG.uniform(0, 255, (2, 5, 6, 3)).astype(np.float32)
X01 = X / 255

# (layer, kwargs, images): kwargs whose draws are constant, so Keras's output is determined
CASES = [
    ("RandomBrightness", dict(factor=(0.1, 0.1)), X),
    ("RandomBrightness", dict(factor=(-0.3, -0.3), value_range=(0, 1)), X01),
    ("RandomGrayscale", dict(factor=1.0), X),
    ("RandomGrayscale", dict(factor=1.0, data_format="channels_first"), X.transpose(0, 3, 1, 2)),
    ("RandomInvert", dict(factor=(1.0, 1.0)), X),
    ("Solarization", dict(), X),
    ("Solarization", dict(threshold_factor=(0.0, 0.0), value_range=(0, 1)), X01),
    ("RandomColorDegeneration", dict(factor=(0.3, 0.3)), X),
    ("RandomSaturation", dict(factor=(0.3, 0.3)), X),
    ("RandomSaturation", dict(factor=(0.8, 0.8), value_range=(0, 1)), X01),
    ("RandomHue", dict(factor=(0.0, 0.0)), X),
    ("RandomHue", dict(factor=(1.0, 1.0), value_range=(0, 1)), X01),  # half a turn: either sign
    ("RandomPosterization", dict(factor=(3, 3)), X),
    ("RandomPosterization", dict(factor=(5, 5), value_range=(0, 1)), X01),
    ("RandomSharpness", dict(factor=(0.2, 0.2)), X),
    ("RandomSharpness", dict(factor=(0.9, 0.9)), X),
    ("RandomColorJitter", dict(brightness_factor=(0.1, 0.1), saturation_factor=(0.6, 0.6),
                               hue_factor=(0.0, 0.0)), X),
    ("AutoContrast", dict(), X),
    ("AutoContrast", dict(value_range=(0, 1)), X01 * 0.5 + 0.2),
]


@pytest.mark.parametrize("name,kwargs,images", CASES,
                         ids=[f"{n}-{sorted(k.items())}" for n, k, _ in CASES])
def test_matches_keras_given_the_same_factors(keras, name, kwargs, images):
    expected = np.asarray(getattr(keras.layers, name)(**kwargs)(images, training=True))
    layer = getattr(jnet.layers, name)(**kwargs)
    got = _train(layer, images)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=2e-4)
    if name != "AutoContrast":  # the only one Keras applies at inference
        np.testing.assert_array_equal(layer.apply({}, images), images)


def test_auto_contrast_on_integers_gives_float32_as_keras(keras):
    x = X.astype(np.uint8)
    got = jnet.layers.AutoContrast()(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.asarray(keras.layers.AutoContrast()(x)), atol=1e-4)


@pytest.mark.parametrize("name,kwargs", [
    ("RandomSaturation", dict(factor=0.5)), ("RandomSharpness", dict(factor=1.0)),
    ("RandomPosterization", dict(factor=(2, 8))), ("RandomInvert", dict()),
    ("Solarization", dict(addition_factor=0.5, threshold_factor=0.5)),
])
def test_draws_differ_per_image_and_repeat_per_key(name, kwargs):
    x = np.repeat(X[:1], 8, axis=0)
    layer = getattr(jnet.layers, name)(**kwargs)
    run = jax.jit(lambda images, k: layer.apply({}, images, training=True, rngs={"dropout": k}))
    out = np.asarray(run(x, KEY))
    assert len({out[i].tobytes() for i in range(8)}) > 1
    np.testing.assert_array_equal(run(x, KEY), out)
    if name == "RandomSaturation":  # one image (rank 3) too
        assert run(X[0], KEY).shape == X[0].shape


def test_in_a_model_and_config():
    model = jnet.Sequential([
        jnet.layers.Input((5, 6, 3)), jnet.layers.RandomBrightness(0.2),
        jnet.layers.RandomHue(0.1), jnet.layers.AutoContrast(),
    ])
    np.testing.assert_allclose(model.predict(X, verbose=0), jnet.layers.AutoContrast()(X),
                               atol=1e-4)  # inference: only AutoContrast acts
    layer = jnet.layers.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=3)
    config = layer.get_config()
    assert config["brightness_factor"] == 0.2 and config["seed"] == 3
    rebuilt = jnet.layers.RandomColorJitter(**{k: v for k, v in config.items()
                                                if k != "trainable"})
    assert rebuilt.get_config() == config


@pytest.mark.parametrize("make,message", [
    (lambda: jnet.layers.RandomBrightness(1.5), "factor must be a number"),
    (lambda: jnet.layers.RandomBrightness(0.2, value_range=(0,)), "value_range must be"),
    (lambda: jnet.layers.RandomGrayscale(1.2), "factor must be a number between 0 and 1"),
    (lambda: jnet.layers.RandomHue(-0.5), "factor must be a number"),
    (lambda: jnet.layers.RandomPosterization(9), "factor must be a number"),
    (lambda: jnet.layers.Solarization(addition_factor=2.0), "addition_factor must be"),
    (lambda: jnet.layers.RandomSharpness(0.5, seed=-3), "seed must be None"),
    (lambda: jnet.layers.AutoContrast()(np.ones((4, 4))), "rank 4"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
