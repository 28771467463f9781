"""VGG19 (``keras.applications.vgg19``): Simonyan and Zisserman, "Very Deep Convolutional
Networks for Large-Scale Image Recognition" (ICLR 2015), with Keras's layer names and
weight files.

Example:
    >>> import jnet
    >>> model = jnet.applications.VGG19(weights=None, include_top=False,
    ...                                 input_shape=(32, 32, 3))  # doctest: +SKIP
    >>> model.output_shape, model.get_layer("block5_conv4").filters  # doctest: +SKIP
    ((None, 1, 1, 512), 512)
"""

from __future__ import annotations

from typing import Any

from jnet.applications import imagenet_utils
from jnet.applications._vgg import vgg
from jnet.applications._weights import WeightsFile
from jnet.models.model import Model

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
WEIGHTS = (
    WeightsFile(
        "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
        _BASE + "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
        "cbe5617147190e668d6c5d5026f83318",
    ),
    WeightsFile(
        "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        _BASE + "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "253f8cb515780f3b799900260a226db6",
    ),
)


def VGG19(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "vgg19",
) -> Model:
    """Instantiates the VGG19 model (``keras.applications.VGG19``).

    Args:
        include_top: whether to include the 3 fully-connected layers at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) to use as the
            image input.
        input_shape: optional shape tuple, only with ``include_top=False`` (otherwise it
            must be ``(224, 224, 3)``); 3 channels, height and width at least 32.
        pooling: with ``include_top=False``: None (the 4D output of the last block),
            ``'avg'`` or ``'max'`` (global pooling to a 2D output).
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        name: the model's name.

    Returns:
        A functional ``Model``.

    Example:
        >>> m = VGG19(weights=None, input_shape=(32, 32, 3), include_top=False,
        ...           pooling="avg")  # doctest: +SKIP
        >>> m.output_shape  # doctest: +SKIP
        (None, 512)
    """
    return vgg(
        (2, 2, 4, 4, 4), WEIGHTS, include_top, weights, input_tensor, input_shape, pooling,
        classes, classifier_activation, name,
    )


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """VGG19's preprocessing: ``imagenet_utils.preprocess_input`` in ``'caffe'`` mode (RGB to
    BGR, then each channel zero-centred by ImageNet's mean, no scaling).

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.zeros((1, 1, 3), "float32"))[0, 0]
        array([-103.939, -116.779, -123.68 ], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
