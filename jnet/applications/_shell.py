"""The frame around each architecture of part B: input, classifier head, model, weights.

Keras's application functions share a frame: check ``weights``/``classes``, settle the input
shape (``obtain_input_shape``), make the input (or take ``input_tensor``), build the layers,
add the classifier (``include_top``) or the pooling, make the model from the input's sources
and load the weights. The checks and the loading are :mod:`jnet.applications._weights`'s;
this module strings them together so each architecture only builds its layers between
:func:`image_input` and :func:`finish`.

Example:
    >>> from jnet.applications import _shell
    >>> x = _shell.image_input(None, None, default_size=32, min_size=32, include_top=False,
    ...                        weights=None)
    >>> x.shape
    (None, None, None, 3)
"""

from __future__ import annotations

from typing import Any

from jnet import config, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models import Functional
from jnet.symbolic import KerasTensor

__all__ = ["channel_axis", "check_arguments", "classifier", "finish", "image_input",
           "validate_activation"]

check_arguments = _weights.check_arguments
validate_activation = imagenet_utils.validate_activation


def channel_axis() -> int:
    """3 for channels_last images (Keras's default), 1 for channels_first."""
    return 1 if config.image_data_format() == "channels_first" else 3


def image_input(
    input_shape: Any,
    input_tensor: Any,
    default_size: int,
    min_size: int,
    include_top: bool,
    weights: Any,
) -> KerasTensor:
    """The model's input tensor: ``input_tensor`` when given, else ``Input`` of the shape
    Keras's ``obtain_input_shape`` settles on (its checks run in both cases)."""
    shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=min_size,
        data_format=config.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    return _weights.image_input(input_tensor, shape)


def classifier(
    x: KerasTensor,
    include_top: bool,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    weights: Any,
) -> KerasTensor:
    """Keras's usual head: ``avg_pool`` + Dense ``predictions`` with ``include_top``, else
    the optional global pooling (``'avg'`` or ``'max'``)."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    return x


def finish(
    img_input: KerasTensor,
    input_tensor: Any,
    x: KerasTensor,
    name: str,
    weights: Any,
    include_top: bool,
    files: dict[bool, tuple[str, str, str]] | None,
) -> Functional:
    """The model from the input's sources to ``x``, with its weights loaded: ``files`` maps
    ``include_top`` to Keras's ``(file name, origin, md5)`` of the ImageNet weights."""
    model = Functional(_weights.model_inputs(input_tensor, img_input), x, name=name)
    files = files or {}
    top, notop = (
        _weights.WeightsFile(*files[k]) if k in files else None for k in (True, False)
    )
    _weights.load_weights(model, weights, include_top, top, notop)
    return model
