"""Keras's geometric image ops: ``affine_transform`` and ``map_coordinates`` (re-exported by
:mod:`jnet.ops.image`), on ``jax.scipy.ndimage.map_coordinates``.

Example:
    >>> from jnet.ops import _image_transform
    >>> shift = np.array([1.0, 0, 0, 0, 1, 0, 0, 0])  # the identity
    >>> _image_transform.affine_transform(np.ones((2, 2, 1)), shift)[..., 0].tolist()
    [[1.0, 1.0], [1.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.ndimage as jnd

from jnet import errors
from jnet.ops._image_common import batched, images_of_rank, unbatched
from jnet.ops._image_common import data_format as _format
from jnet.ops._op import convert, keras_op

__all__ = ["affine_transform", "map_coordinates"]

_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _fill_mode(op: str, fill_mode: str) -> str:
    if fill_mode not in _FILL_MODES:
        raise errors.JnetValueError(
            f"{op}: `fill_mode` must be one of {', '.join(_FILL_MODES)}, received "
            f"fill_mode={fill_mode!r}."
        )
    return fill_mode


@keras_op
def affine_transform(images: Any, transform: Any, interpolation: str = "bilinear",
                     fill_mode: str = "constant", fill_value: Any = 0,
                     data_format: str | None = None):
    """Applies projective transforms given as Keras's 8 numbers.

    ``transform`` ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps each output pixel ``(x, y)`` to
    the input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with
    ``k = c0 x + c1 y + 1``, which is then interpolated.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        transform: 8 numbers, or ``(N, 8)`` for a batch (one transform per image).
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: how points outside the input are filled: ``'constant'`` (default,
            ``fill_value``), ``'nearest'``, ``'wrap'``, ``'mirror'``, ``'reflect'``.
        fill_value: the value of ``'constant'`` filling. Defaults to 0.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The transformed images, ``images``'s shape and dtype.

    Example:
        >>> image = np.arange(4.0).reshape(1, 4, 1)
        >>> shift = np.array([1.0, 0, 1, 0, 1, 0, 0, 0])  # read one pixel to the right
        >>> affine_transform(image, shift)[0, :, 0].tolist()
        [1.0, 2.0, 3.0, 0.0]
    """
    fmt = _format(data_format)
    if interpolation not in _ORDERS:
        raise errors.JnetValueError(
            f"affine_transform: `interpolation` must be 'nearest' or 'bilinear', received "
            f"interpolation={interpolation!r}."
        )
    _fill_mode("affine_transform", fill_mode)
    images = images_of_rank(images, "affine_transform")
    transform = convert(transform)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise errors.JnetValueError(
            f"affine_transform: `transform` must have shape (8,) or (batch, 8), received "
            f"transform.shape={tuple(transform.shape)}."
        )
    x, single = batched(images, fmt)
    compute = x.dtype if jnp.issubdtype(x.dtype, jnp.floating) else jnp.float32
    transform = jnp.broadcast_to(transform.reshape(-1, 8), (x.shape[0], 8)).astype(compute)
    rows, cols = jnp.meshgrid(jnp.arange(x.shape[1], dtype=compute),
                              jnp.arange(x.shape[2], dtype=compute), indexing="ij")

    def one(image, t):
        k = t[6] * cols + t[7] * rows + 1
        src_x = (t[0] * cols + t[1] * rows + t[2]) / k
        src_y = (t[3] * cols + t[4] * rows + t[5]) / k

        def channel(plane):
            return jnd.map_coordinates(plane, [src_y, src_x], order=_ORDERS[interpolation],
                                       mode=fill_mode, cval=fill_value)

        return jax.vmap(channel, in_axes=-1, out_axes=-1)(image)

    out = jax.vmap(one)(x, transform).astype(images.dtype)
    return unbatched(out, fmt, single)


@keras_op
def map_coordinates(inputs: Any, coordinates: Any, order: int, fill_mode: str = "constant",
                    fill_value: Any = 0):
    """Samples ``inputs`` at ``coordinates`` by interpolation (``scipy.ndimage``'s).

    Args:
        inputs: an array of any rank ``R``.
        coordinates: ``(R, ...)``: for each output point, its (fractional) index along each
            of the ``R`` axes of ``inputs``.
        order: the spline order: 0 (nearest) or 1 (linear).
        fill_mode: how points outside ``inputs`` are filled: ``'constant'`` (default,
            ``fill_value``), ``'nearest'``, ``'wrap'``, ``'mirror'``, ``'reflect'``.
        fill_value: the value of ``'constant'`` filling. Defaults to 0.

    Returns:
        The sampled values, shape ``coordinates.shape[1:]``, ``inputs``'s dtype.

    Example:
        >>> map_coordinates(np.array([0.0, 10.0, 20.0]), np.array([[0.5, 1.25]]), 1).tolist()
        [5.0, 12.5]
    """
    inputs, coordinates = convert(inputs), convert(coordinates)
    if coordinates.ndim < 2:
        raise errors.JnetValueError(
            f"map_coordinates: `coordinates` must have rank >= 2, received shape "
            f"{tuple(coordinates.shape)}."
        )
    if coordinates.shape[0] != inputs.ndim:
        raise errors.JnetValueError(
            f"map_coordinates: the first dimension of `coordinates` must be the rank of "
            f"`inputs` ({inputs.ndim}), received coordinates.shape={tuple(coordinates.shape)}."
        )
    _fill_mode("map_coordinates", fill_mode)
    if order not in (0, 1):
        raise errors.JnetValueError(
            f"map_coordinates: `order` must be 0 or 1, received order={order!r}."
        )
    if not jnp.issubdtype(coordinates.dtype, jnp.floating):
        coordinates = coordinates.astype(jnp.float32)
    return jnd.map_coordinates(inputs, list(coordinates), order, mode=fill_mode,
                               cval=fill_value)
