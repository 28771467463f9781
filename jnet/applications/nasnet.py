"""NASNetMobile and NASNetLarge (``keras.applications.nasnet``) with Keras's layer names.

The cells are Keras's NASNet-A normal and reduction cells (``normal_concat_0``,
``reduction_concat_reduce_4``, ``separable_conv_1_normal_left1_0``, ...), built in Keras's
order so Keras's weight files load by name or by order.

Example (building the 770 layers takes a while, so doctests skip it):
    >>> from jnet.applications import nasnet
    >>> model = nasnet.NASNetMobile(weights=None, input_shape=(32, 32, 3),
    ...                             classes=4)  # doctest: +SKIP
    >>> model.get_layer("normal_concat_12").output.shape  # doctest: +SKIP
    (None, 1, 1, 1056)
"""

from __future__ import annotations

from typing import Any

from jnet import config, errors, layers
from jnet.applications import _shell, imagenet_utils

__all__ = ["NASNet", "NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
#: Keras's ImageNet files by default size (224: mobile, 331: large), with the top or not.
_FILES = {
    224: {True: ("nasnet_mobile.h5", _BASE + "NASNet-mobile.h5",
                 "020fb642bf7360b370c678b08e0adf61"),
          False: ("nasnet_mobile_no_top.h5", _BASE + "NASNet-mobile-no-top.h5",
                  "1ed92395b5b598bdda52abe5c0dbfd63")},
    331: {True: ("nasnet_large.h5", _BASE + "NASNet-large.h5",
                 "11577c9a518f0070763c2b964a382f17"),
          False: ("nasnet_large_no_top.h5", _BASE + "NASNet-large-no-top.h5",
                  "d81d89dc07e6e56530c4e77faddd61b5")},
}
_BN = {"axis": -1, "momentum": 0.9997, "epsilon": 1e-3}


def NASNet(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    penultimate_filters: int = 4032,
    num_blocks: int = 6,
    stem_block_filters: int = 96,
    skip_reduction: bool = True,
    filter_multiplier: int = 2,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    default_size: int | None = None,
    classifier_activation: Any = "softmax",
    name: str = "NASNet",
):
    """Instantiates a NASNet-A model (Zoph et al., CVPR 2018) of the given size.

    Args:
        input_shape: optional ``(height, width, channels)``, at least 32x32.
        penultimate_filters: filters of the last cells (a multiple of
            ``24 * filter_multiplier ** 2``).
        num_blocks: normal cells between reductions.
        stem_block_filters: filters of the stem convolution.
        skip_reduction: whether the cells after a reduction skip its output as ``p``.
        filter_multiplier: growth of the filters at each reduction.
        include_top: whether to include the classifier (global average pooling and Dense
            ``predictions``).
        weights: ``None``, ``'imagenet'`` (default sizes 224 and 331 only) or a path.
        input_tensor: optional symbolic tensor to use as the image input.
        pooling: ``None``, ``'avg'`` or ``'max'`` when ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        default_size: the default input size (331 when None).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.
    """
    if config.image_data_format() == "channels_first":
        raise errors.JnetValueError(
            "NASNet does not support the `channels_first` image data format. Switch to "
            "`channels_last` (jnet.config.set_image_data_format('channels_last'))."
        )
    _shell.check_arguments(weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise errors.JnetValueError(
            "When specifying the input shape of a NASNet and loading `ImageNet` weights, the "
            f"input_shape argument must be static (no None entries). Got: "
            f"`input_shape={input_shape}`."
        )
    if default_size is None:
        default_size = 331
    img_input = _shell.image_input(input_shape, input_tensor, default_size, 32, include_top,
                                   weights)
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise errors.JnetValueError(
            "For NASNet-A models, the `penultimate_filters` must be a multiple of 24 * "
            f"(`filter_multiplier` ** 2). Current value: {penultimate_filters}"
        )
    if weights == "imagenet" and default_size not in _FILES:
        raise errors.JnetValueError(
            "ImageNet weights can only be loaded with NASNetLarge or NASNetMobile"
        )
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid",
                      use_bias=False, name="stem_conv1", kernel_initializer="he_normal")(
        img_input)
    x = layers.BatchNormalization(**_BN, name="stem_bn1")(x)
    p = None
    x, p = _reduction_cell(x, p, filters // (filter_multiplier**2), "stem_1")
    x, p = _reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    for stage in range(3):
        if stage:
            x, p0 = _reduction_cell(x, p, filters * filter_multiplier**stage,
                                    f"reduce_{stage * num_blocks}")
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block_id = f"{stage * num_blocks + i + 1}" if stage else f"{i}"
            x, p = _normal_cell(x, p, filters * filter_multiplier**stage, block_id)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        _shell.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top,
                         _FILES.get(default_size))


def NASNetMobile(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "nasnet_mobile",
):
    """Instantiates NASNet-A Mobile (4 @ 1056, default input 224x224).

    Args:
        input_shape: optional ``(height, width, channels)``, at least 32x32; default
            ``(224, 224, 3)`` (also without the top, as Keras).
        include_top: whether to include the classifier.
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        pooling: ``None``, ``'avg'`` or ``'max'`` when ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = NASNetMobile(weights=None, input_shape=(32, 32, 3))  # doctest: +SKIP
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, penultimate_filters=1056, num_blocks=4, stem_block_filters=32,
                  skip_reduction=False, filter_multiplier=2, include_top=include_top,
                  weights=weights, input_tensor=input_tensor, pooling=pooling, classes=classes,
                  default_size=224, classifier_activation=classifier_activation, name=name)


def NASNetLarge(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "nasnet_large",
):
    """Instantiates NASNet-A Large (6 @ 4032, default input 331x331).

    Args:
        input_shape: optional ``(height, width, channels)``, at least 32x32.
        include_top: whether to include the classifier.
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        pooling: ``None``, ``'avg'`` or ``'max'`` when ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the ``predictions`` layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = NASNetLarge(weights=None, input_shape=(32, 32, 3))  # doctest: +SKIP
    """
    return NASNet(input_shape, penultimate_filters=4032, num_blocks=6, stem_block_filters=96,
                  skip_reduction=True, filter_multiplier=2, include_top=include_top,
                  weights=weights, input_tensor=input_tensor, pooling=pooling, classes=classes,
                  default_size=331, classifier_activation=classifier_activation, name=name)


def _separable(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """Keras's ``_separable_conv_block``: two (ReLU, SeparableConv2D, BatchNormalization)."""
    x = layers.Activation("relu")(ip)
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"separable_conv_1_pad_{block_id}")(x)
        conv_pad = "valid"
    else:
        conv_pad = "same"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides,
                               name=f"separable_conv_1_{block_id}", padding=conv_pad,
                               use_bias=False)(x)
    x = layers.BatchNormalization(**_BN, name=f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}",
                               padding="same", use_bias=False)(x)
    return layers.BatchNormalization(**_BN, name=f"separable_conv_2_bn_{block_id}")(x)


