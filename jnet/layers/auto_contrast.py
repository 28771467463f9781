"""``AutoContrast``: stretches each channel to the full value range, as
``keras.layers.AutoContrast`` (deterministic; training and inference alike).

Example:
    >>> import numpy as np
    >>> AutoContrast(value_range=(0, 1))(np.array([[[[0.2], [0.6]]]], "float32")).ravel().tolist()
    [0.0, 1.0]
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax.numpy as jnp

from jnet import config, errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.base import Layer
from jnet.layers.color_augmentation import _rescale, _value_range

__all__ = ["AutoContrast"]


class AutoContrast(Layer):
    """Stretches each image's channels to the full value range, as
    ``keras.layers.AutoContrast`` (training and inference alike).

    Per image and channel, ``(x - min) * 255 / (max - min)`` on the 0..255 scale; a flat
    channel (``max == min``) is left as it was. Outputs are float32 (integer inputs too, as
    Keras returns them).

    Args:
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: keyword-only, ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np, jnet
        >>> x = np.array([[[[50.0], [100.0]]]], "float32")
        >>> jnet.layers.AutoContrast()(x).ravel().tolist()
        [0.0, 255.0]
    """

    value_range: Any = (0, 255)
    data_format: Any = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self):
        _value_range("AutoContrast", self.value_range)
        image_transform.check_choice(
            "AutoContrast", "data_format",
            config.image_data_format() if self.data_format is None else self.data_format,
        )
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        original = jnp.asarray(inputs)
        if original.ndim not in (3, 4):
            raise errors.JnetValueError(
                f"AutoContrast expects inputs of rank 4 (batch, height, width, channels) or "
                f"rank 3 (a single image), received shape {tuple(original.shape)}."
            )
        value_range = _value_range("AutoContrast", self.value_range)
        images = _rescale(original.astype(jnp.float32), value_range, (0.0, 255.0))
        channels_first = (
            config.image_data_format() if self.data_format is None else self.data_format
        ) == "channels_first"
        axes = (-2, -1) if channels_first else (-3, -2)
        low = jnp.min(images, axis=axes, keepdims=True)
        high = jnp.max(images, axis=axes, keepdims=True)
        scale = 255.0 / (high - low)
        results = jnp.clip(images * scale - low * scale, 0.0, 255.0)
        results = _rescale(results, (0.0, 255.0), value_range)
        return jnp.where(jnp.isnan(results), original.astype(jnp.float32), results)
