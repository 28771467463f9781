"""RandomErasing: a box per image filled with the fill value (or clipped noise), its area in
Keras's range, the probability switch, inference identity, config, errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.random_erasing import RandomErasing

X = np.random.default_rng(0).uniform(10, 200, (8, 10, 12, 3)).astype(np.float32)


def test_erases_one_box_per_image_with_the_fill():
    layer = RandomErasing(factor=(1.0, 1.0), scale=(0.1, 0.3), fill_value=(1.0, 2.0, 300.0))
    out = np.asarray(layer.apply({}, X, training=True, rngs={"dropout": jax.random.key(0)}))
    for i in range(len(X)):
        erased = (out[i] != X[i]).any(-1)
        rows, cols = np.nonzero(erased)
        assert erased[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()  # a box
        np.testing.assert_array_equal(out[i][erased], [[1.0, 2.0, 255.0]] * erased.sum())
        # each side is sqrt(U(0.1, 0.3)) of the image: between 0.31 and 0.55 of it, +- 1 px
        assert 0.31 * 12 - 1 <= cols.max() - cols.min() + 1 <= 0.55 * 12 + 1
        assert 0.31 * 10 - 1 <= rows.max() - rows.min() + 1 <= 0.55 * 10 + 1
    np.testing.assert_array_equal(layer.apply({}, X), X)


def test_noise_fill_probability_and_config():
    out = np.asarray(RandomErasing(factor=(1.0, 1.0), value_range=(0, 100)).apply(
        {}, X, training=True, rngs={"dropout": jax.random.key(1)}))
    changed = out != X
    assert changed.any() and out[changed].min() >= 0 and out[changed].max() <= 100
    never = RandomErasing(factor=(0.0, 0.0)).apply(
        {}, X, training=True, rngs={"dropout": jax.random.key(1)})
    np.testing.assert_array_equal(never, X)
    config = RandomErasing(scale=(0.1, 0.2), fill_value=3.0, seed=2).get_config()
    assert config["scale"] == (0.1, 0.2) and config["fill_value"] == 3.0


@pytest.mark.parametrize("make,message", [
    (lambda: RandomErasing(factor=2.0), "factor must be a number"),
    (lambda: RandomErasing(scale=1.5), "scale must be a number"),
    (lambda: RandomErasing(fill_value=(1.0, 2.0)), "fill_value must be None"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
