"""What the reductions, statistics and sorting ops share: axis checks and Keras's dtype rules.

* :func:`axes` and :func:`axis_index` check an ``axis`` argument against the input's rank
  and raise a :class:`~jnet.errors.JnetValueError` naming the op, the argument, what was
  received and what was expected (instead of jax's error from deep inside a trace);
* :func:`sum_dtype` is the accumulating rule of ``sum``/``prod`` (jax's, which Keras adopts):
  ``bool``, ``int8`` and ``int16`` give ``int32``; ``uint8`` and ``uint16`` give ``uint32``;
* :func:`float_dtype` is ``result_type(dtype, float)`` (ints and bools give ``floatx()``,
  floats keep theirs); :func:`compute_dtype` is the dtype Keras computes a statistic in
  (``float16``/``bfloat16`` are computed in ``float32`` and cast back).

Example:
    >>> from jnet.ops._reduce_common import axes, float_dtype, sum_dtype
    >>> axes([-1, 0], 3, op="sum")
    (2, 0)
    >>> sum_dtype("int8"), float_dtype("int32"), float_dtype("float16")
    ('int32', 'float32', 'float16')
"""

from __future__ import annotations

import operator
from typing import Any

from jnet import _dtypes, errors

__all__ = [
    "axes",
    "axis_index",
    "compute_dtype",
    "float_dtype",
    "non_empty",
    "sum_dtype",
]

_SUM = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
        "uint16": "uint32"}


def _expected(ndim: int) -> str:
    if ndim == 0:
        return "None (the input is a scalar: it has no axis)"
    return f"an integer in [{-ndim}, {ndim})"


def axis_index(axis: Any, ndim: int, *, op: str, arg: str = "axis") -> int:
    """``axis`` (an int, possibly negative) as an index in ``[0, ndim)``.

    Raises:
        JnetValueError: when ``axis`` is not an integer or is out of range.
    """
    try:
        index = operator.index(axis)
    except TypeError:
        raise errors.JnetTypeError(
            f"{op}: `{arg}` must be an integer. Received: {arg}={axis!r}; expected "
            f"{_expected(ndim)}."
        ) from None
    if not -ndim <= index < ndim:
        raise errors.JnetValueError(
            f"{op}: `{arg}`={axis!r} is out of range for an input of rank {ndim}. "
            f"Expected {_expected(ndim)}."
        )
    return index % ndim


def axes(axis: Any, ndim: int, *, op: str, arg: str = "axis") -> tuple[int, ...] | None:
    """``axis`` (None, an int, or a list/tuple of ints) as a tuple of indices (None stays).

    Raises:
        JnetValueError: for an axis out of range, or one given twice.
    """
    if axis is None:
        return None
    many = isinstance(axis, list | tuple)
    found = tuple(axis_index(a, ndim, op=op, arg=arg) for a in (axis if many else (axis,)))
    if len(set(found)) != len(found):
        raise errors.JnetValueError(
            f"{op}: `{arg}` names an axis twice. Received: {arg}={axis!r} for an input of "
            f"rank {ndim}; expected distinct axes."
        )
    return found


def non_empty(shape: tuple[int, ...], reduced: tuple[int, ...] | None, *, op: str) -> None:
    """Raises for a reduction without identity (max, min, ...) over an empty axis."""
    sizes = shape if reduced is None else tuple(shape[a] for a in reduced)
    if 0 in sizes:
        raise errors.JnetValueError(
            f"{op}: cannot reduce an empty array (shape {tuple(shape)}) without `initial`: "
            f"the reduction has no identity. Pass `initial=` or a non-empty input."
        )


def sum_dtype(dtype: Any) -> str:
    """The result dtype of ``sum``/``prod``/``nansum``/``nanprod`` of ``dtype``."""
    name = _dtypes.standardize_dtype(dtype)
    return _SUM.get(name, name)


def float_dtype(dtype: Any) -> str:
    """``result_type(dtype, float)``: ``floatx()`` for ints and bools, floats unchanged."""
    return _dtypes.result_type(_dtypes.standardize_dtype(dtype), float)


def compute_dtype(dtype: Any) -> str:
    """``result_type(dtype, 'float32')``: the dtype a statistic is computed in."""
    return _dtypes.result_type(_dtypes.standardize_dtype(dtype), "float32")
