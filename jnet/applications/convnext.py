"""ConvNeXt Tiny/Small/Base/Large/XLarge (``keras.applications.convnext``), Keras's names.

As in Keras, the models take pixels in [0, 255] and normalize them (``Normalization`` with
ImageNet's mean and variance, ``include_preprocessing``); the stem and the three downsampling
blocks are nested ``Sequential`` models (``convnext_tiny_stem``,
``convnext_tiny_downsampling_block_0`` ...), and each block ends in Keras's ``LayerScale`` and
``StochasticDepth`` layers (defined here, with Keras's class names, so Keras's weight files
load into them).

Example (building the model takes seconds, so doctests skip it):
    >>> from jnet.applications import convnext
    >>> model = convnext.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3),
    ...                               classes=4)  # doctest: +SKIP
    >>> model.get_layer("convnext_tiny_head_dense").output.shape  # doctest: +SKIP
    (None, 4)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import config, errors, initializers, layers
from jnet.applications import _shell, imagenet_utils
from jnet.layers.base import Layer, WeightPath
from jnet.models import Sequential

__all__ = [
    "ConvNeXt", "ConvNeXtBase", "ConvNeXtLarge", "ConvNeXtSmall", "ConvNeXtTiny",
    "ConvNeXtXLarge", "LayerScale", "StochasticDepth", "decode_predictions",
    "preprocess_input",
]

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
#: Keras's sha256 of each ImageNet file: (with the top, without).
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768]},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768]},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024]},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536]},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048]},
}
for _config in MODEL_CONFIGS.values():
    _config["default_size"] = 224


class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability ``drop_path_rate`` in
    training (scaling the kept ones by ``1 / (1 - rate)``); the identity in inference.

    Args:
        drop_path_rate: probability of dropping a sample's branch, in [0, 1].

    Example:
        >>> import jax.numpy as jnp
        >>> StochasticDepth(0.5).apply({}, jnp.ones((2, 3)))
        Array([[1., 1., 1.],
               [1., 1., 1.]], dtype=float32)
    """

    drop_path_rate: float = 0.0

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: the base fields and ``drop_path_rate``."""
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}

    def __call__(self, x, training: bool = False):
        if not training:
            return x
        keep_prob = 1.0 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (x.ndim - 1)
        random = jax.random.uniform(self.make_rng("dropout"), shape, x.dtype)
        return (x / keep_prob) * jnp.floor(keep_prob + random)


class LayerScale(Layer):
    """Multiplies the inputs by a learned per-channel ``gamma`` (started at ``init_values``).

    Args:
        init_values: the starting value of every entry of ``gamma``.
        projection_dim: the number of channels (the size of ``gamma``).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = LayerScale(0.5, 3)
        >>> layer.apply(layer.init(jax.random.key(0), jnp.ones((1, 3))), jnp.ones((1, 3)))
        Array([[0.5, 0.5, 0.5]], dtype=float32)
    """

    init_values: float = 1e-6
    projection_dim: int = 1

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "gamma"),)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: the base fields, ``init_values`` and ``projection_dim``."""
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}

    @nn.compact
    def __call__(self, x, training: bool = False):
        gamma = self.param("gamma", initializers.Constant(self.init_values),
                           (self.projection_dim,), jnp.float32)
        return x * jnp.reshape(gamma, (1,) * (jnp.ndim(x) - 1) + (self.projection_dim,))


def _block(x, projection_dim, drop_path_rate, layer_scale_init_value, name):
    """Keras's ``ConvNeXtBlock``: depthwise 7x7, LayerNormalization, two Dense (GELU), layer
    scale, stochastic depth (or a linear ``identity``), and the residual sum."""
    inputs = x
    x = layers.Conv2D(projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                      name=f"{name}_depthwise_conv")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        last = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
    else:
        last = layers.Activation("linear", name=f"{name}_identity")
    return inputs + last(x)


