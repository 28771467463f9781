"""Keras's step hooks on ``jnet.Model``, in the JAX backend's stateless form.

:class:`StepHooks` is a base of ``jnet.Model``. Its methods are Keras's (``keras/src/backend/
jax/trainer.py`` and ``keras/src/trainers/trainer.py``): ``train_step(state, data) ->
(logs, state)`` with ``state = (trainable_variables, non_trainable_variables,
optimizer_variables, metrics_variables)``, ``test_step``, ``predict_step``,
``stateless_call``, ``compute_loss``, ``stateless_compute_loss``, ``compute_metrics``,
``get_metrics_result`` and ``metrics``. A subclass overrides any of them and calls the others
(or ``super()``); ``fit``, ``evaluate`` and ``predict`` then run the model's own hooks,
compiled (:mod:`jnet.training.custom_step._steps`).

The defaults compute what jnet's built-in step computes (same loss, logits shortcut, masks,
penalties, frozen weights, metrics), so a model that overrides only ``compute_loss`` to call
``super().compute_loss(...)`` trains exactly as the built-in step does.

Example:
    >>> import numpy as np, jnet
    >>> class Scaled(jnet.Model):
    ...     def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
    ...                      training=True):
    ...         return 2.0 * super().compute_loss(x, y, y_pred, sample_weight, training)
    >>> inputs = jnet.Input(shape=(2,))
    >>> model = Scaled(inputs, jnet.layers.Dense(1, kernel_initializer="zeros")(inputs))
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    2.0
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator, Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.base import collect_activity
from jnet.training import penalties, steps
from jnet.training.custom_step import _context
from jnet.training.custom_step._layout import values
from jnet.training.custom_step._spec import layout_of
from jnet.training.custom_step._stateless import metric_treedef
from jnet.utils import random as jrandom
from jnet.utils.packing import unpack_x_y_sample_weight
from jnet.variables import StatelessScope

__all__ = ["StepHooks"]


class StepHooks:
    """Keras's ``Model`` step methods (JAX form) over jnet's pure engine."""

    # -- the stateless forward and loss ------------------------------------------------------

    def stateless_call(
        self, trainable_variables: Sequence[Any], non_trainable_variables: Sequence[Any],
        *args: Any, return_losses: bool = False, **kwargs: Any,
    ):
        """The model's call with the given variables; pure.

        Args:
            trainable_variables, non_trainable_variables: lists in Keras's order (as a step's
                ``state`` holds them).
            *args: the inputs.
            return_losses: also return the activity penalties recorded in the call.
            **kwargs: ``training`` (default False).

        Returns:
            ``(outputs, non_trainable_variables)`` (updated moving statistics in training
            mode; what layers ``assign`` in any mode), plus the losses with ``return_losses=True``.
        """
        if len(args) != 1:
            raise errors.JnetTypeError(
                f"stateless_call takes the variables and one input (x), received "
                f"{len(args)} positional inputs."
            )
        training = bool(kwargs.pop("training", False))
        if kwargs:
            raise errors.unknown_arguments("stateless_call", kwargs, ["training"])
        trainable_variables = values(trainable_variables)
        non_trainable_variables = values(non_trainable_variables)
        context = _context.current()
        if context is not None and context.spec.model is not self:
            context = None
        layout = context.spec.layout if context is not None else layout_of(self)
        variables = dict(layout.join(trainable_variables, non_trainable_variables))
        params = variables.pop("params", {})
        rng = None
        if training:
            rng = context.next_key() if context is not None else jrandom.next_key()
        masked = getattr(self, "forward_with_mask", None)
        with collect_activity(penalties.has_activity(self)) as activity:
            if masked is not None:
                y, logits, new_state, mask = masked(params, variables, *args,
                                                    training=training, rng=rng)
            else:
                y, logits, new_state = self.forward(params, variables, *args,
                                                    training=training, rng=rng)
                mask = None
        if context is not None:
            context.record(y, logits, mask, params, activity)
        # in inference too: a Keras-style layer may assign there (Keras returns it)
        _, non_trainable = layout.split({**variables, **new_state, "params": params})
        if return_losses:
            return y, non_trainable, list(activity or [])
        return y, non_trainable

    def compute_loss(
        self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
        training: bool = True,
    ):
        """The compiled loss of ``(y, y_pred)`` plus the weight and activity penalties
        (Keras's ``model.losses``); a zero scalar when ``compile`` had no loss and there is
        no penalty."""
        context = _context.current()
        if context is None:
            self._require_compiled("compute_loss")
            spec = self._state().spec
            params, activity = self.variables.get("params", {}), None
            logits = mask = None
        else:
            spec = context.spec
            params, activity = context.params, context.activity
            if params is None:
                params = context.state.params
            logits, mask = context.output_extras(y_pred)
        if spec.loss is None:
            loss = jnp.zeros((), jnp.float32)
        else:
            loss = steps.compute_loss(spec, y, y_pred, logits, sample_weight, mask)
        return penalties.add_penalties(spec, loss, params, activity)

    def stateless_compute_loss(
        self, trainable_variables, non_trainable_variables, metrics_variables, x=None, y=None,
        y_pred=None, sample_weight=None, training=True,
    ):
        """``compute_loss`` with the given variables: ``(loss, (trainable_variables,
        non_trainable_variables, metrics_variables))``; the penalties are differentiated
        with respect to ``trainable_variables``."""
        context = _context.current()
        if context is not None and context.spec.model is self:
            joined = context.spec.layout.join(trainable_variables, non_trainable_variables)
            context.params = joined.get("params", {})
        loss = _call_compute_loss(self, x, y, y_pred, sample_weight, training)
        return loss, (trainable_variables, non_trainable_variables, metrics_variables)

    # -- metrics -----------------------------------------------------------------------------

    @property
    def metrics(self) -> list[Any]:
        """Keras's ``model.metrics``: the loss tracker and the compiled metrics (after
        ``compile``), then the metrics assigned as the model's attributes."""
        found: list[Any] = []
        if getattr(self, "compiled", False):
            for name in ("_loss_tracker", "_compile_metrics"):
                metric = self.__dict__.get(name)
                if metric is not None:
                    found.append(metric)
        found += list(self.__dict__.get("_jnet_metrics", []))
        return found

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None):
        """Updates the compiled metrics with ``(y, y_pred)``; returns every metric's result."""
        compiled = self.__dict__.get("_compile_metrics")
        if compiled is not None:
            compiled.update_state(y, y_pred, sample_weight=sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, Any]:
        """``{name: result}`` of ``model.metrics`` (a dict result is merged in)."""
        logs: dict[str, Any] = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return logs

    # -- the steps ---------------------------------------------------------------------------

    def train_step(self, state: Any, data: Any):
        """One training step, as Keras's JAX trainer: forward (``stateless_call``),
        ``stateless_compute_loss``, gradient, ``optimizer.stateless_apply``, metrics.

        Args:
            state: ``(trainable_variables, non_trainable_variables, optimizer_variables,
                metrics_variables)``, lists of arrays.
            data: the batch, ``x``, ``(x, y)`` or ``(x, y, sample_weight)``.

        Returns:
            ``(logs, state)``.
        """
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)

        def objective(trainable, non_trainable, metrics_variables):
            y_pred, non_trainable = self.stateless_call(
                trainable, non_trainable, x, training=True
            )
            loss, (_, non_trainable, metrics_variables) = self.stateless_compute_loss(
                trainable, non_trainable, metrics_variables, x=x, y=y, y_pred=y_pred,
                sample_weight=sample_weight, training=True,
            )
            return loss, (y_pred, non_trainable, metrics_variables)

        (loss, (y_pred, non_trainable, metrics_variables)), grads = jax.value_and_grad(
            objective, has_aux=True
        )(trainable, non_trainable, metrics_variables)
        trainable, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable
        )
        logs, metrics_variables = _update_metrics_variables(
            self, metrics_variables, loss, x, y, y_pred, sample_weight
        )
        return logs, (trainable, non_trainable, optimizer_variables, metrics_variables)

    def test_step(self, state: Any, data: Any):
        """One evaluation step: ``state = (trainable_variables, non_trainable_variables,
        metrics_variables)``; returns ``(logs, state)``."""
        trainable, non_trainable, metrics_variables = state
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x, training=False)
        loss, (trainable, non_trainable, metrics_variables) = self.stateless_compute_loss(
            trainable, non_trainable, metrics_variables, x=x, y=y, y_pred=y_pred,
            sample_weight=sample_weight, training=False,
        )
        logs, metrics_variables = _update_metrics_variables(
            self, metrics_variables, loss, x, y, y_pred, sample_weight
        )
        return logs, (trainable, non_trainable, metrics_variables)

    def predict_step(self, state: Any, data: Any):
        """The outputs for a batch: ``state = (trainable_variables,
        non_trainable_variables)``; returns ``(outputs, non_trainable_variables)``."""
        trainable, non_trainable = state
        x, _, _ = unpack_x_y_sample_weight(data)
        return self.stateless_call(trainable, non_trainable, x, training=False)


