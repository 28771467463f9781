"""DenseNet (``keras.applications.densenet``): Huang et al., "Densely Connected
Convolutional Networks" (CVPR 2017). DenseNet121, DenseNet169 and DenseNet201 with Keras's
layer names (``conv1_conv``, ``conv2_block1_concat``, ``pool2_conv``, ``bn``, ``relu``,
``predictions``) and weight files; preprocessing in ``'torch'`` mode. Channels-last only, as
Keras.

Example:
    >>> import jnet
    >>> model = jnet.applications.DenseNet121(weights=None, include_top=False,  # doctest: +SKIP
    ...                                       input_shape=(32, 32, 3), pooling="avg")
    >>> model.output_shape, model.layers[-2].name  # doctest: +SKIP
    ((None, 1024), 'relu')
"""

from __future__ import annotations

from typing import Any

from jnet import config, errors, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = [
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "decode_predictions",
    "preprocess_input",
]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
#: blocks -> Keras's (name, checksum with the top, checksum without).
_FILES = {
    (6, 12, 24, 16): (
        "densenet121", "9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    (6, 12, 32, 32): (
        "densenet169", "d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    (6, 12, 48, 32): (
        "densenet201", "1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}


def dense_block(x: Any, blocks: int, name: str) -> Any:
    """``blocks`` conv blocks, each concatenating 32 new channels."""
    for i in range(blocks):
        x = conv_block(x, 32, name=f"{name}_block{i + 1}")
    return x


def transition_block(x: Any, reduction: float, name: str) -> Any:
    """Batch norm, ReLU, a 1x1 convolution to ``reduction`` of the channels, 2x2 average
    pooling."""
    bn_axis = 3 if config.image_data_format() == "channels_last" else 1
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(
        int(x.shape[bn_axis] * reduction), 1, use_bias=False, name=f"{name}_conv"
    )(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def conv_block(x: Any, growth_rate: int, name: str) -> Any:
    """A DenseNet building block: BN-ReLU-1x1 conv, BN-ReLU-3x3 conv of ``growth_rate``
    channels, concatenated to the input."""
    bn_axis = 3 if config.image_data_format() == "channels_last" else 1
    x1 = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_0_bn")(x)
    x1 = layers.Activation("relu", name=f"{name}_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_1_bn")(x1)
    x1 = layers.Activation("relu", name=f"{name}_1_relu")(x1)
    x1 = layers.Conv2D(
        growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv"
    )(x1)
    return layers.Concatenate(axis=bn_axis, name=f"{name}_concat")([x, x1])


def DenseNet(  # noqa: N802 - Keras's name
    blocks: Any,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet",
) -> Model:
    """Instantiates a DenseNet with ``blocks`` conv blocks in its four dense blocks (Keras's
    ``densenet.DenseNet``); the other arguments as :func:`DenseNet121`."""
    if config.image_data_format() == "channels_first":
        raise errors.JnetValueError(
            "DenseNet does not support the `channels_first` image data format. Switch to "
            "`channels_last`: jnet.config.set_image_data_format('channels_last')."
        )
    _weights.check_arguments(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=config.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = _weights.image_input(input_tensor, input_shape)
    bn_axis = 3
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i, n in enumerate(blocks):
        x = dense_block(x, n, name=f"conv{i + 2}")
        if i < 3:
            x = transition_block(x, 0.5, name=f"pool{i + 2}")
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    files: tuple = (None, None)
    if weights == "imagenet":
        if tuple(blocks) not in _FILES:
            raise errors.JnetValueError("weights_path undefined")
        stem, top_hash, notop_hash = _FILES[tuple(blocks)]
        top = f"{stem}_weights_tf_dim_ordering_tf_kernels.h5"
        notop = f"{stem}_weights_tf_dim_ordering_tf_kernels_notop.h5"
        files = (
            _weights.WeightsFile(top, BASE_WEIGHTS_PATH + top, top_hash),
            _weights.WeightsFile(notop, BASE_WEIGHTS_PATH + notop, notop_hash),
        )
    _weights.load_weights(model, weights, include_top, *files)
    return model


_ARGS_DOC = """
    Args:
        include_top: whether to include the fully-connected layer at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) as the input.
        input_shape: optional shape tuple, only with ``include_top=False`` (otherwise
            ``(224, 224, 3)``); 3 channels, height and width at least 32.
        pooling: with ``include_top=False``: None (4D output), ``'avg'`` or ``'max'``.
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        name: the model's name.

    Returns:
        A functional ``Model``.
"""


def DenseNet121(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet121",
) -> Model:
    """Instantiates the DenseNet121 architecture (``keras.applications.DenseNet121``).
    {args}
    Example:
        >>> m = DenseNet121(weights=None, input_shape=(32, 32, 3), classes=10)  # doctest: +SKIP
        >>> m.output_shape  # doctest: +SKIP
        (None, 10)
    """
    return DenseNet(
        [6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name=name,
    )


def DenseNet169(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet169",
) -> Model:
    """Instantiates the DenseNet169 architecture (``keras.applications.DenseNet169``).
    {args}"""
    return DenseNet(
        [6, 12, 32, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name=name,
    )


def DenseNet201(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "densenet201",
) -> Model:
    """Instantiates the DenseNet201 architecture (``keras.applications.DenseNet201``).
    {args}"""
    return DenseNet(
        [6, 12, 48, 32], include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name=name,
    )


for _fn in (DenseNet121, DenseNet169, DenseNet201):
    _fn.__doc__ = _fn.__doc__.replace("{args}", _ARGS_DOC)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """DenseNet's preprocessing: ``imagenet_utils.preprocess_input`` in ``'torch'`` mode
    (scaled to [0, 1], then normalised by ImageNet's channel mean and standard deviation).

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.zeros((1, 1, 3), "float32"))[0, 0].round(4)
        array([-2.1179, -2.0357, -1.8044], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
