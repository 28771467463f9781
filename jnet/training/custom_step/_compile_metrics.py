"""Keras's ``compile_metrics``: the metrics given to ``compile``, as one metric of
``model.metrics``.

Keras's ``model.metrics`` is ``[loss_tracker, compile_metrics, ...]``: a custom step updates
``compile_metrics`` with ``(y, y_pred)`` and its result is a dict, ``{'mae': ...}``, flattened
into the logs. Here its state is the compiled metrics' states in jnet's step layout (a model
with several outputs: the per-output metrics, then the per-output loss trackers), and its
update is the built-in step's (the logits shortcut and output masks included, read from what
``stateless_call`` recorded for this ``y_pred``).

Example:
    >>> CompileMetrics(lambda: None).name
    'compile_metrics'
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import jax
import jax.numpy as jnp

from jnet import metrics as metrics_module
from jnet.training import steps
from jnet.training.custom_step import _context
from jnet.training.state import StepSpec

__all__ = ["CompileMetrics"]


class CompileMetrics(metrics_module.Metric):
    """The compiled metrics as one metric.

    Args:
        spec_provider: returns the model's step spec (used outside a traced step; inside one,
            the step's own spec is used).
    """

    def __init__(self, spec_provider: Callable[[], Any]):
        super().__init__(name="compile_metrics")
        self._spec_provider = spec_provider

    def _spec(self) -> Any:
        context = _context.current()
        return context.spec if context is not None else self._spec_provider()

    def init(self) -> tuple[Any, ...]:
        return self.init_with(self._spec())

    @staticmethod
    def init_with(spec: Any) -> tuple[Any, ...]:
        """Fresh states for the compiled metrics of ``spec``."""
        return tuple(StepSpec.init_metric_states(spec)[1:])

    def update(self, state: Any, y_true: Any, y_pred: Any, sample_weight: Any = None):
        """The compiled metrics after one batch (unweighted, as Keras's ``metrics=``)."""
        context = _context.current()
        logits, mask = (None, None) if context is None else context.output_extras(y_pred)
        batch = int(jax.tree_util.tree_leaves(y_pred)[0].shape[0])
        zero = jnp.zeros((), jnp.float32)
        full = steps._update_metric_states(  # noqa: SLF001 - the built-in step's own update
            self._spec(), ((zero, zero), *state), zero, y_true, y_pred, batch, logits,
            sample_weight=sample_weight, mask=mask,
        )
        return tuple(full[1:])

    def compute(self, state: Any) -> dict[str, Any]:
        zero = jnp.zeros((), jnp.float32)
        holder = SimpleNamespace(spec=self._spec(), metric_states=((zero, zero), *state))
        logs = steps.compute_logs(holder)
        logs.pop("loss")
        return logs
