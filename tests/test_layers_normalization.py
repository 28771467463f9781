"""BatchNormalization and LayerNormalization: Keras's outputs, moving statistics, training
through a model, weight layout, defaults and errors (reference: Keras 3 on TensorFlow)."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers.normalization import BatchNormalization, LayerNormalization

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _random_bn_weights(rng, channels, center=True, scale=True):
    """Keras-ordered BN weights, all far from their defaults (positive moving variance)."""
    weights = []
    if scale:
        weights.append(rng.uniform(0.5, 2.0, channels).astype(np.float32))
    if center:
        weights.append(rng.normal(size=channels).astype(np.float32))
    weights.append(rng.normal(size=channels).astype(np.float32))
    weights.append(rng.uniform(0.3, 3.0, channels).astype(np.float32))
    return weights


def _keras_bn(keras, shape, weights, **kwargs):
    klayer = keras.layers.BatchNormalization(**kwargs)
    klayer.build(shape)
    klayer.set_weights(weights)
    return klayer


BN_CASES = [
    ((6, 5), -1, {}),
    ((6, 5), 1, {}),
    ((3, 4, 5, 6), -1, {}),
    ((3, 4, 5, 6), 1, {}),  # channels_first
    ((3, 4, 5, 6), 2, {}),
    ((4, 7, 3), -1, {"center": False}),
    ((4, 7, 3), -1, {"scale": False}),
    ((4, 7, 3), 1, {"center": False, "scale": False}),
    ((5, 4), -1, {"epsilon": 0.1, "momentum": 0.5}),
]


@pytest.mark.parametrize("shape,axis,kwargs", BN_CASES)
def test_batchnorm_inference_matches_keras(keras, rng, shape, axis, kwargs):
    x = (rng.normal(size=shape) * 3.0 + 1.0).astype(np.float32)
    weights = _random_bn_weights(
        rng, shape[axis], kwargs.get("center", True), kwargs.get("scale", True)
    )
    klayer = _keras_bn(keras, shape, weights, axis=axis, **kwargs)
    kout = np.asarray(klayer(x, training=False))

    layer = BatchNormalization(axis=axis, **kwargs)
    variables = layer.init(jax.random.key(0), x)
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in weights]
    variables = layer.set_keras_weights(variables, weights)
    np.testing.assert_allclose(layer.apply(variables, x), kout, **TOL)
    np.testing.assert_allclose(layer.apply(variables, x, training=False), kout, **TOL)


@pytest.mark.parametrize("shape,axis,kwargs", BN_CASES)
def test_batchnorm_training_call_matches_keras(keras, rng, shape, axis, kwargs):
    """One training-mode call: batch statistics in the output, Keras's moving averages."""
    x = (rng.normal(size=shape) * 3.0 + 1.0).astype(np.float32)
    weights = _random_bn_weights(
        rng, shape[axis], kwargs.get("center", True), kwargs.get("scale", True)
    )
    klayer = _keras_bn(keras, shape, weights, axis=axis, **kwargs)
    kout = np.asarray(klayer(x, training=True))
    kweights = klayer.get_weights()

    layer = BatchNormalization(axis=axis, **kwargs)
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), weights)
    out, updates = layer.apply(variables, x, training=True, mutable=["batch_stats"])
    np.testing.assert_allclose(out, kout, **TOL)
    new = layer.keras_weights({**variables, **updates})
    for got, want in zip(new, kweights, strict=True):
        np.testing.assert_allclose(got, want, **TOL)
    # The output used the batch statistics (formula), not the moving ones.
    reduce = tuple(i for i in range(len(shape)) if i != axis % len(shape))
    mean = x.mean(axis=reduce, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=reduce, keepdims=True)
    normed = (x - mean) / np.sqrt(var + layer.epsilon)
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    gamma = weights[0].reshape(bshape) if layer.scale else 1.0
    beta = weights[1 if layer.scale else 0].reshape(bshape) if layer.center else 0.0
    np.testing.assert_allclose(out, normed * gamma + beta, rtol=1e-4, atol=1e-4)


def test_batchnorm_moving_statistics_formula(rng):
    x = rng.normal(size=(16, 3)).astype(np.float32)
    layer = BatchNormalization(momentum=0.9)
    variables = layer.init(jax.random.key(0), x)
    _, updates = layer.apply(variables, x, training=True, mutable=["batch_stats"])
    stats = updates["batch_stats"]
    np.testing.assert_allclose(stats["moving_mean"], 0.1 * x.mean(0), rtol=1e-5, atol=1e-7)
    # Biased (population) variance, as tf.nn.moments.
    np.testing.assert_allclose(
        stats["moving_variance"], 0.9 + 0.1 * x.var(0, ddof=0), rtol=1e-5, atol=1e-7
    )


