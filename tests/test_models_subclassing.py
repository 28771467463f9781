"""Subclassed models: layers as attributes, call() traced into a pure forward."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet

L = jnet.layers


class MLP(jnet.Model):
    def __init__(self, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.hidden = L.Dense(16, activation="relu")
        self.dropout = L.Dropout(dropout)
        self.out = L.Dense(3, activation="softmax")

    def call(self, inputs, training=False):
        x = self.hidden(inputs)
        x = self.dropout(x, training=training)
        return self.out(x)


def _sequential(dropout=0.0):
    return jnet.Sequential([
        jnet.Input((5,)),
        L.Dense(16, activation="relu"),
        L.Dropout(dropout),
        L.Dense(3, activation="softmax"),
    ])


def _data(rng):
    x = rng.normal(size=(40, 5)).astype(np.float32)
    return x, rng.integers(0, 3, 40)


def test_layers_are_tracked_in_assignment_order_with_keras_names():
    model = MLP()
    assert model.name == "mlp" and MLP(name="custom").name == "custom"
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    assert not model.built
    model.build((None, 5))
    assert model.input_shape == (None, 5) and model.output_shape == (None, 3)
    assert [w.shape for w in model.get_weights()] == [(5, 16), (16,), (16, 3), (3,)]
    assert model.logits_activation() == "softmax"
    assert model.layers[0].get_weights()[0].shape == (5, 16)


def _assigned_out_first(lib):
    class OutFirst(lib.Model):  # assignment order differs from call order
        def __init__(self):
            super().__init__()
            self.out = lib.layers.Dense(3)
            self.hidden = lib.layers.Dense(16, activation="relu")

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    return OutFirst()


def test_get_weights_order_is_keras_assignment_order(keras, rng):
    x = rng.normal(size=(4, 5)).astype(np.float32)
    kmodel, model = _assigned_out_first(keras), _assigned_out_first(jnet)
    kout = np.asarray(kmodel(x))
    model.build((None, 5))
    assert [w.shape for w in model.get_weights()] == [w.shape for w in kmodel.get_weights()]
    assert [w.shape for w in model.get_weights()] == [(16, 3), (3,), (5, 16), (16,)]
    model.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(model.predict(x, verbose=0), kout, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dropout", [0.0, 0.3], ids=["plain", "dropout"])
def test_a_subclassed_mlp_trains_as_the_same_sequential(rng, dropout):
    x, y = _data(rng)
    model, seq = MLP(dropout), _sequential(dropout)
    model.build((None, 5))
    model.set_weights(seq.get_weights())
    np.testing.assert_allclose(model.predict(x, verbose=0), seq.predict(x, verbose=0), rtol=1e-6)
    histories = []
    for m in (model, seq):
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        jnet.utils.random.set_random_seed(7)  # the same dropout keys in both
        histories.append(m.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history)
    assert histories[0] == histories[1]
    for a, b in zip(model.get_weights(), seq.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_builds_on_first_fit_from_the_data(rng):
    x, y = _data(rng)
    model = MLP()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=2, verbose=0)
    assert model.input_shape == (None, 5) and len(history.history["loss"]) == 2


def test_dropout_inside_call_gets_a_key():
    model = MLP(dropout=0.5)
    model.build((None, 5))
    x = jnp.ones((4, 5))
    variables = model.variables
    inference = model.apply(variables, x)
    np.testing.assert_array_equal(inference, model.apply(variables, x))
    a = model.apply(variables, x, training=True, rng=jax.random.key(0))
    b = model.apply(variables, x, training=True, rng=jax.random.key(1))
    assert not np.allclose(a, inference) and not np.allclose(a, b)


class WithLists(jnet.Model):
    def __init__(self):
        super().__init__(name="lists")
        self.blocks = [L.Dense(4, activation="relu"), L.BatchNormalization()]
        self.base = jnet.Sequential([jnet.Input((4,)), L.Dense(2)])
        self.head = L.Dense(1)

    def call(self, inputs, training=False):
        x = inputs
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(jnp.concatenate([x[:, :2], self.base(x)], axis=-1))


def test_lists_of_layers_nested_models_and_batch_norm(rng):
    model = WithLists()
    assert [layer.name for layer in model.layers] == [
        "dense", "batch_normalization", "sequential", "dense_1"
    ]
    model.build((None, 3))
    assert list(model.variables["params"]["sequential"]) == ["dense"]
    assert len(model.get_weights()) == 2 + 4 + 2 + 2
    model.compile(optimizer="sgd", loss="mse")
    before = np.asarray(model.variables["batch_stats"]["batch_normalization"]["moving_mean"])
    model.fit(rng.normal(loc=2.0, size=(16, 3)), np.zeros((16, 1)), epochs=1, verbose=0)
    after = np.asarray(model.variables["batch_stats"]["batch_normalization"]["moving_mean"])
    assert not np.allclose(before, after)
    model.trainable = False
    assert not any(layer.trainable for layer in model.layers)
    assert not any(layer.trainable for layer in model.base.layers)


def test_a_layer_made_inside_call_is_an_error():
    class Bad(jnet.Model):
        def call(self, inputs):
            return L.Dense(1)(inputs)

    with pytest.raises(jnet.errors.JnetValueError, match="__init__"):
        Bad().build((None, 2))


def test_a_subclassed_model_is_pure_under_jit():
    model = MLP()
    model.build((None, 5))
    params = model.variables["params"]
    y, logits, _ = jax.jit(lambda p, x: model.forward(p, {}, x))(params, jnp.ones((2, 5)))
    np.testing.assert_allclose(jax.nn.softmax(logits), y, rtol=1e-6)


def test_summary_counts_parameters_as_keras(keras):
    class KMLP(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.dropout = keras.layers.Dropout(0.0)
            self.out = keras.layers.Dense(3, activation="softmax")

        def call(self, inputs):
            return self.out(self.dropout(self.hidden(inputs)))

    kmodel = KMLP()
    kmodel(np.zeros((1, 5), np.float32))
    model = MLP()
    model.build((None, 5))
    texts = []
    for m in (kmodel, model):
        lines = []
        m.summary(print_fn=lambda line, *a, lines=lines, **k: lines.append(line))
        texts.append("\n".join(lines))
    ktext, jtext = texts
    assert 'Model: "mlp"' in jtext and "│ dense (Dense)" in jtext and "(None, 16)" in jtext
    assert ktext.split("Total params")[1].rstrip() == jtext.split("Total params")[1].rstrip()
