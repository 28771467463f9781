"""Keras's arithmetic of two arrays: ``add`` to ``power``, division and remainders, maxima,
and the float functions of two arrays (``arctan2``, ``hypot``, ``logaddexp``...).

Operands broadcast (NumPy's rules) and are cast to Keras's result dtype first
(:func:`jnet._dtypes.result_type`, a Python scalar weak: ``int8 array + 2`` stays ``int8``).
Division (``divide``, ``true_divide``, ``divide_no_nan``) gives floats, integers giving
``floatx()``; ``floor_divide`` and ``mod`` keep integers; ``arctan2``, ``logaddexp``,
``logaddexp2``, ``nextafter`` and ``ldexp`` count a Python scalar as ``int32``/``floatx()``
(Keras converts their inputs first).

Example:
    >>> import numpy as np
    >>> divide(np.array([1, 2]), 2).tolist()
    [0.5, 1.0]
    >>> floor_divide(np.array([7, -7]), 2).tolist()
    [3, -4]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import _dtypes, config, errors
from jnet.ops._numpy_ufunc import binary, broadcast, dtype_name, promoted_dtype, require_int
from jnet.ops._op import convert, keras_op

__all__ = [
    "add", "arctan2", "divide", "divide_no_nan", "floor_divide", "fmax", "fmin", "fmod", "gcd",
    "heaviside", "hypot", "lcm", "ldexp", "logaddexp", "logaddexp2", "maximum", "minimum",
    "mod", "multiply", "nextafter", "power", "subtract", "true_divide",
]


@keras_op
def add(x1: Any, x2: Any) -> jax.Array:
    """``x1 + x2``, elementwise with broadcasting (``keras.ops.add``).

    Args:
        x1: first array (or scalar).
        x2: second array (or scalar).

    Returns:
        The sum, in Keras's promoted dtype of ``x1`` and ``x2``.

    Example:
        >>> add(np.array([1, 2], "int8"), 3).dtype
        dtype('int8')
    """
    return jnp.add(*binary(x1, x2))


@keras_op
def subtract(x1: Any, x2: Any) -> jax.Array:
    """``x1 - x2``, elementwise with broadcasting (``keras.ops.subtract``).

    Example:
        >>> subtract(np.array([[1.0], [2.0]]), np.array([1.0, 0.5])).tolist()
        [[0.0, 0.5], [1.0, 1.5]]
    """
    return jnp.subtract(*binary(x1, x2))


@keras_op
def multiply(x1: Any, x2: Any) -> jax.Array:
    """``x1 * x2``, elementwise with broadcasting (``keras.ops.multiply``).

    Example:
        >>> multiply(np.array([1, 2]), 2.5).tolist()
        [2.5, 5.0]
    """
    return jnp.multiply(*binary(x1, x2))


def _division_dtype(x1: Any, x2: Any) -> str:
    # Keras: result_type(x1, x2, float): integers give floatx(), floats keep their width
    return promoted_dtype(x1, x2, 0.0)


@keras_op
def divide(x1: Any, x2: Any) -> jax.Array:
    """``x1 / x2`` as floats, elementwise with broadcasting (``keras.ops.divide``).

    Integer operands give ``floatx()``; float operands keep their promoted dtype.

    Example:
        >>> divide(np.array([1, 3], "int32"), np.array([2, 4], "int32")).tolist()
        [0.5, 0.75]
    """
    return jnp.divide(*binary(x1, x2, _division_dtype(x1, x2)))


@keras_op
def true_divide(x1: Any, x2: Any) -> jax.Array:
    """``x1 / x2`` as floats (``keras.ops.true_divide``, the same as :func:`divide`).

    Example:
        >>> true_divide(np.array([3]), 2).tolist()
        [1.5]
    """
    return jnp.divide(*binary(x1, x2, _division_dtype(x1, x2)))


@keras_op
def divide_no_nan(x1: Any, x2: Any) -> jax.Array:
    """``x1 / x2``, and 0 where ``x2`` is 0 (``keras.ops.divide_no_nan``).

    The result dtype is :func:`divide`'s; the gradient is finite where ``x2`` is 0.

    Example:
        >>> divide_no_nan(np.array([1.0, 1.0]), np.array([2.0, 0.0])).tolist()
        [0.5, 0.0]
    """
    x1, x2 = binary(x1, x2, _division_dtype(x1, x2))
    zero = x2 == jnp.zeros((), x2.dtype)
    safe = jnp.where(zero, jnp.ones((), x2.dtype), x2)
    return jnp.where(zero, jnp.zeros((), x2.dtype), jnp.divide(x1, safe))


@keras_op
def floor_divide(x1: Any, x2: Any) -> jax.Array:
    """``x1 // x2`` (the floor of the quotient), elementwise (``keras.ops.floor_divide``).

    Integers stay integers (Keras's promoted dtype).

    Example:
        >>> floor_divide(np.array([7.5, -7.5]), 2.0).tolist()
        [3.0, -4.0]
    """
    return jnp.floor_divide(*binary(x1, x2))


def _remainder_args(x1: Any, x2: Any) -> list[jax.Array]:
    dtype = promoted_dtype(x1, x2)
    return binary(x1, x2, "int32" if dtype == "bool" else dtype)


@keras_op
def mod(x1: Any, x2: Any) -> jax.Array:
    """The remainder of floor division, with the sign of ``x2`` (``keras.ops.mod``).

    Booleans give ``int32``; other dtypes are Keras's promoted dtype.

    Example:
        >>> mod(np.array([7, -7]), 3).tolist()
        [1, 2]
    """
    return jnp.mod(*_remainder_args(x1, x2))


@keras_op
def fmod(x1: Any, x2: Any) -> jax.Array:
    """The remainder of truncated division, with the sign of ``x1`` (``keras.ops.fmod``).

    Booleans give ``int32``; other dtypes are Keras's promoted dtype.

    Example:
        >>> fmod(np.array([7, -7]), 3).tolist()
        [1, -1]
    """
    return jnp.fmod(*_remainder_args(x1, x2))


@keras_op
def power(x1: Any, x2: Any) -> jax.Array:
    """``x1 ** x2``, elementwise with broadcasting (``keras.ops.power``).

    Example:
        >>> power(np.array([2, 3]), 2).tolist()
        [4, 9]
    """
    return jnp.power(*binary(x1, x2))


@keras_op
def maximum(x1: Any, x2: Any) -> jax.Array:
    """The larger of ``x1`` and ``x2``, elementwise; NaN wins (``keras.ops.maximum``).

    Example:
        >>> maximum(np.array([1.0, 5.0]), 2.0).tolist()
        [2.0, 5.0]
    """
    return jnp.maximum(*binary(x1, x2))


@keras_op
def minimum(x1: Any, x2: Any) -> jax.Array:
    """The smaller of ``x1`` and ``x2``, elementwise; NaN wins (``keras.ops.minimum``).

    Example:
        >>> minimum(np.array([1, 5]), 2).tolist()
        [1, 2]
    """
    return jnp.minimum(*binary(x1, x2))


@keras_op
def fmax(x1: Any, x2: Any) -> jax.Array:
    """The larger of ``x1`` and ``x2``, elementwise, ignoring a NaN (``keras.ops.fmax``).

    Example:
        >>> fmax(np.array([np.nan, 1.0]), np.array([2.0, np.nan])).tolist()
        [2.0, 1.0]
    """
    return jnp.fmax(*binary(x1, x2))


@keras_op
def fmin(x1: Any, x2: Any) -> jax.Array:
    """The smaller of ``x1`` and ``x2``, elementwise, ignoring a NaN (``keras.ops.fmin``).

    Example:
        >>> fmin(np.array([np.nan, 1.0]), np.array([2.0, np.nan])).tolist()
        [2.0, 1.0]
    """
    return jnp.fmin(*binary(x1, x2))


def _float_pair(x1: Any, x2: Any) -> list[jax.Array]:
    # Keras converts both inputs, then computes in result_type(x1.dtype, x2.dtype, float)
    x1, x2 = convert(x1), convert(x2)
    return binary(x1, x2, promoted_dtype(x1, x2, 0.0))


@keras_op
def arctan2(x1: Any, x2: Any) -> jax.Array:
    """The angle of the point ``(x2, x1)``: ``arctan(x1 / x2)`` in the right quadrant
    (``keras.ops.arctan2``); integers give ``floatx()``.

    Args:
        x1: y-coordinates.
        x2: x-coordinates.

    Example:
        >>> arctan2(np.array([1.0, -1.0]), np.array([0.0, 0.0])).tolist()
        [1.5707963705062866, -1.5707963705062866]
    """
    return jnp.arctan2(*_float_pair(x1, x2))


@keras_op
def logaddexp(x1: Any, x2: Any) -> jax.Array:
    """``log(exp(x1) + exp(x2))``, computed stably (``keras.ops.logaddexp``); integers give
    ``floatx()``.

    Example:
        >>> logaddexp(np.array([0.0]), np.array([0.0])).tolist()
        [0.6931471824645996]
    """
    return jnp.logaddexp(*_float_pair(x1, x2))


@keras_op
def logaddexp2(x1: Any, x2: Any) -> jax.Array:
    """``log2(2**x1 + 2**x2)``, computed stably (``keras.ops.logaddexp2``); integers give
    ``floatx()``.

    Example:
        >>> logaddexp2(np.array([1.0]), np.array([1.0])).tolist()
        [2.0]
    """
    return jnp.logaddexp2(*_float_pair(x1, x2))


@keras_op
def nextafter(x1: Any, x2: Any) -> jax.Array:
    """The next representable float after ``x1`` towards ``x2`` (``keras.ops.nextafter``),
    in ``result_type(x1, x2, float)`` (float32 for float32 inputs, as Keras's JAX backend).

    Example:
        >>> float(nextafter(np.float32(1.0), np.float32(2.0)) - 1.0)
        1.1920928955078125e-07
    """
    return jnp.nextafter(*_float_pair(x1, x2))


@keras_op
def ldexp(x1: Any, x2: Any) -> jax.Array:
    """``x1 * 2**x2``, elementwise (``keras.ops.ldexp``).

    Args:
        x1: the mantissas.
        x2: the exponents: an integer array.

    Returns:
        Floats of ``result_type(x1, x2, float)``.

    Raises:
        JnetTypeError: when ``x2`` is not an integer array.

    Example:
        >>> ldexp(np.array([1.0, 3.0]), np.array([2, -1])).tolist()
        [4.0, 1.5]
    """
    x1, x2 = convert(x1), convert(x2)
    if dtype_name(x2.dtype) not in _dtypes.INT_TYPES:
        raise errors.JnetTypeError(
            f"`ldexp`'s exponent `x2` must be an integer array. Received: x2.dtype={x2.dtype}."
        )
    dtype = promoted_dtype(x1, x2, 0.0)
    return jnp.ldexp(*broadcast(convert(x1, dtype), x2, names=("x1", "x2")))


def _float_of_ints(x1: Any, x2: Any) -> list[jax.Array]:
    # Keras: the promoted dtype, integers giving floatx()
    dtype = promoted_dtype(x1, x2)
    if dtype in _dtypes.INT_TYPES:
        dtype = config.floatx()
    return binary(x1, x2, dtype)


@keras_op
def heaviside(x1: Any, x2: Any) -> jax.Array:
    """The Heaviside step: 0 where ``x1 < 0``, 1 where ``x1 > 0``, ``x2`` where ``x1 == 0``
    (``keras.ops.heaviside``); integers give ``floatx()``.

    Example:
        >>> heaviside(np.array([-1.0, 0.0, 2.0]), 0.5).tolist()
        [0.0, 0.5, 1.0]
    """
    return jnp.heaviside(*_float_of_ints(x1, x2))


@keras_op
def hypot(x1: Any, x2: Any) -> jax.Array:
    """``sqrt(x1**2 + x2**2)``, without overflow (``keras.ops.hypot``); integers give
    ``floatx()``.

    Example:
        >>> hypot(np.array([3, 0]), np.array([4, 2])).tolist()
        [5.0, 2.0]
    """
    return jnp.hypot(*_float_of_ints(x1, x2))


@keras_op
def gcd(x1: Any, x2: Any) -> jax.Array:
    """The greatest common divisor of ``|x1|`` and ``|x2|``, elementwise (``keras.ops.gcd``).

    Raises:
        JnetTypeError: for non-integer inputs.

    Example:
        >>> gcd(np.array([12, -18]), 8).tolist()
        [4, 2]
    """
    x1, x2 = binary(x1, x2)
    require_int("gcd", x1=x1, x2=x2)
    return jnp.gcd(x1, x2)


@keras_op
def lcm(x1: Any, x2: Any) -> jax.Array:
    """The least common multiple of ``|x1|`` and ``|x2|``, elementwise (``keras.ops.lcm``).

    Raises:
        JnetTypeError: for non-integer inputs.

    Example:
        >>> lcm(np.array([4, -6]), 10).tolist()
        [20, 30]
    """
    x1, x2 = binary(x1, x2)
    require_int("lcm", x1=x1, x2=x2)
    return jnp.lcm(x1, x2)
