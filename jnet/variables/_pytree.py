"""A :class:`~jnet.variables.Variable` as a JAX pytree: one leaf, its value.

Keras's guide "Writing a training loop from scratch in JAX" hands ``jax.jit`` a state made of
``model.trainable_variables``, ``optimizer.variables`` and ``metric.variables`` (lists of
Variables) and differentiates with respect to them. Keras's JAX backend reads those through
``__jax_array__``, which jax 0.10 no longer calls while it abstracts an argument; registering
the Variable as a pytree node (as Keras does for its NNX variables) gives the same program
the same meaning: the value is the leaf, the name, trainability and dtype are static.

What comes back from a transformation (``jax.jit``'s outputs, ``jax.grad``'s gradients,
``jax.tree_util.tree_map``) is a plain :class:`Variable` holding the new leaf, detached from
any layer or model: assign it (``variable.assign(new)``) to change a model's weight.

Example:
    >>> import jax, numpy as np
    >>> from jnet.variables import Variable
    >>> v = Variable(np.array([1.0, 2.0], "float32"), name="w")
    >>> jax.tree_util.tree_leaves([v])[0].tolist()
    [1.0, 2.0]
    >>> double = jax.jit(lambda w: w.value * 2)
    >>> double(v).tolist()
    [2.0, 4.0]
"""

from __future__ import annotations

from typing import Any

import jax

__all__ = ["register"]

_STATIC = ("_name", "_path", "_trainable", "_autocast", "_aggregation", "_synchronization",
           "_shape", "_dtype", "_ndim")


def _flatten(variable: Any) -> tuple[tuple[Any], tuple[Any, ...]]:
    return (variable.value,), tuple(getattr(variable, name) for name in _STATIC)


def _unflatten(cls: type, static: tuple[Any, ...], children: tuple[Any]) -> Any:
    variable = object.__new__(cls)
    for name, value in zip(_STATIC, static, strict=True):
        setattr(variable, name, value)
    variable._layout = None
    variable._regularizer = None
    variable._constraint = None
    variable._overwrite_with_gradient = False
    variable._initializer = None
    variable._source = None  # a rebuilt Variable is detached: it holds the traced value
    variable._value = children[0]
    return variable


def register(cls: type, rebuild_as: type | None = None) -> None:
    """Registers ``cls`` as a pytree node whose leaf is the value; transformations rebuild
    it as ``rebuild_as`` (default ``cls``)."""
    target = rebuild_as or cls
    jax.tree_util.register_pytree_node(
        cls, _flatten, lambda static, children: _unflatten(target, static, children)
    )
