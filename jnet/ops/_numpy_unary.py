"""Keras's dtype-keeping ops of one array: magnitude and sign, rounding, clipping, complex
parts, ``nan_to_num`` and ``copy`` (``keras.ops.abs``, ``keras.ops.round``...).

Unlike the float functions (:mod:`jnet.ops._numpy_math`) these keep their input's dtype
(``round`` of integers stays integer), except where Keras says otherwise: ``fabs`` of integers
gives ``floatx()``, ``square`` and ``clip`` of booleans give ``int32``, and ``signbit`` gives
booleans.

Example:
    >>> import numpy as np
    >>> round(np.array([0.5, 1.5, 2.5])).tolist()
    [0.0, 2.0, 2.0]
    >>> clip(np.array([-2, 0, 7]), 0, 5).tolist()
    [0, 0, 5]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import config, errors
from jnet.ops._numpy_ufunc import broadcast_shape, dtype_name
from jnet.ops._op import convert, keras_op

__all__ = [
    "abs", "absolute", "clip", "conj", "conjugate", "copy", "fabs", "imag", "nan_to_num",
    "negative", "real", "round", "sign", "signbit", "square", "trunc",
]


def _name(x: jax.Array) -> str:
    return dtype_name(x.dtype)


@keras_op
def absolute(x: Any) -> jax.Array:
    """The absolute value, elementwise (``keras.ops.absolute``, also ``keras.ops.abs``).

    Args:
        x: input array.

    Returns:
        ``|x|``, of ``x``'s dtype (unsigned and boolean inputs are returned as they are).

    Example:
        >>> absolute(np.array([-1.5, 2.0])).tolist()
        [1.5, 2.0]
    """
    x = convert(x)
    name = _name(x)
    if name == "bool" or name.startswith("uint"):
        return x
    return jnp.absolute(x)


@keras_op
def abs(x: Any) -> jax.Array:  # noqa: A001 - Keras's name
    """The absolute value, elementwise (``keras.ops.abs``, the same as :func:`absolute`).

    Args:
        x: input array.

    Returns:
        ``|x|``, of ``x``'s dtype.

    Example:
        >>> abs(np.array([-3, 4])).tolist()
        [3, 4]
    """
    return absolute.__jnet_op__(x)


@keras_op
def fabs(x: Any) -> jax.Array:
    """The absolute value as floats, elementwise (``keras.ops.fabs``).

    Args:
        x: input array, not complex.

    Returns:
        ``|x|``: an integer or boolean ``x`` gives ``floatx()``, a float ``x`` keeps its dtype.

    Raises:
        JnetTypeError: for a complex ``x``.

    Example:
        >>> fabs(np.array([-3, 4])).tolist()
        [3.0, 4.0]
    """
    x = convert(x)
    name = _name(x)
    if "complex" in name:
        raise errors.JnetTypeError(
            f"`fabs` does not take complex inputs. Received: x.dtype={name}. "
            f"Use `abs` for the magnitude of complex numbers."
        )
    if "int" in name or name == "bool":
        x = x.astype(config.floatx())
    return jnp.abs(x)


@keras_op
def negative(x: Any) -> jax.Array:
    """The numerical negative ``-x``, elementwise (``keras.ops.negative``).

    Example:
        >>> negative(np.array([1, -2])).tolist()
        [-1, 2]
    """
    return jnp.negative(convert(x))


@keras_op
def sign(x: Any) -> jax.Array:
    """The sign of ``x`` (-1, 0 or 1) in ``x``'s dtype, elementwise (``keras.ops.sign``).

    Example:
        >>> sign(np.array([-2.5, 0.0, 3.0])).tolist()
        [-1.0, 0.0, 1.0]
    """
    return jnp.sign(convert(x))


@keras_op
def signbit(x: Any) -> jax.Array:
    """Whether the sign bit of ``x`` is set (``x < 0``, and ``-0.0``), elementwise
    (``keras.ops.signbit``).

    Returns:
        A boolean array of ``x``'s shape (all False for a boolean ``x``).

    Example:
        >>> signbit(np.array([-1.0, -0.0, 2.0])).tolist()
        [True, True, False]
    """
    x = convert(x)
    name = _name(x)
    if name == "bool":
        return jnp.zeros(x.shape, "bool")
    if "int" in name:
        return x < jnp.zeros((), x.dtype)
    return jnp.signbit(x)


@keras_op
def square(x: Any) -> jax.Array:
    """``x * x``, elementwise (``keras.ops.square``); a boolean ``x`` gives ``int32``.

    Example:
        >>> square(np.array([-3, 2])).tolist()
        [9, 4]
    """
    x = convert(x)
    if _name(x) == "bool":
        x = x.astype("int32")
    return jnp.square(x)


@keras_op
def round(x: Any, decimals: int = 0) -> jax.Array:  # noqa: A001 - Keras's name
    """``x`` rounded to ``decimals`` decimals, halves to even (``keras.ops.round``).

    Args:
        x: input array.
        decimals: number of decimals (default 0); negative rounds to tens, hundreds...

    Returns:
        An array of ``x``'s dtype (integers stay integers).

    Example:
        >>> round(np.array([1234, 1250]), -2).tolist()
        [1200, 1200]
    """
    x = convert(x)
    name = _name(x)
    if "int" in name or name == "bool":
        if decimals >= 0:
            return x
        factor = jnp.asarray(10.0 ** decimals, config.floatx())
        scaled = jnp.round(x.astype(config.floatx()) * factor)
        return (scaled / factor).astype(x.dtype)
    return jnp.round(x, decimals)


@keras_op
def trunc(x: Any) -> jax.Array:
    """``x`` rounded toward zero, elementwise (``keras.ops.trunc``), in ``x``'s dtype.

    Example:
        >>> trunc(np.array([-1.7, 1.7])).tolist()
        [-1.0, 1.0]
    """
    x = convert(x)
    name = _name(x)
    if "int" in name or name == "bool":
        return x
    return jnp.trunc(x)


@keras_op
def clip(x: Any, x_min: Any, x_max: Any) -> jax.Array:
    """``x`` limited to ``[x_min, x_max]``, elementwise (``keras.ops.clip``).

    Args:
        x: input array.
        x_min: the lower bound (scalar or array broadcastable to ``x``).
        x_max: the upper bound.

    Returns:
        An array of ``x``'s dtype (``int32`` for a boolean ``x``).

    Example:
        >>> clip(np.array([-1.0, 0.5, 3.0]), 0.0, 1.0).tolist()
        [0.0, 0.5, 1.0]
    """
    x = convert(x)
    if _name(x) == "bool":
        x = x.astype("int32")
    bounds = [None if b is None else convert(b, x.dtype) for b in (x_min, x_max)]
    given = [(b.shape, n) for b, n in zip(bounds, ("x_min", "x_max"), strict=True)
             if b is not None]
    broadcast_shape([x.shape] + [s for s, _ in given], ["x"] + [n for _, n in given])
    rank = max([x.ndim] + [b.ndim for b in bounds if b is not None])
    if rank > x.ndim:
        raise errors.JnetValueError(
            f"`clip` bounds must broadcast to `x`'s shape. Received: x.shape={x.shape}, "
            f"x_min/x_max of rank {rank}."
        )
    lo, hi = (None if b is None else b.reshape((1,) * (rank - b.ndim) + b.shape)
              for b in bounds)
    return jnp.clip(x, lo, hi)


@keras_op
def nan_to_num(x: Any, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> jax.Array:
    """``x`` with NaN and infinities replaced by finite numbers (``keras.ops.nan_to_num``).

    Args:
        x: input array (integer and boolean arrays are returned as they are).
        nan: the value for NaN (default 0.0).
        posinf: the value for +inf (default: the dtype's largest finite value).
        neginf: the value for -inf (default: the dtype's lowest finite value).

    Example:
        >>> nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=9.0).tolist()
        [0.0, 9.0, 1.0]
    """
    x = convert(x)
    name = _name(x)
    if "int" in name or name == "bool":
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def copy(x: Any) -> jax.Array:
    """A copy of ``x`` (``keras.ops.copy``).

    Example:
        >>> copy(np.array([1, 2])).tolist()
        [1, 2]
    """
    return jnp.copy(convert(x))


@keras_op
def conjugate(x: Any) -> jax.Array:
    """The complex conjugate, elementwise (``keras.ops.conjugate``); real ``x`` is unchanged.

    Example:
        >>> conjugate(np.array([1 + 2j])).tolist()
        [(1-2j)]
    """
    return jnp.conjugate(convert(x))


@keras_op
def conj(x: Any) -> jax.Array:
    """The complex conjugate, elementwise (``keras.ops.conj``, the same as
    :func:`conjugate`).

    Example:
        >>> conj(np.array([1 - 1j])).tolist()
        [(1+1j)]
    """
    return jnp.conjugate(convert(x))


@keras_op
def real(x: Any) -> jax.Array:
    """The real part, elementwise (``keras.ops.real``); real ``x`` is unchanged.

    Example:
        >>> real(np.array([1 + 2j])).tolist()
        [1.0]
    """
    return jnp.real(convert(x))


@keras_op
def imag(x: Any) -> jax.Array:
    """The imaginary part, elementwise (``keras.ops.imag``); zeros for real ``x``.

    Example:
        >>> imag(np.array([1 + 2j])).tolist()
        [2.0]
    """
    return jnp.imag(convert(x))