def test_batchnorm_init_does_not_update_moving_statistics(rng):
    x = rng.normal(size=(8, 3)).astype(np.float32) + 5.0
    variables = BatchNormalization().init(jax.random.key(0), x, training=True)
    np.testing.assert_array_equal(variables["batch_stats"]["moving_mean"], np.zeros(3))
    np.testing.assert_array_equal(variables["batch_stats"]["moving_variance"], np.ones(3))


def test_batchnorm_not_trainable_runs_in_inference_mode(keras, rng):
    x = (rng.normal(size=(8, 4)) * 2.0 + 3.0).astype(np.float32)
    weights = _random_bn_weights(rng, 4)
    klayer = _keras_bn(keras, x.shape, weights)
    klayer.trainable = False
    kout = np.asarray(klayer(x, training=True))
    np.testing.assert_array_equal(klayer.get_weights()[2], weights[2])  # Keras: frozen

    layer = BatchNormalization(trainable=False)
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), weights)
    out, updates = layer.apply(variables, x, training=True, mutable=["batch_stats"])
    np.testing.assert_allclose(out, kout, **TOL)
    np.testing.assert_allclose(out, layer.apply(variables, x, training=False), rtol=0, atol=0)
    for name in ("moving_mean", "moving_variance"):
        np.testing.assert_array_equal(
            updates["batch_stats"][name], variables["batch_stats"][name]
        )


def test_batchnorm_list_axis_normalizes_over_the_other_axes(rng):
    x = rng.normal(size=(4, 3, 5, 2)).astype(np.float32)
    layer = BatchNormalization(axis=[1, 3], center=False, scale=False)
    variables = layer.init(jax.random.key(0), x)
    assert variables["batch_stats"]["moving_mean"].shape == (3, 2)
    out, updates = layer.apply(variables, x, training=True, mutable=["batch_stats"])
    mean = x.mean(axis=(0, 2), keepdims=True)
    var = x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        updates["batch_stats"]["moving_mean"], 0.01 * mean.reshape(3, 2), rtol=1e-5, atol=1e-7
    )


def test_batchnorm_jits_and_takes_gradients(rng):
    x = rng.normal(size=(6, 3)).astype(np.float32)
    layer = BatchNormalization()
    variables = layer.init(jax.random.key(0), x)

    @jax.jit
    def loss(params, x):
        out, _ = layer.apply(
            {"params": params, "batch_stats": variables["batch_stats"]},
            x, training=True, mutable=["batch_stats"],
        )
        return jnp.sum(out**2)

    grads = jax.grad(loss)(variables["params"], x)
    assert grads["gamma"].shape == (3,) and grads["beta"].shape == (3,)
    # d/dbeta sum(y^2) = 2 sum(y) = 0 in training mode (the batch output has zero mean).
    np.testing.assert_allclose(grads["beta"], np.zeros(3), atol=1e-4)


# -- through a model --------------------------------------------------------------------------


def test_batchnorm_model_predict_matches_keras(keras, rng):
    x = rng.normal(size=(10, 4, 4, 3)).astype(np.float32)
    kmodel = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.BatchNormalization(axis=1)])
    kmodel.layers[0].set_weights(_random_bn_weights(rng, 4))
    model = jnet.Sequential([jnet.layers.Input((4, 4, 3)), BatchNormalization(axis=1)])
    model.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), **TOL
    )
    assert model.count_params() == kmodel.count_params() == 16
    assert model.output_shape == kmodel.output_shape
    assert model.layers[0].name == "batch_normalization"


def _bn_models(keras, rng):
    kmodel = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(3),
        keras.layers.BatchNormalization(momentum=0.9),
    ])
    kmodel.layers[1].set_weights(_random_bn_weights(rng, 3))
    model = jnet.Sequential([
        jnet.layers.Input((4,)),
        jnet.layers.Dense(3),
        BatchNormalization(momentum=0.9),
    ])
    model.set_weights(kmodel.get_weights())
    return kmodel, model


def test_batchnorm_trains_like_keras_through_fit(keras, rng):
    """3 SGD steps on 3 batches: moving statistics, gamma/beta and the Dense weights match."""
    x = (rng.normal(size=(24, 4)) * 2.0 + 1.0).astype(np.float32)
    y = rng.normal(size=(24, 3)).astype(np.float32)
    kmodel, model = _bn_models(keras, rng)
    initial = [np.array(w) for w in kmodel.get_weights()]
    kmodel.compile(optimizer="sgd", loss="mse")
    kmodel.fit(x, y, batch_size=8, shuffle=False, epochs=1, verbose=0)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, shuffle=False, epochs=1, verbose=0)

    kweights = kmodel.get_weights()
    names = ["kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance"]
    for name, got, want, start in zip(names, model.get_weights(), kweights, initial, strict=True):
        if name != "bias":  # BN cancels the Dense bias's gradient (up to rounding)
            assert not np.allclose(want, start), name  # training changed it
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=name)

    # Inference uses the moving statistics: Keras's numbers, not the training-mode output.
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(pred, kmodel.predict(x, verbose=0), **TOL)
    train_out = model.apply(model.variables, x, training=True)
    assert np.abs(np.asarray(train_out) - pred).max() > 1e-2


