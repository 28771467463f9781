"""Rows for keras.ops.nn (jnet/ops/nn.py)."""

import jax
import numpy as np

from ops_table import Case, floats, ints, positive


def _keras_on_tensor(name):
    """keras.ops.<name> with its first argument as a TensorFlow tensor: Keras 3.15's
    TensorFlow adaptive pools read ``inputs.shape.as_list()``, which a NumPy array lacks."""

    def reference(x, *args, **kwargs):
        import keras
        import numpy as np

        out = getattr(keras.ops, name)(keras.ops.convert_to_tensor(x), *args, **kwargs)
        return np.asarray(out)

    return reference


def _conv_channels_first(x, kernel, **kwargs):
    """keras.ops.conv, channels-first, through channels-last (TensorFlow's CPU conv has no
    NCHW kernel)."""
    import keras
    import numpy as np

    kwargs = dict(kwargs, data_format="channels_last")
    out = keras.ops.conv(np.moveaxis(x, 1, -1), kernel, **kwargs)
    return np.moveaxis(np.asarray(out), -1, 1)

def _depth_to_space_channels_first(x, block_size, data_format):
    """Keras's JAX backend's channels-first layout (channel c * b**2 + i * b + j to block
    position (i, j) of channel c); its TensorFlow backend orders channels (i * b + j) * C + c,
    so the TensorFlow result is not the reference here."""
    n, c, h, w = x.shape
    b = block_size
    x = x.reshape(n, c // b**2, b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // b**2, h * b, w * b)


def _space_to_depth_channels_first(x, block_size, data_format):
    """The inverse of :func:`_depth_to_space_channels_first` (Keras's JAX backend)."""
    n, c, h, w = x.shape
    b = block_size
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b**2, h // b, w // b)


_X = floats(3, 5)
_X16 = floats(3, 5, dtype="float16")

# activations of x alone: a float32 row for each, and a float16 row for some
_UNARY = [
    "relu", "relu6", "sigmoid", "sparse_sigmoid", "softplus", "softsign", "soft_shrink",
    "sparse_plus", "silu", "swish", "squareplus", "log_sigmoid", "leaky_relu", "hard_sigmoid",
    "hard_silu", "hard_swish", "elu", "selu", "gelu", "celu", "tanh_shrink", "hard_tanh",
    "hard_shrink", "softmax", "log_softmax", "sparsemax",
]
_GRAD = {"sigmoid", "softplus", "silu", "gelu", "elu", "selu", "softmax", "log_softmax",
         "celu", "squareplus", "log_sigmoid"}
_HALF = {"relu", "sigmoid", "softplus", "silu", "gelu", "elu", "softmax", "log_softmax",
         "hard_sigmoid", "leaky_relu", "tanh_shrink"}

_ACTIVATIONS = [
    Case(name, (_X,), grad=name in _GRAD) for name in _UNARY
] + [
    Case(name, (_X16,), id="float16", rtol=2e-3, atol=2e-3) for name in sorted(_HALF)
] + [
    Case("relu", (ints(4, 3),), id="int32"),
    Case("relu6", (ints(4, 3, low=-3, high=10),), id="int32"),
    Case("soft_shrink", (_X,), {"threshold": 1.0}, id="threshold"),
    Case("hard_shrink", (_X,), {"threshold": 1.0}, id="threshold"),
    Case("leaky_relu", (_X,), {"negative_slope": 0.01}, id="slope"),
    Case("elu", (_X,), {"alpha": 0.5}, id="alpha"),
    Case("celu", (_X,), {"alpha": 2.0}, id="alpha"),
    Case("gelu", (_X,), {"approximate": False}, id="exact", grad=True),
    Case("squareplus", (_X,), {"b": 1}, id="b"),
    Case("glu", (floats(3, 4),), grad=True),
    Case("glu", (floats(4, 3),), {"axis": 0}, id="axis0"),
    Case("threshold", (_X, 0.5, -1.0)),
    Case("threshold", (_X, 0.0, 0.0), id="zero"),
    Case("softmax", (floats(2, 3, 4),), {"axis": 0}, id="axis0"),
    Case("softmax", (floats(2, 3, 4),), {"axis": (1, 2)}, id="axes", grad=True),
    Case("softmax", (floats(2, 3),), {"axis": None}, id="none"),
    Case("log_softmax", (floats(2, 3, 4),), {"axis": -2}, id="axis-2"),
    Case("log_softmax", (floats(2, 3, 4),), {"axis": (0, 2)}, id="axes"),
    Case("sparsemax", (floats(4, 6, high=3.0),), id="wide"),
    Case("sparsemax", (floats(5, 3),), {"axis": 0}, id="axis0"),
    Case("sigmoid", (floats(0, 3),), id="empty"),
]

# convolutions: Keras's kernel layouts; 1e-5 tolerances (sums of products)
_CONV = dict(rtol=1e-5, atol=1e-5)
_CONVS = [
    Case("conv", (floats(2, 8, 3), floats(3, 3, 4)), id="1d", grad=True, **_CONV),
    Case("conv", (floats(2, 7, 7, 3), floats(3, 3, 3, 4)), {"strides": 2, "padding": "same"},
         id="2d-same-stride", **_CONV),
    Case("conv", (floats(2, 7, 6, 3), floats(2, 3, 3, 2)), {"dilation_rate": (2, 1)},
         id="2d-dilated", **_CONV),
    Case("conv", (floats(1, 5, 5, 5, 2), floats(2, 2, 2, 2, 3)), {"padding": "SAME"},
         id="3d", **_CONV),
    Case("conv", (floats(2, 6, 6, 4), floats(3, 3, 2, 6)), id="grouped", **_CONV),
    Case("conv", (floats(2, 3, 7, 7), floats(3, 3, 3, 4)),
         {"data_format": "channels_first", "strides": (1, 2)}, id="channels-first",
         reference=_conv_channels_first, **_CONV),
    Case("depthwise_conv", (floats(2, 7, 7, 3), floats(3, 3, 3, 2)), id="2d", grad=True,
         **_CONV),
    Case("depthwise_conv", (floats(2, 9, 4), floats(3, 4, 1)),
         {"strides": 2, "padding": "same"}, id="1d-same", **_CONV),
    Case("depthwise_conv", (floats(2, 8, 8, 3), floats(3, 3, 3, 1)), {"dilation_rate": 2},
         id="dilated", **_CONV),
    Case("separable_conv", (floats(2, 7, 7, 3), floats(3, 3, 3, 2), floats(1, 1, 6, 5)),
         id="2d", grad=True, **_CONV),
    Case("separable_conv", (floats(2, 8, 3), floats(3, 3, 1), floats(1, 3, 4)),
         {"padding": "same", "strides": 2}, id="1d-same", **_CONV),
    Case("conv_transpose", (floats(2, 5, 3), floats(3, 4, 3)), id="1d", grad=True, **_CONV),
    Case("conv_transpose", (floats(2, 4, 5, 3), floats(3, 3, 2, 3)),
         {"strides": 2, "padding": "same"}, id="2d-same-stride", **_CONV),
    Case("conv_transpose", (floats(2, 4, 4, 3), floats(3, 3, 2, 3)),
         {"strides": 2, "padding": "valid", "output_padding": 1}, id="output-padding",
         **_CONV),
    Case("conv_transpose", (floats(2, 4, 4, 3), floats(2, 2, 2, 3)),
         {"strides": 3}, id="stride-over-kernel", **_CONV),
    Case("conv_transpose", (floats(1, 3, 3, 3, 2), floats(2, 2, 2, 4, 2)),
         {"strides": 2, "padding": "same"}, id="3d", **_CONV),
]

_IMAGES = floats(2, 9, 8, 3)
_POOLS = [
    Case("max_pool", (_IMAGES, 2)),
    Case("max_pool", (_IMAGES, (3, 2)), {"strides": (2, 1), "padding": "same"}, id="same"),
    Case("max_pool", (floats(2, 10, 3), 3), {"strides": 2}, id="1d"),
    Case("max_pool", (floats(1, 4, 5, 6, 2), 2), {"padding": "same"}, id="3d"),
    Case("average_pool", (_IMAGES, 2), grad=True),
    Case("average_pool", (_IMAGES, (3, 2)), {"strides": (2, 1), "padding": "same"},
         id="same"),
    Case("average_pool", (floats(2, 10, 3), 3), {"strides": 2, "padding": "same"}, id="1d"),
    Case("adaptive_max_pool", (_IMAGES, (4, 3)),
         reference=_keras_on_tensor("adaptive_max_pool")),
    Case("adaptive_max_pool", (floats(2, 3, 10), 4), {"data_format": "channels_first"},
         id="1d-channels-first"),
    Case("adaptive_max_pool", (floats(1, 5, 7, 6, 2), (2, 3, 4)), id="3d",
         reference=_keras_on_tensor("adaptive_max_pool")),
    Case("adaptive_average_pool", (_IMAGES, (4, 3)), grad=True,
         reference=_keras_on_tensor("adaptive_average_pool")),
    Case("adaptive_average_pool", (floats(2, 10, 3), 3), id="1d",
         reference=_keras_on_tensor("adaptive_average_pool")),
    Case("adaptive_average_pool", (floats(2, 3, 9, 8), (5, 2)),
         {"data_format": "channels_first"}, id="channels-first"),
]

_NORMS = [
    Case("moments", (floats(4, 5, 3), [0, 1])),
    Case("moments", (floats(4, 5, 3), -1), {"keepdims": True}, id="keepdims"),
    Case("moments", (floats(4, 5, dtype="float16"), [0]), id="float16", rtol=2e-3, atol=2e-3),
    Case("batch_normalization", (floats(4, 3), floats(3), positive(3), -1),
         {"offset": floats(3), "scale": floats(3)}, grad=True),
    Case("batch_normalization", (floats(2, 3, 4), floats(3), positive(3), 1),
         {"epsilon": 1e-5}, id="axis1"),
    Case("layer_normalization", (floats(4, 6),), {"gamma": floats(6), "beta": floats(6)},
         grad=True, rtol=1e-5, atol=1e-5),
    Case("layer_normalization", (floats(2, 3, 4),), {"axis": (1, 2)}, id="axes",
         rtol=1e-5, atol=1e-5),
    Case("layer_normalization", (floats(2, 3, 4),), {"axis": 1, "gamma": floats(3)},
         id="axis1", rtol=1e-5, atol=1e-5),
    Case("rms_normalization", (floats(4, 6),), {"scale": floats(6)}, grad=True,
         rtol=1e-5, atol=1e-5),
    Case("rms_normalization", (floats(2, 3, 4),), {"axis": (0, 2), "epsilon": 1e-3},
         id="axes", rtol=1e-5, atol=1e-5),
    Case("normalize", (floats(3, 4),), grad=True),
    Case("normalize", (floats(3, 4),), {"axis": 0, "order": 1}, id="l1"),
    Case("normalize", (floats(3, 4),), {"order": 3}, id="order3", rtol=1e-5),
]

_PROBS = floats(4, 5, low=0.05, high=1.0)
_TARGET = floats(4, 5, low=0.0, high=1.0)
_LOSSES = [
    Case("binary_crossentropy", (_TARGET, _PROBS), grad=True),
    Case("binary_crossentropy", (_TARGET, floats(4, 5)), {"from_logits": True}, id="logits"),
    Case("categorical_crossentropy", (_TARGET, _PROBS), grad=True),
    Case("categorical_crossentropy", (_TARGET, floats(4, 5)), {"from_logits": True},
         id="logits"),
    Case("categorical_crossentropy", (floats(5, 4, low=0.0, high=1.0), floats(5, 4)),
         {"from_logits": True, "axis": 0}, id="axis0"),
    Case("sparse_categorical_crossentropy", (ints(4, low=0, high=5), _PROBS)),
    Case("sparse_categorical_crossentropy", (ints(4, 1, low=0, high=5), floats(4, 5)),
         {"from_logits": True}, id="logits-trailing-1"),
    Case("sparse_categorical_crossentropy", (ints(2, 3, low=0, high=5), floats(2, 3, 5)),
         {"from_logits": True}, id="rank3"),
    Case("psnr", (positive(2, 4, 4, 3), positive(2, 4, 4, 3), 2.0), rtol=1e-5),
    Case("psnr", (ints(4, 4, low=0, high=255).astype("float32"),
                  ints(4, 4, low=0, high=255).astype("float32"), 255.0), id="uint8-range",
         rtol=1e-5),
]

_ENCODINGS = [
    Case("one_hot", (ints(4, low=0, high=5), 5)),
    Case("one_hot", (ints(2, 3, low=-1, high=4), 4), {"axis": 0, "dtype": "int32"},
         id="axis0-out-of-range"),
    Case("one_hot", (ints(2, 3, low=0, high=4), 4), {"axis": 1, "dtype": "bool"},
         id="axis1-bool"),
    Case("multi_hot", (ints(3, 4, low=0, high=6), 6)),
    Case("multi_hot", (ints(5, low=0, high=6),), {"num_classes": 6, "dtype": "int32"},
         id="1d"),
    Case("polar", (positive(3, 4), floats(3, 4)), atol=1e-6),
]

_PATCHES = [
    Case("unfold", (floats(2, 3, 6, 5), 2)),
    Case("unfold", (floats(2, 3, 7, 7), (3, 2)), {"dilation": 2, "padding": 1, "stride": 2},
         id="all-args"),
    Case("fold", (floats(2, 12, 20), (5, 6), 2)),
    Case("fold", (floats(2, 18, 6), 6, (3, 2)), {"dilation": 2, "padding": 1, "stride": 2},
         id="all-args", rtol=1e-5, atol=1e-5),
    Case("depth_to_space", (floats(2, 3, 4, 8), 2)),
    Case("depth_to_space", (floats(1, 2, 2, 18), 3), id="block3"),
    Case("space_to_depth", (floats(2, 4, 6, 3), 2)),
    Case("space_to_depth", (floats(1, 6, 3, 2), 3), id="block3"),
    Case("depth_to_space", (floats(2, 8, 3, 2), 2, "channels_first"), id="channels-first",
         reference=_depth_to_space_channels_first,
         note="Keras's TensorFlow and JAX backends order channels differently; jnet is JAX's"),
    Case("space_to_depth", (floats(2, 2, 4, 6), 2, "channels_first"), id="channels-first",
         reference=_space_to_depth_channels_first,
         note="Keras's TensorFlow and JAX backends order channels differently; jnet is JAX's"),
]

_Q = floats(2, 5, 4, 8)
_KV = floats(2, 6, 4, 8)
_ATTENTION = [
    Case("dot_product_attention", (_Q, _KV, _KV), grad=True, rtol=1e-5, atol=1e-5),
    Case("dot_product_attention", (_Q, _Q, _Q), {"is_causal": True, "scale": 0.5},
         id="causal-scale", rtol=1e-5, atol=1e-5),
    Case("dot_product_attention", (_Q, _KV, _KV),
         {"bias": floats(2, 4, 5, 6), "mask": floats(2, 1, 5, 6) > -1.0}, id="bias-mask",
         rtol=1e-5, atol=1e-5),
    Case("dot_product_attention", (_Q, floats(2, 6, 2, 8), floats(2, 6, 2, 8)), id="gqa",
         rtol=1e-5, atol=1e-5),
]

_LOGITS = floats(3, 6, 5, low=-4.0, high=4.0)
_TARGETS = ints(3, 3, low=1, high=5)
_TARGETS[1] = [2, 2, 3]  # a repeated label needs a blank between its copies
def _keras_jax_ctc_decode(*args, **kwargs):
    """Keras's JAX-backend ctc_decode (its own promotion rules), as NumPy arrays."""
    from keras.src.backend.jax import nn as keras_jax_nn

    with jax.numpy_dtype_promotion("standard"), jax.numpy_rank_promotion("allow"):
        out = keras_jax_nn.ctc_decode(*args, **kwargs)
    return jax.tree_util.tree_map(np.asarray, out)


_CTC = [
    Case("ctc_loss", (_TARGETS, _LOGITS, [3, 3, 1], [6, 5, 4]), grad=True, rtol=1e-5,
         atol=1e-5),
    Case("ctc_loss", (ints(3, 2, low=0, high=4), _LOGITS, [2, 1, 0], [6, 3, 2]),
         {"mask_index": 4}, id="mask-last", rtol=1e-5, atol=1e-5),
    Case("ctc_decode", (_LOGITS, [6, 4, 5])),
    Case("ctc_decode", (_LOGITS, [6, 6, 2]), {"merge_repeated": False, "mask_index": 2},
         id="no-merge"),
    Case("ctc_decode", (_LOGITS, [6, 4, 5]),
         {"strategy": "beam_search", "beam_width": 10, "top_paths": 2}, id="beam",
         rtol=1e-5, atol=1e-5),
    Case("ctc_decode", (_LOGITS, [6, 5, 3]),
         {"strategy": "beam_search", "beam_width": 3, "top_paths": 3, "mask_index": 2},
         id="beam-narrow", rtol=1e-5, atol=1e-5, jit=False, reference=_keras_jax_ctc_decode,
         note="with a beam this narrow TensorFlow's beam search prunes differently and can miss "
              "a more likely second path; jnet equals Keras's JAX backend (the reference here); "
              "near-tied paths can also swap between eager and jitted rounding"),
]

CASES: list = [*_ACTIVATIONS, *_CONVS, *_POOLS, *_NORMS, *_LOSSES, *_ENCODINGS, *_PATCHES,
               *_ATTENTION, *_CTC]

LEFT_OUT: dict[str, str] = {}

PENDING: set[str] = set()

