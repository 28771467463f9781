"""The epoch loops of ``fit``, ``evaluate`` and ``predict``: data adapters in, callbacks called.

The model's facade checks the arguments, builds the data adapters
(:mod:`jnet.training.data_adapters`) and the callback list, and calls :func:`fit`,
:func:`evaluate` or :func:`predict` here. The runner never sees the model class or the
callbacks package: it is given

* a state holder: an object with a ``train_state`` attribute (read, and replaced after every
  dispatch, since the donated buffers are gone), ``stop_training`` (read after the hooks that
  may set it) and ``resume_epoch`` (read after ``on_train_begin``: a restored run resumes
  there). ``jnet.Model`` is one; the state is re-read after every hook, since a callback may
  replace it (restored weights, a new learning rate);
* the callbacks object: anything with the ``on_*`` hooks, ``needs_batch_logs()`` and
  ``only_records_history()`` (``jnet.callbacks.CallbackList``).

A state whose spec is a :class:`jnet.training.custom_step.CustomStepSpec` (a model class that
overrides Keras's step hooks) runs that model's own compiled steps instead of the built-in
ones (:func:`_engine`); the loops are the same.

One chunk loop (:func:`_run_chunks`) serves the three: each dispatch runs ``k`` steps on the
device, streamed chunks are bounded in flight, and per-batch hooks run only when a callback
needs batch logs (then ``k`` is 1). Logs stay on the device until a hook needs them. A live
progress bar (``callbacks.wants_progress()``) is fed per chunk, at most ten times a second,
through ``callbacks.on_progress``: the steps stay scanned.

Example:
    >>> epoch_logs({"loss": 0.5}, {"loss": 0.75})
    {'loss': 0.5, 'val_loss': 0.75}
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import jax
import numpy as np

from jnet import config, errors
from jnet.training import custom_step, dispatch, loop
from jnet.training import data as data_lib
from jnet.training.data_adapters import ArrayAdapter, Chunk
from jnet.training.outputs import CompiledOutputs
from jnet.training.state import TrainState
from jnet.training.steps import compute_logs

__all__ = [
    "debug_caps", "describe_training", "epoch_logs", "evaluate", "fit", "predict", "verbosity",
]


def debug_caps(epochs: int, steps_per_epoch: int | None) -> tuple[int, int | None]:
    """``fit``'s epochs and steps per epoch, capped by ``jnet.config.set_max_epochs`` and
    ``set_max_steps_per_epoch`` (debugging runs), with Keras's warning when a cap applies."""
    cap = config.max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        epochs = cap
    cap = config.max_steps_per_epoch()
    if cap and (not steps_per_epoch or cap < steps_per_epoch):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        steps_per_epoch = cap
    return epochs, steps_per_epoch


