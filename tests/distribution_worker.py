"""Runs data-parallel training on simulated CPU devices and prints the numbers as JSON.

The test process has imported JAX with one CPU device; the device count is fixed when JAX
starts, so tests/test_distribution_*.py run this script in a subprocess:

    python tests/distribution_worker.py CASE [DEVICES]

Cases: ``all`` (in one process: ``mlp``, ``cnn_bn``, ``lstm`` single-device fit,
DataParallel fit and a hand-written pmap loop over jnet's train_step; ``mp_mlp`` and
``transformer`` single-device fit and ModelParallel fit on a 2x4 data x model mesh; the
ModelParallel error of an indivisible layout), ``recompile`` (compilations after the first epoch),
``reductions`` (a pmapped step for each loss reduction), ``subclassing`` (single-device
fit vs DataParallel fit of a model with its own JAX ``train_step`` and of a model holding a
Keras-style layer with a non-trainable counter), ``errors`` (shard_batch's
uneven-batch error), ``multihost PROCESS_ID PORT NUM_PROCESSES`` (one of several processes,
each training on its interleaved half of the data, under DataParallel then ModelParallel on
a processes x devices mesh), ``reference`` (the multihost training on one process).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys

if __name__ == "__main__" and sys.argv[1:2] != ["multihost"]:
    devices = sys.argv[2] if len(sys.argv) > 2 else "8"
    os.environ["XLA_FLAGS"] = f"--xla_force_host_platform_device_count={devices}"
    os.environ["JAX_PLATFORMS"] = "cpu"

import jax  # noqa: E402
import numpy as np  # noqa: E402

jax.config.update("jax_numpy_dtype_promotion", "strict")
jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_default_matmul_precision", "highest")

import jnet  # noqa: E402
from jnet import distribution as dist_lib  # noqa: E402
from jnet.training import TrainState, compute_logs, train_step  # noqa: E402

EPOCHS = 2


def _data(case: str, n: int):
    rng = np.random.default_rng(0)
    if case in ("mlp", "mp_mlp"):
        x = rng.normal(size=(n, 6)).astype(np.float32)
        y = (x[:, :1] + x[:, 1:2] > 0).astype(np.float32)
        sw = rng.uniform(0.2, 2.0, size=n).astype(np.float32)
        return x, y, sw
    if case == "cnn_bn":
        x = rng.normal(size=(n, 8, 8, 1)).astype(np.float32)
        y = (rng.integers(0, 3, size=n)).astype(np.int32)
        return x, y, None
    if case == "transformer":
        x = rng.normal(size=(n, 5, 8)).astype(np.float32)
        y = (x[:, :, 0].mean(axis=1, keepdims=True) > 0).astype(np.float32)
        return x, y, None
    x = rng.normal(size=(n, 5, 3)).astype(np.float32)
    y = x.sum(axis=(1, 2))[:, None].astype(np.float32) * 0.3
    return x, y, None


def _model(case: str):
    jnet.utils.set_random_seed(0)
    L = jnet.layers
    if case == "mlp":
        model = jnet.Sequential([
            L.Dense(16, activation="relu", input_shape=(6,)),
            L.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=["accuracy", jnet.metrics.AUC()])
    elif case == "cnn_bn":
        model = jnet.Sequential([
            # No bias before BatchNormalization: its gradient is rounding noise, which Adam
            # scales up to full steps (any change in summation order then changes it).
            L.Conv2D(4, 3, use_bias=False, input_shape=(8, 8, 1)),
            L.BatchNormalization(),
            L.Activation("relu"),
            L.Flatten(),
            L.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    elif case == "mp_mlp":  # every Dense but the head matches '.*dense.*' (Keras's example)
        model = jnet.Sequential([
            L.Dense(16, activation="relu", input_shape=(6,), name="dense"),
            L.Dense(8, activation="relu", name="dense_1"),
            L.Dense(1, activation="sigmoid", name="head"),
        ])
        # AUC on a 2x4 mesh: its bucket counts were a scatter that XLA's partitioning summed
        # the padding rows of an uneven batch into (evaluate's AUC 0.19 instead of 0.10).
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=["accuracy", jnet.metrics.AUC(), jnet.metrics.Precision()])
    elif case == "transformer":  # a transformer block: attention and a Dense FFN
        inputs = jnet.Input(shape=(5, 8))
        # No biases in the attention: the key bias's gradient is rounding noise (softmax
        # ignores it), which Adam scales up to full steps.
        attended = L.MultiHeadAttention(2, 4, use_bias=False, name="mha")(inputs, inputs)
        hidden = L.LayerNormalization(name="norm_1")(L.Add()([inputs, attended]))
        ffn = L.Dense(8, name="ffn_out")(L.Dense(16, activation="relu", name="ffn_in")(hidden))
        hidden = L.LayerNormalization(name="norm_2")(L.Add()([hidden, ffn]))
        pooled = L.GlobalAveragePooling1D()(hidden)
        model = jnet.Model(inputs, L.Dense(1, activation="sigmoid", name="head")(pooled))
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    else:
        model = jnet.Sequential([L.LSTM(4, input_shape=(5, 3)), L.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def _weights(model) -> list:
    return [np.asarray(w, np.float64).tolist() for w in model.get_weights()]


def _fit(case: str, n: int, batch_size: int, distribution=None, shuffle=True):
    x, y, sw = _data(case, n)
    model = _model(case)
    xv, yv, _ = _data(case, 21)
    scope = distribution.scope() if distribution is not None else contextlib.nullcontext()
    with scope:
        history = model.fit(x, y, sample_weight=sw, batch_size=batch_size, epochs=EPOCHS,
                            shuffle=shuffle, verbose=0)
        evaluated = model.evaluate(xv, yv, batch_size=7, verbose=0, return_dict=True)
        predicted = model.predict(xv, batch_size=7, verbose=0)
    return {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "evaluate": {k: float(v) for k, v in evaluated.items()},
        "predict": np.asarray(predicted, np.float64).tolist(),
        "weights": _weights(model),
        "specs": _specs(model),
    }


def _spec(sharding) -> str | None:
    """``str`` of a NamedSharding's PartitionSpec without trailing Nones (JAX drops them from
    some outputs' specs: ``P('model', None)`` is ``P('model',)``); None for other shardings."""
    if not hasattr(sharding, "spec"):
        return None
    axes = tuple(sharding.spec)
    while axes and axes[-1] is None:
        axes = axes[:-1]
    return str(jax.sharding.PartitionSpec(*axes))


