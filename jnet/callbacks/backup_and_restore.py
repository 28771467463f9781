""":class:`BackupAndRestore`: resume an interrupted ``fit`` where it left off, exactly."""

from __future__ import annotations

import os
import shutil
from typing import Any

from jnet import errors, saving
from jnet.callbacks._batch_frequency import BatchFrequency
from jnet.callbacks._callback import Callback
from jnet.callbacks._learning_rate import adopt_state_learning_rate

__all__ = ["BackupAndRestore"]

_CHECKPOINT = "latest.checkpoint.safetensors"


class BackupAndRestore(Callback):
    """Backs up training at every epoch end; a rerun of the same ``fit`` resumes from there.

    The backup is one checkpoint file (``jnet.saving.save_checkpoint``: weights, optimizer
    state, step count, training PRNG key) whose ``extra`` holds the next epoch and the
    shuffling generator's state. So a run killed at any point and started again
    with the same code and the same ``BackupAndRestore`` ends with the same weights, bit for
    bit, as a run never interrupted. When ``fit`` ends normally the backup is deleted
    (``delete_checkpoint=True``); when it is interrupted the backup stays.

    Differences from Keras: Keras keeps weights (``latest.weights.h5``) and metadata
    (``training_metadata.json``) in two files and restores only the weights and the epoch;
    jnet writes one atomic file and restores the optimizer state and random state too.
    With an integer ``save_freq`` a mid-epoch backup restarts that epoch from its first
    batch with the backed-up weights, as Keras does (the epoch's shuffle is replayed, but
    the batches already seen are trained on again, so that case is not bit-identical).

    Args:
        backup_dir: the folder for the backup (created if needed).
        save_freq: ``'epoch'`` or a number of batches. Default ``'epoch'``.
        double_checkpoint: keep the previous backup too, used if the latest cannot be read.
        delete_checkpoint: delete ``backup_dir`` when training finishes. Default True.

    Example:
        >>> import tempfile, numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> cb = jnet.callbacks.BackupAndRestore(tempfile.mkdtemp())
        >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[cb])
        >>> h.epoch
        [0, 1]
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ):
        super().__init__()
        if not backup_dir:
            raise errors.JnetValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
            raise errors.JnetValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq!r}. "
                f"Expected either 'epoch' or an integer value."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._checkpoint_path = os.path.join(self.backup_dir, _CHECKPOINT)
        self._prev_checkpoint_path = f"{self._checkpoint_path}.bkp"
        self._frequency = BatchFrequency(save_freq, last_batch_seen=0)
        self._current_epoch = 0
        self._epoch_shuffle_state: Any = None

    def needs_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    # -- restore ---------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise errors.JnetValueError(
                f"To use the BackupAndRestore callback, your model must be built before you "
                f"call `fit()`. Model {self.model.name!r} is unbuilt: give its first layer "
                f"input_shape=(...) or call model.build(input_shape)."
            )
        if not os.path.exists(self._checkpoint_path):
            return
        try:
            self._load(self._checkpoint_path)
        except (OSError, ValueError):
            if not os.path.exists(self._prev_checkpoint_path):
                raise
            shutil.copyfile(self._prev_checkpoint_path, self._checkpoint_path)
            self._load(self._checkpoint_path)

    def _load(self, path: str) -> None:
        extra = saving.load_checkpoint(path, self.model) or {}
        self._current_epoch = int(extra.get("epoch", 0))
        self.model.resume_epoch = self._current_epoch  # fit continues there
        generator = getattr(self.model, "_shuffle_rng", None)
        if generator is not None and extra.get("shuffle_rng") is not None:
            generator.bit_generator.state = extra["shuffle_rng"]
        adopt_state_learning_rate(self.model)

    # -- back up ---------------------------------------------------------------------------

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        generator = getattr(self.model, "_shuffle_rng", None)
        self._epoch_shuffle_state = None if generator is None else generator.bit_generator.state

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._frequency.last_batch_seen = 0
        if self.save_freq == "epoch":
            generator = getattr(self.model, "_shuffle_rng", None)
            self._save(None if generator is None else generator.bit_generator.state)

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save(self._epoch_shuffle_state)

    def _should_save_on_batch(self, batch: int) -> bool:
        return self.save_freq != "epoch" and self._frequency.due(batch)

    def _save(self, shuffle_state: Any) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._checkpoint_path):
            shutil.copyfile(self._checkpoint_path, self._prev_checkpoint_path)
        extra = {
            "epoch": self._current_epoch,
            "batch": self._frequency.last_batch_seen,
            "shuffle_rng": shuffle_state,
        }
        saving.save_checkpoint(self._checkpoint_path, self.model, extra)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)

