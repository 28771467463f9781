""":class:`LearningRateScheduler`: set the learning rate at the start of every epoch."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jnet import errors
from jnet.callbacks._callback import Callback
from jnet.callbacks._learning_rate import get_learning_rate, set_learning_rate

__all__ = ["LearningRateScheduler"]


class LearningRateScheduler(Callback):
    """Sets the learning rate to ``schedule(epoch)`` (or ``schedule(epoch, lr)``) each epoch.

    The rate is written into the live optimizer state, so the compiled train step is reused
    (no recompilation). At each epoch's end ``logs['learning_rate']`` records the rate, as
    in Keras, and so appears in ``history.history``.

    Args:
        schedule: ``f(epoch) -> float`` or ``f(epoch, lr) -> float`` (epoch counts from 0).
        verbose: 1 prints the new rate each epoch. Default 0.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> cb = jnet.callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))
        >>> h = model.fit(np.ones((4, 1)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[cb])
        >>> [round(lr, 4) for lr in h.history["learning_rate"]]
        [0.1, 0.05]
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        try:  # Keras tries schedule(epoch, lr) first, then schedule(epoch)
            learning_rate = self.schedule(epoch, get_learning_rate(self.model))
        except TypeError:
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, float | np.float32 | np.float64):
            raise errors.JnetValueError(
                f"The output of the `schedule` function should be a float. Got: {learning_rate}"
            )
        set_learning_rate(self.model, float(learning_rate))
        if self.verbose > 0:
            print(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                f"{learning_rate}."
            )

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model)
