""":class:`TerminateOnNaN`: stop at the first batch whose loss is NaN or infinite."""

from __future__ import annotations

import numpy as np

from jnet.callbacks._callback import Callback

__all__ = ["TerminateOnNaN"]


class TerminateOnNaN(Callback):
    """Stops training at the batch where the loss becomes NaN or infinite.

    It reads every batch's loss, so ``fit`` fetches batch logs (one step per dispatch)
    while it is present.

    Args:
        raise_error: raise a ``RuntimeError`` instead of setting ``stop_training``.

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer=jnet.optimizers.SGD(1e30), loss="mse")
        >>> h = model.fit(np.full((64, 1), 1e10), np.ones((64, 1)), epochs=3, verbose=0,
        ...               callbacks=[jnet.callbacks.TerminateOnNaN()])  # doctest: +ELLIPSIS
        Batch ...: Invalid loss, terminating training
        >>> len(h.epoch)
        1
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    f"Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
