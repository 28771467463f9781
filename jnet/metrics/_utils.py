"""Shape, dtype and naming helpers shared by the metric files (private)."""

from __future__ import annotations

import re
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

Array = jax.Array

EPSILON = 1e-7  # keras.backend.epsilon()


def _as_float(x: Any, dtype: Any = None) -> Array:
    """``x`` as a JAX array of ``dtype``, or of its own float dtype (float32 for non-floats)."""
    x = jnp.asarray(x)
    if dtype is not None:
        return x.astype(dtype)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x.astype(jnp.float32)
    return x


def _standardize_dtype(dtype: Any) -> np.dtype:
    if dtype is None:
        return jnp.dtype(jnp.float32)
    dtype = getattr(dtype, "compute_dtype", dtype)  # accept Keras-style DTypePolicy objects
    try:
        result = jnp.dtype(dtype)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"Argument `dtype` must be a floating dtype such as 'float32'; received "
            f"{errors.describe(dtype)}."
        ) from e
    if not jnp.issubdtype(result, jnp.floating):
        raise errors.JnetValueError(
            f"Argument `dtype` must be a floating dtype such as 'float32'; received {dtype!r}."
        )
    return result


def _snake_case(name: str) -> str:
    """Keras's ``to_snake_case``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _object_name(obj: Any) -> str:
    """Keras's ``naming.get_object_name``: ``.name``, else the snake-cased ``__name__``."""
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return _snake_case(obj.__name__)
    return _snake_case(type(obj).__name__)


def _broadcast_pair(a: Array, b: Array, what: str, a_name: str, b_name: str):
    """Broadcasts two arrays explicitly (NumPy/TensorFlow rules) or raises naming both shapes."""
    if a.shape == b.shape:
        return a, b
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise errors.JnetValueError(
            f"{what}: {a_name} of shape {a.shape} and {b_name} of shape {b.shape} cannot be "
            f"broadcast together. Give them the same shape (a trailing dimension of 1 is "
            f"squeezed or added automatically)."
        ) from None
    return jnp.broadcast_to(a, shape), jnp.broadcast_to(b, shape)


def _divide_no_nan(x: Array, y: Array) -> Array:
    """``x / y``, or 0 where ``y == 0``."""
    zero = y == 0
    safe = jnp.where(zero, jnp.ones_like(y), y)
    return jnp.where(zero, jnp.zeros_like(x), x / safe)


def _check_bool(value: Any, arg: str, what: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(
            f"{what}: argument `{arg}` must be True or False; received {errors.describe(value)}."
        )
    return bool(value)
