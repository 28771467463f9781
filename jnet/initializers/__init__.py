"""Keras's weight initializers, as Flax-style initializers ``init(key, shape, dtype)``.

Every class of ``keras.initializers`` is here with Keras's name, arguments, defaults and
formulas (``keras/src/initializers/``), and every string Keras accepts (``'glorot_uniform'``,
``'GlorotUniform'``, ``'uniform'``, ``'normal'``, ``'zero'``, ...) resolves through :func:`get`.

An instance is called like a Flax initializer, ``init(key, shape, dtype=jnp.float32)``, so it can
be passed straight to ``flax.linen.Module.param``. A random initializer built with an integer
``seed`` ignores ``key`` and draws from ``jax.random.key(seed)``: like a seeded Keras
initializer, it returns the same values on every call. JAX's random stream is not TensorFlow's,
so only the distributions match Keras, not the draws.

Example:
    >>> import jax
    >>> from jnet import initializers
    >>> init = initializers.get("glorot_uniform")
    >>> init(jax.random.key(0), (784, 128)).shape
    (784, 128)
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet._registry import Registry, keras_object_config

__all__ = [
    "INITIALIZERS",
    "STFT",
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "IdentityInitializer",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "OrthogonalInitializer",
    "RandomNormal",
    "RandomUniform",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "stft",
    "truncated_normal",
    "variance_scaling",
    "zeros",
]

Shape = tuple[int, ...]
InitFn = Callable[..., jax.Array]

# Standard deviation of the standard normal truncated to [-2, 2] (Keras's constant).
_TRUNCATED_STD = 0.87962566103423978


# --------------------------------------------------------------------------------------------
# Argument checks shared by every initializer.
# --------------------------------------------------------------------------------------------


def _shape(shape: Any, owner: str) -> Shape:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
        ok = all(d >= 0 for d in dims) and all(not isinstance(d, bool) for d in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise errors.JnetValueError(
            f"{owner} needs `shape` to be a tuple of non-negative integers; received "
            f"{errors.describe(shape)}."
        )
    return dims


def _dtype(dtype: Any, owner: str, floating: bool) -> jnp.dtype:
    if dtype is None:
        return jnp.dtype(jnp.float32)
    try:
        dt = jnp.dtype(dtype)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"{owner} received an invalid `dtype`: {errors.describe(dtype)}."
        ) from e
    if floating and not jnp.issubdtype(dt, jnp.floating):
        raise errors.JnetValueError(
            f"{owner} draws random numbers, so `dtype` must be a floating dtype such as "
            f"float32; received dtype={dt}."
        )
    return dt


def _number(value: Any, name: str, owner: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, jax.Array)):
        raise errors.JnetTypeError(
            f"{owner} needs `{name}` to be a real number; received {errors.describe(value)}."
        )
    if np.ndim(value) != 0:
        raise errors.JnetValueError(
            f"{owner} needs `{name}` to be a scalar; received {errors.describe(value)}."
        )
    return value


def _seed(seed: Any, owner: str) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise errors.JnetValueError(
            f"{owner} needs `seed` to be an integer or None; received {errors.describe(seed)}. "
            "Keras's SeedGenerator objects have no jnet equivalent: pass an int, or None and "
            "a PRNG key when calling the initializer."
        )
    return int(seed)


def _check_call(owner: str, key: Any, shape: Any) -> None:
    if shape is None:
        hint = ""
        if isinstance(key, (tuple, list, int)):
            hint = (
                f" It looks like the shape was passed as the key: call "
                f"init(jax.random.key(0), {tuple(key) if not isinstance(key, int) else (key,)})."
            )
        raise errors.JnetTypeError(
            f"{owner} is called as init(key, shape, dtype=jnp.float32), like a Flax "
            f"initializer, but no shape was given.{hint}"
        )


# --------------------------------------------------------------------------------------------
# Base class and constant initializers.
# --------------------------------------------------------------------------------------------


class Initializer:
    """Base class of jnet's initializers: callable as ``init(key, shape, dtype)``.

    Subclasses implement ``__call__`` and ``get_config``; ``from_config`` rebuilds an instance
    from ``get_config()``. Instances compare equal when their class and config are equal.

    Example:
        >>> class Twos(Initializer):
        ...     def __call__(self, key=None, shape=None, dtype=jnp.float32):
        ...         return jnp.full(shape, 2.0, dtype)
        >>> Twos()(None, (2,))
        Array([2., 2.], dtype=float32)
    """

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        """Returns an array of ``shape`` and ``dtype``.

        Args:
            key: a JAX PRNG key (ignored by deterministic or seeded initializers).
            shape: the shape of the array.
            dtype: the dtype of the array. Defaults to float32.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(key, shape, dtype)."
        )

    def get_config(self) -> dict:
        """The constructor arguments, as Keras writes them in a config."""
        return {}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Initializer:
        """Builds an initializer from ``get_config()``'s output."""
        return cls(**config)

    def clone(self) -> Initializer:
        """A new instance with the same config."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(self) is not type(other):
            return NotImplemented
        return repr(self.get_config()) == repr(other.get_config())  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), repr(self.get_config())))


class Zeros(Initializer):
    """Initializer that returns zeros.

    Example:
        >>> Zeros()(None, (2, 2))
        Array([[0., 0.],
               [0., 0.]], dtype=float32)
    """

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("Zeros", key, shape)
        return jnp.zeros(_shape(shape, "Zeros"), _dtype(dtype, "Zeros", floating=False))


class Ones(Initializer):
    """Initializer that returns ones.

    Example:
        >>> Ones()(None, (3,))
        Array([1., 1., 1.], dtype=float32)
    """

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("Ones", key, shape)
        return jnp.ones(_shape(shape, "Ones"), _dtype(dtype, "Ones", floating=False))


class Constant(Initializer):
    """Initializer that fills the array with ``value``.

    Args:
        value: the value, a Python scalar (or an array that broadcasts to the shape).
            Defaults to 0.0.

    Example:
        >>> Constant(10.0)(None, (2,))
        Array([10., 10.], dtype=float32)
    """

    def __init__(self, value: Any = 0.0):
        self.value = value

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("Constant", key, shape)
        shape = _shape(shape, "Constant")
        value = jnp.asarray(self.value, _dtype(dtype, "Constant", floating=False))
        try:
            return jnp.broadcast_to(value, shape)
        except ValueError as e:
            raise errors.JnetValueError(
                f"Constant's value of shape {tuple(value.shape)} does not broadcast to the "
                f"requested shape {shape}."
            ) from e

    def get_config(self) -> dict:
        return {"value": self.value}


class Identity(Initializer):
    """Initializer that returns ``gain`` times the identity matrix (2-D shapes only).

    Args:
        gain: multiplicative factor. Defaults to 1.0.

    Example:
        >>> Identity(gain=2.0)(None, (2, 3))
        Array([[2., 0., 0.],
               [0., 2., 0.]], dtype=float32)
    """

    def __init__(self, gain: float = 1.0):
        self.gain = _number(gain, "gain", "Identity")

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("Identity", key, shape)
        shape = _shape(shape, "Identity")
        if len(shape) != 2:
            raise errors.JnetValueError(
                "Identity initializer can only be used for 2D matrices; received "
                f"shape={shape} of rank {len(shape)}."
            )
        dt = _dtype(dtype, "Identity", floating=False)
        return jnp.asarray(self.gain, dt) * jnp.eye(*shape, dtype=dt)

    def get_config(self) -> dict:
        # Keras 3 omits gain here (so its round trip loses it); jnet keeps it.
        return {"gain": self.gain}


# --------------------------------------------------------------------------------------------
# Random initializers.
# --------------------------------------------------------------------------------------------


class _RandomInitializer(Initializer):
    """Shared seed handling: an int seed replaces the key passed at call time."""

    def __init__(self, seed: int | None = None):
        self.seed = _seed(seed, type(self).__name__)

    def _key(self, key: Any) -> Any:
        if self.seed is not None:
            return jax.random.key(self.seed)
        if key is None:
            raise errors.JnetValueError(
                f"{type(self).__name__} needs a PRNG key: call init(jax.random.key(0), shape), "
                "or build it with an integer seed."
            )
        return key

    def _prepare(self, key: Any, shape: Any, dtype: Any) -> tuple[Any, Shape, jnp.dtype]:
        owner = type(self).__name__
        _check_call(owner, key, shape)
        return self._key(key), _shape(shape, owner), _dtype(dtype, owner, floating=True)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class RandomNormal(_RandomInitializer):
    """Initializer that draws from a normal distribution N(mean, stddev**2).

    Args:
        mean: mean of the values. Defaults to 0.0.
        stddev: standard deviation of the values (>= 0). Defaults to 0.05.
        seed: an int makes the initializer deterministic (the key is then ignored).
            Defaults to None.

    Example:
        >>> import jax
        >>> RandomNormal(stddev=1.0)(jax.random.key(0), (2, 3)).shape
        (2, 3)
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = _number(mean, "mean", "RandomNormal")
        self.stddev = _number(stddev, "stddev", "RandomNormal")
        if stddev < 0:
            raise errors.JnetValueError(
                f"RandomNormal needs `stddev` >= 0; received stddev={stddev}."
            )
        super().__init__(seed=seed)

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        key, shape, dt = self._prepare(key, shape, dtype)
        z = jax.random.normal(key, shape, dt)
        return z * jnp.asarray(self.stddev, dt) + jnp.asarray(self.mean, dt)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(_RandomInitializer):
    """Initializer that draws from N(mean, stddev**2) truncated to mean +- 2 stddev.

    Values beyond two standard deviations are re-drawn (as in ``tf.random.truncated_normal``),
    so the actual standard deviation is about 0.88 * stddev.

    Args:
        mean: mean of the untruncated distribution. Defaults to 0.0.
        stddev: standard deviation of the untruncated distribution (>= 0). Defaults to 0.05.
        seed: an int makes the initializer deterministic. Defaults to None.

    Example:
        >>> import jax
        >>> w = TruncatedNormal(stddev=1.0)(jax.random.key(0), (1000,))
        >>> bool(abs(w).max() <= 2.0)
        True
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        self.mean = _number(mean, "mean", "TruncatedNormal")
        self.stddev = _number(stddev, "stddev", "TruncatedNormal")
        if stddev < 0:
            raise errors.JnetValueError(
                f"TruncatedNormal needs `stddev` >= 0; received stddev={stddev}."
            )
        super().__init__(seed=seed)

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        key, shape, dt = self._prepare(key, shape, dtype)
        return _truncated(key, shape, dt, self.mean, self.stddev)

    def get_config(self) -> dict:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(_RandomInitializer):
    """Initializer that draws uniformly from [minval, maxval).

    Args:
        minval: lower bound (inclusive). Defaults to -0.05.
        maxval: upper bound (exclusive), >= minval. Defaults to 0.05.
        seed: an int makes the initializer deterministic. Defaults to None.

    Example:
        >>> import jax
        >>> w = RandomUniform(0.0, 1.0)(jax.random.key(0), (100,))
        >>> bool((w >= 0).all() and (w < 1).all())
        True
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        self.minval = _number(minval, "minval", "RandomUniform")
        self.maxval = _number(maxval, "maxval", "RandomUniform")
        if minval > maxval:
            raise errors.JnetValueError(
                f"RandomUniform needs `minval` <= `maxval`; received minval={minval}, "
                f"maxval={maxval}."
            )
        super().__init__(seed=seed)

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        key, shape, dt = self._prepare(key, shape, dtype)
        return jax.random.uniform(key, shape, dt, self.minval, self.maxval)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def _truncated(key: Any, shape: Shape, dt: jnp.dtype, mean: float, stddev: float) -> jax.Array:
    z = jax.random.truncated_normal(key, -2.0, 2.0, shape, dt)
    return z * jnp.asarray(stddev, dt) + jnp.asarray(mean, dt)


