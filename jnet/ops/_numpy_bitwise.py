"""Keras's bitwise ops on integers: ``bitwise_and``/``or``/``xor``, ``bitwise_invert``
(``bitwise_not``) and the shifts (``bitwise_left_shift``/``left_shift``,
``bitwise_right_shift``/``right_shift``).

The operands are integer (or boolean) arrays, cast to Keras's promoted dtype; a Python int
shift count keeps ``x``'s dtype. Float operands raise a :class:`~jnet.errors.JnetTypeError`.

Example:
    >>> import numpy as np
    >>> bitwise_and(np.array([12, 10]), 6).tolist()
    [4, 2]
    >>> left_shift(np.array([1, 3], "int8"), 2).dtype
    dtype('int8')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet import _dtypes, errors
from jnet.ops._numpy_ufunc import binary, broadcast, dtype_name
from jnet.ops._op import convert, keras_op

__all__ = [
    "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not", "bitwise_or",
    "bitwise_right_shift", "bitwise_xor", "left_shift", "right_shift",
]


def _require_integers(op: str, **values: Any) -> None:
    # checked on the arguments as given, before promotion, so the message names the float one
    for name, value in values.items():
        dtype = dtype_name(value.dtype if hasattr(value, "dtype") else convert(value).dtype)
        if dtype != "bool" and dtype not in _dtypes.INT_TYPES:
            raise errors.JnetTypeError(
                f"`{op}` takes integer or boolean arrays. Received: {name}.dtype={dtype}. "
                f"Cast it first (jnet.ops.cast)."
            )


_BINARY_DOC = """The bitwise {word} of ``x`` and ``y``, elementwise with broadcasting
    (``keras.ops.{name}``).

    Args:
        x: first integer (or boolean) array.
        y: second integer (or boolean) array.

    Returns:
        An array of Keras's promoted dtype of ``x`` and ``y``.

    Raises:
        JnetTypeError: for float operands.

    Example:
        >>> {name}(np.array([12, 10]), np.array([6, 6])).tolist()
        {example}
    """


def _bitwise(name: str, fn: Callable[..., jax.Array], word: str, example: str):
    def op(x: Any, y: Any) -> jax.Array:
        _require_integers(name, x=x, y=y)
        x, y = binary(x, y, names=("x", "y"))
        return fn(x, y)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _BINARY_DOC.format(name=name, word=word, example=example)
    return keras_op(op)


bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and, "AND", "[4, 2]")
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or, "OR", "[14, 14]")
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor, "XOR", "[10, 12]")


@keras_op
def bitwise_invert(x: Any) -> jax.Array:
    """The bitwise NOT of ``x`` (``~x``), elementwise (``keras.ops.bitwise_invert``).

    Example:
        >>> bitwise_invert(np.array([0, 5], "int8")).tolist()
        [-1, -6]
    """
    x = convert(x)
    _require_integers("bitwise_invert", x=x)
    return jnp.invert(x)


@keras_op
def bitwise_not(x: Any) -> jax.Array:
    """The bitwise NOT of ``x`` (``keras.ops.bitwise_not``, the same as
    :func:`bitwise_invert`).

    Example:
        >>> bitwise_not(np.array([0, 255], "uint8")).tolist()
        [255, 0]
    """
    return bitwise_invert.__jnet_op__(x)


def _shift_args(op: str, x: Any, y: Any) -> list[jax.Array]:
    x = convert(x)
    _require_integers(op, x=x, y=y)
    if isinstance(y, int) and not isinstance(y, bool):
        # Keras: a Python int count keeps x's dtype
        x, y = broadcast(x, convert(y, x.dtype), names=("x", "y"))
    else:
        x, y = binary(x, y, names=("x", "y"))
    return [x, y]


_SHIFT_DOC = """``x`` shifted {direction} by ``y`` bits, elementwise (``keras.ops.{name}``{alias}).

    Args:
        x: integer array.
        y: shift counts: integer array, or a Python int (which keeps ``x``'s dtype).

    Returns:
        An array of Keras's promoted dtype of ``x`` and ``y``.

    Raises:
        JnetTypeError: for float operands.

    Example:
        >>> {name}(np.array([8, 12]), 2).tolist()
        {example}
    """


def _shift(name: str, fn: Callable[..., jax.Array], direction: str, example: str,
           alias: str):
    def op(x: Any, y: Any) -> jax.Array:
        return fn(*_shift_args(name, x, y))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _SHIFT_DOC.format(name=name, direction=direction, example=example,
                                   alias=alias)
    return keras_op(op)


bitwise_left_shift = _shift("bitwise_left_shift", jnp.left_shift, "left", "[32, 48]",
                            ", also ``left_shift``")
left_shift = _shift("left_shift", jnp.left_shift, "left", "[32, 48]",
                    ", also ``bitwise_left_shift``")
bitwise_right_shift = _shift("bitwise_right_shift", jnp.right_shift, "right", "[2, 3]",
                             ", also ``right_shift``")
right_shift = _shift("right_shift", jnp.right_shift, "right", "[2, 3]",
                     ", also ``bitwise_right_shift``")
