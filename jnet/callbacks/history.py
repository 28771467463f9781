""":class:`History`: every epoch's logs, returned by ``fit``."""

from __future__ import annotations

from jnet.callbacks._callback import Callback

__all__ = ["History"]


class History(Callback):
    """Records every epoch's logs: ``history.history['loss']``, ``history.epoch``.

    ``fit`` returns it, and it is also ``model.history``. As in Keras, ``history`` keeps
    growing across ``fit`` calls while ``epoch`` restarts.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0)
        >>> h.epoch, sorted(h.history)
        ([0, 1], ['loss'])
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
