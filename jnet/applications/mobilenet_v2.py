"""MobileNetV2 (``keras.applications.mobilenet_v2``): Sandler et al., "MobileNetV2:
Inverted Residuals and Linear Bottlenecks" (CVPR 2018), with Keras's layer names (``Conv1``,
``expanded_conv_depthwise``, ``block_16_project_BN``, ``out_relu``, ``predictions``) and
weight files; preprocessing in ``'tf'`` mode.

Example:
    >>> import jnet
    >>> model = jnet.applications.MobileNetV2(weights=None, alpha=0.35, include_top=False,
    ...                                       input_shape=(32, 32, 3))  # doctest: +SKIP
    >>> model.name, model.get_layer("out_relu").output.shape  # doctest: +SKIP
    ('mobilenetv2_0.35_32', (None, 1, 1, 1280))
"""

from __future__ import annotations

import warnings
from typing import Any

from jnet import backend, config, errors, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
_SIZES = (96, 128, 160, 192, 224)


def _make_divisible(v: float, divisor: int, min_value: int | None = None) -> int:
    """``v`` rounded to a multiple of ``divisor`` (at least ``min_value``), never more than
    10% below ``v`` (Keras's and the paper's rule)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _default_size(input_shape: Any, input_tensor: Any) -> int:
    """Keras's choice of the default size, with its checks of ``input_tensor`` against
    ``input_shape``."""
    first = config.image_data_format() == "channels_first"
    if input_tensor is not None and not backend.is_keras_tensor(input_tensor):
        raise errors.JnetValueError(
            f"input_tensor is not a Keras tensor; Received `input_tensor={input_tensor}`"
        )
    if input_shape is not None and input_tensor is not None:
        got, want = (input_tensor.shape[1], input_shape[1]) if first else (
            input_tensor.shape[2], input_shape[1])
        if got != want:
            where = (
                "input_shape[1] must equal shape(input_tensor)[1] when `image_data_format` is "
                "`channels_first`" if first else "input_tensor.shape[2] must equal input_shape[1]"
            )
            raise errors.JnetValueError(
                f"{where}; Received `input_tensor.shape={input_tensor.shape}`, "
                f"`input_shape={input_shape}`"
            )
    if input_shape is None and input_tensor is not None:
        rows, cols = input_tensor.shape[2:4] if first else input_tensor.shape[1:3]
    elif input_shape is None:
        return 224
    else:
        rows, cols = (input_shape[1], input_shape[2]) if first else tuple(input_shape[:2])
    return rows if rows == cols and rows in _SIZES else 224


def MobileNetV2(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    alpha: float = 1.0,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Model:
    """Instantiates the MobileNetV2 architecture (``keras.applications.MobileNetV2``).

    Args:
        input_shape: optional shape tuple, only with ``include_top=False`` (otherwise
            ``(224, 224, 3)`` or 96, 128, 160 or 192 square); height and width at least 32.
        alpha: the width multiplier. ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3
            and 1.4.
        include_top: whether to include the classifier at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) as the input.
        pooling: with ``include_top=False``: None (4D output), ``'avg'`` or ``'max'``.
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        name: the model's name (default ``'mobilenetv2_<alpha>_<rows>'``, as Keras).

    Returns:
        A functional ``Model``.

    Example:
        >>> m = MobileNetV2(weights=None, alpha=0.35, input_shape=(32, 32, 3),
        ...                 classes=5)  # doctest: +SKIP
        >>> m.output_shape  # doctest: +SKIP
        (None, 5)
    """
    _weights.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=_default_size(input_shape, input_tensor),
        min_size=32,
        data_format=config.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    first = config.image_data_format() == "channels_first"
    rows, cols = (input_shape[1], input_shape[2]) if first else input_shape[:2]
    if weights == "imagenet":
        if alpha not in (0.35, 0.50, 0.75, 1.0, 1.3, 1.4):
            raise errors.JnetValueError(
                "If imagenet weights are being loaded, alpha must be one of `0.35`, `0.50`, "
                f"`0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`"
            )
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded "
                "as the default.",
                stacklevel=2,
            )
    img_input = _weights.image_input(input_tensor, input_shape)
    channel_axis = 1 if first else -1
    x = layers.Conv2D(
        _make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same",
        use_bias=False, name="Conv1",
    )(img_input)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name="bn_Conv1"
    )(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    plan = [  # (filters, stride, expansion) of blocks 0 to 16
        (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6),
        (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6),
        (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6),
    ]
    for block_id, (filters, stride, expansion) in enumerate(plan):
        x = _inverted_res_block(
            x, filters=filters, alpha=alpha, stride=stride, expansion=expansion,
            block_id=block_id,
        )
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name="Conv_1_bn"
    )(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    files = (None, None)
    if weights == "imagenet":
        stem = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
        files = tuple(
            _weights.WeightsFile(f, BASE_WEIGHT_PATH + f, None)
            for f in (f"{stem}.h5", f"{stem}_no_top.h5")
        )
    _weights.load_weights(model, weights, include_top, *files)
    return model


def _inverted_res_block(
    inputs: Any, expansion: int, stride: int, alpha: float, filters: int, block_id: int
) -> Any:
    channel_axis = 1 if config.image_data_format() == "channels_first" else -1
    in_channels = inputs.shape[channel_axis]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels, kernel_size=1, padding="same", use_bias=False,
            activation=None, name=f"{prefix}expand",
        )(x)
        x = layers.BatchNormalization(
            axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_BN"
        )(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3, strides=stride, activation=None, use_bias=False,
        padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise",
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_BN"
    )(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(
        pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None,
        name=f"{prefix}project",
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_BN"
    )(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """MobileNetV2's preprocessing: ``imagenet_utils.preprocess_input`` in ``'tf'`` mode
    (pixels scaled to [-1, 1]).

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.array([0.0, 255.0], "float32"))
        array([-1.,  1.], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
