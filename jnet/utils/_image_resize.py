"""Image resizing in NumPy with TensorFlow's numbers, for image loading without TensorFlow.

``tf.image.resize`` (what Keras's image datasets call) samples each output pixel at its centre,
``(o + 0.5) * in / out`` in input coordinates, without antialiasing: ``nearest`` takes the
pixel under that point, ``area`` averages the input area each output pixel covers, and the
other methods weigh the input pixels by a kernel of the distance to the point (the weights of
pixels outside the image are dropped and the rest renormalized). Resizing is separable: one
``(out, in)`` weight matrix per axis. :func:`resize_image` also does Keras's
``crop_to_aspect_ratio`` (``smart_resize``'s centred crop) and ``pad_to_aspect_ratio``
(``tf.image.resize_with_pad``).

Example:
    >>> image = np.arange(4, dtype=np.uint8).reshape(2, 2, 1)
    >>> resize_image(image, (4, 4))[..., 0]
    array([[0.  , 0.25, 0.75, 1.  ],
           [0.5 , 0.75, 1.25, 1.5 ],
           [1.5 , 1.75, 2.25, 2.5 ],
           [2.  , 2.25, 2.75, 3.  ]], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jnet import errors

__all__ = ["INTERPOLATIONS", "crop_box", "resize", "resize_image"]


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - x)


def _keys_cubic(x: np.ndarray) -> np.ndarray:  # a = -0.5
    return np.where(x >= 2.0, 0.0, np.where(
        x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, (1.5 * x - 2.5) * x * x + 1.0))


def _mitchell_cubic(x: np.ndarray) -> np.ndarray:  # B = C = 1/3
    return np.where(x >= 2.0, 0.0, np.where(
        x >= 1.0, (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0,
        ((7.0 / 6.0) * x - 2.0) * x * x + 8.0 / 9.0))


def _lanczos(radius: float) -> Callable[[np.ndarray], np.ndarray]:
    def kernel(x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi * x) ** 2
        return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, value))

    return kernel


def _gaussian(x: np.ndarray) -> np.ndarray:  # radius 1.5, sigma = radius / 3
    return np.where(x >= 1.5, 0.0, np.exp(-x * x / (2.0 * 0.5 ** 2)))


# method -> (kernel of |distance|, radius); "nearest" and "area" have their own rules.
_KERNELS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "bilinear": (_triangle, 1.0),
    "bicubic": (_keys_cubic, 2.0),
    "mitchellcubic": (_mitchell_cubic, 2.0),
    "lanczos3": (_lanczos(3.0), 3.0),
    "lanczos5": (_lanczos(5.0), 5.0),
    "gaussian": (_gaussian, 1.5),
}
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                  "gaussian", "mitchellcubic")


def _weights(in_size: int, out_size: int, method: str) -> np.ndarray:
    """The ``(out_size, in_size)`` matrix that resizes one axis."""
    weights = np.zeros((out_size, in_size), np.float64)
    rows = np.arange(out_size)
    if method == "nearest":
        scale = np.float32(in_size / out_size)
        index = np.floor((rows.astype(np.float32) + np.float32(0.5)) * scale).astype(np.int64)
        weights[rows, np.clip(index, 0, in_size - 1)] = 1.0
        return weights
    if method == "area":
        scale = in_size / out_size
        start, stop = rows * scale, (rows + 1) * scale
        pixels = np.arange(in_size)
        overlap = np.minimum(stop[:, None], pixels + 1) - np.maximum(start[:, None], pixels)
        return np.maximum(overlap, 0.0) / scale
    if method == "bicubic":
        return _bicubic_weights(in_size, out_size)
    # scale_and_translate, in float32 as TensorFlow computes it (a source pixel at exactly
    # the kernel's radius gets its weight or not by float32 rounding).
    f32 = np.float32
    kernel, radius = _KERNELS[method]
    inv_scale = f32(1.0 / float(f32(out_size) / f32(in_size)))
    sample = (rows.astype(f32) + f32(0.5)) * inv_scale
    start = np.clip(np.ceil(sample - f32(radius) - f32(0.5)), 0, in_size - 1).astype(np.int64)
    stop = np.clip(np.floor(sample + f32(radius) - f32(0.5)), 0, in_size - 1).astype(np.int64)
    pixels = np.arange(in_size)
    inside = (pixels[None, :] >= start[:, None]) & (pixels[None, :] <= stop[:, None])
    distance = np.abs(pixels[None, :].astype(f32) + f32(0.5) - sample[:, None])
    weights = np.where(inside, kernel(distance.astype(np.float64)), 0.0)
    return _normalized(weights)


def _normalized(weights: np.ndarray) -> np.ndarray:
    total = weights.sum(axis=1, keepdims=True)
    return np.where(total != 0, weights / np.where(total == 0, 1.0, total), 0.0)


_TABLE_SIZE = 1024  # TensorFlow's ResizeBicubic reads its Keys weights from a table


def _bicubic_weights(in_size: int, out_size: int) -> np.ndarray:
    f32 = np.float32
    scale = f32(in_size) / f32(out_size)
    rows = np.arange(out_size)
    location = (rows.astype(f32) + f32(0.5)) * scale - f32(0.5)
    floor = np.floor(location).astype(np.int64)
    offset = np.rint((location - np.floor(location)) * f32(_TABLE_SIZE)).astype(np.int64)
    x = np.arange(_TABLE_SIZE + 1) / _TABLE_SIZE
    near = ((1.5 * x - 2.5) * x * x + 1.0).astype(f32)
    x = x + 1.0
    far = (((-0.5 * x + 2.5) * x - 4.0) * x + 2.0).astype(f32)
    taps = (far[offset], near[offset], near[_TABLE_SIZE - offset], far[_TABLE_SIZE - offset])
    weights = np.zeros((out_size, in_size), np.float64)
    for shift, tap in zip((-1, 0, 1, 2), taps, strict=True):
        index = floor + shift
        valid = (index >= 0) & (index < in_size)
        weights[rows[valid], index[valid]] += tap[valid]
    return _normalized(weights)


def resize(image: np.ndarray, size: tuple[int, int], method: str = "bilinear") -> np.ndarray:
    """Resizes an ``(height, width, channels)`` image as ``tf.image.resize`` does
    (``antialias=False``): float32, except ``nearest``, which keeps the image's dtype.

    Args:
        image: the image, channels last.
        size: ``(height, width)`` of the result.
        method: one of :data:`INTERPOLATIONS`.

    Returns:
        The resized image.

    Example:
        >>> resize(np.array([[[0], [10]]], np.uint8), (1, 4), "nearest")[0, :, 0]
        array([ 0,  0, 10, 10], dtype=uint8)
    """
    height, width = int(size[0]), int(size[1])
    if method not in INTERPOLATIONS:
        raise errors.JnetValueError(
            f"`interpolation` must be one of {INTERPOLATIONS}, received "
            f"interpolation={method!r}."
        )
    if method == "nearest":
        rows = np.argmax(_weights(image.shape[0], height, method), axis=1)
        cols = np.argmax(_weights(image.shape[1], width, method), axis=1)
        return image[rows][:, cols]
    w_h = _weights(image.shape[0], height, method).astype(np.float32)
    w_w = _weights(image.shape[1], width, method).astype(np.float32)
    rows = np.tensordot(w_h, image.astype(np.float32), axes=(1, 0))  # (height, in_w, c)
    return np.tensordot(rows, w_w, axes=(1, 1)).transpose(0, 2, 1).astype(np.float32)


def crop_box(height: int, width: int, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The centred crop (``top, left, crop_height, crop_width``) of an image of ``height`` by
    ``width`` with the aspect ratio of ``size``, computed in float32 as Keras's
    ``smart_resize`` does on tensors.

    Example:
        >>> crop_box(340, 500, (200, 200))
        (0, 80, 340, 340)
    """
    target_height, target_width = int(size[0]), int(size[1])
    crop_height = int(np.float32(width * target_height) / np.float32(target_width))
    crop_height = max(min(height, crop_height), 1)
    crop_width = int(np.float32(height * target_width) / np.float32(target_height))
    crop_width = max(min(width, crop_width), 1)
    top = int(np.float32(height - crop_height) / np.float32(2))
    left = int(np.float32(width - crop_width) / np.float32(2))
    return top, left, crop_height, crop_width