def _adjust(p, ip, filters, block_id=None):
    """Keras's ``_adjust_block``: ``p`` brought to ``ip``'s size and ``filters`` channels."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                     name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False,
                           name=f"adjust_conv_1_{block_id}", kernel_initializer="he_normal")(p1)
        p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                     name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False,
                           name=f"adjust_conv_2_{block_id}", kernel_initializer="he_normal")(p2)
        p = layers.concatenate([p1, p2], axis=-1)
        return layers.BatchNormalization(**_BN, name=f"adjust_bn_{block_id}")(p)
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same",
                          name=f"adjust_conv_projection_{block_id}", use_bias=False,
                          kernel_initializer="he_normal")(p)
        return layers.BatchNormalization(**_BN, name=f"adjust_bn_{block_id}")(p)
    return p


def _squeeze(ip, filters, kind, block_id):
    """The cell's ReLU, 1x1 Conv2D and BatchNormalization of its input ``ip``."""
    h = layers.Activation("relu")(ip)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same",
                      name=f"{kind}_conv_1_{block_id}", use_bias=False,
                      kernel_initializer="he_normal")(h)
    return layers.BatchNormalization(**_BN, name=f"{kind}_bn_1_{block_id}")(h)


def _pool(kind, strides, padding, name):
    cls = layers.MaxPooling2D if kind == "max" else layers.AveragePooling2D
    return cls((3, 3), strides=strides, padding=padding, name=name)


def _normal_cell(ip, p, filters, block_id=None):
    """Keras's ``_normal_a_cell``: returns ``(cell output, ip)``."""
    p = _adjust(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "normal", block_id)
    x1 = layers.add([_separable(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"),
                     _separable(p, filters, block_id=f"normal_right1_{block_id}")],
                    name=f"normal_add_1_{block_id}")
    x2 = layers.add([_separable(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
                     _separable(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")],
                    name=f"normal_add_2_{block_id}")
    x3 = _pool("avg", (1, 1), "same", f"normal_left3_{block_id}")(h)
    x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
    x4 = layers.add([_pool("avg", (1, 1), "same", f"normal_left4_{block_id}")(p),
                     _pool("avg", (1, 1), "same", f"normal_right4_{block_id}")(p)],
                    name=f"normal_add_4_{block_id}")
    x5 = layers.add([_separable(h, filters, block_id=f"normal_left5_{block_id}"), h],
                    name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, ip


def _reduction_cell(ip, p, filters, block_id=None):
    """Keras's ``_reduction_a_cell``: returns ``(cell output, ip)``."""
    p = _adjust(p, ip, filters, block_id)
    h = _squeeze(ip, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(h, 3),
                              name=f"reduction_pad_1_{block_id}")(h)
    two = (2, 2)
    x1 = layers.add([
        _separable(h, filters, (5, 5), strides=two, block_id=f"reduction_left1_{block_id}"),
        _separable(p, filters, (7, 7), strides=two, block_id=f"reduction_right1_{block_id}"),
    ], name=f"reduction_add_1_{block_id}")
    x2 = layers.add([
        _pool("max", two, "valid", f"reduction_left2_{block_id}")(h3),
        _separable(p, filters, (7, 7), strides=two, block_id=f"reduction_right2_{block_id}"),
    ], name=f"reduction_add_2_{block_id}")
    x3 = layers.add([
        _pool("avg", two, "valid", f"reduction_left3_{block_id}")(h3),
        _separable(p, filters, (5, 5), strides=two, block_id=f"reduction_right3_{block_id}"),
    ], name=f"reduction_add3_{block_id}")
    x4 = _pool("avg", (1, 1), "same", f"reduction_left4_{block_id}")(x1)
    x4 = layers.add([x2, x4])
    x5 = layers.add([
        _separable(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}"),
        _pool("max", two, "valid", f"reduction_right5_{block_id}")(h3),
    ], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, ip


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


