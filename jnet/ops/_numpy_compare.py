"""Keras's comparisons and value tests: ``equal`` to ``less_equal``, ``isclose``/``allclose``,
and the predicates ``isfinite``, ``isinf``, ``isnan``, ``isneginf``, ``isposinf``, ``isreal``.

Every result is boolean. Two operands broadcast and are compared in Keras's promoted dtype
(``int32`` against ``2.5`` compares as floats); an integer or boolean array is finite, never
NaN and never infinite.

Example:
    >>> import numpy as np
    >>> greater(np.array([1, 2, 3]), 2).tolist()
    [False, False, True]
    >>> isclose(np.array([1.0, 1.1]), 1.0).tolist()
    [True, False]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet import _dtypes
from jnet.ops._numpy_ufunc import binary, dtype_name
from jnet.ops._op import convert, keras_op

__all__ = [
    "allclose", "equal", "greater", "greater_equal", "isclose", "isfinite", "isinf", "isnan",
    "isneginf", "isposinf", "isreal", "less", "less_equal", "not_equal",
]

_COMPARISON_DOC = """Whether ``x1 {symbol} x2``, elementwise with broadcasting
    (``keras.ops.{name}``).

    Args:
        x1: first array (or scalar).
        x2: second array (or scalar).

    Returns:
        A boolean array of the broadcast shape; the operands are compared in Keras's
        promoted dtype.

    Example:
        >>> {name}(np.array([1, 2, 3]), 2).tolist()
        {example}
    """


def _comparison(name: str, fn: Callable[..., jax.Array], symbol: str, example: str):
    def op(x1: Any, x2: Any) -> jax.Array:
        return fn(*binary(x1, x2))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _COMPARISON_DOC.format(name=name, symbol=symbol, example=example)
    return keras_op(op)


equal = _comparison("equal", jnp.equal, "==", "[False, True, False]")
not_equal = _comparison("not_equal", jnp.not_equal, "!=", "[True, False, True]")
greater = _comparison("greater", jnp.greater, ">", "[False, False, True]")
greater_equal = _comparison("greater_equal", jnp.greater_equal, ">=", "[False, True, True]")
less = _comparison("less", jnp.less, "<", "[True, False, False]")
less_equal = _comparison("less_equal", jnp.less_equal, "<=", "[True, True, False]")


def _exact(dtype) -> bool:
    # integers and booleans: compared exactly, never NaN or infinite
    name = dtype_name(dtype)
    return name == "bool" or name in _dtypes.INT_TYPES


def _close(x1: jax.Array, x2: jax.Array, rtol: float, atol: float, equal_nan: bool):
    if _exact(x1.dtype):
        return jnp.equal(x1, x2)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


@keras_op
def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8,
            equal_nan: bool = False) -> jax.Array:
    """Whether ``|x1 - x2| <= atol + rtol * |x2|``, elementwise (``keras.ops.isclose``).

    Args:
        x1: first array.
        x2: second array.
        rtol: relative tolerance (default 1e-5).
        atol: absolute tolerance (default 1e-8).
        equal_nan: whether two NaNs count as close (default False).

    Returns:
        A boolean array of the broadcast shape (infinities are close only to themselves;
        integers compare exactly).

    Example:
        >>> isclose(np.array([1.0, np.nan]), np.array([1.0 + 1e-7, np.nan]),
        ...         equal_nan=True).tolist()
        [True, True]
    """
    return _close(*binary(x1, x2), rtol, atol, equal_nan)


@keras_op
def allclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8,
             equal_nan: bool = False) -> jax.Array:
    """Whether all elements of ``x1`` and ``x2`` are close (``keras.ops.allclose``).

    Args:
        x1: first array.
        x2: second array.
        rtol: relative tolerance (default 1e-5).
        atol: absolute tolerance (default 1e-8).
        equal_nan: whether two NaNs count as close (default False).

    Returns:
        A boolean scalar array: :func:`isclose` everywhere.

    Example:
        >>> bool(allclose(np.array([1.0, 2.0]), np.array([1.0, 2.00001])))
        True
    """
    return jnp.all(_close(*binary(x1, x2), rtol, atol, equal_nan))


_PREDICATE_DOC = """Whether ``x`` is {what}, elementwise (``keras.ops.{name}``).

    Args:
        x: input array.

    Returns:
        A boolean array of ``x``'s shape ({constant} for an integer or boolean ``x``).

    Example:
        >>> {name}(np.array([1.0, np.inf, -np.inf, np.nan])).tolist()
        {example}
    """


def _predicate(name: str, fn: Callable[[jax.Array], jax.Array], what: str, constant: bool,
               example: str):
    def op(x: Any) -> jax.Array:
        x = convert(x)
        if _exact(x.dtype):
            return jnp.full(x.shape, constant, "bool")
        return fn(x)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _PREDICATE_DOC.format(name=name, what=what, example=example,
                                       constant="all True" if constant else "all False")
    return keras_op(op)


isfinite = _predicate("isfinite", jnp.isfinite, "finite (not infinite, not NaN)", True,
                      "[True, False, False, False]")
isinf = _predicate("isinf", jnp.isinf, "positive or negative infinity", False,
                   "[False, True, True, False]")
isnan = _predicate("isnan", jnp.isnan, "NaN (not a number)", False,
                   "[False, False, False, True]")
isneginf = _predicate("isneginf", jnp.isneginf, "negative infinity", False,
                      "[False, False, True, False]")
isposinf = _predicate("isposinf", jnp.isposinf, "positive infinity", False,
                      "[False, True, False, False]")


@keras_op
def isreal(x: Any) -> jax.Array:
    """Whether ``x`` has a zero imaginary part, elementwise (``keras.ops.isreal``).

    Returns:
        A boolean array of ``x``'s shape (all True for a real dtype).

    Example:
        >>> isreal(np.array([1 + 0j, 1 + 1j])).tolist()
        [True, False]
    """
    x = convert(x)
    if "complex" not in str(x.dtype):
        return jnp.ones(x.shape, "bool")
    return jnp.imag(x) == jnp.zeros((), jnp.real(x).dtype)
