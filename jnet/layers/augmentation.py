"""Keras's random image augmentation layers: flip, rotation, translation, zoom, contrast.

Each layer is the identity unless called with ``training=True``; then it draws one random
transform per image from the ``'dropout'`` PRNG stream (``rngs={'dropout': key}``, which
``Sequential`` passes while training) and applies it. The geometry is Keras's: the same
transform rows and TensorFlow's resampling (see ``jnet.layers._image_transform``), so given the
same draws jnet's output equals Keras's; the draws themselves come from JAX, not TensorFlow.

Inputs are a batch ``(batch, height, width, channels)`` or one image ``(height, width,
channels)`` (``data_format='channels_first'`` puts channels before height and width).

Example:
    >>> import jax, jax.numpy as jnp
    >>> import jnet
    >>> from jnet.layers.augmentation import RandomFlip
    >>> layer = RandomFlip("horizontal")
    >>> images = jnp.ones((4, 8, 8, 3))
    >>> bool((layer.apply({}, images) == images).all())  # inference: unchanged
    True
    >>> out = layer.apply({}, images, training=True, rngs={"dropout": jax.random.key(0)})
    >>> out.shape
    (4, 8, 8, 3)
"""

from __future__ import annotations

import dataclasses
import numbers
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.base import Layer, cast_inputs

