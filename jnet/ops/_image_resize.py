"""Keras's image resizing, padding and cropping: ``resize``, ``pad_images``, ``crop_images``
(re-exported by :mod:`jnet.ops.image`).

``resize`` is ``jax.image.resize`` (half-pixel centres, as ``tf.image.resize``), with Keras's
defaults (``interpolation='bilinear'``, ``antialias=False``) and its aspect-ratio options;
integer images are resized in float, rounded and cast back with saturation.

Example:
    >>> from jnet.ops import _image_resize
    >>> _image_resize.resize(np.ones((4, 4, 1)), (2, 2)).shape
    (2, 2, 1)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._image_common import data_format as _format
from jnet.ops._image_common import images_of_rank
from jnet.ops._op import keras_op

__all__ = ["crop_images", "pad_images", "resize"]

_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def _spatial(fmt: str) -> tuple[int, int]:
    return (-3, -2) if fmt == "channels_last" else (-2, -1)


def _crop_to_aspect(images: jax.Array, size: tuple[int, int], fmt: str) -> jax.Array:
    h_axis, w_axis = _spatial(fmt)
    height, width = images.shape[h_axis], images.shape[w_axis]
    crop_h = max(min(height, int(float(width * size[0]) / size[1])), 1)
    crop_w = max(min(width, int(float(height * size[1]) / size[0])), 1)
    top, left = int(float(height - crop_h) / 2), int(float(width - crop_w) / 2)
    index = [slice(None)] * images.ndim
    index[h_axis] = slice(top, top + crop_h)
    index[w_axis] = slice(left, left + crop_w)
    return images[tuple(index)]


def _pad_to_aspect(images: jax.Array, size: tuple[int, int], fmt: str,
                   fill_value: Any) -> jax.Array:
    h_axis, w_axis = _spatial(fmt)
    height, width = images.shape[h_axis], images.shape[w_axis]
    pad_h = max(height, int(float(width * size[0]) / size[1]))
    pad_w = max(width, int(float(height * size[1]) / size[0]))
    top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
    widths = [(0, 0)] * images.ndim
    if top > 0:  # Keras pads one direction only: height first, as its backends
        widths[images.ndim + h_axis] = (top, top)
    elif left > 0:
        widths[images.ndim + w_axis] = (left, left)
    else:
        return images
    return jnp.pad(images, widths, constant_values=jnp.asarray(fill_value, images.dtype))


@keras_op
def resize(images: Any, size: Any, interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
           fill_mode: str = "constant", fill_value: float = 0.0,
           data_format: str | None = None):
    """Resizes images to ``size``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        size: ``(height, width)`` of the output.
        interpolation: ``'bilinear'`` (default), ``'nearest'``, ``'bicubic'``,
            ``'lanczos3'`` or ``'lanczos5'``.
        antialias: filter when downsampling. Defaults to False.
        crop_to_aspect_ratio: first crop the centre of the images to ``size``'s aspect
            ratio. Defaults to False.
        pad_to_aspect_ratio: first pad the images (with ``fill_value``, evenly on both sides)
            to ``size``'s aspect ratio. Defaults to False.
        fill_mode: only ``'constant'``.
        fill_value: the padding value for ``pad_to_aspect_ratio``. Defaults to 0.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The resized images, ``images``'s dtype.

    Example:
        >>> resize(np.array([[[0.0], [2.0]]]), (1, 4))[..., 0].tolist()
        [[0.0, 0.5, 1.5, 2.0]]
    """
    fmt = _format(data_format)
    if not isinstance(size, tuple | list) or len(size) != 2:
        raise errors.JnetValueError(
            f"resize: `size` must be a tuple of 2 integers (height, width), received "
            f"size={size!r}."
        )
    size = (int(size[0]), int(size[1]))
    if size[0] <= 0 or size[1] <= 0:
        raise errors.JnetValueError(
            f"resize: `size` must have positive height and width, received size={size}."
        )
    if interpolation not in _INTERPOLATIONS:
        raise errors.JnetValueError(
            f"resize: `interpolation` must be one of {', '.join(_INTERPOLATIONS)}, received "
            f"interpolation={interpolation!r}."
        )
    if fill_mode != "constant":
        raise errors.JnetValueError(
            f"resize: only fill_mode='constant' is supported, received fill_mode={fill_mode!r}."
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise errors.JnetValueError(
            "resize: only one of `pad_to_aspect_ratio` and `crop_to_aspect_ratio` can be True."
        )
    images = images_of_rank(images, "resize")
    dtype = images.dtype
    if crop_to_aspect_ratio:
        images = _crop_to_aspect(images, size, fmt)
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect(images, size, fmt, fill_value)
    shape = list(images.shape)
    h_axis, w_axis = _spatial(fmt)
    shape[h_axis], shape[w_axis] = size
    resized = jax.image.resize(images, tuple(shape), method=interpolation, antialias=antialias)
    if resized.dtype == dtype:
        return resized
    if jnp.issubdtype(dtype, jnp.integer):
        info = jnp.iinfo(dtype)
        resized = jnp.clip(jnp.round(resized), info.min, info.max)
    return resized.astype(dtype)


def _amounts(op: str, verb: str, before: Any, after: Any, target: Any, length: int,
             names: tuple[str, str, str]) -> tuple[int, int]:
    # (before, after) amounts of padding (or cropping) of one axis of `length`
    if [before, after, target].count(None) != 1:
        raise errors.JnetValueError(
            f"{op}: specify exactly two of {', '.join(names)}, received "
            f"{names[0]}={before}, {names[1]}={after}, {names[2]}={target}."
        )
    for name, value in zip(names, (before, after, target), strict=True):
        if value is not None and value < 0:
            raise errors.JnetValueError(f"{op}: {name} must be >= 0, received {name}={value}.")
    sign = 1 if verb == "pad" else -1
    if before is None:
        before = sign * (target - length) - after
    elif after is None:
        after = sign * (target - length) - before
    for name, value in zip(names[:2], (before, after), strict=True):
        if value < 0:
            raise errors.JnetValueError(
                f"{op}: {name} must be >= 0, received {name}={value} (inferred from "
                f"{names[2]}={target} for an axis of {length})."
            )
    return int(before), int(after)


@keras_op
def pad_images(images: Any, top_padding: int | None = None, left_padding: int | None = None,
               bottom_padding: int | None = None, right_padding: int | None = None,
               target_height: int | None = None, target_width: int | None = None,
               data_format: str | None = None):
    """Pads images with zeros to a target size or by given amounts.

    Of ``top_padding``, ``bottom_padding``, ``target_height`` give exactly two (the third is
    inferred), and likewise of ``left_padding``, ``right_padding``, ``target_width``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        top_padding, left_padding, bottom_padding, right_padding: rows/columns of zeros.
        target_height, target_width: the output's height/width.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The padded images.

    Example:
        >>> pad_images(np.ones((1, 1, 1)), 1, 0, target_height=3, target_width=2)[..., 0].tolist()
        [[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]]
    """
    fmt = _format(data_format)
    images = images_of_rank(images, "pad_images")
    h_axis, w_axis = _spatial(fmt)
    top, bottom = _amounts("pad_images", "pad", top_padding, bottom_padding, target_height,
                           images.shape[h_axis], ("top_padding", "bottom_padding",
                                                  "target_height"))
    left, right = _amounts("pad_images", "pad", left_padding, right_padding, target_width,
                           images.shape[w_axis], ("left_padding", "right_padding",
                                                  "target_width"))
    widths = [(0, 0)] * images.ndim
    widths[images.ndim + h_axis] = (top, bottom)
    widths[images.ndim + w_axis] = (left, right)
    return jnp.pad(images, widths)


@keras_op
def crop_images(images: Any, top_cropping: int | None = None,
                left_cropping: int | None = None, bottom_cropping: int | None = None,
                right_cropping: int | None = None, target_height: int | None = None,
                target_width: int | None = None, data_format: str | None = None):
    """Crops images to a target size or by given amounts.

    Of ``top_cropping``, ``bottom_cropping``, ``target_height`` give exactly two (the third
    is inferred), and likewise of ``left_cropping``, ``right_cropping``, ``target_width``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        top_cropping, left_cropping, bottom_cropping, right_cropping: rows/columns removed.
        target_height, target_width: the output's height/width.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The cropped images.

    Example:
        >>> image = np.arange(9.0).reshape(3, 3, 1)
        >>> crop_images(image, 1, 1, target_height=2, target_width=1)[..., 0].tolist()
        [[4.0], [7.0]]
    """
    fmt = _format(data_format)
    images = images_of_rank(images, "crop_images")
    h_axis, w_axis = _spatial(fmt)
    height, width = images.shape[h_axis], images.shape[w_axis]
    top, bottom = _amounts("crop_images", "crop", top_cropping, bottom_cropping,
                           target_height, height,
                           ("top_cropping", "bottom_cropping", "target_height"))
    left, right = _amounts("crop_images", "crop", left_cropping, right_cropping,
                           target_width, width,
                           ("left_cropping", "right_cropping", "target_width"))
    rows = target_height if target_height is not None else height - top - bottom
    cols = target_width if target_width is not None else width - left - right
    if rows < 0 or cols < 0 or top + rows > height or left + cols > width:
        raise errors.JnetValueError(
            f"crop_images: the crop (top={top}, left={left}, height={rows}, width={cols}) "
            f"does not fit images of height {height} and width {width}."
        )
    index = [slice(None)] * images.ndim
    index[h_axis] = slice(top, top + rows)
    index[w_axis] = slice(left, left + cols)
    return images[tuple(index)]
