""":class:`ReduceLROnPlateau`: lower the learning rate when a metric stops improving."""

from __future__ import annotations

import warnings

import numpy as np

from jnet import errors
from jnet.callbacks._learning_rate import get_learning_rate, set_learning_rate
from jnet.callbacks._monitor import MonitorCallback

__all__ = ["ReduceLROnPlateau"]


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without improvement.

    Keras 3's rules: ``logs['learning_rate']`` records the rate at each epoch's end (before
    any reduction), after a reduction ``cooldown`` epochs pass before counting again, and
    the rate never goes below ``min_lr``. The new rate goes into the live optimizer state
    (no recompilation).

    Args:
        monitor: the logs key to watch. Default ``'val_loss'``.
        factor: the multiplier, < 1. Default 0.1.
        patience: epochs without improvement before reducing. Default 10.
        verbose: 1 prints each reduction. Default 0.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Default ``'auto'``.
        min_delta: the smallest change that counts as an improvement. Default 1e-4.
        cooldown: epochs to wait after a reduction. Default 0.
        min_lr: the lower bound of the rate. Default 0.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
        >>> cb = jnet.callbacks.ReduceLROnPlateau("loss", factor=0.5, patience=1, min_delta=10.0)
        >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[cb])
        >>> [round(lr, 4) for lr in h.history["learning_rate"]]
        [0.1, 0.1, 0.05]
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs,
    ):
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise errors.JnetValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self) -> bool:
        """Whether a reduction happened less than ``cooldown`` epochs ago."""
        return self.cooldown_counter > 0

    def _reduce(self, epoch: int) -> bool:
        old_lr = get_learning_rate(self.model)
        if old_lr > np.float32(self.min_lr):
            new_lr = max(old_lr * self.factor, self.min_lr)
            set_learning_rate(self.model, new_lr)
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}."
                )
            return True
        return False

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        logs["learning_rate"] = get_learning_rate(self.model)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0
