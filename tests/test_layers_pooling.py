"""Pooling layers: outputs against Keras (TF backend), through a Sequential, defaults, errors."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import pooling
from jnet.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)

WINDOWED_2D = ["MaxPooling2D", "AveragePooling2D"]
WINDOWED_1D = ["MaxPooling1D", "AveragePooling1D"]
GLOBAL = ["GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
          "GlobalAveragePooling2D"]
ALIASES = {
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D", "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
}


def _input(rng, spatial, data_format, channels=3, batch=2):
    shape = (batch, *spatial, channels) if data_format == "channels_last" else (
        batch, channels, *spatial)
    return rng.normal(size=shape).astype(np.float32)


def _assert_parity(klayer, layer, x):
    kout = np.asarray(klayer(x))
    out = layer.apply({}, x)
    assert out.shape == kout.shape
    np.testing.assert_allclose(out, kout, rtol=1e-5, atol=1e-5)


# (pool_size, strides, padding, spatial): odd sizes where 'same' pads unevenly, strides that
# differ from the pool, windows that overhang, rectangular pools, lists.
CASES_2D = [
    ((2, 2), None, "valid", (6, 6)),
    ((2, 2), None, "valid", (7, 5)),
    ((2, 2), None, "same", (7, 5)),
    (3, 2, "same", (7, 7)),
    (3, 2, "valid", (7, 8)),
    (3, 1, "same", (5, 6)),
    ((2, 3), (1, 2), "same", (5, 7)),
    ([3, 1], [2, 1], "valid", (7, 4)),
    (2, 3, "same", (8, 7)),
    (1, 1, "valid", (3, 4)),
    (4, None, "SAME", (5, 5)),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", CASES_2D, ids=str)
@pytest.mark.parametrize("cls", WINDOWED_2D)
def test_pooling2d_matches_keras(keras, rng, cls, case, data_format):
    pool, strides, padding, spatial = case
    x = _input(rng, spatial, data_format)
    args = dict(strides=strides, padding=padding, data_format=data_format)
    _assert_parity(
        getattr(keras.layers, cls)(pool, **args), getattr(pooling, cls)(pool, **args), x
    )


CASES_1D = [
    (2, None, "valid", 6),
    (2, None, "valid", 7),
    (2, None, "same", 7),
    (3, 2, "same", 8),
    (3, 2, "valid", 9),
    (4, 1, "same", 5),
    ((3,), (2,), "same", 5),
    (2, 3, "same", 7),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("case", CASES_1D, ids=str)
@pytest.mark.parametrize("cls", WINDOWED_1D)
def test_pooling1d_matches_keras(keras, rng, cls, case, data_format):
    pool, strides, padding, steps = case
    x = _input(rng, (steps,), data_format)
    args = dict(strides=strides, padding=padding, data_format=data_format)
    _assert_parity(
        getattr(keras.layers, cls)(pool, **args), getattr(pooling, cls)(pool, **args), x
    )


def _reference_average_same(x, pool, strides):
    """Mean over the input elements of each TF-'SAME' window (padding not counted)."""
    n_h, n_w = x.shape[1:3]
    outs = []
    for n, k, s in ((n_h, pool[0], strides[0]), (n_w, pool[1], strides[1])):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        outs.append([(i * s - total // 2, i * s - total // 2 + k) for i in range(-(-n // s))])
    out = np.zeros((x.shape[0], len(outs[0]), len(outs[1]), x.shape[3]), np.float64)
    for i, (h0, h1) in enumerate(outs[0]):
        for j, (w0, w1) in enumerate(outs[1]):
            window = x[:, max(h0, 0):min(h1, n_h), max(w0, 0):min(w1, n_w)]
            out[:, i, j] = window.mean(axis=(1, 2))
    return out


@pytest.mark.parametrize(
    "pool,strides,spatial", [((3, 3), (2, 2), (5, 7)), ((2, 4), (1, 3), (5, 5))]
)
def test_average_pooling_same_divides_by_valid_elements(rng, pool, strides, spatial):
    x = rng.normal(size=(2, *spatial, 2)).astype(np.float32)
    out = AveragePooling2D(pool, strides, "same").apply({}, x)
    np.testing.assert_allclose(out, _reference_average_same(x, pool, strides), rtol=1e-5,
                               atol=1e-6)
    # a constant input stays constant at the borders (padding is not averaged in)
    ones = AveragePooling2D(pool, strides, "same").apply({}, np.ones((1, *spatial, 1), np.float32))
    np.testing.assert_array_equal(ones, np.ones_like(ones))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls", GLOBAL)
def test_global_pooling_matches_keras(keras, rng, cls, data_format, keepdims):
    spatial = (5,) if cls.endswith("1D") else (3, 5)
    x = _input(rng, spatial, data_format, channels=4)
    args = dict(data_format=data_format, keepdims=keepdims)
    _assert_parity(getattr(keras.layers, cls)(**args), getattr(pooling, cls)(**args), x)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_mask_matches_keras(keras, rng, data_format, keepdims):
    x = _input(rng, (5,), data_format, channels=3, batch=3)
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 1]], bool)
    klayer = keras.layers.GlobalAveragePooling1D(data_format, keepdims)
    kout = np.asarray(klayer(x, mask=mask))
    layer = GlobalAveragePooling1D(data_format, keepdims)
    np.testing.assert_allclose(layer.apply({}, x, mask=mask), kout, rtol=1e-5, atol=1e-6)
    # masked steps do not matter
    steps_axis = 1 if data_format == "channels_last" else 2
    x2 = np.where(np.expand_dims(mask, 3 - steps_axis), x, 1e6).astype(np.float32)
    np.testing.assert_allclose(layer.apply({}, x2, mask=mask), kout, rtol=1e-5, atol=1e-6)


def test_global_average_pooling1d_mask_is_jittable(rng):
    x = rng.normal(size=(2, 4, 3)).astype(np.float32)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    layer = GlobalAveragePooling1D()
    out = jax.jit(lambda a, m: layer.apply({}, a, mask=m))(x, mask)
    np.testing.assert_allclose(out[0], x[0, :2].mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(out[1], x[1].mean(axis=0), rtol=1e-6)


SEQUENTIAL_CASES = [
    ("MaxPooling1D", (), (7, 3)),
    ("AveragePooling1D", (3, 2, "same"), (7, 3)),
    ("MaxPooling2D", (), (7, 5, 3)),
    ("AveragePooling2D", (3, 2, "same"), (7, 5, 3)),
    ("GlobalMaxPooling1D", (), (7, 3)),
    ("GlobalAveragePooling1D", (), (7, 3)),
    ("GlobalMaxPooling2D", ("channels_last", True), (7, 5, 3)),
    ("GlobalAveragePooling2D", (), (7, 5, 3)),
    ("MaxPool2D", ((3, 2), 1, "same", "channels_first"), (3, 7, 5)),
]


@pytest.mark.parametrize("cls,args,shape", SEQUENTIAL_CASES, ids=lambda v: str(v))
def test_pooling_in_sequential_matches_keras(keras, rng, cls, args, shape):
    kmodel = keras.Sequential(
        [keras.Input(shape), getattr(keras.layers, cls)(*args), keras.layers.Dense(2)]
    )
    model = jnet.Sequential(
        [jnet.layers.Input(shape), getattr(pooling, cls)(*args), jnet.layers.Dense(2)]
    )
    model.set_weights(kmodel.get_weights())
    x = rng.normal(size=(5, *shape)).astype(np.float32)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert model.output_shape == kmodel.output_shape
    assert model.count_params() == kmodel.count_params()
    # Keras numbers repeated names session-wide (max_pooling2d_3); the base name is the same
    assert model.layers[0].name == re.sub(r"_\d+$", "", kmodel.layers[0].name)
    assert model.layers[0].count_params() == 0


@pytest.mark.parametrize("cls", WINDOWED_1D + WINDOWED_2D + GLOBAL)
def test_defaults_match_keras_config(keras, cls):
    needs_pool = cls.startswith("Average")
    kconfig = getattr(keras.layers, cls)(*([3] if needs_pool else [])).get_config()
    config = getattr(pooling, cls)(*([3] if needs_pool else [])).get_config()
    keys = ["data_format"] + (
        ["keepdims"] if cls.startswith("Global") else ["pool_size", "strides", "padding"]
    )
    for key in keys:
        assert config[key] == kconfig[key], key


def test_positional_order_and_lists_match_keywords(rng):
    x = rng.normal(size=(1, 7, 6, 2)).astype(np.float32)
    a = AveragePooling2D([3, 2], [2, 1], "same", "channels_last").apply({}, x)
    b = AveragePooling2D(pool_size=(3, 2), strides=(2, 1), padding="same").apply({}, x)
    np.testing.assert_array_equal(a, b)
    assert MaxPooling2D().pool_size == (2, 2) and MaxPooling1D().pool_size == 2
    assert MaxPooling2D([2, 3]).pool_size == [2, 3]  # stored as given


@pytest.mark.parametrize("alias,name", sorted(ALIASES.items()))
def test_aliases_are_the_same_classes(keras, alias, name):
    assert getattr(pooling, alias) is getattr(pooling, name)
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)
    assert alias in pooling.__all__ and name in pooling.__all__


def test_pooling_is_jittable_and_batch_free(rng):
    layer = MaxPooling2D(3, 2, "same")
    f = jax.jit(lambda a: layer.apply({}, a))
    for batch in (1, 4):
        x = rng.normal(size=(batch, 5, 5, 2)).astype(np.float32)
        np.testing.assert_array_equal(f(x), layer.apply({}, x))
        assert f(x).shape == (batch, 3, 3, 2)


def test_pooling_casts_integer_inputs():
    x = jnp.arange(16, dtype=jnp.int32).reshape(1, 4, 4, 1)
    assert AveragePooling2D(2).apply({}, x).dtype == jnp.float32
    assert GlobalMaxPooling2D().apply({}, x).dtype == jnp.float32


@pytest.mark.parametrize(
    "cls,args", [("MaxPooling2D", (3, 2, "same")), ("MaxPooling2D", ()),
                 ("AveragePooling2D", (3, 2, "same"))], ids=str
)
def test_pooling_gradients_match_tensorflow_with_ties(keras, rng, cls, args):
    import tensorflow as tf

    x = rng.integers(0, 3, size=(2, 7, 5, 3)).astype(np.float32)  # many tied maxima
    layer = getattr(pooling, cls)(*args)
    w = rng.normal(size=layer.apply({}, x).shape).astype(np.float32)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(getattr(keras.layers, cls)(*args)(xt) * w)
    kgrad = tape.gradient(loss, xt).numpy()
    grad = jax.grad(lambda a: jnp.sum(layer.apply({}, a) * w))(x)
    np.testing.assert_allclose(grad, kgrad, rtol=1e-6, atol=1e-6)


def test_max_pooling_gradient_flows_to_the_maximum():
    x = jnp.array([[[1.0], [3.0], [2.0], [0.0]]])
    grad = jax.grad(lambda a: MaxPooling1D().apply({}, a).sum())(x)
    np.testing.assert_array_equal(grad[0, :, 0], [0.0, 1.0, 1.0, 0.0])


# -- validation errors -----------------------------------------------------------------------


@pytest.mark.parametrize("pool_size", [0, -1, (2,), (2, 0), 2.5, True, "2", None])
def test_rejects_bad_pool_size(pool_size):
    with pytest.raises(jnet.errors.JnetValueError, match="MaxPooling2D: pool_size must be"):
        MaxPooling2D(pool_size)


def test_rejects_bad_pool_size_1d_and_strides():
    with pytest.raises(jnet.errors.JnetValueError, match="AveragePooling1D: pool_size .* 0"):
        AveragePooling1D(0)
    with pytest.raises(jnet.errors.JnetValueError, match=r"strides must be .*received \(1, 0\)"):
        MaxPooling2D(2, (1, 0))
    with pytest.raises(jnet.errors.JnetValueError, match="strides must be a positive integer"):
        MaxPooling1D(2, -1)


def test_average_pooling_requires_pool_size():
    with pytest.raises(TypeError):
        AveragePooling2D()


@pytest.mark.parametrize("padding", ["full", "causal", "", None, 1])
def test_rejects_unknown_padding(padding):
    with pytest.raises(
        jnet.errors.JnetValueError, match=r"padding must be one of 'valid', 'same'.*received"
    ):
        AveragePooling2D(2, padding=padding)


@pytest.mark.parametrize("cls", [MaxPooling2D, GlobalAveragePooling1D])
def test_rejects_unknown_data_format(cls):
    with pytest.raises(
        jnet.errors.JnetValueError, match="data_format must be one of 'channels_last'"
    ):
        cls(data_format="NHWC")


def test_rejects_non_bool_keepdims():
    with pytest.raises(jnet.errors.JnetValueError, match="keepdims must be True or False"):
        GlobalMaxPooling2D(keepdims="yes")


@pytest.mark.parametrize(
    "layer,shape,match",
    [
        (MaxPooling2D(), (1, 8, 8),
         r"MaxPooling2D expects inputs of rank 4 \(batch, height, width, channels\), received "
         r"shape \(1, 8, 8\)\. Add a channel axis: x\[\.\.\., None\] or Reshape\(\(8, 8, 1\)\)"),
        (AveragePooling1D(2), (1, 8, 2, 2), r"rank 3 \(batch, steps, features\)"),
        (MaxPooling2D(data_format="channels_first"), (1, 8, 8),
         r"rank 4 \(batch, channels, height, width\)"),
        (GlobalAveragePooling2D(), (2, 5), r"GlobalAveragePooling2D expects inputs of rank 4"),
        (GlobalMaxPooling1D(), (2, 5, 3, 1), r"GlobalMaxPooling1D expects inputs of rank 3"),
    ],
)
def test_rejects_wrong_input_rank(layer, shape, match):
    with pytest.raises(jnet.errors.JnetValueError, match=match):
        layer.apply({}, jnp.ones(shape))


def test_rejects_wrong_rank_in_sequential_build():
    model = jnet.Sequential([jnet.layers.Input((8, 8)), MaxPooling2D()])
    with pytest.raises(jnet.errors.JnetValueError, match="expects inputs of rank 4"):
        model.build()


def test_rejects_window_larger_than_valid_input():
    with pytest.raises(jnet.errors.JnetValueError, match=r"smaller than pool_size=\(3, 3\)"):
        MaxPooling2D(3).apply({}, jnp.ones((1, 2, 5, 1)))
    # 'same' padding accepts it, as in Keras
    assert MaxPooling2D(3, padding="same").apply({}, jnp.ones((1, 2, 5, 1))).shape == (1, 1, 2, 1)


def test_rejects_mask_of_wrong_shape():
    with pytest.raises(jnet.errors.JnetValueError, match=r"mask must have shape \(batch, steps\)"):
        GlobalAveragePooling1D().apply({}, jnp.ones((2, 5, 3)), mask=jnp.ones((2, 4), bool))


@pytest.mark.parametrize("cls", [MaxPooling2D, AveragePooling2D])
def test_pooling_gradient_works_under_jit(cls):
    """A jnp init value is a tracer under jit and breaks JAX's differentiable window ops."""
    layer = cls(pool_size=2)
    x = jnp.arange(32.0).reshape(2, 4, 4, 1)
    grad = jax.jit(jax.grad(lambda x: jnp.sum(layer.apply({}, x) ** 2)))(x)
    eager = jax.grad(lambda x: jnp.sum(layer.apply({}, x) ** 2))(x)
    np.testing.assert_allclose(grad, eager)
    assert float(jnp.abs(grad).sum()) > 0
