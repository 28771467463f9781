"""RandomGaussianBlur against Keras (TF backend) given the same draws, inference identity,
per-image application, config and errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.random_gaussian_blur import RandomGaussianBlur

X = np.random.default_rng(0).uniform(0, 255, (2, 7, 8, 3)).astype(np.float32)
# factor (1, 1): always blur; a single sigma: Keras's draw is constant.
CASES = [dict(sigma=(0.5, 0.5)), dict(sigma=(1.0, 1.0), kernel_size=5, value_range=(0, 100)),
         dict(sigma=(0.7, 0.7), kernel_size=(3, 5))]


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_matches_keras_given_the_same_draws(keras, kwargs):
    expected = np.asarray(keras.layers.RandomGaussianBlur(factor=(1.0, 1.0), **kwargs)(
        X, training=True))
    layer = RandomGaussianBlur(factor=(1.0, 1.0), **kwargs)
    got = layer.apply({}, X, training=True, rngs={"dropout": jax.random.key(0)})
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(layer.apply({}, X), X)


def test_blur_probability_and_config():
    x = np.repeat(X[:1], 16, axis=0)
    out = RandomGaussianBlur(factor=(0.0, 0.0)).apply(
        {}, x, training=True, rngs={"dropout": jax.random.key(1)})
    np.testing.assert_array_equal(out, x)  # probability 0: never
    config = RandomGaussianBlur(kernel_size=(3, 5), seed=2).get_config()
    assert config["kernel_size"] == (3, 5) and config["seed"] == 2


@pytest.mark.parametrize("make,message", [
    (lambda: RandomGaussianBlur(kernel_size=4), "kernel_size must be an odd positive integer"),
    (lambda: RandomGaussianBlur(sigma=2.0), "sigma must be a number"),
    (lambda: RandomGaussianBlur(factor=-0.5), "factor must be a number"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
