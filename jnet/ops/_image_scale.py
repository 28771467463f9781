"""Keras's ``scale_and_translate`` (re-exported by :mod:`jnet.ops.image`), on
``jax.image.scale_and_translate``: resampling with a linear, cubic or Lanczos kernel, half-pixel
centres, antialiased when shrinking.

Integer images are resampled in float32, rounded, clipped to the input's range and cast back
(the images' dtype, as Keras declares it and its TensorFlow backend means to compute).

Example:
    >>> from jnet.ops import _image_scale
    >>> _image_scale.scale_and_translate(np.ones((2, 2)), (4, 4), np.array([2.0, 2.0]),
    ...                                  np.zeros(2), (0, 1), "linear").shape
    (4, 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op

__all__ = ["scale_and_translate"]

_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3",
            "lanczos5")


def _spatial_dims(spatial_dims: Any, ndim: int) -> tuple[int, ...]:
    try:
        dims = tuple(spatial_dims)
    except TypeError:
        dims = None
    if dims is None or not all(isinstance(d, int | np.integer) and -ndim <= d < ndim
                               for d in dims):
        raise errors.JnetValueError(
            f"scale_and_translate: `spatial_dims` must be a tuple of axes of images (rank "
            f"{ndim}), received spatial_dims={spatial_dims!r}."
        )
    return tuple(int(d) % ndim for d in dims)


def _vector(value: Any, name: str, size: int) -> jax.Array:
    vector = convert(value)
    if vector.shape != (size,):
        raise errors.JnetValueError(
            f"scale_and_translate: `{name}` must have one number per spatial dimension, shape "
            f"({size},), received {name}.shape={tuple(vector.shape)}."
        )
    return vector


@keras_op
def scale_and_translate(images: Any, output_shape: Sequence[int], scale: Any, translation: Any,
                        spatial_dims: Sequence[int], method: str, antialias: bool = True):
    """Resamples ``images`` to ``output_shape`` with a scale and a translation.

    An input location ``x`` (with pixel centres at ``i + 0.5``) goes to
    ``x * scale + translation`` in the output, along each of ``spatial_dims``; output points
    that fall outside the input are zero.

    Args:
        images: an array of any rank.
        output_shape: the result's shape (``images``'s rank; the axes not in
            ``spatial_dims`` keep their sizes, None for them is allowed).
        scale: ``(K,)``: the scale along each spatial dimension.
        translation: ``(K,)``: the translation along each spatial dimension.
        spatial_dims: the ``K`` axes that are resampled.
        method: ``'linear'``, ``'bilinear'``, ``'trilinear'``, ``'cubic'``, ``'bicubic'``,
            ``'tricubic'``, ``'lanczos3'`` or ``'lanczos5'``.
        antialias: whether shrinking is antialiased (the kernel is stretched). Defaults to
            True; no effect when enlarging.

    Returns:
        The resampled images, ``output_shape``, ``images``'s dtype.

    Example:
        >>> images = np.arange(9, dtype="float32").reshape((3, 3))
        >>> scale = np.array([2.0, 2.0], "float32")
        >>> out = scale_and_translate(images, (5, 5), scale, 0.5 - scale / 2, (0, 1), "linear")
        >>> out[0].tolist()
        [0.0, 0.5, 1.0, 1.5, 2.0]
    """
    if method not in _METHODS:
        raise errors.JnetValueError(
            f"scale_and_translate: `method` must be one of {', '.join(_METHODS)}, received "
            f"method={method!r}."
        )
    images = convert(images)
    dims = _spatial_dims(spatial_dims, images.ndim)
    kept = [d for d in range(images.ndim) if d not in dims]
    try:  # None keeps an axis's size (a batch of unknown size between layers)
        shape = tuple(images.shape[d] if n is None and d in kept else int(n)
                      for d, n in enumerate(output_shape))
    except (TypeError, ValueError):
        shape = ()
    if len(shape) != images.ndim or any(shape[d] != images.shape[d] for d in kept):
        raise errors.JnetValueError(
            f"scale_and_translate: `output_shape` must have images' rank and keep the sizes of "
            f"the axes not in spatial_dims={dims}, received output_shape={tuple(output_shape)} "
            f"for images.shape={tuple(images.shape)}."
        )
    scale = _vector(scale, "scale", len(dims))
    translation = _vector(translation, "translation", len(dims))
    dtype = _dtypes.result_type(_dtypes.dtype_of(scale), _dtypes.dtype_of(translation), float)
    scale, translation = scale.astype(dtype), translation.astype(dtype)
    integer = not jnp.issubdtype(images.dtype, jnp.inexact)
    x = images.astype(jnp.float32) if integer else images
    out = jax.image.scale_and_translate(x, shape, dims, scale, translation, method,
                                        antialias=antialias)
    if integer:
        out = jnp.clip(jnp.round(out), jnp.min(x), jnp.max(x)).astype(images.dtype)
    return out
