"""Convolution layers: Keras's outputs (TF backend), weight layouts, defaults, config, errors.

TensorFlow on CPU has no NCHW Conv2D/Conv2DTranspose kernel and no dilated transposed
convolution, so for those the reference is computed another TensorFlow way: Keras in
channels-last on moved axes (the same weights), or TF's own definition of the transposed
convolution (the gradient of ``tf.nn.convolution`` with respect to its input).
"""

import inspect
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import initializers
from jnet.layers import _conv_utils
from jnet.layers import convolutional as conv
from jnet.layers.convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    DepthwiseConv2D,
    SeparableConv2D,
)

ALL = [
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
]
# Layers whose channels_first form TF cannot run on CPU (NCHW Conv2D / Conv2DBackpropInput).
_NO_NCHW_ON_TF_CPU = {"Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
                      "Conv3DTranspose"}


def _random_weights(klayer, rng):
    return [rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in klayer.get_weights()]


def _keras_reference(keras, name, kwargs, x, rng):
    """Keras's output on ``x`` with random (non-zero-bias) weights; returns (out, weights)."""
    kwargs = dict(kwargs)
    kx, move = x, False
    activation = None
    if kwargs.get("data_format") == "channels_first" and name in _NO_NCHW_ON_TF_CPU:
        # Same weights, channels-last data; Keras applies the activation in channels_first
        # layout (softmax on the last axis), so apply it after moving the axes back.
        kwargs["data_format"] = "channels_last"
        activation = kwargs.pop("activation", None)
        kx, move = np.moveaxis(x, 1, -1), True
    klayer = getattr(keras.layers, name)(**kwargs)
    klayer.build(kx.shape)
    weights = _random_weights(klayer, rng)
    klayer.set_weights(weights)
    out = klayer(kx)
    if move:
        out = np.moveaxis(np.asarray(out), -1, 1)
        out = keras.activations.get(activation)(out)
    return np.asarray(out), weights


def _check_parity(keras, rng, name, kwargs, sample_shape):
    x = rng.normal(size=(2, *sample_shape)).astype(np.float32)
    kout, kweights = _keras_reference(keras, name, kwargs, x, rng)
    layer = getattr(conv, name)(**kwargs)
    # Shapes only (no initializer run), batch 1: the weights do not depend on the batch size.
    variables = jax.eval_shape(layer.init, jax.random.key(0), jnp.asarray(x[:1]))
    variables = layer.set_keras_weights(variables, kweights)  # checks count and shapes
    assert [w.shape for w in layer.keras_weights(variables)] == [w.shape for w in kweights]
    out = np.asarray(jax.jit(layer.apply)(variables, x))
    assert out.shape == kout.shape
    np.testing.assert_allclose(out, kout, rtol=1e-5, atol=1e-5)


def _case(name, shape, **kwargs):
    text = ",".join(f"{k}={v}" for k, v in kwargs.items())
    return pytest.param(name, kwargs, shape, id=f"{name}-{shape}-{text}")


CF = {"data_format": "channels_first"}

