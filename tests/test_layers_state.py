"""A layer's variables inside models, as Keras keeps them: non-trainable updates made in
``call`` persist in ``fit``, ``evaluate``, ``predict`` and eager calls (parity with Keras on
TensorFlow); a custom layer's Variables read the model's trained values; a layer built before
it is put in a model keeps its weights, and two models sharing a layer share its weights."""

import numpy as np
import pytest

import jnet


def _counter_class(lib):
    """A layer counting its calls and tracking a running mean of its inputs in any mode,
    written once for jnet and for Keras (``lib``)."""

    class Tracker(lib.layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                         name="count")
            self.mean = self.add_weight(shape=(input_shape[-1],), initializer="zeros",
                                        trainable=False, name="mean")

        def call(self, inputs):
            self.count.assign(self.count + 1.0)
            batch_mean = lib.ops.mean(inputs, axis=0)
            self.mean.assign(lib.ops.add(lib.ops.multiply(self.mean, 0.5),
                                         lib.ops.multiply(batch_mean, 0.5)))
            return inputs

    return Tracker


_X = (np.arange(64 * 3, dtype="float32").reshape(64, 3) % 7) / 7.0
_Y = _X.sum(axis=1, keepdims=True)


def _run_tracker(lib, model):
    """The non-trainable weights after each call of the table, for a model of ``lib``."""
    model.compile(optimizer="sgd", loss="mse")
    seen = {}

    def snapshot():
        return [np.array(w.numpy() if hasattr(w, 'numpy') else w)
                for w in model.non_trainable_weights]

    model.fit(_X, _Y, batch_size=16, epochs=1, shuffle=False, verbose=0,
              validation_data=(_X[:32], _Y[:32]))
    seen["fit"] = snapshot()
    model.evaluate(_X, _Y, batch_size=16, verbose=0)
    seen["evaluate"] = snapshot()
    model.predict(_X, batch_size=32, verbose=0)
    seen["predict"] = snapshot()
    model(_X[:8])
    seen["call"] = snapshot()
    return seen


@pytest.fixture(scope="module")
def tracker_runs(keras):
    dense_init = {"kernel_initializer": "ones", "bias_initializer": "zeros"}
    runs = {}
    for name, lib in (("jnet", jnet), ("keras", keras)):
        model = lib.Sequential([lib.Input((3,)), _counter_class(lib)(),
                                lib.layers.Dense(1, **dense_init)])
        runs[name] = _run_tracker(lib, model)
    return runs


@pytest.mark.parametrize("after", ["fit", "evaluate", "predict", "call"])
def test_inference_updates_persist_as_keras(tracker_runs, after):
    # fit (4 steps + 2 validation batches), evaluate (4 batches), predict (2), a call (1):
    # counts 6, 10, 12, 13 in Keras; jnet used to drop all but fit's training steps
    ours, theirs = tracker_runs["jnet"][after], tracker_runs["keras"][after]
    assert float(theirs[0]) == {"fit": 6.0, "evaluate": 10.0, "predict": 12.0, "call": 13.0}[after]
    assert len(ours) == len(theirs) == 2
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


# -- a custom layer's Variables read the model's values --------------------------------------


class _Linear(jnet.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 1), initializer="random_normal")
        self.b = self.add_weight(shape=(1,), initializer="zeros")

    def call(self, inputs):
        return jnet.ops.add(jnet.ops.matmul(inputs, self.w), self.b)


@pytest.fixture(scope="module")
def trained_linear():
    layer = _Linear()
    model = jnet.Sequential([jnet.Input((3,)), layer])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(_X, _Y * 2.0, batch_size=16, epochs=3, verbose=0)
    return layer, model


_READS = {
    "numpy": lambda v: v.numpy(),
    "np.asarray": np.asarray,
    "value": lambda v: np.asarray(v.value),
    "ops": lambda v: np.asarray(jnet.ops.add(v, 0.0)),
}


@pytest.mark.parametrize("read", list(_READS))
def test_variable_reads_the_trained_value_after_fit(trained_linear, read):
    layer, model = trained_linear
    kernel = model.get_weights()[0]
    assert not np.allclose(kernel, 1.0)  # trained away from the initial ones
    np.testing.assert_array_equal(_READS[read](layer.w), kernel)


def test_variable_assign_writes_into_the_model():
    layer = _Linear()
    model = jnet.Sequential([jnet.Input((3,)), layer])
    model.build((None, 3))
    layer.w.assign(np.full((3, 1), 2.0, "float32"))
    assert model.get_weights()[0].tolist() == [[2.0]] * 3
    np.testing.assert_allclose(model.predict(_X[:4], verbose=0), _X[:4].sum(1, keepdims=True) * 2,
                               rtol=1e-6)


# -- a built layer put in a model keeps its weights; models share a layer's weights ----------

_LAYERS = {"dense": lambda: jnet.layers.Dense(2), "custom": _Linear}
_MODELS = {
    "sequential": lambda layer: jnet.Sequential([jnet.Input((3,)), layer]),
    "functional": lambda layer: (lambda x: jnet.Model(x, layer(x)))(jnet.Input((3,))),
}


@pytest.mark.parametrize("kind", list(_LAYERS))
@pytest.mark.parametrize("build", list(_MODELS))
def test_eagerly_called_layer_keeps_its_weights_in_a_model(kind, build):
    layer = _LAYERS[kind]()
    eager = np.asarray(layer(_X[:4]))
    before = [np.array(w) for w in layer.get_weights()]
    model = _MODELS[build](layer)
    np.testing.assert_array_equal(model.predict(_X[:4], verbose=0), eager)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", list(_LAYERS))
def test_models_sharing_a_layer_see_each_others_training(kind):
    layer = _LAYERS[kind]()
    first, second = _MODELS["sequential"](layer), _MODELS["functional"](layer)
    for trained, other in ((second, first), (first, second)):
        before = other.predict(_X[:4], verbose=0)
        trained.compile(optimizer="sgd", loss="mse")
        trained.fit(_X, _Y + 1.0 if kind == "custom" else np.ones((64, 2), "float32"),
                    batch_size=32, epochs=1, verbose=0)
        after = trained.predict(_X[:4], verbose=0)
        assert not np.allclose(after, before)
        np.testing.assert_array_equal(other.predict(_X[:4], verbose=0), after)
        np.testing.assert_allclose(np.asarray(layer(_X[:4])), after, rtol=1e-6)
