"""The :class:`Callback` base class: Keras's hook protocol.

A callback sees ``self.model`` (so ``self.model.stop_training = True`` ends ``fit``) and
``self.params`` (``epochs``, ``steps``, ``verbose``). Hooks receive ``logs`` dicts with Keras's
keys (``loss``, metric names, ``val_*``) holding Python floats.

Batch hooks are costly on an accelerator: their logs must be fetched from the device. jnet
calls them only when some callback overrides a batch hook (or says so through
:meth:`Callback.needs_batch_logs`); otherwise an epoch runs with no host synchronisation.

Example:
    >>> import numpy as np, jnet
    >>> class Stop(jnet.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.model.stop_training = True
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=5, verbose=0, callbacks=[Stop()])
    >>> len(h.history["loss"])
    1
"""

from __future__ import annotations

from typing import Any

__all__ = ["BATCH_HOOKS", "Callback", "Logs"]

Logs = dict[str, Any]

BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)


class Callback:
    """Base class: override the hooks you need. Every hook takes ``logs=None``.

    Attributes:
        model: the model being trained, evaluated or run (set by ``fit``/``evaluate``/``predict``).
        params: ``{'verbose', 'epochs', 'steps'}``.

    Example:
        >>> import jnet
        >>> class Printer(jnet.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(epoch, sorted(logs))
        >>> Printer().needs_batch_logs()
        False
    """

    def __init__(self):
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        """Called by ``fit``/``evaluate``/``predict`` with the model."""
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        """Called by ``fit``/``evaluate``/``predict`` with ``{'verbose', 'epochs', 'steps'}``."""
        self.params = params

    def needs_batch_logs(self) -> bool:
        """Whether batch hooks must be called (True when this callback overrides one).

        Override it to return False when a batch hook does nothing in the current
        configuration (``ModelCheckpoint(save_freq='epoch')``), so that ``fit`` can run a
        whole epoch per device dispatch.
        """
        return any(getattr(type(self), h) is not getattr(Callback, h) for h in BATCH_HOOKS)

    # Keras 3 routes the legacy on_batch_* names through on_train_batch_*.
    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """A backwards-compatible alias of :meth:`on_train_batch_begin`."""

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """A backwards-compatible alias of :meth:`on_train_batch_end`."""

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        """Called at the start of an epoch (``fit`` only)."""

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        """Called at the end of an epoch with its logs (train metrics, then ``val_*``)."""

    def on_train_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before a training batch (every ``steps_per_execution`` batches)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after a training batch with the running epoch averages."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before an ``evaluate`` (or validation) batch."""

    def on_test_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after an ``evaluate`` (or validation) batch with the running averages."""

    def on_predict_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        """Called before a ``predict`` batch."""

    def on_predict_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        """Called after a ``predict`` batch with ``{'outputs': ...}``."""

    def on_train_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of ``fit``."""

    def on_train_end(self, logs: Logs | None = None) -> None:
        """Called at the end of ``fit`` with the last epoch's logs."""

    def on_test_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of ``evaluate`` and of each validation run in ``fit``."""

    def on_test_end(self, logs: Logs | None = None) -> None:
        """Called at the end of ``evaluate`` / validation with its logs (no ``val_`` prefix)."""

    def on_predict_begin(self, logs: Logs | None = None) -> None:
        """Called at the start of ``predict``."""

    def on_predict_end(self, logs: Logs | None = None) -> None:
        """Called at the end of ``predict``."""
