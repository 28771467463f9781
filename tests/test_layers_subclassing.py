"""Keras-style custom layers (jnet.layers.keras_layer): the code of Keras's guide "Making new
layers and models via subclassing" with only the import changed, custom layers trained in
Sequential and functional models, parity with Keras on TensorFlow, and clear errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet import errors, ops

keras = jnet  # the guide's code below runs as written with `keras` bound to jnet


@pytest.fixture(autouse=True)
def _broadcasting_user_code():
    # The guide's call() adds a (units,) bias to a (batch, units) array, which Keras allows;
    # conftest's rank promotion "raise" is for jnet's own code.
    with jax.numpy_rank_promotion("allow"):
        yield


# -- the guide's layers, verbatim but for the import -------------------------------------------


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


class LinearInInit(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(
            shape=(input_dim, units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(
            initializer="zeros", shape=(input_dim,), trainable=False
        )

    def call(self, inputs):
        self.total.assign_add(keras.ops.sum(inputs, axis=0))
        return self.total


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = keras.activations.relu(x)
        x = self.linear_2(x)
        x = keras.activations.relu(x)
        return self.linear_3(x)


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * keras.ops.mean(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


class CustomDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
        return inputs


class DenseBlock(keras.layers.Layer):
    """A custom layer holding built-in (Flax) layers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)]
        self.norm = keras.layers.BatchNormalization()

    def call(self, inputs, training=False):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.norm(x, training=training)


# -- the guide, eagerly --------------------------------------------------------------------


def test_linear_guide():
    x = keras.ops.ones((2, 2))
    linear_layer = Linear(4)
    y = linear_layer(x)
    assert y.shape == (2, 4)
    assert linear_layer.weights == [linear_layer.w, linear_layer.b]
    assert isinstance(linear_layer, keras.layers.Layer)
    np.testing.assert_allclose(np.asarray(y), np.ones((2, 2)) @ linear_layer.w.numpy(), 1e-6)


def test_linear_in_init_guide():
    layer = LinearInInit(4, 2)
    y = layer(keras.ops.ones((2, 2)))
    assert y.shape == (2, 4)
    assert layer.weights == [layer.w, layer.b]


def test_compute_sum_guide():
    x = keras.ops.ones((2, 2))
    my_sum = ComputeSum(2)
    y = my_sum(x)
    assert np.asarray(y).tolist() == [2.0, 2.0]
    y = my_sum(x)
    assert np.asarray(y).tolist() == [4.0, 4.0]
    assert my_sum.weights == [my_sum.total]
    assert my_sum.non_trainable_weights == [my_sum.total]
    assert my_sum.trainable_weights == []


def test_mlp_block_guide():
    mlp = MLPBlock()
    y = mlp(keras.ops.ones(shape=(3, 64)))
    assert y.shape == (3, 1)
    assert len(mlp.weights) == 6
    assert len(mlp.trainable_weights) == 6


def test_add_loss_guide():
    layer = OuterLayer()
    assert len(layer.losses) == 0
    _ = layer(keras.ops.zeros((1, 1)))
    assert len(layer.losses) == 1  # created during the call
    _ = layer(keras.ops.zeros((1, 1)))
    assert len(layer.losses) == 1  # reset at the start of each call


def test_add_weight_regularizer_in_losses():
    class OuterLayerWithKernelRegularizer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(
                32, kernel_regularizer=keras.regularizers.L2(1e-3))

        def call(self, inputs):
            return self.dense(inputs)

    class Reg(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), initializer="ones", regularizer="l2")

        def call(self, inputs):
            return inputs * self.w

    layer = Reg()
    layer(np.ones((1, 2), "float32"))
    assert [round(float(v), 6) for v in layer.losses] == [0.02]
    outer = OuterLayerWithKernelRegularizer()
    assert outer(keras.ops.zeros((1, 1))).shape == (1, 32)


