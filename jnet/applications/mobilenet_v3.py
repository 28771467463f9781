"""MobileNetV3 (``keras.applications.mobilenet_v3``): Howard et al., "Searching for
MobileNetV3" (ICCV 2019). MobileNetV3Small and MobileNetV3Large, with ``alpha``,
``minimalistic`` (no squeeze-and-excite, hard-swish or 5x5 convolutions) and
``include_preprocessing`` (a ``Rescaling`` layer taking [0, 255] pixels to [-1, 1], so
:func:`preprocess_input` passes its input through), with Keras's layer names and weight files.

Example:
    >>> import jnet
    >>> model = jnet.applications.MobileNetV3Small(weights=None,
    ...                                            include_top=False,  # doctest: +SKIP
    ...                                            input_shape=(32, 32, 3), alpha=0.75)
    >>> model.layers[1].name, model.output_shape  # doctest: +SKIP
    ('rescaling', (None, 1, 1, 432))
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from jnet import backend, config, errors, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = ["MobileNetV3Large", "MobileNetV3Small", "decode_predictions", "preprocess_input"]

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
#: Keras's checksums of ``weights_mobilenet_v3_<model>.h5`` and ``..._no_top_v2.h5``.
WEIGHTS_HASHES = {
    "large_224_0.75_float": (
        "765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": (
        "59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": (
        "675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": (
        "cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": (
        "8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": (
        "99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}


def relu(x: Any) -> Any:
    return layers.ReLU()(x)


def hard_sigmoid(x: Any) -> Any:
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def hard_swish(x: Any) -> Any:
    return layers.Activation("hard_swish")(x)


def _depth(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _input_shape(input_shape: Any, input_tensor: Any) -> tuple:
    """Keras's checks of ``input_tensor`` against ``input_shape``, and the shape taken from
    ``input_tensor`` when ``input_shape`` is None."""
    first = config.image_data_format() == "channels_first"
    if input_tensor is not None and not backend.is_keras_tensor(input_tensor):
        raise errors.JnetValueError(
            f"input_tensor specified: {input_tensor} is not a keras tensor"
        )
    if input_shape is not None and input_tensor is not None:
        if first and input_tensor.shape[1] != input_shape[1]:
            raise errors.JnetValueError(
                "When backend.image_data_format()=channels_first, input_shape[1] must equal "
                f"input_tensor.shape[1].  Received input_shape={input_shape}, "
                f"input_tensor.shape={input_tensor.shape}"
            )
        if not first and input_tensor.shape[2] != input_shape[1]:
            raise errors.JnetValueError(
                "input_shape[1] must equal input_tensor.shape[2].  Received "
                f"input_shape={input_shape}, input_tensor.shape={input_tensor.shape}"
            )
    if input_shape is None and input_tensor is not None:
        if first:
            rows, cols = input_tensor.shape[2], input_tensor.shape[3]
            input_shape = (3, cols, rows)
        else:
            rows, cols = input_tensor.shape[1], input_tensor.shape[2]
            input_shape = (cols, rows, 3)
    if input_shape is None:
        input_shape = (3, None, None) if first else (None, None, 3)
    return tuple(input_shape)


def MobileNetV3(  # noqa: N802 - Keras's name
    stack_fn: Callable[..., Any],
    last_point_ch: int,
    input_shape: Any = None,
    alpha: float = 1.0,
    model_type: str = "large",
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str | None = None,
) -> Model:
    """The MobileNetV3 builder of :func:`MobileNetV3Small` and :func:`MobileNetV3Large`
    (Keras's ``mobilenet_v3.MobileNetV3``)."""
    _weights.check_arguments(weights, include_top, classes)
    input_shape = _input_shape(input_shape, input_tensor)
    first = config.image_data_format() == "channels_first"
    rows, cols = (input_shape[1], input_shape[2]) if first else input_shape[:2]
    if rows and cols and (rows < 32 or cols < 32):
        raise errors.JnetValueError(
            f"Input size must be at least 32x32; Received `input_shape={input_shape}`"
        )
    if weights == "imagenet":
        if (not minimalistic and alpha not in (0.75, 1.0)) or (minimalistic and alpha != 1.0):
            raise errors.JnetValueError(
                "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for "
                f"non minimalistic or `1.0` for minimalistic only. Received alpha={alpha}"
            )
        if rows != cols or rows != 224:
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not 224. Weights for "
                "input shape (224, 224) will be loaded as the default.",
                stacklevel=3,
            )
    img_input = _weights.image_input(input_tensor, input_shape)
    channel_axis = 1 if first else -1
    if minimalistic:
        kernel, activation, se_ratio = 3, relu, None
    else:
        kernel, activation, se_ratio = 5, hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv"
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name="conv_bn"
    )(x)
    x = activation(x)
    x = stack_fn(x, kernel, activation, se_ratio)
    last_conv_ch = _depth(x.shape[channel_axis] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(
        last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="conv_1"
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name="conv_1_bn"
    )(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(
            last_point_ch, kernel_size=1, padding="same", use_bias=True, name="conv_2"
        )(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    files = (None, None)
    if weights == "imagenet":
        key = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
        top, notop = f"weights_mobilenet_v3_{key}.h5", f"weights_mobilenet_v3_{key}_no_top_v2.h5"
        files = (
            _weights.WeightsFile(top, BASE_WEIGHT_PATH + top, WEIGHTS_HASHES[key][0]),
            _weights.WeightsFile(notop, BASE_WEIGHT_PATH + notop, WEIGHTS_HASHES[key][1]),
        )
    _weights.load_weights(model, weights, include_top, *files)
    return model


def _se_block(inputs: Any, filters: int, se_ratio: float, prefix: str) -> Any:
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs
    )
    x = layers.Conv2D(
        _depth(filters * se_ratio), kernel_size=1, padding="same",
        name=f"{prefix}squeeze_excite_conv",
    )(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1"
    )(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, x])


def _inverted_res_block(
    x: Any,
    expansion: float,
    filters: int,
    kernel_size: int,
    stride: int,
    se_ratio: float | None,
    activation: Callable[[Any], Any],
    block_id: int,
) -> Any:
    channel_axis = 1 if config.image_data_format() == "channels_first" else -1
    shortcut = x
    prefix = "expanded_conv_"
    infilters = x.shape[channel_axis]
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(
            _depth(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
            name=f"{prefix}expand",
        )(x)
        x = layers.BatchNormalization(
            axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_bn"
        )(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{prefix}depthwise_pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
        use_bias=False, name=f"{prefix}depthwise",
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_bn"
    )(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project"
    )(x)
    x = layers.BatchNormalization(
        axis=channel_axis, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_bn"
    )(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


_SMALL = [  # (expansion, filters, kernel or None for `kernel`, stride, se?, activation?)
    (1, 16, 3, 2, True, False), (72.0 / 16, 24, 3, 2, False, False),
    (88.0 / 24, 24, 3, 1, False, False), (4, 40, None, 2, True, True),
    (6, 40, None, 1, True, True), (6, 40, None, 1, True, True), (3, 48, None, 1, True, True),
    (3, 48, None, 1, True, True), (6, 96, None, 2, True, True), (6, 96, None, 1, True, True),
    (6, 96, None, 1, True, True),
]
_LARGE = [
    (1, 16, 3, 1, False, False), (4, 24, 3, 2, False, False), (3, 24, 3, 1, False, False),
    (3, 40, None, 2, True, False), (3, 40, None, 1, True, False),
    (3, 40, None, 1, True, False), (6, 80, 3, 2, False, True), (2.5, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True), (2.3, 80, 3, 1, False, True), (6, 112, 3, 1, True, True),
    (6, 112, 3, 1, True, True), (6, 160, None, 2, True, True), (6, 160, None, 1, True, True),
    (6, 160, None, 1, True, True),
]


def _stack(plan: list[tuple], alpha: float) -> Callable[..., Any]:
    """Keras's ``stack_fn``: the inverted residual blocks of ``plan``; a block with no own
    kernel size takes the model's (5, or 3 when minimalistic), an ``se`` block the model's
    squeeze-and-excite ratio, an ``activation`` block the model's activation (else ReLU)."""

    def stack_fn(x: Any, kernel: int, activation: Any, se_ratio: float | None) -> Any:
        for block_id, (expansion, filters, size, stride, se, act) in enumerate(plan):
            x = _inverted_res_block(
                x, expansion, _depth(filters * alpha), size or kernel, stride,
                se_ratio if se else None, activation if act else relu, block_id,
            )
        return x

    return stack_fn


_ARGS_DOC = """
    Args:
        input_shape: optional shape tuple (default: from ``input_tensor``, else
            ``(None, None, 3)``); height and width at least 32.
        alpha: the width multiplier (ImageNet weights: 0.75 or 1.0, 1.0 when minimalistic).
        minimalistic: no squeeze-and-excite units, hard-swish or 5x5 convolutions.
        include_top: whether to include the classifier at the top.
        weights: None (random initialization), ``'imagenet'`` (Keras's pretrained file,
            fetched into ``~/.keras/models``), or the path of a weights file to load.
        input_tensor: optional ``jnet.Input`` (or a layer's output on one) as the input.
        classes: number of classes, only with ``include_top=True`` and no ``weights``.
        pooling: with ``include_top=False``: None (4D output), ``'avg'`` or ``'max'``.
        dropout_rate: dropout rate before the last layer.
        classifier_activation: activation of the top layer (None for logits); only None or
            ``'softmax'`` with pretrained weights.
        include_preprocessing: start with a ``Rescaling`` layer taking [0, 255] pixels to
            [-1, 1].
        name: the model's name.

    Returns:
        A functional ``Model``.
"""


def MobileNetV3Small(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Small",
) -> Model:
    """Instantiates the MobileNetV3Small architecture (``keras.applications.
    MobileNetV3Small``).
    {args}
    Example:
        >>> m = MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=3,  # doctest: +SKIP
        ...                      minimalistic=True)
        >>> m.output_shape  # doctest: +SKIP
        (None, 3)
    """
    return MobileNetV3(
        _stack(_SMALL, alpha), 1024, input_shape, alpha, "small", minimalistic, include_top,
        weights, input_tensor, classes, pooling, dropout_rate, classifier_activation,
        include_preprocessing, name=name,
    )


def MobileNetV3Large(  # noqa: N802 - Keras's name
    input_shape: Any = None,
    alpha: float = 1.0,
    minimalistic: bool = False,
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    classes: int = 1000,
    pooling: str | None = None,
    dropout_rate: float = 0.2,
    classifier_activation: Any = "softmax",
    include_preprocessing: bool = True,
    name: str = "MobileNetV3Large",
) -> Model:
    """Instantiates the MobileNetV3Large architecture (``keras.applications.
    MobileNetV3Large``).
    {args}"""
    return MobileNetV3(
        _stack(_LARGE, alpha), 1280, input_shape, alpha, "large", minimalistic, include_top,
        weights, input_tensor, classes, pooling, dropout_rate, classifier_activation,
        include_preprocessing, name=name,
    )


for _fn in (MobileNetV3Small, MobileNetV3Large):
    _fn.__doc__ = _fn.__doc__.replace("{args}", _ARGS_DOC)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """A pass-through, as Keras's: MobileNetV3 models rescale their input themselves
    (``include_preprocessing=True``).

    Example:
        >>> preprocess_input(255.0)
        255.0
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
