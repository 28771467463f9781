"""Sampling a batch of images at computed points (``jax.scipy.ndimage.map_coordinates`` on each
channel), shared by the warps of :mod:`jnet.ops.image`: ``perspective_transform`` and
``elastic_transform``.

Points and pixels are interpolated in float32 by default (or the images' wider float type),
as Keras's JAX backend does when its float32 coordinates meet float16 pixels; integer images are
rounded half away from zero and cast back, as ``jax.scipy.ndimage.map_coordinates`` does.

Example:
    >>> from jnet.ops import _image_sampling
    >>> images = np.arange(4.0).reshape(1, 1, 4, 1)
    >>> cols = np.array([[[0.5, 1.5, 2.5, 3.5]]], "float32")
    >>> _image_sampling.sample(images, np.zeros_like(cols), cols, 1, "constant", 0)[0, 0, :, 0]
    Array([0.5, 1.5, 2.5, 1.5], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.ndimage as jnd
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._op import convert

__all__ = ["compute_dtype", "sample"]


def compute_dtype(dtype: Any) -> str:
    """The float type points and pixels of ``dtype`` images are interpolated in."""
    return _dtypes.result_type(_dtypes.standardize_dtype(dtype), "float32")


def _fill(fill_value: Any, dtype: Any) -> float:
    # map_coordinates takes cval as a static Python number: fill_value in the images' dtype
    try:
        return float(np.asarray(fill_value).astype(dtype).item())
    except (TypeError, jax.errors.ConcretizationTypeError):
        raise errors.JnetValueError(
            f"`fill_value` must be a number known before tracing, received "
            f"fill_value={fill_value!r}."
        ) from None


def sample(images: Any, rows: Any, cols: Any, order: int, mode: str, fill_value: Any,
           compute: Any = None) -> jax.Array:
    """``images`` ``(N, H, W, C)`` (channels last) read at ``(rows, cols)``, each ``(N, h, w)``
    in pixel units: ``(N, h, w, C)`` of ``images``'s dtype.

    ``order`` is 0 (nearest) or 1 (bilinear); ``mode`` and ``fill_value`` are
    ``map_coordinates``'s ``mode`` and ``cval``; ``compute`` the float type of the
    interpolation (default :func:`compute_dtype` of the images').
    """
    images = convert(images)
    compute = compute_dtype(images.dtype) if compute is None else compute
    pixels = images.astype(compute)
    rows, cols = convert(rows).astype(compute), convert(cols).astype(compute)
    cval = _fill(fill_value, images.dtype)

    def one(image, r, c):
        def channel(plane):
            return jnd.map_coordinates(plane, [r, c], order=order, mode=mode, cval=cval)

        return jax.vmap(channel, in_axes=-1, out_axes=-1)(image)

    out = jax.vmap(one)(pixels, rows, cols)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        out = jax.lax.round(out, jax.lax.RoundingMethod.AWAY_FROM_ZERO)
    return out.astype(images.dtype)
