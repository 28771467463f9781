"""Keras's image helpers: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img`` and
``smart_resize`` (``keras/src/utils/image_utils.py``), with Pillow (the ``images`` extra).

Loading is bounded: only regular files are read, and an image whose header declares more than
:data:`MAX_IMAGE_PIXELS` pixels is refused before it is decoded (Pillow's decompression-bomb
check, raised as an error naming the file).

Example:
    >>> image = array_to_img(np.zeros((2, 3, 3)))
    >>> image.size, img_to_array(image).shape
    ((3, 2), (2, 3, 3))
"""

from __future__ import annotations

import io
import os
import pathlib
import stat
import warnings
from typing import Any

import numpy as np

from jnet import config, errors
from jnet.utils import _image_resize

__all__ = [
    "MAX_IMAGE_PIXELS",
    "array_to_img",
    "img_to_array",
    "load_img",
    "save_img",
    "smart_resize",
]

# Pillow's own default cap (about 89.5 megapixels: a 1024 MB RGB image); larger is refused.
MAX_IMAGE_PIXELS = 89_478_485

_PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
_COLOR_MODES = ("grayscale", "rgb", "rgba")


def _pil(feature: str) -> Any:
    return errors.require("PIL.Image", "images", feature)


def _data_format(data_format: str | None, owner: str) -> str:
    if data_format is None:
        return config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise errors.JnetValueError(
            f"{owner}: `data_format` must be 'channels_last' or 'channels_first', received "
            f"data_format={data_format!r}."
        )
    return data_format


def open_image(path: Any, owner: str = "load_img", draft: str | None = None) -> Any:
    """Opens an image file (or ``io.BytesIO``) with Pillow after checking it is a regular file
    whose header declares at most :data:`MAX_IMAGE_PIXELS` pixels.

    Args:
        path: a path (``str``, ``bytes``, ``pathlib.Path``) or an ``io.BytesIO``.
        owner: the public function named in errors.
        draft: a mode a JPEG is decoded to directly (``"L"``: the decoder's own luma).

    Returns:
        The opened ``PIL.Image.Image`` (its pixels read into memory).

    Example:
        >>> buffer = io.BytesIO()
        >>> array_to_img(np.zeros((2, 2, 3))).save(buffer, format="png")
        >>> open_image(buffer).size
        (2, 2)
    """
    pil_image = _pil(f"{owner}()")
    if isinstance(path, io.BytesIO):
        name, source = "<BytesIO>", path
    elif isinstance(path, str | bytes | pathlib.Path):
        name = os.fsdecode(path)
        try:
            mode = os.stat(name).st_mode
        except OSError as e:
            raise FileNotFoundError(f"{owner}: cannot read the image file {name!r}: {e}") from e
        if not stat.S_ISREG(mode):
            raise errors.JnetValueError(
                f"{owner}: `path` must be a regular file, received {name!r}, which is not "
                "(a directory, device or pipe)."
            )
        with open(name, "rb") as f:
            source = io.BytesIO(f.read())
    else:
        raise errors.JnetTypeError(
            f"{owner}: `path` should be path-like or io.BytesIO, received "
            f"{errors.describe(path)}."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pil_image.DecompressionBombWarning)
        try:
            image = pil_image.open(source)
        except pil_image.DecompressionBombError as e:
            raise errors.JnetValueError(
                f"{owner}: the image {name!r} declares more pixels than Pillow's "
                f"decompression-bomb limit (PIL.Image.MAX_IMAGE_PIXELS); it was not decoded: {e}"
            ) from e
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_large(owner, name, (width, height))
    if draft is not None and image.format == "JPEG":
        image.draft(draft, image.size)
    image.load()
    return image


def _too_large(owner: str, name: str, size: tuple[int, int]) -> errors.JnetValueError:
    declared = f" ({size[0]} x {size[1]} = {size[0] * size[1]} pixels)"
    return errors.JnetValueError(
        f"{owner}: the image {name!r} declares more pixels{declared} than the cap of "
        f"{MAX_IMAGE_PIXELS} (jnet.utils.image_utils.MAX_IMAGE_PIXELS, Pillow's "
        "decompression-bomb limit); it was not decoded."
    )