def fit(
    holder: Any,
    train: Any,
    val: Any,
    callbacks: Any,
    *,
    epochs: int,
    initial_epoch: int,
    validation_freq: int | tuple[int, ...],
    steps_per_execution: int | str,
    shuffle_rng: np.random.Generator,
    describe: Callable[[], Any],
) -> None:
    """Trains ``holder.train_state`` for ``epochs`` over the adapter ``train``.

    Args:
        holder: the state holder (see the module docstring).
        train, val: the data adapters (``val`` None: no validation).
        callbacks: the callbacks object.
        epochs, initial_epoch, validation_freq: as ``fit``'s.
        steps_per_execution: ``compile``'s; ``'auto'`` on arrays measures whether a whole
            epoch or one step per dispatch is faster (:mod:`jnet.training.dispatch`).
        shuffle_rng: the generator of the epochs' permutations.
        describe: the model's part of the measured dispatch decision's key (called only when
            the decision is measured): :func:`describe_training`.
    """
    batch_logs = callbacks.needs_batch_logs()
    run_train, _, logs_of = _engine(holder.train_state)
    k = train.steps_per_dispatch(steps_per_execution, batch_logs)
    if steps_per_execution == "auto" and not batch_logs and (
        type(train) is ArrayAdapter and not loop.multi_process()
    ):  # measured, not assumed: scanned chunks, or a dispatch per step (not
        # with several processes: they must dispatch the same steps in lockstep)
        batches = train.num_batches
        if dispatch.choose(
            _dispatch_key(describe(), train), batches, run_train, holder.train_state,
            train.device_data(), train.batch_size,
        ) == 1 and batches > 1:
            k = 1
    in_flight = loop.InFlight()  # streamed chunks: one on the device, one being gathered
    logs_of_epoch: dict[str, float] = {}
    nan_loss = _NanLossWarning()  # once per fit, from logs that are fetched anyway
    # With History as the only listener, each epoch's logs stay on the device until the end
    # of fit: the host never waits for an epoch (500 one-batch epochs: 0.071 -> 0.056 s).
    deferred: list[tuple[int, Any, Any]] | None = (
        [] if callbacks.only_records_history() else None
    )

    def train_chunk(chunk: Chunk) -> Any:
        state, logs = run_train(holder.train_state, chunk.data, chunk.idx, *chunk.valid_args)
        holder.train_state = state  # the donated buffers are gone: track the new
        return logs

    try:
        callbacks.on_train_begin()
        initial_epoch = holder.resume_epoch or initial_epoch
        for epoch in range(initial_epoch, epochs):
            holder.train_state = holder.train_state.reset_metrics()
            callbacks.on_epoch_begin(epoch)

            def batch_end(batch: int, logs: Any, epoch: int = epoch) -> None:
                fetched = loop.fetch(logs)
                nan_loss(fetched, epoch, batch, stacklevel=6)  # the user's fit call
                callbacks.on_train_batch_end(batch, fetched)

            logs = _run_chunks(
                train.epoch(k, shuffle_rng), train_chunk, in_flight,
                callbacks.on_train_batch_begin if batch_logs else None,
                batch_end if batch_logs else None,
                lambda: holder.stop_training,
                _progress(callbacks, batch_logs),
            )
            state = holder.train_state
            logs = logs if logs is not None else logs_of(state)
            validate = val is not None and data_lib.should_validate(epoch, validation_freq)
            if deferred is not None:
                val_logs = None
                if validate:
                    val_logs, val_state = _run_eval(state, val, steps_per_execution, fetch=False)
                    _keep_model_state(holder, val_state)
                deferred.append((epoch, logs, val_logs))
                continue
            val_logs = None
            if validate:
                callbacks.on_test_begin()
                val_logs, val_state = _run_eval(state, val, steps_per_execution, callbacks)
                _keep_model_state(holder, val_state)
                callbacks.on_test_end(val_logs)
            logs_of_epoch = epoch_logs(loop.fetch(logs), val_logs)
            nan_loss(logs_of_epoch, epoch, stacklevel=4)
            callbacks.on_epoch_end(epoch, logs_of_epoch)
            if holder.stop_training:
                break
        logs_of_epoch = _flush_deferred(deferred, callbacks, nan_loss) or logs_of_epoch
        callbacks.on_train_end(logs_of_epoch)
    finally:
        _flush_deferred(deferred, callbacks, nan_loss)  # an interrupted fit keeps its epochs


def _keep_model_state(holder: Any, evaluated: TrainState) -> None:
    """Carries into training the non-trainable variables that validation changed (a
    Keras-style layer's ``assign`` in inference; Keras's next epoch starts from them)."""
    if evaluated.model_state:
        holder.train_state = holder.train_state.replace(model_state=evaluated.model_state)


def evaluate(
    state: TrainState, data: Any, callbacks: Any, steps_per_execution: int | str
) -> tuple[dict[str, float], TrainState]:
    """Loss and metrics of ``state`` over one pass of the adapter ``data``, between the
    callbacks' ``on_test_begin`` and ``on_test_end``; returns them and the state after the
    pass (its ``model_state`` holds the non-trainable variables changed in inference)."""
    callbacks.on_test_begin()
    logs, state = _run_eval(state, data, steps_per_execution, callbacks)
    callbacks.on_test_end(logs)
    return logs, state


def predict(
    forward: Callable[..., Any],
    variables: Any,
    data: Any,
    callbacks: Any,
    steps_per_execution: int | str,
) -> Any:
    """``(outputs, model_state)``: the outputs of ``forward`` (inference mode) with
    ``variables`` over one pass of the adapter ``data``, concatenated on the host, between
    ``on_predict_begin`` and ``on_predict_end``, and the non-trainable collections after the
    pass (changed by layers that ``assign`` in inference)."""
    batch_logs = callbacks.needs_batch_logs()
    k = data.steps_per_dispatch(steps_per_execution, batch_logs)
    callbacks.on_predict_begin()
    parts: list[Any] = []
    rest = {c: t for c, t in variables.items() if c != "params"}

    def predict_chunk(chunk: Chunk) -> Any:
        nonlocal rest
        out, rest = loop.predict_chunk(
            forward, {"params": variables.get("params", {}), **rest}, chunk.data[0], chunk.idx,
            *chunk.valid_args,
        )
        # Padding steps of a short block are dropped.
        if chunk.steps != chunk.idx.shape[0]:
            out = jax.tree_util.tree_map(lambda a: a[: chunk.steps], out)
        parts.append(out)
        return out

    def batch_end(batch: int, out: Any) -> None:
        callbacks.on_predict_batch_end(batch, {"outputs": parts[-1]})

    _run_chunks(
        data.epoch(k), predict_chunk, loop.InFlight(),
        callbacks.on_predict_batch_begin if batch_logs else None,
        batch_end if batch_logs else None,
        progress=_progress(callbacks, batch_logs, with_logs=False),
    )
    if not parts:
        raise errors.JnetValueError(f"predict received no batches from the {data.kind}.")
    outputs = loop.concat_predictions(parts)
    callbacks.on_predict_end()
    return outputs, rest


