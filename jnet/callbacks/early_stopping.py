""":class:`EarlyStopping`: stop ``fit`` when a monitored quantity stops improving."""

from __future__ import annotations

import warnings

from jnet.callbacks._monitor import MonitorCallback

__all__ = ["EarlyStopping"]


class EarlyStopping(MonitorCallback):
    """Stops training when ``monitor`` has not improved for ``patience`` epochs (Keras 3 rules).

    Args:
        monitor: the logs key to watch. Default ``'val_loss'``.
        min_delta: the smallest change that counts as an improvement. Default 0.
        patience: epochs without improvement after which training stops. Default 0.
        verbose: 1 prints a message when stopping / restoring. Default 0.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Default ``'auto'``.
        baseline: training stops unless the model beats this value within ``patience``
            epochs. Default None.
        restore_best_weights: at the end of training, set the weights of the best epoch
            (of the epochs monitored, even if training did not stop early). Default False.
        start_from_epoch: epochs to wait before watching. Default 0.

    Attributes:
        stopped_epoch: the epoch at which training stopped (0 if it did not).
        best, best_epoch, best_weights, wait: Keras's bookkeeping.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> stop = jnet.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
        >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=9, verbose=0, callbacks=[stop])
        >>> len(h.epoch), stop.stopped_epoch
        (2, 1)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # The first monitored epoch is the reference: restore to it if none is better.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """``logs[monitor]``, or None with a warning listing the available keys."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return value
