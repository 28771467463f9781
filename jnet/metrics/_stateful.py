"""How a metric's state lives in :class:`jnet.Variable`s, and Keras-style metrics run pure.

Keras's metrics hold their state in variables: ``update_state`` assigns them, ``result`` reads
them. jnet's engine wants a pure ``update(state, ...) -> state``. This module joins the two
(Keras's own JAX backend does the same, ``keras/src/metrics/metric.py``):

* :func:`update_through_hooks` / :func:`compute_through_hooks` run a subclass's
  ``update_state`` / ``result`` under a :class:`~jnet.variables.StatelessScope` that maps the
  metric's variables to the leaves of ``state``, and read the new values back; these become
  the ``update`` and ``compute`` of a metric written the Keras way, so ``fit`` compiles it;
* :func:`state_variables` makes the Variables that hold a pure metric's state (its
  ``variables``, one per leaf, named after the state's fields), so the stateful API and
  ``stateless_update_state`` work on every metric alike.

Example:
    >>> import numpy as np
    >>> from jnet.metrics import Mean
    >>> m = Mean()
    >>> m.update_state(np.array([1.0, 3.0]))
    >>> [v.name for v in m.variables], [float(v.numpy()) for v in m.variables]
    (['total', 'count'], [4.0, 2.0])
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.variables import StatelessScope, Variable
from jnet.variables._arrays import unwrap

__all__ = [
    "compute_through_hooks",
    "result_taking_state",
    "state_variables",
    "update_through_hooks",
]


def _leaf_name(path: Any, index: int) -> str:
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", jax.tree_util.keystr(path)).strip("_")
    return name or f"state_{index}"


def state_variables(state: Any) -> tuple[list[Variable], Any]:
    """Variables holding the leaves of ``state`` (named after its fields), and its treedef.

    The Variables are made from the leaves' shapes and dtypes only (zeros, created at compile
    time even under ``jax.jit``); assign the values afterwards.
    """
    with_paths, treedef = jax.tree_util.tree_flatten_with_path(state)
    variables = []
    with jax.ensure_compile_time_eval():
        for i, (path, leaf) in enumerate(with_paths):
            leaf = unwrap(leaf)
            zeros = np.zeros(np.shape(leaf), jax.numpy.result_type(leaf))
            variables.append(Variable(zeros, trainable=False, aggregation="sum",
                                      synchronization="on_read", name=_leaf_name(path, i)))
    return variables, treedef


def check_length(metric: Any, metric_variables: Sequence[Any]) -> list[Any]:
    """``metric_variables`` as a list of values, after Keras's check of its length."""
    expected = len(metric.variables)
    if not isinstance(metric_variables, list | tuple) or len(metric_variables) != expected:
        received = (f"list with length {len(metric_variables)}"
                    if isinstance(metric_variables, list | tuple)
                    else errors.describe(metric_variables))
        raise errors.JnetValueError(
            "Argument `metric_variables` must be a list of tensors corresponding 1:1 to "
            f"{type(metric).__name__}().variables. Received {received}, but expected "
            f"{expected} variables."
        )
    return [unwrap(v) for v in metric_variables]


def run_in_scope(metric: Any, values: Sequence[Any], fn: Callable[[], Any]) -> tuple[Any, list]:
    """``fn()`` with the metric's variables mapped to ``values``; returns ``fn``'s result (its
    Variables read inside the scope) and the variables' values afterwards."""
    variables = metric.variables
    with StatelessScope(list(zip(variables, values, strict=True))) as scope:
        out = jax.tree_util.tree_map(unwrap, fn(), is_leaf=lambda x: isinstance(x, Variable))
    new = [scope.get_current_value(v) for v in variables]
    return out, [v if n is None else n for v, n in zip(values, new, strict=True)]


def update_through_hooks(self: Any, state: Any, *args: Any, **kwargs: Any) -> Any:
    """A Keras-style metric's pure ``update``: its ``update_state`` run on ``state``."""
    self.ensure_state_variables(state)
    values, treedef = jax.tree_util.tree_flatten(state)
    _, new = run_in_scope(self, values, lambda: self.update_state(*args, **kwargs))
    return jax.tree_util.tree_unflatten(treedef, new)


def compute_through_hooks(self: Any, state: Any) -> Any:
    """A Keras-style metric's pure ``compute``: its ``result()`` read from ``state``."""
    self.ensure_state_variables(state)
    out, _ = run_in_scope(self, jax.tree_util.tree_leaves(state), lambda: self.result())
    return out


def result_taking_state(result: Callable[[Any], Any]) -> Callable[..., Any]:
    """Keras's ``result(self)`` that also takes jnet's ``result(state)`` (which the engine
    calls): with a state it is ``compute(state)``, without it the subclass's own code."""

    @functools.wraps(result)
    def wrapper(self: Any, state: Any = None) -> Any:
        if state is None:
            return result(self)
        return self.compute(state)

    wrapper._jnet_keras_result = result  # type: ignore[attr-defined]
    return wrapper