def test_batchnorm_trains_like_keras_through_pure_train_step(keras, rng):
    x = (rng.normal(size=(24, 4)) * 2.0 + 1.0).astype(np.float32)
    y = rng.normal(size=(24, 3)).astype(np.float32)
    kmodel, model = _bn_models(keras, rng)
    kmodel.compile(optimizer="sgd", loss="mse")
    state = jnet.training.TrainState.create(model, optimizer="sgd", loss="mse")
    step = jax.jit(jnet.training.train_step)
    for i in range(3):
        kmodel.train_on_batch(x[8 * i : 8 * (i + 1)], y[8 * i : 8 * (i + 1)])
        state, _ = step(state, (x[8 * i : 8 * (i + 1)], y[8 * i : 8 * (i + 1)]))
    stats = state.model_state["batch_stats"]["batch_normalization"]
    kbn = kmodel.layers[1].get_weights()
    np.testing.assert_allclose(stats["moving_mean"], kbn[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(stats["moving_variance"], kbn[3], rtol=1e-5, atol=1e-6)
    params = state.params["batch_normalization"]
    np.testing.assert_allclose(params["gamma"], kbn[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(params["beta"], kbn[1], rtol=1e-5, atol=1e-6)


def test_frozen_batchnorm_in_a_model_keeps_its_statistics(keras, rng):
    x = rng.normal(size=(16, 4)).astype(np.float32) + 2.0
    y = rng.normal(size=(16, 3)).astype(np.float32)
    model = jnet.Sequential([
        jnet.layers.Input((4,)), jnet.layers.Dense(3), BatchNormalization(trainable=False)
    ])
    before = model.get_weights()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, shuffle=False, verbose=0)
    after = model.get_weights()
    for got, want in zip(after[2:], before[2:], strict=True):  # gamma, beta, moving stats
        np.testing.assert_array_equal(got, want)
    assert not np.allclose(after[0], before[0])  # the Dense layer still trains


# -- LayerNormalization -----------------------------------------------------------------------


LN_CASES = [
    ((6, 5), -1, {}),
    ((3, 4, 5), -1, {}),
    ((3, 4, 5, 6), -1, {}),
    ((3, 4, 5, 6), 1, {}),
    ((3, 4, 5, 6), [1, 2], {}),
    ((3, 4, 5, 6), [-2, -1], {}),
    ((3, 4, 5, 6), [1, 2, 3], {}),
    ((3, 4, 5, 6), [3, 1], {}),
    ((3, 4, 5, 6), [-1, 1], {}),  # Keras's sorted-as-given gamma layout (6, 4)
    ((3, 4, 5), -1, {"center": False}),
    ((3, 4, 5), -1, {"scale": False}),
    ((3, 4, 5), [1, 2], {"center": False, "scale": False}),
    ((3, 4, 5), -1, {"epsilon": 0.5}),
    ((3, 4, 5), -1, {"rms_scaling": True}),
    ((3, 4, 5), [1, 2], {"rms_scaling": True, "scale": False}),
]


@pytest.mark.parametrize("shape,axis,kwargs", LN_CASES)
def test_layernorm_matches_keras(keras, rng, shape, axis, kwargs):
    x = (rng.normal(size=shape) * 2.0 + 0.5).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras deprecates rms_scaling
        klayer = keras.layers.LayerNormalization(axis=axis, **kwargs)
        klayer.build(shape)
        weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
        klayer.set_weights(weights)
        kout = np.asarray(klayer(x))

    layer = LayerNormalization(axis=axis, **kwargs)
    variables = layer.init(jax.random.key(0), x)
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in weights]
    variables = layer.set_keras_weights(variables, weights)
    np.testing.assert_allclose(layer.apply(variables, x), kout, **TOL)
    np.testing.assert_allclose(layer.apply(variables, x, training=True), kout, **TOL)


def test_layernorm_model_predict_matches_keras(keras, rng):
    x = rng.normal(size=(5, 6, 4)).astype(np.float32)
    kmodel = keras.Sequential([keras.Input((6, 4)), keras.layers.LayerNormalization()])
    kmodel.set_weights([rng.normal(size=4).astype(np.float32) for _ in range(2)])
    model = jnet.Sequential([jnet.layers.Input((6, 4)), LayerNormalization()])
    model.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(model.predict(x, verbose=0), kmodel.predict(x, verbose=0), **TOL)
    assert model.count_params() == kmodel.count_params() == 8
    assert model.output_shape == kmodel.output_shape


# -- defaults, config, errors -----------------------------------------------------------------


def test_defaults_are_keras_defaults(keras):
    kconfig = keras.layers.BatchNormalization().get_config()
    config = BatchNormalization().get_config()
    for key in ("axis", "momentum", "epsilon", "center", "scale"):
        assert config[key] == kconfig[key], key
    for key in ("beta_initializer", "gamma_initializer", "moving_mean_initializer",
                "moving_variance_initializer"):
        assert config[key].lower() == kconfig[key]["class_name"].lower(), key
    kconfig = keras.layers.LayerNormalization().get_config()
    config = LayerNormalization().get_config()
    for key in ("axis", "epsilon", "center", "scale", "rms_scaling"):
        assert config[key] == kconfig[key], key
    assert config["gamma_initializer"] == "ones" and config["beta_initializer"] == "zeros"


def test_positional_order_is_keras_order():
    layer = BatchNormalization(1, 0.9, 1e-5, False, True)
    assert (layer.axis, layer.momentum, layer.epsilon, layer.center, layer.scale) == (
        1, 0.9, 1e-5, False, True
    )
    layer = LayerNormalization([1, 2], 1e-6, False, True, "ones")
    assert (layer.axis, layer.epsilon, layer.center, layer.scale, layer.beta_initializer) == (
        [1, 2], 1e-6, False, True, "ones"
    )


@pytest.mark.parametrize("momentum", [-0.1, 1.5, "0.9", None, True])
def test_batchnorm_rejects_bad_momentum(momentum):
    with pytest.raises(jnet.errors.JnetValueError, match=r"momentum must be a number in \[0, 1\]"):
        BatchNormalization(momentum=momentum)


@pytest.mark.parametrize("cls", [BatchNormalization, LayerNormalization])
@pytest.mark.parametrize("epsilon", [0, -1e-3, float("nan"), "1e-3"])
def test_rejects_non_positive_epsilon(cls, epsilon):
    with pytest.raises(jnet.errors.JnetValueError, match="epsilon must be a positive number"):
        cls(epsilon=epsilon)


@pytest.mark.parametrize("cls", [BatchNormalization, LayerNormalization])
def test_rejects_bad_axis_arguments(cls):
    with pytest.raises(jnet.errors.JnetTypeError, match="axis must be an integer"):
        cls(axis="channels")
    with pytest.raises(jnet.errors.JnetTypeError, match="axis must be an integer"):
        cls(axis=1.0)
    with pytest.raises(jnet.errors.JnetValueError, match="must not repeat"):
        cls(axis=[1, 1])
    with pytest.raises(jnet.errors.JnetTypeError, match="center must be True or False"):
        cls(center="yes")


@pytest.mark.parametrize("cls", [BatchNormalization, LayerNormalization])
@pytest.mark.parametrize("axis,shape", [(2, (4, 5)), (-3, (4, 5)), ([1, 4], (2, 3, 4, 5))])
def test_rejects_axis_out_of_bounds_for_the_input_rank(cls, axis, shape):
    layer = cls(axis=axis)
    with pytest.raises(jnet.errors.JnetValueError, match=r"out of bounds for inputs of rank"):
        layer.init(jax.random.key(0), jnp.ones(shape))


def test_axis_naming_one_axis_twice_is_rejected_at_call():
    with pytest.raises(jnet.errors.JnetValueError, match="names the same axis twice"):
        LayerNormalization(axis=[2, -1]).init(jax.random.key(0), jnp.ones((2, 3, 4)))


def test_model_reports_bad_axis_when_built():
    model = jnet.Sequential([jnet.layers.Input((5,)), BatchNormalization(axis=3)])
    with pytest.raises(jnet.errors.JnetValueError, match=r"axis 3 is out of bounds.*rank 2"):
        model.build()


def test_unknown_initializer_is_rejected():
    with pytest.raises(ValueError, match="zeros"):
        BatchNormalization(moving_mean_initializer="zeroes")


def test_batchnorm_training_call_needs_mutable_batch_stats(rng):
    """As Flax's BatchNorm: a training call must be allowed to write the moving statistics."""
    import flax

    x = rng.normal(size=(4, 3)).astype(np.float32)
    layer = BatchNormalization()
    variables = layer.init(jax.random.key(0), x)
    with pytest.raises(flax.errors.ModifyScopeVariableError, match="batch_stats"):
        layer.apply(variables, x, training=True)