PARITY_CASES = [
    # Conv2D: strides, 'same' with odd/even sizes (extra pad at bottom/right), dilation, groups.
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=3),
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=3, padding="same"),
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=3, strides=2, padding="same"),
    _case("Conv2D", (8, 9, 3), filters=4, kernel_size=3, strides=2, padding="same"),
    _case("Conv2D", (7, 8, 2), filters=3, kernel_size=4, strides=2, padding="same"),
    _case("Conv2D", (10, 9, 2), filters=3, kernel_size=(2, 3), strides=(3, 2), padding="same"),
    _case("Conv2D", (9, 8, 2), filters=3, kernel_size=(3, 2), strides=(2, 3)),
    _case("Conv2D", (9, 9, 2), filters=3, kernel_size=3, dilation_rate=2),
    _case("Conv2D", (9, 8, 2), filters=3, kernel_size=3, dilation_rate=(2, 3), padding="same"),
    _case("Conv2D", (7, 7, 4), filters=6, kernel_size=3, groups=2, padding="same"),
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=1, strides=2),
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=3, use_bias=False),
    _case("Conv2D", (7, 7, 3), filters=4, kernel_size=3, activation="relu"),
    _case("Conv2D", (3, 7, 6), filters=4, kernel_size=3, strides=2, padding="same", **CF),
    _case("Conv2D", (3, 6, 5), filters=4, kernel_size=2, activation="softmax", **CF),
    _case("Conv2D", (4, 6, 5), filters=4, kernel_size=3, groups=4, **CF),
    # Conv1D: valid / same / causal (dilated too), strides, channels_first, groups.
    _case("Conv1D", (9, 3), filters=4, kernel_size=3),
    _case("Conv1D", (9, 3), filters=4, kernel_size=4, strides=2, padding="same"),
    _case("Conv1D", (9, 3), filters=4, kernel_size=3, padding="causal"),
    _case("Conv1D", (9, 3), filters=4, kernel_size=3, padding="causal", dilation_rate=2),
    _case("Conv1D", (9, 3), filters=4, kernel_size=2, padding="causal", strides=2),
    _case("Conv1D", (10, 4), filters=2, kernel_size=3, groups=2, activation="tanh"),
    _case("Conv1D", (3, 9), filters=4, kernel_size=3, padding="causal", **CF),
    # Conv3D.
    _case("Conv3D", (4, 5, 5, 2), filters=3, kernel_size=(2, 3, 3)),
    _case("Conv3D", (5, 5, 4, 2), filters=3, kernel_size=3, strides=2, padding="same"),
    _case("Conv3D", (2, 5, 4, 5), filters=3, kernel_size=2, **CF),
    # Conv2DTranspose: strides 1/2/3 x valid/same x odd/even kernels, output_padding.
    *[
        _case("Conv2DTranspose", (5, 4, 3), filters=2, kernel_size=k, strides=s, padding=p)
        for k in (1, 2, 3, 4) for s in (1, 2, 3) for p in ("valid", "same")
    ],
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=(3, 2), strides=(2, 1),
          padding="same"),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=3, strides=2, output_padding=1),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=3, strides=2, output_padding=0,
          padding="same"),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=3, strides=2, output_padding=1,
          padding="same"),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=4, strides=3,
          output_padding=(2, 1), padding="same"),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=2, strides=3,
          output_padding=(0, 2)),
    _case("Conv2DTranspose", (4, 5, 3), filters=2, kernel_size=3, use_bias=False,
          activation="relu"),
    _case("Conv2DTranspose", (3, 4, 5), filters=2, kernel_size=3, strides=2, padding="same",
          activation="softmax", **CF),
    # Conv1DTranspose / Conv3DTranspose.
    _case("Conv1DTranspose", (5, 3), filters=2, kernel_size=3, strides=2, padding="same"),
    _case("Conv1DTranspose", (5, 3), filters=2, kernel_size=4, strides=2, output_padding=1),
    _case("Conv3DTranspose", (3, 4, 3, 2), filters=2, kernel_size=3, strides=2, padding="same"),
    _case("Conv3DTranspose", (3, 4, 3, 2), filters=2, kernel_size=2, strides=(1, 2, 2)),
    # DepthwiseConv2D: depth_multiplier, strides, dilation, both (allowed in Keras 3).
    _case("DepthwiseConv2D", (7, 7, 3), kernel_size=3),
    _case("DepthwiseConv2D", (7, 8, 3), kernel_size=3, depth_multiplier=2, strides=2,
          padding="same"),
    _case("DepthwiseConv2D", (9, 9, 2), kernel_size=(3, 2), depth_multiplier=3,
          dilation_rate=2, padding="same"),
    _case("DepthwiseConv2D", (11, 10, 2), kernel_size=3, strides=2, dilation_rate=2,
          padding="same", depth_multiplier=2),
    _case("DepthwiseConv2D", (11, 10, 2), kernel_size=3, strides=2, dilation_rate=2),
    _case("DepthwiseConv2D", (7, 7, 3), kernel_size=3, use_bias=False, activation="relu"),
    _case("DepthwiseConv2D", (3, 7, 6), kernel_size=3, depth_multiplier=2, strides=2,
          padding="same", **CF),
    # DepthwiseConv1D.
    _case("DepthwiseConv1D", (9, 3), kernel_size=3, depth_multiplier=2),
    _case("DepthwiseConv1D", (9, 3), kernel_size=3, strides=2, padding="same"),
    _case("DepthwiseConv1D", (3, 9), kernel_size=3, dilation_rate=2, **CF),
    # SeparableConv2D.
    _case("SeparableConv2D", (7, 7, 3), filters=4, kernel_size=3),
    _case("SeparableConv2D", (7, 8, 3), filters=4, kernel_size=3, depth_multiplier=2,
          strides=2, padding="same"),
    _case("SeparableConv2D", (9, 9, 2), filters=3, kernel_size=3, dilation_rate=2,
          padding="same"),
    _case("SeparableConv2D", (11, 10, 2), filters=3, kernel_size=3, strides=2,
          dilation_rate=2, padding="same"),
    _case("SeparableConv2D", (7, 7, 3), filters=4, kernel_size=3, use_bias=False,
          activation="sigmoid"),
    _case("SeparableConv2D", (3, 7, 6), filters=4, kernel_size=3, strides=2, padding="same",
          **CF),
    # SeparableConv1D.
    _case("SeparableConv1D", (9, 3), filters=4, kernel_size=3, depth_multiplier=2),
    _case("SeparableConv1D", (9, 3), filters=4, kernel_size=4, strides=2, padding="same"),
    _case("SeparableConv1D", (3, 9), filters=4, kernel_size=3, **CF),
]


