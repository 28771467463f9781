"""Resizing, CenterCrop, RandomCrop: Keras's outputs (TF backend), the random crop's window,
inference behaviour, shapes inside a model, config and argument errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.resizing import CenterCrop, RandomCrop, Resizing

KEY = jax.random.key(0)

# (class name, constructor kwargs, input shape, call kwargs for Keras)
CASES = [
    ("Resizing", dict(height=4, width=5), (2, 7, 9, 3)),
    ("Resizing", dict(height=10, width=4, crop_to_aspect_ratio=True), (2, 7, 9, 3)),
    ("Resizing", dict(height=5, width=5, pad_to_aspect_ratio=True, fill_value=3.0), (2, 7, 9, 3)),
    ("Resizing", dict(height=3, width=12, interpolation="nearest"), (7, 9, 2)),
    ("Resizing", dict(height=4, width=4, interpolation="bicubic"), (1, 7, 9, 1)),
    ("Resizing", dict(height=3, width=4, antialias=True), (2, 7, 9, 3)),
    ("Resizing", dict(height=4, width=6, data_format="channels_first"), (2, 3, 7, 9)),
    ("CenterCrop", dict(height=3, width=3), (2, 7, 9, 3)),
    ("CenterCrop", dict(height=10, width=4), (2, 7, 9, 3)),  # taller than the input: resize
    ("CenterCrop", dict(height=9, width=12), (7, 9, 3)),
    ("CenterCrop", dict(height=2, width=4, data_format="channels_first"), (2, 3, 7, 9)),
]


@pytest.mark.parametrize("name,kwargs,shape", CASES, ids=lambda v: str(v))
def test_matches_keras(keras, rng, name, kwargs, shape):
    x = rng.uniform(0, 255, size=shape).astype(np.float32)
    expected = np.asarray(getattr(keras.layers, name)(**kwargs)(x, training=False))
    got = getattr(jnet.layers, name)(**kwargs)(x)
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("size", [(3, 3), (7, 9), (10, 4), (2, 9)])
def test_random_crop_inference_is_keras_smart_resize(keras, rng, size):
    """Keras documents smart_resize at inference (its 3.15 code returns the inputs)."""
    x = rng.uniform(size=(2, 7, 9, 3)).astype(np.float32)
    expected = np.asarray(keras.preprocessing.image.smart_resize(x, size))
    np.testing.assert_allclose(RandomCrop(*size)(x, training=False), expected, rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("size", [(7, 9), (10, 4), (9, 12), (2, 9)])
def test_random_crop_training_on_small_images_matches_keras(keras, rng, size):
    """An image not larger than the target in both axes: Keras's deterministic crop+resize."""
    x = rng.uniform(size=(2, 7, 9, 3)).astype(np.float32)
    expected = np.asarray(keras.layers.RandomCrop(*size)(x, training=True))
    got = RandomCrop(*size).apply({}, x, training=True, rngs={"dropout": KEY})
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_resizing_keeps_integer_dtype_as_keras(keras, rng):
    x = rng.integers(0, 256, size=(2, 7, 9, 3)).astype(np.uint8)
    expected = np.asarray(keras.layers.Resizing(4, 5)(x))
    got = Resizing(4, 5)(x)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, expected)


def test_random_crop_draws_one_window_per_call_from_the_key():
    x = np.arange(2 * 6 * 8, dtype=np.float32).reshape(2, 6, 8, 1)
    layer = RandomCrop(3, 4)
    outs = [np.asarray(layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(k)}))
            for k in range(12)]
    corners = set()
    for out in outs:
        top, left = divmod(int(out[0, 0, 0, 0]), 8)
        np.testing.assert_array_equal(out, x[:, top:top + 3, left:left + 4])  # one window
        corners.add((top, left))
    assert len(corners) > 3 and all(t <= 3 and l_ <= 4 for t, l_ in corners)
    again = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(5)})
    np.testing.assert_array_equal(again, outs[5])
    seeded = RandomCrop(3, 4, seed=1).apply({}, x, training=True, rngs={"dropout": KEY})
    assert seeded.shape == (2, 3, 4, 1)


def test_in_a_model_output_shapes_and_predict():
    model = jnet.Sequential([
        jnet.layers.Input((8, 8, 1)), RandomCrop(6, 6), Resizing(4, 4), CenterCrop(2, 2),
    ])
    assert model.output_shape == (None, 2, 2, 1)
    x = np.arange(64, dtype=np.float32).reshape(1, 8, 8, 1)
    expected = CenterCrop(2, 2)(Resizing(4, 4)(RandomCrop(6, 6)(x, training=False)))
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    inputs = jnet.layers.Input((7, 9, 3))
    outputs = CenterCrop(3, 5)(Resizing(10, 12)(inputs))
    assert tuple(outputs.shape) == (None, 3, 5, 3)


def test_config_matches_keras_and_round_trips(keras):
    for cls, kwargs in [(Resizing, dict(height=4, width=5)), (CenterCrop, dict(height=3, width=3)),
                        (RandomCrop, dict(height=3, width=3, seed=2))]:
        expected = getattr(keras.layers, cls.__name__)(**kwargs).get_config()
        config = cls(**kwargs).get_config()
        for key, value in config.items():
            if key in expected and key != "name":
                assert value == expected[key], (cls.__name__, key)
        assert set(expected) - set(config) <= {"dtype", "name"}
        rebuilt = cls(**{k: v for k, v in config.items() if k != "trainable"})
        assert rebuilt.get_config() == config


@pytest.mark.parametrize("make,message", [
    (lambda: Resizing(0, 4), "height must be a positive integer, received 0"),
    (lambda: CenterCrop(3, 2.5), "width must be a positive integer, received 2.5"),
    (lambda: Resizing(2, 2, interpolation="cubic"), "interpolation"),
    (lambda: Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), "only one"),
    (lambda: RandomCrop(2, 2, seed=-1), "seed must be None or a non-negative integer"),
    (lambda: CenterCrop(2, 2, data_format="nhwc"), "data_format"),
    (lambda: Resizing(2, 2)(np.ones((4, 4))), "rank 4"),
])
def test_errors(make, message):
    with pytest.raises((jnet.errors.JnetValueError, jnet.errors.UnknownIdentifierError),
                       match=message):
        make()


def test_random_crop_training_needs_a_key():
    with pytest.raises(jnet.errors.JnetValueError, match="'dropout' PRNG key"):
        RandomCrop(2, 2).apply({}, np.ones((1, 4, 4, 1), np.float32), training=True)
