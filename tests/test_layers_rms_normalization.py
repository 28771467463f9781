"""RMSNormalization: Keras's outputs, weight layout, output shape, config and errors
(reference: Keras 3 on TensorFlow); training is in test_layers_group_normalization.py."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import RMSNormalization

TOL = {"rtol": 1e-5, "atol": 1e-5}

# (input shape, constructor kwargs)
CASES = [
    ((3, 5), {}),
    ((3, 4, 5), {"epsilon": 0.5}),
    ((2, 3, 4, 5), {"axis": [-2, -1]}),
    ((2, 3, 4), {"axis": 2}),
]


@pytest.mark.parametrize("shape,kwargs", CASES)
def test_outputs_and_weights_match_keras(keras, rng, shape, kwargs):
    x = (rng.normal(size=shape) * 2.0 + 1.0).astype(np.float32)
    klayer = keras.layers.RMSNormalization(**kwargs)
    klayer.build(shape)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
    klayer.set_weights(weights)

    layer = RMSNormalization(**kwargs)
    variables = layer.init(jax.random.key(0), x)
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in weights]
    variables = layer.set_keras_weights(variables, weights)
    np.testing.assert_allclose(layer.apply(variables, x), np.asarray(klayer(x)), **TOL)
    assert layer.compute_output_shape(shape) == tuple(klayer.compute_output_shape(shape))
    assert layer.get_config()["epsilon"] == klayer.get_config()["epsilon"]


def test_default_epsilon_and_formula():
    layer = RMSNormalization()
    assert layer.epsilon == 1e-6
    x = np.array([[3.0, 4.0]], np.float32)
    out = layer.apply(layer.init(jax.random.key(0), x), x)
    np.testing.assert_allclose(out, x / np.sqrt(12.5 + 1e-6), rtol=1e-6)


ERRORS = [
    (lambda: RMSNormalization(epsilon=-1.0), ValueError, "epsilon"),
    (lambda: RMSNormalization(axis="last"), TypeError, "axis"),
    (lambda: RMSNormalization(axis=3).init(jax.random.key(0), np.ones((2, 4), np.float32)),
     ValueError, "out of bounds"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
