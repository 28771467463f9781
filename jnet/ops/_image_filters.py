"""Keras's convolution filters on images: ``gaussian_blur`` and ``sobel_edges`` (re-exported by
:mod:`jnet.ops.image`), each a depthwise ``jax.lax.conv_general_dilated`` with ``'SAME'`` zero
padding, as on Keras's JAX backend.

Example:
    >>> from jnet.ops import _image_filters
    >>> _image_filters.gaussian_blur(np.ones((5, 5, 1)))[2, 2, 0].round(4).item()
    1.0
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.ops._image_common import batched, images_of_rank, unbatched
from jnet.ops._image_common import data_format as _format
from jnet.ops._op import convert, keras_op

__all__ = ["depthwise_same", "gaussian_blur", "gaussian_kernel_1d", "sobel_edges"]

_SOBEL_Y = ((-1, -2, -1), (0, 0, 0), (1, 2, 1))
_SOBEL_X = ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1))


def gaussian_kernel_1d(size: int, sigma: Any, dtype: Any) -> jax.Array:
    """The normalized Gaussian ``exp(-x**2 / (2 sigma**2))`` on ``size`` points centred on 0."""
    x = jnp.arange(size, dtype=dtype) - jnp.asarray((size - 1) / 2, dtype)
    kernel = jnp.exp(-0.5 * jnp.square(x / jnp.asarray(sigma, dtype)))
    return kernel / jnp.sum(kernel)


def depthwise_same(images: jax.Array, kernel: jax.Array) -> jax.Array:
    """Correlates each channel of a channels-last batch ``(N, H, W, C)`` with the 2-D
    ``kernel`` ``(kh, kw)``: zero ``'SAME'`` padding, the result in ``images``'s shape."""
    channels = images.shape[-1]
    weights = jnp.tile(kernel.astype(images.dtype)[:, :, None, None], (1, 1, 1, channels))
    return jax.lax.conv_general_dilated(
        images, weights, window_strides=(1, 1), padding="SAME",
        dimension_numbers=("NHWC", "HWIO", "NHWC"), feature_group_count=channels,
    )


def _pair(op: str, name: str, value: Any, integer: bool) -> tuple[Any, Any]:
    # a number for both axes, or two of them (a tuple, list or array)
    pair = tuple(value) if np.ndim(value) == 1 else (value, value)
    if integer:
        ok = all(isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 1
                 for v in pair)
    else:
        ok = all(isinstance(v, int | float | np.number) or hasattr(v, "dtype") for v in pair)
    if len(pair) != 2 or not ok or np.ndim(value) > 1:
        expected = "positive integers" if integer else "numbers"
        raise errors.JnetValueError(
            f"{op}: `{name}` must be a tuple of two {expected}, received {name}={value!r}."
        )
    return pair


def _float_images(images: Any, op: str) -> jax.Array:
    images = images_of_rank(images, op)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise errors.JnetTypeError(
            f"{op}: images must be a float array, received images.dtype={images.dtype}: cast "
            f"them first (ops.cast(images, 'float32'))."
        )
    return images


@keras_op
def gaussian_blur(images: Any, kernel_size: Any = (3, 3), sigma: Any = (1.0, 1.0),
                  data_format: str | None = None):
    """Blurs images with a Gaussian kernel (each channel on its own, zero padding).

    As Keras computes it on TensorFlow: the Gaussian of ``(kernel_size[1], sigma[1])``
    (rows) times that of ``(kernel_size[0], sigma[0])`` (columns) is a ``(ky, kx)`` matrix
    that Keras then *reshapes* (not transposes) to a ``(kx, ky)`` (height, width) kernel. For
    square kernels with equal sigmas this is the usual blur; otherwise the kernel's entries
    are reordered exactly as Keras's (Keras's JAX backend differs there).

    Args:
        images: float images ``(H, W, C)`` or ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``).
        kernel_size: the kernel's size ``(kx, ky)``. Defaults to ``(3, 3)``.
        sigma: the standard deviations ``(sigma_x, sigma_y)``. Defaults to ``(1.0, 1.0)``.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The blurred images, ``images``'s shape and dtype.

    Example:
        >>> image = np.zeros((3, 3, 1), "float32")
        >>> image[1, 1, 0] = 1.0
        >>> np.asarray(gaussian_blur(image)[..., 0], "float64").round(3).tolist()
        [[0.075, 0.124, 0.075], [0.124, 0.204, 0.124], [0.075, 0.124, 0.075]]
    """
    fmt = _format(data_format)
    size_x, size_y = (int(v) for v in _pair("gaussian_blur", "kernel_size", kernel_size, True))
    sigma_x, sigma_y = _pair("gaussian_blur", "sigma", sigma, False)
    images = _float_images(images, "gaussian_blur")
    dtype = images.dtype
    kernel = jnp.outer(gaussian_kernel_1d(size_y, sigma_y, dtype),
                       gaussian_kernel_1d(size_x, sigma_x, dtype)).reshape(size_x, size_y)
    x, single = batched(images, fmt)
    return unbatched(depthwise_same(x, kernel), fmt, single)


@keras_op
def sobel_edges(images: Any, data_format: str | None = None):
    """The Sobel gradients ``[dy, dx]`` of each channel (3x3 kernels, zero padding).

    Args:
        images: a batch of images ``(N, H, W, C)`` (``(N, C, H, W)`` with
            ``data_format='channels_first'``).
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        ``images``'s shape plus a last axis of 2: the vertical gradient ``dy``, then the
        horizontal ``dx``; ``images``'s dtype.

    Example:
        >>> image = np.zeros((1, 3, 4, 1), "float32")
        >>> image[..., 2:, :] = 1.0  # a vertical edge
        >>> sobel_edges(image)[0, 1, :, 0, 1].tolist()  # dx along the middle row
        [0.0, 4.0, 4.0, -4.0]
    """
    fmt = _format(data_format)
    images = convert(images)
    if images.ndim != 4:
        raise errors.JnetValueError(
            f"sobel_edges: invalid images rank: expected rank 4 (a batch of images), received "
            f"images.shape={tuple(images.shape)}."
        )
    if not (jnp.issubdtype(images.dtype, jnp.floating)
            or jnp.issubdtype(images.dtype, jnp.signedinteger)):
        raise errors.JnetTypeError(
            f"sobel_edges: images must be float or signed integers (the kernels hold -1 and "
            f"-2), received images.dtype={images.dtype}."
        )
    x, _ = batched(images, fmt)
    edges = jnp.stack([depthwise_same(x, jnp.asarray(_SOBEL_Y, x.dtype)),
                       depthwise_same(x, jnp.asarray(_SOBEL_X, x.dtype))], axis=-1)
    if fmt == "channels_first":
        edges = jnp.transpose(edges, (0, 3, 1, 2, 4))
    return edges
