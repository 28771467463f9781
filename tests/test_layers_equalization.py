"""Equalization against Keras (TF backend): value ranges, bins, one-bin channels, layouts;
identity outside training; errors."""

import numpy as np
import pytest

import jnet
from jnet.layers.equalization import Equalization

X = np.random.default_rng(0).uniform(0, 255, (2, 5, 6, 3)).astype(np.float32)
CASES = [
    (dict(), X), (dict(bins=16), X), (dict(value_range=(0, 1)), X / 255),
    (dict(), np.round(X / 64) * 64), (dict(), np.full((1, 3, 3, 2), 7.0, np.float32)),
    (dict(data_format="channels_first"), X.transpose(0, 3, 1, 2)),
]


@pytest.mark.parametrize("kwargs,images", CASES, ids=[str(k) for k, _ in CASES])
def test_matches_keras(keras, kwargs, images):
    expected = np.asarray(keras.layers.Equalization(**kwargs)(images))  # Keras: training
    got = Equalization(**kwargs).apply({}, images, training=True)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-5)
    np.testing.assert_array_equal(Equalization(**kwargs).apply({}, images), images)


@pytest.mark.parametrize("make,message", [
    (lambda: Equalization(bins=0), "bins must be a positive integer, received 0"),
    (lambda: Equalization(value_range=(1,)), "value_range must be"),
    (lambda: Equalization().apply({}, np.ones((3, 3)), training=True), "rank 4"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