def _specs(model) -> dict:
    """The PartitionSpec of every weight and optimizer slot: {key path: spec}."""
    state = model._train_state
    trees = {"params": state.params, "opt": state.opt_state}
    return {
        f"{name}{jax.tree_util.keystr(path)}": _spec(leaf.sharding)
        for name, tree in trees.items()
        for path, leaf in jax.tree_util.tree_leaves_with_path(tree)
    }


def _layout_map(case: str, mesh):
    layout_map = dist_lib.LayoutMap(mesh)
    if case == "mp_mlp":
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
    elif case == "transformer":
        layout_map["mha/(query|key|value)/kernel"] = (None, None, "model")
        layout_map["mha/attention_output/kernel"] = (None, "model", None)
        layout_map["ffn_in/kernel"] = (None, "model")
        layout_map["ffn_in/bias"] = ("model",)
        layout_map["ffn_out/kernel"] = ("model", None)
    else:  # several processes: every kernel split on its input dimension
        layout_map[".*/kernel"] = ("model", None)
    return layout_map


def run_model_parallel(case: str) -> dict:
    """Single device vs ModelParallel on a 2x4 (data x model) mesh: 48 samples, batch 12."""
    mesh = dist_lib.DeviceMesh((2, 4), ["data", "model"])
    mp = dist_lib.ModelParallel(layout_map=_layout_map(case, mesh), batch_dim_name="data")
    return {"single": _fit(case, 48, 12), "model_parallel": _fit(case, 48, 12, mp)}