__all__ = ["RandomContrast", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom"]

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
_FLIP_MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


# -- argument checks -------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _describe_range(low: float, high: float, low_open: bool = False) -> str:
    return f"{'(' if low_open else '['}{low}, {high}]"


def _base_factor(owner: str, factor: Any, low: float, high: float) -> tuple[float, float]:
    """Keras's ``BaseImagePreprocessingLayer._set_factor``: a number f in [low, high] gives
    ``(max(-|f|, low), |f|)``; a pair gives ``sorted(pair)`` (its first entry must not exceed
    ``high``, its second must not be below ``low``); None means 0."""
    message = (
        f"{owner}: factor must be a number or a tuple of two numbers (lower, upper) in the "
        f"range {_describe_range(low, high)}, received {factor!r}."
    )
    if factor is None:
        factor = 0.0
    if isinstance(factor, tuple | list):
        if len(factor) != 2 or not all(_is_number(f) for f in factor):
            raise errors.JnetValueError(message)
        if factor[0] > high or factor[1] < low:
            raise errors.JnetValueError(message)
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    if not _is_number(factor) or factor < low or factor > high:
        raise errors.JnetValueError(message)
    factor = abs(float(factor))
    return max(-factor, low), factor


def _symmetric_factor(
    owner: str, argument: str, factor: Any, low_open: bool
) -> tuple[float, float]:
    """RandomTranslation / RandomZoom factor: each number in [-1, 1] ((-1, 1] for zoom); a
    number f gives ``(-|f|, |f|)``, a pair gives ``sorted(pair)``."""
    message = (
        f"{owner}: {argument} must be a number or a tuple of two numbers (lower, upper), each "
        f"in the range {_describe_range(-1.0, 1.0, low_open)}, received {factor!r}."
    )

    def check(value):
        if not _is_number(value) or value > 1.0 or value < -1.0 or (low_open and value == -1.0):
            raise errors.JnetValueError(message)

    if isinstance(factor, tuple | list):
        if len(factor) != 2:
            raise errors.JnetValueError(message)
        check(factor[0])
        check(factor[1])
        lower, upper = sorted(float(f) for f in factor)
        return lower, upper
    check(factor)
    factor = abs(float(factor))
    return -factor, factor


def _check_seed(owner: str, seed: Any) -> None:
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise errors.JnetValueError(
            f"{owner}: seed must be None or a non-negative integer, received {seed!r}."
        )


def _check_fill_value(owner: str, fill_value: Any) -> None:
    if not _is_number(fill_value):
        raise errors.JnetValueError(
            f"{owner}: fill_value must be a number, received {fill_value!r}."
        )


# -- the shared call -------------------------------------------------------------------------


class _ImageAugmentation(Layer):
    """Shared ``__call__``: rank check, layout, the training switch and the PRNG key.

    Subclasses define ``_draw(key, batch, height, width) -> dict`` (the random parameters of
    one transform per image) and ``_transform(images, draws)`` on ``(batch, h, w, c)``
    float32 images; ``data_format`` and ``seed`` fields are expected.
    """

    EAGER_TRAINING: ClassVar[bool] = True  # Keras: call(..., training=True)

    def __post_init__(self):
        owner = type(self).__name__
        image_transform.check_choice(
            owner, "data_format", "channels_last" if self.data_format is None else self.data_format
        )
        _check_seed(owner, self.seed)
        super().__post_init__()

    @nn.nowrap
    def _data_format(self) -> str:
        return "channels_last" if self.data_format is None else self.data_format

    @nn.nowrap
    def _check_rank(self, inputs: jnp.ndarray) -> None:
        if inputs.ndim in (3, 4):
            return
        layout = (
            "(batch, height, width, channels)"
            if self._data_format() == "channels_last"
            else "(batch, channels, height, width)"
        )
        hint = ""
        if inputs.ndim == 2:
            hint = " Add a channel axis: x[..., None] (channels_last)."
        raise errors.JnetValueError(
            f"{type(self).__name__} expects inputs of rank 4 {layout} or rank 3 (a single "
            f"image), received shape {tuple(inputs.shape)}.{hint}"
        )

    def __call__(self, inputs, training: bool = False):
        inputs = cast_inputs(inputs)
        self._check_rank(inputs)
        if not training:
            return inputs
        if not self.has_rng("dropout"):
            raise errors.JnetValueError(
                f"{type(self).__name__} layer {self.name!r}: training=True needs a 'dropout' "
                f"PRNG key, e.g. layer.apply(variables, x, training=True, "
                f"rngs={{'dropout': jax.random.key(0)}})."
            )
        key = self.make_rng("dropout")
        if self.seed is not None:
            key = jax.random.fold_in(key, int(self.seed) % 2**32)
        images = inputs[None] if inputs.ndim == 3 else inputs
        channels_first = self._data_format() == "channels_first"
        if channels_first:
            images = jnp.transpose(images, (0, 2, 3, 1))
        batch, height, width, _ = images.shape
        outputs = self._transform(images, self._draw(key, batch, height, width))
        if channels_first:
            outputs = jnp.transpose(outputs, (0, 3, 1, 2))
        return outputs[0] if inputs.ndim == 3 else outputs


class _AffineAugmentation(_ImageAugmentation):
    """Shared checks and resampling for the layers built on :func:`affine_transform`."""

    def __post_init__(self):
        owner = type(self).__name__
        image_transform.check_choice(owner, "fill_mode", self.fill_mode)
        image_transform.check_choice(owner, "interpolation", self.interpolation)
        _check_fill_value(owner, self.fill_value)
        super().__post_init__()

    @nn.nowrap
    def _transform(self, images, draws):
        return image_transform.transform_channels_last(
            images,
            self._matrix(draws, images.shape[1], images.shape[2]),
            self.interpolation,
            self.fill_mode,
            float(self.fill_value),
        )


# -- the layers ------------------------------------------------------------------------------


class RandomFlip(_ImageAugmentation):
    """Randomly flips images during training, as ``keras.layers.RandomFlip``.

    Each image is flipped with probability 1/2 (Keras: ``uniform() <= 0.5``). With
    ``'horizontal_and_vertical'`` one draw per image decides both flips, as in Keras 3: an
    image is either unchanged or flipped both ways (rotated by 180 degrees).

    Args:
        mode: ``'horizontal'`` (left-right), ``'vertical'`` (top-bottom) or
            ``'horizontal_and_vertical'`` (default).
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` (default when None) or ``'channels_first'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.augmentation import RandomFlip
        >>> x = jnp.arange(4.0).reshape(1, 1, 4, 1)
        >>> out = RandomFlip("horizontal").apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(1)})
        >>> out[0, 0, :, 0].tolist() in ([0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0])
        True
    """

    mode: str = HORIZONTAL_AND_VERTICAL
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        image_transform.check_choice("RandomFlip", "mode", self.mode, _FLIP_MODES)
        super().__post_init__()

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return {"flips": jax.random.uniform(key, (batch,)) <= 0.5}

    @nn.nowrap
    def _transform(self, images, draws):
        flips = draws["flips"].reshape(-1, 1, 1, 1)
        outputs = images
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            outputs = jnp.where(flips, jnp.flip(outputs, axis=2), outputs)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            outputs = jnp.where(flips, jnp.flip(outputs, axis=1), outputs)
        return outputs


class RandomRotation(_AffineAugmentation):
    """Randomly rotates images during training, as ``keras.layers.RandomRotation``.

    Each image is rotated about its centre by an angle drawn uniformly from
    ``[lower * 360, upper * 360)`` degrees; positive angles turn counter-clockwise.

    Args:
        factor: a fraction of a full turn. A number f means ``(-f, f)``; a tuple
            ``(lower, upper)`` gives the bounds (sorted). ``factor=0.25`` rotates by up to a
            quarter turn either way.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        fill_value: the value outside the image when ``fill_mode='constant'``. Default 0.
        data_format: ``'channels_last'`` (default when None) or ``'channels_first'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.augmentation import RandomRotation
        >>> x = jnp.arange(9.0).reshape(1, 3, 3, 1)
        >>> quarter = RandomRotation((0.25, 0.25), interpolation="nearest")
        >>> quarter.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, :, :, 0]
        Array([[2., 5., 8.],
               [1., 4., 7.],
               [0., 3., 6.]], dtype=float32)
    """

    factor: Any
    fill_mode: str = "reflect"
    interpolation: str = "bilinear"
    seed: Any = None
    fill_value: float = 0.0
    data_format: Any = None

    def __post_init__(self):
        self._bounds()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self) -> tuple[float, float]:
        return _base_factor("RandomRotation", self.factor, -1.0, 1.0)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        lower, upper = self._bounds()
        angle = jax.random.uniform(key, (batch,), minval=lower * 360.0, maxval=upper * 360.0)
        return {"angle": angle}

    @nn.nowrap
    def _matrix(self, draws, height, width):
        return image_transform.rotation_transform(draws["angle"], height, width)


