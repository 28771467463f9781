""":class:`ModelCheckpoint`: save the model or its weights during training."""

from __future__ import annotations

import os
import warnings

import numpy as np

from jnet import errors
from jnet.callbacks._batch_frequency import BatchFrequency
from jnet.callbacks._monitor import MonitorCallback

__all__ = ["ModelCheckpoint"]

#: What ``model.save`` / ``model.save_weights`` write.
MODEL_SUFFIXES = (".jnet", ".keras")
WEIGHTS_SUFFIXES = (".weights.safetensors", ".weights.h5")


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or its weights) every epoch or every ``save_freq`` batches.

    ``filepath`` is formatted with ``epoch`` (1-based), ``batch`` (1-based, when saving by
    batch) and the logs: ``'ckpt-{epoch:02d}-{val_loss:.2f}.jnet'``. Saving goes through
    ``model.save(path)`` or ``model.save_weights(path)``: ``filepath`` must end in ``.jnet``
    (jnet's whole-model file, optimizer state included) or ``.keras`` (a Keras 3 archive that
    Keras loads), or, with ``save_weights_only=True``, in ``.weights.safetensors`` (jnet's) or
    ``.weights.h5`` (Keras 3's layout, loadable by Keras); another name is refused at
    construction rather than after the first epoch.

    Args:
        filepath: where to save, a format string.
        monitor: the logs key compared when ``save_best_only``. Default ``'val_loss'``.
        verbose: 1 prints a message at each save. Default 0.
        save_best_only: save only when ``monitor`` improves (and always when it is missing,
            with a warning, as Keras does). Default False.
        save_weights_only: save only the weights. Default False.
        mode: ``'auto'``, ``'min'`` or ``'max'``. Default ``'auto'``.
        save_freq: ``'epoch'``, or an integer number of batches (then ``fit`` calls batch
            hooks, one step per dispatch). Default ``'epoch'``.
        initial_value_threshold: the best value to beat at the start (``save_best_only``).

    Example:
        >>> import os, tempfile, numpy as np, jnet
        >>> folder = tempfile.mkdtemp()
        >>> ckpt = jnet.callbacks.ModelCheckpoint(
        ...     os.path.join(folder, "w-{epoch:02d}.weights.safetensors"),
        ...     save_weights_only=True)
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[ckpt])
        >>> sorted(os.listdir(folder))
        ['w-01.weights.safetensors', 'w-02.weights.safetensors']
    """

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
    ):
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._frequency = BatchFrequency(save_freq, last_batch_seen=None)
        self._current_epoch = 0
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
            raise errors.JnetValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq are 'epoch' or "
                f"integer values"
            )
        if save_weights_only:
            if not self.filepath.endswith(WEIGHTS_SUFFIXES):
                raise errors.JnetValueError(
                    f"When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    f"provided must end in `.weights.safetensors` (jnet's weights format) or "
                    f"`.weights.h5` (Keras's). Received: filepath={self.filepath}"
                )
        elif not self.filepath.endswith(MODEL_SUFFIXES):
            raise errors.JnetValueError(
                f"The filepath provided must end in `.keras` (a Keras 3 archive) or `.jnet` "
                f"(jnet's model file), or pass save_weights_only=True with a name ending in "
                f"`.weights.safetensors` or `.weights.h5`. Received: filepath={self.filepath}"
            )

    def needs_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        return self.save_freq != "epoch" and self._frequency.due(batch)

    def _should_save_model(self, epoch, batch, logs, filepath) -> bool:
        logs = logs or {}
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        if self.monitor_op is None:  # saving by batch before the first epoch ended
            self._set_monitor_op()
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Can save best model only with {self.monitor} available.", stacklevel=2
            )
            return True
        if np.ndim(current) > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: "
                f"{current}. Falling back to `save_best_only=False`.",
                stacklevel=2,
            )
            return True
        best_str = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_str} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_str}")
        return False

    def _save_model(self, epoch: int, batch: int | None, logs) -> None:
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise OSError(
                f"Please specify a non-directory filepath for ModelCheckpoint. Filepath used "
                f"is an existing directory: {filepath}"
            )
        if not self._should_save_model(epoch, batch, logs, filepath):
            return
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch: int, batch: int | None, logs) -> str:
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}'
            ) from e