@pytest.mark.parametrize("name, kwargs, shape", PARITY_CASES)
def test_matches_keras(keras, rng, name, kwargs, shape):
    _check_parity(keras, rng, name, kwargs, shape)


@pytest.mark.parametrize("name, kernel_size, dilation_rate, padding, output_padding", [
    ("Conv2DTranspose", 3, 2, "valid", None),
    ("Conv2DTranspose", 3, 2, "same", None),
    ("Conv2DTranspose", (2, 3), (3, 2), "same", None),
    ("Conv1DTranspose", 2, 3, "valid", None),
    ("Conv1DTranspose", 4, 2, "same", None),
])
def test_dilated_transpose_is_tf_convolution_gradient(
    keras, rng, name, kernel_size, dilation_rate, padding, output_padding
):
    """TF on CPU cannot run a dilated transposed conv; TF defines it as the gradient of the
    dilated convolution with respect to its input, which it can compute."""
    import tensorflow as tf

    rank = 1 if name == "Conv1DTranspose" else 2
    x = rng.normal(size=(2, *(5,) * rank, 3)).astype(np.float32)
    layer = getattr(conv, name)(2, kernel_size, padding=padding, dilation_rate=dilation_rate)
    variables = layer.init(jax.random.key(0), x)
    kernel = rng.normal(size=variables["params"]["kernel"].shape).astype(np.float32)
    bias = rng.normal(size=(2,)).astype(np.float32)
    variables = layer.set_keras_weights(variables, [kernel, bias])
    out = np.asarray(layer.apply(variables, x))

    # Keras's output size formula, then TF: d/dz sum(conv(z, kernel) * x) = conv_transpose(x).
    z = tf.zeros((2, *out.shape[1:-1], 2))
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = tf.nn.convolution(z, kernel, padding=padding.upper(),
                              dilations=_conv_utils.int_tuple(dilation_rate, rank, "d", "t"))
        assert tuple(y.shape) == x.shape
        total = tf.reduce_sum(y * x)
    reference = tape.gradient(total, z).numpy() + bias
    np.testing.assert_allclose(out, reference, rtol=1e-5, atol=1e-5)


def test_transpose_padding_equals_keras_jax_backend_formula():
    """jnet pads the transposed conv as TF does; Keras's JAX backend derives the same pads
    (it also covers output_padding cases that TF rejects, where jnet follows the JAX backend)."""
    from keras.src.backend.common.backend_utils import (
        _convert_conv_transpose_padding_args_from_keras_to_jax as keras_jax_pads,
    )

    for n in (1, 4, 5):
        for k in (1, 2, 3, 4, 5):
            for s in (1, 2, 3):
                for d in (1, 2) if s == 1 else (1,):
                    for mode in ("valid", "same"):
                        for op in (None, *range(s)):
                            out = _conv_utils.transpose_output_size(n, k, s, mode, op, d)
                            ours = _conv_utils.transpose_pads(n, out, k, s, mode, d)
                            assert ours == keras_jax_pads(k, s, d, mode, op), (n, k, s, d, op)


