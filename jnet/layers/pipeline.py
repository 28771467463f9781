"""``Pipeline``: a plain layer that applies a list of layers in order (Keras's ``Pipeline``).

Unlike ``Sequential`` it is a layer, not a model: no ``compile``/``fit``; it is meant for
preprocessing chains (image augmentation) placed inside a model or called on arrays. The
``training`` flag reaches every layer that takes one, so augmentations run only in training.

Example:
    >>> import numpy as np, jnet
    >>> pipe = jnet.layers.Pipeline([jnet.layers.CenterCrop(2, 2), jnet.layers.Rescaling(0.5)])
    >>> pipe(np.ones((1, 4, 4, 1), "float32")).shape
    (1, 2, 2, 1)
"""

from __future__ import annotations

import inspect
from typing import Any

import flax.linen as nn

from jnet import errors
from jnet.layers.base import Layer

__all__ = ["Pipeline"]


def _takes_training(layer: Layer) -> bool:
    try:
        parameters = inspect.signature(type(layer).__call__).parameters
    except (TypeError, ValueError):
        return False
    return "training" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


class Pipeline(Layer):
    """Applies a series of layers to an input, as ``keras.layers.Pipeline``.

    Args:
        layers: a list of jnet layers, applied in order.
        name: the layer's name.

    Example:
        >>> import jax, numpy as np, jnet
        >>> augment = jnet.layers.Pipeline([jnet.layers.RandomFlip("horizontal"),
        ...                                 jnet.layers.RandomCrop(3, 3)])
        >>> x = np.ones((2, 5, 5, 1), "float32")
        >>> augment.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)}).shape
        (2, 3, 3, 1)
    """

    layers: Any

    def __post_init__(self):
        layers = self.layers
        if not isinstance(layers, list | tuple):
            raise errors.JnetValueError(
                f"Pipeline: layers must be a list of layers, received "
                f"{errors.describe(layers)}."
            )
        for layer in layers:
            if not isinstance(layer, Layer):
                raise errors.JnetValueError(
                    f"Pipeline: every entry of layers must be a jnet layer (a Flax module); "
                    f"received {errors.describe(layer)}. Host-side layers (StringLookup, "
                    f"Hashing, TextVectorization) run on data before the model."
                )
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        outputs = inputs
        for layer in self.layers:
            if _takes_training(layer):
                outputs = layer(outputs, training=training)
            else:
                outputs = layer(outputs)
        return outputs

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """``{'name', 'trainable', 'layers'}`` with the layers themselves (saving writes each
        one's class name and config)."""
        return {"name": self.name, "trainable": self.trainable, "layers": list(self.layers)}
