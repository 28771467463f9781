"""``RandomPerspective``: random perspective warps of images during training, as
``keras.layers.RandomPerspective``.

Each image is warped when ``U(0, 1) < U(factor)`` (Keras draws the probability from
``factor``'s range): its four corners ``(0, 0), (w-1, 0), (0, h-1), (w-1, h-1)`` move to
``corner * (1 + U(-scale / 2, scale / 2))`` (each coordinate on its own) through
:func:`jnet.ops.image.perspective_transform`. ``get_random_transformation`` and
``transform_images`` are Keras's two halves of a call: a given transformation applied gives
Keras's pixels; the draws come from JAX, not TensorFlow.

Example:
    >>> import jax, numpy as np
    >>> x = np.ones((2, 8, 8, 3), "float32")
    >>> layer = RandomPerspective(scale=0.5)
    >>> layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)}).shape
    (2, 8, 8, 3)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.augmentation import (
    _base_factor,
    _check_fill_value,
    _ImageAugmentation,
    _is_number,
)
from jnet.ops import image as image_ops

__all__ = ["RandomPerspective"]


class RandomPerspective(_ImageAugmentation):
    """Randomly warps the perspective of images during training, as Keras's layer.

    Args:
        factor: the warp probability's range: a number f in [0, 1] means ``(0, f)``, a
            tuple the bounds. Default 1.0.
        scale: in [0, 1], how far the corners move (up to ``scale / 2`` of their coordinate).
            Default 1.0.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_value: the value of points outside the image. Default 0.0.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.ones((1, 4, 4, 1), "float32")
        >>> layer = RandomPerspective()
        >>> t = {"apply_perspective": np.array([True]),
        ...      "start_points": np.array([[[0, 0], [3, 0], [0, 3], [3, 3]]], "float32"),
        ...      "end_points": np.array([[[1, 0], [4, 0], [1, 3], [4, 3]]], "float32")}
        >>> layer.transform_images(x, t)[0, 0, :, 0].tolist()  # shifted right by one
        [0.0, 1.0, 1.0, 1.0]
    """

    factor: Any = 1.0
    scale: Any = 1.0
    interpolation: str = "bilinear"
    fill_value: Any = 0.0
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        _base_factor("RandomPerspective", self.factor, 0.0, 1.0)
        if not _is_number(self.scale) or not 0.0 <= self.scale <= 1.0:
            raise errors.JnetValueError(
                f"RandomPerspective: scale must be a number in the range [0, 1], received "
                f"scale={self.scale!r}.")
        image_transform.check_choice("RandomPerspective", "interpolation", self.interpolation)
        _check_fill_value("RandomPerspective", self.fill_value)
        super().__post_init__()

    @nn.nowrap
    def get_random_transformation(self, key, batch: int, height: int, width: int) -> dict:
        """Keras's draws for ``batch`` images: ``apply_perspective`` ``(batch,)``,
        ``start_points`` and ``end_points`` ``(batch, 4, 2)``."""
        p_key, t_key, f_key = jax.random.split(key, 3)
        low, high = _base_factor("RandomPerspective", self.factor, 0.0, 1.0)
        probability = jax.random.uniform(p_key, (batch,), minval=low, maxval=high)
        apply = jax.random.uniform(t_key, (batch,)) < probability
        half = 0.5 * float(self.scale)
        moves = jax.random.uniform(f_key, (batch, 4, 2), minval=-half, maxval=half)
        start = jnp.asarray([[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                             [width - 1, height - 1]], jnp.float32)
        start = jnp.broadcast_to(start, (batch, 4, 2))
        return {"apply_perspective": apply, "start_points": start,
                "end_points": start + start * moves}

    @nn.nowrap
    def transform_images(self, images, transformation: dict) -> jnp.ndarray:
        """Applies a transformation (:meth:`get_random_transformation`'s dict) to a batch
        ``images`` in the layer's ``data_format``, as Keras's ``transform_images``."""
        images = jnp.asarray(images)
        out = image_ops.perspective_transform(
            images, transformation["start_points"], transformation["end_points"],
            interpolation=self.interpolation, fill_value=self.fill_value,
            data_format=self._data_format())
        apply = jnp.asarray(transformation["apply_perspective"])[:, None, None, None]
        return jnp.where(apply, out, images)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return self.get_random_transformation(key, batch, height, width)

    @nn.nowrap
    def _transform(self, images, draws):
        out = image_ops.perspective_transform(
            images, draws["start_points"], draws["end_points"],
            interpolation=self.interpolation, fill_value=self.fill_value,
            data_format="channels_last")
        return jnp.where(draws["apply_perspective"][:, None, None, None], out, images)
