"""EinsumDense: Keras's kernel and bias shapes, outputs, output shape, initializer fans,
config and errors (reference: Keras 3 on TensorFlow)."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import EinsumDense

TOL = {"rtol": 1e-5, "atol": 1e-5}

# (equation, output_shape, bias_axes, input shape, activation)
CASES = [
    ("ab,bc->ac", 4, "c", (3, 5), None),
    ("ab,bc->ac", (4,), None, (3, 5), "relu"),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5), None),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 3, 5), "tanh"),
    ("abcd,cde->abe", (3, 4), "e", (2, 3, 2, 5), None),
    ("...b,bc->...c", (4,), "c", (2, 3, 5), None),
    ("ab...,bc->ac...", (4,), "c", (2, 5, 6), None),
]


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape,activation", CASES)
def test_outputs_and_weights_match_keras(keras, rng, equation, output_shape, bias_axes, shape,
                                         activation):
    x = rng.normal(size=shape).astype(np.float32)
    kwargs = dict(equation=equation, output_shape=output_shape, bias_axes=bias_axes,
                  activation=activation)
    klayer = keras.layers.EinsumDense(**kwargs)
    klayer.build(shape)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
    klayer.set_weights(weights)

    layer = EinsumDense(**kwargs)
    variables = layer.init(jax.random.key(0), x)
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in weights]
    variables = layer.set_keras_weights(variables, weights)
    np.testing.assert_allclose(layer.apply(variables, x), np.asarray(klayer(x)), **TOL)
    batchless = (None, *shape[1:])
    assert layer.compute_output_shape(batchless) == klayer.compute_output_shape(batchless)
    kconfig, config = klayer.get_config(), layer.get_config()
    for key in ("equation", "bias_axes"):
        assert config[key] == kconfig[key], key
    assert (config["activation"] or "linear") == kconfig["activation"]  # None: as Dense's
    assert tuple(config["output_shape"]) == tuple(kconfig["output_shape"])


def test_glorot_kernel_uses_the_equation_fans():
    """Keras gives VarianceScaling the kernel's input/output axes: kernel (8, 2, 4) of
    'abc,cde->abde' has fan_in 8 and fan_out 8, so glorot's limit is sqrt(6 / 16)."""
    layer = EinsumDense("abc,cde->abde", (None, 20, 30), bias_axes="de")
    variables = layer.init(jax.random.key(0), np.ones((1, 3, 40), np.float32))
    kernel = np.asarray(variables["params"]["kernel"])
    limit = np.sqrt(6.0 / (40 + 600))
    assert kernel.shape == (40, 20, 30)
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.99 * limit


def test_trains_in_a_sequential_model(rng):
    model = jnet.Sequential([jnet.layers.Input((3, 5)),
                             EinsumDense("abc,cd->abd", (None, 2), bias_axes="d")])
    model.compile(optimizer="sgd", loss="mse")
    x = rng.normal(size=(16, 3, 5)).astype(np.float32)
    history = model.fit(x, np.zeros((16, 3, 2), np.float32), epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.output_shape == (None, 3, 2)


ERRORS = [
    (lambda: EinsumDense("ab->ac", 4), ValueError, "invalid einsum equation"),
    (lambda: EinsumDense(3, 4), TypeError, "equation must be a string"),
    (lambda: EinsumDense("ab,bc->ac", "4"), TypeError, "output_shape must be an int"),
    (lambda: EinsumDense("ab,bc->ac", (0,)), ValueError, "positive integers or None"),
    (lambda: EinsumDense("ab,bc->ac", 4, bias_axes=1), TypeError, "bias_axes"),
    (lambda: EinsumDense("ab,bc->ac", 4, bias_axes="x").init(
        jax.random.key(0), np.ones((2, 3), np.float32)), ValueError, "bias dimension 'x'"),
    (lambda: EinsumDense("ab,bc->ad", 4).init(jax.random.key(0), np.ones((2, 3), np.float32)),
     ValueError, "dimension 'd' was specified in the output"),
    (lambda: EinsumDense("abc,cd->abd", (5, 4)).init(
        jax.random.key(0), np.ones((2, 3, 6), np.float32)), ValueError, "do not match"),
    (lambda: EinsumDense("abc,cd->abd", (4,)).init(
        jax.random.key(0), np.ones((2, 3, 6), np.float32)), ValueError, "wrong length"),
    (lambda: EinsumDense("ab,bc->ac", 4, activation="nope"), ValueError, "nope"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
