"""What every ``jnet.ops`` function is built from: the op decorator, and Keras's conversions.

:func:`keras_op` makes a function on arrays an op: on arrays it runs the function (under
``jax.jit``, ``grad`` and ``vmap`` as well: it adds nothing to the traced program); on
KerasTensors (between the layers of a functional model) it records a node through a
:class:`~jnet.symbolic.FunctionOperation` and returns KerasTensors whose shapes and dtypes
come from tracing the function.

The conversions follow Keras 3 on its JAX backend: :func:`convert` is
``keras.ops.convert_to_tensor`` (a Python float becomes ``floatx()``, a Python int ``int32``;
a jnet ``Variable`` gives its value), and :func:`promote` casts arrays to the dtype of
Keras's type promotion (:func:`jnet._dtypes.result_type`) *before* calling jax, so the result
dtype is Keras's, whatever JAX's own promotion mode.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.ops._op import keras_op, promote
    >>> @keras_op
    ... def plus(x1, x2):
    ...     x1, x2 = promote(x1, x2)
    ...     return jnp.add(x1, x2)
    >>> plus(jnp.ones(2, "int32"), 0.5).dtype
    dtype('float32')
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes
from jnet.symbolic import FunctionOperation, any_symbolic

__all__ = ["convert", "keras_op", "promote", "result_dtype"]

F = TypeVar("F", bound=Callable[..., Any])


def keras_op(fn: F) -> F:
    """Makes ``fn`` (a function on arrays) a Keras op that also takes KerasTensors."""

    @functools.wraps(fn)
    def op(*args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return FunctionOperation(fn, name=fn.__name__)(*args, **kwargs)
        return fn(*args, **kwargs)

    op.__jnet_op__ = fn  # the function on arrays, for tests and other ops
    return op  # type: ignore[return-value]


def _value(x: Any) -> Any:
    # a jnet Variable (or anything holding an array as .value and declaring it) -> its value
    return x.value if getattr(x, "_JNET_IS_VARIABLE", False) else x


def convert(x: Any, dtype: Any = None) -> jax.Array:
    """``keras.ops.convert_to_tensor`` on the JAX backend: a jax array of ``x`` (cast to
    ``dtype`` when given). A Python float becomes ``floatx()``, a Python int ``int32``."""
    x = _value(x)
    if dtype is not None:
        dtype = _dtypes.standardize_dtype(dtype)
    if isinstance(x, jax.Array) and (dtype is None or x.dtype == dtype):
        return x
    if dtype is None:
        if isinstance(x, bool):
            dtype = "bool"
        elif isinstance(x, int):
            dtype = "int32"
        elif isinstance(x, float):
            dtype = _dtypes.standardize_dtype(None)
        elif not hasattr(x, "dtype"):
            probe = np.asarray(x)
            if probe.dtype == np.float64:
                dtype = _dtypes.standardize_dtype(None)
            elif probe.dtype == np.int64:
                dtype = "int32"
    if dtype == "bfloat16" and not isinstance(x, jax.Array):
        return jnp.asarray(np.asarray(x)).astype(dtype)
    return jnp.asarray(x, dtype=dtype)


def result_dtype(*values: Any) -> str:
    """Keras's result dtype of an op on ``values`` (arrays or Python scalars, which are weak)."""
    return _dtypes.result_type(*(_dtypes.dtype_of(_value(v)) for v in values))


def promote(*values: Any, dtype: Any = None) -> list[jax.Array]:
    """``values`` as jax arrays of one dtype: ``dtype`` when given, else Keras's promotion of
    theirs (a Python scalar is weak: ``int32 array + 2.5`` is ``float32``)."""
    target = _dtypes.standardize_dtype(dtype) if dtype is not None else result_dtype(*values)
    return [convert(v).astype(target) if _dtype_name(v) != target else convert(v)
            for v in values]


def _dtype_name(value: Any) -> str | None:
    value = _value(value)
    dtype = getattr(value, "dtype", None)
    return None if dtype is None else _dtypes.standardize_dtype(dtype)
