"""Keras's image-size preprocessing layers: ``Resizing``, ``CenterCrop`` and ``RandomCrop``.

Inputs are a batch ``(batch, height, width, channels)`` or one image ``(height, width,
channels)`` (``data_format='channels_first'`` puts channels before height and width). The
resampling is :func:`jnet.ops.image.resize` (TensorFlow's half-pixel sampling, as Keras on its
TensorFlow backend), and the crops take Keras's boxes: ``CenterCrop`` falls back to Keras's
``smart_resize`` (crop the largest centred window of the target aspect ratio, then resize)
when an image is smaller than the target.

Example:
    >>> import numpy as np, jnet
    >>> images = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
    >>> jnet.layers.CenterCrop(2, 2)(images)[0, :, :, 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    >>> jnet.layers.Resizing(2, 2)(images).shape
    (1, 2, 2, 1)
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import config, errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.base import Layer
from jnet.ops import image as image_ops

__all__ = ["CenterCrop", "RandomCrop", "Resizing"]

_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def _check_size(owner: str, argument: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise errors.JnetValueError(
            f"{owner}: {argument} must be a positive integer, received {value!r}."
        )


def _images(owner: str, inputs: Any) -> jnp.ndarray:
    inputs = jnp.asarray(inputs)
    if inputs.ndim not in (3, 4):
        raise errors.JnetValueError(
            f"{owner} expects inputs of rank 4 (batch, height, width, channels) or rank 3 (a "
            f"single image), received shape {tuple(inputs.shape)}."
        )
    return inputs


def _float(inputs: jnp.ndarray) -> jnp.ndarray:
    """Keras casts the inputs to the layer's compute dtype (float32)."""
    return inputs if inputs.dtype == jnp.float32 else inputs.astype(jnp.float32)


def _crop(images: jnp.ndarray, top: Any, left: Any, height: int, width: int,
          channels_first: bool) -> jnp.ndarray:
    """``images[..., top:top+height, left:left+width, :]`` (start indices may be traced)."""
    h_axis = images.ndim - (2 if channels_first else 3)
    starts = [0] * images.ndim
    sizes = list(images.shape)
    starts[h_axis], starts[h_axis + 1] = top, left
    sizes[h_axis], sizes[h_axis + 1] = height, width
    return jax.lax.dynamic_slice(images, starts, sizes)


def _smart_box(in_h: int, in_w: int, height: int, width: int) -> tuple[int, int, int, int]:
    """Keras's ``smart_resize`` box: the largest centred window of the target aspect ratio."""
    crop_h = max(min(in_h, int(float(in_w * height) / width)), 1)
    crop_w = max(min(in_w, int(float(in_h * width) / height)), 1)
    return int(float(in_h - crop_h) / 2), int(float(in_w - crop_w) / 2), crop_h, crop_w


