"""Mixed precision against Keras (TensorFlow backend): dtype policies, layers that compute in
float16 / bfloat16 on float32 variables, dynamic loss scaling, and policies kept by saving.

The parity models are built under the same global policy in both libraries with Keras's
initial weights copied into jnet, their last layer an ``Activation(..., dtype='float32')``
as Keras's mixed-precision guide has it; numbers agree within the compute dtype's precision.
"""

from __future__ import annotations

import json
import zipfile

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError

#: policy -> (rtol of outputs and 3-epoch losses, as the compute dtype allows)
TOLERANCE = {"mixed_bfloat16": 2e-2, "mixed_float16": 2e-3}


@pytest.fixture
def global_policy(keras):
    """Sets one global policy in Keras and jnet (``global_policy(name)``); float32 after."""

    def set_both(name):
        keras.config.set_dtype_policy(name)
        jnet.config.set_dtype_policy(name)

    yield set_both
    set_both("float32")


# -- policies --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name", ["mixed_float16", "mixed_bfloat16", "float16", "bfloat16", "float32", "float64"]
)
def test_policy_dtypes_and_config_as_keras(keras, name):
    ours, theirs = jnet.DTypePolicy(name), keras.DTypePolicy(name)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype) == (
        theirs.name, theirs.compute_dtype, theirs.variable_dtype)
    assert repr(ours) == repr(theirs) and ours.quantization_mode is None
    assert jnet.dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    assert jnet.dtype_policies.get(keras.dtype_policies.serialize(theirs)) == ours
    assert jnet.dtype_policies.get(name) == ours == jnet.FloatDTypePolicy(name)


def test_policy_errors_name_what_was_given():
    with pytest.raises(JnetValueError, match=r"Cannot convert 'int8' to a mixed precision"):
        jnet.DTypePolicy("int8")
    with pytest.raises(JnetTypeError, match=r"'name' must be a string.*name=3"):
        jnet.DTypePolicy(3)
    with pytest.raises(JnetValueError, match=r"Dense: dtype: Cannot convert 'mixed_int8'"):
        jnet.layers.Dense(2, dtype="mixed_int8")
    with pytest.raises(JnetValueError, match=r"Cannot interpret `dtype`.*dtype=\[1\]"):
        jnet.dtype_policies.get([1])
    with pytest.raises(JnetValueError, match=r"Invalid `policy` argument"):
        jnet.mixed_precision.set_global_policy(3)


def test_global_policy_and_legacy_names(keras, global_policy):
    global_policy("mixed_bfloat16")
    assert jnet.mixed_precision.global_policy() == jnet.DTypePolicy("mixed_bfloat16")
    assert jnet.mixed_precision.Policy is jnet.DTypePolicy
    made_now = jnet.layers.Dense(2)
    jnet.mixed_precision.set_global_policy("float32")  # Keras: the policy when made counts
    assert made_now.dtype_policy.name == "mixed_bfloat16"
    assert jnet.layers.Dense(2).dtype_policy.name == "float32"


def test_layer_dtypes_as_keras(keras):
    for name in ("mixed_float16", "mixed_bfloat16", "bfloat16", "float32"):
        ours, theirs = jnet.layers.Dense(2, dtype=name), keras.layers.Dense(2, dtype=name)
        for attribute in ("dtype", "compute_dtype", "variable_dtype"):
            assert getattr(ours, attribute) == getattr(theirs, attribute), (name, attribute)
        assert repr(ours.dtype_policy) == repr(theirs.dtype_policy)
        assert ours.get_config()["dtype"] == theirs.get_config()["dtype"]


def _strict(fn):
    with jax.numpy_dtype_promotion("strict"):
        return fn()


def test_layer_call_computes_in_the_compute_dtype_on_float32_variables():
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)
    dense = jnet.layers.Dense(2, dtype="mixed_float16", kernel_initializer="ones")
    y = _strict(lambda: dense(x))
    assert y.dtype == jnp.float16
    assert [w.dtype for w in dense.weights] == ["float32", "float32"]
    # a sublayer made inside a layer computes under that layer's policy
    mha = jnet.layers.MultiHeadAttention(num_heads=2, key_dim=2, dtype="mixed_bfloat16")
    out, variables = _strict(lambda: jax.eval_shape(
        lambda: mha.init_with_output(jax.random.key(0), x[None], x[None])))
    assert out.dtype == jnp.bfloat16
    assert {str(v.dtype) for v in jax.tree_util.tree_leaves(variables)} == {"float32"}
    # a Keras-style layer reads its float32 weights in the compute dtype (Keras's autocast)
    seen = []

    class Scale(jnet.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, inputs):
            seen.append((inputs.dtype, self.scale.value.dtype))
            return jnet.ops.multiply(inputs, self.scale)

    layer = Scale(dtype="mixed_bfloat16")
    assert _strict(lambda: layer(x)).dtype == jnp.bfloat16
    assert seen == [(jnp.bfloat16, jnp.bfloat16)] and layer.scale.dtype == "float32"
    assert layer.get_config()["dtype"]["config"] == {"name": "mixed_bfloat16"}


