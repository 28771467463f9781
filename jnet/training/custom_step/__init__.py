"""Keras's step hooks on jnet models: ``train_step``, ``test_step``, ``predict_step``,
``compute_loss`` and ``compute_metrics``, overridden by a ``jnet.Model`` subclass in Keras's
JAX form, compiled and scanned like jnet's built-in steps.

* :mod:`~jnet.training.custom_step._hooks`: :class:`StepHooks`, Keras's methods (a base of
  ``jnet.Model``);
* :mod:`~jnet.training.custom_step._steps`: the hooks as pure steps, and their compiled chunks;
* :mod:`~jnet.training.custom_step._spec`: :class:`CustomStepSpec`, the static half;
* :mod:`~jnet.training.custom_step._layout`: Keras's variable lists over jnet's trees;
* :mod:`~jnet.training.custom_step._context`: what a traced step records for ``compute_loss``;
* :mod:`~jnet.training.custom_step._compile_metrics`: Keras's ``compile_metrics``;
* :mod:`~jnet.training.custom_step._stateless`: ``stateless_update_state``,
  ``stateless_result``, ``stateless_apply`` on jnet's metrics and optimizers (where missing);
* :mod:`~jnet.training.custom_step._checks`: which hooks a class overrides; the error for a
  step jnet cannot run.
"""

from jnet.training.custom_step import _stateless
from jnet.training.custom_step._checks import HOOKS as HOOKS
from jnet.training.custom_step._checks import check as check
from jnet.training.custom_step._checks import overrides as overrides
from jnet.training.custom_step._compile_metrics import CompileMetrics as CompileMetrics
from jnet.training.custom_step._hooks import StepHooks as StepHooks
from jnet.training.custom_step._spec import CustomStepSpec as CustomStepSpec
from jnet.training.custom_step._steps import compute_logs as compute_logs
from jnet.training.custom_step._steps import eval_chunk as eval_chunk
from jnet.training.custom_step._steps import eval_step as eval_step
from jnet.training.custom_step._steps import predict_forward as predict_forward
from jnet.training.custom_step._steps import train_chunk as train_chunk
from jnet.training.custom_step._steps import train_step as train_step

_stateless.install()

__all__ = [
    "HOOKS",
    "CompileMetrics",
    "CustomStepSpec",
    "StepHooks",
    "check",
    "compute_logs",
    "eval_chunk",
    "eval_step",
    "overrides",
    "predict_forward",
    "train_chunk",
    "train_step",
]
