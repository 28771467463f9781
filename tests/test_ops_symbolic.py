"""``jnet.ops`` on KerasTensors: ops between the layers of a functional model, as in Keras.

Keras-style programs with only the import changed: ``x = ops.relu(a)``,
``ops.concatenate([x, b], axis=-1)``, ``ops.mean(seq, axis=1)`` between layers build nodes
whose shapes are inferred as Keras infers them; the model predicts and trains as the same
model in Keras (TensorFlow backend, weights moved with ``set_weights``); ops are not layers
(no weights, not in ``model.layers``), are named, shown in ``summary()`` and saved as Keras
does. Python operators on KerasTensors (``a + b``, ``x[:, 0]``) record the same ops.
"""

import types

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import errors
from jnet.ops._op import convert, keras_op

OPS = jnet.ops


def _program(lib, ops):
    """A Keras program: layers with ops between them; returns the model and its tensors."""
    L = lib.layers
    inputs = lib.Input(shape=(6,))
    a = L.Dense(8)(inputs)
    x = ops.relu(a)
    b = L.Dense(8)(x)
    c = ops.concatenate([x, ops.relu(b)], axis=-1)
    s = ops.slice(c, [0, 4], [-1, 8])
    parts = ops.unstack(L.Reshape((4, 4))(c), axis=1)
    m = ops.mean(ops.concatenate([ops.stop_gradient(parts[0]), parts[1]], axis=-1), axis=-1,
                 keepdims=True)
    h = ops.cast(ops.concatenate([m, s], axis=-1), "float32")
    outputs = L.Dense(2)(h)
    tensors = [a, x, b, c, s, *parts, m, h, outputs]
    return lib.Model(inputs, outputs), tensors


@pytest.fixture
def pair(keras):
    keras.backend.clear_session()  # Keras counts names per session
    keras.utils.set_random_seed(0)
    kmodel, ktensors = _program(keras, keras.ops)
    jmodel, jtensors = _program(jnet, OPS)
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, ktensors, jmodel, jtensors


def _data(rng, n=40):
    x = rng.normal(size=(n, 6)).astype(np.float32)
    y = rng.normal(size=(n, 2)).astype(np.float32)
    return x, y


def test_shapes_and_dtypes_as_keras(pair):
    _, ktensors, _, jtensors = pair
    assert [tuple(t.shape) for t in jtensors] == [tuple(t.shape) for t in ktensors]
    assert [t.dtype for t in jtensors] == [t.dtype for t in ktensors]


def test_ops_are_not_layers_and_are_named_as_keras(pair):
    kmodel, _, jmodel, _ = pair
    assert [lay.name for lay in jmodel.layers] == [lay.name for lay in kmodel.layers]
    assert [op.name for op in jmodel._operations] == [op.name for op in kmodel._operations]
    assert len(jmodel.get_weights()) == len(kmodel.get_weights())


def test_predicts_as_keras(pair, rng):
    kmodel, _, jmodel, _ = pair
    x, _ = _data(rng)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )


def test_trains_as_keras(keras, pair, rng):
    kmodel, _, jmodel, _ = pair
    x, y = _data(rng)
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.05), loss="mse")
    fit = {"batch_size": 8, "epochs": 2, "shuffle": False, "verbose": 0}
    khist = kmodel.fit(x, y, **fit).history
    jhist = jmodel.fit(x, y, **fit).history
    np.testing.assert_allclose(jhist["loss"], khist["loss"], rtol=1e-5, atol=1e-6)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-5, atol=1e-5)


def _summary_rows(model):
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    text = "\n".join(lines)
    return [line.split("│")[1].strip() for line in text.splitlines()
            if line.startswith("│") and "(" in line.split("│")[1]]


def test_summary_shows_ops_as_keras(pair):
    kmodel, _, jmodel, _ = pair
    rows = _summary_rows(jmodel)
    assert rows == _summary_rows(kmodel)
    assert "relu_1 (Relu)" in rows and "(StopGradient)" in rows


def test_shapes_of_ops_on_free_axes(keras):
    """Keras traces ops with one symbolic size (>= 2) for the free axes."""
    shapes = []
    for lib, ops in ((keras, keras.ops), (jnet, OPS)):
        x = lib.Input(shape=(4,))
        seq = lib.Input(shape=(None, 3))
        outs = [
            ops.mean(x, axis=0),  # reduces the batch axis: (4,)
            ops.mean(seq, axis=1),
            ops.concatenate([x, x], axis=0),
            ops.unstack(seq, axis=-1)[0],
            ops.slice(seq, [0, 0, 1], [-1, -1, 2]),
            ops.cast(seq, "int32"),
            ops.saturate_cast(x, "uint8"),
            ops.scatter_update(x, [[0, 1]], np.ones(1, "float32")),
        ]
        shapes.append([(tuple(t.shape), t.dtype) for t in outs])
    assert shapes[0] == shapes[1]


def test_rearrange_on_a_free_batch_axis():
    x = jnet.Input(shape=(16,))
    y = jnet.ops.rearrange(x, "b (t f) -> b f t", t=4)
    assert y.shape == (None, 4, 4)
    model = jnet.Model(x, y)
    data = np.arange(32, dtype="float32").reshape(2, 16)
    np.testing.assert_array_equal(model.predict(data, verbose=0),
                                  data.reshape(2, 4, 4).transpose(0, 2, 1))


def test_op_names_unique_against_layers():
    x = jnet.Input(shape=(3,))
    y = jnet.layers.Dense(3, name="cast")(x)
    z = jnet.ops.cast(jnet.ops.cast(y, "int32"), "float32")
    model = jnet.Model(x, z)
    assert [op.name for op in model._operations] == ["input_layer", "cast", "cast_1", "cast_2"]
    assert model.output_names == ["cast_2"]


