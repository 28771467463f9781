"""Keras's ``elastic_transform`` (re-exported by :mod:`jnet.ops.image`): a random displacement
field, smoothed by a Gaussian blur and scaled by ``alpha``, moves every pixel.

The draw follows Keras's JAX backend: an int seed ``s`` is the key ``uint32[s, 0]`` (the same
field on every call), a ``SeedGenerator`` gives its next key, a key array is used as is;
``seed=None`` takes a fresh key from jnet's seed stream (``jnet.utils.set_random_seed``
repeats it). As in Keras (both backends), the horizontal and vertical fields are drawn with the
same key, so they are equal: pixels move along the diagonal.

Example:
    >>> from jnet.ops import _image_elastic
    >>> image = np.linspace(0, 1, 64, dtype="float32").reshape(8, 8, 1)
    >>> a = _image_elastic.elastic_transform(image, alpha=5.0, sigma=1.0, seed=3)
    >>> b = _image_elastic.elastic_transform(image, alpha=5.0, sigma=1.0, seed=3)
    >>> a.shape, bool((a == b).all())
    ((8, 8, 1), True)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.ops._image_common import batched, images_of_rank, unbatched
from jnet.ops._image_common import data_format as _format
from jnet.ops._image_filters import depthwise_same, gaussian_kernel_1d
from jnet.ops._image_sampling import sample
from jnet.ops._op import convert, keras_op, result_dtype
from jnet.utils import random as seed_stream

__all__ = ["elastic_transform", "seed_key"]

_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def seed_key(seed: Any) -> Any:
    """The key one draw uses, from a ``seed=`` as Keras's JAX backend takes it (see the module
    docstring)."""
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        return jnp.asarray([int(seed) & 0xFFFFFFFF, 0], jnp.uint32)
    if seed is None:
        return jnp.asarray([seed_stream.next_seed(), 0], jnp.uint32)
    if callable(getattr(seed, "next", None)):  # a SeedGenerator
        return seed.next()
    if isinstance(seed, jax.Array | np.ndarray) and (
            jnp.issubdtype(seed.dtype, jax.dtypes.prng_key) or seed.shape == (2,)):
        return seed
    raise errors.JnetValueError(
        f"elastic_transform: `seed` must be an integer, a SeedGenerator, a uint32[2] key or "
        f"None, received seed={seed!r} (of type {type(seed).__name__})."
    )


def _number(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, jax.errors.ConcretizationTypeError):
        raise errors.JnetValueError(
            f"elastic_transform: `{name}` must be a number known before tracing (it sets the "
            f"blur's kernel size), received {name}={value!r}."
        ) from None


@keras_op
def elastic_transform(images: Any, alpha: float = 20.0, sigma: float = 5.0,
                      interpolation: str = "bilinear", fill_mode: str = "reflect",
                      fill_value: Any = 0.0, seed: Any = None,
                      data_format: str | None = None):
    """Deforms images elastically: each pixel moves by a smoothed random displacement.

    The displacement is standard normal noise times ``sigma``, blurred by a Gaussian of
    standard deviation ``sigma`` (kernel size ``int(6 * sigma) | 1``), times ``alpha``.

    Args:
        images: float images ``(H, W, C)`` or ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        alpha: the strength of the deformation. Defaults to 20.0.
        sigma: the smoothness of the displacement field. Defaults to 5.0.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        fill_mode: how points outside the input are filled: ``'reflect'`` (default),
            ``'constant'`` (``fill_value``), ``'nearest'``, ``'wrap'``, ``'mirror'``.
        fill_value: the value of ``'constant'`` filling. Defaults to 0.0.
        seed: an int, a ``jnet.random.SeedGenerator``, a ``uint32[2]`` key, or None (a fresh
            draw from jnet's seed stream). Inside ``jax.jit`` pass a key or an int.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The deformed images, ``images``'s shape and dtype.

    Example:
        >>> image = np.linspace(0, 1, 3 * 16 * 16, dtype="float32").reshape(3, 16, 16)
        >>> out = elastic_transform(image, seed=0, data_format="channels_first")
        >>> out.shape, out.dtype
        ((3, 16, 16), dtype('float32'))
        >>> bool((elastic_transform(image, alpha=0.0, data_format="channels_first")
        ...       == image).all())
        True
    """
    fmt = _format(data_format)
    if interpolation not in _ORDERS:
        raise errors.JnetValueError(
            f"elastic_transform: `interpolation` must be 'nearest' or 'bilinear', received "
            f"interpolation={interpolation!r}."
        )
    if fill_mode not in _FILL_MODES:
        raise errors.JnetValueError(
            f"elastic_transform: `fill_mode` must be one of {', '.join(_FILL_MODES)}, "
            f"received fill_mode={fill_mode!r}."
        )
    images = images_of_rank(images, "elastic_transform")
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise errors.JnetTypeError(
            f"elastic_transform: images must be a float array, received "
            f"images.dtype={images.dtype}: cast them first (ops.cast(images, 'float32'))."
        )
    size = int(6 * _number(sigma, "sigma")) | 1
    x, single = batched(images, fmt)
    batch, height, width, _ = x.shape
    # Keras's Python-number alpha and sigma are weak: float16 images deform in float16
    compute = result_dtype(x, alpha, sigma)
    sigma = convert(sigma).astype(compute)
    alpha = convert(alpha).astype(compute)
    noise = jax.random.normal(seed_key(seed), (batch, height, width), dtype=x.dtype)
    window = gaussian_kernel_1d(size, sigma, compute)
    field = depthwise_same(noise.astype(compute)[..., None] * sigma, jnp.outer(window, window))
    shift = alpha * field[..., 0]  # Keras's dx and dy: drawn with the same key, so equal
    rows, cols = jnp.meshgrid(jnp.arange(height, dtype=compute),
                              jnp.arange(width, dtype=compute), indexing="ij")
    out = sample(x, rows[None] + shift, cols[None] + shift, _ORDERS[interpolation], fill_mode,
                 fill_value, compute)
    return unbatched(out, fmt, single)
