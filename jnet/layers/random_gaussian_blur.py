"""``RandomGaussianBlur``: blurs images with a random Gaussian kernel during training, as
``keras.layers.RandomGaussianBlur``.

Each image is blurred when ``U(0, 1) < U(lower, upper)`` (Keras draws the probability from
``factor``'s range), with one ``(sigma_x, sigma_y)`` per call drawn from ``sigma``'s range
(plus 1e-6), through :func:`jnet.ops.image.gaussian_blur`; outputs are clipped to
``value_range``. Given the same draws the output equals Keras's.

Example:
    >>> import jax, numpy as np
    >>> x = np.zeros((1, 3, 3, 1), "float32"); x[0, 1, 1, 0] = 1.0
    >>> blur = RandomGaussianBlur(factor=(1.0, 1.0), sigma=(1.0, 1.0), value_range=(0, 1))
    >>> out = blur.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> round(float(out[0, 1, 1, 0]), 3)
    0.204
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.augmentation import _base_factor, _ImageAugmentation, _is_number
from jnet.layers.color_augmentation import _value_range
from jnet.ops import image as image_ops

__all__ = ["RandomGaussianBlur"]


class RandomGaussianBlur(_ImageAugmentation):
    """Randomly blurs images during training, as ``keras.layers.RandomGaussianBlur``.

    Args:
        factor: the blur probability's range: a number f in [0, 1] means ``(0, f)``, a
            tuple the bounds. Default 1.0.
        kernel_size: an odd integer, or two odd integers ``(kx, ky)``. Default 3.
        sigma: the standard deviation's range, as ``factor`` (in [0, 1]). Default 1.0.
        value_range: the range of the pixels; outputs are clipped to it. Default
            ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import numpy as np
        >>> x = np.ones((2, 4, 4, 3), "float32")
        >>> np.array_equal(RandomGaussianBlur().apply({}, x), x)  # inference: unchanged
        True
    """

    factor: Any = 1.0
    kernel_size: Any = 3
    sigma: Any = 1.0
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    def __post_init__(self):
        self._factor()
        self._sigma()
        self._kernel()
        _value_range("RandomGaussianBlur", self.value_range)
        super().__post_init__()

    @nn.nowrap
    def _factor(self) -> tuple[float, float]:
        return _base_factor("RandomGaussianBlur", self.factor, 0.0, 1.0)

    @nn.nowrap
    def _sigma(self) -> tuple[float, float]:
        try:
            return _base_factor("RandomGaussianBlur", self.sigma, 0.0, 1.0)
        except errors.JnetValueError:
            raise errors.JnetValueError(
                f"RandomGaussianBlur: sigma must be a number or a tuple of two numbers in "
                f"[0, 1], received {self.sigma!r}."
            ) from None

    @nn.nowrap
    def _kernel(self) -> tuple[int, int]:
        value = self.kernel_size
        pair = tuple(value) if isinstance(value, tuple | list) else (value, value)
        if len(pair) != 2 or not all(
            _is_number(v) and float(v).is_integer() and int(v) % 2 == 1 and v > 0 for v in pair
        ):
            raise errors.JnetValueError(
                f"RandomGaussianBlur: kernel_size must be an odd positive integer or a tuple of "
                f"two of them, received {value!r}."
            )
        return int(pair[0]), int(pair[1])

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        p_key, t_key, s_key = jax.random.split(key, 3)
        low, high = self._factor()
        probability = jax.random.uniform(p_key, (batch,), minval=low, maxval=high)
        apply = jax.random.uniform(t_key, (batch,)) < probability
        sigma = jax.random.uniform(s_key, (2,), minval=self._sigma()[0],
                                   maxval=self._sigma()[1]) + 1e-6
        return {"apply": apply, "sigma": sigma}

    @nn.nowrap
    def _transform(self, images, draws):
        blurred = image_ops.gaussian_blur(images, kernel_size=self._kernel(),
                                          sigma=draws["sigma"], data_format="channels_last")
        images = jnp.where(draws["apply"][:, None, None, None], blurred, images)
        return jnp.clip(images, *_value_range("RandomGaussianBlur", self.value_range))
