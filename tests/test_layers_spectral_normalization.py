"""SpectralNormalization: Keras's power iteration, vector_u updated in training only,
weights in Keras's order, a fit equal to Keras 3 on JAX's, config and errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import SpectralNormalization

# Keras 3.15 with KERAS_BACKEND=jax (the numbers jnet follows, see the layer's docstring),
# from this script:
#   rng = np.random.default_rng(0)
#   x = rng.normal(size=(16, 4)); y = rng.normal(size=(16, 2))  (float32)
#   weights = [rng.normal(size=s) for s in [(4, 3), (1, 3), (3,), (3, 2), (2,)]]
#   Sequential([Input((4,)), SpectralNormalization(Dense(3), power_iterations=2), Dense(2)])
#   set_weights(weights); compile(SGD(0.1), "mse")
#   fit(x, y, epochs=2, batch_size=8, shuffle=False)
KERAS_JAX_LOSSES = [2.743986129760742, 1.799126386642456]
KERAS_JAX_VECTOR_U = [[-0.690791130065918, -0.08903343975543976, 0.7175517678260803]]
KERAS_JAX_PREDICTION = [[-0.5720211267471313, -0.20934152603149414],
                        [-0.5889734029769897, 2.5794405937194824]]


def test_fit_equals_keras_on_jax():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    weights = [rng.normal(size=s).astype("float32")
               for s in [(4, 3), (1, 3), (3,), (3, 2), (2,)]]
    model = jnet.Sequential([jnet.Input((4,)), SpectralNormalization(
        jnet.layers.Dense(3), power_iterations=2), jnet.layers.Dense(2)])
    model.set_weights(weights)
    assert [w.shape for w in model.get_weights()] == [w.shape for w in weights]
    assert len(model.non_trainable_weights) == 1
    model.compile(jnet.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["loss"], KERAS_JAX_LOSSES, rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], KERAS_JAX_VECTOR_U, atol=1e-5)
    np.testing.assert_allclose(model.predict(x[:2], verbose=0), KERAS_JAX_PREDICTION,
                               atol=1e-5)


@pytest.mark.parametrize("make", [
    lambda lib: lib.layers.Dense(3),
    lambda lib: lib.layers.Conv2D(2, 2),
    lambda lib: lib.layers.Embedding(6, 3),
], ids=["dense", "conv2d", "embedding"])
def test_training_call_matches_keras(keras, rng, make):
    """One training-mode call: output and new vector_u as Keras's (both backends agree on a
    single call); inference leaves vector_u alone and uses the stored kernel."""
    is_embedding = isinstance(make(jnet), jnet.layers.Embedding)
    x = (rng.integers(0, 6, size=(2, 4)) if is_embedding
         else rng.normal(size=(2, 5, 5, 1) if "Conv" in type(make(jnet)).__name__
                         else (2, 4)).astype("float32"))
    klayer = keras.layers.SpectralNormalization(make(keras), power_iterations=3)
    klayer(x)
    kweights = [np.asarray(w) for w in klayer.get_weights()]
    layer = SpectralNormalization(make(jnet), power_iterations=3)
    variables = layer.init(jax.random.key(0), x)
    variables = layer.set_keras_weights(variables, kweights)
    inference = layer.apply(variables, x)
    # Keras casts the output to the input's dtype (zeros for Embedding's integer ids): jnet
    # does not, so the wrapped layer's output is the reference
    np.testing.assert_allclose(inference, np.asarray(klayer.layer(x)), atol=1e-6)
    y, updates = layer.apply(variables, x, training=True, mutable=["batch_stats"])
    klayer(x, training=True)  # assigns kernel / sigma to the wrapped layer's kernel
    ky = np.asarray(klayer.layer(x))
    np.testing.assert_allclose(y, ky, atol=1e-5)
    np.testing.assert_allclose(updates["batch_stats"]["vector_u"],
                               np.asarray(klayer.vector_u), atol=1e-6)
    assert not np.allclose(updates["batch_stats"]["vector_u"], kweights[1])


def test_config_round_trip_and_errors(tmp_path):
    layer = SpectralNormalization(jnet.layers.Dense(3, name="d"), power_iterations=2)
    config = layer.get_config()
    assert config["power_iterations"] == 2 and config["layer"]["class_name"] == "Dense"
    model = jnet.Sequential([jnet.Input((4,)), layer])
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = jnet.saving.load_model(path)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(jnet.errors.JnetValueError, match="power_iterations"):
        SpectralNormalization(jnet.layers.Dense(3), power_iterations=0)
    with pytest.raises(jnet.errors.JnetValueError, match="layer must be a jnet layer"):
        SpectralNormalization("dense")
    with pytest.raises(jnet.errors.JnetValueError, match="no weight 'kernel'"):
        SpectralNormalization(jnet.layers.LayerNormalization())(x)
