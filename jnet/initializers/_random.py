"""Keras's random initializers: normal, truncated normal, uniform, variance scaling, orthogonal.

``VarianceScaling`` and its six named forms (Glorot, Lecun and He, uniform and normal) scale by
:func:`compute_fans`. A random initializer built with an integer ``seed`` ignores the key it is
called with and draws from ``jax.random.key(seed)``, as a seeded Keras initializer repeats its
values. Each class also has Keras's lower-case name (``glorot_uniform``, ...).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.initializers import _draws
from jnet.initializers._base import (
    Initializer,
    Shape,
    _check_call,
    _dtype,
    _number,
    _seed,
    _shape,
)

# Standard deviation of the standard normal truncated to [-2, 2] (Keras's constant).
_TRUNCATED_STD = 0.87962566103423978


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
        z = _draws.normal(key, shape, dt)
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
        return _draws.uniform(key, shape, dt, self.minval, self.maxval)

    def get_config(self) -> dict:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def _truncated(key: Any, shape: Shape, dt: jnp.dtype, mean: float, stddev: float) -> jax.Array:
    z = _draws.truncated_normal(key, -2.0, 2.0, shape, dt)
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
            return _draws.normal(key, shape, dt) * jnp.asarray(math.sqrt(scale), dt)
        limit = math.sqrt(3.0 * scale)
        return _draws.uniform(key, shape, dt, -limit, limit)

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
        a = _draws.normal(key, (max(rows, cols), min(rows, cols)), work)
        q, r = jnp.linalg.qr(a)
        q = q * jnp.sign(jnp.diagonal(r)).reshape(1, -1)
        if rows < cols:
            q = q.T
        return (jnp.asarray(self.gain, work) * q.reshape(shape)).astype(dt)

    def get_config(self) -> dict:
        return {**super().get_config(), "gain": self.gain}


# Keras's lower-case and compatibility names for the classes.
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
