""":class:`ProgbarLogger`: Keras's progress lines during ``fit``, ``evaluate`` and ``predict``."""

from __future__ import annotations

import logging

from jnet import config
from jnet.callbacks._callback import Callback
from jnet.utils.progbar import Progbar

__all__ = ["ProgbarLogger"]


class ProgbarLogger(Callback):
    """Prints Keras's progress lines (``verbose=1``: a bar per epoch; ``2``: one line).

    Lines look like Keras 3's: ``Epoch 1/5`` (when ``epochs > 1``) then
    ``32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 1ms/step - loss: 0.2500``. On a terminal or in a notebook
    the bar is redrawn as the epoch's chunks of steps finish, at most ten times a second
    (:meth:`on_progress`; steps stay compiled together, no batch logs are fetched), and fits
    the terminal's width; elsewhere (CI logs, captured output) only the final line of each
    epoch is printed.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), verbose=2,
        ...               callbacks=[jnet.callbacks.ProgbarLogger()])  # doctest: +ELLIPSIS
        1/1 - ...s - ...
    """

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False
        self._testing = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def needs_batch_logs(self) -> bool:
        return False  # a live bar advances per chunk of steps (on_progress), not per batch

    def wants_progress(self) -> bool:
        """Whether :meth:`on_progress` draws anything: ``verbose=1`` on a live stream."""
        return (
            self.verbose == 1 and Progbar(None).dynamic
            and config.is_interactive_logging_enabled()
        )

    def on_progress(self, steps_done: int, logs=None) -> None:
        """Called by ``fit``/``evaluate``/``predict`` as chunks of steps finish (at most
        every tenth of a second) with the running logs: redraws the live bar."""
        if not (self._called_in_fit and self._testing):  # fit's validation draws no bar
            self._update(steps_done - 1, logs)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        self._testing = True
        if not self._called_in_fit:
            self._reset_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        if self.verbose and self.epochs > 1:
            line = f"Epoch {epoch + 1}/{self.epochs}"
            if config.is_interactive_logging_enabled():
                print(line, flush=True)
            else:
                logging.getLogger("jnet").info(line)

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        self._testing = False
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(None)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = Progbar(target=self.target, verbose=self.verbose)

    def _update(self, batch, logs):
        if self.progbar is None:
            self._reset_progbar()
        self.seen = batch + 1
        # The last step is drawn by _finalize (with the epoch's validation logs too).
        if self.verbose == 1 and (self.target is None or self.seen < self.target):
            self.progbar.update(self.seen, list((logs or {}).items()))

    def _finalize(self, logs):
        if self.progbar is None:
            self._reset_progbar()
        if self.target is None:
            self.target = self.progbar.target = self.seen
        self.progbar.update(self.target, list((logs or {}).items()))
