"""``RandomElasticTransform``: random elastic deformations of images during training, as
``keras.layers.RandomElasticTransform``.

Each image is deformed when ``U(0, 1) < U(factor)``; one distortion ``d ~ U(scale)`` per call
gives ``alpha = 0.1 d max(h, w)`` and ``sigma = 0.05 d min(h, w)``, and the deformation is
:func:`jnet.ops.image.elastic_transform`'s (a Gaussian-smoothed normal displacement field).
Outputs are clipped to ``value_range``. ``factor`` or ``scale`` with upper bound 0 is the
identity, as in Keras. The noise comes from JAX, not TensorFlow.

Keras computes the blur's kernel size ``int(6 sigma) | 1`` from the drawn sigma; so that the
layer compiles once, jnet embeds that kernel in the largest one ``scale`` allows, with zero
taps outside (the same convolution).

Example:
    >>> import jax, numpy as np
    >>> x = np.random.default_rng(0).uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    >>> layer = RandomElasticTransform(scale=0.5)
    >>> out = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> out.shape, bool((out >= 0).all() and (out <= 255).all())
    ((2, 16, 16, 3), True)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet.layers import _image_transform as image_transform
from jnet.layers.augmentation import _base_factor, _check_fill_value, _ImageAugmentation
from jnet.layers.color_augmentation import _value_range
from jnet.ops._image_filters import depthwise_same
from jnet.ops._image_sampling import sample

__all__ = ["RandomElasticTransform"]

_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_ORDERS = {"nearest": 0, "bilinear": 1}


def elastic_params(height: int, width: int, distortion: Any) -> tuple[Any, Any]:
    """Keras's ``get_elastic_transform_params``: ``(alpha, sigma)`` of a distortion."""
    return max(height, width) * (0.1 * distortion), min(height, width) * (0.05 * distortion)


class RandomElasticTransform(_ImageAugmentation):
    """Randomly deforms images elastically during training, as Keras's layer.

    Args:
        factor: the deformation probability's range: a number f in [0, 1] means ``(0, f)``,
            a tuple the bounds. Default 1.0.
        scale: the distortion's range, as ``factor``. Default 1.0.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        fill_value: the value of ``'constant'`` filling. Default 0.0.
        value_range: the range of the pixels; outputs are clipped to it. Default
            ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.ones((1, 8, 8, 1), "float32")
        >>> t = {"apply_transform": np.array([True]), "distortion_factor": 0.0,
        ...      "noise": np.zeros((1, 8, 8), "float32")}
        >>> bool((RandomElasticTransform().transform_images(x, t) == x).all())
        True
    """

    factor: Any = 1.0
    scale: Any = 1.0
    interpolation: str = "bilinear"
    fill_mode: str = "reflect"
    fill_value: Any = 0.0
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        owner = "RandomElasticTransform"
        _base_factor(owner, self.factor, 0.0, 1.0)
        self._scale()
        image_transform.check_choice(owner, "interpolation", self.interpolation)
        image_transform.check_choice(owner, "fill_mode", self.fill_mode, _FILL_MODES)
        _check_fill_value(owner, self.fill_value)
        _value_range(owner, self.value_range)
        super().__post_init__()

    @nn.nowrap
    def _scale(self) -> tuple[float, float]:
        return _base_factor("RandomElasticTransform", self.scale, 0.0, 1.0)

    @nn.nowrap
    def get_random_transformation(self, key, batch: int, height: int, width: int) -> dict:
        """Keras's draws: ``apply_transform`` ``(batch,)``, one ``distortion_factor`` and
        the displacement field's standard normal ``noise`` ``(batch, height, width)`` (which
        Keras draws inside the op from its ``seed``)."""
        p_key, t_key, d_key, n_key = jax.random.split(key, 4)
        low, high = _base_factor("RandomElasticTransform", self.factor, 0.0, 1.0)
        probability = jax.random.uniform(p_key, (batch,), minval=low, maxval=high)
        apply = jax.random.uniform(t_key, (batch,)) < probability
        s_low, s_high = self._scale()
        distortion = jax.random.uniform(d_key, (), minval=s_low, maxval=s_high)
        noise = jax.random.normal(n_key, (batch, height, width))
        return {"apply_transform": apply, "distortion_factor": distortion, "noise": noise}

    @nn.nowrap
    def transform_images(self, images, transformation: dict) -> jnp.ndarray:
        """Applies a transformation (:meth:`get_random_transformation`'s dict) to a batch
        ``images`` in the layer's ``data_format``."""
        images = jnp.asarray(images, jnp.float32)
        first = self._data_format() == "channels_first"
        x = jnp.transpose(images, (0, 2, 3, 1)) if first else images
        out = self._transform(x, transformation)
        return jnp.transpose(out, (0, 3, 1, 2)) if first else out

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return self.get_random_transformation(key, batch, height, width)

    @nn.nowrap
    def _transform(self, images, draws):
        if self._scale()[1] == 0 or _base_factor(
            "RandomElasticTransform", self.factor, 0.0, 1.0
        )[1] == 0:
            return images  # Keras: no transformation
        _, height, width, _ = images.shape
        distortion = jnp.asarray(draws["distortion_factor"], jnp.float32)
        alpha, sigma = elastic_params(height, width, distortion)
        # kernel int(6 sigma) | 1 inside the largest possible one, zero taps outside it
        _, biggest = elastic_params(height, width, self._scale()[1])
        size = int(6 * biggest) | 1
        half = jnp.floor(6.0 * sigma).astype(jnp.int32) // 2
        taps = jnp.arange(size, dtype=jnp.int32) - size // 2
        spread = taps.astype(jnp.float32) / jnp.maximum(sigma, 1e-6)
        window = jnp.where(jnp.abs(taps) <= half, jnp.exp(-0.5 * jnp.square(spread)), 0.0)
        window = window / jnp.sum(window)
        noise = jnp.asarray(draws["noise"], jnp.float32)
        field = depthwise_same(noise[..., None] * sigma, jnp.outer(window, window))
        shift = alpha * field[..., 0]
        rows, cols = jnp.meshgrid(jnp.arange(height, dtype=jnp.float32),
                                  jnp.arange(width, dtype=jnp.float32), indexing="ij")
        out = sample(images, rows[None] + shift, cols[None] + shift,
                     _ORDERS[self.interpolation], self.fill_mode, self.fill_value, jnp.float32)
        out = jnp.where(jnp.asarray(draws["apply_transform"])[:, None, None, None], out,
                        images)
        return jnp.clip(out, *_value_range("RandomElasticTransform", self.value_range))