def run_model_parallel_errors() -> dict:
    """The error of a layout whose mesh axis does not divide the weight's dimension."""
    mesh = dist_lib.DeviceMesh((2, 4), ["data", "model"])
    layout_map = dist_lib.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    model = jnet.Sequential([jnet.layers.Dense(6, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    try:
        with dist_lib.ModelParallel(layout_map=layout_map).scope():
            model.fit(np.ones((8, 3), np.float32), np.ones((8, 6), np.float32), verbose=0)
    except ValueError as error:
        return {"error": str(error), "type": type(error).__name__}
    return {"error": None}


def run_all() -> dict:
    """Every device case in one process (JAX and jnet start once): DataParallel and pmap
    for mlp, cnn_bn and lstm, ModelParallel for mp_mlp and transformer, and its errors."""
    result: dict = {"devices": len(jax.devices())}
    for case in ("mlp", "cnn_bn", "lstm"):
        result[case] = run_case(case)
    for case in ("mp_mlp", "transformer"):
        result[case] = run_model_parallel(case)
    result["mp_errors"] = run_model_parallel_errors()
    return result


def _pmap_loop(case: str, n: int, batch_size: int):
    """A hand-written pmap loop over jnet's train_step (no shuffling)."""
    x, y, sw = _data(case, n)
    model = _model(case)
    model.build((None, *x.shape[1:]))
    state = TrainState.create(model, optimizer=model.optimizer, loss=model._loss_obj,
                              metrics=model._metric_objs, rng=jax.random.key(0))
    step = jax.pmap(lambda s, b: train_step(s, b, axis_name="batch"), axis_name="batch")
    states = dist_lib.replicate(state)
    history: dict[str, list[float]] = {}
    for _ in range(EPOCHS):
        states = states.replace(metric_states=dist_lib.replicate(
            state.spec.init_metric_states()))
        for start in range(0, n, batch_size):
            rows = slice(start, start + batch_size)
            batch = (x[rows], y[rows], None if sw is None else sw[rows])
            states, _ = step(states, dist_lib.shard_batch(batch))
        logs = compute_logs(dist_lib.unreplicate(states))
        for key, value in logs.items():
            history.setdefault(key, []).append(float(value))
    final = dist_lib.unreplicate(states)
    model._set_variables(final.variables)
    same = all(
        bool(np.all(np.asarray(leaf) == np.asarray(leaf)[0:1]))
        for leaf in jax.tree_util.tree_leaves((states.params, states.model_state))
    )
    return {"history": history, "weights": _weights(model), "replicas_equal": same}


def _fit_unshuffled(case: str, n: int, batch_size: int):
    x, y, sw = _data(case, n)
    model = _model(case)
    history = model.fit(x, y, sample_weight=sw, batch_size=batch_size, epochs=EPOCHS,
                        shuffle=False, verbose=0)
    return {"history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
            "weights": _weights(model)}


def run_case(case: str) -> dict:
    """Single device vs DataParallel (62 samples, batch 12: every batch uneven over 8 devices,
    the last of 2 rows), and single device vs a pmap loop (64 samples, batch 16)."""
    dp = dist_lib.DataParallel()
    return {
        "devices": len(jax.devices()),
        "single": _fit(case, 62, 12),
        "data_parallel": _fit(case, 62, 12, dp),
        "single_unshuffled": _fit_unshuffled(case, 64, 16),
        "pmap": _pmap_loop(case, 64, 16),
    }


class _GuideStep(jnet.Model):
    """Keras's JAX train_step (the 'customizing fit() with JAX' guide's form)."""

    def train_step(self, state, data):
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        x, y, sample_weight = jnet.utils.unpack_x_y_sample_weight(data)

        def loss_fn(trainable, non_trainable):
            y_pred, non_trainable = self.stateless_call(trainable, non_trainable, x,
                                                        training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
            return loss, (y_pred, non_trainable)

        (loss, (y_pred, non_trainable)), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            trainable, non_trainable)
        trainable, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable)
        new_metrics, logs = [], {}
        for metric in self.metrics:
            own = metrics_variables[len(new_metrics):len(new_metrics) + len(metric.variables)]
            if metric.name == "loss":
                own = metric.stateless_update_state(own, loss, sample_weight=None)
            else:
                own = metric.stateless_update_state(own, y, y_pred, sample_weight=sample_weight)
            result = metric.stateless_result(own)
            logs.update(result if isinstance(result, dict) else {metric.name: result})
            new_metrics += list(own)
        return logs, (trainable, non_trainable, optimizer_variables, new_metrics)


class _Counter(jnet.layers.Layer):
    """Counts the rows it sees in training, in a non-trainable weight."""

    def build(self, input_shape):
        self.rows = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                    name="rows")

    def call(self, inputs, training=None):
        if training:
            self.rows.assign(self.rows + jnet.ops.cast(jnet.ops.shape(inputs)[0], "float32"))
        return inputs


def _subclassed_model(kind: str):
    jnet.utils.set_random_seed(0)
    L = jnet.layers
    if kind == "custom_step":
        inputs = jnet.Input(shape=(6,))
        hidden = L.Dense(16, activation="relu")(inputs)
        model = _GuideStep(inputs, L.Dense(1, activation="sigmoid")(hidden))
    else:
        model = jnet.Sequential([jnet.Input(shape=(6,)), L.Dense(16, activation="relu"),
                                 _Counter(), L.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def run_subclassing() -> dict:
    """Single device vs DataParallel for each subclassed model (62 samples, batch 12)."""
    global _model
    builtin, dp = _model, dist_lib.DataParallel()
    result: dict = {"devices": len(jax.devices())}
    try:
        for kind in ("custom_step", "counter"):
            _model = lambda case, kind=kind: _subclassed_model(kind)  # noqa: E731
            result[kind] = {"single": _fit("mlp", 62, 12), "data_parallel": _fit("mlp", 62, 12, dp)}
    finally:
        _model = builtin
    return result


def run_recompile() -> dict:
    events = ("/jax/core/compile/jaxpr_trace_duration",
              "/jax/core/compile/backend_compile_duration")
    seen: list[str] = []

    def listener(event, duration, **kwargs):
        if event in events:
            seen.append(event)

    counts = []

    class Count(jnet.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            counts.append(len(seen))

    jax.monitoring.register_event_duration_secs_listener(listener)
    x, y, _ = _data("cnn_bn", 62)
    model = _model("cnn_bn")
    with dist_lib.DataParallel().scope():
        model.fit(x, y, batch_size=12, epochs=4, verbose=0, callbacks=[Count()],
                  validation_data=(x[:20], y[:20]))
        counts.append(len(seen))
        model.fit(x, y, batch_size=12, epochs=2, verbose=0, validation_data=(x[:20], y[:20]))
        counts.append(len(seen))
    return {"at_epoch_begin": counts}


def run_reductions() -> dict:
    """One pmapped step against one jitted step on the whole batch, for each loss reduction
    (uneven sample weights, so per-device means differ from the global one)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    y = rng.normal(size=(16, 1)).astype(np.float32)
    sw = rng.uniform(0.0, 3.0, size=16).astype(np.float32)
    out = {}
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight"):
        jnet.utils.set_random_seed(0)
        model = jnet.Sequential([jnet.layers.Dense(3, input_shape=(4,)), jnet.layers.Dense(1)])
        state = TrainState.create(
            model, optimizer="sgd", loss=jnet.losses.MeanSquaredError(reduction=reduction),
            metrics=["mae"], rng=jax.random.key(0),
        )
        single, single_logs = jax.jit(train_step)(state, (x, y, sw))
        step = jax.pmap(lambda s, b: train_step(s, b, axis_name="d"), axis_name="d")
        states, logs = step(dist_lib.replicate(state), dist_lib.shard_batch((x, y, sw)))
        pmapped = dist_lib.unreplicate(states)
        out[reduction] = {
            "single": {k: float(v) for k, v in single_logs.items()},
            "pmap": {k: float(v[0]) for k, v in logs.items()},
            "params_single": [np.asarray(a).tolist() for a in jax.tree_util.tree_leaves(
                single.params)],
            "params_pmap": [np.asarray(a).tolist() for a in jax.tree_util.tree_leaves(
                pmapped.params)],
        }
    return out


def run_errors() -> dict:
    try:
        dist_lib.shard_batch((np.zeros((12, 3)), np.zeros((12, 1))))
    except ValueError as error:
        return {"error": str(error), "type": type(error).__name__}
    return {"error": None}


def run_multihost(process_id: int, port: int, num_processes: int) -> dict:
    dist_lib.initialize(f"127.0.0.1:{port}", num_processes=num_processes,
                        process_id=process_id, initialization_timeout=60)
    case, n, batch = "mlp", 64, 16
    x, y, sw = _data(case, n)
    local = batch // num_processes
    # Interleaved: global batch b holds every process's rows of batch b, in process order.
    rows = np.arange(n).reshape(-1, num_processes, local)[:, process_id].reshape(-1)
    mesh = dist_lib.DeviceMesh((num_processes, len(jax.devices()) // num_processes),
                               ["batch", "model"])
    result: dict = {"process": process_id, "devices": len(jax.devices())}
    for kind, distribution in (
        ("data_parallel", dist_lib.DataParallel()),
        ("model_parallel", dist_lib.ModelParallel(layout_map=_layout_map("hosts", mesh))),
    ):
        model = _model(case)
        with distribution.scope():
            history = model.fit(x[rows], y[rows], sample_weight=sw[rows], batch_size=local,
                                epochs=EPOCHS, shuffle=False, verbose=0)
        result[kind] = {
            "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
            "weights": _weights(model),
            "specs": _specs(model) if kind == "model_parallel" else {},
        }
    return result


def main() -> None:
    case = sys.argv[1]
    if case == "multihost":
        result = run_multihost(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif case == "reference":  # what the multihost processes train, on one process
        result = _fit_unshuffled("mlp", 64, 16)
    elif case == "recompile":
        result = run_recompile()
    elif case == "reductions":
        result = run_reductions()
    elif case == "errors":
        result = run_errors()
    elif case == "subclassing":
        result = run_subclassing()
    elif case == "all":
        result = run_all()
    else:
        result = run_case(case)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
