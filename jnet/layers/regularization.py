"""Dropout and noise layers: active only in training, drawing from the ``'dropout'`` rng.

In inference (``training=False``, the default) every layer here returns its input unchanged
and needs no rng. In training they draw their randomness only from
``self.make_rng('dropout')``: ``Sequential`` passes a fresh key per step and layer, and a
direct call passes ``rngs={'dropout': key}``. The same key gives the same mask.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.regularization import Dropout
    >>> layer = Dropout(0.5)
    >>> x = jnp.ones((2, 4))
    >>> bool((layer.apply({}, x) == x).all())  # inference: identity
    True
    >>> y = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> sorted(set(y.ravel().tolist()))  # dropped, or kept and scaled by 1 / (1 - rate)
    [0.0, 2.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, regularizers
from jnet.layers.base import Layer, cast_inputs

__all__ = [
    "ActivityRegularization",
    "AlphaDropout",
    "Dropout",
    "GaussianDropout",
    "GaussianNoise",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
]

_DATA_FORMATS = ("channels_last", "channels_first")


# -- argument checks ------------------------------------------------------------------------


def _check_fraction(value: Any, name: str, owner: str, include_one: bool) -> None:
    """``value`` is a real number in [0, 1] (or [0, 1) when not ``include_one``)."""
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float | np.integer | np.floating)
        and math.isfinite(float(value))
        and 0.0 <= float(value) <= 1.0
        and (include_one or float(value) < 1.0)
    )
    if not ok:
        interval = "[0, 1]" if include_one else "[0, 1)"
        raise errors.JnetValueError(
            f"{owner}: {name} must be a float in {interval}, received {value!r}."
        )


def _check_seed(seed: Any, owner: str) -> None:
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise errors.JnetValueError(
            f"{owner}: seed must be None or a non-negative integer, received {seed!r}."
        )


def _check_noise_shape(noise_shape: Any, owner: str) -> None:
    if noise_shape is None:
        return
    if isinstance(noise_shape, str) or not isinstance(noise_shape, Sequence):
        raise errors.JnetValueError(
            f"{owner}: noise_shape must be a tuple or list of positive integers (None for an "
            f"axis of the input's size), received {noise_shape!r}."
        )
    for i, dim in enumerate(noise_shape):
        if dim is not None and (
            isinstance(dim, bool) or not isinstance(dim, int | np.integer) or dim <= 0
        ):
            raise errors.JnetValueError(
                f"{owner}: noise_shape must contain positive integers or None, received "
                f"{dim!r} at index {i} of noise_shape={noise_shape!r}."
            )


def _check_data_format(data_format: Any, owner: str) -> str:
    if data_format is None:
        return "channels_last"
    if isinstance(data_format, str) and data_format.lower() in _DATA_FORMATS:
        return data_format.lower()
    raise errors.JnetValueError(
        f"{owner}: data_format must be one of {', '.join(repr(f) for f in _DATA_FORMATS)} "
        f"(or None for 'channels_last'), received {data_format!r}."
    )


def _check_rank(x: jax.Array, rank: int, layout: str, owner: str) -> None:
    if x.ndim != rank:
        raise errors.JnetValueError(
            f"{owner} expects inputs of rank {rank} {layout}, received shape {tuple(x.shape)}."
        )


def _dropout(layer: Layer, x: jax.Array, rate: float, noise_shape: Sequence[int]) -> jax.Array:
    """Inverted dropout with TensorFlow's arithmetic: ``select(keep, x * (1 / (1 - rate)), 0)``;
    the mask has ``noise_shape`` and is broadcast over the axes where it is 1."""
    if rate >= 1.0:  # Keras: rate 1 drops everything
        return jnp.zeros_like(x)
    keep = jax.random.bernoulli(layer.make_rng("dropout"), 1.0 - rate, tuple(noise_shape))
    keep = jnp.broadcast_to(keep, x.shape)
    return jnp.where(keep, x * (1.0 / (1.0 - rate)), jnp.zeros_like(x))


# -- layers ---------------------------------------------------------------------------------


class Dropout(Layer):
    """Keras's dropout: in training, zeroes each input with probability ``rate`` and scales
    the kept ones by ``1 / (1 - rate)`` so that the expected sum is unchanged.

    Active only when ``training=True`` and ``rate > 0``; ``trainable`` has no effect.

    Args:
        rate: fraction of the inputs to drop, a float in [0, 1] (1 drops everything, as Keras).
        noise_shape: optional shape of the binary mask, broadcast over the inputs; e.g.
            ``(batch_size, 1, features)`` uses one mask for every timestep. ``None`` entries
            take the input's size on that axis.
        seed: accepted for Keras compatibility; jnet draws its masks from the ``'dropout'``
            rng (seeded by ``jnet.utils.set_random_seed``), not from this seed.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = Dropout(0.2)
        >>> y = layer.apply({}, jnp.ones((4, 8)), training=True,
        ...                 rngs={"dropout": jax.random.key(1)})
        >>> y.shape
        (4, 8)
    """

    rate: float
    noise_shape: Any = None
    seed: int | None = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        _check_fraction(self.rate, "rate", "Dropout", include_one=True)
        _check_noise_shape(self.noise_shape, "Dropout")
        _check_seed(self.seed, "Dropout")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        if not training or self.rate == 0:
            return x
        return _dropout(self, x, float(self.rate), self._noise_shape(x))

    def _noise_shape(self, x: jax.Array) -> tuple[int, ...]:
        if self.noise_shape is None:
            return tuple(x.shape)
        requested = tuple(self.noise_shape)
        shape = tuple(
            int(x.shape[i]) if d is None else int(d) for i, d in enumerate(requested[: x.ndim])
        )
        if len(requested) != x.ndim or any(
            d not in (1, x.shape[i]) for i, d in enumerate(shape)
        ):
            raise errors.JnetValueError(
                f"Dropout: noise_shape={requested!r} does not broadcast to inputs of shape "
                f"{tuple(x.shape)}: it needs one entry per input axis, each 1, None or that "
                f"axis's size."
            )
        return shape


class _SpatialDropout(Layer):
    """Dropout of whole feature maps: one mask entry per (sample, channel)."""

    rate: float

    _RANK: ClassVar[int] = 0
    _LAYOUTS: ClassVar[dict[str, str]] = {}
    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        owner = type(self).__name__
        _check_fraction(self.rate, "rate", owner, include_one=True)
        _check_seed(self.seed, owner)
        if hasattr(self, "data_format"):
            _check_data_format(self.data_format, owner)
        super().__post_init__()

    def _channels_first(self) -> bool:
        fmt = getattr(self, "data_format", None)
        return _check_data_format(fmt, type(self).__name__) == "channels_first"

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        rank = self._RANK
        channels_first = self._channels_first()
        layout = self._LAYOUTS["channels_first" if channels_first else "channels_last"]
        _check_rank(x, rank, layout, type(self).__name__)
        if not training or self.rate == 0:
            return x
        if channels_first:
            noise_shape = (x.shape[0], x.shape[1]) + (1,) * (rank - 2)
        else:
            noise_shape = (x.shape[0],) + (1,) * (rank - 2) + (x.shape[-1],)
        return _dropout(self, x, float(self.rate), noise_shape)


class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole 1D feature maps (channels) of ``(batch, steps, channels)`` inputs.

    In training each (sample, channel) is kept with probability ``1 - rate`` for every step,
    and kept values are scaled by ``1 / (1 - rate)``; in inference the input is returned.

    Args:
        rate: fraction of the channels to drop, a float in [0, 1].
        seed: accepted for Keras compatibility (jnet uses the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> y = SpatialDropout1D(0.5).apply({}, jnp.ones((2, 5, 3)), training=True,
        ...                                 rngs={"dropout": jax.random.key(0)})
        >>> bool((y == y[:, :1, :]).all())  # the same for every step
        True
    """

    seed: int | None = None

    _RANK: ClassVar[int] = 3
    _LAYOUTS: ClassVar[dict[str, str]] = {"channels_last": "(batch, steps, channels)"}


