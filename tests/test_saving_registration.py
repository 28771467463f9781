"""Keras's serialization API for custom objects: the registry, scopes, serialize/deserialize,
model JSON and configs, and model files holding registered objects.

Follows Keras's serialization guide ("Save, serialize, and export models"): a registered
function, a registered class with ``get_config``, ``custom_object_scope``, ``model_from_json``;
and checks that nothing named in data is ever imported.
"""

import json
import sys

import numpy as np
import pytest

import jnet
from jnet.saving._file import read_file, write_file
from jnet.utils import _object_registration as registration


@pytest.fixture(autouse=True)
def _clean_registry():
    """Each test registers into a registry that is restored afterwards."""
    objects = dict(registration.GLOBAL_CUSTOM_OBJECTS)
    names = dict(registration.GLOBAL_CUSTOM_NAMES)
    yield
    registration.GLOBAL_CUSTOM_OBJECTS.clear()
    registration.GLOBAL_CUSTOM_OBJECTS.update(objects)
    registration.GLOBAL_CUSTOM_NAMES.clear()
    registration.GLOBAL_CUSTOM_NAMES.update(names)


def _scaled_dense():
    """A subclass of a built-in layer with an extra field, registered (the guide's pattern)."""

    @jnet.saving.register_keras_serializable(package="MyLayers")
    class ScaledDense(jnet.layers.Dense):
        scale: float = 1.0

        def __call__(self, inputs, *args, **kwargs):
            return super().__call__(inputs, *args, **kwargs) * self.scale

    return ScaledDense


# -- the registry ---------------------------------------------------------------------------------


def test_register_function_name_and_lookup(keras):
    @jnet.saving.register_keras_serializable(package="my_package", name="custom_fn")
    def my_fn(x):
        return x * 2

    assert jnet.saving.get_registered_name(my_fn) == "my_package>custom_fn"
    assert jnet.saving.get_registered_object("my_package>custom_fn") is my_fn
    assert jnet.saving.get_custom_objects()["my_package>custom_fn"] is my_fn

    def unregistered(x):
        return x

    assert jnet.saving.get_registered_name(unregistered) == "unregistered"
    assert jnet.saving.get_registered_object("unregistered") is None
    # Keras gives the same key for the same package and name.
    keras_fn = keras.saving.register_keras_serializable("my_package", "custom_fn")(lambda x: x)
    assert keras.saving.get_registered_name(keras_fn) == "my_package>custom_fn"


def test_default_package_and_name():
    @jnet.saving.register_keras_serializable()
    def doubled(x):
        return 2 * x

    assert jnet.saving.get_registered_name(doubled) == "Custom>doubled"


def test_lookup_order_scope_registry_custom_module():
    def a(x):
        return x

    def b(x):
        return x

    def c(x):
        return x

    jnet.saving.get_custom_objects()["f"] = a
    assert jnet.saving.get_registered_object("f", custom_objects={"f": b}) is a
    with jnet.saving.custom_object_scope({"f": c}):
        assert jnet.saving.get_registered_object("f") is c
    assert jnet.saving.get_registered_object("g", module_objects={"g": b}) is b


def test_register_rejects_bad_input():
    class NoConfig:
        pass

    with pytest.raises(jnet.errors.JnetValueError, match="NoConfig.*get_config"):
        jnet.saving.register_keras_serializable()(NoConfig)
    with pytest.raises(jnet.errors.JnetTypeError, match="package must be a non-empty string"):
        jnet.saving.register_keras_serializable(package=3)
    with pytest.raises(jnet.errors.JnetTypeError, match="name must be"):
        jnet.saving.register_keras_serializable(name=["x"])
    with pytest.raises(jnet.errors.JnetTypeError, match="custom_objects must be a dict"):
        jnet.saving.custom_object_scope(["not", "a", "dict"])


def test_custom_object_scope_nests_and_restores():
    def f(x):
        return x

    def g(x):
        return x

    with jnet.saving.CustomObjectScope({"f": f}):
        assert jnet.saving.get_registered_object("f") is f
        with jnet.utils.custom_object_scope({"g": g}):
            assert jnet.saving.get_registered_object("g") is g
            assert jnet.saving.get_registered_object("f") is None  # replaced, as in Keras
        assert jnet.saving.get_registered_object("f") is f
    assert jnet.saving.get_registered_object("f") is None


def test_utils_and_saving_export_the_same_objects(keras):
    names = ["CustomObjectScope", "custom_object_scope", "get_custom_objects",
             "get_registered_name", "get_registered_object", "register_keras_serializable"]
    for name in names:
        assert getattr(jnet.utils, name) is getattr(jnet.saving, name)
        assert hasattr(keras.utils, name) and hasattr(keras.saving, name)
    for name in ["serialize_keras_object", "deserialize_keras_object"]:
        assert hasattr(jnet.saving, name) and hasattr(keras.saving, name)


