"""jnet.applications, part B: Inception, Xception, EfficientNet (V2), ConvNeXt, NASNet.

Parity: a family's builder runs in Keras (TensorFlow backend) and in jnet with the same
arguments; Keras's weights (BatchNormalization and Normalization statistics randomized) are
saved as ``.weights.h5``, loaded into jnet's model by position, and the predictions compared
(1e-4); jnet's own file then loads back into Keras's model. The same runs check the layer
classes, the order of ``model.layers``, every name Keras gives explicitly and the parameter
count. The default table uses small configurations of the families' generic builders
(``EfficientNet``, ``EfficientNetV2`` and ``ConvNeXt`` take the block tables and sizes
Keras's members are made of); the whole models (hundreds of layers, minutes to build in jnet)
run only with ``JNET_APPLICATIONS_FULL=1`` (``HEAVY``). Every member's signature is checked
against Keras's.
"""

import inspect
import os
import re

import numpy as np
import pytest

import jnet
from jnet.applications import convnext, efficientnet, efficientnet_v2, nasnet

_EFF_BLOCKS = [  # two stages: squeeze-excite, a skip with drop-connect, a strided block
    {"kernel_size": 3, "repeats": 2, "filters_in": 32, "filters_out": 16, "expand_ratio": 1,
     "id_skip": True, "strides": 1, "se_ratio": 0.25},
    {"kernel_size": 5, "repeats": 1, "filters_in": 16, "filters_out": 24, "expand_ratio": 6,
     "id_skip": True, "strides": 2, "se_ratio": 0.25},
]
_V2_BLOCKS = [  # fused blocks (without expansion, with a skip; with expansion), an MBConv
    {"kernel_size": 3, "num_repeat": 2, "input_filters": 16, "output_filters": 16,
     "expand_ratio": 1, "se_ratio": 0.0, "strides": 1, "conv_type": 1},
    {"kernel_size": 3, "num_repeat": 1, "input_filters": 16, "output_filters": 24,
     "expand_ratio": 4, "se_ratio": 0.0, "strides": 2, "conv_type": 1},
    {"kernel_size": 3, "num_repeat": 1, "input_filters": 24, "output_filters": 32,
     "expand_ratio": 4, "se_ratio": 0.25, "strides": 2, "conv_type": 0},
]

# (id, Keras module under keras.src.applications, builder name, jnet module, input size,
#  keyword arguments for both)
CASES = [
    ("efficientnet", "efficientnet", "EfficientNet", efficientnet, 32,
     {"width_coefficient": 1.0, "depth_coefficient": 1.0, "default_size": 32,
      "blocks_args": _EFF_BLOCKS}),
    ("efficientnet_v2", "efficientnet_v2", "EfficientNetV2", efficientnet_v2, 32,
     {"width_coefficient": 1.0, "depth_coefficient": 1.0, "default_size": 32,
      "blocks_args": _V2_BLOCKS, "name": "efficientnetv2-b0"}),
    ("convnext", "convnext", "ConvNeXt", convnext, 32,
     {"depths": [1, 2, 1, 1], "projection_dims": [8, 8, 16, 16], "drop_path_rate": 0.1}),
]
# Hundreds of layers each: minutes to build in jnet on a loaded 2-core machine, so they run
# only with JNET_APPLICATIONS_FULL=1 (measured passing: NASNet 7 cells, Xception 71x71,
# InceptionV3 75x75 max |diff| 1.8e-7, InceptionResNetV2 75x75 1.8e-6, EfficientNetB0 32x32
# 3.5e-6).
HEAVY = [
    ("nasnet", "nasnet", "NASNet", nasnet, 32,
     {"penultimate_filters": 96, "num_blocks": 1, "stem_block_filters": 8,
      "skip_reduction": False, "default_size": 32}),
    ("xception", "xception", "Xception", jnet.applications.xception, 71, {}),
    ("inception_v3", "inception_v3", "InceptionV3", jnet.applications.inception_v3, 75, {}),
    ("inception_resnet_v2", "inception_resnet_v2", "InceptionResNetV2",
     jnet.applications.inception_resnet_v2, 75, {}),
    ("efficientnet_b0", "efficientnet", "EfficientNetB0", efficientnet, 32, {}),
]
if os.environ.get("JNET_APPLICATIONS_FULL") == "1":
    CASES += HEAVY