def compute_fans(shape: Sequence[int], input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None) -> tuple[int, int]:
    """Number of input and output units of a weight shape, as Keras counts them.

    Scalars count (1, 1); a vector ``(n,)`` counts (n, n); a matrix ``(in, out)`` counts
    (in, out); a convolution kernel ``(*spatial, in_ch, out_ch)`` counts
    (receptive_field * in_ch, receptive_field * out_ch). When both ``input_axes`` and
    ``output_axes`` are given, the fans are the products of those axes' sizes.

    Args:
        shape: the weight shape.
        input_axes: axes that count as inputs. Defaults to None.
        output_axes: axes that count as outputs. Defaults to None.

    Returns:
        ``(fan_in, fan_out)``.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(_RandomInitializer):
    """Initializer whose scale adapts to the fan-in/fan-out of the weight shape.

    With ``n`` = fan_in, fan_out or their average (``mode``), clipped below at 1:

    - ``'truncated_normal'``: truncated normal with stddev ``sqrt(scale / n) / 0.8796...``
      (so the truncated values have stddev ``sqrt(scale / n)``);
    - ``'untruncated_normal'``: normal with stddev ``sqrt(scale / n)``;
    - ``'uniform'``: uniform on ``[-limit, limit]``, ``limit = sqrt(3 * scale / n)``.

    Args:
        scale: positive scaling factor. Defaults to 1.0.
        mode: ``'fan_in'``, ``'fan_out'`` or ``'fan_avg'``. Defaults to ``'fan_in'``.
        distribution: ``'truncated_normal'``, ``'untruncated_normal'`` or ``'uniform'``
            (``'normal'`` means truncated normal, as in Keras). Defaults to
            ``'truncated_normal'``.
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: axes counted for fan_in (used only with ``output_axes``). Defaults to None.
        output_axes: axes counted for fan_out (used only with ``input_axes``). Defaults to None.

    Example:
        >>> import jax
        >>> init = VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform")
        >>> w = init(jax.random.key(0), (50, 10))
        >>> bool(abs(w).max() <= (3 * 2.0 / 50) ** 0.5)
        True
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None,
                 input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None):
        owner = type(self).__name__
        _number(scale, "scale", owner)
        if scale <= 0.0:
            raise errors.JnetValueError(
                f"{owner} needs `scale` to be a positive float; received scale={scale}."
            )
        if mode not in _MODES:
            raise errors.JnetValueError(
                f"{owner} received an invalid `mode`: {mode!r}. Use one of {list(_MODES)}."
            )
        if not isinstance(distribution, str):
            raise errors.JnetTypeError(
                f"{owner} needs `distribution` to be a string; received "
                f"{errors.describe(distribution)}."
            )
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise errors.JnetValueError(
                f"{owner} received an invalid `distribution`: {distribution!r}. Use one of "
                f"{list(_DISTRIBUTIONS)}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        key, shape, dt = self._prepare(key, shape, dtype)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        scale = float(self.scale)
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        if self.distribution == "truncated_normal":
            return _truncated(key, shape, dt, 0.0, math.sqrt(scale) / _TRUNCATED_STD)
        if self.distribution == "untruncated_normal":
            return jax.random.normal(key, shape, dt) * jnp.asarray(math.sqrt(scale), dt)
        limit = math.sqrt(3.0 * scale)
        return jax.random.uniform(key, shape, dt, -limit, limit)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


class _NamedVarianceScaling(VarianceScaling):
    """A VarianceScaling with fixed scale, mode and distribution; config has seed and axes."""

    _scale: float = 1.0
    _mode: str = "fan_in"
    _distribution: str = "truncated_normal"

    def __init__(self, seed: int | None = None, input_axes: Sequence[int] | None = None,
                 output_axes: Sequence[int] | None = None):
        super().__init__(
            scale=self._scale,
            mode=self._mode,
            distribution=self._distribution,
            seed=seed,
            input_axes=input_axes,
            output_axes=output_axes,
        )

    def get_config(self) -> dict:
        return {"seed": self.seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_NamedVarianceScaling):
    """Glorot (Xavier) uniform: uniform on [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)).

    Keras's default kernel initializer (Dense, Conv, RNN kernels).

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> w = GlorotUniform()(jax.random.key(0), (784, 128))
        >>> bool(abs(w).max() <= (6 / (784 + 128)) ** 0.5)
        True
    """

    _scale, _mode, _distribution = 1.0, "fan_avg", "uniform"


class GlorotNormal(_NamedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with stddev ``sqrt(2 / (fan_in + fan_out))``.

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> GlorotNormal(seed=0)(None, (4, 4)).shape
        (4, 4)
    """

    _scale, _mode, _distribution = 1.0, "fan_avg", "truncated_normal"


class LecunNormal(_NamedVarianceScaling):
    """LeCun normal: truncated normal with stddev ``sqrt(1 / fan_in)`` (Flax's default kernel).

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> LecunNormal()(jax.random.key(0), (4, 4)).shape
        (4, 4)
    """

    _scale, _mode, _distribution = 1.0, "fan_in", "truncated_normal"


class LecunUniform(_NamedVarianceScaling):
    """LeCun uniform: uniform on [-limit, limit], ``limit = sqrt(3 / fan_in)``.

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> LecunUniform()(jax.random.key(0), (4, 4)).shape
        (4, 4)
    """

    _scale, _mode, _distribution = 1.0, "fan_in", "uniform"


class HeNormal(_NamedVarianceScaling):
    """He normal: truncated normal with stddev ``sqrt(2 / fan_in)``.

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> HeNormal()(jax.random.key(0), (3, 3, 16, 32)).shape
        (3, 3, 16, 32)
    """

    _scale, _mode, _distribution = 2.0, "fan_in", "truncated_normal"


class HeUniform(_NamedVarianceScaling):
    """He uniform: uniform on [-limit, limit], ``limit = sqrt(6 / fan_in)``.

    Args:
        seed: an int makes the initializer deterministic. Defaults to None.
        input_axes: see :class:`VarianceScaling`. Defaults to None.
        output_axes: see :class:`VarianceScaling`. Defaults to None.

    Example:
        >>> import jax
        >>> HeUniform()(jax.random.key(0), (4, 4)).shape
        (4, 4)
    """

    _scale, _mode, _distribution = 2.0, "fan_in", "uniform"


class Orthogonal(_RandomInitializer):
    """Initializer that returns a (semi-)orthogonal matrix times ``gain``.

    As in Keras: the shape is flattened to ``(rows, cols) = (prod(shape[:-1]), shape[-1])``; a
    standard normal matrix of shape ``(max(rows, cols), min(rows, cols))`` is QR-factorised; the
    columns of Q are multiplied by the signs of diag(R); Q is transposed when rows < cols, then
    reshaped to ``shape``. So the columns are orthonormal for tall shapes and the rows for wide
    ones.

    Args:
        gain: multiplicative factor. Defaults to 1.0.
        seed: an int makes the initializer deterministic. Defaults to None.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> w = Orthogonal()(jax.random.key(0), (5, 3))
        >>> bool(jnp.allclose(w.T @ w, jnp.eye(3), atol=1e-5))
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        self.gain = _number(gain, "gain", "Orthogonal")
        super().__init__(seed=seed)

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        key, shape, dt = self._prepare(key, shape, dtype)
        if len(shape) < 2:
            raise errors.JnetValueError(
                "Orthogonal initializer needs a shape of rank >= 2; received "
                f"shape={shape} of rank {len(shape)}."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        # QR is not implemented for half precision: factorise in float32 and cast.
        work = dt if jnp.finfo(dt).bits >= 32 else jnp.dtype(jnp.float32)
        a = jax.random.normal(key, (max(rows, cols), min(rows, cols)), work)
        q, r = jnp.linalg.qr(a)
        q = q * jnp.sign(jnp.diagonal(r)).reshape(1, -1)
        if rows < cols:
            q = q.T
        return (jnp.asarray(self.gain, work) * q.reshape(shape)).astype(dt)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}


# --------------------------------------------------------------------------------------------
# STFT kernels.
# --------------------------------------------------------------------------------------------


def _general_cosine(m: int, coefficients: Sequence[float]) -> np.ndarray:
    fac = np.linspace(-np.pi, np.pi, m)
    w = np.zeros(m)
    for k, a in enumerate(coefficients):
        w += a * np.cos(k * fac)
    return w


def _bartlett(m: int) -> np.ndarray:
    n = np.arange(0, m, dtype=np.float64)
    return np.where(n <= (m - 1) / 2.0, 2.0 * n / (m - 1), 2.0 - 2.0 * n / (m - 1))


def _triang(m: int) -> np.ndarray:
    n = np.arange(1, (m + 1) // 2 + 1, dtype=np.float64)
    if m % 2 == 0:
        w = (2 * n - 1.0) / m
        return np.concatenate([w, w[::-1]])
    w = 2 * n / (m + 1.0)
    return np.concatenate([w, w[-2::-1]])


# Window name -> symmetric window of length m >= 2 (formulas of scipy.signal.windows).
_WINDOWS: dict[str, Callable[[int], np.ndarray]] = {
    "hann": lambda m: _general_cosine(m, [0.5, 0.5]),
    "hamming": lambda m: _general_cosine(m, [0.54, 0.46]),
    "blackman": lambda m: _general_cosine(m, [0.42, 0.50, 0.08]),
    "bartlett": _bartlett,
    "triang": _triang,
    "cosine": lambda m: np.sin(np.pi / m * (np.arange(m) + 0.5)),
    "boxcar": np.ones,
}
_WINDOW_ALIASES = {
    "han": "hann", "hamm": "hamming", "ham": "hamming", "black": "blackman", "blk": "blackman",
    "bart": "bartlett", "brt": "bartlett", "triangle": "triang", "tri": "triang",
    "halfcosine": "cosine", "box": "boxcar", "ones": "boxcar", "rect": "boxcar",
    "rectangular": "boxcar",
}


def _window(name: str, length: int, periodic: bool) -> np.ndarray:
    """``scipy.signal.get_window(name, length, fftbins=periodic)`` for the windows above."""
    fn = _WINDOWS[_WINDOW_ALIASES.get(name, name)]
    if length <= 1:
        return np.ones(length)
    if periodic:
        return fn(length + 1)[:-1]
    return fn(length)


class STFT(Initializer):
    """Initializer of Conv1D kernels computing a short-time Fourier transform.

    Returns the real (cosine) or imaginary (sine) part of the DFT basis for a kernel of shape
    ``(frame_length, input_channels, fft_length // 2 + 1)``, optionally windowed and
    normalised, as Keras's ``STFTSpectrogram`` layer uses it.

    Args:
        side: ``'real'`` or ``'imag'``. Defaults to ``'real'``.
        window: a window name (``'hann'``, ``'hamming'``, ``'blackman'``, ``'bartlett'``,
            ``'triang'``, ``'cosine'``, ``'boxcar'`` and scipy's aliases of them), an array of
            ``frame_length`` values, or None. Defaults to ``'hann'``.
        scaling: ``'density'`` (divide by the window's L2 norm), ``'spectrum'`` (by its L1
            norm) or None. Defaults to ``'density'``.
        periodic: whether the named window is periodic (scipy's ``fftbins``).
            Defaults to False.

    Example:
        >>> STFT()(None, (16, 1, 9)).shape
        (16, 1, 9)
    """

    def __init__(self, side: str = "real", window: Any = "hann", scaling: str | None = "density",
                 periodic: bool = False):
        if side not in ("real", "imag"):
            raise errors.JnetValueError(
                f"STFT needs `side` to be 'real' or 'imag'; received side={side!r}."
            )
        if isinstance(window, str) and window not in _WINDOWS and window not in _WINDOW_ALIASES:
            raise errors.JnetValueError(
                f"STFT received an unknown `window`: {window!r}. jnet computes the windows "
                f"{sorted(_WINDOWS)} (and scipy's aliases of them); pass any other window as an "
                "array of frame_length values."
            )
        if scaling not in (None, "density", "spectrum"):
            raise errors.JnetValueError(
                "STFT needs `scaling` to be None, 'density' or 'spectrum'; received "
                f"scaling={scaling!r}."
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("STFT", key, shape)
        shape = _shape(shape, "STFT")
        if len(shape) != 3:
            raise errors.JnetValueError(
                "STFT needs a shape (frame_length, input_channels, fft_length // 2 + 1); "
                f"received shape={shape}."
            )
        dt = _dtype(dtype, "STFT", floating=True)
        frame_length, _, fft_length = shape
        win = None
        scaling: Any = 1
        if self.window is not None:
            values = self.window
            if isinstance(values, str):
                values = _window(values, frame_length, bool(self.periodic))
            win = jnp.asarray(values, dt)
            if win.shape != (frame_length,):
                raise errors.JnetValueError(
                    f"STFT needs `window` of shape ({frame_length},) = (frame_length,); "
                    f"received shape {tuple(win.shape)}."
                )
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scaling = jnp.sqrt(jnp.sum(jnp.square(win)))
            elif self.scaling == "spectrum":
                scaling = jnp.sum(jnp.abs(win))
        dft_length = (fft_length - 1) * 2
        freq = jnp.arange(fft_length, dtype=dt).reshape(1, 1, fft_length) / jnp.asarray(
            dft_length, dt
        )
        time = jnp.arange(frame_length, dtype=dt).reshape(frame_length, 1, 1)
        args = (jnp.asarray(-2, dt) * time) * freq * jnp.arccos(jnp.asarray(-1, dt))
        kernel = jnp.cos(args) if self.side == "real" else jnp.sin(args)
        if win is not None:
            kernel = kernel * win / jnp.asarray(scaling, dt)
        return jnp.broadcast_to(kernel, shape)

    def get_config(self) -> dict:
        return {
            "side": self.side,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


# --------------------------------------------------------------------------------------------
# Keras's lower-case and compatibility names for the classes.
# --------------------------------------------------------------------------------------------

constant = Constant
zeros = Zeros
ones = Ones
identity = IdentityInitializer = Identity
stft = STFTInitializer = STFT
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
he_normal = HeNormal
he_uniform = HeUniform
orthogonal = OrthogonalInitializer = Orthogonal


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


_CLASSES = (
    Initializer, Constant, Identity, Ones, STFT, Zeros, GlorotNormal, GlorotUniform, HeNormal,
    HeUniform, LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling,
)

INITIALIZERS = Registry(
    "initializer",
    {cls.__name__: cls for cls in _CLASSES},
    aliases={
        **{_snake_case(cls.__name__): cls.__name__ for cls in _CLASSES},
        "IdentityInitializer": "Identity",
        "normal": "RandomNormal",
        "one": "Ones",
        "STFTInitializer": "STFT",
        "OrthogonalInitializer": "Orthogonal",
        "uniform": "RandomUniform",
        "zero": "Zeros",
    },
)
"""The initializer registry: Keras's class names, their snake_case names and Keras's aliases."""


def _array_initializer(value: Any) -> InitFn:
    value = np.asarray(value) if not isinstance(value, jax.Array) else value

    def initialize(key: Any = None, shape: Sequence[int] | None = None,
                   dtype: Any = jnp.float32) -> jax.Array:
        if shape is not None and _shape(shape, "array initializer") != tuple(value.shape):
            raise errors.JnetValueError(
                f"This initializer returns a fixed array of shape {tuple(value.shape)}; "
                f"received shape={tuple(shape)}."
            )
        return jnp.asarray(value, _dtype(dtype, "array initializer", floating=False))

    return initialize


def get(identifier: Any) -> Any:
    """Resolves an initializer identifier the way ``keras.initializers.get`` does.

    Args:
        identifier: None (returned as None); a Keras name (``'glorot_uniform'``,
            ``'GlorotUniform'``, ``'uniform'``, ``'normal'``, ``'zeros'``, ...), which builds
            the class with its defaults; a config dict ``{'class_name': ..., 'config': {...}}``;
            an initializer class (instantiated); an array (returned whenever that shape is
            asked for); or any callable ``(key, shape, dtype)`` such as
            ``jax.nn.initializers.zeros``, returned as is.

    Returns:
        An initializer.

    Raises:
        UnknownIdentifierError: for an unknown name (the message lists the valid names).
        JnetTypeError: for anything else.

    Example:
        >>> get("uniform")
        RandomUniform(seed=None, minval=-0.05, maxval=0.05)
        >>> get({"class_name": "Constant", "config": {"value": 2.0}})
        Constant(value=2.0)
    """
    if isinstance(identifier, (jax.Array, np.ndarray, np.generic)):
        return _array_initializer(identifier)
    return INITIALIZERS.resolve(
        identifier,
        "a name such as 'glorot_uniform', a config dict, an initializer, or a callable "
        "(key, shape, dtype)",
    )


def serialize(initializer: Any) -> dict | None:
    """The Keras config dict of an initializer (the format of Keras's ``config.json``).

    Args:
        initializer: a jnet initializer (``jax.nn.initializers.zeros``/``ones`` are recognised
            as Zeros/Ones), or None.

    Returns:
        ``{'module': 'keras.initializers', 'class_name': ..., 'config': {...},
        'registered_name': None}`` as ``keras.initializers.serialize`` writes it; None for None
        and for callables jnet cannot describe.

    Example:
        >>> serialize(RandomNormal(stddev=1.0, seed=3))["config"]
        {'seed': 3, 'mean': 0.0, 'stddev': 1.0}
    """
    if initializer is jax.nn.initializers.zeros:
        initializer = Zeros()
    elif initializer is jax.nn.initializers.ones:
        initializer = Ones()
    if not isinstance(initializer, Initializer):
        return None
    module = "keras" if type(initializer) is Initializer else "keras.initializers"
    return keras_object_config(initializer, module)


def deserialize(config: Mapping[str, Any]) -> Initializer:
    """Builds an initializer from :func:`serialize`'s (or Keras's) config dict.

    Args:
        config: ``{'class_name': ..., 'config': {...}}``.

    Returns:
        The initializer.

    Example:
        >>> deserialize(serialize(HeNormal(seed=1)))
        HeNormal(seed=1, input_axes=None, output_axes=None)
    """
    return get(dict(config))
