"""Keras's step hooks on jnet models: ``train_step``, ``test_step``, ``predict_step``,
``compute_loss``, ``compute_metrics`` overridden by a ``jnet.Model`` subclass.

* :mod:`~jnet.training.custom_step._checks`: which hooks a class overrides, and the errors for
  the ones jnet cannot run.
"""

from jnet.training.custom_step._checks import HOOKS as HOOKS
from jnet.training.custom_step._checks import overrides as overrides

__all__ = ["HOOKS", "overrides"]
