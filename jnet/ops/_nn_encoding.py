"""Keras's encoding ops: ``one_hot`` and ``multi_hot`` (class indices to indicator
vectors), and ``polar`` (magnitude and angle to a complex number).

jnet has no sparse arrays: ``sparse=True`` is accepted and a dense array returned.

Example:
    >>> one_hot(np.array([0, 2]), 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import lax
from jax import nn as jnn

from jnet import _dtypes, errors
from jnet.ops._nn_utils import float_array
from jnet.ops._op import convert, keras_op

__all__ = ["multi_hot", "one_hot", "polar"]


def _class_count(num_classes: Any, op: str) -> int:
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 0:
        raise errors.JnetValueError(
            f"{op}: num_classes must be a non-negative integer, received {num_classes!r}."
        )
    return num_classes


def _encode(x: jax.Array, num_classes: int, axis: int, dtype: Any, op: str) -> jax.Array:
    if not -(x.ndim + 1) <= axis <= x.ndim:
        raise errors.JnetValueError(
            f"{op}: axis must be -1 or between [0, {x.ndim}], but received {axis} for an "
            f"input of shape {x.shape}."
        )
    return jnn.one_hot(x, num_classes, axis=axis, dtype=dtype)


@keras_op
def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None,
            sparse: bool = False) -> jax.Array:
    """One-hot encoding of integer class indices (an index outside ``[0, num_classes)``
    gives a row of zeros).

    Args:
        x: integer class indices.
        num_classes: the number of classes.
        axis: where the new class axis goes (default -1: last).
        dtype: the result dtype (default: ``floatx()``).
        sparse: accepted for Keras's signature; the result is dense.

    Returns:
        An array of ``x``'s shape with a class axis of size ``num_classes`` inserted.

    Example:
        >>> one_hot(np.array([1, 0]), 2, axis=0, dtype="int32").tolist()
        [[0, 1], [1, 0]]
    """
    dtype = _dtypes.standardize_dtype(dtype)
    x = convert(x)
    return _encode(x, _class_count(num_classes, "one_hot"), axis, dtype, "one_hot")


@keras_op
def multi_hot(inputs: Any, num_classes: int | None = None, axis: int = -1, dtype: Any = None,
              sparse: bool = False, **kwargs: Any) -> jax.Array:
    """Multi-hot encoding: for each sample (each row of a 2D ``inputs``; a 1D ``inputs`` is
    one sample), 1 at every class index it holds.

    Args:
        inputs: integer class indices, 1D (one sample) or ``(batch, indices)``.
        num_classes: the number of classes (``num_tokens=`` is accepted as Keras's old name).
        axis: where the class axis goes (default -1: last).
        dtype: the result dtype (default: ``floatx()``).
        sparse: accepted for Keras's signature; the result is dense.

    Returns:
        ``(num_classes,)`` for 1D inputs, ``(batch, num_classes)`` for 2D ones.

    Example:
        >>> multi_hot(np.array([[0, 2], [1, 1]]), 3).tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise errors.unknown_arguments("multi_hot", kwargs, ["num_tokens"])
    if num_classes is None:
        raise errors.JnetValueError("multi_hot: argument `num_classes` must be specified.")
    dtype = _dtypes.standardize_dtype(dtype)
    x = convert(inputs, "int32")
    encoded = _encode(x, _class_count(num_classes, "multi_hot"), axis, dtype, "multi_hot")
    return jnp.max(encoded, axis=1 if x.ndim > 1 else 0)


@keras_op
def polar(abs_: Any, angle: Any) -> jax.Array:
    """The complex number of magnitude ``abs_`` and angle ``angle``:
    ``abs_ * (cos(angle) + 1j * sin(angle))``.

    Args:
        abs_: magnitudes.
        angle: angles in radians, broadcastable with ``abs_``.

    Returns:
        A complex64 array.

    Example:
        >>> polar(np.array([2.0]), np.array([0.0])).tolist()
        [(2+0j)]
    """
    abs_, angle = float_array(abs_), float_array(angle)
    dtype = _dtypes.result_type(abs_.dtype, angle.dtype, "float32")
    abs_, angle = abs_.astype(dtype), angle.astype(dtype)
    real, imaginary = jnp.broadcast_arrays(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))
    return lax.complex(real, imaginary)
