"""Pipeline: layers applied in order with the training flag, Keras's outputs for a
deterministic chain, a model that trains, jnet saving, and a Keras ``.keras`` file holding a
Pipeline and other preprocessing layers (random ones are the identity at inference)."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.pipeline import Pipeline


def _chain(layers):
    return [layers.CenterCrop(4, 4), layers.Resizing(3, 5), layers.Rescaling(0.5, -1.0)]


def test_matches_keras_and_passes_training(keras, rng):
    x = rng.uniform(0, 255, size=(2, 6, 7, 3)).astype(np.float32)
    expected = np.asarray(keras.layers.Pipeline(_chain(keras.layers))(x))
    np.testing.assert_allclose(Pipeline(_chain(jnet.layers))(x), expected, rtol=1e-5, atol=1e-4)
    augment = Pipeline([jnet.layers.RandomFlip("horizontal"), jnet.layers.RandomCrop(3, 3)])
    assert augment(x).shape == (2, 3, 3, 3)  # inference: no flip, RandomCrop smart-resizes
    out = augment.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    assert out.shape == (2, 3, 3, 3)


def test_in_a_model_fits_and_saves(tmp_path):
    model = jnet.Sequential([
        jnet.layers.Input((6, 6, 1)),
        Pipeline([jnet.layers.RandomFlip(), jnet.layers.CenterCrop(4, 4)]),
        jnet.layers.Flatten(), jnet.layers.Dense(1),
    ])
    model.compile("sgd", "mse")
    x = np.ones((4, 6, 6, 1), np.float32)
    history = model.fit(x, np.zeros((4, 1), np.float32), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    model.save(tmp_path / "m.jnet")
    loaded = jnet.saving.load_model(tmp_path / "m.jnet")
    assert [type(layer).__name__ for layer in loaded.layers[0].layers] == ["RandomFlip",
                                                                         "CenterCrop"]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_file_with_preprocessing_layers_loads(keras, rng, tmp_path):
    kmodel = keras.Sequential([
        keras.Input((6, 7, 3)), keras.layers.Pipeline(_chain(keras.layers)),
        keras.layers.AutoContrast(), keras.layers.RandomBrightness(0.2), keras.layers.MixUp(),
        keras.layers.RandomColorJitter(brightness_factor=0.1, hue_factor=0.1),
        keras.layers.Solarization(0.1, 0.2), keras.layers.RandomCrop(3, 5),
        keras.layers.Flatten(), keras.layers.Dense(3), keras.layers.Discretization([0.0, 1.0]),
        keras.layers.CategoryEncoding(3, output_mode="one_hot"),
    ])
    kmodel.save(tmp_path / "k.keras")
    model = jnet.saving.load_model(tmp_path / "k.keras")
    x = rng.uniform(0, 255, size=(2, 6, 7, 3)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0))


def test_only_jnet_layers():
    with pytest.raises(jnet.errors.JnetValueError, match="Host-side layers"):
        Pipeline([jnet.layers.StringLookup()])
    with pytest.raises(jnet.errors.JnetValueError, match="layers must be a list"):
        Pipeline(jnet.layers.Rescaling(2.0))
