"""Keras's ``optimizer.variables`` and ``optimizer.iterations`` over the state a model trains.

A jnet optimizer is a description; its state (:class:`jnet.optimizers.OptimizerState`) lives
in the model's train state and changes in the compiled step. ``Model.compile`` links the
optimizer to that state (:func:`link_state`), so that outside a step, after ``compile`` and
after ``fit``, ``optimizer.iterations`` and ``optimizer.variables`` are Keras's: a list of
:class:`jnet.Variable` objects, ``iterations``, then the learning rate (unless a schedule
gives it), then the slots (for each trainable weight in Keras's order, each slot: Adam's
``momentum`` then ``velocity``), whose values read (and ``assign`` writes) the live state.
Before the first ``fit``/``evaluate`` since ``compile`` there is no state yet: the Variables
hold their own values (``iterations`` 0, the configured learning rate, no slots).

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(2)])
    >>> model.compile(optimizer=jnet.optimizers.Adam(0.01), loss="mse")
    >>> [v.name for v in model.optimizer.variables]
    ['iteration', 'learning_rate']
    >>> _ = model.fit(np.ones((8, 3)), np.ones((8, 2)), batch_size=4, verbose=0)
    >>> int(model.optimizer.iterations.numpy()), len(model.optimizer.variables)
    (2, 6)
    >>> model.optimizer.variables[2].name, model.optimizer.variables[2].shape
    ('dense_kernel_momentums', (3, 2))
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet.optimizers._state import OptimizerState, get_iterations, get_learning_rate
from jnet.variables import Variable

__all__ = ["StateLeaf", "link_state", "live_state", "slot_variables"]

#: read() -> (opt_state, Keras-ordered parameter paths) or None; write(opt_state) -> None
Link = tuple[Callable[[], Any], Callable[[Any], None]]


def link_state(optimizer: Any, read: Callable[[], Any], write: Callable[[Any], None]) -> None:
    """Links ``optimizer`` to the live state of the model that compiled it (``Model.compile``
    calls this): ``read()`` gives ``(opt_state, [param path, ...])`` or None when there is no
    state yet, ``write(opt_state)`` replaces it."""
    optimizer.__dict__["_jnet_state_link"] = (read, write)


def live_state(optimizer: Any) -> tuple[Any, list[tuple[str, ...]]] | None:
    """``(opt_state, parameter paths in Keras's order)`` of the linked model, or None."""
    link = optimizer.__dict__.get("_jnet_state_link") if optimizer is not None else None
    if link is None:
        return None
    try:
        return link[0]()
    except Exception:  # a model without a state, or an optax state without Keras's counters
        return None


class StateLeaf:
    """The source (:meth:`jnet.Variable.bind_source`) of a Variable that shows one leaf of
    the linked optimizer state.

    Args:
        optimizer: the optimizer (held weakly).
        find: ``find(opt_state, paths)`` -> the leaf (an array of the state), or None.
    """

    def __init__(self, optimizer: Any, find: Callable[[Any, Any], Any]):
        self._optimizer = weakref.ref(optimizer)
        self._find = find

    def read(self) -> Any:
        """The leaf's value in the live state, or None (no state)."""
        live = live_state(self._optimizer())
        return None if live is None else self._find(*live)

    def write(self, value: Any) -> bool:
        """Replaces the leaf in the live state; False when there is none."""
        optimizer = self._optimizer()
        live = live_state(optimizer)
        leaf = None if live is None else self._find(*live)
        if leaf is None:
            return False
        leaves, treedef = jax.tree_util.tree_flatten(live[0])
        index = next(i for i, x in enumerate(leaves) if x is leaf)
        leaves[index] = jnp.asarray(value, leaf.dtype)
        optimizer.__dict__["_jnet_state_link"][1](jax.tree_util.tree_unflatten(treedef, leaves))
        return True


def iterations_leaf(state: Any, paths: Any) -> Any:
    """The iterations counter of an optimizer state."""
    return get_iterations(state)


def learning_rate_leaf(state: Any, paths: Any) -> Any:
    """The learning rate of an optimizer state."""
    return get_learning_rate(state)


def _slot_finder(field: str, path: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    def find(state: Any, paths: Any) -> Any:
        tree = getattr(state.slots, field, None) if isinstance(state, OptimizerState) else None
        for key in path:
            if not isinstance(tree, dict) or key not in tree:
                return None
            tree = tree[key]
        return tree

    return find


def slot_variables(optimizer: Any) -> list[Variable]:
    """The slot Variables of a built-in optimizer's live state, in Keras's order (each
    trainable weight, each slot field), cached on the optimizer so they keep their identity;
    [] without a live state."""
    live = live_state(optimizer)
    if live is None or not isinstance(live[0], OptimizerState):
        return []
    state, paths = live
    slots = state.slots
    fields = [f for f in getattr(slots, "_fields", ()) if getattr(slots, f) is not None]
    cache = optimizer.__dict__.setdefault("_jnet_slot_variables", {})
    out = []
    for path in paths:
        for field in fields:
            find = _slot_finder(field, path[1:])
            value = find(state, paths)
            if value is None or not hasattr(value, "shape"):
                continue
            key = (field, path)
            variable = cache.get(key)
            if variable is None or variable.shape != tuple(value.shape):
                with jax.ensure_compile_time_eval():
                    variable = Variable(value, trainable=False,
                                        name=f"{'_'.join(path[1:])}_{field}")
                variable.bind_source(StateLeaf(optimizer, find))
                cache[key] = variable
            out.append(variable)
    return out
