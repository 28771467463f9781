"""Keras's stateless metric and optimizer methods, over jnet's pure metric and optax states.

A custom JAX ``train_step`` calls ``metric.stateless_update_state(vars, ...)``,
``metric.stateless_result(vars)`` and ``optimizer.stateless_apply(opt_vars, grads,
trainable_vars)`` on flat lists of arrays, as Keras's JAX backend names them. jnet's metrics
keep a state pytree and its optimizers an optax state: the lists here are those trees'
leaves (``jax.tree_util`` order), so each method is an unflatten, the pure update, a flatten.

:func:`install` puts them on ``jnet.metrics.Metric`` and ``jnet.optimizers.Optimizer`` where
those classes do not define them yet (a class's own definitions always win).

Example:
    >>> import numpy as np, jnet
    >>> install()
    >>> m = jnet.metrics.Mean()
    >>> v = m.stateless_update_state(m.stateless_reset_state(), np.array([1.0, 3.0]))
    >>> float(m.stateless_result(v)), len(m.variables)
    (2.0, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import optax

from jnet import errors
from jnet import metrics as metrics_module
from jnet import optimizers as optimizers_module
from jnet.training.custom_step import _context

__all__ = ["install", "metric_treedef", "optimizer_apply"]


def metric_treedef(metric: Any) -> Any:
    """The structure of ``metric``'s state (the one its Variables hold)."""
    return jax.tree_util.tree_structure(metric.state)


def _unflatten(metric: Any, variables: Sequence[Any]) -> Any:
    treedef = metric_treedef(metric)
    variables = list(variables)
    if len(variables) != treedef.num_leaves:
        raise errors.JnetValueError(
            f"Metric {metric.name!r} has {treedef.num_leaves} variables, received "
            f"{len(variables)} (slice metrics_variables by len(metric.variables))."
        )
    return jax.tree_util.tree_unflatten(treedef, variables)


def _variables(self: Any) -> list[Any]:
    """The metric's state as a flat list (Keras's ``metric.variables``)."""
    state = getattr(self, "_state", None)
    return jax.tree_util.tree_leaves(self.init() if state is None else state)


def _stateless_update_state(self: Any, metric_variables: Sequence[Any], *args, **kwargs):
    """``update_state`` on the given variables; returns the new ones (nothing is stored)."""
    return jax.tree_util.tree_leaves(self.update(_unflatten(self, metric_variables), *args,
                                                 **kwargs))


def _stateless_result(self: Any, metric_variables: Sequence[Any]):
    """``result()`` of the given variables."""
    return self.compute(_unflatten(self, metric_variables))


def _stateless_reset_state(self: Any) -> list[Any]:
    """Fresh variables."""
    return jax.tree_util.tree_leaves(self.init())


def optimizer_apply(tx: optax.GradientTransformation, optimizer_variables, grads, params):
    """One optax update of the pytree ``params``: ``(new_params, new_optimizer_variables)``;
    ``optimizer_variables`` are the leaves of ``tx.init(params)``."""
    treedef = jax.tree_util.tree_structure(jax.eval_shape(tx.init, params))
    opt_state = jax.tree_util.tree_unflatten(treedef, list(optimizer_variables))
    updates, opt_state = tx.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), jax.tree_util.tree_leaves(opt_state)


def _stateless_apply(self: Any, optimizer_variables, grads, trainable_variables):
    """Keras's ``optimizer.stateless_apply``: ``(trainable_variables, optimizer_variables)``
    after one update. Inside a custom ``train_step`` jnet runs, the model's frozen-weight mask
    and constraints apply, as in its built-in step."""
    context = _context.current()
    if context is not None and context.spec.optimizer is self:
        return context.spec.apply_gradients(context, optimizer_variables, grads,
                                            trainable_variables)
    params, opt_vars = optimizer_apply(self.build(), optimizer_variables, list(grads),
                                       list(trainable_variables))
    return list(params), opt_vars


def install() -> None:
    """Adds the stateless methods to jnet's Metric and Optimizer bases where missing."""
    metric = metrics_module.Metric
    for name, fn in (
        ("stateless_update_state", _stateless_update_state),
        ("stateless_result", _stateless_result),
        ("stateless_reset_state", _stateless_reset_state),
    ):
        if not hasattr(metric, name):
            setattr(metric, name, fn)
    if not hasattr(metric, "variables"):
        metric.variables = property(_variables)
    if not hasattr(optimizers_module.Optimizer, "stateless_apply"):
        optimizers_module.Optimizer.stateless_apply = _stateless_apply
