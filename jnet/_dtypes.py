"""Keras's dtype names and type promotion, as Keras 3's JAX backend applies them.

Keras promotes dtypes on its own lattice (``keras.backend.result_type``), close to JAX's but
decided before any array is made, so an op's result dtype does not depend on the backend:
``int8`` with ``uint8`` gives ``int16``, an ``int32`` array with a Python ``float`` gives
``floatx()``, and a Python scalar is *weak* (it takes the other operand's dtype where it fits).
On the JAX backend 64-bit results become 32-bit (``int64`` -> ``int32``, ``float64`` ->
``float32``), as JAX computes without x64 by default; jnet does the same.

Example:
    >>> from jnet import _dtypes
    >>> _dtypes.result_type("int32", "float32")
    'float32'
    >>> _dtypes.result_type("bfloat16", int)
    'bfloat16'
    >>> _dtypes.result_type("int8", "uint8")
    'int16'
    >>> _dtypes.standardize_dtype(float)
    'float32'
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from jnet import config, errors

__all__ = [
    "ALLOWED_DTYPES",
    "FLOAT_TYPES",
    "INT_TYPES",
    "dtype_of",
    "is_float",
    "is_int",
    "result_type",
    "standardize_dtype",
]

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
ALLOWED_DTYPES = (
    *FLOAT_TYPES, *INT_TYPES, *BOOL_TYPES, "string", *FLOAT8_TYPES, *COMPLEX_TYPES,
)

# Python's scalar types, as the JAX backend maps them.
_PYTHON = {bool: "bool", int: "int32", float: "float32", str: "string", complex: "complex64",
           "int": "int32"}
# The JAX backend computes 64-bit results in 32 bits.
_TO_32 = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def standardize_dtype(dtype: Any) -> str:
    """Keras's name of ``dtype`` (a string, a numpy/jax dtype, or a Python type); None gives
    ``floatx()``.

    Args:
        dtype: the dtype to name.

    Returns:
        One of Keras's dtype names, e.g. ``'float32'``.

    Raises:
        JnetValueError: for a dtype Keras does not know.

    Example:
        >>> standardize_dtype(np.int16), standardize_dtype(None)
        ('int16', 'float32')
    """
    if dtype is None:
        return config.floatx()
    dtype = _PYTHON.get(dtype, dtype) if isinstance(dtype, type | str) else dtype
    if hasattr(dtype, "name"):
        dtype = dtype.name
    elif hasattr(dtype, "__name__"):
        dtype = dtype.__name__
    elif hasattr(dtype, "dtype") and hasattr(dtype.dtype, "name"):
        dtype = dtype.dtype.name
    dtype = str(dtype)
    if dtype.startswith("jax.numpy."):
        dtype = dtype.split(".")[-1]
    if dtype not in ALLOWED_DTYPES:
        raise errors.JnetValueError(
            f"Invalid dtype: {dtype!r}. Expected one of {', '.join(ALLOWED_DTYPES)}."
        )
    return dtype


def _lattice() -> dict[str, list[str]]:
    # Each dtype -> the dtypes directly above it; "int" and "float" are the weak types of
    # Python scalars (Keras's dtypes.py, after JAX's type promotion design).
    return {
        "bool": ["int"],
        "uint8": ["int16", "uint16"],
        "uint16": ["int32", "uint32"],
        "uint32": ["int64", "uint64"],
        "uint64": ["float"],
        "int": ["uint8", "int8", "complex64"],
        "int8": ["int16"],
        "int16": ["int32"],
        "int32": ["int64"],
        "int64": ["float"],
        "float": ["bfloat16", "float16"],
        "bfloat16": ["float32"],
        "float16": ["float32"],
        "float32": ["float64", "complex64"],
        "float64": ["complex128"],
        "complex64": ["complex128"],
        "complex128": [],
    }


def _upper_bounds() -> dict[str, frozenset[str]]:
    lattice = _lattice()
    bounds = {}
    for node in lattice:
        found, frontier = {node}, [node]
        while frontier:
            above = lattice[frontier.pop()]
            frontier.extend(a for a in above if a not in found)
            found.update(above)
        bounds[node] = frozenset(found)
    return bounds


_UPPER = _upper_bounds()


@functools.lru_cache(512)
def _least_upper_bound(*nodes: str) -> str:
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    least = (common & set(nodes)) or {c for c in common if common <= _UPPER[c]}
    if len(least) != 1:
        raise errors.JnetTypeError(
            f"Input dtypes {tuple(nodes)} have no available implicit dtype promotion path. "
            f"Cast the inputs to the dtype you want first (jnet.ops.cast)."
        )
    return next(iter(least))


def _weak(dtype: str) -> str:
    if dtype == "bool":
        return dtype
    for kind in ("float", "int", "complex"):
        if kind in dtype:
            return kind
    raise errors.JnetValueError(f"Invalid dtype: {dtype!r}.")


def _resolve_weak(dtype: str) -> str:
    precision = config.floatx()[-2:]
    kind = "f" if dtype == "bfloat16" else dtype[:1]
    return {"b": "bool", "i": f"int{precision}", "u": f"uint{precision}"}.get(
        kind, f"float{precision}"
    )


def _entry(value: Any) -> tuple[str, bool]:
    """``(dtype name, weak)`` of one argument of :func:`result_type`."""
    if value is int or value is float:
        return standardize_dtype(value), True
    return standardize_dtype(value), False


def result_type(*dtypes: Any) -> str:
    """The dtype Keras's type promotion gives ``dtypes`` (``keras.backend.result_type``).

    Args:
        *dtypes: dtypes, dtype names, or the Python types ``int``/``float`` for weakly typed
            scalars; None counts as ``floatx()``. No argument gives ``floatx()``.

    Returns:
        The promoted dtype's name, 64-bit results made 32-bit as on Keras's JAX backend.

    Raises:
        JnetTypeError: for dtypes with no promotion path (float8 with anything).

    Example:
        >>> result_type("int32", float), result_type("uint8", "int8", "bool")
        ('float32', 'int16')
    """
    if not dtypes:
        return config.floatx()
    for dtype in dtypes:
        if isinstance(dtype, str) and dtype in FLOAT8_TYPES:
            raise errors.JnetTypeError(
                f"There is no implicit conversion from float8 dtypes to others: cast it "
                f"explicitly. Received: {dtypes}"
            )
    names, weak = zip(*(_entry(config.floatx() if d is None else d) for d in dtypes),
                      strict=True)
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*sorted(set(names))), True
    else:
        nodes = {_weak(n) if w else n for n, w in zip(names, weak, strict=True)}
        out = _least_upper_bound(*sorted(nodes))
        out_weak = out in ("int", "float")
    if out != "bool" and out_weak:
        out = _resolve_weak(out)
    return _TO_32.get(out, out)


def dtype_of(x: Any) -> Any:
    """The dtype entry of ``x`` for :func:`result_type`: its dtype's name for an array, and
    the weak Python type for a Python scalar (``True`` counts as ``'bool'``)."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int | float):
        return type(x)
    if isinstance(x, complex):
        return "complex64"
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        return standardize_dtype(np.asarray(x).dtype)
    return standardize_dtype(dtype)


def is_float(dtype: Any) -> bool:
    """Whether ``dtype`` is a floating dtype (float8 to float64, bfloat16)."""
    name = standardize_dtype(dtype)
    return "float" in name


def is_int(dtype: Any) -> bool:
    """Whether ``dtype`` is a (signed or unsigned) integer dtype."""
    return standardize_dtype(dtype) in INT_TYPES