def _call_compute_loss(model, x, y, y_pred, sample_weight, training):
    """``model.compute_loss``, passing ``training`` only to an override that takes it."""
    try:
        parameters = inspect.signature(model.compute_loss).parameters
    except (TypeError, ValueError):
        parameters = {}
    if "training" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    ):
        return model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                  training=training)
    return model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)


def split_metrics_variables(metrics: Sequence[Any], variables: Sequence[Any]) -> list[Any]:
    """The flat ``metrics_variables`` as one state per metric of ``metrics``."""
    variables = list(variables)
    states, start = [], 0
    for metric in metrics:
        treedef = metric_treedef(metric)
        states.append(jax.tree_util.tree_unflatten(
            treedef, variables[start:start + treedef.num_leaves]
        ))
        start += treedef.num_leaves
    if start != len(variables):
        raise errors.JnetValueError(
            f"model.metrics hold {start} variables, received {len(variables)} "
            f"metrics_variables."
        )
    return states


@contextlib.contextmanager
def metric_states(metrics: Sequence[Any], states: Sequence[Any]) -> Iterator[Any]:
    """Runs the block with each metric's Variables mapped to ``states`` in a StatelessScope
    (Keras's stateless scope for metrics); yields a function returning the states as they are
    now. The metrics' own Variables are not changed."""
    pairs = []
    for metric, state in zip(metrics, states, strict=True):
        metric.ensure_state_variables(state)
        pairs += list(zip(metric.variables, jax.tree_util.tree_leaves(state), strict=True))
    with StatelessScope(pairs):
        yield lambda: [m.state for m in metrics]


def _update_metrics_variables(model, metrics_variables, loss, x, y, y_pred, sample_weight):
    """Keras's ``_update_metrics_variables``: the loss tracker weighted by the batch size,
    then ``compute_metrics``; returns ``(logs, metrics_variables)``."""
    metrics = model.metrics
    states = split_metrics_variables(metrics, metrics_variables)
    tracker = model.__dict__.get("_loss_tracker")
    with metric_states(metrics, states) as read:
        if tracker is not None and any(m is tracker for m in metrics):
            batch = next(a for a in jax.tree_util.tree_leaves(x) if a is not None).shape[0]
            tracker.update_state(loss, sample_weight=jnp.asarray(batch, jnp.float32))
        logs = model.compute_metrics(x, y, y_pred, sample_weight)
        new_states = read()
    return logs, jax.tree_util.tree_leaves(new_states)