class RandomTranslation(_AffineAugmentation):
    """Randomly shifts images during training, as ``keras.layers.RandomTranslation``.

    Each image moves down by ``U(lower, upper) * height`` pixels and right by
    ``U(lower, upper) * width`` pixels (negative values move it up / left).

    Args:
        height_factor: a fraction of the height: a number f means ``(-f, f)``, a tuple
            ``(lower, upper)`` the bounds; each in [-1, 1].
        width_factor: the same for the width.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        fill_value: the value outside the image when ``fill_mode='constant'``. Default 0.
        data_format: ``'channels_last'`` (default when None) or ``'channels_first'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.augmentation import RandomTranslation
        >>> x = jnp.arange(1.0, 5.0).reshape(1, 1, 4, 1)
        >>> right = RandomTranslation(0.0, (0.5, 0.5), fill_mode="constant")
        >>> right.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, :, 0]
        Array([0., 0., 1., 2.], dtype=float32)
    """

    height_factor: Any
    width_factor: Any
    fill_mode: str = "reflect"
    interpolation: str = "bilinear"
    seed: Any = None
    fill_value: float = 0.0
    data_format: Any = None

    def __post_init__(self):
        self._bounds()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self):
        return (
            _symmetric_factor("RandomTranslation", "height_factor", self.height_factor, False),
            _symmetric_factor("RandomTranslation", "width_factor", self.width_factor, False),
        )

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        (h_lo, h_hi), (w_lo, w_hi) = self._bounds()
        h_key, w_key = jax.random.split(key)
        dy = jax.random.uniform(h_key, (batch, 1), minval=h_lo, maxval=h_hi) * float(height)
        dx = jax.random.uniform(w_key, (batch, 1), minval=w_lo, maxval=w_hi) * float(width)
        return {"translations": jnp.concatenate([dx, dy], axis=1)}

    @nn.nowrap
    def _matrix(self, draws, height, width):
        return image_transform.translation_transform(draws["translations"])


