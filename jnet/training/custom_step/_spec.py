"""``CustomStepSpec``: the static half of a model whose class overrides Keras's step hooks.

It is a :class:`jnet.training.StepSpec` (the compiled loss, metrics, optimizer, frozen mask,
penalties: what ``compute_loss`` and ``stateless_apply`` need) that also holds the model, whose
``train_step`` / ``test_step`` / ``predict_step`` the custom steps call, and the
:class:`~jnet.training.custom_step._layout.Layout` between jnet's variable trees and Keras's
lists. Its metric states are those of ``model.metrics`` (Keras's loss tracker, the compiled
metrics, the model's own metric attributes), so ``TrainState.reset_metrics`` resets them.

Example:
    >>> CustomStepSpec.__mro__[1].__name__
    'StepSpec'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import optax

from jnet import optimizers as optimizers_module
from jnet.training import steps
from jnet.training.custom_step._layout import Layout
from jnet.training.state import StepSpec, _fresh

__all__ = ["CustomStepSpec", "extra_optimizers", "layout_of"]


def layout_of(model: Any, variables: Any = None) -> Layout:
    """The Keras-ordered layout of ``model``'s variables (its current ones by default)."""
    if variables is None:
        variables = model.variables
    paths = model.weight_paths(variables)
    flags = [train for train, _ in model._split_weights(variables)]  # noqa: SLF001
    if len(flags) != len(paths):
        flags = [path[0] == "params" for path in paths]
    return Layout.build(variables, list(zip(paths, flags, strict=True)))


def extra_optimizers(model: Any, optimizer: Any) -> tuple[Any, ...]:
    """The built optimizers held as ``model``'s attributes besides the compiled ``optimizer``
    (a GAN's ``d_optimizer`` and ``g_optimizer``, built with ``optimizer.build(part.
    trainable_variables)`` as Keras requires before ``stateless_apply``), in assignment
    order."""
    found: list[Any] = []
    for value in list(vars(model).values()):
        if (isinstance(value, optimizers_module.Optimizer) and value is not optimizer
                and value.variables and not any(value is f for f in found)):
            found.append(value)
    return tuple(found)


def _with_extras(tx: optax.GradientTransformation, extras: Sequence[Any]):
    """``tx`` whose state also carries the extra optimizers' variables (their leaves follow
    the compiled optimizer's in a custom step's ``optimizer_variables``)."""
    def init(params):
        return tx.init(params), tuple(
            tuple(jnp.asarray(v.value) for v in opt.variables) for opt in extras
        )

    def update(updates, state, params=None):
        updates, main = tx.update(updates, state[0], params)
        return updates, (main, state[1])

    return optax.GradientTransformation(init, update)


class CustomStepSpec(StepSpec):
    """A :class:`StepSpec` whose steps are the model's own hooks."""

    model: Any
    layout: Layout
    main_tx: optax.GradientTransformation
    extra_optimizers: tuple[Any, ...]

    @classmethod
    def for_model(
        cls, model: Any, optimizer: Any, loss: Any, metrics: Sequence[Any],
        loss_weight: float | None = None,
    ) -> CustomStepSpec:
        base = StepSpec.for_model(model, optimizer, loss, metrics, loss_weight=loss_weight)
        spec = cls.__new__(cls)
        spec.__dict__.update(base.__dict__)
        spec.model = model
        spec.layout = layout_of(model)
        spec.main_tx = base.tx
        spec.extra_optimizers = extra_optimizers(model, optimizer)
        if spec.extra_optimizers:
            spec.tx = _with_extras(base.tx, spec.extra_optimizers)
        return spec

    @property
    def metric_names(self) -> list[str]:
        return [m.name for m in self.model.metrics]

    def init_metric_states(self) -> tuple[Any, ...]:
        """Fresh states of ``model.metrics``, in order."""
        states = _fresh(tuple(
            m.init_with(self) if hasattr(m, "init_with") else m.init() for m in self.model.metrics
        ))
        # Give each metric Variables of its state's shapes now, eagerly: the custom step slices
        # metrics_variables by len(metric.variables) while it is traced.
        for metric, state in zip(self.model.metrics, states, strict=True):
            metric.ensure_state_variables(state)
        return states

    def apply_gradients(self, context: Any, optimizer_variables, grads, trainable):
        """``optimizer.stateless_apply`` inside a step: the built-in step's update (frozen
        weights masked, constraints applied) over Keras-ordered lists."""
        state = context.state
        _, frozen = self.layout.split(state.variables)
        params = self.layout.join(trainable, frozen)["params"]
        zeros = [jnp.zeros_like(v) for v in frozen]
        grad_tree = self.layout.join(list(grads), zeros)["params"]
        main_state = state.opt_state[0] if self.extra_optimizers else state.opt_state
        treedef = jax.tree_util.tree_structure(main_state)
        opt_state = jax.tree_util.tree_unflatten(treedef, list(optimizer_variables))
        updates, opt_state = self.main_tx.update(grad_tree, opt_state, params)
        updates = steps._freeze(updates, self.trainable_mask)  # noqa: SLF001
        params = optax.apply_updates(params, updates)
        if self.constraints is not None:
            params = self.constraints(params)
        new_trainable, _ = self.layout.split({**state.variables, "params": params})
        return new_trainable, jax.tree_util.tree_leaves(opt_state)
