"""``jnet.models.clone_model``: Keras's examples (clone, clone_function, call_function),
new weights, input tensors, shared and nested layers, compiled clones, errors."""

import numpy as np
import pytest

import jnet


def _sequential():
    return jnet.Sequential([
        jnet.layers.Input(shape=(6,)),
        jnet.layers.Dense(8, activation="relu"),
        jnet.layers.Dropout(0.1, seed=3),
        jnet.layers.Dense(1, activation="sigmoid"),
    ])


def _functional():
    x = jnet.Input(shape=(4,), name="x")
    h = jnet.layers.Dense(5, activation="relu", name="h")(x)
    y = jnet.layers.Dense(2, name="y")(h)
    return jnet.Model(x, y, name="net")


def _configs(model):
    return [(type(layer).__name__, layer.get_config()) for layer in model.layers]


@pytest.mark.parametrize("make", [_sequential, _functional], ids=["sequential", "functional"])
def test_clone_has_same_architecture_and_new_weights(make):
    model = make()
    clone = jnet.models.clone_model(model)
    assert type(clone) is type(model) and clone.name == model.name
    assert _configs(clone) == _configs(model)
    assert clone.output_shape == model.output_shape
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])
    clone.set_weights(model.get_weights())
    x = np.linspace(-1, 1, 3 * model.input_shape[-1], dtype="float32").reshape(3, -1)
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_clone_function_keras_example_sets_seeds():
    def clone_function(layer):
        config = layer.get_config()
        if "seed" in config:
            config["seed"] = 1337
        return type(layer)(**config)

    clone = jnet.models.clone_model(_sequential(), clone_function=clone_function)
    assert clone.layers[1].seed == 1337
    assert clone.layers[0].units == 8


def test_clone_function_can_share_or_replace_layers():
    model = _functional()
    same = jnet.models.clone_model(model, clone_function=lambda layer: layer)
    assert same.get_layer("h") is model.get_layer("h")

    def wider(layer):
        if layer.name == "h":
            return jnet.layers.Dense(7, activation="relu", name="h")
        return layer

    assert jnet.models.clone_model(model, clone_function=wider).get_layer("h").units == 7


def test_call_function_keras_example_adds_dropout():
    def call_function(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if isinstance(layer, jnet.layers.Dense):
            out = jnet.layers.Dropout(0.5)(out)
        return out

    model = _functional()
    new = jnet.models.clone_model(model, clone_function=lambda x: x,
                                  call_function=call_function)
    names = [type(layer).__name__ for layer in new.layers]
    assert names.count("Dropout") == 2 and names.count("Dense") == 2
    assert new.output_shape == model.output_shape


def test_input_tensors():
    model = _functional()
    x = jnet.Input(shape=(4,), name="new_x")
    clone = jnet.models.clone_model(model, input_tensors=x)
    assert clone.inputs[0] is x
    seq = jnet.models.clone_model(_sequential(), input_tensors=[jnet.Input(shape=(6,))])
    assert seq.input_shape == (None, 6)
    with pytest.raises(jnet.errors.JnetValueError, match="input_tensors must be 1"):
        jnet.models.clone_model(model, input_tensors=[x, x])
    with pytest.raises(jnet.errors.JnetValueError, match="jnet.Input tensor"):
        jnet.models.clone_model(_sequential(), input_tensors=np.zeros((1, 6)))


def test_shared_layer_stays_shared():
    x = jnet.Input(shape=(3,))
    shared = jnet.layers.Dense(3, name="shared")
    model = jnet.Model(x, shared(shared(x)))
    clone = jnet.models.clone_model(model)
    assert len(clone.get_weights()) == len(model.get_weights()) == 2
    assert clone.get_layer("shared") is not shared


@pytest.mark.parametrize("recursive", [False, True])
def test_nested_model(recursive):
    inner = jnet.Sequential([jnet.layers.Dense(3, input_shape=(4,), name="inner_dense")],
                            name="inner")
    x = jnet.Input(shape=(4,))
    model = jnet.Model(x, jnet.layers.Dense(1, name="top")(inner(x)))
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        return jnet.models.clone_model(layer) if isinstance(layer, jnet.Model) else layer

    clone = jnet.models.clone_model(model, clone_function=clone_function, recursive=recursive)
    assert clone.get_layer("inner") is not inner
    assert ("inner_dense" in seen) == recursive
    assert clone.output_shape == (None, 1)


def test_compiled_model_clone_is_compiled():
    model = _sequential()
    model.compile(optimizer=jnet.optimizers.Adam(0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    clone = jnet.models.clone_model(model)
    assert clone.compiled and clone.optimizer is not model.optimizer
    assert type(clone.optimizer) is jnet.optimizers.Adam
    assert clone.optimizer.learning_rate == pytest.approx(0.01)


def test_errors():
    with pytest.raises(jnet.errors.JnetValueError, match="call_function is not supported"):
        jnet.models.clone_model(_sequential(), call_function=lambda layer, x: layer(x))
    with pytest.raises(jnet.errors.JnetTypeError, match="jnet model"):
        jnet.models.clone_model(jnet.layers.Dense(2))
    with pytest.raises(jnet.errors.JnetTypeError, match="clone_function must be callable"):
        jnet.models.clone_model(_sequential(), clone_function=3)
    with pytest.raises(jnet.errors.JnetTypeError, match="unexpected|unknown keyword"):
        jnet.models.clone_model(_sequential(), bogus=1)

    class Sub(jnet.Model):
        def __init__(self):
            super().__init__()
            self.dense = jnet.layers.Dense(2)

        def call(self, inputs, training=False):
            return self.dense(inputs)

    with pytest.raises(jnet.errors.JnetTypeError, match="get_config"):
        jnet.models.clone_model(Sub())
    with pytest.raises(jnet.errors.JnetValueError, match="subclassed"):
        jnet.models.clone_model(Sub(), clone_function=lambda layer: layer)


def test_same_layers_as_keras_clone(keras):
    k = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1)])
    kc = keras.models.clone_model(k)
    model = jnet.models.model_from_json(k.to_json())
    clone = jnet.models.clone_model(model)
    assert [type(lay).__name__ for lay in clone.layers] == [
        type(lay).__name__ for lay in kc.layers]
    assert clone.output_shape == tuple(kc.output_shape)
    clone.set_weights(kc.get_weights())
    x = np.linspace(-1, 1, 18, dtype="float32").reshape(3, 6)
    np.testing.assert_allclose(clone.predict(x, verbose=0), kc.predict(x, verbose=0),
                               atol=1e-5)
