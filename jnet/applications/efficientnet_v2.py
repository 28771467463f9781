"""EfficientNetV2 B0-B3, S, M, L (``keras.applications.efficientnet_v2``), Keras's names.

With ``include_preprocessing`` (default) the models take pixels in [0, 255] and normalize them
themselves (B0-B3: ``Rescaling(1/255)`` and ``Normalization`` with ImageNet's mean and
variance; S, M, L: ``Rescaling(1/128, offset=-1)``), as Keras's do. The blocks are Keras's
MBConv and Fused-MBConv blocks, named ``block1a_`` ... (``block6h_project_conv``, ...).

Example (building 270 layers takes seconds, so doctests skip it):
    >>> from jnet.applications import efficientnet_v2
    >>> model = efficientnet_v2.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3),
    ...                                          classes=4)  # doctest: +SKIP
    >>> model.output.shape  # doctest: +SKIP
    (None, 4)
"""

from __future__ import annotations

import copy
import math
from typing import Any

from jnet import errors, initializers, layers
from jnet.applications import _shell, imagenet_utils
from jnet.applications.efficientnet import CONV_KERNEL_INITIALIZER, DENSE_KERNEL_INITIALIZER

__all__ = [
    "EfficientNetV2",
    "EfficientNetV2B0", "EfficientNetV2B1", "EfficientNetV2B2", "EfficientNetV2B3",
    "EfficientNetV2L", "EfficientNetV2M", "EfficientNetV2S",
    "decode_predictions", "preprocess_input",
]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
#: Keras's md5 of each ImageNet file: (with the top, without).
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}

_KEYS = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio",
         "se_ratio", "strides", "conv_type")
_B = [(3, 1, 32, 16, 1, 0, 1, 1), (3, 2, 16, 32, 4, 0, 2, 1), (3, 2, 32, 48, 4, 0, 2, 1),
      (3, 3, 48, 96, 4, 0.25, 2, 0), (3, 5, 96, 112, 6, 0.25, 1, 0),
      (3, 8, 112, 192, 6, 0.25, 2, 0)]
_TABLES = {
    "efficientnetv2-s": [
        (3, 2, 24, 24, 1, 0.0, 1, 1), (3, 4, 24, 48, 4, 0.0, 2, 1), (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0), (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0)],
    "efficientnetv2-m": [
        (3, 3, 24, 24, 1, 0, 1, 1), (3, 5, 24, 48, 4, 0, 2, 1), (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0), (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0), (3, 5, 304, 512, 6, 0.25, 1, 0)],
    "efficientnetv2-l": [
        (3, 4, 32, 32, 1, 0, 1, 1), (3, 7, 32, 64, 4, 0, 2, 1), (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0), (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0), (3, 7, 384, 640, 6, 0.25, 1, 0)],
    **{f"efficientnetv2-b{i}": _B for i in range(4)},
}
#: Keras's block tables, by model name: one dict per stage.
DEFAULT_BLOCKS_ARGS = {
    name: [dict(zip(_KEYS, row, strict=True)) for row in rows] for name, rows in _TABLES.items()
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """Keras's rounding of a filter count scaled by ``width_coefficient``."""
    filters *= width_coefficient
    minimum_depth = min_depth or depth_divisor
    return int(max(minimum_depth,
                   int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    """Keras's rounding of a repeat count scaled by ``depth_coefficient``."""
    return int(math.ceil(depth_coefficient * repeats))


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, name, bn_axis):
    filters_se = max(1, int(input_filters * se_ratio))
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se = layers.Reshape((filters, 1, 1) if bn_axis == 1 else (1, 1, filters),
                        name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid",
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def _block(inputs, fused, input_filters, output_filters, expand_ratio=1, kernel_size=3,
           strides=1, se_ratio=0.0, bn_momentum=0.9, activation="swish",
           survival_probability=0.8, name=""):
    """Keras's ``MBConvBlock`` (``fused=False``) or ``FusedMBConvBlock`` (``fused=True``)."""
    bn_axis = _shell.channel_axis()
    filters = input_filters * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, kernel_size=kernel_size if fused else 1,
                          strides=strides if fused else 1,
                          kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                          use_bias=False, name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum,
                                      name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if not fused:
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER,
                                   padding="same", use_bias=False, name=f"{name}dwconv2")(x)
        x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name=f"{name}bn")(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, name, bn_axis)
    plain = not fused or expand_ratio != 1
    x = layers.Conv2D(output_filters, kernel_size=1 if plain else kernel_size,
                      strides=1 if plain else strides,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                      use_bias=False, name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum,
                                  name=f"{name}project_bn")(x)
    if fused and expand_ratio == 1:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and input_filters == output_filters:
        if survival_probability:  # Keras uses it as the drop rate
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1),
                               name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def EfficientNetV2(  # noqa: N802 - Keras's name
    width_coefficient: float,
    depth_coefficient: float,
    default_size: int,
    dropout_rate: float = 0.2,
    drop_connect_rate: float = 0.2,
    depth_divisor: int = 8,
    min_depth: int = 8,
    bn_momentum: float = 0.9,
    activation: Any = "swish",
    blocks_args: Any = "default",
    name: str = "efficientnetv2",
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    weights_name: str | None = None,
):
    """Instantiates the EfficientNetV2 architecture (Tan and Le, ICML 2021), scaled.

    Args:
        width_coefficient: scaling of the network's width (filters).
        depth_coefficient: scaling of the network's depth (block repeats).
        default_size: the default input image size.
        dropout_rate: dropout before the classifier.
        drop_connect_rate: the largest drop rate of the residual branches.
        depth_divisor: filters are rounded to multiples of this.
        min_depth: the smallest filter count.
        bn_momentum: the BatchNormalization momentum.
        activation: the activation of the blocks.
        blocks_args: ``'default'`` (the table of the model named ``name``, or of
            ``weights_name``'s member) or a list of block dicts.
        name: the model's name.
        include_top: whether to include the classifier.
        weights: ``None``, ``'imagenet'`` or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``, at least 32x32.
        pooling: ``None``, ``'avg'`` or ``'max'`` when ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        include_preprocessing: whether the model rescales and normalizes its inputs.
        weights_name: ``'b0'`` ... ``'b3'``, ``'-s'``, ``'-m'``, ``'-l'``: the ImageNet file.

    Returns:
        A functional ``jnet.Model``.
    """
    if blocks_args == "default":
        key = name if name in DEFAULT_BLOCKS_ARGS else f"efficientnetv2-{weights_name}".replace(
            "--", "-")
        if key not in DEFAULT_BLOCKS_ARGS:
            raise errors.JnetValueError(
                f"EfficientNetV2: no default blocks_args for name={name!r}; pass blocks_args "
                f"or one of the names {sorted(DEFAULT_BLOCKS_ARGS)}."
            )
        blocks_args = DEFAULT_BLOCKS_ARGS[key]
    _shell.check_arguments(weights, include_top, classes)
    img_input = _shell.image_input(input_shape, input_tensor, default_size, 32, include_top,
                                   weights)
    bn_axis = _shell.channel_axis()

    def rf(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        num_channels = img_input.shape[bn_axis]
        if name.split("-")[-1].startswith("b") and num_channels == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406],
                                     variance=[0.229**2, 0.224**2, 0.225**2], axis=bn_axis)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = layers.Conv2D(rf(blocks_args[0]["input_filters"]), kernel_size=3, strides=2,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                      use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(args["num_repeat"] for args in blocks_args))
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise errors.JnetValueError(
                "The number of repeats in `EfficientNetV2` must be > 0. Received: "
                f"num_repeat={args['num_repeat']}"
            )
        args["input_filters"] = rf(args["input_filters"])
        args["output_filters"] = rf(args["output_filters"])
        fused = args.pop("conv_type") == 1
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = _block(x, fused, activation=activation, bn_momentum=bn_momentum,
                       survival_probability=drop_connect_rate * b / blocks,
                       name=f"block{i + 1}{chr(j + 97)}_", **args)
            b += 1

    x = layers.Conv2D(rf(1280), kernel_size=1, strides=1,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                      use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        _shell.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=DENSE_KERNEL_INITIALIZER,
                         bias_initializer=initializers.Constant(0.0), name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    files = None
    if weights_name is not None:
        files = {
            top: (name + suffix, _BASE + name + suffix, WEIGHTS_HASHES[weights_name][k])
            for k, (top, suffix) in enumerate(((True, ".h5"), (False, "_notop.h5")))
        }
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top, files)


