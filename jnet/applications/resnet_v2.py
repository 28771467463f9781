"""ResNetV2 (``keras.applications.resnet_v2``): He et al., "Identity Mappings in Deep
Residual Networks" (ECCV 2016): pre-activation blocks, built by
:func:`jnet.applications.resnet.ResNet`, with Keras's layer names and weight files;
preprocessing in ``'tf'`` mode (pixels scaled to [-1, 1]).

Example:
    >>> import jnet
    >>> model = jnet.applications.ResNet50V2(weights=None, include_top=False,  # doctest: +SKIP
    ...                                      input_shape=(32, 32, 3))
    >>> model.layers[-1].name, model.output_shape  # doctest: +SKIP
    ('post_relu', (None, 1, 1, 2048))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jnet.applications import imagenet_utils
from jnet.applications.resnet import _ARGS_DOC, ResNet, stack_residual_blocks_v2
from jnet.models.model import Model

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]


def _v2_stacks(blocks: tuple[int, int, int, int]) -> Callable[[Any], Any]:
    def stack_fn(x: Any) -> Any:
        x = stack_residual_blocks_v2(x, 64, blocks[0], name="conv2")
        x = stack_residual_blocks_v2(x, 128, blocks[1], name="conv3")
        x = stack_residual_blocks_v2(x, 256, blocks[2], name="conv4")
        return stack_residual_blocks_v2(x, 512, blocks[3], stride1=1, name="conv5")

    return stack_fn


def ResNet50V2(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet50v2",
) -> Model:
    """Instantiates the ResNet50V2 architecture (``keras.applications.ResNet50V2``).
    {args}
    Example:
        >>> m = ResNet50V2(weights=None, input_shape=(32, 32, 3), include_top=False,
        ...                pooling="avg")  # doctest: +SKIP
        >>> m.output_shape  # doctest: +SKIP
        (None, 2048)
    """
    return ResNet(
        _v2_stacks((3, 4, 6, 3)), True, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet50v2",
    )


def ResNet101V2(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet101v2",
) -> Model:
    """Instantiates the ResNet101V2 architecture (``keras.applications.ResNet101V2``).
    {args}"""
    return ResNet(
        _v2_stacks((3, 4, 23, 3)), True, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet101v2",
    )


def ResNet152V2(  # noqa: N802 - Keras's name
    include_top: bool = True,
    weights: Any = "imagenet",
    input_tensor: Any = None,
    input_shape: Any = None,
    pooling: str | None = None,
    classes: int = 1000,
    classifier_activation: Any = "softmax",
    name: str = "resnet152v2",
) -> Model:
    """Instantiates the ResNet152V2 architecture (``keras.applications.ResNet152V2``).
    {args}"""
    return ResNet(
        _v2_stacks((3, 8, 36, 3)), True, True, include_top, weights, input_tensor,
        input_shape, pooling, classes, classifier_activation, name, "resnet152v2",
    )


for _fn in (ResNet50V2, ResNet101V2, ResNet152V2):
    _fn.__doc__ = _fn.__doc__.replace("{args}", _ARGS_DOC)


def preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """ResNetV2's preprocessing: ``imagenet_utils.preprocess_input`` in ``'tf'`` mode
    (pixels scaled to [-1, 1]).

    Example:
        >>> import numpy as np
        >>> preprocess_input(np.array([0.0, 127.5, 255.0], "float32"))
        array([-1.,  0.,  1.], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds: Any, top: int = 5) -> list:
    """``imagenet_utils.decode_predictions``: the ``top`` ImageNet classes per sample."""
    return imagenet_utils.decode_predictions(preds, top=top)