def test_same_padding_puts_the_extra_at_the_end():
    # n=8, k=3, s=2: out 4, total pad (4-1)*2+3-8 = 1 -> (0, 1); n=7: total 2 -> (1, 1).
    assert _conv_utils.conv_pads((8, 7), (3, 3), (2, 2), (1, 1), "same") == [(0, 1), (1, 1)]
    # Dilation widens the window: k=3, d=2 -> 5, n=6, s=1: total 4 -> (2, 2).
    assert _conv_utils.conv_pads((6,), (3,), (1,), (2,), "same") == [(2, 2)]
    assert _conv_utils.conv_pads((6,), (3,), (1,), (2,), "causal") == [(4, 0)]


SEQUENTIAL_CASES = [
    ("Conv1D", (10, 3), dict(filters=4, kernel_size=3, padding="causal", activation="relu")),
    ("Conv2D", (9, 8, 3), dict(filters=4, kernel_size=3, strides=2, padding="same")),
    ("Conv3D", (4, 5, 5, 2), dict(filters=3, kernel_size=2)),
    ("Conv1DTranspose", (5, 3), dict(filters=2, kernel_size=3, strides=2)),
    ("Conv2DTranspose", (5, 4, 3), dict(filters=2, kernel_size=3, strides=2, padding="same")),
    ("Conv3DTranspose", (2, 3, 3, 2), dict(filters=2, kernel_size=2, strides=2)),
    ("DepthwiseConv1D", (9, 3), dict(kernel_size=3, depth_multiplier=2)),
    ("DepthwiseConv2D", (7, 7, 3), dict(kernel_size=3, depth_multiplier=2, padding="same")),
    ("SeparableConv1D", (9, 3), dict(filters=4, kernel_size=3, depth_multiplier=2)),
    ("SeparableConv2D", (7, 7, 3), dict(filters=4, kernel_size=3, depth_multiplier=2)),
]


@pytest.mark.parametrize("name, shape, kwargs", SEQUENTIAL_CASES, ids=[c[0] for c in
                                                                        SEQUENTIAL_CASES])
def test_sequential_matches_keras(keras, rng, name, shape, kwargs):
    kmodel = keras.Sequential([keras.Input(shape), getattr(keras.layers, name)(**kwargs)])
    kmodel.set_weights(_random_weights(kmodel, rng))
    model = jnet.Sequential([jnet.layers.Input(shape), getattr(conv, name)(**kwargs)])
    model.set_weights(kmodel.get_weights())
    x = rng.normal(size=(5, *shape)).astype(np.float32)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    assert model.count_params() == kmodel.count_params()
    assert model.output_shape == kmodel.output_shape
    assert model.layers[0].name == re.sub(r"_\d+$", "", kmodel.layers[0].name)