def test_custom_dropout_training_flag():
    layer = CustomDropout(0.5)
    x = np.ones((4, 100), "float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    y = np.asarray(layer(x, training=True))
    assert set(np.unique(y).tolist()) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1


def test_build_once_and_built_flag():
    calls = []

    class Counted(keras.layers.Layer):
        def build(self, input_shape):
            calls.append(input_shape)
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            return inputs * self.w

    layer = Counted()
    assert not layer.built
    layer(np.ones((2, 3), "float32"))
    layer(np.ones((5, 3), "float32"))
    assert calls == [(2, 3)] and layer.built


def test_get_set_weights_and_config_round_trip():
    layer = Linear(3, name="lin")
    layer(np.ones((1, 2), "float32"))
    weights = [np.arange(6, dtype="float32").reshape(2, 3), np.ones(3, "float32")]
    layer.set_weights(weights)
    np.testing.assert_array_equal(layer.get_weights()[0], weights[0])
    config = layer.get_config()
    assert config == {"name": "lin", "trainable": True, "units": 3, "dtype": {
        "module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
        "registered_name": None}}
    clone = Linear.from_config(config)
    assert clone.units == 3 and clone.name == "lin"


def test_auto_config_from_constructor_arguments():
    class Scaled(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs * self.factor

    config = Scaled(3.0, name="s").get_config()
    assert config["factor"] == 3.0 and config["name"] == "s"
    assert Scaled.from_config(config).factor == 3.0


# -- in models, trained with fit --------------------------------------------------------------


def _data(rng, n=64):
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")
    return x, y


def test_custom_layer_in_sequential_fit(rng):
    x, y = _data(rng)
    model = keras.Sequential([keras.Input((3,)), Linear(8), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert [w.shape for w in model.get_weights()] == [(3, 8), (8,), (8, 1), (1,)]
    assert model.layers[0].count_params() == 32
    assert model.predict(x, verbose=0).shape == (64, 1)


def test_custom_layer_in_functional_fit(rng):
    x, y = _data(rng)
    inputs = keras.Input((3,))
    h = MLPBlock()(inputs)
    model = keras.Model(inputs, h)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert len(model.get_weights()) == 6


def test_counter_and_batch_norm_state_carried_through_fit(rng):
    class Counter(keras.layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, inputs, training=False):
            if training:
                self.count.assign_add(1.0)
            return inputs

    x, y = _data(rng)
    counter = Counter()
    model = keras.Sequential([keras.Input((3,)), counter, DenseBlock(), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert float(counter.get_weights()[0]) == 8.0  # 4 steps per epoch, 2 epochs
    block = model.layers[1]
    moving_mean = block.get_weights()[-2]  # BatchNormalization's moving mean moved
    assert np.abs(moving_mean).sum() > 0
    assert model.layers[0].weights[0].numpy() == 8.0  # Variables synced from the model


def test_summary_counts_custom_layers(capsys):
    model = keras.Sequential([keras.Input((3,)), DenseBlock(), ComputeSumLike()])
    model.summary()
    text = capsys.readouterr().out
    # DenseBlock: 3*8+8 + 8*4+4 + 4*4 (gamma, beta, moving mean/var) = 84, 8 non-trainable
    assert "│            84 │" in text and "Non-trainable params: 8 " in text


class ComputeSumLike(keras.layers.Layer):
    def call(self, inputs):
        return inputs


def test_add_loss_goes_into_fit_loss(rng):
    x, y = _data(rng)

    class Penalty(keras.layers.Layer):
        def call(self, inputs):
            self.add_loss(100.0 * keras.ops.mean(keras.ops.square(inputs)))
            return inputs

    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    penalised = keras.Sequential([keras.Input((3,)), keras.layers.Dense(
        1, kernel_initializer="ones"), Penalty()])
    for model in (plain, penalised):
        model.compile(optimizer="sgd", loss="mse")
    a = plain.evaluate(x, y, verbose=0)
    b = penalised.evaluate(x, y, verbose=0)
    assert b > a + 1.0


def test_frozen_custom_layer_does_not_train(rng):
    x, y = _data(rng)
    layer = Linear(2)
    model = keras.Sequential([keras.Input((3,)), layer, keras.layers.Dense(1)])
    layer.trainable = False
    model.compile(optimizer="adam", loss="mse")
    before = layer.get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    for a, b in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


# -- parity with Keras on TensorFlow ----------------------------------------------------------


def _keras_linear(k):
    class KLinear(k.layers.Layer):
        def __init__(self, units=32, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal", trainable=True)
            self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

        def call(self, inputs):
            return k.ops.matmul(inputs, self.w) + self.b

    return KLinear


def test_parity_with_keras_outputs_and_losses(keras, rng):  # noqa: F811 (the fixture)
    x, y = _data(rng, 96)
    k_model = keras.Sequential([keras.Input((3,)), _keras_linear(keras)(8),
                                keras.layers.Dense(1)])
    j_model = jnet.Sequential([jnet.Input((3,)), Linear(8), jnet.layers.Dense(1)])
    j_model.set_weights(k_model.get_weights())
    np.testing.assert_allclose(j_model.predict(x, verbose=0), k_model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)
    k_model.compile(optimizer="adam", loss="mse")
    j_model.compile(optimizer="adam", loss="mse")
    k_hist = k_model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    j_hist = j_model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=0)
    np.testing.assert_allclose(j_hist.history["loss"], k_hist.history["loss"], rtol=1e-4)


def test_parity_eager_custom_layer(keras, rng):  # noqa: F811
    x = rng.normal(size=(4, 3)).astype("float32")
    k_layer = _keras_linear(keras)(2)
    k_out = np.asarray(k_layer(x))
    j_layer = Linear(2)
    j_layer(x)
    j_layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(np.asarray(j_layer(x)), k_out, rtol=1e-5, atol=1e-6)


# -- errors ---------------------------------------------------------------------------------


def test_add_weight_bad_shape_names_layer():
    class Bad(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(None, 3))

        def call(self, inputs):
            return inputs

    with pytest.raises(errors.JnetValueError, match=r"Bad.*add_weight.*shape"):
        Bad()(np.ones((1, 3), "float32"))


def test_forgot_super_init():
    class NoSuper(keras.layers.Layer):
        def __init__(self, units):
            self.units = units

        def call(self, inputs):
            return inputs

    with pytest.raises(errors.JnetValueError, match="forgot to call `super"):
        NoSuper(2)(np.ones((1, 2), "float32"))


def test_call_failing_on_input_shape():
    layer = Linear(2)
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(errors.JnetValueError, match=r"Linear.*cannot take inputs of shape"):
        layer(np.ones((1, 5), "float32"))
    with pytest.raises(errors.JnetValueError, match=r"cannot take inputs of shape"):
        jnet.Sequential([jnet.Input((4,)), Linear(2), Linear(1)]).build((None, 4)) or \
            jnet.Sequential([jnet.Input((4,)), _Fails()]).build((None, 4))


class _Fails(keras.layers.Layer):
    def call(self, inputs):
        return ops.reshape(inputs, (-1, 3))


def test_unknown_base_keyword():
    with pytest.raises(errors.JnetTypeError, match="naem"):
        Linear(2, naem="x")


def test_custom_layer_in_subclassed_model_fit(rng):
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.linear = Linear(8)
            self.out = keras.layers.Dense(1)

        def call(self, inputs, training=False):
            return self.out(keras.ops.relu(self.linear(inputs)))

    x, y = _data(rng)
    model = Model()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert [w.shape for w in model.get_weights()] == [(3, 8), (8,), (8, 1), (1,)]


def test_layer_holding_a_sequential_trains_it_with_its_penalties():
    """Keras's transformer blocks hold their feed-forward as a model
    (``self.ffn = keras.Sequential([...])``): it is built on the layer's first call, its weights
    are the layer's, its weight penalties reach the loss, and fit trains it."""

    class Block(jnet.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.ffn = jnet.Sequential([
                jnet.layers.Dense(3, kernel_initializer="ones", kernel_regularizer="l2"),
            ])

        def call(self, x):
            return jnet.ops.add(x, self.ffn(x))

    x = np.arange(6, dtype="float32").reshape(2, 3) / 10
    block = Block()
    np.testing.assert_allclose(block(x), x + x.sum(axis=1, keepdims=True), rtol=1e-6)
    assert [tuple(w.shape) for w in block.weights] == [(3, 3), (3,)]

    inputs = jnet.Input((3,))
    held = Block()
    model = jnet.Model(inputs, held(inputs))
    model.compile(optimizer="sgd", loss="mse")
    mse = np.mean((x + x.sum(axis=1, keepdims=True)) ** 2)
    # the L2 penalty of the nested Dense: 0.01 * sum(ones(3, 3) ** 2)
    np.testing.assert_allclose(model.evaluate(x, np.zeros_like(x), verbose=0), mse + 0.09,
                               rtol=1e-5)
    before = model.get_weights()[0].copy()
    model.fit(x, np.zeros_like(x), epochs=2, verbose=0)
    assert not np.allclose(model.get_weights()[0], before)
    # the layer's weights, and the held model's, show the trained values
    np.testing.assert_array_equal(held.weights[0].numpy(), model.get_weights()[0])
    np.testing.assert_array_equal(held.ffn.get_weights()[1], model.get_weights()[1])