def ConvNeXt(  # noqa: N802 - Keras's name
    depths: list[int],
    projection_dims: list[int],
    drop_path_rate: float = 0.0,
    layer_scale_init_value: float = 1e-6,
    default_size: int = 224,
    name: str = "convnext",
    include_preprocessing: bool = True,
    include_top: bool = True,
    weights: Any = None,
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    weights_name: str | None = None,
):
    """Instantiates a ConvNeXt architecture (Liu et al., CVPR 2022) of the given shape.

    Args:
        depths: the number of blocks of each of the four stages.
        projection_dims: the channels of each stage.
        drop_path_rate: the largest stochastic depth rate (it grows linearly over blocks).
        layer_scale_init_value: the starting ``LayerScale`` value (None: no layer scale).
        default_size: the default input image size.
        name: the model's name (the prefix of its layers' names).
        include_preprocessing: whether the model normalizes its inputs (pixels in [0, 255]).
        include_top: whether to include the classifier head (``<name>_head_gap``,
            ``<name>_head_layernorm``, ``<name>_head_dense``).
        weights: ``None``, ``'imagenet'`` or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``, at least 32x32.
        pooling: ``None``, ``'avg'`` or ``'max'`` when ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the head's Dense layer (``None`` for logits).
        weights_name: ``'convnext_tiny'`` ...: which ImageNet file ``'imagenet'`` loads.

    Returns:
        A functional ``jnet.Model``.
    """
    if config.image_data_format() == "channels_first":
        raise errors.JnetValueError(
            "ConvNeXt does not support the `channels_first` image data format. Switch to "
            "`channels_last` (jnet.config.set_image_data_format('channels_last'))."
        )
    _shell.check_arguments(weights, include_top, classes)
    if weights == "imagenet" and weights_name is not None:
        expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
        if (list(depths) != expected["depths"]
                or list(projection_dims) != expected["projection_dims"]):
            raise errors.JnetValueError(
                f"Architecture configuration does not match {weights_name} variant. When "
                f"using pre-trained weights, the model architecture must match the "
                f"pre-trained configuration exactly. Expected depths: {expected['depths']}, "
                f"got: {depths}. Expected projection_dims: {expected['projection_dims']}, "
                f"got: {projection_dims}."
            )
        if weights_name not in name:
            raise errors.JnetValueError(
                f'Model name "{name}" does not match weights variant "{weights_name}". '
                f"When using imagenet weights, model name must contain the weights variant "
                f'(e.g., "convnext_{weights_name.split("convnext_")[-1]}").'
            )
    img_input = _shell.image_input(input_shape, input_tensor, default_size, 32, include_top,
                                   weights)
    x = img_input
    if include_preprocessing and img_input.shape[-1] == 3:
        x = layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization",
        )(x)
    downsample = [Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
    ], name=f"{name}_stem")]
    for i in range(3):
        downsample.append(Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2,
                          name=f"{name}_downsampling_conv_{i}"),
        ], name=f"{name}_downsampling_block_{i}"))
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i in range(4):
        x = downsample[i](x)
        for j in range(depths[i]):
            x = _block(x, projection_dims[i], rates[cur + j], layer_scale_init_value,
                       f"{name}_stage_{i}_block_{j}")
        cur += depths[i]
    if include_top:
        _shell.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation,
                         name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    files = None
    if weights_name is not None:
        files = {
            top: (name + suffix, _BASE + name + suffix, WEIGHTS_HASHES[weights_name][k])
            for k, (top, suffix) in enumerate(((True, ".h5"), (False, "_notop.h5")))
        }
    return _shell.finish(img_input, input_tensor, x, name, weights, include_top, files)


_DOC = """Instantiates ConvNeXt{v} (``keras.applications.ConvNeXt{v}``).

    Args:
        include_top: whether to include the classifier head.
        include_preprocessing: whether the model normalizes its inputs (pixels in [0, 255]).
        weights: ``None`` (random initialization), ``'imagenet'`` (Keras's pretrained file,
            downloaded to the cache) or the path to a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: optional ``(height, width, channels)``, at least 32x32. Default
            ``(224, 224, 3)`` with ``include_top``.
        pooling: ``None``, ``'avg'`` or ``'max'``: global pooling of the features when
            ``include_top`` is False.
        classes: number of classes of the classifier (1000 with ImageNet weights).
        classifier_activation: activation of the head's Dense layer (``None`` for logits).
        name: the model's name.

    Returns:
        A functional ``jnet.Model``.

    Example:
        >>> model = ConvNeXt{v}(weights=None, include_top=False,
        ...                   input_shape=(32, 32, 3))  # doctest: +SKIP
    """


def _variant(size: str):
    cfg = MODEL_CONFIGS[size]
    weights_name = f"convnext_{size}"

    def build(include_top=True, include_preprocessing=True, weights="imagenet",
              input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", name=weights_name):
        return ConvNeXt(
            weights_name=weights_name, depths=cfg["depths"],
            projection_dims=cfg["projection_dims"], drop_path_rate=0.0,
            layer_scale_init_value=1e-6, default_size=cfg["default_size"], name=name,
            include_top=include_top, include_preprocessing=include_preprocessing,
            weights=weights, input_tensor=input_tensor, input_shape=input_shape,
            pooling=pooling, classes=classes, classifier_activation=classifier_activation,
        )

    label = "XLarge" if size == "xlarge" else size.capitalize()
    build.__name__ = build.__qualname__ = f"ConvNeXt{label}"
    build.__doc__ = _DOC.format(v=label)
    return build


ConvNeXtTiny = _variant("tiny")
ConvNeXtSmall = _variant("small")
ConvNeXtBase = _variant("base")
ConvNeXtLarge = _variant("large")
ConvNeXtXLarge = _variant("xlarge")


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns ``x`` unchanged: ConvNeXt models normalize their inputs themselves (Keras
    keeps this placeholder for compatibility).

    Args:
        x: images with pixels in [0, 255].
        data_format: ignored.

    Returns:
        ``x``.

    Example:
        >>> preprocess_input([0, 255])
        [0, 255]
    """
    return x


def decode_predictions(preds: Any, top: int = 5) -> list:
    """Keras's ImageNet decoding: ``[(class_id, name, score), ...]`` per sample (see
    :func:`jnet.applications.imagenet_utils.decode_predictions`)."""
    return imagenet_utils.decode_predictions(preds, top=top)
