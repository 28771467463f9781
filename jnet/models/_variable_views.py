"""Keras's ``model.trainable_variables`` and ``model.non_trainable_variables`` on jnet models.

jnet keeps a model's weights as one tree (``model.variables``). Keras's JAX guides read them as
lists of ``Variable``\\ s (to build an optimizer, to start the state of a loop written from
scratch) and write trained values back with ``variable.assign(value)``. A view is a
:class:`jnet.Variable` bound to one leaf of the model's tree: reading the list refreshes
each view's value from the model, and ``assign`` on a view writes into the model (its weights,
and its training state when ``fit`` made one). The lists are in Keras's order (the order of
``get_weights``, trainable first), computed by
:func:`jnet.training.custom_step.layout_of`, the order a custom ``train_step`` receives.

Example:
    >>> import numpy as np, jnet
    >>> inputs = jnet.Input(shape=(2,))
    >>> model = jnet.Model(inputs, jnet.layers.Dense(1)(inputs))
    >>> kernel, bias = model.trainable_variables
    >>> kernel.path, kernel.shape
    ('dense/kernel', (2, 1))
    >>> _ = bias.assign(np.array([3.0], "float32"))
    >>> model.get_weights()[1].tolist()
    [3.0]
"""

from __future__ import annotations

import weakref
from typing import Any

import jax

from jnet.training.custom_step._layout import key_path
from jnet.training.custom_step._spec import layout_of
from jnet.variables import Variable, _pytree, get_stateless_scope

__all__ = ["non_trainable_variables", "trainable_variables"]


class ModelVariable(Variable):
    """A Variable standing for one weight of a model; ``assign`` writes into the model."""

    def _bind(self, model: Any, index: int) -> None:
        self._model = weakref.ref(model)
        self._index = index

    def assign(self, value: Any) -> Any:
        value = super().assign(value)
        model = self.__dict__.get("_model", lambda: None)()
        if model is not None and get_stateless_scope() is None:
            leaves, treedef = jax.tree_util.tree_flatten(model.variables)
            leaves[self._index] = value
            model._set_variables(jax.tree_util.tree_unflatten(treedef, leaves))  # noqa: SLF001
        return value


_pytree.register(ModelVariable, rebuild_as=Variable)


def _views(model: Any) -> tuple[list[ModelVariable], list[ModelVariable]]:
    variables = model.variables
    treedef = jax.tree_util.tree_structure(variables)
    cached = model.__dict__.get("_jnet_variable_views")
    leaves, paths = jax.tree_util.tree_leaves(variables), None
    if cached is None or cached[0] != treedef:
        layout = layout_of(model, variables)
        paths = [tuple(str(k) for k in key_path(p))
                 for p, _ in jax.tree_util.tree_flatten_with_path(variables)[0]]
        views: dict[int, ModelVariable] = {}
        for i in (*layout.trainable, *layout.non_trainable):
            path = paths[i]
            view = ModelVariable(leaves[i], name=path[-1].replace("/", "_"),
                                 trainable=i in layout.trainable)
            view._path = "/".join(path[1:])  # noqa: SLF001
            view._bind(model, i)  # noqa: SLF001
            views[i] = view
        cached = (treedef, [views[i] for i in layout.trainable],
                  [views[i] for i in layout.non_trainable])
        model.__dict__["_jnet_variable_views"] = cached
    for view in (*cached[1], *cached[2]):
        view._value = leaves[view._index]  # noqa: SLF001
    return cached[1], cached[2]


def trainable_variables(model: Any) -> list[Variable]:
    """``model.trainable_variables``: Variables bound to the trainable weights."""
    return list(_views(model)[0])


def non_trainable_variables(model: Any) -> list[Variable]:
    """``model.non_trainable_variables``: Variables bound to the other weights."""
    return list(_views(model)[1])
