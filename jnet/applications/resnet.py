"""ResNet (``keras.applications.resnet``): He et al., "Deep Residual Learning for Image
Recognition" (CVPR 2015). ResNet50, ResNet101 and ResNet152 with Keras's layer names
(``conv1_conv``, ``conv4_block6_out``, ``avg_pool``, ``predictions``) and weight files; the
shared builder :func:`ResNet` and the residual blocks also make ResNetV2
(:mod:`jnet.applications.resnet_v2`).

Example:
    >>> import jnet
    >>> model = jnet.applications.ResNet50(weights=None, include_top=False,  # doctest: +SKIP
    ...                                    input_shape=(32, 32, 3))
    >>> model.get_layer("conv4_block6_out").output.shape  # doctest: +SKIP
    (None, 2, 2, 1024)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jnet import config, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = [
    "ResNet",
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "decode_predictions",
    "preprocess_input",
    "residual_block_v1",
    "residual_block_v2",
    "stack_residual_blocks_v1",
    "stack_residual_blocks_v2",
]

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
#: Keras's checksums of its files ``<name>_weights_tf_dim_ordering_tf_kernels[_notop].h5``:
#: (with the top, without).
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}


def _files(weights_name: str | None) -> tuple[Any, Any]:
    if weights_name not in WEIGHTS_HASHES:
        return None, None
    out = []
    for suffix, file_hash in zip(("", "_notop"), WEIGHTS_HASHES[weights_name], strict=True):
        fname = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        out.append(_weights.WeightsFile(fname, BASE_WEIGHTS_PATH + fname, file_hash))
    return out[0], out[1]


def _bn_axis() -> int:
    return 3 if config.image_data_format() == "channels_last" else 1


def ResNet(  # noqa: N802 - Keras's name
    stack_fn: Callable[[Any], Any],
    preact: bool,
    use_bias: bool,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet",
    weights_name: str | None = None,
) -> Model:
    """Instantiates a ResNet or ResNetV2 (Keras's ``resnet.ResNet``).

    Args:
        stack_fn: a function from the stem's output to the residual stacks' output.
        preact: pre-activation (True for ResNetV2).
        use_bias: whether the stem's convolution has a bias.
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as :func:`ResNet50`.
        weights_name: the key of Keras's ImageNet files (``'resnet50'``, ...), if any.

    Returns:
        A functional ``Model``.
    """
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
    bn_axis = _bn_axis()
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    if weights == "imagenet" and weights_name not in WEIGHTS_HASHES:
        return model  # Keras leaves such a model (a custom ResNet) with random weights
    _weights.load_weights(model, weights, include_top, *_files(weights_name))
    return model


def residual_block_v1(
    x: Any,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = True,
    name: str | None = None,
) -> Any:
    """A ResNet (v1) bottleneck block: 1x1, ``kernel_size``, 1x1 (4 * ``filters``)
    convolutions with batch normalization, added to the shortcut, then ReLU."""
    bn_axis = _bn_axis()
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(
            axis=bn_axis, epsilon=1.001e-5, name=f"{name}_0_bn"
        )(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(
    x: Any, filters: int, blocks: int, stride1: int = 2, name: str | None = None
) -> Any:
    """``blocks`` v1 blocks, the first with a convolution shortcut and stride ``stride1``."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(
    x: Any,
    filters: int,
    kernel_size: int = 3,
    stride: int = 1,
    conv_shortcut: bool = False,
    name: str | None = None,
) -> Any:
    """A ResNetV2 (pre-activation) bottleneck block."""
    bn_axis = _bn_axis()
    preact = layers.BatchNormalization(
        axis=bn_axis, epsilon=1.001e-5, name=f"{name}_preact_bn"
    )(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(
        filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv"
    )(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(
    x: Any, filters: int, blocks: int, stride1: int = 2, name: str | None = None
) -> Any:
    """``blocks`` v2 blocks, the first with a convolution shortcut, the last with stride
    ``stride1``."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _v1_stacks(blocks: tuple[int, int, int, int]) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = stack_residual_blocks_v1(x, 64, blocks[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, blocks[3], name="conv5")

    return stack_fn


_ARGS_DOC = """
    Args:
        include_top: whether to include the fully-connected layer at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) to use as the
            image input.
        input_shape: optional shape tuple, only with ``include_top=False`` (otherwise
            ``(224, 224, 3)``); 3 channels, height and width at least 32.
        pooling: with ``include_top=False``: None (the 4D output of the last block),
            ``'avg'`` or ``'max'`` (global pooling to a 2D output).
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        name: the model's name.

    Returns:
        A functional ``Model``.
"""


def ResNet50(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50",
) -> Model:
    """Instantiates the ResNet50 architecture (``keras.applications.ResNet50``).
    {args}
    Example:
        >>> m = ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3),
        ...              pooling="max")  # doctest: +SKIP
        >>> m.output_shape, m.layers[-1].name  # doctest: +SKIP
        ((None, 2048), 'max_pool')
    """
    return ResNet(
        _v1_stacks((3, 4, 6, 3)), False, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet50",
    )


def ResNet101(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101",
) -> Model:
    """Instantiates the ResNet101 architecture (``keras.applications.ResNet101``).
    {args}"""
    return ResNet(
        _v1_stacks((3, 4, 23, 3)), False, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet101",
    )


def ResNet152(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152",
) -> Model:
    """Instantiates the ResNet152 architecture (``keras.applications.ResNet152``).
    {args}"""
    return ResNet(
        _v1_stacks((3, 8, 36, 3)), False, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet152",
    )


for _fn in (ResNet50, ResNet101, ResNet152):
    _fn.__doc__ = _fn.__doc__.replace("{args}", _ARGS_DOC)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """ResNet's preprocessing: ``imagenet_utils.preprocess_input`` in ``'caffe'`` mode (RGB
    to BGR, then each channel zero-centred by ImageNet's mean, no scaling).

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.zeros((1, 1, 3), "float32"))[0, 0]
        array([-103.939, -116.779, -123.68 ], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
