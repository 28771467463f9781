"""What jnet's elementwise numpy ops share: Keras's result dtypes and explicit broadcasting.

Keras decides an elementwise op's result dtype before computing (its ``compute_output_spec``),
and jnet casts the inputs to it before calling jax, so the result does not depend on JAX's own
promotion mode (the tests run JAX with strict promotion). Operands of different ranks are
broadcast here, by adding leading axes of size 1 (a reshape, free under ``jit``), so the ops
also work with ``jax_numpy_rank_promotion='raise'``; shapes that cannot broadcast raise a
:class:`~jnet.errors.JnetValueError` naming the arguments.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.ops._numpy_ufunc import binary, float_dtype
    >>> x1, x2 = binary(jnp.ones((2, 3), "int32"), 0.5)
    >>> x1.dtype, x2.shape
    (dtype('float32'), (1, 1))
    >>> float_dtype("int8"), float_dtype("float16")
    ('float32', 'float16')
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jax
import numpy as np

from jnet import _dtypes, config, errors
from jnet.ops._op import convert

__all__ = [
    "binary", "broadcast", "broadcast_shape", "cast", "dtype_name", "float_dtype",
    "promoted_dtype", "require_int",
]

# Keras's dtype rules are pure functions of a few dtypes (and floatx()): they are cached, so
# an eager op pays a dictionary lookup, not a walk of the promotion lattice.


@functools.lru_cache(256)
def dtype_name(dtype: Any) -> str:
    """Keras's name of ``dtype`` (:func:`jnet._dtypes.standardize_dtype`, cached)."""
    return _dtypes.standardize_dtype(dtype)


@functools.lru_cache(512)
def _float_dtype(dtype: Any, floatx: str) -> str:
    name = _dtypes.standardize_dtype(dtype)
    if name == "int64":
        return floatx
    return _dtypes.result_type(name, float)


def float_dtype(dtype: Any) -> str:
    """Keras's result dtype of a float function (``sin``, ``log``, ``sqrt``...) of ``dtype``:
    a float dtype stays, an integer or boolean one gives ``floatx()``."""
    return _float_dtype(dtype, config.floatx())


def _key(value: Any) -> Any:
    # the promotion entry of one operand: an array's dtype, a Python scalar's (weak) type
    if isinstance(value, jax.Array | np.ndarray | np.generic):
        return value.dtype
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return type(value)
    return _dtypes.dtype_of(convert(value))


@functools.lru_cache(1024)
def _promoted(keys: tuple, floatx: str) -> str:
    return _dtypes.result_type(*keys)


def promoted_dtype(*values: Any) -> str:
    """Keras's promoted dtype of ``values`` (arrays, or Python scalars, which are weak);
    the same as :func:`jnet.ops._op.result_dtype`, cached."""
    return _promoted(tuple(_key(v) for v in values), config.floatx())


def broadcast_shape(shapes: Sequence[tuple[int, ...]], names: Sequence[str]) -> tuple:
    """The broadcast of ``shapes`` (NumPy's rules), or a JnetValueError naming ``names``."""
    shapes = tuple(tuple(s) for s in shapes)
    if all(s == shapes[0] for s in shapes):
        return shapes[0] if shapes else ()
    return _broadcast_shape(shapes, tuple(names))


@functools.lru_cache(1024)
def _broadcast_shape(shapes: tuple, names: tuple) -> tuple:
    rank = max((len(s) for s in shapes), default=0)
    padded = [(1,) * (rank - len(s)) + tuple(s) for s in shapes]
    out = []
    for axis in range(rank):
        sizes = {p[axis] for p in padded} - {1}
        if len(sizes) > 1:
            received = ", ".join(f"{n}.shape={tuple(s)}" for n, s in zip(names, shapes,
                                                                           strict=True))
            raise errors.JnetValueError(
                f"Cannot broadcast shapes: axis {axis - rank} has sizes {sorted(sizes)}. "
                f"Received: {received}. Expected shapes that are equal or 1 on each axis, "
                f"counted from the last."
            )
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def broadcast(*arrays: jax.Array, names: Sequence[str] = ()) -> list[jax.Array]:
    """``arrays`` brought to one rank (leading axes of size 1) after checking that their
    shapes broadcast; the sizes themselves broadcast inside the jax op."""
    names = tuple(names) or tuple(f"x{i + 1}" for i in range(len(arrays)))
    rank = len(broadcast_shape([a.shape for a in arrays], names))
    return [a if a.ndim == rank else a.reshape((1,) * (rank - a.ndim) + a.shape)
            for a in arrays]


def binary(x1: Any, x2: Any, dtype: Any = None, *, strong: bool = False,
           names: Sequence[str] = ("x1", "x2")) -> list[jax.Array]:
    """``x1`` and ``x2`` as jax arrays of Keras's promoted dtype (or ``dtype``), broadcast to
    one rank. Python scalars are weak unless ``strong`` (then they count as ``int32`` or
    ``floatx()``, as Keras's ops that convert their inputs first)."""
    if strong:
        x1, x2 = convert(x1), convert(x2)
    if dtype is None:
        dtype = promoted_dtype(x1, x2)
    return broadcast(cast(x1, dtype), cast(x2, dtype), names=names)


def cast(x: Any, dtype: str) -> jax.Array:
    """``x`` as a jax array of ``dtype`` (no op when it already is one)."""
    if isinstance(x, jax.Array) and x.dtype == dtype:
        return x
    return convert(x, dtype) if not isinstance(x, jax.Array) else x.astype(dtype)


def require_int(op: str, **arrays: jax.Array) -> None:
    """Raises a JnetTypeError unless every one of ``arrays`` has an integer dtype."""
    for name, array in arrays.items():
        if dtype_name(array.dtype) not in _dtypes.INT_TYPES:
            raise errors.JnetTypeError(
                f"`{op}` takes integer arrays. Received: {name}.dtype={array.dtype}. "
                f"Expected one of {', '.join(_dtypes.INT_TYPES)}."
            )