def _run_chunks(
    chunks: Iterable[Chunk],
    run: Callable[[Chunk], Any],
    in_flight: loop.InFlight,
    batch_begin: Callable[[int], None] | None = None,
    batch_end: Callable[[int, Any], None] | None = None,
    stop: Callable[[], bool] | None = None,
    progress: _LiveProgress | None = None,
) -> Any:
    """The chunk loop of fit, evaluate and predict: ``run(chunk)`` for every chunk; with
    batch hooks (one step per chunk), ``batch_begin(index)`` before and
    ``batch_end(index, result)`` after each, and ``stop()`` asked after ``batch_end``; with a
    live progress bar, ``progress(steps done, result)`` after each.
    Returns the last chunk's result (None when there was no chunk)."""
    done = 0
    result = None
    for chunk in chunks:
        if batch_begin is not None:
            batch_begin(done)
        result = run(chunk)
        in_flight.add(result, chunk.streamed)
        done += chunk.steps
        if progress is not None:
            progress(done, result)
        if batch_end is not None:
            batch_end(done - 1, result)
            if stop is not None and stop():
                break
    return result


class _LiveProgress:
    """Feeds a live progress bar from the chunks as they finish, without slowing them.

    After each dispatch it waits for the chunk before it (the device always has the next one
    queued, so it never idles), and, at most every ``interval`` seconds, fetches that chunk's
    logs (a few scalars) and hands them to ``callbacks.on_progress``. The epoch's last chunk
    is drawn by the epoch's end, as before.
    """

    def __init__(self, callbacks: Any, with_logs: bool, interval: float = 0.1):
        self.callbacks = callbacks
        self.with_logs = with_logs
        self.interval = interval
        self._pending: tuple[int, Any] | None = None
        self._last = time.monotonic()

    def __call__(self, done: int, result: Any) -> None:
        previous, self._pending = self._pending, (done, result)
        if previous is None:
            return
        jax.block_until_ready(previous[1])
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        self.callbacks.on_progress(previous[0], loop.fetch(previous[1]) if self.with_logs else None)


def _progress(callbacks: Any, batch_logs: bool, with_logs: bool = True) -> _LiveProgress | None:
    """A live progress feed when a callback draws one and batch hooks do not already run."""
    if batch_logs or not getattr(callbacks, "wants_progress", lambda: False)():
        return None
    return _LiveProgress(callbacks, with_logs)


def _run_eval(
    state: TrainState,
    data: Any,
    steps_per_execution: int | str,
    callbacks: Any = None,
    fetch: bool = True,
):
    """``(logs, state)``: loss and metrics over one pass of the adapter ``data`` (left on
    the device when ``fetch`` is False), and the state after it."""
    state = state.reset_metrics()
    _, run_eval, logs_of = _engine(state)
    batch_logs = callbacks is not None and callbacks.needs_batch_logs()
    data.reset()
    k = data.steps_per_dispatch(steps_per_execution, batch_logs)

    def eval_chunk(chunk: Chunk) -> Any:
        nonlocal state
        state, logs = run_eval(state, chunk.data, chunk.idx, *chunk.valid_args)
        return logs

    def batch_end(batch: int, logs: Any) -> None:
        callbacks.on_test_batch_end(batch, loop.fetch(logs))

    logs = _run_chunks(
        data.epoch(k), eval_chunk, loop.InFlight(),
        callbacks.on_test_batch_begin if batch_logs else None,
        batch_end if batch_logs else None,
        progress=_progress(callbacks, batch_logs) if callbacks is not None else None,
    )
    logs = logs if logs is not None else logs_of(state)
    return (loop.fetch(logs) if fetch else logs), state