class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole 2D feature maps (channels) of 4D image batches.

    Args:
        rate: fraction of the channels to drop, a float in [0, 1].
        data_format: ``'channels_last'`` (``(batch, height, width, channels)``, the default
            when None) or ``'channels_first'`` (``(batch, channels, height, width)``).
        seed: accepted for Keras compatibility (jnet uses the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> y = SpatialDropout2D(0.5).apply({}, jnp.ones((2, 4, 4, 3)), training=True,
        ...                                 rngs={"dropout": jax.random.key(0)})
        >>> bool((y == y[:, :1, :1, :]).all())  # the same over height and width
        True
    """

    data_format: str | None = None
    seed: int | None = None

    _RANK: ClassVar[int] = 4
    _LAYOUTS: ClassVar[dict[str, str]] = {
        "channels_last": "(batch, height, width, channels)",
        "channels_first": "(batch, channels, height, width)",
    }


class SpatialDropout3D(_SpatialDropout):
    """Dropout of whole 3D feature maps (channels) of 5D volume batches.

    Args:
        rate: fraction of the channels to drop, a float in [0, 1].
        data_format: ``'channels_last'`` (``(batch, dim1, dim2, dim3, channels)``, the default
            when None) or ``'channels_first'`` (``(batch, channels, dim1, dim2, dim3)``).
        seed: accepted for Keras compatibility (jnet uses the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> SpatialDropout3D(0.5).apply({}, jnp.ones((1, 2, 2, 2, 3))).shape
        (1, 2, 2, 2, 3)
    """

    data_format: str | None = None
    seed: int | None = None

    _RANK: ClassVar[int] = 5
    _LAYOUTS: ClassVar[dict[str, str]] = {
        "channels_last": "(batch, dim1, dim2, dim3, channels)",
        "channels_first": "(batch, channels, dim1, dim2, dim3)",
    }


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation ``stddev`` in training.

    Args:
        stddev: standard deviation of the noise, a float in [0, 1] (Keras's range).
        seed: accepted for Keras compatibility (jnet uses the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = GaussianNoise(0.1)
        >>> x = jnp.zeros((1000, 10))
        >>> y = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
        >>> round(float(y.std()), 2)
        0.1
    """

    stddev: float
    seed: int | None = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        _check_fraction(self.stddev, "stddev", "GaussianNoise", include_one=True)
        _check_seed(self.seed, "GaussianNoise")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        if not training or self.stddev == 0:
            return x
        noise = jax.random.normal(self.make_rng("dropout"), x.shape, jnp.float32)
        return x + noise * float(self.stddev)


class GaussianDropout(Layer):
    """Multiplies the inputs by 1-centred Gaussian noise in training.

    The noise has standard deviation ``sqrt(rate / (1 - rate))``, the variance of
    ``Dropout(rate)``'s multiplicative mask.

    Args:
        rate: drop probability (as with ``Dropout``), a float in [0, 1).
        seed: accepted for Keras compatibility (jnet uses the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = GaussianDropout(0.5)
        >>> x = jnp.ones((1000, 10))
        >>> y = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
        >>> round(float(y.mean()), 1), round(float(y.std()), 1)
        (1.0, 1.0)
    """

    rate: float
    seed: int | None = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        _check_fraction(self.rate, "rate", "GaussianDropout", include_one=False)
        _check_seed(self.seed, "GaussianDropout")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        if not training or self.rate == 0:
            return x
        stddev = math.sqrt(float(self.rate) / (1.0 - float(self.rate)))
        noise = jax.random.normal(self.make_rng("dropout"), x.shape, jnp.float32)
        return x * (noise * stddev + 1.0)


class AlphaDropout(Layer):
    """Dropout that keeps the mean and variance of its inputs, for SELU networks (Keras's
    ``AlphaDropout``).

    In training each input is kept with probability ``1 - rate`` or set to SELU's negative
    saturation ``-alpha * scale``, then ``a * x + b`` with Keras's affine correction
    ``a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5``, ``b = -a * alpha_p * rate``. At
    inference it is the identity.

    Args:
        rate: drop probability, a float in [0, 1) (1 would divide by zero in ``a``).
        noise_shape: optional shape of the keep mask, broadcast over the inputs; ``None``
            entries take the input's size.
        seed: accepted for Keras compatibility (jnet draws from the ``'dropout'`` rng).

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = AlphaDropout(0.5)
        >>> x = jax.random.normal(jax.random.key(0), (4000, 10))
        >>> y = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(1)})
        >>> abs(float(y.mean())) < 0.05, round(float(y.std()), 1)
        (True, 1.0)
    """

    rate: float
    noise_shape: Any = None
    seed: int | None = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    _ALPHA: ClassVar[float] = 1.6732632423543772848170429916717
    _SCALE: ClassVar[float] = 1.0507009873554804934193349852946

    def __post_init__(self):
        _check_fraction(self.rate, "rate", "AlphaDropout", include_one=False)
        _check_noise_shape(self.noise_shape, "AlphaDropout")
        _check_seed(self.seed, "AlphaDropout")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        if not training or self.rate == 0:
            return x
        rate = float(self.rate)
        shape = tuple(x.shape)
        if self.noise_shape is not None:
            requested = tuple(self.noise_shape)
            shape = tuple(
                n if d is None else int(d)
                for d, n in zip(requested, x.shape, strict=False)
            )
            if len(requested) != x.ndim or any(
                d not in (1, n) for d, n in zip(shape, x.shape, strict=True)
            ):
                raise errors.JnetValueError(
                    f"AlphaDropout: noise_shape={requested!r} does not broadcast to inputs of "
                    f"shape {tuple(x.shape)}: it needs one entry per input axis, each 1, None "
                    f"or that axis's size."
                )
        alpha_p = -self._ALPHA * self._SCALE
        keep = jax.random.uniform(self.make_rng("dropout"), shape) >= rate
        keep = jnp.broadcast_to(keep, x.shape)
        a = ((1.0 - rate) * (1.0 + rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * rate
        return jnp.where(keep, x, jnp.float32(alpha_p)) * jnp.float32(a) + jnp.float32(b)

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape."""
        return tuple(input_shape)


class ActivityRegularization(Layer):
    """Identity that adds ``l1 * sum(|x|) + l2 * sum(x**2)`` of its input, divided by the batch
    size, to the training loss (Keras's ``ActivityRegularization``).

    The penalty is collected like any layer's ``activity_regularizer`` (its
    ``activity_regularizer`` is ``regularizers.L1L2(l1, l2)``).

    Args:
        l1: non-negative L1 factor. Default 0.
        l2: non-negative L2 factor. Default 0.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.layers.base import collect_activity
        >>> layer = ActivityRegularization(l2=0.5)
        >>> with collect_activity() as penalties:
        ...     y = layer.apply({}, jnp.ones((2, 3)))
        >>> [float(p) for p in penalties]
        [1.5]
    """

    l1: float = 0.0
    l2: float = 0.0

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        self.activity_regularizer  # noqa: B018 - checks l1 and l2 (raises a jnet error)
        super().__post_init__()

    @property
    def activity_regularizer(self) -> regularizers.L1L2:
        """``L1L2(l1, l2)``, the penalty of the output."""
        try:
            return regularizers.L1L2(l1=self.l1, l2=self.l2)
        except errors.JnetError as e:
            raise type(e)(f"ActivityRegularization: {e}") from None

    def __call__(self, inputs, training: bool = False):
        return cast_inputs(inputs)

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape."""
        return tuple(input_shape)
