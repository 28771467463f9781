"""The draws of ``keras.random``: Keras's signatures, on ``jax.random`` exactly as Keras's JAX
backend calls it, so an int seed gives the values Keras gives on JAX, bit for bit.

Every draw takes ``seed=`` as an int (the same values each call), a ``SeedGenerator`` (new
values each call) or ``None`` (jnet's global generator), or a ``uint32[2]`` key array inside
compiled code (see :mod:`jnet.random._seed`). Float draws default to ``jnet.config.floatx()``;
64-bit dtypes give 32-bit results, as on Keras's JAX backend.

Example:
    >>> import jnet
    >>> x = jnet.random.normal((2, 3), seed=0)
    >>> x.shape, str(x.dtype)
    ((2, 3), 'float32')
    >>> bool((x == jnet.random.normal((2, 3), seed=0)).all())
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, config, errors
from jnet.random._seed import draw_seed

__all__ = [
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]

_TO_32 = {"int64": "int32", "uint64": "uint32", "float64": "float32"}


def _dtype(dtype: Any, default: str | None = None) -> str:
    name = _dtypes.standardize_dtype(dtype if dtype is not None else (default or config.floatx()))
    return _TO_32.get(name, name)


def _shape(shape: Any, fn: str) -> tuple[int, ...]:
    if isinstance(shape, int | np.integer):
        return (int(shape),)
    try:
        return tuple(int(d) for d in shape)
    except TypeError:
        raise errors.JnetValueError(
            f"{fn}: shape must be a tuple of ints, received shape={shape!r}."
        ) from None


def _float_dtype(dtype: Any, fn: str) -> str:
    name = _dtype(dtype)
    if not _dtypes.is_float(name):
        raise errors.JnetValueError(
            f"`jnet.random.{fn}` requires a floating point `dtype`. Received: dtype={dtype}"
        )
    return name


def _param(value: Any, dtype: str) -> Any:
    # Python scalars stay weak (they follow the draw's dtype); arrays are cast to it.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return jnp.asarray(value, dtype=dtype)


def normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
           seed: Any = None) -> jax.Array:
    """Draws from a normal (Gaussian) distribution (``keras.random.normal``).

    Args:
        shape: the shape of the result.
        mean: the mean, default 0.
        stddev: the standard deviation, default 1.
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype``.

    Example:
        >>> normal((2,), mean=5.0, stddev=0.0, seed=1).tolist()
        [5.0, 5.0]
    """
    dtype = _float_dtype(dtype, "normal")
    sample = jax.random.normal(draw_seed(seed), shape=_shape(shape, "normal"), dtype=dtype)
    return sample * _param(stddev, dtype) + _param(mean, dtype)


def uniform(shape: Sequence[int], minval: float = 0.0, maxval: float = 1.0, dtype: Any = None,
            seed: Any = None) -> jax.Array:
    """Draws from a uniform distribution on ``[minval, maxval)`` (``keras.random.uniform``).

    Args:
        shape: the shape of the result.
        minval: the lower bound (included), default 0.
        maxval: the upper bound (excluded), default 1.
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        JnetValueError: for a non-float ``dtype``.

    Example:
        >>> x = uniform((1000,), minval=2.0, maxval=3.0, seed=0)
        >>> bool((x >= 2).all() and (x < 3).all())
        True
    """
    dtype = _float_dtype(dtype, "uniform")
    return jax.random.uniform(draw_seed(seed), shape=_shape(shape, "uniform"), dtype=dtype,
                              minval=_param(minval, dtype), maxval=_param(maxval, dtype))


def randint(shape: Sequence[int], minval: int, maxval: int, dtype: Any = "int32",
            seed: Any = None) -> jax.Array:
    """Draws integers uniformly from ``[minval, maxval)`` (``keras.random.randint``).

    Args:
        shape: the shape of the result.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: an integer dtype, default ``'int32'``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An integer array of ``shape``.

    Raises:
        JnetValueError: for a non-integer ``dtype``.

    Example:
        >>> x = randint((100,), 0, 3, seed=0)
        >>> sorted(set(x.tolist()))
        [0, 1, 2]
    """
    name = _dtype(dtype, "int32")
    if not _dtypes.is_int(name):
        raise errors.JnetValueError(
            f"`jnet.random.randint` requires an integer `dtype`. Received: dtype={dtype}"
        )
    return jax.random.randint(draw_seed(seed), shape=_shape(shape, "randint"), dtype=name,
                              minval=minval, maxval=maxval)


def truncated_normal(shape: Sequence[int], mean: float = 0.0, stddev: float = 1.0,
                     dtype: Any = None, seed: Any = None) -> jax.Array:
    """Draws from a normal distribution cut at two standard deviations
    (``keras.random.truncated_normal``).

    Args:
        shape: the shape of the result.
        mean: the mean, default 0.
        stddev: the standard deviation before truncation, default 1.
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype`` within ``mean ± 2 * stddev``.

    Example:
        >>> x = truncated_normal((1000,), seed=0)
        >>> bool((abs(x) <= 2).all())
        True
    """
    dtype = _float_dtype(dtype, "truncated_normal")
    sample = jax.random.truncated_normal(draw_seed(seed), lower=-2.0, upper=2.0,
                                         shape=_shape(shape, "truncated_normal"), dtype=dtype)
    return sample * _param(stddev, dtype) + _param(mean, dtype)


def dropout(inputs: Any, rate: float, noise_shape: Sequence[int | None] | None = None,
            seed: Any = None) -> jax.Array:
    """Zeroes entries of ``inputs`` with probability ``rate`` and scales the kept ones by
    ``1 / (1 - rate)`` (``keras.random.dropout``).

    Args:
        inputs: the array.
        rate: the probability of dropping an entry, in ``[0, 1]``.
        noise_shape: the shape of the drop mask, broadcast over ``inputs`` (``None`` entries
            take the input's size); default ``inputs.shape``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array like ``inputs``.

    Example:
        >>> import numpy as np
        >>> y = dropout(np.ones((2, 4), "float32"), 0.5, noise_shape=(None, 1), seed=0)
        >>> sorted(set(y.ravel().tolist())) in ([0.0], [2.0], [0.0, 2.0])
        True
    """
    inputs = jnp.asarray(inputs)
    if isinstance(rate, int | float) and not isinstance(rate, bool):
        if not 0 <= rate <= 1:
            raise errors.JnetValueError(
                f"dropout: rate must be in [0, 1], received rate={rate!r}."
            )
        if rate == 1:
            return jnp.zeros_like(inputs)
        if rate == 0:
            return inputs
    keep = 1.0 - rate
    if noise_shape is None:
        mask_shape = inputs.shape
    else:
        noise_shape = tuple(noise_shape)
        if len(noise_shape) != inputs.ndim:
            raise errors.JnetValueError(
                f"dropout: noise_shape must have one entry per axis of inputs "
                f"(shape {inputs.shape}), received noise_shape={noise_shape}."
            )
        mask_shape = tuple(
            s if n is None else int(n) for s, n in zip(inputs.shape, noise_shape, strict=True)
        )
    mask = jax.random.bernoulli(draw_seed(seed), p=keep, shape=mask_shape)
    mask = jnp.broadcast_to(mask, inputs.shape)
    return jax.lax.select(mask, inputs / keep, jnp.zeros_like(inputs))


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> jax.Array:
    """Shuffles ``x`` along ``axis`` (``keras.random.shuffle``, as Keras's JAX backend: with
    ``x`` of rank 2 or more, each slice along ``axis`` is permuted independently).

    Args:
        x: the array.
        axis: the axis to shuffle along, default 0.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array like ``x``.

    Example:
        >>> sorted(shuffle([1, 2, 3, 4], seed=0).tolist())
        [1, 2, 3, 4]
    """
    x = jnp.asarray(x)
    if not -x.ndim <= axis < max(x.ndim, 1):
        raise errors.JnetValueError(
            f"shuffle: axis {axis} is out of bounds for an input of rank {x.ndim}."
        )
    return jax.random.permutation(draw_seed(seed), x, axis, independent=True)


def categorical(logits: Any, num_samples: int, dtype: Any = "int32",
                seed: Any = None) -> jax.Array:
    """Draws class indices from unnormalized log-probabilities (``keras.random.categorical``).

    Args:
        logits: a ``(batch_size, num_classes)`` array of log-probabilities.
        num_samples: how many draws per row.
        dtype: the integer dtype of the result, default ``'int32'``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        A ``(batch_size, num_samples)`` array of class indices.

    Raises:
        JnetValueError: when ``logits`` is not 2-D.

    Example:
        >>> categorical([[-50.0, 50.0]], 3, seed=0).tolist()
        [[1, 1, 1]]
    """
    logits = jnp.asarray(logits)
    if logits.ndim != 2:
        raise errors.JnetValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits of shape {logits.shape}"
        )
    shape = (logits.shape[0], int(num_samples))
    out = jax.random.categorical(draw_seed(seed), logits[..., None], shape=shape, axis=1)
    return out.astype(_dtype(dtype, "int32"))


def gamma(shape: Sequence[int], alpha: float, dtype: Any = None, seed: Any = None) -> jax.Array:
    """Draws from a Gamma distribution (``keras.random.gamma``).

    Args:
        shape: the shape of the result.
        alpha: the shape parameter of the distribution (float or array broadcastable to
            ``shape``).
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype``.

    Example:
        >>> bool((gamma((100,), alpha=2.0, seed=0) > 0).all())
        True
    """
    dtype = _float_dtype(dtype, "gamma")
    return jax.random.gamma(draw_seed(seed), jnp.asarray(alpha, dtype),
                            shape=_shape(shape, "gamma"), dtype=dtype)


def binomial(shape: Sequence[int], counts: Any, probabilities: Any, dtype: Any = None,
             seed: Any = None) -> jax.Array:
    """Draws from a Binomial distribution: successes in ``counts`` trials of probability
    ``probabilities`` (``keras.random.binomial``).

    Args:
        shape: the shape of the result.
        counts: number of trials (number or array, broadcastable with ``probabilities``).
        probabilities: probability of success (number or array).
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype`` holding whole numbers.

    Example:
        >>> binomial((3,), counts=5, probabilities=1.0, seed=0).tolist()
        [5.0, 5.0, 5.0]
    """
    dtype = _float_dtype(dtype, "binomial")
    return jax.random.binomial(draw_seed(seed), n=jnp.asarray(counts, dtype),
                               p=jnp.asarray(probabilities, dtype),
                               shape=_shape(shape, "binomial"), dtype=dtype)


def beta(shape: Sequence[int], alpha: Any, beta: Any, dtype: Any = None,
         seed: Any = None) -> jax.Array:
    """Draws from a Beta distribution (``keras.random.beta``).

    Args:
        shape: the shape of the result.
        alpha: the first parameter (float or array broadcastable with ``beta`` and ``shape``).
        beta: the second parameter.
        dtype: a float dtype; default ``jnet.config.floatx()``.
        seed: an int, a ``SeedGenerator``, ``None`` (global generator) or a key array.

    Returns:
        An array of ``shape`` and ``dtype`` with values in ``[0, 1]``.

    Example:
        >>> x = beta((100,), alpha=2.0, beta=3.0, seed=0)
        >>> bool(((x >= 0) & (x <= 1)).all())
        True
    """
    dtype = _float_dtype(dtype, "beta")
    return jax.random.beta(draw_seed(seed), a=jnp.asarray(alpha, dtype),
                           b=jnp.asarray(beta, dtype), shape=_shape(shape, "beta"), dtype=dtype)