# -- serialize / deserialize ------------------------------------------------------------------


def test_registered_function_round_trip_matches_keras(keras):
    def clipped(x):
        return x

    jnet.saving.register_keras_serializable(package="Guide")(clipped)
    config = jnet.saving.serialize_keras_object(clipped)
    assert config == {"module": "builtins", "class_name": "function",
                      "config": "Guide>clipped", "registered_name": "function"}
    assert jnet.saving.deserialize_keras_object(config) is clipped
    keras.saving.register_keras_serializable(package="Guide")(clipped)
    try:
        assert keras.saving.serialize_keras_object(clipped) == config
    finally:
        keras.saving.get_custom_objects().pop("Guide>clipped")


def test_registered_class_with_get_config_round_trip():
    @jnet.saving.register_keras_serializable(package="Guide")
    class MyRegularizer(jnet.regularizers.Regularizer):
        def __init__(self, factor=0.01):
            self.factor = factor

        def __call__(self, x):
            return self.factor * jnet.ops.sum(jnet.ops.square(x))

        def get_config(self):
            return {"factor": self.factor}

    config = jnet.saving.serialize_keras_object(MyRegularizer(0.5))
    assert config["registered_name"] == "Guide>MyRegularizer"
    assert config["config"] == {"factor": 0.5}
    rebuilt = jnet.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(rebuilt) is MyRegularizer and rebuilt.factor == 0.5


def test_any_class_with_get_config_via_custom_objects_or_scope():
    class Plain:
        def __init__(self, a, b=2):
            self.a, self.b = a, b

        def get_config(self):
            return {"a": self.a, "b": self.b}

    config = jnet.saving.serialize_keras_object(Plain(1, 3))
    assert config["class_name"] == "Plain" and config["registered_name"] == "Plain"
    with pytest.raises(jnet.errors.JnetTypeError, match="'Plain'.*register_keras_serializable"):
        jnet.saving.deserialize_keras_object(config)
    obj = jnet.saving.deserialize_keras_object(config, custom_objects={"Plain": Plain})
    assert (obj.a, obj.b) == (1, 3)
    with jnet.saving.custom_object_scope({"Plain": Plain}):
        assert jnet.saving.deserialize_keras_object(config).b == 3


@pytest.mark.parametrize("make", [
    lambda: jnet.optimizers.Adam(learning_rate=0.01, beta_1=0.8),
    lambda: jnet.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5),
    lambda: jnet.losses.Huber(delta=2.0),
    lambda: jnet.metrics.BinaryAccuracy(threshold=0.7),
    lambda: jnet.initializers.RandomNormal(stddev=2.0, seed=1),
    lambda: jnet.regularizers.L1L2(l1=0.1, l2=0.2),
    lambda: jnet.constraints.MaxNorm(3),
], ids=["optimizer", "schedule", "loss", "metric", "initializer", "regularizer", "constraint"])
def test_jnet_objects_round_trip_through_keras_format(make, keras):
    obj = make()
    config = jnet.saving.serialize_keras_object(obj)
    assert set(config) >= {"module", "class_name", "config", "registered_name"}
    assert config["module"].startswith("keras.")
    rebuilt = jnet.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(rebuilt) is type(obj)
    assert rebuilt.get_config() == obj.get_config()
    # Keras reads the same dict into its own class of that name.
    assert type(keras.saving.deserialize_keras_object(config)).__name__ == type(obj).__name__


def test_functions_and_plain_data_round_trip(keras):
    for fn, keras_fn in [(jnet.activations.relu, keras.activations.relu),
                         (jnet.losses.mean_squared_error, keras.losses.mean_squared_error)]:
        config = jnet.saving.serialize_keras_object(fn)
        assert config == keras.saving.serialize_keras_object(keras_fn)
        assert jnet.saving.deserialize_keras_object(config) is fn
    data = {"a": [1, 2.5, "x", None], "b": np.arange(3, dtype="int32"), "c": b"bytes",
            "d": slice(1, None, 2), "e": Ellipsis}
    config = jnet.saving.serialize_keras_object(data)
    assert config["b"] == keras.saving.serialize_keras_object(data["b"])
    out = jnet.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert out["a"] == [1, 2.5, "x", None] and out["c"] == b"bytes"
    assert out["d"] == slice(1, None, 2) and out["e"] is Ellipsis
    np.testing.assert_array_equal(out["b"], data["b"])


