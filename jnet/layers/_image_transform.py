"""Projective image transforms as Keras computes them on TensorFlow (shared by the image layers).

``affine_transform`` is ``keras.ops.image.affine_transform`` rebuilt on ``jax.numpy``: a row
``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps each *output* pixel ``(x, y)`` to the *input*
point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with ``k = c0 x + c1 y + 1``,
which is then read with ``'nearest'`` or ``'bilinear'`` interpolation. Points outside the
image follow ``fill_mode`` exactly as TensorFlow's ``ImageProjectiveTransformV3`` kernel
(Keras's TensorFlow backend) maps them: ``'reflect'``, ``'wrap'`` and ``'nearest'`` fold the
point into ``[0, size - 1]`` (``'wrap'`` with TensorFlow's own period arithmetic), while
``'constant'`` reads ``fill_value`` for each of the four bilinear neighbours that lies outside,
so edge pixels blend into the fill. Keras's JAX backend uses ``scipy.ndimage``'s boundary rules
instead, which differ near the edges; TensorFlow is jnet's reference.

The ``*_transform`` builders return the rows that Keras's ``RandomRotation``,
``RandomTranslation`` and ``RandomZoom`` compute from their random draws.

Example:
    >>> import jax.numpy as jnp
    >>> image = jnp.arange(9.0).reshape(1, 3, 3, 1)
    >>> shift = translation_transform(jnp.array([[1.0, 0.0]]))  # 1 pixel right
    >>> affine_transform(image, shift, fill_mode="constant")[0, :, :, 0]
    Array([[0., 0., 1.],
           [0., 3., 4.],
           [0., 6., 7.]], dtype=float32)
"""

from __future__ import annotations

import functools
import math
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet._registry import Registry

__all__ = [
    "FILL_MODES",
    "INTERPOLATIONS",
    "affine_transform",
    "check_choice",
    "rotation_transform",
    "translation_transform",
    "zoom_transform",
]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")
DATA_FORMATS = ("channels_last", "channels_first")

_CHOICES = {
    "fill_mode": Registry("fill_mode", {m: m for m in FILL_MODES}),
    "interpolation": Registry("interpolation", {m: m for m in INTERPOLATIONS}),
    "data_format": Registry("data_format", {m: m for m in DATA_FORMATS}),
}


def check_choice(
    owner: str, argument: str, value: Any, valid: tuple[str, ...] | None = None
) -> str:
    """Returns ``value`` if it is one of the valid strings for ``argument``, else raises.

    Args:
        owner: who is asking (a layer class name), put first in the message.
        argument: ``'fill_mode'``, ``'interpolation'``, ``'data_format'`` or any name when
            ``valid`` is given.
        value: the received value.
        valid: the accepted strings (default: the known ones for ``argument``).

    Raises:
        UnknownIdentifierError: listing the valid names and the nearest match.
    """
    registry = _CHOICES[argument] if valid is None else Registry(argument, {v: v for v in valid})
    if isinstance(value, str) and value in registry:
        return registry.canonical(value)
    raise errors.UnknownIdentifierError(
        f"{owner}: {errors.unknown_identifier(argument, value, registry.names())}"
    )


