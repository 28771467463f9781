"""Keras's ``Operation``: a computation that runs on arrays and records a node on KerasTensors.

A layer is one kind of operation (it also owns weights); every ``jnet.ops`` function is
another: called on arrays it computes, called on :class:`~jnet.symbolic.KerasTensor` objects
(between the layers of a functional model) it records a node whose operation is a
:class:`FunctionOperation`, one per call, and returns KerasTensors with the inferred shapes
and dtypes. A functional model runs such a node by calling the operation on the values.

Subclass :class:`Operation` and define ``call`` for an op of your own (Keras's
``keras.Operation``); its output spec comes from tracing ``call`` with ``jax.eval_shape``.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.symbolic import KerasTensor
    >>> from jnet.symbolic.operation import Operation
    >>> class Double(Operation):
    ...     def call(self, x):
    ...         return 2 * x
    >>> Double()(jnp.ones(2)).tolist()
    [2.0, 2.0]
    >>> Double()(KerasTensor((None, 3))).shape
    (None, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax

from jnet.symbolic.call import symbolic_call
from jnet.symbolic.keras_tensor import KerasTensor, has_keras_tensor
from jnet.symbolic.naming import snake_case

__all__ = ["FunctionOperation", "Operation", "any_symbolic"]


def any_symbolic(args: tuple, kwargs: dict[str, Any]) -> bool:
    """Whether a call's arguments hold a KerasTensor (top level, or inside a list, tuple or
    dict). Checks the common shapes of arguments without flattening (this runs on every
    eager op call)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, KerasTensor):
            return True
        if isinstance(value, list | tuple | dict) and has_keras_tensor(value):
            return True
    return False


class Operation:
    """Keras's ``Operation``: subclass it and define ``call(*args, **kwargs)``.

    Args:
        name: the operation's name (default: its class name in snake_case).
    """

    #: Not a layer: a functional model runs it on values and gives it no weights.
    _JNET_IS_OPERATION = True

    def __init__(self, name: str | None = None):
        self.name = name or snake_case(type(self).__name__)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define call(...).")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return symbolic_call(self, args, kwargs)
        return self.call(*args, **kwargs)

    def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """The ``jax.ShapeDtypeStruct`` pytree of ``call``'s result for array-like inputs
        (concrete arrays or ``jax.ShapeDtypeStruct``), computed without running it."""
        return jax.eval_shape(lambda a, k: self.call(*a, **k), args, kwargs)

    def _symbolic_apply(self, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        return self.call(*args, **kwargs), {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class FunctionOperation(Operation):
    """The operation of one symbolic call of a ``jnet.ops`` function.

    Args:
        fn: the op's function on arrays.
        name: default ``fn.__name__``.
    """

    def __init__(self, fn: Callable[..., Any], name: str | None = None):
        super().__init__(name or getattr(fn, "__name__", "operation"))
        self.fn = fn

    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)
