"""``Equalization``: histogram equalization of each channel, as ``keras.layers.Equalization``.

On the 0..255 scale each channel's histogram (``bins`` bins, counted over the whole batch, as
Keras counts it) gives a lookup table ``round((cdf - cdf_min) * 255 / (cdf_max - cdf_min))``
that every pixel is mapped through; a channel whose values all fall in one bin is left
unchanged. Keras applies it in training mode only (its eager calls default to training), so
jnet applies it with ``training=True`` and is the identity otherwise.

Example:
    >>> import numpy as np
    >>> x = np.array([[[[0.0], [10.0], [20.0], [255.0]]]], "float32")
    >>> Equalization().apply({}, x, training=True).ravel().tolist()
    [0.0, 85.0, 170.0, 255.0]
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax.numpy as jnp
import numpy as np

from jnet import config, errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.base import Layer
from jnet.layers.color_augmentation import _value_range

__all__ = ["Equalization"]


class Equalization(Layer):
    """Equalizes the histogram of every channel during training, as Keras.

    Args:
        value_range: the range of the pixels. Default ``(0, 255)``.
        bins: the number of histogram bins. Default 256.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.full((1, 2, 2, 1), 7.0, "float32")  # one bin: unchanged
        >>> Equalization().apply({}, x, training=True).ravel().tolist()
        [7.0, 7.0, 7.0, 7.0]
    """

    value_range: Any = (0, 255)
    bins: int = 256
    data_format: Any = dataclasses.field(default=None)

    def __post_init__(self):
        _value_range("Equalization", self.value_range)
        if isinstance(self.bins, bool) or not isinstance(self.bins, int | np.integer) or (
            self.bins < 1
        ):
            raise errors.JnetValueError(
                f"Equalization: bins must be a positive integer, received {self.bins!r}."
            )
        image_transform.check_choice("Equalization", "data_format", self._data_format())
        super().__post_init__()

    def _data_format(self) -> str:
        return config.image_data_format() if self.data_format is None else self.data_format

    def __call__(self, inputs, training: bool = False):
        images = jnp.asarray(inputs)
        if images.ndim not in (3, 4):
            raise errors.JnetValueError(
                f"Equalization expects inputs of rank 4 (batch, height, width, channels) or "
                f"rank 3 (a single image), received shape {tuple(images.shape)}."
            )
        if not training:
            return images
        images = images.astype(jnp.float32)
        axis = -3 if self._data_format() == "channels_first" else -1
        value_range = _value_range("Equalization", self.value_range)
        channels = [self._equalize(jnp.take(images, i, axis=axis), value_range)
                    for i in range(images.shape[axis])]
        return jnp.stack(channels, axis=axis)

    def _equalize(self, channel, value_range):
        low, high = value_range
        scale = 255.0 / (high - low)
        channel = channel * scale - low * scale
        bins = int(self.bins)
        indices = jnp.clip((channel * (bins - 1) / 255.0).astype(jnp.int32), 0, bins - 1)
        hist = jnp.bincount(indices.reshape(-1), length=bins)
        cdf = jnp.cumsum(hist)
        cdf_min = jnp.take(cdf, jnp.argmax(cdf > 0))
        denominator = cdf[-1] - cdf_min
        denominator = jnp.where(denominator == 0, 1, denominator)
        table = jnp.clip(jnp.round((cdf - cdf_min) * 255 / denominator), 0, 255)
        lookup = jnp.clip((channel / 255.0) * (bins - 1), 0, bins - 1).astype(jnp.int32)
        equalized = jnp.where(jnp.count_nonzero(hist) <= 1, channel,
                              jnp.take(table, lookup).astype(jnp.float32))
        back = (high - low) / 255.0
        return equalized * back + low
