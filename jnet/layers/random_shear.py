"""``RandomShear``: shears images by random amounts during training, as
``keras.layers.RandomShear``.

Each image gets a shear ``(s_x, s_y)`` drawn from ``x_factor``'s and ``y_factor``'s ranges,
both negated together with probability 1/2, and is resampled through the transform row
``[1, s_x, 0, s_y, 1, 0, 0, 0]`` (output pixel ``(x, y)`` reads input ``(x + s_x y,
s_y x + y)``) with TensorFlow's interpolation and fill rules
(:mod:`jnet.layers._image_transform`), as Keras does; the draws come from the ``'dropout'``
PRNG stream.

Example:
    >>> import jax, numpy as np
    >>> x = np.arange(9.0, dtype="float32").reshape(1, 3, 3, 1)
    >>> shear = RandomShear(x_factor=(0.0, 0.0))  # no shear: unchanged
    >>> out = shear.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> np.array_equal(out, x)
    True
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.augmentation import _AffineAugmentation, _is_number

__all__ = ["RandomShear"]


def _shear_factor(name: str, factor: Any) -> tuple[float, float]:
    """Keras's ``_set_factor_with_name``: numbers in [0, 1]; f means ``(-f, f)``."""
    values = factor if isinstance(factor, tuple | list) else [factor]
    if len(values) not in (1, 2) or not all(_is_number(v) and 0 <= v <= 1 for v in values):
        raise errors.JnetValueError(
            f"RandomShear: {name} must be a number or a tuple of two numbers, each in [0, 1], "
            f"received {factor!r}."
        )
    if isinstance(factor, tuple | list):
        low, high = sorted(float(v) for v in factor)
        return low, high
    return -abs(float(factor)), abs(float(factor))


class RandomShear(_AffineAugmentation):
    """Randomly shears images during training, as ``keras.layers.RandomShear``.

    Args:
        x_factor: the horizontal shear's range: a number f in [0, 1] means ``(-f, f)``, a
            tuple ``(lower, upper)`` (each in [0, 1]) the bounds. Default 0.0.
        y_factor: the same for the vertical shear. Default 0.0.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        fill_value: the value outside the image when ``fill_mode='constant'``. Default 0.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import numpy as np
        >>> x = np.ones((2, 4, 4, 3), "float32")
        >>> np.array_equal(RandomShear(0.3).apply({}, x), x)  # inference: unchanged
        True
    """

    x_factor: Any = 0.0
    y_factor: Any = 0.0
    interpolation: str = "bilinear"
    fill_mode: str = "reflect"
    fill_value: float = 0.0
    data_format: Any = None
    seed: Any = None

    def __post_init__(self):
        self._bounds()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self):
        return _shear_factor("x_factor", self.x_factor), _shear_factor("y_factor", self.y_factor)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        (x_lo, x_hi), (y_lo, y_hi) = self._bounds()
        i_key, y_key, x_key = jax.random.split(key, 3)
        sign = jnp.where(jax.random.uniform(i_key, (batch, 1)) > 0.5, -1.0, 1.0)
        shear_y = jax.random.uniform(y_key, (batch, 1), minval=y_lo, maxval=y_hi)
        shear_x = jax.random.uniform(x_key, (batch, 1), minval=x_lo, maxval=x_hi)
        return {"shear": jnp.concatenate([shear_x, shear_y], axis=1) * sign}

    @nn.nowrap
    def _matrix(self, draws, height, width):
        shear = draws["shear"]
        ones, zeros = jnp.ones(shear.shape[:1]), jnp.zeros(shear.shape[:1])
        return jnp.stack([ones, shear[:, 0], zeros, shear[:, 1], ones, zeros, zeros, zeros],
                         axis=1)