_X3, _X4 = jnp.ones((2, 5, 4)), jnp.ones((2, 6, 6, 3))
#: layer (under 'mixed_bfloat16') -> its call arguments
_LAYERS = {
    "Conv1D": (lambda L, d: L.Conv1D(3, 2, dtype=d), (_X3,)),
    "Conv2DTranspose": (lambda L, d: L.Conv2DTranspose(3, 2, dtype=d), (_X4,)),
    "SeparableConv2D": (lambda L, d: L.SeparableConv2D(3, 2, dtype=d), (_X4,)),
    "AveragePooling2D": (lambda L, d: L.AveragePooling2D(2, dtype=d), (_X4,)),
    "LSTM": (lambda L, d: L.LSTM(3, dropout=0.5, recurrent_dropout=0.5, dtype=d), (_X3,)),
    "GRU": (lambda L, d: L.GRU(3, dtype=d), (_X3,)),
    "SimpleRNN": (lambda L, d: L.SimpleRNN(3, dtype=d), (_X3,)),
    "Embedding": (lambda L, d: L.Embedding(10, 3, dtype=d), (jnp.ones((2, 5), jnp.int32),)),
    "GroupQueryAttention": (lambda L, d: L.GroupQueryAttention(2, 2, 1, dtype=d), (_X3, _X3)),
    "GroupNormalization": (lambda L, d: L.GroupNormalization(2, dtype=d), (_X3,)),
    "RMSNormalization": (lambda L, d: L.RMSNormalization(dtype=d), (_X3,)),
    "EinsumDense": (lambda L, d: L.EinsumDense("abc,cd->abd", (5, 3), dtype=d), (_X3,)),
    "PReLU": (lambda L, d: L.PReLU(dtype=d), (_X3,)),
    "Rescaling": (lambda L, d: L.Rescaling(0.5, dtype=d), (_X3,)),
    "UnitNormalization": (lambda L, d: L.UnitNormalization(dtype=d), (_X3,)),
    "Dropout": (lambda L, d: L.Dropout(0.5, dtype=d), (_X3,)),
}


@pytest.mark.parametrize("name", sorted(_LAYERS))
def test_layers_compute_in_bfloat16_on_float32_variables(name):
    make, args = _LAYERS[name]
    layer = make(jnet.layers, "mixed_bfloat16")
    keys = {"params": jax.random.key(0), "dropout": jax.random.key(1)}
    with jax.numpy_dtype_promotion("strict"):  # no silent float32 on the way
        out, variables = jax.eval_shape(
            lambda: layer.init_with_output(keys, *args, training=True))
    assert out.dtype == jnp.bfloat16
    assert {str(v.dtype) for v in jax.tree_util.tree_leaves(variables)} <= {"float32"}


# -- parity: an MLP and a small CNN, outputs and 3 epochs ------------------------------------

def _mlp(lib):
    L = lib.layers
    return [lib.Input((6,)), L.Dense(16, activation="relu"), L.LayerNormalization(),
            L.Dense(8, activation="tanh"), L.Dense(3), L.Activation("softmax", dtype="float32")]


def _cnn(lib):
    L = lib.layers
    return [lib.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu", padding="same"),
            L.BatchNormalization(), L.MaxPooling2D(), L.Flatten(), L.Dense(3),
            L.Activation("softmax", dtype="float32")]


@pytest.mark.parametrize(
    ("policy", "architecture"),
    [("mixed_float16", _mlp), ("mixed_bfloat16", _cnn)], ids=["mlp-float16", "cnn-bfloat16"],
)
def test_trains_as_keras_for_3_epochs(keras, global_policy, rng, policy, architecture):
    global_policy(policy)
    keras.utils.set_random_seed(0)
    kmodel = keras.Sequential(architecture(keras))
    jmodel = jnet.Sequential(architecture(jnet))
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.Adam(0.01),
                      loss="sparse_categorical_crossentropy")
    jmodel.set_weights(kmodel.get_weights())
    shape = (48, *kmodel.input_shape[1:])
    x = rng.normal(size=shape).astype("float32")
    y = (x.reshape(len(x), -1)[:, :3].sum(axis=1) > 0).astype("int32") + (x.mean() > 0)
    tol = TOLERANCE[policy]
    np.testing.assert_allclose(jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0),
                               rtol=tol, atol=tol)
    kwargs = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
    khist = kmodel.fit(x, y, **kwargs).history
    jhist = jmodel.fit(x, y, **kwargs).history
    np.testing.assert_allclose(jhist["loss"], khist["loss"], rtol=tol)
    assert {str(w.dtype) for w in jmodel.get_weights()} == {"float32"}
    assert type(jmodel.optimizer).__name__ == type(kmodel.optimizer).__name__
    if policy == "mixed_float16":  # both wrapped their Adam in a LossScaleOptimizer
        assert jmodel.optimizer.get_config()["initial_scale"] == 2.0**15
        assert float(jnet.optimizers.loss_scale(jmodel._state().opt_state)) == float(
            kmodel.optimizer.dynamic_scale.numpy())


# -- loss scaling ----------------------------------------------------------------------------

