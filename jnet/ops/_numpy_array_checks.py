"""Argument checks shared by the array ops (creation, shape, indexing, products).

Each check raises a :class:`~jnet.errors.JnetValueError` (or ``JnetTypeError``) that names the
argument, what was received and what was expected, where jax would otherwise raise a bare
``IndexError`` or an XLA message.

Example:
    >>> canonical_axis(-1, 3)
    2
    >>> try:
    ...     canonical_axis(3, 2)
    ... except ValueError as e:
    ...     print(e)
    Argument `axis` = 3 is out of range for an array of rank 2: expected an integer in [-2, 2).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from jnet import errors

__all__ = ["as_axes", "canonical_axes", "canonical_axis", "check_rank", "static_int"]


def canonical_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """``axis`` as a non-negative integer below ``ndim``; a clear error when out of range."""
    try:
        axis = operator.index(axis)
    except TypeError:
        raise errors.JnetTypeError(
            f"Argument `{name}` must be an integer. Received: {name}={axis!r} "
            f"of type {type(axis).__name__}."
        ) from None
    if not -ndim <= axis < ndim:
        raise errors.JnetValueError(
            f"Argument `{name}` = {axis} is out of range for an array of rank {ndim}: "
            f"expected an integer in [{-ndim}, {ndim})."
        )
    return axis % ndim


def as_axes(axis: Any) -> tuple:
    """``axis`` (an integer or a sequence of integers) as a tuple."""
    if isinstance(axis, Sequence | np.ndarray):
        return tuple(axis)
    return (axis,)


def canonical_axes(axis: Any, ndim: int, name: str = "axis") -> tuple[int, ...]:
    """Each of ``axis`` (an integer or a sequence) made non-negative; repeats are an error."""
    axes = tuple(canonical_axis(a, ndim, name) for a in as_axes(axis))
    if len(set(axes)) != len(axes):
        raise errors.JnetValueError(
            f"Argument `{name}` repeats an axis: received {name}={axis!r} for an array of "
            f"rank {ndim}."
        )
    return axes


def check_rank(x: Any, op: str, least: int, name: str = "x") -> None:
    """Raises unless ``x`` has at least ``least`` dimensions."""
    if np.ndim(x) < least:
        raise errors.JnetValueError(
            f"`{op}` needs `{name}` with at least {least} dimension"
            f"{'s' if least != 1 else ''}. Received: {name}.shape={tuple(np.shape(x))}."
        )


def static_int(value: Any, op: str, name: str) -> int:
    """``value`` as a Python int; a clear error when it is traced (not known before running)."""
    try:
        return operator.index(value) if not hasattr(value, "shape") else int(value)
    except TypeError:
        raise errors.JnetTypeError(
            f"`{op}` needs `{name}` as a concrete integer (a Python int or a concrete array), "
            f"as Keras does: it is not supported on symbolic or traced tensors. "
            f"Received: {name}={value!r}."
        ) from None
