"""What the ``jnet.ops.image`` modules share: the data format, the images' rank check, and
the axes of height, width and channels.

Example:
    >>> from jnet.ops import _image_common
    >>> _image_common.data_format(None)
    'channels_last'
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import config, errors
from jnet.ops._op import convert

__all__ = ["batched", "channels_axis", "data_format", "images_of_rank", "unbatched"]


def data_format(value: Any) -> str:
    """``value`` checked, or ``jnet.config.image_data_format()`` when None."""
    if value is None:
        return config.image_data_format()
    if value not in ("channels_last", "channels_first"):
        raise errors.JnetValueError(
            f"data_format must be 'channels_last' or 'channels_first', received {value!r}."
        )
    return value


def images_of_rank(images: Any, op: str, ranks: tuple[int, ...] = (3, 4)) -> jax.Array:
    """``images`` as an array, checked to be one image (rank 3) or a batch (rank 4)."""
    images = convert(images)
    if images.ndim not in ranks:
        raise errors.JnetValueError(
            f"{op}: invalid images rank: expected rank 3 (a single image) or rank 4 (a batch "
            f"of images), received images.shape={tuple(images.shape)}."
        )
    return images


def channels_axis(fmt: str) -> int:
    """The channels axis (negative) of an image or batch of images in ``fmt``."""
    return -1 if fmt == "channels_last" else -3


def batched(images: jax.Array, fmt: str) -> tuple[jax.Array, bool]:
    """A batch of channels-last images, and whether ``images`` was a single image."""
    single = images.ndim == 3
    if single:
        images = images[None]
    if fmt == "channels_first":
        images = jnp.transpose(images, (0, 2, 3, 1))
    return images, single


def unbatched(images: jax.Array, fmt: str, single: bool) -> jax.Array:
    """The inverse of :func:`batched`."""
    if fmt == "channels_first":
        images = jnp.transpose(images, (0, 3, 1, 2))
    return images[0] if single else images
