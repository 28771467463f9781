"""Keras's serialization names on jnet.layers, jnet.utils and jnet.activations
(jnet.saving._namespaces, put there by the package face): round trips, custom objects, and
the configs Keras on TensorFlow writes."""

import numpy as np
import pytest

import jnet
from jnet import errors


@jnet.saving.register_keras_serializable(package="NamesTest")
class Halve(jnet.layers.Layer):
    def call(self, inputs):
        return jnet.ops.multiply(inputs, 0.5)


def _double(x):
    return jnet.ops.multiply(x, 2.0)


@pytest.mark.parametrize("make", [
    lambda: jnet.layers.Dense(3, activation="relu", name="d"),
    lambda: jnet.layers.Dropout(0.25, name="drop"),
    lambda: Halve(name="halve"),
], ids=["dense", "dropout", "registered-custom"])
def test_layers_serialize_round_trip(make):
    layer = make()
    config = jnet.layers.serialize(layer)
    assert config["class_name"] == type(layer).__name__
    again = jnet.layers.deserialize(config)
    assert type(again) is type(layer) and again.name == layer.name
    assert again.get_config() == layer.get_config()
    assert jnet.utils.deserialize_keras_object(jnet.utils.serialize_keras_object(layer)).name \
        == layer.name


def test_layers_deserialize_reads_keras_configs(keras):
    config = keras.layers.serialize(keras.layers.Dense(4, activation="tanh", name="k"))
    layer = jnet.layers.deserialize(config)
    assert (type(layer).__name__, layer.units, layer.name) == ("Dense", 4, "k")
    # without 'module' Keras 3.15 cannot locate Dense; jnet takes it as a keras.layers class
    assert jnet.layers.deserialize({"class_name": "Dense", "config": {"units": 2}}).units == 2


def test_layers_deserialize_errors():
    with pytest.raises(errors.JnetTypeError, match="config dict"):
        jnet.layers.deserialize("Dense")
    with pytest.raises(errors.JnetTypeError, match="not a layer"):
        jnet.layers.deserialize(jnet.utils.serialize_keras_object(jnet.losses.MeanSquaredError()))
    with pytest.raises(errors.JnetTypeError, match="takes a layer"):
        jnet.layers.serialize(jnet.losses.MeanSquaredError())


@pytest.mark.parametrize("name", ["relu", "swish", "softmax", "gelu"])
def test_activations_deserialize_as_keras(keras, name):
    for config in (keras.activations.serialize(keras.activations.get(name)),
                   jnet.activations.serialize(jnet.activations.get(name))):
        fn = jnet.activations.deserialize(config)
        x = np.linspace(-2, 2, 6, dtype="float32").reshape(2, 3)
        np.testing.assert_allclose(np.asarray(fn(x)), np.asarray(keras.activations.get(name)(x)),
                                   rtol=1e-5, atol=1e-6)


def test_activations_deserialize_custom_objects():
    assert jnet.activations.deserialize("double", {"double": _double}) is _double
    with pytest.raises(errors.JnetValueError, match="double"):
        jnet.activations.deserialize("double")
