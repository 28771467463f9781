""":class:`TensorBoard`: training curves (and weight histograms) as TensorBoard event files."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from jnet import errors
from jnet.callbacks._callback import Callback
from jnet.callbacks._learning_rate import get_learning_rate
from jnet.layers.base import layer_variables

__all__ = ["TensorBoard"]


class TensorBoard(Callback):
    """Writes Keras's TensorBoard scalars with the ``tensorboardX`` event writer.

    Tags and folders are Keras 3's: at each epoch end, ``log_dir/train`` gets
    ``epoch_<key>`` for the training logs plus ``epoch_learning_rate``, and
    ``log_dir/validation`` gets ``epoch_<key>`` for the ``val_*`` logs (prefix removed) and
    ``evaluation_<key>_vs_iterations`` (step = optimizer iterations) after each validation.
    With ``update_freq='batch'`` or an integer N, ``batch_<key>`` is written every N
    training batches (which makes ``fit`` fetch batch logs). ``histogram_freq=N`` writes
    ``<layer>/<weight>/histogram`` every N epochs.

    Needs the ``tensorboard`` extra (``pip install 'jnet[tensorboard]'``, for ``tensorboardX``);
    it is imported only when the first event is written.

    Args:
        log_dir: the folder for the event files. Default ``'logs'``.
        histogram_freq: epochs between weight histograms; 0 for none. Default 0.
        write_graph, write_images, write_steps_per_second, profile_batch, embeddings_freq,
            embeddings_metadata: accepted for Keras compatibility; graphs, images,
            profiles and embeddings are not written (``profile_batch`` and
            ``embeddings_freq`` must be 0).
        update_freq: ``'epoch'``, ``'batch'`` or a number of batches. Default ``'epoch'``.

    Example:
        >>> import os, tempfile, numpy as np, jnet
        >>> logs = tempfile.mkdtemp()
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0,
        ...               callbacks=[jnet.callbacks.TensorBoard(logs)])
        >>> sorted(os.listdir(logs))
        ['train']
    """

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
    ):
        super().__init__()
        if profile_batch:
            raise errors.JnetValueError(
                f"TensorBoard profiling is not supported by jnet; received "
                f"profile_batch={profile_batch!r} (must be 0). Use jax.profiler instead."
            )
        if embeddings_freq:
            raise errors.JnetValueError(
                f"TensorBoard embeddings are not supported by jnet; received "
                f"embeddings_freq={embeddings_freq!r} (must be 0)."
            )
        update_freq = 1 if update_freq == "batch" else update_freq
        if update_freq != "epoch" and (
            isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq < 1
        ):
            raise errors.JnetValueError(
                f"update_freq must be 'epoch', 'batch' or a positive integer, received "
                f"{update_freq!r}."
            )
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers: dict[str, Any] = {}
        self._global_train_batch = 0
        self._global_test_batch = 0

    def needs_batch_logs(self) -> bool:
        return self.update_freq != "epoch"

    def _writer(self, which: str) -> Any:
        if which not in self._writers:
            writer = errors.require("tensorboardX", "tensorboard", "jnet.callbacks.TensorBoard")
            folder = self._train_dir if which == "train" else self._val_dir
            self._writers[which] = writer.SummaryWriter(logdir=folder)
        return self._writers[which]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if self.update_freq == "epoch" or step % self.update_freq != 0:
            return
        writer = self._writer("train")
        for name, value in (logs or {}).items():
            if np.ndim(value) == 0:
                writer.add_scalar(f"batch_{name}", float(value), global_step=step)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_test_end(self, logs=None):
        state = getattr(self.model, "train_state", None)
        if state is None or not logs:
            return
        iterations = int(state.step)
        writer = self._writer("val")
        for name, value in logs.items():
            writer.add_scalar(
                f"evaluation_{name}_vs_iterations", float(value), global_step=iterations
            )
        writer.flush()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _log_epoch_metrics(self, epoch: int, logs) -> None:
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        if getattr(self.model, "optimizer", None) is not None:
            try:
                train_logs["learning_rate"] = get_learning_rate(self.model)
            except (errors.JnetError, TypeError):  # a raw optax transformation
                pass
        if train_logs:
            writer = self._writer("train")
            for name, value in train_logs.items():
                writer.add_scalar(f"epoch_{name}", float(value), global_step=epoch)
            writer.flush()
        if val_logs:
            writer = self._writer("val")
            for name, value in val_logs.items():
                writer.add_scalar(f"epoch_{name[4:]}", float(value), global_step=epoch)
            writer.flush()

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        variables = self.model.variables
        for layer in self.model.layers:
            own = layer_variables(variables, layer.name)
            for path, value in zip(
                layer.weight_paths(own), layer.keras_weights(own), strict=True
            ):
                tag = f"{layer.name}/{path[-1]}/histogram"
                writer.add_histogram(tag, np.asarray(value), global_step=epoch)
        writer.flush()