def test_layer_round_trip_and_registered_subclass():
    ScaledDense = _scaled_dense()
    layer = ScaledDense(3, activation="relu", scale=2.5, name="scaled")
    config = jnet.saving.serialize_keras_object(layer)
    assert config["class_name"] == "ScaledDense"
    assert config["registered_name"] == "MyLayers>ScaledDense"
    rebuilt = jnet.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert type(rebuilt) is ScaledDense and rebuilt.scale == 2.5 and rebuilt.units == 3
    dense = jnet.saving.deserialize_keras_object(
        jnet.saving.serialize_keras_object(jnet.layers.Dense(4, name="d")))
    assert type(dense) is jnet.layers.Dense and dense.units == 4


def test_lambda_is_never_serialized_nor_deserialized():
    with pytest.raises(jnet.errors.JnetTypeError, match="lambda"):
        jnet.saving.serialize_keras_object(lambda x: x)
    config = {"class_name": "__lambda__", "config": {"value": "AAAA"}}
    for safe_mode in (True, False):
        with pytest.raises(jnet.errors.JnetValueError, match="never runs code"):
            jnet.saving.deserialize_keras_object(config, safe_mode=safe_mode)


def test_module_named_in_data_is_never_imported(tmp_path, monkeypatch):
    """A canary module on sys.path would raise if imported; the config naming it is refused
    with an error that names the class and says how to register it."""
    (tmp_path / "jnet_canary_mod.py").write_text("raise RuntimeError('imported!')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for class_name in ("Evil", "function"):
        config = {"module": "jnet_canary_mod", "class_name": class_name,
                  "config": "evil" if class_name == "function" else {},
                  "registered_name": "jnet_canary_mod>Evil"}
        with pytest.raises(jnet.errors.JnetTypeError, match="register_keras_serializable"):
            jnet.saving.deserialize_keras_object(config)
    assert "jnet_canary_mod" not in sys.modules


# -- model JSON and configs -------------------------------------------------------------------


def _functional():
    x = jnet.Input(shape=(3,), name="x")
    h = jnet.layers.Dense(4, activation="relu", name="h")(x)
    y = jnet.layers.Dense(2, name="y")(jnet.layers.Concatenate()([h, x]))
    return jnet.Model(x, y, name="net")


def _same_predictions(a, b):
    b.set_weights(a.get_weights())
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    np.testing.assert_allclose(b.predict(x, verbose=0), a.predict(x, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_model_from_json_round_trip(kind):
    if kind == "sequential":
        model = jnet.Sequential([jnet.layers.Dense(5, input_shape=(3,)),
                                 jnet.layers.Activation("softmax")])
    else:
        model = _functional()
    text = model.to_json()
    config = json.loads(text)
    assert config["module"] == "keras" and config["class_name"] in ("Sequential", "Functional")
    loaded = jnet.models.model_from_json(text)
    assert type(loaded) is type(model) and not loaded.compiled
    assert [type(lay).__name__ for lay in loaded.layers] == [
        type(lay).__name__ for lay in model.layers]
    assert json.loads(loaded.to_json()) == config
    _same_predictions(model, loaded)


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_from_config_of_get_config(kind):
    model = (jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))]) if kind == "sequential"
             else _functional())
    config = model.get_config()
    assert ("input_layers" in config) == (kind == "functional")  # Keras's get_config shape
    rebuilt = jnet.Model.from_config(config)
    assert type(rebuilt) is type(model)
    assert type(model).from_config(config).output_shape == model.output_shape
    _same_predictions(model, rebuilt)


def test_model_from_json_reads_keras_json(keras):
    k = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, activation="tanh"),
                          keras.layers.Dense(2)])
    model = jnet.models.model_from_json(k.to_json())
    model.set_weights(k.get_weights())
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    np.testing.assert_allclose(model.predict(x, verbose=0), k.predict(x, verbose=0), atol=1e-5)


def test_model_json_with_registered_layer_and_activation():
    ScaledDense = _scaled_dense()

    @jnet.saving.register_keras_serializable(package="Guide")
    def softer(x):
        return jnet.ops.tanh(x) * 0.5

    model = jnet.Sequential([ScaledDense(3, activation=softer, scale=3.0, input_shape=(3,)),
                             jnet.layers.Dense(1)])
    loaded = jnet.models.model_from_json(model.to_json())
    assert type(loaded.layers[0]) is ScaledDense and loaded.layers[0].activation is softer
    _same_predictions(model, loaded)


def test_model_from_json_bad_input():
    with pytest.raises(jnet.errors.JnetValueError, match="not valid JSON"):
        jnet.models.model_from_json("{nope")
    with pytest.raises(jnet.errors.JnetTypeError, match="JSON string"):
        jnet.models.model_from_json({"class_name": "Sequential"})
    with pytest.raises(jnet.errors.JnetValueError, match="describe a model"):
        jnet.models.model_from_json("[1, 2]")


