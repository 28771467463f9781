"""``ContrastLimitedAdaptiveHistogramEqualization`` (CLAHE), as Keras's layer.

Each image is rescaled from ``value_range`` to ``[0, 255]`` and cut into a
``tile_grid_size`` grid of tiles (the bottom and right edges padded symmetrically to whole
tiles). Each tile's 256-bin histogram per channel is clipped at
``clip_limit * tile_pixels / 256`` (the excess spread evenly over the bins) and turned into a
lookup table; every pixel is then mapped through the tables of its four nearest tiles,
bilinearly weighted, and rescaled back to ``value_range``. The layer is deterministic: the
same in training and inference.

Example:
    >>> import numpy as np, jnet
    >>> x = np.tile(np.arange(16.0, dtype="float32"), (16, 1))[None, :, :, None]
    >>> out = jnet.layers.ContrastLimitedAdaptiveHistogramEqualization(
    ...     tile_grid_size=(2, 2))(x)
    >>> out.shape, bool(out.max() > x.max())  # the contrast is stretched
    ((1, 16, 16, 1), True)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import config, errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.base import Layer
from jnet.layers.color_augmentation import _rescale, _value_range

__all__ = ["ContrastLimitedAdaptiveHistogramEqualization"]

_OWNER = "ContrastLimitedAdaptiveHistogramEqualization"


def _grid(value: Any) -> tuple[int, int]:
    pair = tuple(value) if isinstance(value, tuple | list) else None
    if pair is None or len(pair) != 2 or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 1 for v in pair
    ):
        raise errors.JnetValueError(
            f"{_OWNER}: tile_grid_size must be a tuple of two positive integers (rows, "
            f"columns), received {value!r}.")
    return int(pair[0]), int(pair[1])


def clahe(images: jnp.ndarray, clip_limit: float, grid: tuple[int, int]) -> jnp.ndarray:
    """CLAHE of float32 ``(batch, height, width, channels)`` images in ``[0, 255]``, as
    Keras's ``_clahe``."""
    batch, height, width, channels = images.shape
    grid_h, grid_w = grid
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
    padded = images
    if pad_h or pad_w:
        padded = jnp.pad(images, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="symmetric")
    tiles = padded.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels)
    tiles = jnp.transpose(tiles, (0, 1, 3, 5, 2, 4)).reshape(
        batch, grid_h, grid_w, channels, tile_h * tile_w)
    levels = jnp.clip(tiles.astype(jnp.int32), 0, 255)
    bins = jnp.arange(256).reshape((1,) * levels.ndim + (256,))
    hists = jnp.sum(levels[..., None] == bins, axis=-2, dtype=jnp.float32)
    if clip_limit > 0:
        limit = jnp.float32(clip_limit * (tile_h * tile_w) / 256.0)
        clipped = jnp.clip(hists, 0, limit)
        hists = clipped + jnp.sum(hists - clipped, axis=-1, keepdims=True) / 256.0
    cdf = jnp.cumsum(hists, axis=-1)
    cdf_min = jnp.min(cdf, axis=-1, keepdims=True)
    denominator = jnp.float32(tile_h * tile_w) - cdf_min
    denominator = jnp.where(denominator == 0, 1.0, denominator)
    tables = jnp.clip((cdf - cdf_min) * 255.0 / denominator, 0, 255)
    # one border tile on each side: (batch, grid_h + 2, grid_w + 2, channels, 256)
    tables = jnp.pad(tables, ((0, 0), (1, 1), (1, 1), (0, 0), (0, 0)), mode="edge")

    def axis(size: int, tile: int, count: int):
        position = (jnp.arange(size, dtype=jnp.float32) - tile / 2.0) / tile + 1.0
        low = jnp.floor(position)
        weight = position - low
        low_i = jnp.clip(low, 0, count + 1).astype(jnp.int32)
        high_i = jnp.clip(low + 1.0, 0, count + 1).astype(jnp.int32)
        return low_i, high_i, weight

    y0, y1, wy = axis(tile_h * grid_h, tile_h, grid_h)
    x0, x1, wx = axis(tile_w * grid_w, tile_w, grid_w)
    pixels = jnp.clip(padded, 0, 255).astype(jnp.int32)
    b = jnp.arange(batch)[:, None, None, None]
    c = jnp.arange(channels)[None, None, None, :]
    y0, y1, wy = y0[None, :, None, None], y1[None, :, None, None], wy[None, :, None, None]
    x0, x1, wx = x0[None, None, :, None], x1[None, None, :, None], wx[None, None, :, None]
    top = tables[b, y0, x0, c, pixels] * (1.0 - wx) + tables[b, y0, x1, c, pixels] * wx
    bottom = tables[b, y1, x0, c, pixels] * (1.0 - wx) + tables[b, y1, x1, c, pixels] * wx
    result = top * (1.0 - wy) + bottom * wy
    return result[:, :height, :width, :]


class ContrastLimitedAdaptiveHistogramEqualization(Layer):
    """Contrast-limited adaptive histogram equalization of images, as Keras's layer.

    Args:
        value_range: the range of the pixels. Default ``(0, 255)``.
        clip_limit: the histogram clip, in multiples of a uniform bin's count (0 or less:
            no clipping). Default 4.0.
        tile_grid_size: the tile grid ``(rows, columns)``. Default ``(8, 8)``.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Example:
        >>> import numpy as np
        >>> x = np.full((4, 4, 1), 100.0, "float32")  # flat: Keras's TF layer gives 102.43 too
        >>> layer = ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))
        >>> round(float(layer(x).max()), 2)
        102.43
    """

    value_range: Any = (0, 255)
    clip_limit: float = 4.0
    tile_grid_size: Any = (8, 8)
    data_format: Any = None

    def __post_init__(self):
        _value_range(_OWNER, self.value_range)
        _grid(self.tile_grid_size)
        if isinstance(self.clip_limit, bool) or not isinstance(
            self.clip_limit, int | float | np.integer | np.floating
        ):
            raise errors.JnetValueError(
                f"{_OWNER}: clip_limit must be a number, received {self.clip_limit!r}.")
        image_transform.check_choice(_OWNER, "data_format", self._data_format())
        super().__post_init__()

    @nn.nowrap
    def _data_format(self) -> str:
        return config.image_data_format() if self.data_format is None else self.data_format

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``data_format`` resolved)."""
        return {**super().get_config(), "data_format": self._data_format()}

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """The input's shape."""
        return tuple(input_shape)

    def __call__(self, inputs, training: bool = False):
        images = jnp.asarray(inputs)
        if images.ndim not in (3, 4):
            raise errors.JnetValueError(
                f"{_OWNER} expects inputs of rank 4 (batch, height, width, channels) or rank 3 "
                f"(a single image), received shape {tuple(images.shape)}.")
        dtype = images.dtype
        single = images.ndim == 3
        x = images[None] if single else images
        if self._data_format() == "channels_first":
            x = jnp.transpose(x, (0, 2, 3, 1))
        value_range = _value_range(_OWNER, self.value_range)
        x = _rescale(x.astype(jnp.float32), value_range, (0.0, 255.0))
        x = clahe(x, float(self.clip_limit), _grid(self.tile_grid_size))
        x = _rescale(x, (0.0, 255.0), value_range).astype(dtype)
        if self._data_format() == "channels_first":
            x = jnp.transpose(x, (0, 3, 1, 2))
        return x[0] if single else x
