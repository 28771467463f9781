"""The Keras facade: ``compile``, ``fit``, ``evaluate``, ``predict`` over the pure engine.

``Model`` holds the current variables and moves data; every number is computed by the pure
steps in :mod:`jnet.training`. Subclasses (``Sequential``) provide the architecture:
``layers``, ``build(input_shape)``, ``forward(params, model_state, x, training, rng)`` and
``logits_activation()``.

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(units=1, input_shape=[1])])
    >>> model.compile(optimizer="sgd", loss="mean_squared_error")
    >>> xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    >>> h = model.fit(xs, 2 * xs - 1, epochs=3, verbose=0)
    >>> len(h.history["loss"])
    3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet import metrics as metrics_module
from jnet import optimizers as optimizers_module
from jnet.callbacks import CallbackList, History
from jnet.layers.base import layer_variables, with_layer_variables
from jnet.training import adapters, dispatch, loop
from jnet.training import data as data_lib
from jnet.training.state import StepSpec, TrainState
from jnet.training.steps import compute_logs
from jnet.utils import random as jrandom


class Model:
    """Base of jnet models: the training facade shared by every architecture."""

    def __init__(self, name: str | None = None):
        self.name = name or "model"
        self._variables: dict[str, Any] | None = None
        self._train_state: TrainState | None = None
        self._spec: StepSpec | None = None
        self.optimizer: Any = None
        self.loss: Any = None
        self.compiled = False
        self.stop_training = False
        self.history: History | None = None
        self._steps_per_execution: int | str = "auto"
        self._in_fit = False

    # -- to be provided by architectures ---------------------------------------------------

    @property
    def layers(self) -> list[Any]:
        raise NotImplementedError

    def build(self, input_shape: Sequence[int | None]) -> None:
        raise NotImplementedError

    def forward(self, params, model_state, x, training: bool = False, rng=None):
        """``(params, model_state, x) -> (y_pred, logits_or_None, new_model_state)``."""
        raise NotImplementedError

    def logits_activation(self) -> str | None:
        return None

    @property
    def input_shape(self) -> tuple[int | None, ...] | None:
        raise NotImplementedError

    # -- variables -------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        """Whether the weights exist, or can be created now (the input shape is known)."""
        return self._has_variables() or self.input_shape is not None

    def _has_variables(self) -> bool:
        return self._variables is not None or self._train_state is not None

    @property
    def variables(self) -> dict[str, Any]:
        """The model's current variables, ``{'params': {...}, 'batch_stats': {...}}``."""
        self._require_built("variables")
        if self._train_state is not None:
            return self._train_state.variables
        return self._variables

    def _set_variables(self, variables: dict[str, Any]) -> None:
        self._variables = dict(variables)
        if self._train_state is not None:
            rest = dict(variables)
            self._train_state = self._train_state.replace(
                params=rest.pop("params", {}), model_state=rest
            )

    def _require_built(self, what: str) -> None:
        """Creates the weights if the input shape is known, else explains how to give it."""
        if self._has_variables():
            return
        if self.input_shape is not None:
            self.build(self.input_shape)
            return
        raise errors.NotBuiltError(
                f"This model has not been built yet, so {what} does not exist. Give the first "
                f"layer input_shape=(...) (or start with jnet.Input(shape=(...))), call "
                f"model.build(input_shape), or call fit/predict on data first."
            )

    def init(self, key: jax.Array, x: Any = None) -> dict[str, Any]:
        """Fresh variables from ``key`` (pure; the model's own variables are unchanged).

        Args:
            key: a JAX PRNG key.
            x: a sample batch, needed only when the model does not know its input shape.
        """
        shape = self.input_shape
        if shape is None:
            if x is None:
                self._require_built("init")
            shape = (None, *np.shape(x)[1:])
        return self._init_variables(key, tuple(shape[1:]))

    def _init_variables(self, key, sample_shape):
        raise NotImplementedError

    def apply(self, variables, x, training: bool = False, rng=None, mutable: bool = False):
        """The model as a pure function of its variables.

        Args:
            variables: ``{'params': ..., 'batch_stats': ...}`` as ``init`` returns.
            x: an input batch.
            training: training mode (dropout on, batch statistics from the batch).
            rng: PRNG key for dropout/augmentation when ``training``.
            mutable: also return the updated non-trainable collections, Flax-style.

        Returns:
            ``y``, or ``(y, new_model_state)`` when ``mutable``.
        """
        variables = dict(variables)
        params = variables.pop("params", {})
        y, _, new_state = self.forward(params, variables, x, training=training, rng=rng)
        return (y, new_state) if mutable else y

    def __call__(self, x, training: bool = False):
        x = jnp.asarray(x)
        if self.input_shape is None:
            self.build((None, *x.shape[1:]))
        return self.apply(self.variables, x, training=training, rng=jrandom.next_key())

    def get_weights(self) -> list[np.ndarray]:
        """All weights as numpy arrays, layer by layer in Keras's order and layout."""
        self._require_built("get_weights()")
        variables = self.variables
        return [
            w
            for layer in self.layers
            for w in layer.keras_weights(layer_variables(variables, layer.name))
        ]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Sets all weights from a list in Keras's order (``keras_model.get_weights()``)."""
        self._require_built("set_weights()")
        variables = self.variables
        weights = list(weights)
        expected = sum(
            len(layer.weight_paths(layer_variables(variables, layer.name))) for layer in self.layers
        )
        if len(weights) != expected:
            raise errors.JnetValueError(
                f"set_weights expects a list of {expected} arrays for model {self.name!r}, "
                f"received {len(weights)}."
            )
        new = variables
        for layer in self.layers:
            own = layer_variables(variables, layer.name)
            count = len(layer.weight_paths(own))
            updated = layer.set_keras_weights(own, weights[:count])
            weights = weights[count:]
            new = with_layer_variables(new, layer.name, updated)
        self._set_variables(new)

    def count_params(self) -> int:
        """Number of scalars in all weights, trainable and not."""
        self._require_built("count_params()")
        return int(sum(np.size(v) for v in jax.tree_util.tree_leaves(self.variables)))

    def get_layer(self, name: str | None = None, index: int | None = None):
        """A layer by name or by index."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise errors.JnetValueError(
            f"No such layer: {name!r}. Existing layers are: {[lay.name for lay in self.layers]}."
        )

    # -- saving (see jnet.saving) ------------------------------------------------------------

    def save(self, filepath: Any, overwrite: bool = True) -> None:
        """Saves architecture, weights, optimizer state and compile config to one '.jnet' file."""
        from jnet import saving

        saving.save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Saves the weights to '.weights.safetensors' (jnet) or '.weights.h5' (Keras 3)."""
        from jnet import saving

        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False) -> None:
        """Loads weights from '.weights.safetensors', '.weights.h5' (Keras 3) or '.jnet'."""
        from jnet import saving

        saving.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    # -- compile ---------------------------------------------------------------------------

    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: Any = None,
        metrics: Sequence[Any] | None = None,
        weighted_metrics: Sequence[Any] | None = None,
        run_eagerly: bool = False,
        steps_per_execution: int | str = "auto",
        jit_compile: Any = "auto",
        auto_scale_loss: bool = True,
    ) -> None:
        """Configures training, with Keras's arguments.

        Args:
            optimizer: name (``'adam'``), :class:`jnet.optimizers.Optimizer`, or optax
                transformation. Default ``'rmsprop'`` as in Keras.
            loss: name, :class:`jnet.losses.Loss`, or callable ``(y_true, y_pred)``.
            metrics: list of names (``'accuracy'`` resolved by shape), metric objects or callables.
            steps_per_execution: training steps per device dispatch. ``'auto'`` (jnet's default,
                Keras's is 1) runs a whole epoch per dispatch unless a callback needs batch
                logs. Any value gives the same numbers; only speed changes.
            loss_weights, weighted_metrics, run_eagerly, jit_compile, auto_scale_loss: accepted
                for Keras compatibility; jnet always compiles.
        """
        if loss is None:
            raise errors.JnetValueError(
                "compile() needs a loss, e.g. loss='mean_squared_error' or "
                "loss='sparse_categorical_crossentropy'."
            )
        if metrics is not None and (isinstance(metrics, str) or not isinstance(metrics, Sequence)):
            raise errors.JnetTypeError(
                f"metrics must be a list, received {metrics!r}. Write metrics=[{metrics!r}]."
            )
        if weighted_metrics:
            raise errors.JnetValueError("weighted_metrics is not supported yet by jnet.")
        if not (steps_per_execution == "auto" or (
            isinstance(steps_per_execution, int) and steps_per_execution >= 1
        )):
            raise errors.JnetValueError(
                f"steps_per_execution must be a positive integer or 'auto', received "
                f"{steps_per_execution!r}."
            )
        if self._train_state is not None:  # keep the trained weights, drop the optimizer state
            self._variables = self._train_state.variables
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = loss
        self._loss_obj = losses_module.resolve(loss)
        self._metric_objs = [metrics_module.resolve(m) for m in (metrics or [])]
        self._steps_per_execution = steps_per_execution
        self._spec = None
        self._train_state = None
        self.compiled = True

    @property
    def metrics_names(self) -> list[str]:
        if not self.compiled:
            return []
        return ["loss", *(m.name for m in self._metric_objs)]

    def _require_compiled(self, call: str) -> None:
        if not self.compiled:
            raise errors.NotCompiledError(
                f"You must call compile() before {call}(): e.g. model.compile("
                f"optimizer='adam', loss='mse')."
            )

    def _state(self) -> TrainState:
        """The live training state, created on first use after ``compile``."""
        if self._train_state is None:
            self._require_built("the weights")
            if self._spec is None:
                self._spec = StepSpec.for_model(
                    self, self.optimizer, self._loss_obj, self._metric_objs
                )
            variables = self._variables
            self._train_state = TrainState.from_variables(
                self._spec, variables, jrandom.next_key()
            )
        return self._train_state

    # -- data ------------------------------------------------------------------------------

    def _prepare_x(self, x: Any, convert: bool = True) -> np.ndarray:
        x = data_lib.to_array(x, "x", convert=convert)
        if self.input_shape is None:
            self.build((None, *x.shape[1:]))
        self._require_built("the weights")
        sample_shape = tuple(self.input_shape[1:])
        x = data_lib.adjust_rank(x, sample_shape)
        data_lib.check_input_shape(x, sample_shape, self.layers[0].name)
        return x

    def _prepare(self, x, y, sample_weight=None, class_weight=None, convert=True):
        """Checked ``(x, y, sample_weight)``; ``convert=False`` leaves x and y uncast (streamed
        arrays are cast a chunk at a time)."""
        if y is None:
            raise errors.JnetValueError(
                "y is None: fit/evaluate on arrays need targets, e.g. model.fit(x, y)."
            )
        x = self._prepare_x(x, convert)
        y = data_lib.to_array(y, "y", integer_labels=True, convert=convert)
        if sample_weight is not None:
            sample_weight = data_lib.to_array(sample_weight, "sample_weight")
        data_lib.check_lengths({"x": x, "y": y, "sample_weight": sample_weight})
        if class_weight is not None:
            cw = data_lib.class_weight_to_sample_weight(y, class_weight)
            sample_weight = cw if sample_weight is None else sample_weight * cw
        self._check_targets(y)
        return x, y, sample_weight

    def _check_targets(self, y: np.ndarray) -> None:
        """Validates labels that the loss would index with (sparse cross-entropy)."""
        loss = self._loss_obj
        out_shape = (y.shape[0], *tuple(self.output_shape)[1:])
        fn = getattr(loss, "fn", None)
        if hasattr(loss, "function_for"):
            fn = loss.function_for(
                jax.ShapeDtypeStruct(y.shape, data_lib.model_dtype(y.dtype, integer_labels=True)),
                jax.ShapeDtypeStruct(out_shape, jnp.float32),
            )
        if fn is losses_module.sparse_categorical_crossentropy and out_shape[-1] is not None:
            kwargs = getattr(loss, "_fn_kwargs", {})
            data_lib.check_sparse_labels(
                y, int(out_shape[-1]), getattr(loss, "name", "sparse_categorical_crossentropy"),
                kwargs.get("ignore_class"),
            )

    # -- fit / evaluate / predict ----------------------------------------------------------

    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: int | str = "auto",
        callbacks: Sequence[Any] | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
    ) -> History:
        """Trains the model, as Keras's ``fit``; returns a :class:`History`.

        ``x`` is an array (numpy, JAX, ``np.memmap``) with targets ``y``, or a source of
        ``(x, y[, sample_weight])`` batches: a generator or iterable, a
        :class:`jnet.utils.PyDataset`, or a ``tf.data.Dataset`` (then ``y`` stays None; give
        ``steps_per_epoch`` for an endless source). ``validation_data`` takes the same kinds.
        Arrays over 512 MB and memmaps are streamed to the device a chunk at a time.

        ``validation_split`` takes the last fraction of the data before shuffling, and the last
        partial batch is kept, as in Keras. The epoch loss is the sample-weighted mean of the
        batch losses.
        """
        self._require_compiled("fit")
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        epochs = data_lib.positive_int("epochs", epochs) if epochs != 0 else 0
        if not isinstance(initial_epoch, int) or initial_epoch < 0:
            raise errors.JnetValueError(
                f"initial_epoch must be a non-negative integer, received {initial_epoch!r}."
            )
        steps_per_epoch = data_lib.positive_int(
            "steps_per_epoch", steps_per_epoch, allow_none=True
        )
        validation_freq = data_lib.positive_int("validation_freq", validation_freq)
        verbose = _verbosity(verbose)
        val_batch_size = data_lib.positive_int(
            "validation_batch_size", validation_batch_size, allow_none=True
        ) or batch_size
        validation_steps = data_lib.positive_int(
            "validation_steps", validation_steps, allow_none=True
        )
        train = self._adapt(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch, shuffle=shuffle,
            class_weight=class_weight,
        )
        val = None
        if validation_data is not None:
            val = self._adapt(
                *_unpack_validation(validation_data), batch_size=val_batch_size,
                steps=validation_steps, steps_argument="validation_steps",
            )
        elif validation_split:
            if not isinstance(train, adapters.ArrayAdapter):
                raise errors.JnetValueError(
                    f"validation_split is only supported for arrays, but x is a {train.kind}. "
                    f"Pass validation_data instead."
                )
            train, val = train.split(validation_split, val_batch_size, validation_steps)

        num_batches = train.num_batches
        state = self._state()
        shuffle_rng = jrandom.numpy_generator()

        cbs = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": epochs, "steps": num_batches},
        )
        batch_logs = cbs.needs_batch_logs()
        k = train.steps_per_dispatch(self._steps_per_execution, batch_logs)
        if self._steps_per_execution == "auto" and not batch_logs and (
            type(train) is adapters.ArrayAdapter
        ):  # measured, not assumed: a whole epoch per dispatch, or a dispatch per step
            k = dispatch.choose(
                self._dispatch_key(train), k, loop.train_chunk, state, train.device_data(),
                batch_size,
            )
        self.stop_training = False
        self._in_fit = True
        # Besides the train state, BackupAndRestore saves/restores these two.
        self._shuffle_rng = shuffle_rng
        self._initial_epoch = None
        in_flight = loop.InFlight()  # streamed chunks: one on the device, one being gathered
        epoch_logs: dict[str, float] = {}
        # With History as the only listener, each epoch's logs stay on the device until the end
        # of fit: the host never waits for an epoch (500 one-batch epochs: 0.071 -> 0.056 s).
        deferred: list[tuple[int, Any, Any]] | None = (
            [] if cbs.only_records_history() else None
        )
        try:
            cbs.on_train_begin()
            # A hook may replace self._train_state (restored weights, a new learning rate):
            # it is re-read after every hook.
            state = self._train_state
            initial_epoch = self._initial_epoch or initial_epoch
            for epoch in range(initial_epoch, epochs):
                self._train_state = state.reset_metrics()
                cbs.on_epoch_begin(epoch)
                state = self._train_state
                done = 0
                logs = None
                for chunk in train.epoch(k, shuffle_rng):
                    if batch_logs:
                        cbs.on_train_batch_begin(done)
                        state = self._train_state
                    state, logs = loop.train_chunk(
                        state, chunk.data, chunk.idx, *chunk.valid_args
                    )
                    self._train_state = state  # the donated buffers are gone: track the new
                    in_flight.add(logs, chunk.streamed)
                    done += chunk.steps
                    if batch_logs:
                        cbs.on_train_batch_end(done - 1, loop.fetch(logs))
                        state = self._train_state
                        if self.stop_training:
                            break
                logs = logs if logs is not None else compute_logs(state)
                self._train_state = state
                validate = val is not None and (epoch + 1) % validation_freq == 0
                if deferred is not None:
                    val_logs = self._run_eval(state, val, fetch=False) if validate else None
                    deferred.append((epoch, logs, val_logs))
                    continue
                val_logs = None
                if validate:
                    cbs.on_test_begin()
                    val_logs = self._run_eval(self._train_state, val, cbs)
                    cbs.on_test_end(val_logs)
                epoch_logs = _epoch_logs(loop.fetch(logs), val_logs)
                cbs.on_epoch_end(epoch, epoch_logs)
                state = self._train_state  # a callback may have changed it (set_weights, lr)
                if self.stop_training:
                    break
            epoch_logs = _flush_deferred(deferred, cbs) or epoch_logs
            cbs.on_train_end(epoch_logs)
        finally:
            _flush_deferred(deferred, cbs)  # an interrupted fit keeps its finished epochs
            self._in_fit = False
            self._shuffle_rng = None
        self.history = cbs.history
        return cbs.history

    def _dispatch_key(self, train: adapters.ArrayAdapter) -> str:
        """What the 'auto' dispatch decision depends on: layers, training setup, batches."""
        description = [
            [type(layer).__name__, layer.get_config()] for layer in self.layers
        ] + [type(self.optimizer).__name__, getattr(self._loss_obj, "name", str(self._loss_obj)),
             self.metrics_names]
        device = jax.devices()[0]
        return dispatch.decision_key(
            description, dispatch.describe_batches(train.arrays, train.batch_size),
            f"{device.platform}:{device.device_kind}",
        )

    def _adapt(
        self, x, y=None, sample_weight=None, *, batch_size, steps=None, shuffle=False,
        class_weight=None, targets=True, steps_argument="steps_per_epoch",
    ) -> adapters.ArrayAdapter | adapters.BatchAdapter:
        """The data adapter for what was passed to fit/evaluate/predict (see
        :mod:`jnet.training.adapters`): arrays are checked here, batches as they arrive."""
        if adapters.is_batch_source(x):
            return adapters.batch_adapter(
                x, y, sample_weight, model=self, targets=targets, class_weight=class_weight,
                shuffle=shuffle, steps=steps, steps_argument=steps_argument,
            )
        stream = adapters.should_stream(x, y, sample_weight)
        if targets:
            arrays = self._prepare(x, y, sample_weight, class_weight, convert=not stream)
        else:
            arrays = (self._prepare_x(x, convert=not stream),)
        return adapters.array_adapter(
            arrays, batch_size=batch_size, steps=steps, shuffle=shuffle, stream=stream
        )

    def _run_eval(self, state: TrainState, data, cbs=None, fetch: bool = True):
        """Loss and metrics over one pass of the adapter ``data`` (left on the device when
        ``fetch`` is False)."""
        state = state.reset_metrics()
        batch_logs = cbs is not None and cbs.needs_batch_logs()
        data.reset()
        k = data.steps_per_dispatch(self._steps_per_execution, batch_logs)
        in_flight = loop.InFlight()
        done = 0
        logs = None
        for chunk in data.epoch(k):
            if batch_logs:
                cbs.on_test_batch_begin(done)
            state, logs = loop.eval_chunk(
                state, chunk.data, chunk.idx, *chunk.valid_args
            )
            in_flight.add(logs, chunk.streamed)
            done += chunk.steps
            if batch_logs:
                cbs.on_test_batch_end(done - 1, loop.fetch(logs))
        logs = logs if logs is not None else compute_logs(state)
        return loop.fetch(logs) if fetch else logs

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
        return_dict: bool = False,
    ):
        """Loss and metrics in inference mode, as Keras's ``evaluate``.

        Returns:
            The loss (a float) when there are no metrics, else ``[loss, *metrics]``; a dict
            ``{name: value}`` with ``return_dict=True``.
        """
        self._require_compiled("evaluate")
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        steps = data_lib.positive_int("steps", steps, allow_none=True)
        verbose = _verbosity(verbose)
        data = self._adapt(
            x, y, sample_weight, batch_size=batch_size, steps=steps, steps_argument="steps"
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": 1, "steps": data.num_batches},
        )
        cbs.on_test_begin()
        logs = self._run_eval(self._state(), data, cbs)
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
    ) -> np.ndarray:
        """The model's outputs on ``x`` in inference mode, batched, as a numpy array."""
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        steps = data_lib.positive_int("steps", steps, allow_none=True)
        verbose = _verbosity(verbose)
        data = self._adapt(
            x, batch_size=batch_size, steps=steps, targets=False, steps_argument="steps"
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": 1, "steps": data.num_batches},
        )
        batch_logs = cbs.needs_batch_logs()
        k = data.steps_per_dispatch(self._steps_per_execution, batch_logs)
        variables = self.variables
        cbs.on_predict_begin()
        parts = []
        in_flight = loop.InFlight()
        done = 0
        for chunk in data.epoch(k):
            if batch_logs:
                cbs.on_predict_batch_begin(done)
            out = loop.predict_chunk(self.forward, variables, chunk.data[0], chunk.idx)
            # Padding steps of a short block are dropped.
            parts.append(out if chunk.steps == chunk.idx.shape[0] else out[: chunk.steps])
            in_flight.add(out, chunk.streamed)
            done += chunk.steps
            if batch_logs:
                cbs.on_predict_batch_end(done - 1, {"outputs": parts[-1]})
        if not parts:
            raise errors.JnetValueError(f"predict received no batches from the {data.kind}.")
        outputs = loop.concat_predictions(parts)
        cbs.on_predict_end()
        return outputs

    def predict_on_batch(self, x: Any) -> np.ndarray:
        """Predictions for one batch."""
        return self.predict(x, batch_size=max(len(x), 1), verbose=0)