_DOC = """Instantiates the EfficientNetV2{v} architecture (``keras.applications``).

    Args:
        include_top: whether to include the classifier (``avg_pool``, ``top_dropout``,
            Dense ``predictions``).
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``, at least 32x32. Default
            ``({size}, {size}, 3)`` with ``include_top``.
        pooling: ``None``, ``'avg'`` or ``'max'``: global pooling of the features when
            ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        include_preprocessing: whether the model rescales (and normalizes) its inputs, which
            are then pixels in [0, 255].
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = EfficientNetV2{v}(weights=None, include_top=False,
        ...                         input_shape=(32, 32, 3))  # doctest: +SKIP
    """

#: Keras's (width, depth, default size) of each member, by weights name.
_VARIANTS = {
    "b0": (1.0, 1.0, 224), "b1": (1.0, 1.1, 240), "b2": (1.1, 1.2, 260),
    "b3": (1.2, 1.4, 300), "-s": (1.0, 1.0, 384), "-m": (1.0, 1.0, 480),
    "-l": (1.0, 1.0, 480),
}


def _variant(key: str):
    width, depth, size = _VARIANTS[key]
    suffix = key.lstrip("-")
    default_name = f"efficientnetv2-{suffix}"

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax",
              include_preprocessing=True, name=default_name):
        return EfficientNetV2(
            width_coefficient=width, depth_coefficient=depth, default_size=size, name=name,
            include_top=include_top, weights=weights, input_tensor=input_tensor,
            input_shape=input_shape, pooling=pooling, classes=classes,
            classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing, weights_name=key,
        )

    build.__name__ = build.__qualname__ = f"EfficientNetV2{suffix.upper()}"
    build.__doc__ = _DOC.format(v=suffix.upper(), size=size)
    return build


EfficientNetV2B0 = _variant("b0")
EfficientNetV2B1 = _variant("b1")
EfficientNetV2B2 = _variant("b2")
EfficientNetV2B3 = _variant("b3")
EfficientNetV2S = _variant("-s")
EfficientNetV2M = _variant("-m")
EfficientNetV2L = _variant("-l")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns ``x`` unchanged: EfficientNetV2 models preprocess their inputs themselves
    (Keras keeps this placeholder for compatibility).

    Args:
        x: images with pixels in [0, 255].
        data_format: ignored.

    Returns:
        ``x``.

    Example:
        >>> preprocess_input([0, 255])
        [0, 255]
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Keras's ImageNet decoding: ``[(class_id, name, score), ...]`` per sample (see
    :func:`jnet.applications.imagenet_utils.decode_predictions`)."""
    return imagenet_utils.decode_predictions(preds, top=top)
