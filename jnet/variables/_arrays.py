"""Conversions and Keras's operator arithmetic for :class:`~jnet.variables.Variable`.

A Variable sits below ``jnet.ops`` (it is floor 4, the ops floor 5), so its operators cannot
call ``jnet.ops.add``; they apply the same rules here: both operands are cast to Keras's
result dtype (:func:`jnet._dtypes.result_type`, Python scalars weak) before jax computes, so
``Variable(int32) + 2.5`` is ``float32`` whatever JAX's own promotion mode. ``/`` always gives
a float (``int32 / int32`` is ``float32``), ``%`` of bools gives ``int32``, ``@`` of two
``int8`` gives ``int32``, comparisons give ``bool``, and ``&``, ``|``, ``^`` are Keras's
*logical* and/or/xor (their operands are taken as booleans).

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.variables._arrays import binary
    >>> binary("add", jnp.ones(2, "int32"), 2.5).dtype
    dtype('float32')
    >>> binary("divide", jnp.ones(2, "int8"), 2).dtype
    dtype('float32')
    >>> binary("logical_and", jnp.array([0, 3]), True)
    Array([False,  True], dtype=bool)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, config, errors

__all__ = ["binary", "is_operand", "round_value", "to_array", "unwrap"]

# What an operator of a Variable accepts as its other operand; anything else (a KerasTensor,
# a string, None) gets NotImplemented, so Python tries the other side or raises TypeError.
_OPERANDS = (bool, int, float, complex, np.ndarray, np.generic, jax.Array, list, tuple)


def unwrap(x: Any) -> Any:
    """A Variable's value (``_JNET_IS_VARIABLE`` objects), anything else unchanged."""
    return x.value if getattr(x, "_JNET_IS_VARIABLE", False) else x


def is_operand(x: Any) -> bool:
    """Whether a Variable's operator takes ``x`` as its other operand."""
    return isinstance(x, _OPERANDS) or getattr(x, "_JNET_IS_VARIABLE", False)


def _default_dtype(x: Any) -> str:
    # keras.ops.convert_to_tensor on the JAX backend: float -> floatx, int -> int32, 64 -> 32
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
        if dtype == np.float64:
            return config.floatx()
    return _dtypes.result_type(_dtypes.standardize_dtype(dtype))


def to_array(x: Any, dtype: Any = None) -> jax.Array:
    """``x`` (an array-like or a Variable) as a jax array of ``dtype`` (a 64-bit dtype is
    taken as its 32-bit one, as on Keras's JAX backend); ``dtype=None`` keeps ``x``'s, with
    Keras's conversion of Python scalars and 64-bit arrays."""
    x = unwrap(x)
    if dtype is not None:
        dtype = _dtypes.result_type(_dtypes.standardize_dtype(dtype))
    if isinstance(x, jax.Array):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    try:
        if dtype is None:
            dtype = _default_dtype(x)
        if dtype == "bfloat16":
            return jnp.asarray(np.asarray(x)).astype(dtype)
        return jnp.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise errors.JnetTypeError(
            f"Cannot convert {errors.describe(x)} to an array"
            f"{'' if dtype is None else f' of dtype {dtype}'}: {e}"
        ) from e


def _matmul(a: jax.Array, b: jax.Array) -> jax.Array:
    if a.dtype == jnp.int8 and b.dtype == jnp.int8:
        return jnp.matmul(a, b, preferred_element_type=jnp.int32)
    return jnp.matmul(a, b)


# name -> (jax function, how operands are cast: "promote", "float", "bool")
_BINARY: dict[str, tuple[Callable[..., jax.Array], str]] = {
    "add": (jnp.add, "promote"),
    "subtract": (jnp.subtract, "promote"),
    "multiply": (jnp.multiply, "promote"),
    "divide": (jnp.true_divide, "float"),
    "floor_divide": (jnp.floor_divide, "promote"),
    "mod": (jnp.mod, "promote"),
    "power": (jnp.power, "promote"),
    "matmul": (_matmul, "promote"),
    "equal": (jnp.equal, "promote"),
    "not_equal": (jnp.not_equal, "promote"),
    "less": (jnp.less, "promote"),
    "less_equal": (jnp.less_equal, "promote"),
    "greater": (jnp.greater, "promote"),
    "greater_equal": (jnp.greater_equal, "promote"),
    "logical_and": (jnp.logical_and, "bool"),
    "logical_or": (jnp.logical_or, "bool"),
    "logical_xor": (jnp.logical_xor, "bool"),
}


def binary(name: str, x1: Any, x2: Any) -> jax.Array:
    """``keras.ops.<name>(x1, x2)`` for the operators of a Variable (names in ``_BINARY``)."""
    fn, cast = _BINARY[name]
    x1, x2 = unwrap(x1), unwrap(x2)
    if cast == "bool":
        target = "bool"
    else:
        entries = [_dtypes.dtype_of(x) for x in (x1, x2)]
        target = _dtypes.result_type(*entries, float) if cast == "float" else (
            _dtypes.result_type(*entries))
        if name == "mod" and target == "bool":
            target = "int32"
    x1, x2 = to_array(x1, target), to_array(x2, target)
    if name != "matmul":
        x1, x2 = _broadcast_ranks(name, x1, x2)
    return fn(x1, x2)


def _broadcast_ranks(name: str, x1: jax.Array, x2: jax.Array) -> tuple[jax.Array, jax.Array]:
    # NumPy broadcasting made explicit (leading size-1 axes), so it also runs where JAX's
    # rank promotion is set to "raise"; shapes that cannot broadcast get a jnet error.
    try:
        np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError as e:
        raise errors.JnetValueError(
            f"Cannot broadcast the shapes {tuple(x1.shape)} and {tuple(x2.shape)} "
            f"together for `{name}` of a Variable."
        ) from e
    rank = max(x1.ndim, x2.ndim)
    return (x1.reshape((1,) * (rank - x1.ndim) + x1.shape),
            x2.reshape((1,) * (rank - x2.ndim) + x2.shape))


def round_value(x: jax.Array, decimals: int = 0) -> jax.Array:
    """``keras.ops.round``: integers rounded to a negative number of ``decimals`` go through
    ``floatx()`` and come back as integers."""
    dtype = _dtypes.standardize_dtype(x.dtype)
    if _dtypes.is_int(dtype) and decimals < 0:
        factor = jnp.asarray(math.pow(10, decimals), config.floatx())
        scaled = jnp.round(x.astype(config.floatx()) * factor)
        return (scaled / factor).astype(dtype)
    return jnp.round(x, decimals=decimals)
