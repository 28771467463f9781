"""Keras's ``optimizer.stateless_apply`` over jnet's optax states, and the structure of a
metric's state.

A custom JAX ``train_step`` calls ``optimizer.stateless_apply(opt_vars, grads,
trainable_vars)`` on flat lists of arrays, as Keras's JAX backend names it: the lists are the
optax state's leaves (``jax.tree_util`` order), so the method is an unflatten, the update, a
flatten. The metrics' stateless methods (``stateless_update_state``, ``stateless_result``,
``variables``) are jnet's ``Metric``'s own (:mod:`jnet.metrics._base`).

:func:`install` puts ``stateless_apply`` on ``jnet.optimizers.Optimizer`` where the class does
not define it (a class's own definition wins).

Example:
    >>> import numpy as np, jnet
    >>> install()
    >>> m = jnet.metrics.Mean()
    >>> v = m.stateless_update_state(m.stateless_reset_state(), np.array([1.0, 3.0]))
    >>> float(m.stateless_result(v)), len(m.variables)
    (2.0, 2)
"""

from __future__ import annotations

from typing import Any

import jax
import optax

from jnet import optimizers as optimizers_module
from jnet.training.custom_step import _context
from jnet.training.custom_step._layout import values

__all__ = ["install", "metric_treedef", "optimizer_apply"]


def metric_treedef(metric: Any) -> Any:
    """The structure of ``metric``'s state (the one its Variables hold)."""
    return jax.tree_util.tree_structure(metric.state)


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
    and constraints apply, as in its built-in step. The lists may hold Variables (Keras's
    guides pass ``optimizer.variables`` and ``model.trainable_variables``)."""
    optimizer_variables = values(optimizer_variables)
    grads = values(list(grads))
    trainable_variables = values(trainable_variables)
    context = _context.current()
    if context is not None and context.spec.optimizer is self:
        return context.spec.apply_gradients(context, optimizer_variables, grads,
                                            trainable_variables)
    params, opt_vars = optimizer_apply(self.build(), optimizer_variables, list(grads),
                                       list(trainable_variables))
    return list(params), opt_vars


def install() -> None:
    """Adds ``stateless_apply`` to jnet's Optimizer base where missing (jnet's Metric defines
    its own stateless methods and ``variables``)."""
    if not hasattr(optimizers_module.Optimizer, "stateless_apply"):
        optimizers_module.Optimizer.stateless_apply = _stateless_apply
