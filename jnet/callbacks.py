"""Keras's callback protocol: hooks called by ``fit``, ``evaluate`` and ``predict``.

A callback sees ``self.model`` (so ``self.model.stop_training = True`` ends ``fit``) and
``self.params`` (``epochs``, ``steps``, ``verbose``). Hooks receive ``logs`` dicts with Keras's
keys (``loss``, metric names, ``val_*``) holding Python floats.

Batch hooks are costly on an accelerator: their logs must be fetched from the device. jnet
fetches them only when some callback overrides a batch hook; otherwise an epoch runs with no
host synchronisation at all.

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

from collections.abc import Iterable
from typing import Any

from jnet.utils.progbar import Progbar

_BATCH_HOOKS = (
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
    """Base class: override the hooks you need. Every hook takes ``logs=None``."""

    def __init__(self):
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def needs_batch_logs(self) -> bool:
        """Whether this callback reads per-batch logs (True when it overrides a batch hook)."""
        return any(getattr(type(self), h) is not getattr(Callback, h) for h in _BATCH_HOOKS)

    # Keras 3 routes the legacy on_batch_* names through on_train_batch_*.
    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass


class CallbackList(Callback):
    """Calls every hook on each callback in order; adds History and ProgbarLogger as Keras does.

    Args:
        callbacks: the user's callbacks.
        add_history: append a :class:`History` (``fit``).
        add_progbar: append a :class:`ProgbarLogger` (when ``verbose`` is non-zero).
        model: the model handed to every callback.
        params: ``{'epochs', 'steps', 'verbose'}`` handed to every callback.
    """

    def __init__(
        self,
        callbacks: Iterable[Callback] | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        params: dict[str, Any] | None = None,
    ):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                from jnet import errors

                raise errors.JnetTypeError(
                    f"callbacks must be jnet.callbacks.Callback instances, received "
                    f"{type(cb).__name__}. Subclass jnet.callbacks.Callback."
                )
        self.history: History | None = None
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        if add_history:
            existing = [c for c in self.callbacks if isinstance(c, History)]
            self.history = existing[0] if existing else History()
            if not existing:
                self.callbacks.append(self.history)
        if model is not None:
            self.set_model(model)
        if params is not None:
            self.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)

    def needs_batch_logs(self) -> bool:
        return any(cb.needs_batch_logs() for cb in self.callbacks)

    def _call(self, hook: str, *args, logs=None):
        for cb in self.callbacks:
            getattr(cb, hook)(*args, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)


class History(Callback):
    """Records every epoch's logs: ``history.history['loss']``, ``history.epoch``.

    ``fit`` returns it, and it is also ``model.history``.
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


class ProgbarLogger(Callback):
    """Prints Keras's progress lines (``verbose=1``: a bar per epoch; ``2``: one line).

    Lines look like Keras 3's:
    ``Epoch 1/5`` then ``32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 1ms/step - loss: 0.2500``.
    """

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self._bar: Progbar | None = None
        self._mode = "train"

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1)

    def needs_batch_logs(self) -> bool:
        return self.verbose == 1 and Progbar(None).dynamic

    def _new_bar(self, steps):
        self._bar = Progbar(target=steps, verbose=self.verbose)

    def on_train_begin(self, logs=None):
        self._mode = "train"

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self._new_bar(self.params.get("steps"))

    def on_train_batch_end(self, batch, logs=None):
        if self._bar is not None and self._mode == "train":
            self._bar.update(batch + 1, list((logs or {}).items()))

    def on_epoch_end(self, epoch, logs=None):
        if self._bar is not None:
            steps = self.params.get("steps") or 0
            self._bar.update(steps, list((logs or {}).items()))

    def on_test_begin(self, logs=None):
        if self.model is None or not getattr(self.model, "_in_fit", False):
            self._mode = "test"
            self._new_bar(self.params.get("steps"))

    def on_test_end(self, logs=None):
        if self._mode == "test" and self._bar is not None:
            self._bar.update(self.params.get("steps") or 0, list((logs or {}).items()))

    def on_predict_begin(self, logs=None):
        self._mode = "predict"
        self._new_bar(self.params.get("steps"))

    def on_predict_end(self, logs=None):
        if self._bar is not None:
            self._bar.update(self.params.get("steps") or 0, [])


__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
