"""Keras's ``perspective_transform`` (re-exported by :mod:`jnet.ops.image`): the homography
that takes four end points to four start points, solved as an 8x8 linear system
(``jnp.linalg.solve``, float32), then each output pixel read from the input by interpolation.

Example:
    >>> from jnet.ops import _image_perspective
    >>> corners = np.array([[0, 0], [0, 4], [4, 0], [4, 4]])
    >>> (np.asarray(_image_perspective.homography(corners, corners)).round(4) + 0.0).tolist()
    [[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._image_common import batched, images_of_rank, unbatched
from jnet.ops._image_common import data_format as _format
from jnet.ops._image_sampling import compute_dtype, sample
from jnet.ops._op import convert, keras_op

__all__ = ["homography", "perspective_transform"]

_ORDERS = {"nearest": 0, "bilinear": 1}


def homography(start_points: Any, end_points: Any) -> jax.Array:
    """Keras's 8 projective numbers ``(N, 8)`` that map each end point (an output pixel
    ``(x, y)``) to its start point (where it is read in the input); points ``(N, 4, 2)`` or
    ``(4, 2)``."""
    start = convert(start_points, "float32").reshape(-1, 4, 2)
    end = convert(end_points, "float32").reshape(-1, 4, 2)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    one, zero = jnp.ones_like(ex), jnp.zeros_like(ex)
    # a0 x + a1 y + a2 - c0 x X - c1 y X = X, and the same for Y with b0, b1, b2
    x_rows = jnp.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    y_rows = jnp.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    system = jnp.concatenate([x_rows, y_rows], axis=1)
    target = jnp.concatenate([sx, sy], axis=-1)
    return jnp.linalg.solve(system, target[..., None])[..., 0]


def _points(value: Any, name: str) -> jax.Array:
    points = convert(value)
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise errors.JnetValueError(
            f"perspective_transform: invalid {name} shape: expected (4, 2) for a single image "
            f"or (N, 4, 2) for a batch, received {name}.shape={tuple(points.shape)}."
        )
    return points


@keras_op
def perspective_transform(images: Any, start_points: Any, end_points: Any,
                          interpolation: str = "bilinear", fill_value: Any = 0,
                          data_format: str | None = None):
    """Warps images by the perspective transform taking ``start_points`` to ``end_points``.

    The output pixel at an end point shows the input at the matching start point (the four
    corners of a quadrilateral, each ``(x, y)``); points outside the input get
    ``fill_value``.

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        start_points: ``(4, 2)`` or ``(N, 4, 2)``: four ``(x, y)`` points in the input.
        end_points: ``start_points``'s shape: where they go in the output.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_value: the value of points outside the input. Defaults to 0.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The transformed images, ``images``'s shape and dtype.

    Example:
        >>> image = np.arange(16.0).reshape(4, 4, 1)
        >>> start = np.array([[0, 0], [0, 3], [3, 0], [3, 3]])
        >>> out = perspective_transform(image, start, start + 1)  # moved down and right
        >>> np.asarray(out[..., 0]).round(4).tolist()[1]
        [0.0, 0.0, 1.0, 2.0]
    """
    fmt = _format(data_format)
    if interpolation not in _ORDERS:
        raise errors.JnetValueError(
            f"perspective_transform: `interpolation` must be 'nearest' or 'bilinear', "
            f"received interpolation={interpolation!r}."
        )
    images = images_of_rank(images, "perspective_transform")
    start, end = _points(start_points, "start_points"), _points(end_points, "end_points")
    if start.shape != end.shape:
        raise errors.JnetValueError(
            f"perspective_transform: start_points and end_points must have the same shape, "
            f"received start_points.shape={tuple(start.shape)}, "
            f"end_points.shape={tuple(end.shape)}."
        )
    x, single = batched(images, fmt)
    transform = homography(start, end)
    if transform.shape[0] not in (1, x.shape[0]):
        raise errors.JnetValueError(
            f"perspective_transform: {transform.shape[0]} sets of points for a batch of "
            f"{x.shape[0]} images: give one set (4, 2) or one per image (N, 4, 2)."
        )
    transform = jnp.broadcast_to(transform, (x.shape[0], 8)).astype(compute_dtype(x.dtype))
    rows, cols = jnp.meshgrid(jnp.arange(x.shape[1], dtype=transform.dtype),
                              jnp.arange(x.shape[2], dtype=transform.dtype), indexing="ij")
    rows, cols = rows[None], cols[None]
    t = [transform[:, i, None, None] for i in range(8)]
    scale = t[6] * cols + t[7] * rows + 1
    src_cols = (t[0] * cols + t[1] * rows + t[2]) / scale
    src_rows = (t[3] * cols + t[4] * rows + t[5]) / scale
    out = sample(x, src_rows, src_cols, _ORDERS[interpolation], "constant", fill_value)
    return unbatched(out, fmt, single)