def _resize_with_pad(image: np.ndarray, size: tuple[int, int], method: str) -> np.ndarray:
    # tf.image.resize_with_pad: fit inside size keeping the aspect ratio, then zero-pad.
    f32 = np.float32
    height, width = f32(image.shape[0]), f32(image.shape[1])
    target_height, target_width = f32(size[0]), f32(size[1])
    ratio = max(width / target_width, height / target_height)
    resized_height, resized_width = height / ratio, width / ratio
    top = max(0, int(np.floor((target_height - resized_height) / f32(2))))
    left = max(0, int(np.floor((target_width - resized_width) / f32(2))))
    resized = resize(image, (int(np.floor(resized_height)), int(np.floor(resized_width))),
                     method)
    out = np.zeros((int(size[0]), int(size[1]), image.shape[2]), resized.dtype)
    out[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
    return out


def resize_image(
    image: np.ndarray,
    size: tuple[int, int],
    method: str = "bilinear",
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
) -> np.ndarray:
    """Resizes one ``(height, width, channels)`` image as Keras's image datasets do.

    Args:
        image: the decoded image, channels last.
        size: ``(height, width)`` of the result.
        method: one of :data:`INTERPOLATIONS`.
        crop_to_aspect_ratio: first take the largest centred crop with the aspect ratio of
            ``size``.
        pad_to_aspect_ratio: resize to fit inside ``size`` and pad with zeros (the image
            centred), as ``tf.image.resize_with_pad``.

    Returns:
        The resized image (float32, except ``nearest``, which keeps the image's dtype).

    Example:
        >>> resize_image(np.ones((2, 4, 1), np.uint8), (2, 2), pad_to_aspect_ratio=True)[..., 0]
        array([[1., 1.],
               [0., 0.]], dtype=float32)
    """
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = crop_box(image.shape[0], image.shape[1], size)
        image = image[top : top + crop_height, left : left + crop_width]
    elif pad_to_aspect_ratio:
        return _resize_with_pad(image, size, method)
    return resize(image, size, method)
