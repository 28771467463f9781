"""Every layer class jnet exports survives serialize_layer -> JSON -> deserialize_layer.

Configs and output shapes are compared here (traced, not run: fast); saved models' numbers are
compared bit for bit in tests/test_saving_model.py.

The sweep runs over ``jnet.saving.layer_allowlist()``, so layer classes added to jnet.layers
are picked up automatically; a new class with a required argument the table below does not
know fails with a message saying what to add.
"""

import dataclasses
import json

import jax
import jax.numpy as jnp
import pytest

import jnet
from jnet.saving import deserialize_layer, layer_allowlist, serialize_layer


def _double(x):
    return x * 2.0


def _jax_double(inputs):  # a JaxLayer's call_fn (its arguments are named as Keras's)
    return inputs * 2.0


#: Values for required constructor arguments, by argument name.
_BY_FIELD = {
    "units": 3,
    "filters": 4,
    "kernel_size": 3,
    "pool_size": 2,
    "rate": 0.5,
    "stddev": 0.1,
    "factor": 0.2,
    "height_factor": 0.2,
    "width_factor": 0.2,
    "scale": 0.5,
    "target_shape": (-1,),
    "function": _double,
    "layer": lambda: jnet.layers.Dense(2),
    "axes": 1,
    "n": 2,
    "dims": (1,),
    "output_size": 2,
    "height": 2,
    "width": 2,
}
#: Whole argument sets for classes whose required arguments depend on each other.
_BY_CLASS = {
    "Embedding": lambda: {"input_dim": 10, "output_dim": 4},
    "Bidirectional": lambda: {"layer": jnet.layers.LSTM(2, return_sequences=True)},
    "TimeDistributed": lambda: {"layer": jnet.layers.Dense(2)},
    "EinsumDense": lambda: {"equation": "ab,bc->ac", "output_shape": 3},
    "GroupNormalization": lambda: {"groups": 2},
    "CategoryEncoding": lambda: {"num_tokens": 4},
    "RandomPosterization": lambda: {"factor": 4},
    "Discretization": lambda: {"bin_boundaries": [0.0, 1.0]},
    "Pipeline": lambda: {"layers": [jnet.layers.Dense(2)]},
    "MultiHeadAttention": lambda: {"num_heads": 2, "key_dim": 2},
    "GroupedQueryAttention": lambda: {"head_dim": 2, "num_query_heads": 2,
                                      "num_key_value_heads": 1},
    "JaxLayer": lambda: {"call_fn": _jax_double},
    "MaxNumBoundingBoxes": lambda: {"max_number": 2},
    "ReversibleEmbedding": lambda: {"input_dim": 10, "output_dim": 4},
    "SpectralNormalization": lambda: {"layer": jnet.layers.Dense(2)},
    "Wrapper": lambda: {"layer": jnet.layers.Dense(2)},
    "ConvLSTM1D": lambda: {"filters": 2, "kernel_size": 3},
    "ConvLSTM2D": lambda: {"filters": 2, "kernel_size": 3},
    "ConvLSTM3D": lambda: {"filters": 2, "kernel_size": 3},
    "GRUCell": lambda: {"units": 2},
    "LSTMCell": lambda: {"units": 2},
    "RNN": lambda: {"cell": jnet.layers.LSTMCell(2)},
    "SimpleRNNCell": lambda: {"units": 2},
    "StackedRNNCells": lambda: {"cells": [jnet.layers.LSTMCell(2), jnet.layers.GRUCell(3)]},
}
#: Layers called on a list of inputs, and layers called on (query, value).
_LIST_INPUT = {"Attention", "AdditiveAttention"}
_QUERY_VALUE = {"MultiHeadAttention", "GroupedQueryAttention"}
#: Candidate input batches; the first the layer accepts is used.
_INPUT_SHAPES = [(2, 4), (2, 3, 3), (2, 5, 5, 2), (2, 4, 4, 4, 1), (2, 2, 4, 4, 4, 1)]
_NOT_LAYERS = {"InputLayer"}  # a Sequential turns it into its input shape
_NO_CONFIG = {"FlaxLayer"}  # holds a flax.linen.Module: no file config (as in Keras)


def _classes():
    seen, out = set(), []
    for _name, cls in sorted(layer_allowlist().items()):
        if cls not in seen and cls.__name__ not in _NOT_LAYERS | _NO_CONFIG:
            seen.add(cls)
            out.append(cls)
    return out


