"""Keras's core ops: conversion, dtype and shape, control flow, gradients, slicing and
scattering (``keras.ops`` names from ``keras/src/ops/core.py``), and ``rearrange``.

This module holds conversion, dtypes and shapes; two private modules hold the rest and are
re-exported here: :mod:`jnet.ops._core_flow` (``cond``, ``switch``, ``scan``,
``associative_scan``, ``fori_loop``, ``while_loop``, ``map``, ``vectorized_map``,
``stop_gradient``, ``custom_gradient``) and :mod:`jnet.ops._core_slicing` (``slice``,
``slice_update``, ``scatter``, ``scatter_update``, ``unstack``); ``rearrange`` comes from
:mod:`jnet.ops.einops` (Keras exposes it at ``keras.ops`` too).

Example:
    >>> from jnet.ops import core
    >>> core.shape(core.convert_to_tensor([[1.0, 2.0]]))
    (1, 2)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

from jnet import _dtypes, errors
from jnet.ops import _core_flow, _core_slicing
from jnet.ops._core_flow import *  # noqa: F403
from jnet.ops._core_slicing import *  # noqa: F403
from jnet.ops._op import convert, keras_op
from jnet.ops.einops import rearrange
from jnet.symbolic import KerasTensor

__all__ = [
    "cast", "convert_to_numpy", "convert_to_tensor", "dtype", "is_tensor", "rearrange",
    "saturate_cast", "shape", *_core_flow.__all__, *_core_slicing.__all__,
]


def convert_to_tensor(x: Any, dtype: Any = None, sparse: Any = None, ragged: Any = None):
    """Converts a NumPy array, list or scalar to a jax array (``keras.ops.convert_to_tensor``).

    Args:
        x: the value: array, list, Python scalar, or jnet ``Variable``.
        dtype: the target dtype (default: ``x``'s; a Python float gives ``floatx()``, a
            Python int ``int32``).
        sparse: ignored (jnet has no sparse tensors; dense is returned).
        ragged: must be falsy: jax has no ragged tensors.

    Returns:
        A jax array.

    Example:
        >>> convert_to_tensor([1.0, 2.0]).dtype, convert_to_tensor(3).dtype
        (dtype('float32'), dtype('int32'))
    """
    if ragged:
        raise errors.JnetValueError("`ragged=True` is not supported with the jax backend.")
    return convert(x, dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """A NumPy array of ``x`` (``keras.ops.convert_to_numpy``).

    Example:
        >>> convert_to_numpy(convert_to_tensor([1, 2])).tolist()
        [1, 2]
    """
    return np.asarray(convert(x))


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a backend (jax) array (``keras.ops.is_tensor``).

    Example:
        >>> is_tensor(convert_to_tensor(1.0)), is_tensor(1.0)
        (True, False)
    """
    return isinstance(x, jax.Array)


def shape(x: Any) -> tuple[int | None, ...]:
    """The shape of ``x`` as a tuple (None for the free axes of a KerasTensor).

    Example:
        >>> shape(convert_to_tensor([[1, 2, 3]]))
        (1, 3)
    """
    if isinstance(x, KerasTensor):
        return tuple(x.shape)
    return tuple(getattr(x, "shape", np.shape(x)))


def dtype(x: Any) -> str:
    """Keras's name of ``x``'s dtype (``keras.ops.dtype``).

    Example:
        >>> dtype(convert_to_tensor([1.0]))
        'float32'
    """
    return _dtypes.standardize_dtype(getattr(x, "dtype", None) or np.asarray(x).dtype)


@keras_op
def cast(x: Any, dtype: Any):
    """``x`` cast to ``dtype`` (``keras.ops.cast``).

    Args:
        x: the array.
        dtype: the target dtype.

    Example:
        >>> cast(convert_to_tensor([1.7, -1.7]), "int32").tolist()
        [1, -1]
    """
    return convert(x).astype(_dtypes.standardize_dtype(dtype))


def _range_of(dtype: str) -> tuple[Any, Any]:
    if dtype == "bool":
        return 0, 1
    info = ml_dtypes.iinfo(dtype) if "int" in dtype else ml_dtypes.finfo(dtype)
    return info.min, info.max


def _limit(in_dtype: str, bound: Any, toward_zero_if: Any) -> Any:
    """``bound`` in ``in_dtype``, nudged toward zero when rounding took it past the output
    range (Keras's saturation limits)."""
    value = np.asarray(bound).astype(in_dtype)
    if toward_zero_if(value):
        value = np.nextafter(value, 0, dtype=in_dtype)
    return value


@keras_op
def saturate_cast(x: Any, dtype: Any):
    """``x`` cast to ``dtype``, values clipped to ``dtype``'s range first
    (``keras.ops.saturate_cast``: no wrap-around, ``inf`` becomes the largest value).

    Args:
        x: the array.
        dtype: the target dtype.

    Returns:
        An array of ``dtype``.

    Example:
        >>> saturate_cast(convert_to_tensor([-1.0, 256.0]), "uint8").tolist()
        [0, 255]
    """
    dtype = _dtypes.standardize_dtype(dtype)
    x = convert(x)
    in_dtype = _dtypes.standardize_dtype(x.dtype)
    in_min, in_max = _range_of(in_dtype)
    out_min, out_max = _range_of(dtype)
    low = _limit(in_dtype, np.maximum(in_min, out_min), lambda v: v < out_min)
    high = _limit(in_dtype, np.minimum(in_max, out_max), lambda v: v > out_max)
    clipped = jnp.clip(x, jnp.asarray(low, x.dtype), jnp.asarray(high, x.dtype))
    return clipped.astype(dtype)