def test_conv2d_kernel_gradient_matches_tensorflow(keras, rng):
    import tensorflow as tf

    x = rng.normal(size=(3, 9, 8, 2)).astype(np.float32)
    klayer = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh")
    klayer.build(x.shape)
    klayer.set_weights(_random_weights(klayer, rng))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(klayer(x) ** 2)
    kgrad, bgrad = tape.gradient(total, [klayer.kernel, klayer.bias])

    layer = Conv2D(4, 3, strides=2, padding="same", activation="tanh")
    variables = layer.set_keras_weights(layer.init(jax.random.key(0), x), klayer.get_weights())

    def loss(params):
        return jnp.sum(layer.apply({"params": params}, x) ** 2)

    grads = jax.grad(loss)(variables["params"])
    np.testing.assert_allclose(grads["kernel"], kgrad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(grads["bias"], bgrad.numpy(), rtol=1e-4, atol=1e-5)


# -- defaults, signature, config ------------------------------------------------------------------

_MINIMAL = {
    "Conv1D": (4, 3), "Conv2D": (4, 3), "Conv3D": (4, 3), "Conv1DTranspose": (4, 3),
    "Conv2DTranspose": (4, 3), "Conv3DTranspose": (4, 3), "DepthwiseConv1D": (3,),
    "DepthwiseConv2D": (3,), "SeparableConv1D": (4, 3), "SeparableConv2D": (4, 3),
}
_CONFIG_KEYS = ("filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
                "dilation_rate", "groups", "depth_multiplier", "use_bias")


@pytest.mark.parametrize("name", ALL)
def test_positional_order_and_defaults_are_keras(keras, name):
    ours = [
        p for p in inspect.signature(getattr(conv, name)).parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.name not in ("parent", "name")
    ]
    theirs = list(inspect.signature(getattr(keras.layers, name).__init__).parameters.values())[1:]
    assert [p.name for p in ours] == [p.name for p in theirs[: len(ours)]]
    assert [p.default for p in ours] == [p.default for p in theirs[: len(ours)]]


@pytest.mark.parametrize("name", ALL)
def test_config_matches_keras(keras, name):
    args = _MINIMAL[name]
    kconfig = getattr(keras.layers, name)(*args).get_config()
    layer = getattr(conv, name)(*args)
    config = layer.get_config()
    for key in _CONFIG_KEYS:
        if key in kconfig:
            assert config[key] == kconfig[key], key
    for key, value in kconfig.items():
        if key.endswith("_initializer"):
            assert type(initializers.get(config[key])).__name__ == value["class_name"], key
    assert config["activation"] is None and kconfig["activation"] == "linear"


def test_config_normalises_lists_and_case():
    layer = Conv2D(4, [3, 2], strides=[2, 1], padding="SAME", data_format="Channels_Last")
    config = layer.get_config()
    assert config["kernel_size"] == (3, 2) and config["strides"] == (2, 1)
    assert config["padding"] == "same" and config["data_format"] == "channels_last"
    variables = jax.eval_shape(layer.init, jax.random.key(0), jnp.ones((1, 5, 5, 2)))
    assert variables["params"]["kernel"].shape == (3, 2, 2, 4)
    assert Conv2DTranspose(2, 3, strides=2, output_padding=1).get_config()[
        "output_padding"] == (1, 1)


@pytest.mark.parametrize("layer, shapes", [
    (Conv2D(8, 3), {"kernel": (3, 3, 3, 8), "bias": (8,)}),
    (Conv2D(9, 3, groups=3, use_bias=False), {"kernel": (3, 3, 1, 9)}),
    (Conv2DTranspose(8, 3), {"kernel": (3, 3, 8, 3), "bias": (8,)}),
    (DepthwiseConv2D(3, depth_multiplier=2), {"kernel": (3, 3, 3, 2), "bias": (6,)}),
    (SeparableConv2D(8, 3, depth_multiplier=2),
     {"depthwise_kernel": (3, 3, 3, 2), "pointwise_kernel": (1, 1, 6, 8), "bias": (8,)}),
])
def test_weights_have_keras_layout(layer, shapes):
    variables = jax.eval_shape(layer.init, jax.random.key(0), jnp.ones((1, 6, 6, 3)))
    assert {k: tuple(v.shape) for k, v in variables["params"].items()} == shapes


def test_default_initializers_are_glorot_uniform_and_zeros():
    params = jax.jit(Conv2D(8, 3).init)(jax.random.key(0), jnp.ones((1, 6, 6, 3)))["params"]
    limit = np.sqrt(6.0 / (3 * 3 * 3 + 3 * 3 * 8))  # Keras's conv fans: receptive field * channels
    kernel = np.asarray(params["kernel"])
    assert 0.8 * limit < np.abs(kernel).max() <= limit
    assert np.all(np.asarray(params["bias"]) == 0)


def test_layer_is_jittable_batch_free_and_keeps_logits_hook():
    layer = Conv2D(3, 3, padding="same", activation="softmax")
    variables = layer.init(jax.random.key(0), jnp.ones((1, 5, 5, 2)))
    x = jnp.asarray(np.random.default_rng(1).normal(size=(4, 5, 5, 2)), jnp.float32)
    np.testing.assert_allclose(jax.jit(layer.apply)(variables, x), layer.apply(variables, x),
                               rtol=1e-6, atol=1e-6)
    assert layer.logits_activation() == "softmax"
    logits = layer.without_activation().apply(variables, x)
    np.testing.assert_allclose(jax.nn.softmax(logits), layer.apply(variables, x), atol=1e-6)


def test_integer_inputs_are_cast_to_float32():
    layer = Conv1D(2, 2, kernel_initializer="ones")
    variables = layer.init(jax.random.key(0), jnp.ones((1, 4, 1), jnp.int32))
    out = layer.apply(variables, jnp.arange(4, dtype=jnp.int32).reshape(1, 4, 1))
    assert out.dtype == jnp.float32
    np.testing.assert_array_equal(out[0, :, 0], [1.0, 3.0, 5.0])


# -- validation ------------------------------------------------------------------------------------

E = jnet.errors.JnetValueError


@pytest.mark.parametrize("filters", [0, -3, 2.5, "4", None, True])
def test_rejects_bad_filters(filters):
    with pytest.raises(E, match=r"Conv2D: filters must be a positive integer"):
        Conv2D(filters, 3)
    with pytest.raises(E, match=r"SeparableConv2D: filters must be a positive integer"):
        SeparableConv2D(filters, 3)


@pytest.mark.parametrize("argument", ["kernel_size", "strides", "dilation_rate"])
@pytest.mark.parametrize("value", [0, -1, (3,), (3, 3, 3), (3, 0), (3, 2.0), "3", 1.5, True])
def test_rejects_bad_size_tuples(argument, value):
    kwargs = {"kernel_size": 3, argument: value}
    with pytest.raises(E, match=rf"Conv2D: {argument} must be a positive integer or a tuple of "
                                rf"2 positive integers, received"):
        Conv2D(4, **kwargs)


def test_kernel_size_message_is_the_contract_wording():
    with pytest.raises(E) as info:
        Conv2D(4, -1)
    assert str(info.value) == (
        "Conv2D: kernel_size must be a positive integer or a tuple of 2 positive integers, "
        "received -1."
    )
    with pytest.raises(E, match="tuple of 1 positive integer,"):
        Conv1D(4, (3, 3))
    with pytest.raises(E, match="tuple of 3 positive integers"):
        Conv3D(4, (3, 3))


def test_rejects_unknown_padding_listing_choices():
    with pytest.raises(E, match=r"unknown padding 'sme'; expected one of 'valid', 'same'\. "
                                r"Did you mean 'same'\?"):
        Conv2D(4, 3, padding="sme")
    with pytest.raises(E, match=r"'valid', 'same', 'causal'"):
        Conv1D(4, 3, padding="full")
    for cls in (Conv2D, Conv2DTranspose, SeparableConv2D):
        with pytest.raises(E, match="'causal' padding is only available in Conv1D"):
            cls(4, 3, padding="causal")
    with pytest.raises(E, match="'causal' padding is only available in Conv1D"):
        DepthwiseConv2D(3, padding="causal")
    with pytest.raises(jnet.errors.JnetTypeError, match="padding must be one of"):
        Conv2D(4, 3, padding=1)


def test_rejects_strides_with_dilation_like_keras(keras):
    for cls in (Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv1DTranspose):
        with pytest.raises(E, match="strides > 1 is not supported together with dilation_rate"):
            cls(4, 3, strides=2, dilation_rate=2)
        with pytest.raises(ValueError):
            getattr(keras.layers, cls.__name__)(4, 3, strides=2, dilation_rate=2)
    # Keras 3 allows it for depthwise and separable convolutions (the parity sweep checks them).
    DepthwiseConv2D(3, strides=2, dilation_rate=2)
    SeparableConv2D(4, 3, strides=(2, 1), dilation_rate=(1, 2))


def test_rejects_bad_groups():
    with pytest.raises(E, match="Conv2D: groups must be a positive integer, received 0"):
        Conv2D(4, 3, groups=0)
    with pytest.raises(E, match="filters must be divisible by groups, received filters=4 and "
                                "groups=3"):
        Conv2D(4, 3, groups=3)
    layer = Conv2D(4, 3, groups=2)
    with pytest.raises(E, match=r"number of input channels \(3\) must be divisible by "
                                r"groups=2; received inputs of shape \(1, 8, 8, 3\)"):
        layer.init(jax.random.key(0), jnp.ones((1, 8, 8, 3)))


def test_rejects_wrong_input_rank():
    with pytest.raises(E) as info:
        Conv2D(4, 3).init(jax.random.key(0), jnp.ones((1, 8, 8)))
    assert str(info.value) == (
        "Conv2D expects inputs of rank 4 (batch, height, width, channels), received shape "
        "(1, 8, 8). Add a channel axis: x[..., None] or Reshape((8, 8, 1))."
    )
    with pytest.raises(E, match=r"Conv1D expects inputs of rank 3 \(batch, steps, channels\)"):
        Conv1D(4, 3).init(jax.random.key(0), jnp.ones((2, 5, 5, 1)))
    with pytest.raises(E, match=r"rank 4 \(batch, channels, height, width\).*x\[:, None\]"):
        DepthwiseConv2D(3, data_format="channels_first").init(
            jax.random.key(0), jnp.ones((1, 8, 8))
        )
    model = jnet.Sequential([jnet.layers.Input((28, 28)), Conv2D(4, 3)])
    with pytest.raises(E, match=r"Reshape\(\(28, 28, 1\)\)"):
        model.build()


def test_rejects_inputs_too_small_for_the_kernel():
    with pytest.raises(E, match=r"Conv2D: inputs of shape \(1, 3, 3, 1\) are too small for "
                                r"kernel_size=\(5, 5\)"):
        Conv2D(2, 5).init(jax.random.key(0), jnp.ones((1, 3, 3, 1)))
    out = jax.eval_shape(Conv2D(2, 5, padding="same").init_with_output, jax.random.key(0),
                         jnp.ones((1, 3, 3, 1)))[0]
    assert out.shape == (1, 3, 3, 2)
    out = jax.eval_shape(Conv1D(2, 5, padding="causal").init_with_output, jax.random.key(0),
                         jnp.ones((1, 3, 1)))[0]
    assert out.shape == (1, 3, 2)
    with pytest.raises(E, match="too small"):
        SeparableConv2D(2, 3, dilation_rate=2).init(jax.random.key(0), jnp.ones((1, 4, 9, 1)))


def test_rejects_bad_data_format_and_depth_multiplier():
    with pytest.raises(E, match="data_format must be 'channels_last', 'channels_first' or None"):
        Conv2D(4, 3, data_format="NHWC")
    with pytest.raises(E, match="DepthwiseConv2D: depth_multiplier must be a positive integer"):
        DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(E, match="SeparableConv2D: depth_multiplier must be a positive integer"):
        SeparableConv2D(4, 3, depth_multiplier=1.5)


def test_rejects_bad_output_padding():
    with pytest.raises(E, match="output_padding must be strictly less than strides on every "
                                "axis; at axis 0 output_padding is 1 and strides is 1"):
        Conv2DTranspose(4, 3, output_padding=1)
    with pytest.raises(E, match="at axis 1 output_padding is 2 and strides is 2"):
        Conv2DTranspose(4, 3, strides=2, output_padding=(1, 2))
    with pytest.raises(E, match="output_padding must be a non-negative integer or a tuple of 2"):
        Conv2DTranspose(4, 3, strides=2, output_padding=-1)


def test_rejects_unknown_activation_and_initializers():
    with pytest.raises(ValueError, match="relu"):
        Conv2D(4, 3, activation="relux")
    with pytest.raises(ValueError, match="glorot_uniform"):
        Conv2D(4, 3, kernel_initializer="glorot_unifrom")
    with pytest.raises(ValueError, match="glorot_uniform"):
        DepthwiseConv2D(3, depthwise_initializer="glorot_unifrom")
    with pytest.raises(ValueError, match="glorot_uniform"):
        SeparableConv2D(4, 3, pointwise_initializer="glorot_unifrom")