def _engine(state: TrainState) -> tuple[Callable, Callable, Callable]:
    """``(train_chunk, eval_chunk, compute_logs)`` for ``state``: the model's own hooks when
    its spec is a custom one, else the built-in steps."""
    if isinstance(state.spec, custom_step.CustomStepSpec):
        return custom_step.train_chunk, custom_step.eval_chunk, custom_step.compute_logs
    return loop.train_chunk, loop.eval_chunk, compute_logs


def describe_training(layers: Any, optimizer: Any, loss: Any, metrics_names: Any) -> list:
    """The model's part of the 'auto' dispatch key: its layers' configs, the optimizer's
    type, the losses and the metric names."""
    return [[type(layer).__name__, layer.get_config()] for layer in layers] + [
        type(optimizer).__name__, _loss_description(loss), metrics_names
    ]


def _dispatch_key(description: Any, train: ArrayAdapter) -> str:
    """What the 'auto' dispatch decision depends on: the model's ``description``, the
    batches, the device."""
    device = jax.devices()[0]
    arrays = train.arrays
    if any(isinstance(a, list | tuple | dict) for a in arrays):  # several inputs/outputs
        arrays = jax.tree_util.tree_leaves(arrays)
    return dispatch.decision_key(
        description, dispatch.describe_batches(arrays, train.batch_size),
        f"{device.platform}:{device.device_kind}",
    )


def _loss_description(loss: Any) -> Any:
    if isinstance(loss, CompiledOutputs):
        return [[o.name, getattr(o.loss, "name", str(o.loss)), o.weight] for o in loss.losses]
    return getattr(loss, "name", str(loss))


def epoch_logs(logs: dict[str, float], val_logs: dict[str, float] | None) -> dict[str, float]:
    """An epoch's logs as Keras on TensorFlow reports them: the training keys and the
    ``val_``-prefixed ones, all sorted (``'val_value_loss'`` before ``'value_loss'``)."""
    return dict(sorted({**logs, **{f"val_{k}": v for k, v in (val_logs or {}).items()}}.items()))


def _flush_deferred(
    deferred: list | None, callbacks: Any, nan_loss: _NanLossWarning | None = None
) -> dict[str, float]:
    """Hands the epochs whose logs stayed on the device to the callbacks (History), fetched in
    one transfer; returns the last epoch's logs ({} when there were none)."""
    if not deferred:
        return {}
    fetched = loop.fetch([(logs, val_logs) for _, logs, val_logs in deferred])
    epochs = [epoch for epoch, _, _ in deferred]
    deferred.clear()
    logs_of_epoch: dict[str, float] = {}
    for epoch, (logs, val_logs) in zip(epochs, fetched, strict=True):
        logs_of_epoch = epoch_logs(logs, val_logs)
        if nan_loss is not None:
            nan_loss(logs_of_epoch, epoch, stacklevel=5)
        callbacks.on_epoch_end(epoch, logs_of_epoch)
    return logs_of_epoch


class _NanLossWarning:
    """Warns once per ``fit`` when the loss in fetched logs is NaN or infinite, naming the
    epoch (and the batch when batch logs are fetched). It reads only logs that ``fit`` fetches
    anyway: no extra host sync per step."""

    def __init__(self) -> None:
        self.warned = False

    def __call__(
        self, logs: dict[str, Any], epoch: int, batch: int | None = None, stacklevel: int = 3
    ) -> None:
        loss = logs.get("loss")
        if self.warned or loss is None or np.isfinite(loss):
            return
        self.warned = True
        warnings.warn(
            errors.nan_loss_message(epoch, batch, float(loss)), errors.NanLossWarning,
            stacklevel=stacklevel,
        )


def verbosity(verbose: Any) -> int:
    """``fit``'s ``verbose`` as 0, 1 or 2: ``'auto'`` and ``True`` are 1, ``False`` and
    ``None`` are 0 (Keras adds a progress bar for ``verbose != 0`` and its bar prints for 1
    and 2 only, so ``None`` is silent there too).

    Example:
        >>> verbosity("auto"), verbosity(2), verbosity(True), verbosity(False), verbosity(None)
        (1, 2, 1, 0, 0)
    """
    if isinstance(verbose, str) and verbose == "auto":
        return 1
    if verbose is None:
        return 0
    if isinstance(verbose, bool | np.bool_):
        return int(verbose)
    if isinstance(verbose, int | np.integer) and verbose in (0, 1, 2):
        return int(verbose)
    raise errors.JnetValueError(
        f"verbose must be 'auto', 0, 1, 2, True, False or None, received "
        f"{errors.describe(verbose)}."
    )