def load_img(
    path: Any,
    color_mode: str = "rgb",
    target_size: tuple[int, int] | None = None,
    interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:
    """Loads an image into PIL format, as Keras's ``load_img``.

    Args:
        path: path to the image file (or an ``io.BytesIO``).
        color_mode: one of ``"grayscale"``, ``"rgb"``, ``"rgba"``. Default: ``"rgb"``.
        target_size: ``None`` (the original size) or ``(img_height, img_width)``.
        interpolation: the Pillow resampling used when the size changes: ``"nearest"``
            (default), ``"bilinear"``, ``"bicubic"``, ``"lanczos"``, ``"box"``, ``"hamming"``.
        keep_aspect_ratio: resize without distortion: the centred crop with the target's
            aspect ratio is resized.

    Returns:
        A ``PIL.Image.Image``.

    Example:
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.zeros((4, 6, 3)), file_format="png")
        >>> load_img(buffer, color_mode="grayscale", target_size=(2, 3)).size
        (3, 2)
    """
    if color_mode not in _COLOR_MODES:
        raise errors.JnetValueError(
            f'load_img: `color_mode` must be "grayscale", "rgb", or "rgba", received '
            f"color_mode={color_mode!r}."
        )
    if target_size is not None and (
        not isinstance(target_size, list | tuple) or len(target_size) != 2
    ):
        raise errors.JnetValueError(
            "load_img: `target_size` must be None or a tuple (img_height, img_width), "
            f"received target_size={target_size!r}."
        )
    img = open_image(path, "load_img")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != color_mode.upper():
        img = img.convert(color_mode.upper())
    if target_size is None:
        return img
    width_height = (int(target_size[1]), int(target_size[0]))
    if img.size == width_height:
        return img
    if interpolation not in _PIL_INTERPOLATIONS:
        raise errors.JnetValueError(
            f"load_img: invalid interpolation method {interpolation!r}. Supported methods are "
            f"{', '.join(_PIL_INTERPOLATIONS)}."
        )
    resample = getattr(_pil("load_img()").Resampling, interpolation.upper())
    if not keep_aspect_ratio:
        return img.resize(width_height, resample)
    width, height = img.size
    target_width, target_height = width_height
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    box = (left, top, left + crop_width, top + crop_height)
    return img.resize(width_height, resample, box=box)


def img_to_array(img: Any, data_format: str | None = None, dtype: Any = None) -> np.ndarray:
    """Converts a PIL image to a 3D NumPy array, as Keras's ``img_to_array``.

    Args:
        img: a ``PIL.Image.Image`` (or anything ``np.asarray`` takes).
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` uses
            ``jnet.config.image_data_format()``.
        dtype: the array's dtype; ``None`` uses ``jnet.config.floatx()``.

    Returns:
        An array of shape ``(height, width, channels)`` (channels first with
        ``"channels_first"``); a grayscale image gets one channel.

    Example:
        >>> img_to_array(np.zeros((2, 3), np.uint8), data_format="channels_first").shape
        (1, 2, 3)
    """
    data_format = _data_format(data_format, "img_to_array")
    x = np.asarray(img, dtype=config.floatx() if dtype is None else dtype)
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        if data_format == "channels_first":
            return x.reshape((1,) + x.shape)
        return x.reshape(x.shape + (1,))
    raise errors.JnetValueError(
        f"img_to_array: unsupported image shape {x.shape}: expected (height, width) or "
        "(height, width, channels)."
    )


def array_to_img(
    x: Any, data_format: str | None = None, scale: bool = True, dtype: Any = None
) -> Any:
    """Converts a 3D array to a PIL image, as Keras's ``array_to_img``.

    Args:
        x: the image, ``(height, width, channels)`` (or channels first), 1, 3 or 4 channels.
        data_format: ``"channels_last"`` or ``"channels_first"``; ``None`` uses
            ``jnet.config.image_data_format()``.
        scale: rescale the values so that the minimum is 0 and the maximum 255. Defaults to
            ``True``.
        dtype: the dtype the values are read as; ``None`` uses ``jnet.config.floatx()``.

    Returns:
        A ``PIL.Image.Image`` (mode ``"RGBA"``, ``"RGB"``, ``"L"``, or ``"I"`` for one channel
        above 255).

    Example:
        >>> array_to_img(np.array([[[0.0], [0.5], [1.0]]])).getdata()[2]
        255
    """
    data_format = _data_format(data_format, "array_to_img")
    pil_image = _pil("array_to_img()")
    x = np.array(x, dtype=config.floatx() if dtype is None else dtype)
    if x.ndim != 3:
        raise errors.JnetValueError(
            "array_to_img: expected an image array of rank 3 (a single image), received an "
            f"array of shape {x.shape}."
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return pil_image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return pil_image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return pil_image.fromarray(x[:, :, 0].astype("int32"), "I")
        return pil_image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise errors.JnetValueError(
        f"array_to_img: unsupported number of channels {channels}: expected 1, 3 or 4."
    )


def save_img(
    path: Any,
    x: Any,
    data_format: str | None = None,
    file_format: str | None = None,
    scale: bool = True,
    **kwargs: Any,
) -> None:
    """Saves an image array to a path or file object, as Keras's ``save_img``.

    Args:
        path: a path or a file object.
        x: the image array (see :func:`array_to_img`).
        data_format: ``"channels_last"`` or ``"channels_first"``.
        file_format: the format (``"png"``, ``"jpeg"``...); ``None`` takes the path's
            extension (give it for a file object).
        scale: rescale the values to ``[0, 255]``.
        **kwargs: passed to ``PIL.Image.Image.save``.

    Example:
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.ones((2, 2, 3)), file_format="png")
        >>> buffer.getvalue()[1:4]
        b'PNG'
    """
    data_format = _data_format(data_format, "save_img")
    if file_format is None and isinstance(path, str | pathlib.Path):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def smart_resize(
    x: Any,
    size: tuple[int, int],
    interpolation: str = "bilinear",
    data_format: str = "channels_last",
) -> np.ndarray:
    """Resizes images to a target size without aspect-ratio distortion, as Keras's
    ``smart_resize``: the largest centred crop with the target's aspect ratio is resized.

    Args:
        x: an image ``(height, width, channels)`` or a batch ``(batch, height, width,
            channels)`` (channels first with ``data_format="channels_first"``).
        size: ``(height, width)`` of the result.
        interpolation: ``"bilinear"`` (default), ``"nearest"``, ``"bicubic"``, ``"area"``,
            ``"lanczos3"``, ``"lanczos5"``, ``"gaussian"`` or ``"mitchellcubic"``.
        data_format: ``"channels_last"`` (default) or ``"channels_first"``.

    Returns:
        A NumPy array of shape ``(size[0], size[1], channels)`` (per image), float32 (the
        input's dtype with ``"nearest"``).

    Example:
        >>> smart_resize(np.ones((340, 500, 3)), (200, 200)).shape
        (200, 200, 3)
    """
    if not isinstance(size, list | tuple) or len(size) != 2:
        raise errors.JnetValueError(
            f"smart_resize: expected `size` to be a tuple of 2 integers, received size={size!r}."
        )
    data_format = _data_format(data_format, "smart_resize")
    img = np.asarray(x)
    if img.ndim not in (3, 4):
        raise errors.JnetValueError(
            "smart_resize: expected an image array with shape (height, width, channels), or "
            f"(batch_size, height, width, channels), received an array of shape {img.shape}."
        )
    if data_format == "channels_first":
        img = np.moveaxis(img, -3, -1)
    images = img if img.ndim == 4 else img[None]
    out = np.stack([
        _image_resize.resize_image(image, size, interpolation, crop_to_aspect_ratio=True)
        for image in images
    ])
    out = out if img.ndim == 4 else out[0]
    return np.moveaxis(out, -1, -3) if data_format == "channels_first" else out