def test_ops_pass_no_mask():
    x = jnet.Input(shape=(5,), dtype="int32")
    e = jnet.layers.Embedding(10, 4, mask_zero=True)(x)
    y = jnet.ops.stop_gradient(e)
    out = jnet.layers.GlobalAveragePooling1D()(y)
    model = jnet.Model(x, out)
    data = np.array([[1, 2, 0, 0, 0]], "int32")
    emb = model.get_weights()[0]
    np.testing.assert_allclose(model.predict(data, verbose=0),
                               emb[data[0]].mean(axis=0, keepdims=True), rtol=1e-6)


def test_bad_axis_on_a_keras_tensor_is_a_jnet_error():
    x = jnet.Input(shape=(3,))
    with pytest.raises(errors.JnetValueError, match="axis"):
        jnet.ops.unstack(x, axis=2)


def test_jit_grad_of_a_model_with_ops(pair, rng):
    _, _, jmodel, _ = pair
    x, _ = _data(rng, 4)

    def loss(params):
        y, _, _ = jmodel.forward(params, jmodel.variables.get("state", {}), x)
        return jnp.sum(y ** 2)

    grads = jax.jit(jax.grad(loss))(jmodel.variables["params"])
    assert all(np.isfinite(np.asarray(g)).all() for g in jax.tree_util.tree_leaves(grads))


# -- saving ------------------------------------------------------------------------------------


def test_save_and_load_a_model_with_ops(tmp_path, rng):
    x = jnet.Input(shape=(6,))
    h = jnet.layers.Dense(8)(x)
    parts = jnet.ops.unstack(jnet.ops.rearrange(h, "b (t f) -> b t f", f=4), axis=1)
    s = jnet.ops.slice(h, (0, 2), (-1, 3))
    y = jnet.layers.Dense(2)(jnet.ops.cast(jnet.ops.stop_gradient(parts[1]), "float32"))
    model = jnet.Model(x, [y, jnet.ops.saturate_cast(s, "float16")])
    path = tmp_path / "ops.jnet"
    model.save(path)
    loaded = jnet.saving.load_model(path)
    assert [op.name for op in loaded._operations] == [op.name for op in model._operations]
    data = rng.normal(size=(3, 6)).astype("float32")
    for got, want in zip(loaded.predict(data, verbose=0), model.predict(data, verbose=0),
                         strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_saving_refuses_an_op_outside_jnet_ops(tmp_path):
    x = jnet.Input(shape=(3,))
    model = jnet.Model(x, jnet.layers.Dense(2)(_square(x)))
    with pytest.raises(errors.JnetTypeError, match="jnet.ops functions"):
        model.save(tmp_path / "m.jnet")


def test_saving_refuses_a_callable_argument(tmp_path):
    x = jnet.Input(shape=(3,))
    model = jnet.Model(x, jnet.ops.vectorized_map(lambda row: row * 2.0, x))
    with pytest.raises(errors.JnetTypeError, match="never code"):
        model.save(tmp_path / "m.jnet")


@keras_op
def _square(x):
    return convert(x) ** 2


# -- custom_gradient ---------------------------------------------------------------------------


def test_custom_gradient_as_keras(keras):
    import tensorflow as tf

    def make(ops):
        @ops.custom_gradient
        def clipped_identity(x):
            def grad(upstream):
                return ops.clip(upstream, -0.5, 0.5) * 3.0

            return x * 1.0, grad

        return clipped_identity

    x = np.array([-2.0, 0.1, 3.0], "float32")
    upstream = np.array([1.0, -0.2, -4.0], "float32")
    f_keras = make(keras.ops)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = f_keras(xt)
    want = tape.gradient(out, xt, output_gradients=tf.constant(upstream)).numpy()
    ns = types.SimpleNamespace(custom_gradient=jnet.ops.custom_gradient, clip=jnp.clip)
    f_jnet = make(ns)
    _, vjp = jax.vjp(f_jnet, jnp.asarray(x))
    np.testing.assert_allclose(vjp(jnp.asarray(upstream))[0], want, rtol=1e-6)
    variable_like = types.SimpleNamespace(_JNET_IS_VARIABLE=True, value=jnp.asarray(x))
    np.testing.assert_allclose(f_jnet(variable_like), x)


def _operator_program(lib):
    """Python operators between layers, as Keras programs write them."""
    inputs = lib.Input(shape=(5,))
    a = lib.layers.Dense(4)(inputs)
    b = lib.layers.Dense(4)(inputs)
    y = (a + b) * 2.0 - abs(a) / 3.0 + a[:, :1] ** 2 - (1.0 - b) // 2.0 + (-b) % 1.5
    return lib.Model(inputs, lib.layers.Dense(1)(y @ lib.ops.ones((4, 3)))), y


def test_python_operators_on_keras_tensors_match_keras(keras, rng):
    keras.utils.set_random_seed(0)
    kmodel, ky = _operator_program(keras)
    jmodel, jy = _operator_program(jnet)
    assert jy.shape == tuple(ky.shape) and jy.dtype == ky.dtype
    jmodel.set_weights(kmodel.get_weights())
    x = rng.normal(size=(8, 5)).astype(np.float32)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert [layer.name for layer in jmodel.layers][:3] == ["input_layer", "dense", "dense_1"]
    comparison = jnet.Input(shape=(2,)) > 0.5
    assert comparison.dtype == "bool" and comparison.shape == (None, 2)
