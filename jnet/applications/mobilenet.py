"""MobileNet (``keras.applications.mobilenet``): Howard et al., "MobileNets: Efficient
Convolutional Neural Networks for Mobile Vision Applications" (2017): depthwise separable
convolutions, width ``alpha`` and ``depth_multiplier``, with Keras's layer names
(``conv1``, ``conv_dw_1`` ... ``conv_pw_13_relu``, ``conv_preds``, ``predictions``) and weight
files; preprocessing in ``'tf'`` mode.

Example:
    >>> import jnet
    >>> model = jnet.applications.MobileNet(weights=None, alpha=0.25, include_top=False,
    ...                                     input_shape=(32, 32, 3))  # doctest: +SKIP
    >>> model.name, model.output_shape  # doctest: +SKIP
    ('mobilenet_0.25_32', (None, 1, 1, 256))
"""

from __future__ import annotations

import warnings
from typing import Any

from jnet import config, errors, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
_ALPHA_TEXT = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0", 0.25: "2_5"}


def MobileNet(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    alpha: float = 1.0,
    depth_multiplier: int = 1,
    dropout: float = 1e-3,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str | None = None,
) -> Model:
    """Instantiates the MobileNet architecture (``keras.applications.MobileNet``).

    Args:
        input_shape: optional shape tuple, only with ``include_top=False`` (otherwise
            ``(224, 224, 3)``, or 128, 160 or 192 square); height and width at least 32.
        alpha: the width multiplier: below 1 fewer filters in each layer, above 1 more.
            ImageNet weights exist for 0.25, 0.5, 0.75 and 1.0.
        depth_multiplier: channels per input channel of the depthwise convolutions (1 with
            ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top: whether to include the classifier at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) as the input.
        pooling: with ``include_top=False``: None (4D output), ``'avg'`` or ``'max'``.
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        name: the model's name (default ``'mobilenet_<alpha>_<rows>'``, as Keras).

    Returns:
        A functional ``Model``.

    Example:
        >>> m = MobileNet(weights=None, alpha=0.25, input_shape=(32, 32, 3),
        ...               classes=10)  # doctest: +SKIP
        >>> m.output_shape, m.layers[-1].name  # doctest: +SKIP
        ((None, 10), 'predictions')
    """
    _weights.check_arguments(weights, include_top, classes)
    first = config.image_data_format() == "channels_first"
    default_size = 224
    if input_shape is not None:
        rows, cols = (input_shape[1], input_shape[2]) if first else tuple(input_shape[:2])
        if rows == cols and rows in (128, 160, 192, 224):
            default_size = rows
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=config.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = (input_shape[1], input_shape[2]) if first else input_shape[:2]
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise errors.JnetValueError(
                "If imagenet weights are being loaded, depth multiplier must be 1.  "
                f"Received depth_multiplier={depth_multiplier}"
            )
        if alpha not in _ALPHA_TEXT:
            raise errors.JnetValueError(
                "If imagenet weights are being loaded, alpha can be one of`0.25`, `0.50`, "
                f"`0.75` or `1.0` only.  Received alpha={alpha}"
            )
        if rows != cols or rows not in (128, 160, 192, 224):
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded as "
                "the default.",
                stacklevel=2,
            )
    img_input = _weights.image_input(input_tensor, input_shape)
    x = _conv_block(img_input, 32, alpha, strides=(2, 2))
    plan = [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ]
    for block_id, (filters, stride) in enumerate(plan, start=1):
        x = _depthwise_conv_block(
            x, filters, alpha, depth_multiplier, strides=(stride, stride), block_id=block_id
        )
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    if name is None:
        name = f"mobilenet_{alpha:0.2f}_{rows}"
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    files = (None, None)
    if weights == "imagenet":
        text = _ALPHA_TEXT[alpha]
        files = tuple(
            _weights.WeightsFile(f, BASE_WEIGHT_PATH + f, None)
            for f in (f"mobilenet_{text}_{rows}_tf.h5", f"mobilenet_{text}_{rows}_tf_no_top.h5")
        )
    _weights.load_weights(model, weights, include_top, *files)
    return model


def _channel_axis() -> int:
    return 1 if config.image_data_format() == "channels_first" else -1


def _conv_block(
    inputs: Any, filters: int, alpha: float, kernel: Any = (3, 3), strides: Any = (1, 1)
) -> Any:
    filters = int(filters * alpha)
    x = layers.Conv2D(
        filters, kernel, padding="same", use_bias=False, strides=strides, name="conv1"
    )(inputs)
    x = layers.BatchNormalization(axis=_channel_axis(), name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def _depthwise_conv_block(
    inputs: Any,
    pointwise_conv_filters: int,
    alpha: float,
    depth_multiplier: int = 1,
    strides: Any = (1, 1),
    block_id: int = 1,
) -> Any:
    pointwise_conv_filters = int(pointwise_conv_filters * alpha)
    if strides == (1, 1):
        x = inputs
    else:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(inputs)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if strides == (1, 1) else "valid",
        depth_multiplier=depth_multiplier,
        strides=strides,
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        pointwise_conv_filters, (1, 1), padding="same", use_bias=False, strides=(1, 1),
        name=f"conv_pw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """MobileNet's preprocessing: ``imagenet_utils.preprocess_input`` in ``'tf'`` mode
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
