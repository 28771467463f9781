"""GroupNormalization: Keras's outputs, weight layout, output shape, config, training through a
model (with RMSNormalization) and errors (reference: Keras 3 on TensorFlow)."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import GroupNormalization

TOL = {"rtol": 1e-5, "atol": 1e-5}

# (input shape, constructor kwargs)
CASES = [
    ((3, 5, 8), {"groups": 4}),
    ((3, 5, 8), {"groups": -1}),  # instance normalization
    ((3, 5, 8), {"groups": 1, "epsilon": 0.1}),  # layer normalization over (5, 8)
    ((2, 3, 4, 6), {"groups": 3}),
    ((2, 6, 3, 4), {"groups": 2, "axis": 1}),  # channels_first
    ((2, 4, 6, 3), {"groups": 2, "axis": -2}),
    ((3, 5, 8), {"groups": 2, "center": False}),
    ((3, 5, 8), {"groups": 2, "scale": False}),
]


@pytest.mark.parametrize("shape,kwargs", CASES)
def test_outputs_and_weights_match_keras(keras, rng, shape, kwargs):
    x = (rng.normal(size=shape) * 2.0 + 1.0).astype(np.float32)
    klayer = keras.layers.GroupNormalization(**kwargs)
    klayer.build(shape)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
    klayer.set_weights(weights)

    layer = GroupNormalization(**kwargs)
    variables = layer.init(jax.random.key(0), x)
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in weights]
    variables = layer.set_keras_weights(variables, weights)
    np.testing.assert_allclose(layer.apply(variables, x), np.asarray(klayer(x)), **TOL)
    assert layer.compute_output_shape(shape) == tuple(klayer.compute_output_shape(shape))
    kconfig, config = klayer.get_config(), layer.get_config()
    for key in ("axis", "epsilon", "center", "scale"):
        assert config[key] == kconfig[key], key
    # Keras rewrites groups=-1 to the channel count when it builds; jnet keeps the argument.
    assert config["groups"] == kwargs["groups"]
    assert kconfig["groups"] == (shape[kwargs.get("axis", -1)] if kwargs["groups"] == -1
                                 else kwargs["groups"])


def test_group_and_rms_normalization_train_as_keras_for_3_epochs(keras, rng):
    x = rng.normal(size=(64, 6, 4)).astype(np.float32)
    y = rng.normal(size=(64, 1)).astype(np.float32)

    def build(lib):
        return lib.Sequential([
            lib.layers.Input((6, 4)),
            lib.layers.GroupNormalization(groups=2),
            lib.layers.RMSNormalization(),
            lib.layers.Flatten(),
            lib.layers.Dense(1),
        ])

    kmodel, model = build(keras), build(jnet)
    weights = [rng.normal(size=w.shape).astype(np.float32) * 0.5 for w in kmodel.get_weights()]
    kmodel.set_weights(weights)
    model.set_weights(weights)
    for m, lib in ((kmodel, keras), (model, jnet)):
        m.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse")
    kwargs = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
    want = kmodel.fit(x, y, **kwargs).history["loss"]
    got = model.fit(x, y, **kwargs).history["loss"]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    for g, w in zip(model.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-4)


ERRORS = [
    (lambda: GroupNormalization(groups=0), ValueError, "groups"),
    (lambda: GroupNormalization(groups=2.0), ValueError, "groups"),
    (lambda: GroupNormalization(axis=[1, 2]), TypeError, "axis must be an integer"),
    (lambda: GroupNormalization(epsilon=0), ValueError, "epsilon"),
    (lambda: GroupNormalization(center="no"), TypeError, "center"),
    (lambda: GroupNormalization(groups=3).init(jax.random.key(0), np.ones((2, 4), np.float32)),
     ValueError, r"groups \(3\) must divide the number of channels \(4\)"),
    (lambda: GroupNormalization(groups=8).init(jax.random.key(0), np.ones((2, 4), np.float32)),
     ValueError, "cannot be more than the number of channels"),
    (lambda: GroupNormalization(axis=3).init(jax.random.key(0), np.ones((2, 4), np.float32)),
     ValueError, "out of bounds"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