def test_loss_scale_sequence_and_skipped_steps_as_keras(keras):
    steps = [1.0, 2.0, np.inf, 0.5, np.nan, 1.0, 1.0, 1.0]  # the gradient of each step
    kvar = keras.Variable(np.zeros(2, "float32"))
    kopt = keras.optimizers.LossScaleOptimizer(
        keras.optimizers.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=2)
    opt = jnet.mixed_precision.LossScaleOptimizer(
        jnet.optimizers.SGD(0.1), initial_scale=8.0, dynamic_growth_steps=2)
    tx = opt.build()
    params = jnp.zeros(2)
    state = tx.init(params)
    for g in steps:
        grad = np.array([g, 8.0], "float32")  # scaled gradients, as the step gives them
        kopt.apply([keras.ops.convert_to_tensor(grad)], [kvar])
        updates, state = tx.update(jnp.asarray(grad), state, params)
        params = params + updates
        assert float(state.dynamic_scale) == float(kopt.dynamic_scale.numpy())
        assert int(state.step_counter) == int(kopt.step_counter.numpy())
        np.testing.assert_allclose(params, kvar.numpy(), rtol=1e-6)
    assert int(jnet.optimizers.get_iterations(state)) == int(kopt.iterations.numpy()) == 6
    config, kconfig = opt.get_config(), kopt.get_config()
    assert config == {**kconfig, "inner_optimizer": config["inner_optimizer"]}
    assert config["inner_optimizer"]["class_name"] == kconfig["inner_optimizer"]["class_name"]
    assert set(config["inner_optimizer"]["config"]) == set(kconfig["inner_optimizer"]["config"])


def test_float16_overflow_skips_the_step_and_halves_the_scale(global_policy):
    global_policy("mixed_float16")
    model = jnet.Sequential([jnet.Input((2,)), jnet.layers.Dense(1, kernel_initializer="ones"),
                             jnet.layers.Activation("linear", dtype="float32")])
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    x = np.full((4, 2), 200.0, "float32")  # loss * 2**15 overflows float16's gradients
    model.fit(x, np.zeros((4, 1), "float32"), epochs=1, batch_size=4, verbose=0)
    state = model._state().opt_state
    assert float(jnet.optimizers.loss_scale(state)) == 2.0**14
    assert int(jnet.optimizers.get_iterations(state)) == 0
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
    model.fit(x / 2000.0, np.zeros((4, 1), "float32"), epochs=1, batch_size=4, verbose=0)
    assert int(jnet.optimizers.get_iterations(model._state().opt_state)) == 1


def test_compile_wraps_only_under_mixed_float16(global_policy):
    def optimizer(policy, **kwargs):
        global_policy(policy)
        model = jnet.Sequential([jnet.Input((2,)), jnet.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", **kwargs)
        return type(model.optimizer).__name__

    assert optimizer("mixed_float16") == "LossScaleOptimizer"
    assert optimizer("mixed_float16", auto_scale_loss=False) == "Adam"
    assert optimizer("mixed_bfloat16") == "Adam"


def test_loss_scale_optimizer_arguments():
    with pytest.raises(JnetValueError, match="no longer supports `dynamic=False`"):
        jnet.mixed_precision.LossScaleOptimizer(jnet.optimizers.SGD(), dynamic=False)
    with pytest.raises(JnetValueError, match="does not support `clipnorm`"):
        jnet.mixed_precision.LossScaleOptimizer(jnet.optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(JnetTypeError, match="inner_optimizer must be a jnet optimizer"):
        jnet.mixed_precision.LossScaleOptimizer("sgd")
    restored = jnet.optimizers.deserialize(jnet.optimizers.serialize(
        jnet.mixed_precision.LossScaleOptimizer(jnet.optimizers.Adam(0.5), 4.0, 3)))
    assert (restored.initial_scale, restored.dynamic_growth_steps) == (4.0, 3)
    assert restored.learning_rate == 0.5


# -- saving ----------------------------------------------------------------------------------

def test_saving_keeps_the_policies(keras, global_policy, tmp_path, rng):
    x = rng.normal(size=(5, 6)).astype("float32")
    global_policy("mixed_bfloat16")
    kmodel = keras.Sequential(_mlp(keras))
    kmodel.save(tmp_path / "mixed.keras")
    global_policy("float32")
    loaded = jnet.models.load_model(tmp_path / "mixed.keras")  # Keras's mixed policies load
    names = [layer.dtype_policy.name for layer in loaded.layers]
    assert names == ["mixed_bfloat16"] * 4 + ["float32"]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), kmodel.predict(x, verbose=0),
                               rtol=2e-2, atol=2e-2)
    with zipfile.ZipFile(tmp_path / "mixed.keras") as archive:
        kconfig = json.loads(archive.read("config.json"))["config"]["layers"][1]["config"]
    assert loaded.layers[0].get_config()["dtype"] == kconfig["dtype"]
    loaded.save(tmp_path / "mixed.jnet")
    again = jnet.models.load_model(tmp_path / "mixed.jnet")
    assert [layer.dtype_policy.name for layer in again.layers] == names
    np.testing.assert_array_equal(again.predict(x, verbose=0), loaded.predict(x, verbose=0))
