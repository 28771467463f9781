"""Argument checks shared by the ``keras.ops.nn`` ops: axes, image layouts, spatial tuples.

Each check raises a jnet error naming the op, the argument, what it received and what it
expected, before jax sees the value (so a wrong axis or rank never surfaces as an XLA error).

Example:
    >>> canonical_axis(-1, 3, "softmax")
    2
    >>> spatial_tuple(2, 2, "strides", "conv")
    (2, 2)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, config, errors
from jnet.ops._op import convert

__all__ = [
    "canonical_axes",
    "canonical_axis",
    "check_rank",
    "data_format",
    "float_array",
    "padding_mode",
    "spatial_tuple",
]


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def canonical_axis(axis: Any, ndim: int, op: str, argument: str = "axis") -> int:
    """``axis`` as a non-negative int below ``ndim``, or a JnetValueError naming ``op``."""
    if not _is_int(axis):
        raise errors.JnetTypeError(f"{op}: {argument} must be an integer, received {axis!r}.")
    if not -ndim <= axis < ndim:
        raise errors.JnetValueError(
            f"{op}: {argument}={axis} is out of bounds for an input of rank {ndim} "
            f"(expected an axis in [{-ndim}, {ndim}))."
        )
    return int(axis) % ndim


def canonical_axes(axes: Any, ndim: int, op: str, argument: str = "axis") -> tuple[int, ...]:
    """An int or a sequence of ints as a tuple of non-negative, distinct axes."""
    values = axes if isinstance(axes, tuple | list) else (axes,)
    result = tuple(canonical_axis(a, ndim, op, argument) for a in values)
    if len(set(result)) != len(result):
        raise errors.JnetValueError(f"{op}: {argument} has repeated axes, received {axes!r}.")
    return result


def float_array(x: Any) -> jax.Array:
    """``x`` as a jax array; integer and boolean inputs become ``floatx()``."""
    x = convert(x)
    if not _dtypes.is_float(x.dtype):
        x = x.astype(_dtypes.standardize_dtype(None))
    return x


def data_format(value: Any, op: str) -> str:
    """Keras's ``standardize_data_format``: None gives ``jnet.config.image_data_format()``."""
    if value is None:
        return config.image_data_format()
    mode = value.lower() if isinstance(value, str) else None
    if mode not in ("channels_last", "channels_first"):
        raise errors.JnetValueError(
            f"{op}: data_format must be 'channels_last', 'channels_first' or None, "
            f"received {value!r}."
        )
    return mode


def padding_mode(value: Any, op: str) -> str:
    """``'valid'`` or ``'same'`` (case-insensitive, as Keras)."""
    mode = value.lower() if isinstance(value, str) else None
    if mode not in ("valid", "same"):
        raise errors.JnetValueError(
            f"{op}: padding must be 'valid' or 'same', received {value!r}."
        )
    return mode


def spatial_tuple(value: Any, n: int, argument: str, op: str, minimum: int = 1) -> tuple:
    """An int -> ``(int,) * n``; a sequence of ``n`` ints kept; each at least ``minimum``."""
    values = (value,) * n if _is_int(value) else tuple(value) if isinstance(
        value, tuple | list) else None
    if values is None or len(values) != n or not all(_is_int(v) and v >= minimum
                                                      for v in values):
        kind = "positive" if minimum == 1 else "non-negative"
        raise errors.JnetValueError(
            f"{op}: {argument} must be a {kind} integer or a tuple of {n} of them, "
            f"received {value!r}."
        )
    return tuple(int(v) for v in values)


def check_rank(x: jax.Array, ranks: tuple[int, ...], op: str, argument: str,
               meaning: str = "") -> None:
    """A JnetValueError naming ``argument`` when ``x.ndim`` is not one of ``ranks``."""
    if jnp.ndim(x) in ranks:
        return
    names = [str(r) for r in ranks]
    expected = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    suffix = f" ({meaning})" if meaning else ""
    raise errors.JnetValueError(
        f"{op}: {argument} must be of rank {expected}{suffix}, received shape "
        f"{tuple(jnp.shape(x))}."
    )