def _randomize(model, rng):
    """Random moving statistics, BatchNormalization shifts and Normalization mean/variance
    (Keras's fresh ones would make those layers near-identities)."""
    for w in model.weights:
        path = w.path
        if path.endswith("variance"):
            w.assign(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
        elif path.endswith(("moving_mean", "beta", "bias", "/mean")):
            w.assign(rng.normal(0.0, 0.1, w.shape).astype("float32"))
        elif path.endswith("gamma"):
            w.assign(rng.uniform(0.8, 1.2, w.shape).astype("float32"))
    for layer in model.layers:  # Keras's Normalization caches its mean/variance at build
        if type(layer).__name__ == "Normalization":
            layer.finalize_state()


def _explicit_names(model):
    """``{position: name}`` of the layers whose names are not automatic (class name and a
    counter), which must be Keras's."""
    out = {}
    for i, layer in enumerate(model.layers):
        auto = re.sub(r"(?<!^)(?=[A-Z])", "_", type(layer).__name__).lower()
        auto = auto.replace("2_d", "2d")
        if not re.fullmatch(rf"{auto}(_\d+)?|input_layer(_\d+)?", layer.name):
            out[i] = layer.name
    return out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_parity_with_keras_weights(case, keras, rng, tmp_path):
    _, keras_module, builder, module, size, kwargs = case
    import importlib

    k_build = getattr(importlib.import_module(f"keras.src.applications.{keras_module}"), builder)
    common = {"weights": None, "input_shape": (size, size, 3), "classes": 5}
    k_model = k_build(**common, **kwargs)
    _randomize(k_model, rng)
    path = tmp_path / "k.weights.h5"
    k_model.save_weights(path)
    x = rng.uniform(0, 255, (2, size, size, 3)).astype("float32")
    expected = np.asarray(k_model(x, training=False))

    j_model = getattr(module, builder)(**common, **kwargs)
    assert [type(layer).__name__ for layer in j_model.layers] == [
        type(layer).__name__ for layer in k_model.layers
    ]
    assert _explicit_names(j_model) == _explicit_names(k_model)
    assert j_model.count_params() == k_model.count_params()
    j_model.load_weights(path)
    got = j_model.predict(x, verbose=0)
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)
    # and back: jnet's file (nested models included) loads into Keras's model
    k_back = k_build(**common, **kwargs)
    j_model.save_weights(tmp_path / "j.weights.h5")
    k_back.load_weights(tmp_path / "j.weights.h5")
    np.testing.assert_allclose(np.asarray(k_back(x, training=False)), expected, atol=1e-5)


# Every constructor of part B: (jnet module, name); Keras's has the same signature.
MEMBERS = [
    (m, n)
    for m, names in (
        ("inception_v3", ["InceptionV3"]),
        ("inception_resnet_v2", ["InceptionResNetV2"]),
        ("xception", ["Xception"]),
        ("efficientnet", [f"EfficientNetB{i}" for i in range(8)]),
        ("efficientnet_v2", ["EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2",
                             "EfficientNetV2B3", "EfficientNetV2S", "EfficientNetV2M",
                             "EfficientNetV2L"]),
        ("convnext", ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge",
                      "ConvNeXtXLarge"]),
        ("nasnet", ["NASNetMobile", "NASNetLarge"]),
    )
    for n in names
]


