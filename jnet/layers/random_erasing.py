"""``RandomErasing``: fills a random box of each image during training, as
``keras.layers.RandomErasing``.

Per image: a box whose width and height are ``sqrt(U(scale))`` times the image's (two
independent draws), at a uniform position, is filled when ``U(0, 1) < U(lower, upper)``
(Keras draws the probability from ``factor``'s range). The fill is ``fill_value`` (a number,
or one per channel), or by default Gaussian noise times ``value_range[1]``; fills are clipped
to ``value_range``. Draws come from the ``'dropout'`` PRNG stream.

Example:
    >>> import jax, numpy as np
    >>> x = np.ones((1, 4, 4, 1), "float32")
    >>> out = RandomErasing(factor=(1.0, 1.0), scale=(0.5, 0.5), fill_value=0.0).apply(
    ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> 0 < int((np.asarray(out) == 0).sum()) < 16
    True
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.augmentation import _base_factor, _ImageAugmentation, _is_number
from jnet.layers.color_augmentation import _value_range

__all__ = ["RandomErasing"]


class RandomErasing(_ImageAugmentation):
    """Randomly erases a box of each image during training, as ``keras.layers.RandomErasing``.

    Args:
        factor: the erasing probability's range: a number f in [0, 1] means ``(0, f)``, a
            tuple the bounds. Default 1.0.
        scale: the range of the box's area fraction (each side is ``sqrt`` of a draw).
            Default ``(0.02, 0.33)``.
        fill_value: a number, a tuple of 3 (one per channel), or None (default): Gaussian
            noise times ``value_range[1]``.
        value_range: the range of the pixels; fills are clipped to it. Default ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.ones((2, 4, 4, 3), "float32")
        >>> np.array_equal(RandomErasing().apply({}, x), x)  # inference: unchanged
        True
    """

    factor: Any = 1.0
    scale: Any = (0.02, 0.33)
    fill_value: Any = None
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        self._factor()
        self._scale()
        _value_range("RandomErasing", self.value_range)
        fill = self.fill_value
        if fill is not None and not (
            _is_number(fill)
            or (isinstance(fill, tuple | list) and len(fill) == 3 and all(map(_is_number, fill)))
        ):
            raise errors.JnetValueError(
                f"RandomErasing: fill_value must be None, a number or a tuple of 3 numbers, "
                f"received {fill!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def _factor(self) -> tuple[float, float]:
        return _base_factor("RandomErasing", self.factor, 0.0, 1.0)

    @nn.nowrap
    def _scale(self) -> tuple[float, float]:
        try:
            return _base_factor("RandomErasing", self.scale, 0.0, 1.0)
        except errors.JnetValueError:
            raise errors.JnetValueError(
                f"RandomErasing: scale must be a number or a tuple of two numbers in [0, 1], "
                f"received {self.scale!r}."
            ) from None

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        keys = jax.random.split(key, 6)
        ratio = jnp.sqrt(jax.random.uniform(keys[0], (batch, 2), minval=self._scale()[0],
                                            maxval=self._scale()[1]))

        def bounds(k, length, r):
            crop = r * length
            start = jax.random.uniform(k, (batch,)) * (length - crop)
            return start, start + crop

        x0, x1 = bounds(keys[1], width, ratio[:, 0])
        y0, y1 = bounds(keys[2], height, ratio[:, 1])
        probability = jax.random.uniform(keys[3], (batch,), minval=self._factor()[0],
                                         maxval=self._factor()[1])
        apply = jax.random.uniform(keys[4], (batch,)) < probability
        return {"box": jnp.stack([x0, x1, y0, y1], axis=1), "apply": apply, "noise": keys[5]}

    @nn.nowrap
    def _transform(self, images, draws):
        batch, height, width, _ = images.shape
        low, high = _value_range("RandomErasing", self.value_range)
        if self.fill_value is None:
            fill = jax.random.normal(draws["noise"], images.shape) * float(self.value_range[1])
        else:
            fill = jnp.broadcast_to(jnp.asarray(self.fill_value, jnp.float32), images.shape)
        fill = jnp.clip(fill, low, high)
        grid_y, grid_x = jnp.meshgrid(jnp.arange(height, dtype=jnp.float32),
                                      jnp.arange(width, dtype=jnp.float32), indexing="ij")
        x0, x1, y0, y1 = (draws["box"][:, i, None, None, None] for i in range(4))
        gx, gy = grid_x[None, :, :, None], grid_y[None, :, :, None]
        masks = (gx >= x0) & (gx < x1) & (gy >= y0) & (gy < y1)
        masks = masks & draws["apply"][:, None, None, None]
        return jnp.where(masks, fill, images)