# -- model files ------------------------------------------------------------------------------


def _custom_model():
    ScaledDense = _scaled_dense()

    @jnet.saving.register_keras_serializable(package="Guide")
    def softer(x):
        return jnet.ops.tanh(x) * 0.5

    @jnet.saving.register_keras_serializable(package="Guide")
    def my_mse(y_true, y_pred):
        return jnet.ops.mean(jnet.ops.square(y_true - y_pred), axis=-1)

    @jnet.saving.register_keras_serializable(package="Guide")
    class HalfNormal(jnet.initializers.Initializer):
        def __init__(self, seed=None):
            self.seed = seed

        def __call__(self, key, shape, dtype="float32"):
            return jnet.initializers.RandomNormal(stddev=0.5, seed=self.seed)(key, shape, dtype)

        def get_config(self):
            return {"seed": self.seed}

    model = jnet.Sequential([
        ScaledDense(4, activation=softer, scale=2.0, kernel_initializer=HalfNormal(seed=3),
                    input_shape=(3,), name="scaled"),
        jnet.layers.Dense(1, name="out"),
    ])
    model.compile(optimizer="adam", loss=my_mse)
    return model, {"ScaledDense": ScaledDense, "softer": softer, "my_mse": my_mse,
                   "HalfNormal": HalfNormal}


def test_save_load_registered_custom_objects(tmp_path):
    model, objects = _custom_model()
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    path = tmp_path / "m.jnet"
    model.save(path)
    loaded = jnet.models.load_model(path)  # no custom_objects: all registered
    first = loaded.get_layer("scaled")
    assert type(first) is objects["ScaledDense"] and first.scale == 2.0
    assert first.activation is objects["softer"]
    assert type(first.kernel_initializer) is objects["HalfNormal"]
    assert first.kernel_initializer.seed == 3
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert loaded.compiled
    np.testing.assert_allclose(loaded.evaluate(x, x[:, :1], verbose=0),
                               model.evaluate(x, x[:, :1], verbose=0), rtol=1e-6)


def test_unregistered_class_fails_clearly_and_loads_when_passed(tmp_path):
    model, objects = _custom_model()
    path = tmp_path / "m.jnet"
    model.save(path)
    registration.GLOBAL_CUSTOM_OBJECTS.clear()  # a fresh session that did not register
    with pytest.raises(jnet.errors.UnknownIdentifierError) as info:
        jnet.models.load_model(path)
    message = str(info.value)
    assert "'ScaledDense'" in message and "MyLayers>ScaledDense" in message
    assert "register_keras_serializable" in message and "custom_objects" in message
    loaded = jnet.models.load_model(path, custom_objects=objects)
    assert type(loaded.get_layer("scaled")) is objects["ScaledDense"]
    with jnet.saving.custom_object_scope(objects):
        assert jnet.models.load_model(path).compiled


def test_file_naming_a_module_is_refused_without_import(tmp_path, monkeypatch):
    (tmp_path / "jnet_canary_file.py").write_text("raise RuntimeError('imported!')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,), name="d")])
    path = tmp_path / "m.jnet"
    model.save(path)
    tensors, meta = read_file(path, "jnet.model")
    config = json.loads(meta["model_config"])
    entry = config["config"]["layers"][0]
    entry.update(class_name="Evil", module="jnet_canary_file",
                 registered_name="jnet_canary_file>Evil")
    write_file(path, tensors, {**meta, "model_config": json.dumps(config)}, "jnet.model")
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="'Evil'.*register"):
        jnet.models.load_model(path)
    assert "jnet_canary_file" not in sys.modules


def test_unregistered_keras_style_layer_in_functional_model_saves(tmp_path):
    """A Keras-style layer (not a Flax dataclass), never registered, in a functional model
    (a class name no other test registers: a registered class of the same name is found):
    the save writes its config (it raised a raw ``TypeError`` from ``dataclasses.fields``),
    the load without the class says how to pass it, and with it gives the same predictions."""

    class NeverRegisteredScale(jnet.layers.Layer):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

        def call(self, x):
            return jnet.ops.matmul(x, self.w)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    inputs = jnet.Input((4,))
    model = jnet.Model(inputs, NeverRegisteredScale(units=2)(inputs))
    path = tmp_path / "scale.jnet"
    model.save(path)
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="custom_objects"):
        jnet.models.load_model(path)
    loaded = jnet.models.load_model(
        path, custom_objects={"NeverRegisteredScale": NeverRegisteredScale}
    )
    x = np.arange(8, dtype="float32").reshape(2, 4)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), np.full((2, 2), [[6], [22]]))
