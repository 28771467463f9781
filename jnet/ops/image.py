"""``keras.ops.image``: resizing, padding and cropping, affine, perspective and elastic
transforms and coordinate mapping, resampling, patches, colour spaces, Gaussian blur and Sobel
edges, SSIM (only at ``jnet.ops.image.<name>``, as in Keras).

Images are one image ``(H, W, C)`` or a batch ``(N, H, W, C)``; with
``data_format='channels_first'`` (or ``jnet.config.set_image_data_format``) the channels come
before the spatial axes. The ops live in private modules by concept: ``_image_resize``,
``_image_transform``, ``_image_perspective``, ``_image_elastic``, ``_image_scale``,
``_image_patches``, ``_image_color``, ``_image_filters``, ``_image_ssim``.

Example:
    >>> from jnet.ops import image
    >>> image.resize(np.zeros((2, 8, 8, 3)), (4, 4)).shape
    (2, 4, 4, 3)
"""

from __future__ import annotations

from jnet.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from jnet.ops._image_elastic import elastic_transform
from jnet.ops._image_filters import gaussian_blur, sobel_edges
from jnet.ops._image_patches import extract_patches, extract_patches_3d
from jnet.ops._image_perspective import perspective_transform
from jnet.ops._image_resize import crop_images, pad_images, resize
from jnet.ops._image_scale import scale_and_translate
from jnet.ops._image_ssim import ssim
from jnet.ops._image_transform import affine_transform, map_coordinates

__all__ = [
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]
