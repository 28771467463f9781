"""Keras's colour-space ops: ``rgb_to_grayscale``, ``rgb_to_hsv``, ``hsv_to_rgb`` (re-exported
by :mod:`jnet.ops.image`).

Hue, saturation and value are in [0, 1], as ``tf.image`` and dm_pix (Keras's JAX backend).

Example:
    >>> from jnet.ops import _image_color
    >>> _image_color.rgb_to_hsv(np.array([[[1.0, 0.0, 0.0]]])).tolist()
    [[[0.0, 1.0, 1.0]]]
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import _dtypes, errors
from jnet.ops._image_common import channels_axis, images_of_rank
from jnet.ops._image_common import data_format as _format
from jnet.ops._op import keras_op

__all__ = ["hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv"]

_GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)  # tf.image.rgb_to_grayscale's


def _float_images(images: Any, op: str, fmt: str):
    images = images_of_rank(images, op)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise errors.JnetValueError(
            f"{op}: images must be float, received images.dtype={images.dtype}."
        )
    axis = channels_axis(fmt)
    if images.shape[axis] != 3:
        raise errors.JnetValueError(
            f"{op}: images must have 3 channels on axis {axis} ({fmt}), received "
            f"images.shape={tuple(images.shape)}."
        )
    return images, axis


@keras_op
def rgb_to_grayscale(images: Any, data_format: str | None = None):
    """RGB images to grayscale: ``0.2989 R + 0.587 G + 0.114 B``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``), with 3 channels (1 channel is returned as is).
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The grayscale images, one channel, ``images``'s dtype (integers truncated).

    Example:
        >>> rgb_to_grayscale(np.full((1, 2, 3), 100, "uint8"))[..., 0].tolist()
        [[99, 99]]
    """
    fmt = _format(data_format)
    images = images_of_rank(images, "rgb_to_grayscale")
    axis = channels_axis(fmt)
    if images.shape[axis] not in (1, 3):
        raise errors.JnetValueError(
            f"rgb_to_grayscale: images must have 3 (RGB) or 1 (grayscale) channels on axis "
            f"{axis} ({fmt}), received images.shape={tuple(images.shape)}."
        )
    if images.shape[axis] == 1:
        return images
    compute = _dtypes.result_type(_dtypes.dtype_of(images), float)
    weights = jnp.asarray(_GRAY_WEIGHTS, compute)
    gray = jnp.tensordot(images.astype(compute), weights, axes=((images.ndim + axis,), (0,)))
    return jnp.expand_dims(gray, axis).astype(images.dtype)


@keras_op
def rgb_to_hsv(images: Any, data_format: str | None = None):
    """RGB images to HSV (hue, saturation, value, each in [0, 1]).

    Args:
        images: float RGB images ``(H, W, 3)`` or ``(N, H, W, 3)`` (channels first with
            ``data_format='channels_first'``), values in [0, 1].
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The HSV images, of ``images``'s shape and dtype.

    Example:
        >>> rgb_to_hsv(np.array([[[0.0, 0.5, 0.5]]])).tolist()
        [[[0.5, 1.0, 0.5]]]
    """
    fmt = _format(data_format)
    images, axis = _float_images(images, "rgb_to_hsv", fmt)
    eps = jnp.finfo(images.dtype).eps
    images = jnp.where(jnp.abs(images) < eps, jnp.zeros((), images.dtype), images)
    r, g, b = (jnp.take(images, i, axis=axis) for i in range(3))
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    one, zero = jnp.ones((), images.dtype), jnp.zeros((), images.dtype)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, one), zero)
    scale = one / (6 * jnp.where(spread > 0, spread, one))
    hue = jnp.where(value == g, scale * (b - r) + 2 / 6, scale * (r - g) + 4 / 6)
    hue = jnp.where(value == r, scale * (g - b), hue)
    hue = jnp.where(spread > 0, hue, zero)
    hue = hue + (hue < 0).astype(hue.dtype)
    return jnp.stack([hue, saturation, value], axis=axis)


@keras_op
def hsv_to_rgb(images: Any, data_format: str | None = None):
    """HSV images (each channel in [0, 1]) to RGB.

    Args:
        images: float HSV images ``(H, W, 3)`` or ``(N, H, W, 3)`` (channels first with
            ``data_format='channels_first'``).
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The RGB images, of ``images``'s shape and dtype.

    Example:
        >>> hsv_to_rgb(np.array([[[0.5, 1.0, 0.5]]])).tolist()
        [[[0.0, 0.5, 0.5]]]
    """
    fmt = _format(data_format)
    images, axis = _float_images(images, "hsv_to_rgb", fmt)
    hue, saturation, value = (jnp.take(images, i, axis=axis) for i in range(3))
    sector = jnp.mod(hue, 1.0) * 6
    red = jnp.clip(jnp.abs(sector - 3) - 1, 0, 1)
    green = jnp.clip(2 - jnp.abs(sector - 2), 0, 1)
    blue = jnp.clip(2 - jnp.abs(sector - 4), 0, 1)
    grey = 1 - saturation
    planes = [value * (grey + saturation * c) for c in (red, green, blue)]
    return jnp.stack(planes, axis=axis)

