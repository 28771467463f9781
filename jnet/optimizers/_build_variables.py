"""Keras's ``optimizer.build(var_list)`` and ``optimizer.variables`` for jnet's optax-backed
optimizers.

jnet's optimizers describe an optax transformation (``build()`` with no argument returns it).
Keras's guide "Writing a training loop from scratch in JAX" calls
``optimizer.build(model.trainable_variables)`` and then hands ``optimizer.variables`` to its
jitted step, which calls ``optimizer.stateless_apply(optimizer_variables, grads,
trainable_variables)``. :func:`build_answering_var_list` wraps a subclass's ``build()`` so
that ``build(var_list)`` initializes the transformation's state for those variables and keeps
its leaves (``jax.tree_util`` order) as the optimizer's ``variables``: the flat list
``stateless_apply`` unflattens.

Example:
    >>> import numpy as np, jnet
    >>> opt = jnet.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> opt.build([jnet.Variable(np.zeros(3, "float32"))])
    >>> opt.built, [v.shape for v in opt.variables][-1]
    (True, (3,))
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import jax
import numpy as np

from jnet.variables import Variable

__all__ = ["build_answering_var_list", "takes_var_list"]


def takes_var_list(build: Callable[..., Any]) -> bool:
    """Whether a ``build`` method takes Keras's ``var_list`` (besides ``self``)."""
    try:
        return len(inspect.signature(build).parameters) > 1
    except (TypeError, ValueError):
        return True


def _value(variable: Any) -> Any:
    return variable.value if isinstance(variable, Variable) else variable


def build_answering_var_list(build: Callable[..., Any]) -> Callable[..., Any]:
    """``build`` (no argument: the optax transformation) that also answers Keras's
    ``build(var_list)``: the transformation's initial state for ``var_list``, kept as the
    optimizer's ``variables``."""

    @functools.wraps(build)
    def wrapper(self: Any, var_list: Any = None) -> Any:
        tx = build(self)
        if var_list is None:
            return tx
        params = [_value(v) for v in var_list]
        with jax.ensure_compile_time_eval():
            leaves = jax.tree_util.tree_leaves(tx.init(params))
        self._variables = [
            Variable(np.asarray(leaf), trainable=False, name=f"{self.name}_variable_{i}")
            for i, leaf in enumerate(leaves)
        ]
        self.__dict__["_jnet_optax_leaves"] = True
        self.built = True
        return None

    wrapper._jnet_var_list_build = build  # type: ignore[attr-defined]
    return wrapper
