"""Keras's structural similarity index: ``ssim`` (re-exported by :mod:`jnet.ops.image`).

Wang et al. (2004): local means, variances and covariance under a Gaussian window (a
``'valid'`` convolution of each channel), combined into the SSIM map, averaged over the
pixels and then over the channels, as ``keras.ops.image.ssim`` computes it.

Example:
    >>> from jnet.ops import _image_ssim
    >>> image = np.linspace(0, 1, 12 * 12 * 3, dtype="float32").reshape(12, 12, 3)
    >>> round(_image_ssim.ssim(image, image).item(), 4)
    1.0
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import _dtypes, errors
from jnet.ops._image_common import data_format as _format
from jnet.ops._image_filters import gaussian_kernel_1d
from jnet.ops._op import convert, keras_op

__all__ = ["ssim"]


def _checked(image: Any, name: str) -> jax.Array:
    image = convert(image)
    if image.ndim not in (3, 4):
        raise errors.JnetValueError(
            f"ssim: invalid {name} rank: expected rank 3 (a single image) or rank 4 (a batch "
            f"of images), received {name}.shape={tuple(image.shape)}."
        )
    return image


def _window_mean(planes: jax.Array, kernel: jax.Array) -> jax.Array:
    # planes (M, H, W, 1) -> the kernel-weighted mean of each window, 'valid' padding
    return jax.lax.conv_general_dilated(
        planes, kernel[:, :, None, None], window_strides=(1, 1), padding="VALID",
        dimension_numbers=("NHWC", "HWIO", "NHWC"),
    )


@keras_op
def ssim(image1: Any, image2: Any, max_val: float = 1.0, filter_size: int = 11,
         filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03,
         data_format: str | None = None):
    """The structural similarity index (SSIM) of two images or batches of images.

    Args:
        image1: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``); height and width at least ``filter_size``.
        image2: images of ``image1``'s shape.
        max_val: the range of the pixel values (1.0 for images in [0, 1], 255.0 for
            [0, 255]). Defaults to 1.0.
        filter_size: the size of the Gaussian window. Defaults to 11.
        filter_sigma: the standard deviation of the Gaussian window. Defaults to 1.5.
        k1: the first stabilizing constant, ``c1 = (k1 * max_val) ** 2``. Defaults to 0.01.
        k2: the second stabilizing constant, ``c2 = (k2 * max_val) ** 2``. Defaults to 0.03.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The SSIM (1 for identical images): a scalar for single images, ``(N,)`` for batches;
        ``image1``'s dtype (computed in float).

    Example:
        >>> a = np.linspace(0, 1, 2 * 16 * 16, dtype="float32").reshape(2, 16, 16, 1)
        >>> ssim(a, a).tolist()
        [1.0, 1.0]
        >>> bool(ssim(a, 1 - a)[0] < 0)
        True
    """
    fmt = _format(data_format)
    image1, image2 = _checked(image1, "image1"), _checked(image2, "image2")
    if image1.shape != image2.shape:
        raise errors.JnetValueError(
            f"ssim: image1 and image2 must have the same shape, received "
            f"image1.shape={tuple(image1.shape)} and image2.shape={tuple(image2.shape)}."
        )
    if isinstance(filter_size, bool) or not isinstance(filter_size, int) or filter_size < 1:
        raise errors.JnetValueError(
            f"ssim: `filter_size` must be a positive integer, received "
            f"filter_size={filter_size!r}."
        )
    single = image1.ndim == 3
    x1, x2 = (x[None] if single else x for x in (image1, image2))
    if fmt == "channels_last":  # each channel becomes an image of its own: (N * C, H, W, 1)
        x1, x2 = (jnp.moveaxis(x, -1, 1) for x in (x1, x2))
    batch, channels, height, width = x1.shape
    if height < filter_size or width < filter_size:
        raise errors.JnetValueError(
            f"ssim: the images' height and width must be at least filter_size={filter_size}, "
            f"received image1.shape={tuple(image1.shape)} ({fmt})."
        )
    compute = _dtypes.result_type(_dtypes.dtype_of(image1), float)
    x1, x2 = (x.reshape(-1, height, width, 1).astype(compute) for x in (x1, x2))
    window = gaussian_kernel_1d(filter_size, filter_sigma, compute)
    kernel = jnp.outer(window, window)
    c1 = jnp.square(jnp.asarray(k1 * max_val, compute))
    c2 = jnp.square(jnp.asarray(k2 * max_val, compute))
    mu1, mu2 = _window_mean(x1, kernel), _window_mean(x2, kernel)
    mu11, mu22, mu12 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    var1 = _window_mean(x1 * x1, kernel) - mu11
    var2 = _window_mean(x2 * x2, kernel) - mu22
    cov = _window_mean(x1 * x2, kernel) - mu12
    ssim_map = ((2.0 * mu12 + c1) * (2.0 * cov + c2)) / ((mu11 + mu22 + c1) * (var1 + var2 + c2))
    per_image = jnp.mean(jnp.mean(ssim_map, axis=(1, 2, 3)).reshape(batch, channels), axis=-1)
    result = per_image[0] if single else per_image
    return result.astype(image1.dtype)