def affine_transform(
    images: Any,
    transform: Any,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str | None = None,
) -> jnp.ndarray:
    """Applies projective transforms to images, as ``keras.ops.image.affine_transform``.

    Args:
        images: ``(batch, height, width, channels)`` or one image ``(height, width,
            channels)`` (channels first with ``data_format='channels_first'``).
        transform: ``(8,)`` or ``(batch, 8)`` rows ``[a0, a1, a2, b0, b1, b2, c0, c1]``
            mapping output pixels to input points (one row for all images, or one per image).
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: ``'constant'`` (default), ``'reflect'``, ``'wrap'`` or ``'nearest'``: how
            points outside the input are read.
        fill_value: the value of points outside the input when ``fill_mode='constant'``.
        data_format: ``'channels_last'`` (default when None) or ``'channels_first'``.

    Returns:
        The transformed images, same shape and dtype as ``images``.

    Example:
        >>> import jax.numpy as jnp
        >>> image = jnp.arange(4.0).reshape(2, 2, 1)
        >>> flip = jnp.array([-1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0])  # x -> 1 - x
        >>> affine_transform(image, flip)[:, :, 0]
        Array([[1., 0.],
               [3., 2.]], dtype=float32)
    """
    interpolation = check_choice("affine_transform", "interpolation", interpolation)
    fill_mode = check_choice("affine_transform", "fill_mode", fill_mode)
    data_format = check_choice(
        "affine_transform", "data_format", "channels_last" if data_format is None else data_format
    )
    images = jnp.asarray(images)
    transform = jnp.asarray(transform, dtype=jnp.float32)
    if images.ndim not in (3, 4):
        raise errors.JnetValueError(
            f"affine_transform expects images of rank 4 (batch of images) or 3 (one image), "
            f"received shape {tuple(images.shape)}."
        )
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise errors.JnetValueError(
            f"affine_transform expects transform of shape (8,) or (batch, 8), received shape "
            f"{tuple(transform.shape)}."
        )
    single = images.ndim == 3
    if single:
        images = images[None]
    if transform.ndim == 1:
        transform = transform[None]
    if transform.shape[0] not in (1, images.shape[0]):
        raise errors.JnetValueError(
            f"affine_transform: transform has {transform.shape[0]} rows for a batch of "
            f"{images.shape[0]} images; give one row, or one row per image."
        )
    if data_format == "channels_first":
        images = jnp.transpose(images, (0, 2, 3, 1))
    out = transform_channels_last(images, transform, interpolation, fill_mode, fill_value)
    if data_format == "channels_first":
        out = jnp.transpose(out, (0, 3, 1, 2))
    return out[0] if single else out


@functools.partial(jax.jit, static_argnames=("interpolation", "fill_mode"))
def transform_channels_last(
    images: jnp.ndarray,
    transform: jnp.ndarray,
    interpolation: str,
    fill_mode: str,
    fill_value: Any,
) -> jnp.ndarray:
    """:func:`affine_transform` on validated ``(batch, h, w, c)`` images and ``(n, 8)`` rows
    (``n`` is 1 or batch); TensorFlow's ``ImageProjectiveTransformV3`` arithmetic, in float32.
    Compiled once per shape and mode, so eager calls are fast too."""
    dtype = images.dtype
    values = images.astype(jnp.float32)
    batch, height, width, _ = values.shape
    t = [transform[:, i].reshape(-1, 1, 1) for i in range(8)]
    out_y = jnp.arange(height, dtype=jnp.float32).reshape(1, height, 1)
    out_x = jnp.arange(width, dtype=jnp.float32).reshape(1, 1, width)
    projection = t[6] * out_x + t[7] * out_y + 1.0
    in_x = (t[0] * out_x + t[1] * out_y + t[2]) / projection
    in_y = (t[3] * out_x + t[4] * out_y + t[5]) / projection
    shape = (batch, height, width)
    in_x = jnp.broadcast_to(in_x, shape)
    in_y = jnp.broadcast_to(in_y, shape)
    x = _map_coordinate(in_x, width, fill_mode)
    y = _map_coordinate(in_y, height, fill_mode)
    fill = jnp.asarray(fill_value, dtype=jnp.float32)
    finite = jnp.broadcast_to(projection, shape) != 0.0
    rows = jnp.broadcast_to(jnp.arange(batch).reshape(batch, 1, 1), shape)

    def read(yi, xi):
        valid = (yi >= 0) & (yi < height) & (xi >= 0) & (xi < width)
        v = values[rows, jnp.clip(yi, 0, height - 1), jnp.clip(xi, 0, width - 1)]
        return jnp.where(valid[..., None], v, fill)

    if interpolation == "nearest":
        # std::round: halves away from zero.
        yi = _round_half_away(y).astype(jnp.int32)
        xi = _round_half_away(x).astype(jnp.int32)
        out = read(yi, xi)
    else:
        y_floor = jnp.floor(y)
        x_floor = jnp.floor(x)
        y_ceil = y_floor + 1.0
        x_ceil = x_floor + 1.0
        y0, x0 = y_floor.astype(jnp.int32), x_floor.astype(jnp.int32)
        y1, x1 = y0 + 1, x0 + 1
        wx0 = (x_ceil - x)[..., None]
        wx1 = (x - x_floor)[..., None]
        wy0 = (y_ceil - y)[..., None]
        wy1 = (y - y_floor)[..., None]
        value_yfloor = wx0 * read(y0, x0) + wx1 * read(y0, x1)
        value_yceil = wx0 * read(y1, x0) + wx1 * read(y1, x1)
        out = wy0 * value_yfloor + wy1 * value_yceil
    out = jnp.where(finite[..., None], out, fill)
    return out if out.dtype == dtype else out.astype(dtype)