def _make(cls):
    if cls.__name__ in _BY_CLASS:
        return cls(**_BY_CLASS[cls.__name__](), name="probe")
    kwargs = {}
    for field in dataclasses.fields(cls):
        required = (
            field.default is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING
            and field.name != "parent"
        )
        if required:
            assert field.name in _BY_FIELD, (
                f"{cls.__name__} needs {field.name!r}: add a sample value to _BY_FIELD or "
                f"_BY_CLASS in this test."
            )
            value = _BY_FIELD[field.name]
            kwargs[field.name] = value() if callable(value) and field.name == "layer" else value
    return cls(**kwargs, name="probe")


def _output_shape(layer):
    """The layer's output shape for the first candidate input it accepts (traced, not run)."""
    for shape in _INPUT_SHAPES:
        x = jax.ShapeDtypeStruct(shape, jnp.float32)
        name = type(layer).__name__
        if isinstance(layer, jnet.layers.merging._Merge) or name in _LIST_INPUT:
            args = ([x, x],)  # merge and attention layers take a list
        else:
            args = (x, x) if name in _QUERY_VALUE else (x,)
        try:
            out = jax.eval_shape(
                lambda *a: layer.init_with_output(jax.random.key(0), *a)[0], *args
            )
        except Exception:  # noqa: BLE001 - probing shapes
            continue
        return shape, jax.tree_util.tree_leaves(out)[0].shape  # a cell: (output, states)
    pytest.fail(f"{type(layer).__name__} accepted none of the input shapes {_INPUT_SHAPES}")


def test_the_allowlist_is_the_exported_layer_classes():
    allowed = layer_allowlist()
    assert allowed["Dense"] is jnet.layers.Dense
    assert allowed["Convolution2D"] is jnet.layers.Conv2D
    assert "Layer" not in allowed and "KerasTensor" not in allowed and "Input" not in allowed
    assert all(issubclass(cls, jnet.layers.Layer) for cls in allowed.values())


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: c.__name__)
def test_layer_config_round_trip(cls):
    layer = _make(cls)
    saved = json.loads(json.dumps(serialize_layer(layer)))  # what a file holds
    assert saved["class_name"] == cls.__name__
    rebuilt = deserialize_layer(saved, custom_objects={"_double": _double,
                                                       "_jax_double": _jax_double})
    assert type(rebuilt) is cls
    assert json.dumps(serialize_layer(rebuilt)) == json.dumps(serialize_layer(layer))
    # The rebuilt layer traces to the same output shape (numbers: tests/test_saving_model.py).
    shape, out_shape = _output_shape(layer)
    assert _output_shape(rebuilt) == (shape, out_shape)


def test_plain_get_config_round_trips_for_layers_without_callables():
    """``cls(**layer.get_config())`` works directly, as in Keras, when no function is held."""
    for cls in _classes():
        if cls.__name__ in ("Lambda", "Bidirectional", "TimeDistributed",
                            "SpectralNormalization", "RNN", "StackedRNNCells",
                            "MaxNumBoundingBoxes"):
            continue
        layer = _make(cls)
        assert type(layer)(**layer.get_config()).get_config() == layer.get_config(), cls


def test_custom_activation_needs_custom_objects():
    def my_act(x):
        return x * 3.0

    saved = json.loads(json.dumps(serialize_layer(jnet.layers.Dense(2, activation=my_act))))
    assert saved["config"]["activation"] == {"__callable__": "my_act"}
    with pytest.raises(ValueError, match=r"custom_objects=\{'my_act'"):
        deserialize_layer(saved)
    assert deserialize_layer(saved, custom_objects={"my_act": my_act}).activation is my_act


def test_unknown_and_non_layer_classes_are_refused():
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="'Dense2'.*Did you mean 'Dense'"):
        deserialize_layer({"class_name": "Dense2", "config": {"units": 1}})
    # A name that exists in Python but is not an exported layer: refused, never imported.
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="'os.system'"):
        deserialize_layer({"class_name": "os.system", "config": {}})
    with pytest.raises(jnet.errors.JnetTypeError, match="Layer subclass"):
        deserialize_layer({"class_name": "Evil", "config": {}}, custom_objects={"Evil": print})
    with pytest.raises(jnet.errors.JnetValueError, match="parent"):
        deserialize_layer({"class_name": "Dense", "config": {"units": 1, "parent": None}})
    with pytest.raises(jnet.errors.JnetValueError, match="does not fit"):
        deserialize_layer({"class_name": "Dense", "config": {"units": 1, "bogus": 2}})