def test_signatures_match_keras(keras):
    """Argument names, order and defaults of every member, and the submodules' functions."""
    for module, name in MEMBERS:
        ours = getattr(getattr(jnet.applications, module), name)
        theirs = getattr(getattr(keras.applications, module), name)
        assert getattr(jnet.applications, name) is ours
        got = [(p.name, p.default) for p in inspect.signature(ours).parameters.values()]
        want = [(p.name, p.default) for p in inspect.signature(theirs).parameters.values()]
        assert got == want, name
        for function in ("preprocess_input", "decode_predictions"):
            assert callable(getattr(getattr(jnet.applications, module), function))


@pytest.mark.parametrize(
    ("module", "size", "expected"),
    [  # Keras's preprocess_input: 'tf' mode for Inception/Xception/NASNet, identity otherwise
        ("inception_v3", 0.0, -1.0), ("inception_resnet_v2", 255.0, 1.0),
        ("xception", 127.5, 0.0), ("nasnet", 0.0, -1.0), ("efficientnet", 7.0, 7.0),
        ("efficientnet_v2", 7.0, 7.0), ("convnext", 7.0, 7.0),
    ],
)
def test_preprocess_input(module, size, expected):
    x = np.full((1, 2, 2, 3), size, "float32")
    out = getattr(jnet.applications, module).preprocess_input(x)
    np.testing.assert_allclose(out, np.full((1, 2, 2, 3), expected, "float32"))


def test_custom_layers_match_keras(keras, rng):
    """LayerScale and StochasticDepth: Keras's weights, configs and inference results."""
    from keras.src.applications import convnext as k_convnext

    x = rng.normal(size=(2, 3, 3, 4)).astype("float32")
    k_scale = k_convnext.LayerScale(0.5, 4)
    expected = np.asarray(k_scale(x))
    scale = convnext.LayerScale(0.5, 4)
    np.testing.assert_allclose(np.asarray(scale(x)), expected)
    assert [w.shape for w in scale.get_weights()] == [(4,)]
    for key in ("init_values", "projection_dim"):
        assert scale.get_config()[key] == k_scale.get_config()[key]
    depth = convnext.StochasticDepth(0.3)
    np.testing.assert_array_equal(np.asarray(depth(x)), x)  # inference: identity
    assert depth.get_config()["drop_path_rate"] == 0.3
    dropped = np.asarray(depth(x, training=True))  # whole samples kept (scaled) or zeroed
    for sample, original in zip(dropped, x, strict=True):
        assert np.allclose(sample, 0.0) or np.allclose(sample, original / 0.7, rtol=1e-5)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: jnet.applications.InceptionV3(weights="nowhere.h5"),
         r"`weights` argument should be either .* Received: weights=nowhere.h5"),
        (lambda: jnet.applications.Xception(weights="imagenet", classes=10),
         r"`classes` should be 1000.*Received classes=10"),
        (lambda: jnet.applications.EfficientNetB0(weights=None, input_shape=(16, 16, 3)),
         r"at least 32x32"),
        (lambda: nasnet.NASNet(weights=None, penultimate_filters=100, input_shape=(32, 32, 3)),
         r"multiple of 24 \* \(`filter_multiplier` \*\* 2\). Current value: 100"),
        (lambda: efficientnet_v2.EfficientNetV2(1.0, 1.0, 32, name="mine", weights=None),
         r"no default blocks_args for name='mine'"),
        (lambda: convnext.ConvNeXt([1, 1, 1, 1], [8, 8, 8, 8], weights="imagenet",
                                   weights_name="convnext_tiny", name="convnext_tiny"),
         r"Architecture configuration does not match convnext_tiny"),
        (lambda: jnet.applications.InceptionV3(weights=None, include_top=False,
                                               input_tensor=np.zeros((1, 75, 75, 3))),
         r"`input_tensor` should be a symbolic tensor"),
    ],
    ids=["weights", "classes", "min_size", "nasnet_filters", "v2_name", "convnext_config",
         "input_tensor"],
)
def test_errors(call, match):
    with pytest.raises((jnet.errors.JnetValueError, jnet.errors.JnetTypeError), match=match):
        call()
