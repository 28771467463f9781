"""InceptionV3 (``keras.applications.inception_v3``), built of jnet layers with Keras's names.

The blocks are named ``mixed0`` ... ``mixed10`` (and ``mixed9_0``/``mixed9_1``) as in Keras, and
the layers come in Keras's order, so Keras's weight files load by name or by order.

Example (building the 313 layers takes seconds, so doctests skip it):
    >>> from jnet.applications import inception_v3
    >>> model = inception_v3.InceptionV3(weights=None, input_shape=(75, 75, 3),
    ...                                  classes=4)  # doctest: +SKIP
    >>> model.get_layer("mixed7").output.shape, model.output.shape  # doctest: +SKIP
    ((None, 3, 3, 768), (None, 4))
"""

from __future__ import annotations

from typing import Any

from jnet import layers
from jnet.applications import _shell, imagenet_utils

__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
_FILES = {
    True: ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
           _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
           "9a0d58056eeedaa3f26cb7ebd46da564"),
    False: ("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
            _BASE + "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "bcbd6486424b2319ff4ef7d526e38f63"),
}


def InceptionV3(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "inception_v3",
):
    """Instantiates the Inception v3 architecture (Szegedy et al., CVPR 2016).

    Args:
        include_top: whether to include the classifier (``avg_pool`` + Dense ``predictions``).
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``; at least 75x75. Default
            ``(299, 299, 3)`` with ``include_top``.
        pooling: ``None``, ``'avg'`` or ``'max'``: global pooling of the features when
            ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = InceptionV3(weights=None, include_top=False, pooling="avg",
        ...                     input_shape=(75, 75, 3))  # doctest: +SKIP
        >>> model.output.shape  # doctest: +SKIP
        (None, 2048)
    """
    _shell.check_arguments(weights, include_top, classes)
    img_input = _shell.image_input(input_shape, input_tensor, 299, 75, include_top, weights)
    axis = _shell.channel_axis()

    def conv(x, filters, rows, cols, padding="same", strides=(1, 1)):
        x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding,
                          use_bias=False)(x)
        x = layers.BatchNormalization(axis=axis, scale=False)(x)
        return layers.Activation("relu")(x)

    def avg_branch(x, filters):
        x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
        return conv(x, filters, 1, 1)

    x = conv(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv(x, 32, 3, 3, padding="valid")
    x = conv(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv(x, 80, 1, 1, padding="valid")
    x = conv(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    for i, pool_filters in enumerate((32, 64, 64)):  # mixed 0-2: 35 x 35
        b1 = conv(x, 64, 1, 1)
        b5 = conv(conv(x, 48, 1, 1), 64, 5, 5)
        b3 = conv(conv(conv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
        bp = avg_branch(x, pool_filters)
        x = layers.concatenate([b1, b5, b3, bp], axis=axis, name=f"mixed{i}")

    b3 = conv(x, 384, 3, 3, strides=(2, 2), padding="valid")  # mixed 3: 17 x 17
    bd = conv(conv(conv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, bd, bp], axis=axis, name="mixed3")

    for i, width in zip(range(4, 8), (128, 160, 160, 192), strict=True):  # mixed 4-7
        b1 = conv(x, 192, 1, 1)
        b7 = conv(conv(conv(x, width, 1, 1), width, 1, 7), 192, 7, 1)
        bd = conv(x, width, 1, 1)
        for filters, rows, cols in ((width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)):
            bd = conv(bd, filters, rows, cols)
        bp = avg_branch(x, 192)
        x = layers.concatenate([b1, b7, bd, bp], axis=axis, name=f"mixed{i}")

    b3 = conv(conv(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")  # mixed 8
    b7 = conv(conv(conv(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b7 = conv(b7, 192, 3, 3, strides=(2, 2), padding="valid")
    bp = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([b3, b7, bp], axis=axis, name="mixed8")

    for i in range(2):  # mixed 9, 10: 8 x 8
        b1 = conv(x, 320, 1, 1)
        b3 = conv(x, 384, 1, 1)
        b3 = layers.concatenate([conv(b3, 384, 1, 3), conv(b3, 384, 3, 1)], axis=axis,
                                name=f"mixed9_{i}")
        bd = conv(conv(x, 448, 1, 1), 384, 3, 3)
        bd = layers.concatenate([conv(bd, 384, 1, 3), conv(bd, 384, 3, 1)], axis=axis)
        bp = avg_branch(x, 192)
        x = layers.concatenate([b1, b3, bd, bp], axis=axis, name=f"mixed{9 + i}")

    x = _shell.classifier(x, include_top, pooling, classes, classifier_activation, weights)
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top, _FILES)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Scales pixels from [0, 255] to [-1, 1] (Keras's ``mode='tf'``).

    Args:
        x: images, a NumPy array or a JAX array, float or integer.
        data_format: ``'channels_last'`` or ``'channels_first'`` (default: the config's).

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.array([0.0, 127.5, 255.0]))
        array([-1.,  0.,  1.])
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Keras's ImageNet decoding: ``[(class_id, name, score), ...]`` per sample (see
    :func:`jnet.applications.imagenet_utils.decode_predictions`)."""
    return imagenet_utils.decode_predictions(preds, top=top)
