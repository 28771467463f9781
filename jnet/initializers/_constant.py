"""Keras's deterministic initializers: Zeros, Ones, Constant and Identity.

Each class also has Keras's lower-case name (``zeros``, ``ones``, ``constant``, ``identity``)
and ``IdentityInitializer``, Keras's compatibility name for Identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.initializers._base import Initializer, _check_call, _dtype, _number, _shape


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


# Keras's lower-case and compatibility names for the classes.
constant = Constant
zeros = Zeros
ones = Ones
identity = IdentityInitializer = Identity
