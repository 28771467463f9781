"""What every Keras application does around its layers: the input, the head, the weights.

Keras's application functions share a frame: check ``weights``/``classes``, settle the input
shape (``obtain_input_shape``), make the input (or take ``input_tensor``), build the layers,
add the classifier (``include_top``) or the pooling, make the model from the input's sources,
and load the weights. Each architecture module here only builds its layers between
:func:`image_input` and :func:`finish`.

Example:
    >>> from jnet.applications import _shell
    >>> x = _shell.image_input(None, None, default_size=32, min_size=32, include_top=False,
    ...                        weights=None)
    >>> x.shape
    (None, None, None, 3)
"""

from __future__ import annotations

import os
from typing import Any

from jnet import activations, config, errors, layers
from jnet.applications import _weights, imagenet_utils
from jnet.models import Functional
from jnet.symbolic import KerasTensor, node_of

__all__ = ["channel_axis", "check_arguments", "classifier", "finish", "image_input"]


def check_arguments(weights: Any, include_top: bool, classes: int, owner: str) -> None:
    """Keras's checks of ``weights`` (None, 'imagenet' or an existing file) and ``classes``."""
    if not (weights in ("imagenet", None) or (isinstance(weights, str | os.PathLike)
                                              and os.path.exists(weights))):
        raise errors.JnetValueError(
            f"{owner}: The `weights` argument should be either `None` (random "
            f"initialization), `imagenet` (pre-training on ImageNet), or the path to the "
            f"weights file to be loaded; Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise errors.JnetValueError(
            f"{owner}: If using `weights=\"imagenet\"` with `include_top=True`, `classes` "
            f"should be 1000. Received classes={classes}"
        )


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
    require_flatten: bool | None = None,
) -> KerasTensor:
    """The model's input tensor: ``input_tensor`` when given, else ``Input`` of the shape
    Keras's ``obtain_input_shape`` settles on."""
    shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=min_size,
        data_format=config.image_data_format(),
        require_flatten=include_top if require_flatten is None else require_flatten,
        weights=weights,
    )
    if input_tensor is None:
        return layers.Input(shape=shape)
    if not isinstance(input_tensor, KerasTensor):
        raise errors.JnetTypeError(
            f"input_tensor must be a symbolic tensor (the output of jnet.Input() or of a "
            f"layer called on one), received {errors.describe(input_tensor)}."
        )
    return input_tensor


def classifier(
    x: KerasTensor,
    include_top: bool,
    pooling: str | None,
    classes: int,
    classifier_activation: Any,
    weights: Any,
    dropout: float | None = None,
) -> KerasTensor:
    """Keras's head: ``avg_pool`` + (Dropout ``top_dropout``) + Dense ``predictions`` with
    ``include_top``, else the optional global pooling."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout:
            x = layers.Dropout(dropout, name="top_dropout")(x)
        validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    return x


def validate_activation(classifier_activation: Any, weights: Any) -> None:
    """Keras's rule: pretrained weights allow only ``None`` or ``'softmax'`` on the top."""
    if weights is None:
        return
    if activations.get(classifier_activation) not in (
        activations.get("softmax"), activations.get(None)
    ):
        raise errors.JnetValueError(
            "Only `None` and `softmax` activations are allowed for the "
            "`classifier_activation` argument when using pretrained weights, with "
            f"`include_top=True`; Received: classifier_activation={classifier_activation}"
        )


def source_inputs(tensor: KerasTensor) -> list[KerasTensor]:
    """The model inputs ``tensor`` was computed from (Keras's ``get_source_inputs``)."""
    found: list[KerasTensor] = []
    seen: set[int] = set()
    stack = [node_of(tensor)]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.is_input:
            found.extend(t for t in node.output_tensors if all(t is not f for f in found))
        else:
            stack.extend(reversed(node.parent_nodes))
    return found


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
    inputs = source_inputs(input_tensor) if input_tensor is not None else img_input
    if isinstance(inputs, list) and len(inputs) == 1:
        inputs = inputs[0]
    model = Functional(inputs, x, name=name)
    _weights.load(model, weights, include_top, files)
    return model