class RandomZoom(_AffineAugmentation):
    """Randomly zooms images during training, as ``keras.layers.RandomZoom``.

    Each image is scaled about its centre: the input is read at ``zoom * (x - centre) +
    centre`` with ``zoom = 1 + U(lower, upper)``, so positive factors zoom out (the picture
    shrinks) and negative factors zoom in.

    Args:
        height_factor: a number f means ``(-f, f)``, a tuple ``(lower, upper)`` the bounds;
            each in (-1, 1].
        width_factor: the same for the width; None (default) uses the height's zoom, keeping
            the aspect ratio.
        fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        fill_value: the value outside the image when ``fill_mode='constant'``. Default 0.
        data_format: ``'channels_last'`` (default when None) or ``'channels_first'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.augmentation import RandomZoom
        >>> x = jnp.arange(5.0).reshape(1, 1, 5, 1)
        >>> zoom_in = RandomZoom(0.0, (-0.5, -0.5))
        >>> zoom_in.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, :, 0]
        Array([1. , 1.5, 2. , 2.5, 3. ], dtype=float32)
    """

    height_factor: Any
    width_factor: Any = None
    fill_mode: str = "reflect"
    interpolation: str = "bilinear"
    seed: Any = None
    fill_value: float = 0.0
    data_format: Any = None

    def __post_init__(self):
        self._bounds()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self):
        height = _symmetric_factor("RandomZoom", "height_factor", self.height_factor, True)
        if self.width_factor is None:
            return height, None
        return height, _symmetric_factor("RandomZoom", "width_factor", self.width_factor, True)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        (h_lo, h_hi), width_bounds = self._bounds()
        h_key, w_key = jax.random.split(key)
        zy = jax.random.uniform(h_key, (batch, 1), minval=1.0 + h_lo, maxval=1.0 + h_hi)
        if width_bounds is None:
            zx = zy
        else:
            w_lo, w_hi = width_bounds
            zx = jax.random.uniform(w_key, (batch, 1), minval=1.0 + w_lo, maxval=1.0 + w_hi)
        return {"zooms": jnp.concatenate([zx, zy], axis=1)}

    @nn.nowrap
    def _matrix(self, draws, height, width):
        return image_transform.zoom_transform(draws["zooms"], height, width)


class RandomContrast(_ImageAugmentation):
    """Randomly adjusts contrast during training, as ``keras.layers.RandomContrast``.

    For each image a factor c is drawn from ``[1 - lower, 1 + upper)`` and every pixel of
    each channel becomes ``(x - mean) * c + mean`` (mean over that image's height and width),
    then the result is clipped to ``value_range``.

    Note Keras 3's factor parsing: a number f gives ``(lower, upper) = (0, f)``, so the
    contrast factor is drawn from ``[1, 1 + f)`` (contrast only increases); pass a tuple
    ``(f, f)`` for ``[1 - f, 1 + f)``.

    Args:
        factor: a number in [0, 1] or a tuple ``(lower, upper)``.
        value_range: ``(low, high)`` of the input values; outputs are clipped to it.
            Default ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: keyword-only, ``'channels_last'`` (default when None) or
            ``'channels_first'``.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.augmentation import RandomContrast
        >>> x = jnp.array([100.0, 200.0]).reshape(1, 1, 2, 1)
        >>> double = RandomContrast((-1.0, 1.0))  # factor exactly 2
        >>> double.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, :, 0]
        Array([ 50., 250.], dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self):
        self._bounds()
        self._range()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self) -> tuple[float, float]:
        return _base_factor("RandomContrast", self.factor, 0.0, 1.0)

    @nn.nowrap
    def _range(self) -> tuple[float, float]:
        value_range = self.value_range
        if (
            not isinstance(value_range, tuple | list)
            or len(value_range) != 2
            or not all(_is_number(v) for v in value_range)
            or value_range[0] > value_range[1]
        ):
            raise errors.JnetValueError(
                f"RandomContrast: value_range must be a tuple of two numbers (low, high) with "
                f"low <= high, received {value_range!r}."
            )
        return float(value_range[0]), float(value_range[1])

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        lower, upper = self._bounds()
        factor = jax.random.uniform(
            key, (batch, 1, 1, 1), minval=1.0 - lower, maxval=1.0 + upper
        )
        return {"contrast_factor": factor}

    @nn.nowrap
    def _transform(self, images, draws):
        mean = jnp.mean(images, axis=1, keepdims=True)
        mean = jnp.mean(mean, axis=2, keepdims=True)
        outputs = (images - mean) * draws["contrast_factor"] + mean
        low, high = self._range()
        return jnp.clip(outputs, low, high)
