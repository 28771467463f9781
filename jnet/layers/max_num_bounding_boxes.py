"""``MaxNumBoundingBoxes``: pads or truncates bounding boxes to a fixed number per image, as
``keras.layers.MaxNumBoundingBoxes``.

The input is Keras's preprocessing dict ``{"images": ..., "bounding_boxes": {"boxes":
(batch, n, 4), "labels": (batch, n)}, ...}`` (other entries pass through unchanged) or an
image array (returned unchanged). Boxes and labels beyond ``max_number`` are dropped; missing
ones are ``fill_value``.

Example:
    >>> import numpy as np, jnet
    >>> layer = jnet.layers.MaxNumBoundingBoxes(max_number=3)
    >>> out = layer({"images": np.zeros((1, 4, 4, 3), "float32"),
    ...              "bounding_boxes": {"boxes": np.ones((1, 2, 4), "float32"),
    ...                                 "labels": np.array([[1, 2]])}})
    >>> out["bounding_boxes"]["labels"].tolist()
    [[1, 2, -1]]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer

__all__ = ["MaxNumBoundingBoxes"]


class MaxNumBoundingBoxes(Layer):
    """Gives every image exactly ``max_number`` bounding boxes, as Keras's layer.

    Args:
        max_number: the number of boxes (and labels) per image.
        fill_value: the value of padded boxes and labels. Default -1.

    Keras's ``get_config`` leaves out ``fill_value`` (a layer rebuilt from it pads with -1);
    jnet's keeps it.

    Example:
        >>> import numpy as np
        >>> boxes = {"boxes": np.arange(12.0).reshape(1, 3, 4), "labels": np.array([[4, 5, 6]])}
        >>> out = MaxNumBoundingBoxes(2)({"images": np.zeros((1, 2, 2, 1)),
        ...                               "bounding_boxes": boxes})
        >>> out["bounding_boxes"]["boxes"].shape
        (1, 2, 4)
    """

    max_number: int
    fill_value: int = -1

    def __post_init__(self):
        if isinstance(self.max_number, bool) or not isinstance(
            self.max_number, int | np.integer
        ) or self.max_number < 1:
            raise errors.JnetValueError(
                f"MaxNumBoundingBoxes: max_number must be a positive integer, received "
                f"{self.max_number!r}.")
        super().__post_init__()

    @nn.nowrap
    def _pad(self, values: Any) -> jnp.ndarray:
        values = jnp.asarray(values)
        count = int(self.max_number)
        values = values[:, :count]
        padding = [(0, 0), (0, max(count - values.shape[1], 0))] + [(0, 0)] * (values.ndim - 2)
        return jnp.pad(values, padding, constant_values=int(self.fill_value))

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input's shapes with ``boxes`` and ``labels`` holding ``max_number``."""
        if isinstance(input_shape, Mapping) and "bounding_boxes" in input_shape:
            boxes = dict(input_shape["bounding_boxes"])
            for name in ("boxes", "labels"):
                shape = list(boxes[name])
                shape[1] = int(self.max_number)
                boxes[name] = tuple(shape)
            return {**input_shape, "bounding_boxes": boxes}
        return input_shape

    def __call__(self, inputs, training: bool = False):
        if not isinstance(inputs, Mapping):
            return jnp.asarray(inputs)
        out = dict(inputs)
        if "bounding_boxes" in inputs:
            boxes = inputs["bounding_boxes"]
            if not isinstance(boxes, Mapping) or set(boxes) != {"boxes", "labels"}:
                raise errors.JnetValueError(
                    f"MaxNumBoundingBoxes: bounding_boxes must be a dict with the keys "
                    f"'boxes' (batch, n, 4) and 'labels' (batch, n), received keys "
                    f"{sorted(boxes) if isinstance(boxes, Mapping) else type(boxes)}.")
            out["bounding_boxes"] = {"boxes": self._pad(boxes["boxes"]),
                                     "labels": self._pad(boxes["labels"])}
        return out
