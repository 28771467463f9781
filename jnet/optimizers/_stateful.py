"""A Keras-style optimizer (``build(var_list)`` + ``update_step``) as a pure optax rule.

Keras documents its optimizer contract in ``keras/src/optimizers/base_optimizer.py``: a
subclass creates its slots in ``build(var_list)`` with ``add_variable_from_reference`` /
``add_variable``, and updates one model variable in ``update_step(gradient, variable,
learning_rate)`` with ``self.assign(...)`` / ``variable.assign(...)``. jnet compiles it the way
Keras's JAX backend does: the model's parameters get stand-in :class:`jnet.Variable`\\ s (built
once, from the first parameters' shapes), and each step runs ``update_step`` per parameter
under a :class:`~jnet.variables.StatelessScope` that maps the stand-ins, the slots and
``iterations`` to the traced values. The result is an :class:`UpdateRule` whose slots are the
tuple of the slot variables' values, wrapped in Keras's ``apply`` sequence
(:func:`keras_transformation`: clipping, weight decay, schedules, ``iterations``), so every
base-class option works as it does for the built-in optimizers.

Example:
    >>> import jax.numpy as jnp
    >>> import optax
    >>> from jnet.optimizers import Optimizer
    >>> class Halving(Optimizer):  # w <- w - lr * g, with a step counter slot
    ...     def build(self, var_list):
    ...         super().build(var_list)
    ...         self.steps = [self.add_variable_from_reference(v, "steps") for v in var_list]
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         self.assign_add(self.steps[self._get_variable_index(variable)], 1.0)
    ...         self.assign_sub(variable, gradient * learning_rate)
    >>> tx = Halving(learning_rate=0.5).build()
    >>> params = {"w": jnp.ones(2)}
    >>> state = tx.init(params)
    >>> updates, state = tx.update({"w": jnp.ones(2)}, state, params)
    >>> optax.apply_updates(params, updates)["w"].tolist(), state.slots[0].tolist()
    ([0.5, 0.5], [1.0, 1.0])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jax
import numpy as np
import optax

from jnet import errors
from jnet.optimizers._transformation import UpdateRule, keras_transformation
from jnet.variables import StatelessScope, Variable

__all__ = ["build_taking_variables", "keras_style_transformation"]


def _stand_in(path: Any, leaf: Any) -> Variable:
    """A Variable standing for one parameter: its shape, dtype and Keras-like path."""
    keys = [str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k)))) for k in path]
    with jax.ensure_compile_time_eval():
        variable = Variable(np.zeros(np.shape(leaf), jax.numpy.result_type(leaf)),
                            name=(keys[-1] if keys else "variable").replace("/", "_"))
    variable._path = "/".join(keys) or variable.name
    return variable


def _signature(params: optax.Params) -> tuple[Any, tuple]:
    leaves, treedef = jax.tree_util.tree_flatten(params)
    return treedef, tuple((np.shape(x), jax.numpy.result_type(x)) for x in leaves)


def _build_once(optimizer: Any, params: optax.Params) -> None:
    """Builds the optimizer's slots for ``params`` on first use (as Keras builds once)."""
    signature = _signature(params)
    if optimizer._built_for is not None:
        if optimizer._built_for != signature:
            raise errors.JnetValueError(
                f"Optimizer {optimizer.name!r} ({type(optimizer).__name__}) was built for "
                "other variables (another model, or other shapes). This optimizer can only be "
                "used with the variables it was originally built with: create a new instance "
                "for a new set of variables."
            )
        return
    with_paths, _ = jax.tree_util.tree_flatten_with_path(params)
    stand_ins = [_stand_in(path, leaf) for path, leaf in with_paths]
    with jax.ensure_compile_time_eval():
        optimizer.build(stand_ins)
        optimizer._initial_slots = tuple(  # their own values, not a live state's
            v.value if v._value is None else v._value for v in optimizer._variables)
    optimizer._stand_ins = stand_ins
    optimizer._built_for = signature


def _init(optimizer: Any, params: optax.Params) -> tuple:
    _build_once(optimizer, params)
    return optimizer._initial_slots


def _step(optimizer: Any, grads: optax.Updates, slots: tuple, learning_rate: jax.Array,
          iterations: jax.Array, params: optax.Params) -> tuple[optax.Updates, tuple]:
    _build_once(optimizer, params)
    treedef = jax.tree_util.tree_structure(params)
    param_leaves = treedef.flatten_up_to(params)
    grad_leaves = treedef.flatten_up_to(grads)
    slot_variables = list(optimizer._variables)
    stand_ins = optimizer._stand_ins
    mapping = [
        *zip(slot_variables, slots, strict=True),
        *zip(stand_ins, param_leaves, strict=True),
        (optimizer.iterations, iterations),
    ]
    with StatelessScope(mapping) as scope:
        for gradient, variable in zip(grad_leaves, stand_ins, strict=True):
            optimizer.update_step(gradient, variable, learning_rate)

    def current(variable: Variable, before: Any) -> Any:
        value = scope.get_current_value(variable)
        return before if value is None else value

    increments = [current(v, p) - p for v, p in zip(stand_ins, param_leaves, strict=True)]
    new_slots = tuple(current(v, s) for v, s in zip(slot_variables, slots, strict=True))
    return treedef.unflatten(increments), new_slots


def keras_style_transformation(optimizer: Any) -> optax.GradientTransformation:
    """The optax transformation of an optimizer written with ``build(var_list)`` and
    ``update_step``: its rule inside Keras's ``apply`` sequence."""
    rule = UpdateRule(
        init=functools.partial(_init, optimizer),
        step=functools.partial(_step, optimizer),
        reads_params=True,
    )
    return keras_transformation(rule, optimizer.learning_rate, **optimizer._extras())


def build_taking_variables(build: Callable[..., Any]) -> Callable[..., Any]:
    """A subclass's Keras ``build(var_list)`` that also answers jnet's ``build()`` (no
    argument: the optax transformation, which the engine asks for)."""

    @functools.wraps(build)
    def wrapper(self: Any, var_list: Any = None) -> Any:
        if var_list is None:
            self._check_super_called()
            return keras_style_transformation(self)
        return build(self, var_list)

    wrapper._jnet_keras_build = build  # type: ignore[attr-defined]
    return wrapper
