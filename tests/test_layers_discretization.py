"""Discretization: buckets and encodings against Keras (TF backend), adapt's boundaries equal
Keras's (arrays and batches), config round trip, a model, errors."""

import numpy as np
import pytest

import jnet
from jnet.layers.discretization import Discretization


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_fixed_boundaries_match_keras(keras, rng, mode):
    bounds = [-1.0, 0.0, 0.5, 2.0]
    x = np.concatenate([rng.normal(size=(4, 3)), [[0.0, 0.5, -1.0]]]).astype(np.float32)
    expected = np.asarray(keras.layers.Discretization(bounds, output_mode=mode)(x))
    got = Discretization(bounds, output_mode=mode)(x)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("num_bins,epsilon,batched", [(5, 0.01, False), (4, 0.001, True),
                                                       (3, 0.1, True)])
def test_adapt_learns_keras_boundaries(keras, rng, num_bins, epsilon, batched):
    data = rng.normal(size=(600,)).astype(np.float32)
    source = [data[:250], data[250:]] if batched else data
    klayer = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    klayer.adapt(source)
    layer = Discretization(num_bins=num_bins, epsilon=epsilon)
    layer.adapt(iter(source) if batched else source)
    np.testing.assert_allclose(layer.get_config()["bin_boundaries"], klayer.bin_boundaries,
                               rtol=1e-6)
    x = rng.normal(size=(8,)).astype(np.float32)
    np.testing.assert_array_equal(layer(x), np.asarray(klayer(x)))


def test_adapted_config_round_trips_and_keras_config_loads(keras):
    layer = Discretization(num_bins=4, epsilon=0.25)
    layer.adapt(np.arange(1.0, 9.0))
    config = layer.get_config()
    assert config["bin_boundaries"] == [2.0, 4.0, 6.0] and config["num_bins"] == 4
    rebuilt = Discretization(**{k: v for k, v in config.items() if k != "trainable"})
    np.testing.assert_array_equal(rebuilt(np.array([1.0, 5.0])), [0, 2])
    klayer = keras.layers.Discretization(num_bins=4, epsilon=0.25)
    klayer.adapt(np.arange(1.0, 9.0))
    kconfig = {k: v for k, v in klayer.get_config().items() if k != "dtype"}
    np.testing.assert_array_equal(Discretization(**kconfig)(np.array([1.0, 5.0])), [0, 2])


def test_in_a_model():
    model = jnet.Sequential([jnet.layers.Input((2,)), Discretization([0.0, 1.0],
                                                                     output_mode="multi_hot")])
    got = model.predict(np.array([[-1.0, 5.0], [0.5, 0.7]], np.float32), verbose=0)
    np.testing.assert_array_equal(got, [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])


@pytest.mark.parametrize("make,message", [
    (lambda: Discretization(), "set either num_bins"),
    (lambda: Discretization(num_bins=-1), "num_bins must be an integer >= 0, received -1"),
    (lambda: Discretization([0.0], output_mode="tf_idf"), "output_mode must be one of"),
    (lambda: Discretization([2.0, 1.0]), "sorted in increasing order"),
    (lambda: Discretization([0.0], sparse=True), "sparse=True is not supported"),
    (lambda: Discretization([0.0]).adapt(np.ones(3)), "adapt\\(\\) needs num_bins"),
    (lambda: Discretization(num_bins=2)(np.ones(3)), "no bin boundaries yet"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
