"""Mixed precision at the layer-call boundary: which policy a layer computes under, and the
casts Keras's autocasting makes.

A layer's call runs inside :func:`policy_scope` of its policy (its ``dtype=``; a sublayer
given none computes under its enclosing layer's). Inside, :func:`compute_dtype` is what
``cast_inputs`` casts inputs to and what a weight read by ``self.param`` is cast to
(:func:`read_param`), so the variables stay in the variable dtype (float32 under
``'mixed_float16'``) and the arithmetic runs in the compute dtype. Under the float32 policy
every function here returns its input unchanged: the default path pays nothing at run time.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet import dtype_policies
    >>> with policy_scope(dtype_policies.get("mixed_bfloat16")):
    ...     read_param(jnp.ones(2)).dtype
    dtype(bfloat16)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp

from jnet import dtype_policies

#: The policies of the layer calls in progress (innermost last).
_STACK: list[Any] = []


@contextlib.contextmanager
def policy_scope(policy: Any) -> Iterator[None]:
    """Runs the block as a call of a layer with ``policy`` (a ``DTypePolicy``)."""
    _STACK.append(policy)
    try:
        yield
    finally:
        _STACK.pop()


def enclosing_policy() -> Any:
    """The policy of the innermost layer call in progress, or None outside any."""
    return _STACK[-1] if _STACK else None


def compute_dtype() -> str:
    """The compute dtype of the layer call in progress (``'float32'`` outside any)."""
    return _STACK[-1].compute_dtype if _STACK else "float32"


def _is_float(x: Any) -> bool:
    dtype = getattr(x, "dtype", None)
    return dtype is not None and jnp.issubdtype(dtype, jnp.floating)


def cast_floats(tree: Any, dtype: Any) -> Any:
    """``tree`` with its floating arrays cast to ``dtype`` (Keras's ``convert_input``: other
    leaves, integers and booleans included, are left as they are)."""

    def cast(x: Any) -> Any:
        return x.astype(dtype) if _is_float(x) and x.dtype != dtype else x

    return jax.tree_util.tree_map(cast, tree)


def read_param(value: Any) -> Any:
    """A weight as the layer computing now reads it: in its compute dtype (float weights)."""
    if not _STACK or not _STACK[-1].is_mixed:
        return value
    return cast_floats(value, _STACK[-1].compute_dtype)


def variable_initializer(init_fn: Any) -> Any:
    """``init_fn`` creating its weights in the current policy's variable dtype (a
    ``'bfloat16'`` policy keeps bfloat16 variables); unchanged under float32 variables."""
    if not _STACK or _STACK[-1].variable_dtype == "float32":
        return init_fn
    dtype = _STACK[-1].variable_dtype

    def initialize(*args: Any, **kwargs: Any) -> Any:
        return cast_floats(init_fn(*args, **kwargs), dtype)

    return initialize


def layer_policy(explicit: Any) -> Any:
    """The policy a layer call runs under: its own (``dtype=``), else its enclosing layer's,
    else the global one."""
    if explicit is not None:
        return explicit
    return _STACK[-1] if _STACK else dtype_policies.get(None)