def _round_half_away(v: jnp.ndarray) -> jnp.ndarray:
    a = jnp.abs(v)
    f = jnp.floor(a)
    return jnp.copysign(jnp.where(a - f >= 0.5, f + 1.0, f), v)


def _map_coordinate(coord: jnp.ndarray, length: int, fill_mode: str) -> jnp.ndarray:
    """TensorFlow's ``MapCoordinate`` for one axis of ``length`` pixels."""
    n = float(length)
    if fill_mode == "constant":
        return coord
    if fill_mode == "nearest":
        return jnp.clip(coord, 0.0, n - 1.0)
    if length <= 1:
        return jnp.zeros_like(coord)
    if fill_mode == "reflect":
        # (d c b a | a b c d | d c b a)
        sz2 = 2.0 * n
        neg = sz2 * jnp.trunc(-coord / sz2) + coord
        neg = jnp.where(neg < -n, neg + sz2, -neg - 1.0)
        pos = coord - sz2 * jnp.trunc(coord / sz2)
        pos = jnp.where(pos >= n, sz2 - pos - 1.0, pos)
    else:
        # 'wrap' (a b c d | a b c d | a b c d), with TensorFlow's period arithmetic.
        sz = n - 1.0
        neg = coord + n * (jnp.trunc(-coord / sz) + 1.0)
        pos = coord - n * jnp.trunc(coord / sz)
    mapped = jnp.where(coord < 0.0, neg, jnp.where(coord > n - 1.0, pos, coord))
    return jnp.clip(mapped, 0.0, n - 1.0)


def _column(v: jnp.ndarray) -> jnp.ndarray:
    return jnp.asarray(v, jnp.float32).reshape(-1, 1)


def rotation_transform(angle: Any, height: int, width: int) -> jnp.ndarray:
    """Rows rotating each image by ``angle`` degrees (counter-clockwise) about its centre.

    Keras's ``BaseImagePreprocessingLayer._compute_affine_matrix`` with centre (0.5, 0.5),
    no translation or shear and scale 1, in the same order of float32 operations.

    Args:
        angle: ``(batch,)`` angles in degrees.
        height: image height in pixels.
        width: image width in pixels.

    Returns:
        ``(batch, 8)`` float32 transform rows.
    """
    angle = _column(angle) * jnp.float32(math.pi / 180.0)
    cx = 0.5 * (jnp.float32(width) - 1.0)
    cy = 0.5 * (jnp.float32(height) - 1.0)
    cos, sin = jnp.cos(angle), jnp.sin(angle)
    a0, a1 = cos, -sin
    b0, b1 = sin, cos
    a2 = cx - cx * a0 - cy * a1
    b2 = cy - cx * b0 - cy * b1
    zeros = jnp.zeros_like(angle)
    return jnp.concatenate([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def translation_transform(translations: Any) -> jnp.ndarray:
    """Rows shifting each image by ``(dx, dy)`` pixels (right and down when positive).

    Args:
        translations: ``(batch, 2)`` pixel shifts, width (x) first, as Keras's
            ``RandomTranslation`` stores them.

    Returns:
        ``(batch, 8)`` float32 transform rows ``[1, 0, -dx, 0, 1, -dy, 0, 0]``.
    """
    translations = jnp.asarray(translations, jnp.float32)
    ones = jnp.ones_like(translations[:, :1])
    zeros = jnp.zeros_like(ones)
    return jnp.concatenate(
        [ones, zeros, -translations[:, 0:1], zeros, ones, -translations[:, 1:2], zeros, zeros],
        axis=1,
    )


def zoom_transform(zooms: Any, height: int, width: int) -> jnp.ndarray:
    """Rows scaling each image about its centre: a zoom above 1 zooms out, below 1 zooms in.

    Args:
        zooms: ``(batch, 2)`` factors, width (x) first, as Keras's ``RandomZoom`` stores them.
        height: image height in pixels.
        width: image width in pixels.

    Returns:
        ``(batch, 8)`` float32 transform rows.
    """
    zooms = jnp.asarray(zooms, jnp.float32)
    zx, zy = zooms[:, 0:1], zooms[:, 1:2]
    x_offset = ((jnp.float32(width) - 1.0) / 2.0) * (1.0 - zx)
    y_offset = ((jnp.float32(height) - 1.0) / 2.0) * (1.0 - zy)
    zeros = jnp.zeros_like(zx)
    return jnp.concatenate([zx, zeros, x_offset, zeros, zy, y_offset, zeros, zeros], axis=1)
