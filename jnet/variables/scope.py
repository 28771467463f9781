"""Keras's ``StatelessScope``: Variables read and write a mapping instead of themselves.

Inside ``with StatelessScope(state_mapping) as scope:``, ``v.value`` (and everything built on
it: operators, ``jnet.ops`` calls, ``numpy()``) reads ``v``'s value from the mapping when the
mapping has one, and ``v.assign(x)`` / ``assign_add`` / ``assign_sub`` write into the scope
(``scope.get_current_value(v)``) instead of the Variable, which keeps its value. That makes a
function over Variables pure, so it can be compiled: pass the values in, read the new values
out (the design Keras's JAX trainer uses, and jnet's compiled steps will).

Variables created inside a scope with a callable initializer are initialized when the
outermost scope exits (Keras's deferred initialization); creating one from an array inside a
scope is refused, as in Keras.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.variables import StatelessScope, Variable
    >>> v = Variable(jnp.zeros(2))
    >>> @jax.jit
    ... def step(value, x):
    ...     with StatelessScope([(v, value)]) as scope:
    ...         v.assign_add(x)
    ...     return scope.get_current_value(v)
    >>> step(v.value, jnp.ones(2))
    Array([1., 1.], dtype=float32)
    >>> v.numpy()  # the Variable itself is unchanged
    array([0., 0.], dtype=float32)
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from jnet import errors
from jnet.variables._arrays import to_array

__all__ = ["AutocastScope", "StatelessScope", "get_autocast_scope", "get_stateless_scope",
           "in_stateless_scope"]

_STATE = threading.local()  # .scope: the innermost StatelessScope; .uninitialized: Variables


class AutocastScope:
    """Inside the block, float Variables made with ``autocast=True`` read as ``dtype``
    (Keras's ``AutocastScope``: a mixed-precision layer's ``call`` sees its float32 weights in
    float16); None reads them as they are.

    Example:
        >>> import jnet
        >>> v = jnet.Variable([1.0, 2.0])
        >>> with AutocastScope("bfloat16"):
        ...     v.value.dtype
        dtype(bfloat16)
    """

    def __init__(self, dtype: Any):
        self.dtype = dtype

    def __enter__(self) -> AutocastScope:
        self._outer = getattr(_STATE, "autocast", None)
        _STATE.autocast = self
        return self

    def __exit__(self, *exc: Any) -> None:
        _STATE.autocast = self._outer


def get_autocast_scope() -> AutocastScope | None:
    """The innermost :class:`AutocastScope`, or None."""
    scope = getattr(_STATE, "autocast", None)
    return scope if scope is not None and scope.dtype is not None else None


def get_stateless_scope() -> StatelessScope | None:
    """The innermost active :class:`StatelessScope` of this thread, or None."""
    return getattr(_STATE, "scope", None)


def in_stateless_scope() -> bool:
    """Whether a :class:`StatelessScope` is active in this thread."""
    return getattr(_STATE, "scope", None) is not None


def register_uninitialized(variable: Any) -> None:
    """Notes a Variable created inside a scope, to initialize when the outermost one exits."""
    if not hasattr(_STATE, "uninitialized"):
        _STATE.uninitialized = []
    _STATE.uninitialized.append(variable)


def initialize_all_variables() -> None:
    """Initializes the Variables created inside stateless scopes (Keras's function; one
    initialized by hand meanwhile is left as it is)."""
    pending, _STATE.uninitialized = getattr(_STATE, "uninitialized", []), []
    for variable in pending:
        if variable._value is None:
            variable._deferred_initialize()


class StatelessScope:
    """A scope in which Variables take their values from ``state_mapping`` and record their
    updates instead of applying them (``keras.StatelessScope``).

    Args:
        state_mapping: pairs ``(variable, value)`` (a list of tuples, or a zip), each value
            an array of the variable's shape (cast to its dtype). Defaults to None: every
            Variable reads its own value.
        collect_losses: whether layers called inside the scope should report their losses
            through :meth:`add_loss` (into ``self.losses``). Defaults to False.
        initialize_variables: whether Variables created inside the scope are initialized
            when the outermost scope exits. Defaults to True.

    Raises:
        JnetValueError: for a key that is not a Variable, or a value of another shape.

    Example:
        >>> import numpy as np
        >>> from jnet.variables import Variable
        >>> v = Variable(np.zeros(2, "float32"))
        >>> with StatelessScope([(v, np.ones(2))]) as scope:
        ...     v.assign(v * 3)
        ...     inside = v.numpy()
        Array([3., 3.], dtype=float32)
        >>> inside.tolist(), v.numpy().tolist(), scope.get_current_value(v).tolist()
        ([3.0, 3.0], [0.0, 0.0], [3.0, 3.0])
    """

    def __init__(self, state_mapping: Iterable[tuple[Any, Any]] | None = None,
                 collect_losses: bool = False, initialize_variables: bool = True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses: list[Any] = []
        self.state_mapping: dict[int, Any] = {}
        self.original_scope: StatelessScope | None = None
        for pair in state_mapping or ():
            variable, value = pair
            if not getattr(variable, "_JNET_IS_VARIABLE", False):
                raise errors.JnetValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: "
                    f"{errors.describe(variable)}"
                )
            value = to_array(value, variable.dtype)
            if tuple(value.shape) != variable.shape:
                raise errors.JnetValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`mapping` must be tensors with a shape that matches the corresponding "
                    f"variable shape. For variable {variable!r}, received a value with shape "
                    f"{tuple(value.shape)}."
                )
            self.state_mapping[id(variable)] = value

    def __enter__(self) -> StatelessScope:
        self.original_scope = get_stateless_scope()
        _STATE.scope = self
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _STATE.scope = self.original_scope
        if self.original_scope is None and self.initialize_variables:
            initialize_all_variables()

    def add_loss(self, loss: Any) -> None:
        """Appends ``loss`` to ``self.losses`` (layers add theirs when ``collect_losses``)."""
        self.losses.append(loss)

    def add_update(self, update: tuple[Any, Any]) -> None:
        """Records ``(variable, value)``: the variable's value from now on, in this scope."""
        variable, value = update
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable: Any) -> Any:
        """The value of ``variable`` in this scope (given or assigned), or None."""
        return self.state_mapping.get(id(variable))
