"""Xception (``keras.applications.xception``) with Keras's layer names (``block1_conv1`` ...).

Example (building the 132 layers takes seconds, so doctests skip it):
    >>> from jnet.applications import xception
    >>> model = xception.Xception(weights=None, input_shape=(71, 71, 3),
    ...                           classes=4)  # doctest: +SKIP
    >>> model.get_layer("block14_sepconv2_act").output.shape  # doctest: +SKIP
    (None, 3, 3, 2048)
"""

from __future__ import annotations

from typing import Any

from jnet import layers
from jnet.applications import _shell, imagenet_utils

__all__ = ["Xception", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
_FILES = {
    True: ("xception_weights_tf_dim_ordering_tf_kernels.h5",
           _BASE + "xception_weights_tf_dim_ordering_tf_kernels.h5",
           "0a58e3b7378bc2990ea3b43d5981f1f6"),
    False: ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
            _BASE + "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "b0042744bf5b25fce3cb969f33bebb97"),
}


def Xception(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "xception",
):
    """Instantiates the Xception architecture (Chollet, CVPR 2017).

    Args:
        include_top: whether to include the classifier (``avg_pool`` + Dense ``predictions``).
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``; at least 71x71. Default
            ``(299, 299, 3)`` with ``include_top``.
        pooling: ``None``, ``'avg'`` or ``'max'``: global pooling of the features when
            ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = Xception(weights=None, include_top=False, pooling="avg",
        ...                  input_shape=(71, 71, 3))  # doctest: +SKIP
        >>> model.output.shape  # doctest: +SKIP
        (None, 2048)
    """
    _shell.check_arguments(weights, include_top, classes)
    img_input = _shell.image_input(input_shape, input_tensor, 299, 71, include_top, weights)
    axis = 1 if _shell.channel_axis() == 1 else -1

    def bn(x, name=None):
        return layers.BatchNormalization(axis=axis, name=name)(x)

    def sep(x, filters, name):
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False,
                                   name=name)(x)
        return bn(x, f"{name}_bn")

    def residual(x, filters):
        r = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
        return bn(r)

    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(
        img_input)
    x = layers.Activation("relu", name="block1_conv1_act")(bn(x, "block1_conv1_bn"))
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(bn(x, "block1_conv2_bn"))

    for block, filters in ((2, 128), (3, 256), (4, 728)):  # entry flow
        r = residual(x, filters)
        if block > 2:
            x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
        x = sep(x, filters, f"block{block}_sepconv1")
        x = layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
        x = sep(x, filters, f"block{block}_sepconv2")
        x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same",
                                name=f"block{block}_pool")(x)
        x = layers.add([x, r])

    for i in range(8):  # middle flow
        r = x
        prefix = f"block{i + 5}"
        for j in (1, 2, 3):
            x = layers.Activation("relu", name=f"{prefix}_sepconv{j}_act")(x)
            x = sep(x, 728, f"{prefix}_sepconv{j}")
        x = layers.add([x, r])

    r = residual(x, 1024)  # exit flow
    x = layers.Activation("relu", name="block13_sepconv1_act")(x)
    x = sep(x, 728, "block13_sepconv1")
    x = layers.Activation("relu", name="block13_sepconv2_act")(x)
    x = sep(x, 1024, "block13_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name="block13_pool")(x)
    x = layers.add([x, r])
    x = sep(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = sep(x, 2048, "block14_sepconv2")
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)

    x = _shell.classifier(x, include_top, pooling, classes, classifier_activation, weights)
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top, _FILES)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales pixels from [0, 255] to [-1, 1] (Keras's ``mode='tf'``).

    Args:
        x: images, a NumPy array or a JAX array.
        data_format: ``'channels_last'`` or ``'channels_first'`` (default: the config's).

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.array([0.0, 255.0]))
        array([-1.,  1.])
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Keras's ImageNet decoding: ``[(class_id, name, score), ...]`` per sample (see
    :func:`jnet.applications.imagenet_utils.decode_predictions`)."""
    return imagenet_utils.decode_predictions(preds, top=top)
