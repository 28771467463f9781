"""Keras's ``vectorize`` (``keras.ops.numpy``): a function on single values made one on arrays.

Example:
    >>> vectorize(lambda a, b: a + b)(jnp.arange(3), 1).tolist()
    [1, 2, 3]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp

from jnet import errors

__all__ = ["vectorize"]


def vectorize(pyfunc: Callable[..., Any], *, excluded: Any = None, signature: str | None = None):
    """``pyfunc`` vectorized over its array arguments (``jax.numpy.vectorize``: ``vmap`` over
    broadcast leading axes).

    Not an op on tensors but a function transform, as in Keras: it returns a function, which
    then takes arrays (and works under ``jit``, ``grad`` and ``vmap``).

    Args:
        pyfunc: the function on single values (or on the core shapes of ``signature``).
        excluded: positions or names of arguments not vectorized (default ``None``: none).
        signature: a generalized ufunc signature such as ``"(n),(n)->()"`` (default
            ``None``: scalars in, scalars out).

    Returns:
        The vectorized function.

    Example:
        >>> dot = vectorize(lambda a, b: jnp.dot(a, b), signature="(n),(n)->()")
        >>> dot(jnp.ones((4, 3)), jnp.ones((4, 3))).shape
        (4,)
    """
    if not callable(pyfunc):
        raise errors.JnetValueError(
            f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc!r}."
        )
    excluded = frozenset() if excluded is None else frozenset(excluded)
    return jnp.vectorize(pyfunc, excluded=excluded, signature=signature)
