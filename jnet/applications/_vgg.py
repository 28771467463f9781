"""The VGG network of ``vgg16`` and ``vgg19``: blocks of 3x3 convolutions and max pooling,
then (with the top) two 4096-unit dense layers and the classifier; Keras's layer names
(``block1_conv1`` ... ``block5_pool``, ``flatten``, ``fc1``, ``fc2``, ``predictions``)."""

from __future__ import annotations

from typing import Any

from jnet import config, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models.model import Model

__all__ = ["vgg"]


def vgg(
    convs_per_block: tuple[int, ...],
    files: tuple[_weights.WeightsFile, _weights.WeightsFile],
    include_top: bool,
    weights: Any,
    input_tensor: Any,
    input_shape: Any,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    name: str,
) -> Model:
    """Builds VGG with ``convs_per_block[i]`` convolutions in block ``i + 1`` (VGG16:
    2, 2, 3, 3, 3; VGG19: 2, 2, 4, 4, 4) and gives it its weights (``files``: Keras's
    ImageNet files with and without the top)."""
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
    x = img_input
    for block, (convs, filters) in enumerate(
        zip(convs_per_block, (64, 128, 256, 512, 512), strict=True), start=1
    ):
        for i in range(1, convs + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same",
                name=f"block{block}_conv{i}",
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    model = Model(_weights.model_inputs(input_tensor, img_input), x, name=name)
    _weights.load_weights(model, weights, include_top, *files)
    return model
