"""Keras's colour augmentation layers: brightness, grayscale, inversion, solarization, colour
degeneration, saturation, hue, posterization, sharpness and colour jitter.

The random layers are the identity unless called with ``training=True``; then each draws one
factor per image from the ``'dropout'`` PRNG stream (see :mod:`jnet.layers.augmentation`)
and applies Keras's transform to it, so with the same factor the output equals Keras's (the
draws themselves come from JAX). Factor arguments are parsed as Keras parses them, quirks
included (``RandomSaturation(0.5)`` draws from ``(-0.5, 0.5)``). ``value_range`` is the range
of the input pixels (default ``(0, 255)``).

Example:
    >>> import jax, numpy as np
    >>> from jnet.layers.color_augmentation import RandomBrightness
    >>> x = np.full((1, 2, 2, 3), 100.0, "float32")
    >>> bright = RandomBrightness((0.1, 0.1))  # always + 0.1 * 255
    >>> bright.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, 0]
    Array([125.5, 125.5, 125.5], dtype=float32)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import config, errors
from jnet.layers.augmentation import (
    RandomContrast,
    _base_factor,
    _ImageAugmentation,
    _is_number,
)
from jnet.ops import image as image_ops

__all__ = [
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPosterization",
    "RandomSaturation",
    "RandomSharpness",
    "Solarization",
]

_LAST = "channels_last"


def _value_range(owner: str, value_range: Any) -> tuple[float, float]:
    """Keras's ``_set_value_range``: two numbers, sorted."""
    if (
        not isinstance(value_range, tuple | list)
        or len(value_range) != 2
        or not all(_is_number(v) for v in value_range)
    ):
        raise errors.JnetValueError(
            f"{owner}: value_range must be a tuple or list of two numbers (low, high), "
            f"received {value_range!r}."
        )
    low, high = sorted(float(v) for v in value_range)
    return low, high


def _rescale(images, source: tuple[float, float], target: tuple[float, float]):
    """Keras's ``_transform_value_range``: a linear map of ``source`` onto ``target``."""
    if tuple(source) == tuple(target):
        return images
    images = (images - source[0]) / (source[1] - source[0])
    return images * (target[1] - target[0]) + target[0]


def _per_image(key, batch: int, low: float, high: float, shape=None):
    shape = (batch,) if shape is None else shape
    return jax.random.uniform(key, shape, minval=low, maxval=high)


class _ColorAugmentation(_ImageAugmentation):
    """Shared checks: ``factor`` parsed by :meth:`_bounds`, ``value_range`` by
    :meth:`_range` (subclasses call them in ``__post_init__``)."""

    _FACTOR_BOUNDS = (-1.0, 1.0)

    @nn.nowrap
    def _bounds(self) -> tuple[float, float]:
        return _base_factor(type(self).__name__, self.factor, *self._FACTOR_BOUNDS)

    @nn.nowrap
    def _range(self) -> tuple[float, float]:
        return _value_range(type(self).__name__, self.value_range)

    def __post_init__(self):
        self._bounds()
        self._range()
        super().__post_init__()


