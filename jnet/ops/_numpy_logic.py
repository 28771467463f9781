"""Keras's logic and choice ops: ``logical_and``/``or``/``xor``/``not``, ``where`` and
``select``.

The logical ops read any dtype as truth values (non-zero is True) and return booleans.
``where(condition, x1, x2)`` picks from ``x1`` where ``condition`` holds, else from ``x2``, in
Keras's promoted dtype of the two (a Python scalar weak); with ``condition`` alone it is
``nonzero(condition)``. ``select`` picks, for each element, the first choice whose condition
holds.

Example:
    >>> import numpy as np
    >>> where(np.array([True, False]), np.array([1, 2]), 0.5).tolist()
    [1.0, 0.5]
    >>> logical_xor(np.array([0, 1, 2]), True).tolist()
    [True, False, False]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._numpy_ufunc import broadcast, broadcast_shape, cast, promoted_dtype
from jnet.ops._op import convert, keras_op

__all__ = ["logical_and", "logical_not", "logical_or", "logical_xor", "select", "where"]


def _truth(x: Any) -> jax.Array:
    x = convert(x)
    return x if x.dtype == jnp.bool_ else x != jnp.zeros((), x.dtype)


_LOGICAL_DOC = """The truth value of ``x1 {word} x2``, elementwise with broadcasting
    (``keras.ops.{name}``).

    Args:
        x1: first array (any dtype: non-zero is True).
        x2: second array.

    Returns:
        A boolean array of the broadcast shape.

    Example:
        >>> {name}(np.array([True, True, False]), np.array([True, False, False])).tolist()
        {example}
    """


def _logical(name: str, fn: Callable[..., jax.Array], word: str, example: str):
    def op(x1: Any, x2: Any) -> jax.Array:
        return fn(*broadcast(_truth(x1), _truth(x2)))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = _LOGICAL_DOC.format(name=name, word=word, example=example)
    return keras_op(op)


logical_and = _logical("logical_and", jnp.logical_and, "AND", "[True, False, False]")
logical_or = _logical("logical_or", jnp.logical_or, "OR", "[True, True, False]")
logical_xor = _logical("logical_xor", jnp.logical_xor, "XOR", "[False, True, False]")


@keras_op
def logical_not(x: Any) -> jax.Array:
    """The truth value of NOT ``x``, elementwise (``keras.ops.logical_not``).

    Example:
        >>> logical_not(np.array([0, 3])).tolist()
        [True, False]
    """
    return jnp.logical_not(_truth(x))


@keras_op
def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """Elements of ``x1`` where ``condition`` is True, else of ``x2`` (``keras.ops.where``).

    Args:
        condition: the choice (any dtype: non-zero is True).
        x1: values where ``condition`` holds (default None).
        x2: values elsewhere (default None). ``x1`` and ``x2`` are both given or both None.

    Returns:
        The broadcast of ``condition``, ``x1`` and ``x2``, in Keras's promoted dtype of ``x1``
        and ``x2``; with both None, ``nonzero(condition)``: a tuple of index arrays (not
        jittable: its size depends on the values).

    Raises:
        JnetValueError: when only one of ``x1`` and ``x2`` is given.

    Example:
        >>> where(np.array([1.0, -1.0]) > 0, 1, -1).tolist()
        [1, -1]
        >>> [i.tolist() for i in where(np.array([0, 3, 0, 4]))]
        [[1, 3]]
    """
    if (x1 is None) != (x2 is None):
        raise errors.JnetValueError(
            f"`x1` and `x2` either both should be `None` or both should have non-None value. "
            f"Received: x1={'None' if x1 is None else 'an array'}, "
            f"x2={'None' if x2 is None else 'an array'}."
        )
    condition = _truth(condition)
    if x1 is None:
        return jnp.nonzero(condition)
    dtype = promoted_dtype(x1, x2)
    x1, x2 = cast(x1, dtype), cast(x2, dtype)
    return jnp.where(*broadcast(condition, x1, x2, names=("condition", "x1", "x2")))


@keras_op
def select(condlist: Any, choicelist: Any, default: Any = 0) -> jax.Array:
    """For each element, the value of the first choice whose condition holds, else
    ``default`` (``keras.ops.select``).

    Args:
        condlist: a list of boolean arrays (any dtype: non-zero is True).
        choicelist: a list of arrays, one per condition, broadcastable with them.
        default: the value where no condition holds (default 0).

    Returns:
        The broadcast shape, in Keras's promoted dtype of the choices and ``default``.

    Raises:
        JnetValueError: when the lists are not lists, are empty, or differ in length.

    Example:
        >>> x = np.array([-2, 0, 3])
        >>> select([x < 0, x > 0], [-x, x * 10], default=7).tolist()
        [2, 7, 30]
    """
    if not isinstance(condlist, list | tuple) or not isinstance(choicelist, list | tuple):
        raise errors.JnetValueError(
            f"condlist and choicelist must be lists. Received: type(condlist)="
            f"{type(condlist)}, type(choicelist)={type(choicelist)}."
        )
    if not condlist or not choicelist:
        raise errors.JnetValueError(
            f"condlist and choicelist must not be empty. Received: {len(condlist)} "
            f"conditions and {len(choicelist)} choices."
        )
    if len(condlist) != len(choicelist):
        raise errors.JnetValueError(
            f"condlist and choicelist must have the same length. Received: "
            f"{len(condlist)} conditions and {len(choicelist)} choices."
        )
    conds = [_truth(c) for c in condlist]
    dtype = promoted_dtype(*choicelist, default)
    values = [cast(v, dtype) for v in (*choicelist, default)]
    names = [f"condlist[{i}]" for i in range(len(conds))]
    names += [f"choicelist[{i}]" for i in range(len(conds))] + ["default"]
    shape = broadcast_shape([a.shape for a in [*conds, *values]], names)
    arrays = [jnp.broadcast_to(a, shape) for a in [*conds, *values]]
    conds, choices, fallback = arrays[:len(conds)], arrays[len(conds):-1], arrays[-1]
    # the first true condition wins: fold from the last one
    out = fallback
    for cond, choice in zip(reversed(conds), reversed(choices), strict=True):
        out = jnp.where(cond, choice, out)
    return out
