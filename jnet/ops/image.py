"""``keras.ops.image``: resizing, padding and cropping, affine transforms and coordinate
mapping, patches, colour spaces (only at ``jnet.ops.image.<name>``, as in Keras).

Images are one image ``(H, W, C)`` or a batch ``(N, H, W, C)``; with
``data_format='channels_first'`` (or ``jnet.config.set_image_data_format``) the channels come
before the spatial axes. The ops live in private modules by concept: ``_image_resize``,
``_image_transform``, ``_image_patches``, ``_image_color``.

Example:
    >>> from jnet.ops import image
    >>> image.resize(np.zeros((2, 8, 8, 3)), (4, 4)).shape
    (2, 4, 4, 3)
"""

from __future__ import annotations

from jnet.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from jnet.ops._image_patches import extract_patches, extract_patches_3d
from jnet.ops._image_resize import crop_images, pad_images, resize
from jnet.ops._image_transform import affine_transform, map_coordinates

__all__ = [
    "affine_transform",
    "crop_images",
    "extract_patches",
    "extract_patches_3d",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
]
