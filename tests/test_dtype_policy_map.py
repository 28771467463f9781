"""DTypePolicyMap: Keras's lookup rules, config round trip, per-layer policies in a model
(outputs in the compute dtype, variables float32), and a model's own dtype=."""

import numpy as np
import pytest

import jnet
from jnet.dtype_policies import DTypePolicy, DTypePolicyMap


def test_lookup_rules_as_keras():
    policy_map = DTypePolicyMap(default_policy="float32")
    policy_map["encoder/layer_0/dense"] = DTypePolicy("bfloat16")
    policy_map["encoder/.*"] = "float16"
    policy_map["decoder"] = "bfloat16"
    assert policy_map["encoder/layer_0/dense"].name == "bfloat16"  # exact key first
    assert policy_map["encoder/attention/query"].name == "float16"  # regex fullmatch
    assert policy_map["decoder/attention"].name == "float32"  # no prefix match: default
    assert policy_map.name == "map_float32" and len(policy_map) == 3
    assert policy_map.compute_dtype == policy_map.variable_dtype == "float32"
    policy_map["encoder/attention/.*"] = "bfloat16"
    with pytest.raises(jnet.errors.JnetValueError, match="matches multiple"):
        policy_map["encoder/attention/query"]
    with pytest.raises(jnet.errors.JnetValueError, match="already exist"):
        policy_map["decoder"] = "float16"
    del policy_map["decoder"]
    assert "decoder" not in policy_map
    with pytest.raises(jnet.errors.JnetValueError, match="cannot be a `DTypePolicyMap`"):
        DTypePolicyMap(default_policy=policy_map)
    with pytest.raises(jnet.errors.JnetTypeError, match="must be a dict"):
        DTypePolicyMap(policy_map=[("a", "float16")])
    with pytest.raises(jnet.errors.JnetValueError, match="Cannot interpret"):
        policy_map["x"] = "int8_weird"


def test_config_round_trip_and_keras_config(keras):
    policy_map = DTypePolicyMap("float32", {"dense_1": "mixed_bfloat16"})
    config = jnet.dtype_policies.serialize(policy_map)
    assert config["class_name"] == "DTypePolicyMap"
    again = jnet.dtype_policies.deserialize(config)
    assert again == policy_map and again["dense_1"].name == "mixed_bfloat16"
    kmap = keras.dtype_policies.DTypePolicyMap("float32")
    kmap["dense_1"] = "mixed_bfloat16"
    from_keras = jnet.dtype_policies.deserialize(keras.dtype_policies.serialize(kmap))
    assert from_keras == policy_map


def test_layers_compute_in_their_entry_and_keep_float32_variables():
    policy_map = DTypePolicyMap(policy_map={"hidden": "mixed_bfloat16", "out_.*": "float16"})
    model = jnet.Sequential([
        jnet.Input((3,)),
        jnet.layers.Dense(4, name="hidden", dtype=policy_map),
        jnet.layers.Dense(4, name="middle", dtype=policy_map),
        jnet.layers.Dense(2, name="out_1", dtype=policy_map, kernel_initializer="ones"),
    ])
    assert [layer.compute_dtype for layer in model.layers] == ["bfloat16", "float32",
                                                               "float16"]
    assert [layer.variable_dtype for layer in model.layers] == ["float32", "float32",
                                                                "float16"]
    assert {w.dtype for w in model.get_weights()[:4]} == {np.dtype("float32")}
    x = np.ones((2, 3), "float32")
    hidden = jnet.Model(model.inputs, model.layers[0].output).predict(x, verbose=0)
    assert hidden.dtype == jnet.ops.convert_to_numpy(jnet.ops.ones((), "bfloat16")).dtype
    assert model.predict(x, verbose=0).dtype == np.float16
    config = model.layers[0].get_config()
    assert config["dtype"]["class_name"] == "DTypePolicyMap"
    model.compile("sgd", "mse")
    loss = model.fit(x, np.zeros((2, 2), "float32"), epochs=1, verbose=0).history["loss"]
    assert np.isfinite(loss[0])


def test_model_dtype_is_its_own_policy_as_keras():
    """Keras: a model's dtype= is its own policy; layers keep theirs (the global one)."""
    inputs = jnet.Input((3,))
    dense = jnet.layers.Dense(2)
    model = jnet.Model(inputs, dense(inputs), dtype="mixed_float16")
    assert model.dtype_policy.name == "mixed_float16"
    assert dense.compute_dtype == "float32"
    assert model.predict(np.ones((1, 3), "float32"), verbose=0).dtype == np.float32

    class Sub(jnet.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = jnet.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    sub = Sub(dtype="mixed_bfloat16")
    assert sub.dtype_policy.name == "mixed_bfloat16" and sub.dense.compute_dtype == "float32"
    with pytest.raises(jnet.errors.JnetValueError, match="dtype"):
        Sub(dtype="int7")
