""":class:`CallbackList`: calls every hook on each callback, in order, as Keras does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jnet import errors
from jnet.callbacks._callback import BATCH_HOOKS, Callback, Logs
from jnet.callbacks._learning_rate import push_learning_rate
from jnet.callbacks.history import History
from jnet.callbacks.progbar_logger import ProgbarLogger

__all__ = ["CallbackList"]


class CallbackList(Callback):
    """Calls every hook on each callback in order; adds History and ProgbarLogger as Keras does.

    Like Keras, the added :class:`History` and :class:`ProgbarLogger` go after the user's
    callbacks (so the progress line shows keys that callbacks add, such as
    ``learning_rate``). After every hook a changed ``model.optimizer.learning_rate`` is
    written into the live training state, so Keras-style callbacks that assign it work.

    Args:
        callbacks: the user's callbacks (a list, possibly nested).
        add_history: append a :class:`History` unless one is given (``fit``).
        add_progbar: append a :class:`ProgbarLogger` unless one is given (``verbose != 0``).
        model: the model handed to every callback.
        params: ``{'epochs', 'steps', 'verbose'}`` handed to every callback; Keras's
            keyword form ``CallbackList(cbs, epochs=2, steps=10, verbose=1)`` works too.

    Example:
        >>> import jnet
        >>> cbs = jnet.callbacks.CallbackList([], add_history=True, epochs=1, steps=1, verbose=0)
        >>> [type(c).__name__ for c in cbs.callbacks]
        ['History']
    """

    def __init__(
        self,
        callbacks: Iterable[Callback] | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        params: dict[str, Any] | None = None,
        **kwargs: Any,
    ):
        super().__init__()
        self.callbacks = _flatten(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise errors.JnetTypeError(
                    f"callbacks must be jnet.callbacks.Callback instances, received "
                    f"{errors.describe(cb)}. Subclass jnet.callbacks.Callback (or use "
                    f"jnet.callbacks.LambdaCallback for plain functions)."
                )
        self.history: History | None = next(
            (c for c in self.callbacks if isinstance(c, History)), None
        )
        if self.history is None and add_history:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        params = {**(params or {}), **kwargs}
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback: Callback) -> None:
        """Adds a callback at the end."""
        self.callbacks.append(callback)

    def set_model(self, model):
        super().set_model(model)
        if self.history is not None and model is not None:
            model.history = self.history
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)

    def needs_batch_logs(self) -> bool:
        return any(cb.needs_batch_logs() for cb in self.callbacks)

    def wants_progress(self) -> bool:
        """Whether a callback draws a live progress bar (:meth:`on_progress` is worth calling:
        ``fit`` then waits for each chunk of steps, one chunk behind the device)."""
        return any(getattr(cb, "wants_progress", lambda: False)() for cb in self.callbacks)

    def on_progress(self, steps_done: int, logs: Logs | None = None) -> None:
        """``steps_done`` steps of the current pass have run; ``logs``: their running logs
        (None in ``predict``). Handed to the callbacks that draw progress."""
        for cb in self.callbacks:
            if getattr(cb, "wants_progress", lambda: False)():
                cb.on_progress(steps_done, logs)

    def only_records_history(self) -> bool:
        """Whether the only callback is jnet's own :class:`History` (no progress bar, no user
        callback): then nothing reads an epoch's logs before ``fit`` returns, and ``fit`` may
        fetch them from the device all at once at the end."""
        return all(type(cb) is History for cb in self.callbacks)

    def _call(self, hook: str, *args: Any, logs: Logs | None = None) -> None:
        # As Keras: logs is always a dict, passed by keyword to batch hooks and by position
        # to the others.
        logs = {} if logs is None else logs
        by_keyword = hook in BATCH_HOOKS
        model = self.model
        for cb in self.callbacks:
            if by_keyword:
                getattr(cb, hook)(*args, logs=logs)
            else:
                getattr(cb, hook)(*args, logs)
            if model is not None:
                push_learning_rate(model)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, logs=logs)

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
        if self.model is not None:  # an optimizer.learning_rate set between fits applies now
            push_learning_rate(self.model)
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


def _flatten(callbacks: Any) -> list[Any]:
    if callbacks is None:
        return []
    if isinstance(callbacks, list | tuple):
        return [c for item in callbacks for c in _flatten(item)]
    return [callbacks]
