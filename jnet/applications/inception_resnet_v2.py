"""InceptionResNetV2 (``keras.applications.inception_resnet_v2``) with Keras's layer names.

The residual blocks are ``block35_1`` ... ``block8_10`` (``<block>_mixed``, ``<block>_conv``,
``<block>_ac``) and the residual sum is Keras's ``CustomScaleLayer`` (``x + scale * r``), so
Keras's weight files load by name or by order.

Example (building the 780 layers takes seconds, so doctests skip it):
    >>> from jnet.applications import inception_resnet_v2
    >>> model = inception_resnet_v2.InceptionResNetV2(
    ...     weights=None, input_shape=(75, 75, 3), classes=4)  # doctest: +SKIP
    >>> model.get_layer("mixed_7a").output.shape  # doctest: +SKIP
    (None, 1, 1, 2080)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn

from jnet import layers
from jnet.applications import _shell, imagenet_utils
from jnet.layers.base import Layer

__all__ = ["CustomScaleLayer", "InceptionResNetV2", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
_TOP = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5"
_NOTOP = "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5"
_FILES = {
    True: (_TOP, _BASE + _TOP, "e693bd0210a403b3192acc6073ad2e96"),
    False: (_NOTOP, _BASE + _NOTOP, "d19885ff4a710c122648d3b5c3b684e4"),
}


class CustomScaleLayer(Layer):
    """``inputs[0] + inputs[1] * scale``: the scaled residual sum of Keras's blocks.

    Args:
        scale: the factor of the residual branch.

    Example:
        >>> import jax.numpy as jnp
        >>> CustomScaleLayer(0.5).apply({}, [jnp.ones(2), jnp.full(2, 4.0)])
        Array([3., 3.], dtype=float32)
    """

    scale: float = 1.0

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: the base fields and ``scale``."""
        return {**super().get_config(), "scale": self.scale}

    def __call__(self, inputs, training: bool = False):
        return inputs[0] + inputs[1] * self.scale


def InceptionResNetV2(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "inception_resnet_v2",
):
    """Instantiates the Inception-ResNet v2 architecture (Szegedy et al., AAAI 2017).

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
        >>> model = InceptionResNetV2(weights=None, include_top=False, pooling="max",
        ...                           input_shape=(75, 75, 3))  # doctest: +SKIP
        >>> model.output.shape  # doctest: +SKIP
        (None, 1536)
    """
    _shell.check_arguments(weights, include_top, classes)
    img_input = _shell.image_input(input_shape, input_tensor, 299, 75, include_top, weights)
    axis = _shell.channel_axis()

    x = _conv_bn(img_input, 32, 3, strides=2, padding="valid")
    x = _conv_bn(x, 32, 3, padding="valid")
    x = _conv_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _conv_bn(x, 80, 1, padding="valid")
    x = _conv_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    b0 = _conv_bn(x, 96, 1)
    b1 = _conv_bn(_conv_bn(x, 48, 1), 64, 5)
    b2 = _conv_bn(_conv_bn(_conv_bn(x, 64, 1), 96, 3), 96, 3)
    bp = _conv_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=axis, name="mixed_5b")([b0, b1, b2, bp])
    for i in range(1, 11):
        x = _block(x, 0.17, "block35", i)

    b0 = _conv_bn(x, 384, 3, strides=2, padding="valid")
    b1 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid")
    bp = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=axis, name="mixed_6a")([b0, b1, bp])
    for i in range(1, 21):
        x = _block(x, 0.1, "block17", i)

    b0 = _conv_bn(_conv_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    b1 = _conv_bn(_conv_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    b2 = _conv_bn(_conv_bn(_conv_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid")
    bp = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    x = layers.Concatenate(axis=axis, name="mixed_7a")([b0, b1, b2, bp])
    for i in range(1, 10):
        x = _block(x, 0.2, "block8", i)
    x = _block(x, 1.0, "block8", 10, activation=None)
    x = _conv_bn(x, 1536, 1, name="conv_7b")

    x = _shell.classifier(x, include_top, pooling, classes, classifier_activation, weights)
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top, _FILES)


def _conv_bn(x, filters, kernel_size, strides=1, padding="same", activation="relu",
             use_bias=False, name=None):
    """Keras's ``conv2d_bn``: Conv2D, BatchNormalization (scale=False) without a bias,
    then the activation; named ``name``, ``name_bn``, ``name_ac``."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding,
                      use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=_shell.channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


_BRANCHES = {  # Keras's residual branches: each a list of (filters, kernel size)
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, (1, 7)), (192, (7, 1))]],
    "block8": [[(192, 1)], [(192, 1), (224, (1, 3)), (256, (3, 1))]],
}


def _block(x, scale, block_type, block_idx, activation="relu"):
    """Keras's ``inception_resnet_block``: the branches, concatenated, a 1x1 conv back to the
    input's channels, and ``x + scale * r``."""
    branches = []
    for spec in _BRANCHES[block_type]:
        b = x
        for filters, kernel in spec:
            b = _conv_bn(b, filters, kernel)
        branches.append(b)
    block_name = f"{block_type}_{block_idx}"
    axis = _shell.channel_axis()
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = _conv_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True,
                  name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


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