class RandomBrightness(_ColorAugmentation):
    """Randomly shifts brightness during training, as ``keras.layers.RandomBrightness``.

    Each image gets ``+ U(lower, upper) * (high - low)`` on every pixel, then is clipped to
    ``value_range = (low, high)``.

    Args:
        factor: a number f in [-1, 1] means ``(-|f|, |f|)``; a tuple ``(lower, upper)`` the
            bounds. A fraction of the value range.
        value_range: the range of the pixels. Default ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: keyword-only, ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import jax, numpy as np
        >>> x = np.full((1, 1, 1, 3), 250.0, "float32")
        >>> RandomBrightness((0.5, 0.5)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, 0]
        Array([255., 255., 255.], dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = dataclasses.field(default=None, kw_only=True)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        low, high = self._range()
        lower, upper = self._bounds()
        return {"rgb_delta": _per_image(key, batch, lower, upper, (batch, 1, 1, 1)) * (high - low)}

    @nn.nowrap
    def _transform(self, images, draws):
        low, high = self._range()
        return jnp.clip(images + draws["rgb_delta"], low, high)


class RandomGrayscale(_ImageAugmentation):
    """Randomly turns images gray during training, as ``keras.layers.RandomGrayscale``.

    Each image is replaced, with probability ``factor``, by its luma
    (``0.2989 R + 0.587 G + 0.114 B``) on every channel.

    Args:
        factor: the probability in [0, 1]. Default 0.5.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[255.0, 0.0, 0.0]]]], "float32")
        >>> RandomGrayscale(1.0).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, 0]
        Array([76.219505, 76.219505, 76.219505], dtype=float32)
    """

    factor: float = 0.5
    data_format: Any = None
    seed: Any = None

    def __post_init__(self):
        if not _is_number(self.factor) or not 0 <= self.factor <= 1:
            raise errors.JnetValueError(
                f"RandomGrayscale: factor must be a number between 0 and 1, received "
                f"{self.factor!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return {"apply": _per_image(key, batch, 0.0, 1.0) < self.factor}

    @nn.nowrap
    def _transform(self, images, draws):
        gray = image_ops.rgb_to_grayscale(images, data_format=_LAST)
        return jnp.where(draws["apply"][:, None, None, None], gray, images)


class RandomInvert(_ColorAugmentation):
    """Randomly inverts images during training, as ``keras.layers.RandomInvert``.

    Each image becomes ``high - x`` when ``U(0, 1) < U(lower, upper)`` (Keras draws the
    probability itself from ``factor``'s range).

    Args:
        factor: a number f in [0, 1] means ``(0, f)``; a tuple ``(lower, upper)`` the bounds.
            Default 1.0.
        value_range: the range of the pixels. Default ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import jax, numpy as np
        >>> x = np.full((1, 1, 1, 1), 55.0, "float32")
        >>> RandomInvert((1.0, 1.0)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)}).ravel()
        Array([200.], dtype=float32)
    """

    factor: Any = 1.0
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = None

    _FACTOR_BOUNDS = (0.0, 1.0)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        p_key, t_key = jax.random.split(key)
        probability = _per_image(p_key, batch, *self._bounds())
        return {"apply": _per_image(t_key, batch, 0.0, 1.0) < probability}

    @nn.nowrap
    def _transform(self, images, draws):
        high = float(self.value_range[1])  # Keras keeps value_range as given (unsorted)
        return jnp.where(draws["apply"][:, None, None, None], high - images, images)


class Solarization(_ImageAugmentation):
    """Randomly solarizes images during training, as ``keras.layers.Solarization``.

    On the 0..255 scale each image gets ``+ addition`` (clipped), and every pixel at or above
    ``threshold`` becomes ``255 - pixel``. Keras draws ``addition`` from
    ``U(lower, upper * 255)`` and ``threshold`` likewise (its own scaling, kept).

    Args:
        addition_factor: a number f in [0, 1] means ``(0, f)``; a tuple the bounds.
            Default 0.0.
        threshold_factor: the same for the threshold. Default 0.0 (invert everything).
        value_range: the range of the pixels. Default ``(0, 255)``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: keyword-only, ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[10.0], [200.0]]]], "float32")
        >>> Solarization().apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)}).ravel()
        Array([245.,  55.], dtype=float32)
    """

    addition_factor: Any = 0.0
    threshold_factor: Any = 0.0
    value_range: Any = (0, 255)
    seed: Any = None
    data_format: Any = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self):
        self._factors()
        _value_range("Solarization", self.value_range)
        super().__post_init__()

    @nn.nowrap
    def _factors(self):
        out = []
        for name in ("addition_factor", "threshold_factor"):
            factor = getattr(self, name)
            message = (
                f"Solarization: {name} must be a number or a tuple of two numbers in [0, 1], "
                f"received {factor!r}."
            )
            values = factor if isinstance(factor, tuple | list) else [factor]
            if len(values) not in (1, 2) or not all(
                _is_number(v) and 0 <= v <= 1 for v in values
            ):
                raise errors.JnetValueError(message)
            out.append(tuple(sorted(float(v) for v in factor)) if len(values) == 2 else (
                0.0, float(factor)))
        return out

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        (a_lo, a_hi), (t_lo, t_hi) = self._factors()
        a_key, t_key = jax.random.split(key)
        shape = (batch, 1, 1, 1)
        return {"additions": _per_image(a_key, batch, a_lo, a_hi * 255, shape),
                "thresholds": _per_image(t_key, batch, t_lo, t_hi * 255, shape)}

    @nn.nowrap
    def _transform(self, images, draws):
        value_range = _value_range("Solarization", self.value_range)
        images = _rescale(images, value_range, (0.0, 255.0))
        results = jnp.clip(images + draws["additions"], 0, 255)
        results = jnp.where(results < draws["thresholds"], results, 255 - results)
        return _rescale(results, (0.0, 255.0), value_range)


class RandomColorDegeneration(_ColorAugmentation):
    """Randomly blends images with their grayscale during training, as
    ``keras.layers.RandomColorDegeneration``: ``x + f * (gray - x)`` with ``f ~ U(lower,
    upper)`` per image, clipped to ``value_range``.

    Args:
        factor: a number f in [-1, 1] means ``(-|f|, |f|)``; a tuple the bounds.
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[200.0, 100.0, 0.0]]]], "float32")
        >>> RandomColorDegeneration((1.0, 1.0)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, 0]
        Array([118.48, 118.48, 118.48], dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return {"factor": _per_image(key, batch, *self._bounds(), (batch, 1, 1, 1))}

    @nn.nowrap
    def _transform(self, images, draws):
        gray = image_ops.rgb_to_grayscale(images, data_format=_LAST)
        images = images + draws["factor"] * (gray - images)
        return jnp.clip(images, *self._range())


class RandomSaturation(_ColorAugmentation):
    """Randomly scales saturation during training, as ``keras.layers.RandomSaturation``.

    A factor ``f ~ U(lower, upper)`` per image multiplies the HSV saturation by
    ``f / (1 - f + 1e-7)`` (Keras clips the result to ``value_range``).

    Args:
        factor: a number f in [-1, 1] means ``(-|f|, |f|)``; a tuple the bounds
            (``(0.5, 0.5)`` keeps the saturation, 0 removes it, 1 maximises it).
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[0.8, 0.4, 0.2]]]], "float32")
        >>> RandomSaturation((0.0, 0.0), value_range=(0, 1)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 0, 0]
        Array([0.8, 0.8, 0.8], dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        factor = _per_image(key, batch, *self._bounds())
        return {"factor": factor / (1 - factor + config.epsilon())}

    @nn.nowrap
    def _transform(self, images, draws):
        hsv = image_ops.rgb_to_hsv(images, data_format=_LAST)
        saturation = jnp.clip(hsv[..., 1] * draws["factor"][:, None, None], *self._range())
        hsv = jnp.stack([hsv[..., 0], saturation, hsv[..., 2]], axis=-1)
        return image_ops.hsv_to_rgb(hsv, data_format=_LAST)


class RandomHue(_ColorAugmentation):
    """Randomly rotates hue during training, as ``keras.layers.RandomHue``.

    Each image's HSV hue (in [0, 1)) moves by ``± U(lower, upper) / 2`` (the sign drawn
    with probability 1/2), wrapping around.

    Args:
        factor: a number f in [0, 1] means ``(0, f)``; a tuple the bounds.
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[1.0, 0.0, 0.0]]]], "float32")
        >>> out = RandomHue((1.0, 1.0), value_range=(0, 1)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})
        >>> np.round(np.asarray(out[0, 0, 0]), 4).tolist()  # red turned by half a circle
        [0.0, 1.0, 1.0]
    """

    factor: Any
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    _FACTOR_BOUNDS = (0.0, 1.0)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        s_key, f_key = jax.random.split(key)
        sign = jnp.where(_per_image(s_key, batch, 0.0, 1.0) > 0.5, -1.0, 1.0)
        return {"factor": sign * _per_image(f_key, batch, *self._bounds()) * 0.5}

    @nn.nowrap
    def _transform(self, images, draws):
        value_range = (float(self.value_range[0]), float(self.value_range[1]))
        images = _rescale(images, value_range, (0.0, 1.0))
        hsv = image_ops.rgb_to_hsv(images, data_format=_LAST)
        hue = hsv[..., 0] + draws["factor"][:, None, None]
        hue = jnp.where(hue > 1.0, hue - 1.0, hue)
        hue = jnp.where(hue < 0.0, hue + 1.0, hue)
        rgb = image_ops.hsv_to_rgb(jnp.stack([hue, hsv[..., 1], hsv[..., 2]], -1), _LAST)
        return _rescale(jnp.clip(rgb, 0, 1), (0.0, 1.0), value_range)


class RandomPosterization(_ColorAugmentation):
    """Randomly reduces the bits per channel during training, as
    ``keras.layers.RandomPosterization``: on the 0..255 scale, as uint8, each image keeps its
    top ``b`` bits, ``b`` drawn from ``[lower, upper)`` (or equal to them when they are).

    Args:
        factor: a number in [1, 8] means ``(1, factor)``; a tuple ``(lower, upper)``.
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.array([[[[200.0], [37.0]]]], "float32")
        >>> RandomPosterization((2, 2)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)}).ravel()
        Array([192.,   0.], dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    _FACTOR_BOUNDS = (1.0, 8.0)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        lower, upper = (int(b) for b in self._bounds())
        if lower != upper:
            bits = jax.random.randint(key, (batch,), lower, upper)
        else:
            bits = jnp.full((batch,), lower)
        return {"shift": (8 - bits).astype(jnp.uint8)}

    @nn.nowrap
    def _transform(self, images, draws):
        value_range = self._range()
        images = _rescale(images, value_range, (0.0, 255.0)).astype(jnp.uint8)
        shift = draws["shift"][:, None, None, None]
        images = jnp.left_shift(jnp.right_shift(images, shift), shift).astype(jnp.float32)
        return _rescale(images, (0.0, 255.0), value_range)


class RandomSharpness(_ColorAugmentation):
    """Randomly sharpens or blurs images during training, as ``keras.layers.RandomSharpness``.

    Each image is blended with a 3x3 smoothing of itself (kernel ``1/13`` around ``5/13``,
    zero padding): ``x + (1 - 2 f) * (smooth - x)`` with ``f ~ U(lower, upper)``, clipped to
    ``value_range``. ``f = 0.5`` leaves it unchanged, less blurs, more sharpens.

    Args:
        factor: a number f in [0, 1] means ``(0, f)``; a tuple the bounds.
        value_range: the range of the pixels. Default ``(0, 255)``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.full((1, 3, 3, 1), 13.0, "float32")
        >>> RandomSharpness((0.5, 0.5)).apply(
        ...     {}, x, training=True, rngs={"dropout": jax.random.key(0)})[0, 1, 1, 0]
        Array(13., dtype=float32)
    """

    factor: Any
    value_range: Any = (0, 255)
    data_format: Any = None
    seed: Any = None

    _FACTOR_BOUNDS = (0.0, 1.0)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        return {"factor": _per_image(key, batch, *self._bounds())}

    @nn.nowrap
    def _transform(self, images, draws):
        channels = images.shape[-1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = jnp.array([[a, a, a], [a, b, a], [a, a, a]], jnp.float32)
        kernel = jnp.tile(kernel[:, :, None, None], (1, 1, 1, channels))
        smooth = jax.lax.conv_general_dilated(
            images, kernel, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"),
            feature_group_count=channels,
        )
        factor = (draws["factor"] * 2).reshape(-1, 1, 1, 1)
        images = images + (1.0 - factor) * (smooth - images)
        return jnp.clip(images, *self._range())


class RandomColorJitter(_ImageAugmentation):
    """Random brightness, contrast, saturation and hue in turn during training, as
    ``keras.layers.RandomColorJitter`` (each factor None skips that step; each step draws
    its own factor per image).

    Args:
        value_range: the range of the pixels. Default ``(0, 255)``.
        brightness_factor: ``RandomBrightness``'s factor, or None.
        contrast_factor: ``RandomContrast``'s factor, or None.
        saturation_factor: ``RandomSaturation``'s factor, or None.
        hue_factor: ``RandomHue``'s factor, or None.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import jax, numpy as np
        >>> jitter = RandomColorJitter(brightness_factor=0.2, hue_factor=0.1)
        >>> x = np.random.default_rng(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
        >>> jitter.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)}).shape
        (2, 4, 4, 3)
    """

    value_range: Any = (0, 255)
    brightness_factor: Any = None
    contrast_factor: Any = None
    saturation_factor: Any = None
    hue_factor: Any = None
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        self._steps()
        super().__post_init__()

    @nn.nowrap
    def _steps(self) -> list[_ImageAugmentation]:
        steps: list[_ImageAugmentation] = []
        value_range = self.value_range
        if self.brightness_factor is not None:
            steps.append(RandomBrightness(self.brightness_factor, value_range, parent=None))
        if self.contrast_factor is not None:
            steps.append(RandomContrast(self.contrast_factor, value_range, parent=None))
        if self.saturation_factor is not None:
            steps.append(RandomSaturation(self.saturation_factor, value_range, parent=None))
        if self.hue_factor is not None:
            steps.append(RandomHue(self.hue_factor, value_range, parent=None))
        return steps

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        steps = self._steps()
        keys = jax.random.split(key, max(len(steps), 1))
        return {"draws": [s._draw(k, batch, height, width) for s, k in zip(steps, keys,
                                                                            strict=False)]}

    @nn.nowrap
    def _transform(self, images, draws):
        for step, draw in zip(self._steps(), draws["draws"], strict=True):
            images = step._transform(images, draw)
        return images