def _epoch_logs(logs: dict[str, float], val_logs: dict[str, float] | None) -> dict[str, float]:
    """An epoch's logs as Keras reports them: the training keys, then ``val_``-prefixed ones."""
    return {**logs, **{f"val_{k}": v for k, v in (val_logs or {}).items()}}


def _flush_deferred(deferred: list | None, cbs: CallbackList) -> dict[str, float]:
    """Hands the epochs whose logs stayed on the device to the callbacks (History), fetched in
    one transfer; returns the last epoch's logs ({} when there were none)."""
    if not deferred:
        return {}
    fetched = loop.fetch([(logs, val_logs) for _, logs, val_logs in deferred])
    epochs = [epoch for epoch, _, _ in deferred]
    deferred.clear()
    epoch_logs: dict[str, float] = {}
    for epoch, (logs, val_logs) in zip(epochs, fetched, strict=True):
        epoch_logs = _epoch_logs(logs, val_logs)
        cbs.on_epoch_end(epoch, epoch_logs)
    return epoch_logs


def _verbosity(verbose: Any) -> int:
    if verbose == "auto":
        return 1
    if verbose in (0, 1, 2) and not isinstance(verbose, bool):
        return int(verbose)
    raise errors.JnetValueError(f"verbose must be 'auto', 0, 1 or 2, received {verbose!r}.")


def _unpack_validation(validation_data: Any):
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        return tuple(validation_data)
    if adapters.is_batch_source(validation_data):
        return (validation_data,)
    raise errors.JnetValueError(
        "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, sample_weight_val), "
        "or a generator, PyDataset or tf.data.Dataset of such batches, received "
        f"{errors.describe(validation_data)}."
    )