class _SizedImageLayer(Layer):
    """Shared checks of ``height``, ``width`` and ``data_format`` and Keras's config."""

    def __post_init__(self):
        owner = type(self).__name__
        _check_size(owner, "height", self.height)
        _check_size(owner, "width", self.width)
        image_transform.check_choice(owner, "data_format", self._data_format())
        super().__post_init__()

    @nn.nowrap
    def _data_format(self) -> str:
        return config.image_data_format() if self.data_format is None else self.data_format

    @nn.nowrap
    def _spatial(self, inputs: jnp.ndarray) -> tuple[int, int]:
        axis = inputs.ndim - (2 if self._data_format() == "channels_first" else 3)
        return int(inputs.shape[axis]), int(inputs.shape[axis + 1])

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``data_format`` resolved to its value)."""
        return {**super().get_config(), "data_format": self._data_format()}


class Resizing(_SizedImageLayer):
    """Resizes images to ``(height, width)``, as ``keras.layers.Resizing``.

    Float outputs are float32; integer inputs (uint8 images) come back rounded in their dtype,
    as Keras returns them.

    Args:
        height: the output height.
        width: the output width.
        interpolation: ``'bilinear'`` (default), ``'nearest'``, ``'bicubic'``, ``'lanczos3'``
            or ``'lanczos5'``.
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect
            ratio, so nothing is distorted. Default False.
        pad_to_aspect_ratio: first pad the short side evenly (with ``fill_value``) to the
            target aspect ratio. Default False.
        fill_mode: only ``'constant'``.
        fill_value: the padding value with ``pad_to_aspect_ratio``. Default 0.0.
        antialias: filter when downsampling. Default False.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Example:
        >>> import numpy as np, jnet
        >>> x = np.array([[[0.0], [2.0]]], "float32")[None]  # (1, 1, 2, 1)
        >>> jnet.layers.Resizing(1, 4)(x)[0, 0, :, 0].tolist()
        [0.0, 0.5, 1.5, 2.0]
    """

    height: int
    width: int
    interpolation: str = "bilinear"
    crop_to_aspect_ratio: bool = False
    pad_to_aspect_ratio: bool = False
    fill_mode: str = "constant"
    fill_value: float = 0.0
    antialias: bool = False
    data_format: Any = None

    def __post_init__(self):
        image_transform.check_choice(
            "Resizing", "interpolation", self.interpolation, _INTERPOLATIONS
        )
        image_transform.check_choice("Resizing", "fill_mode", self.fill_mode, ("constant",))
        if self.crop_to_aspect_ratio and self.pad_to_aspect_ratio:
            raise errors.JnetValueError(
                "Resizing: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be "
                "True, received both."
            )
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        images = _images("Resizing", inputs)
        if jnp.issubdtype(images.dtype, jnp.floating):
            images = _float(images)
        return image_ops.resize(
            images,
            (int(self.height), int(self.width)),
            interpolation=self.interpolation,
            antialias=bool(self.antialias),
            crop_to_aspect_ratio=bool(self.crop_to_aspect_ratio),
            pad_to_aspect_ratio=bool(self.pad_to_aspect_ratio),
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self._data_format(),
        )


class CenterCrop(_SizedImageLayer):
    """Crops the centre ``(height, width)`` window of images, as ``keras.layers.CenterCrop``.

    The window starts at ``(in_height - height) // 2, (in_width - width) // 2``. An image
    smaller than the target in height or width is instead cropped to the target's aspect
    ratio and resized (bilinear), as Keras's ``smart_resize``. Outputs are float32.

    Args:
        height: the output height.
        width: the output width.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Example:
        >>> import numpy as np, jnet
        >>> x = np.arange(10.0, dtype="float32").reshape(1, 1, 10, 1)
        >>> jnet.layers.CenterCrop(1, 4)(x)[0, 0, :, 0].tolist()
        [3.0, 4.0, 5.0, 6.0]
    """

    height: int
    width: int
    data_format: Any = None

    def __call__(self, inputs, training: bool = False):
        images = _float(_images("CenterCrop", inputs))
        in_h, in_w = self._spatial(images)
        channels_first = self._data_format() == "channels_first"
        if in_h >= self.height and in_w >= self.width:
            top, left = (in_h - self.height) // 2, (in_w - self.width) // 2
            return _crop(images, top, left, int(self.height), int(self.width), channels_first)
        top, left, crop_h, crop_w = _smart_box(in_h, in_w, self.height, self.width)
        images = _crop(images, top, left, crop_h, crop_w, channels_first)
        return image_ops.resize(
            images, (int(self.height), int(self.width)), data_format=self._data_format()
        )


class RandomCrop(_SizedImageLayer):
    """Randomly crops a ``(height, width)`` window while training, as ``keras.layers.RandomCrop``.

    With ``training=True`` one window position is drawn for the whole batch (Keras draws one
    per call) from the ``'dropout'`` PRNG stream; an image not larger than the target in both
    height and width is instead cut at Keras's ``smart_resize`` corner and resized to the
    target. With ``training=False`` the largest centred window of the target's aspect ratio is
    resized to the target (``keras.preprocessing.image.smart_resize``), as Keras documents,
    so the output is ``(height, width)`` in both modes and a model built on the layer's
    output shape works in both. (Keras 3.15's implementation returns the inputs unchanged at
    inference, which contradicts its own docstring and output shape.) Outputs are float32.

    Args:
        height: the crop height.
        width: the crop width.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Example:
        >>> import jax, numpy as np, jnet
        >>> x = np.arange(16.0, dtype="float32").reshape(1, 4, 4, 1)
        >>> crop = jnet.layers.RandomCrop(2, 2)
        >>> crop.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)}).shape
        (1, 2, 2, 1)
        >>> crop.apply({}, x)[0, :, :, 0].tolist()  # inference: the centre, resized
        [[2.5, 4.5], [10.5, 12.5]]
    """

    EAGER_TRAINING: ClassVar[bool] = True  # Keras: call(..., training=True)

    height: int
    width: int
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer)
            or self.seed < 0
        ):
            raise errors.JnetValueError(
                f"RandomCrop: seed must be None or a non-negative integer, received "
                f"{self.seed!r}."
            )
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        images = _float(_images("RandomCrop", inputs))
        in_h, in_w = self._spatial(images)
        channels_first = self._data_format() == "channels_first"
        if not training:
            top, left, crop_h, crop_w = _smart_box(in_h, in_w, self.height, self.width)
            images = _crop(images, top, left, crop_h, crop_w, channels_first)
            if (crop_h, crop_w) == (self.height, self.width):
                return images
            return image_ops.resize(
                images, (int(self.height), int(self.width)), data_format=self._data_format()
            )
        if in_h > self.height and in_w > self.width:
            if not self.has_rng("dropout"):
                raise errors.JnetValueError(
                    f"RandomCrop layer {self.name!r}: training=True needs a 'dropout' PRNG "
                    f"key, e.g. layer.apply(variables, x, training=True, "
                    f"rngs={{'dropout': jax.random.key(0)}})."
                )
            key = self.make_rng("dropout")
            if self.seed is not None:
                key = jax.random.fold_in(key, int(self.seed) % 2**32)
            h_key, w_key = jax.random.split(key)
            top = jax.random.randint(h_key, (), 0, in_h - self.height + 1)
            left = jax.random.randint(w_key, (), 0, in_w - self.width + 1)
            return _crop(images, top, left, int(self.height), int(self.width), channels_first)
        # Keras slices the *target* size from the smart-resize box's corner (clipped at the
        # image's edge), then resizes whatever that leaves to the target.
        top, left, _, _ = _smart_box(in_h, in_w, self.height, self.width)
        h_axis = images.ndim - (2 if channels_first else 3)
        index = [slice(None)] * images.ndim
        index[h_axis] = slice(top, top + int(self.height))
        index[h_axis + 1] = slice(left, left + int(self.width))
        images = images[tuple(index)]
        if self._spatial(images) == (self.height, self.width):
            return images
        return image_ops.resize(
            images, (int(self.height), int(self.width)), data_format=self._data_format()
        )
