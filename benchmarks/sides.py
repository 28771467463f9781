"""The five sides of the benchmark: the same model, data and optimizer in five trainers.

Every side is built by ``make(side, workload, data, weights)`` and returns a ``Trainer``: an
object whose ``fit(epochs)`` trains for ``epochs`` epochs and returns the last epoch's
``(loss, accuracy)`` as host floats, so a timer around it measures finished work, not
dispatched work. Framework imports happen inside each builder: a worker process imports only
what its side needs (the jnet worker never loads TensorFlow).

Workloads (see ``workloads``):

* ``mlp``: Dense(128, relu) -> Dense(10, softmax), Adam(1e-3), sparse categorical
  cross-entropy, accuracy, batch 32.
* ``cnn``: Conv2D(32, 3, relu) -> MaxPooling2D -> Conv2D(64, 3, relu) -> MaxPooling2D -> Flatten
  -> Dense(128, relu) -> Dense(10, softmax) on 28x28x1, otherwise as ``mlp``.
* ``lstm``: LSTM(64) -> Dense(1) on 50x8 sequences, Adam(1e-3), mean squared error.
* ``gru``: Embedding(1000, 32) -> GRU(32) -> Dense(1, sigmoid) on 80-token texts, Adam(1e-3),
  binary cross-entropy, accuracy.
* ``hello``: Dense(1) on ``y = 2x - 1`` (6 samples), SGD(0.01), mean squared error, batch 32.

All sides start from the same initial weights (``workloads.initial_weights``: Keras's
initializers drawn with numpy), in Keras's layout ``[kernel, bias, ...]``; the Flax sides map
them onto Flax's parameter names (``flax_models``).

Example:
    >>> import workloads
    >>> data = workloads.make_data("hello", quick=True)
    >>> trainer = make("flax-scan", "hello", data, workloads.initial_weights("hello"))
    >>> loss, _ = trainer.fit(2)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

import numpy as np
import workloads

SIDES = ("jnet", "tf-keras", "keras-jax", "flax-loop", "flax-scan")
BATCH_SIZE = 32


class Trainer(Protocol):
    def fit(self, epochs: int, shuffle: bool = True) -> tuple[float, float | None]: ...


def make(side: str, workload: str, data: workloads.Data, weights: list[np.ndarray]) -> Trainer:
    """A trainer for ``side`` on ``workload``, its weights set to ``weights``."""
    builders: dict[str, Callable[..., Trainer]] = {
        "jnet": _jnet,
        "tf-keras": partial(_keras, "tensorflow"),
        "keras-jax": partial(_keras, "jax"),
        "flax-loop": partial(_flax, scan=False),
        "flax-scan": partial(_flax, scan=True),
    }
    if side not in builders:
        raise ValueError(f"unknown side {side!r}; expected one of {SIDES}")
    return builders[side](workload, data, weights)


def describe(side: str) -> dict[str, Any]:
    """Versions and devices of the frameworks ``side`` uses (call after ``make``)."""
    info: dict[str, Any] = {}
    if side == "tf-keras":
        import keras
        import tensorflow as tf

        info["tensorflow"] = tf.__version__
        info["keras"] = keras.__version__
        info["keras_backend"] = keras.backend.backend()
        info["device"] = ", ".join(d.device_type for d in tf.config.list_logical_devices())
        info["onednn"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
        return info
    import jax

    info["jax"] = jax.__version__
    info["device"] = f"{jax.default_backend()}: {jax.devices()[0].device_kind}"
    if side == "keras-jax":
        import keras

        info["keras"] = keras.__version__
        info["keras_backend"] = keras.backend.backend()
    elif side == "jnet":
        import jnet
        from jnet.training import dispatch

        info["jnet"] = jnet.__version__
        # What steps_per_execution='auto' measured: "scan" (an epoch per dispatch) or "step".
        info["dispatch"] = sorted(set(dispatch.decisions().values())) or ["scan (small epoch)"]
    else:
        import flax
        import optax

        info["flax"] = flax.__version__
        info["optax"] = optax.__version__
    return info


# -- jnet and Keras: the same user code, two libraries ---------------------------------------


class _FitTrainer:
    """``model.fit`` one call per ``fit(epochs)``; the history holds host floats."""

    def __init__(self, model: Any, data: workloads.Data):
        self.model = model
        self.data = data

    def fit(self, epochs: int, shuffle: bool = True) -> tuple[float, float | None]:
        history = self.model.fit(
            self.data.x, self.data.y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0,
            shuffle=shuffle,
        ).history
        accuracy = history.get("accuracy")
        # float(np.asarray(...)) forces any device value to the host inside the timed region.
        return (
            float(np.asarray(history["loss"][-1])),
            None if accuracy is None else float(np.asarray(accuracy[-1])),
        )


def _build_keras_like(lib: Any, workload: str, weights: list[np.ndarray]) -> Any:
    """The workload's model in ``lib`` (``jnet`` or ``keras``): identical code for both."""
    if workload == "mlp":
        model = lib.Sequential([
            lib.Input(shape=(workloads.FEATURES,)),
            lib.layers.Dense(128, activation="relu"),
            lib.layers.Dense(10, activation="softmax"),
        ])
        model.compile(
            optimizer=lib.optimizers.Adam(learning_rate=1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    elif workload == "cnn":
        model = lib.Sequential([
            lib.Input(shape=workloads.IMAGE),
            lib.layers.Conv2D(32, (3, 3), activation="relu"),
            lib.layers.MaxPooling2D((2, 2)),
            lib.layers.Conv2D(64, (3, 3), activation="relu"),
            lib.layers.MaxPooling2D((2, 2)),
            lib.layers.Flatten(),
            lib.layers.Dense(128, activation="relu"),
            lib.layers.Dense(10, activation="softmax"),
        ])
        model.compile(
            optimizer=lib.optimizers.Adam(learning_rate=1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    elif workload == "lstm":
        model = lib.Sequential([
            lib.Input(shape=workloads.SEQUENCE),
            lib.layers.LSTM(workloads.LSTM_UNITS),
            lib.layers.Dense(1),
        ])
        model.compile(optimizer=lib.optimizers.Adam(learning_rate=1e-3), loss="mse")
    elif workload == "gru":
        model = lib.Sequential([
            lib.Input(shape=(workloads.TEXT_LENGTH,)),
            lib.layers.Embedding(workloads.VOCABULARY, workloads.EMBEDDING),
            lib.layers.GRU(workloads.GRU_UNITS),
            lib.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(
            optimizer=lib.optimizers.Adam(learning_rate=1e-3),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
    else:
        model = lib.Sequential([lib.Input(shape=(1,)), lib.layers.Dense(units=1)])
        model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.01), loss="mean_squared_error")
    model.set_weights(weights)
    return model


def _jnet(workload: str, data: workloads.Data, weights: list[np.ndarray]) -> Trainer:
    import jnet

    jnet.utils.set_random_seed(workloads.SEED)
    return _FitTrainer(_build_keras_like(jnet, workload, weights), data)


def _keras(backend: str, workload: str, data: workloads.Data, weights) -> Trainer:
    os.environ["KERAS_BACKEND"] = backend  # before the first import of keras
    import keras

    if keras.backend.backend() != backend:
        raise RuntimeError(
            f"keras was already imported with backend {keras.backend.backend()!r}, "
            f"expected {backend!r}"
        )
    keras.utils.set_random_seed(workloads.SEED)
    return _FitTrainer(_build_keras_like(keras, workload, weights), data)


# -- hand-written Flax linen + optax ----------------------------------------------------------


def _flax(workload: str, data: workloads.Data, weights: list[np.ndarray], scan: bool) -> Trainer:
    import flax_models
    import jax
    import jax.numpy as jnp
    import optax

    net, params, loss_and_correct, tx = flax_models.build(workload, weights)
    opt_state = tx.init(params)

    def step(carry, xb, yb):
        params, opt_state, totals = carry

        def objective(p):
            return loss_and_correct(net.apply({"params": p}, xb), yb)

        (loss, correct), grads = jax.value_and_grad(objective, has_aux=True)(params)
        updates, opt_state = tx.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        totals = totals + jnp.stack([loss * xb.shape[0], correct])
        return params, opt_state, totals

    n = data.x.shape[0]
    has_accuracy = workload in workloads.CLASSIFIERS
    if scan:
        return _FlaxScan(step, params, opt_state, data, n, has_accuracy)
    return _FlaxLoop(step, params, opt_state, data, n, has_accuracy)


def _results(per_epoch_totals: list[Any], n: int, has_accuracy: bool):
    """The last epoch's ``(loss, accuracy)`` on the host (waits for the device)."""
    import jax

    totals = np.asarray(jax.device_get(per_epoch_totals[-1]))
    return float(totals[0] / n), (float(totals[1] / n) if has_accuracy else None)


class _FlaxLoop:
    """One jitted step per batch, called from Python; numpy shuffles and slices on the host."""

    def __init__(self, step, params, opt_state, data: workloads.Data, n: int, has_accuracy):
        import jax
        import jax.numpy as jnp

        self._jnp = jnp
        self.step = jax.jit(
            lambda params, opt_state, totals, xb, yb: step((params, opt_state, totals), xb, yb),
            donate_argnums=(0, 1, 2),
        )
        self.params, self.opt_state = params, opt_state
        self.data, self.n, self.has_accuracy = data, n, has_accuracy
        self.rng = np.random.default_rng(workloads.SEED)

    def fit(self, epochs: int, shuffle: bool = True):
        per_epoch = []
        for _ in range(epochs):
            order = self.rng.permutation(self.n) if shuffle else np.arange(self.n)
            x, y = self.data.x[order], self.data.y[order]
            totals = self._jnp.zeros(2, self._jnp.float32)
            params, opt_state = self.params, self.opt_state
            for start in range(0, self.n, BATCH_SIZE):
                end = start + BATCH_SIZE
                params, opt_state, totals = self.step(
                    params, opt_state, totals, x[start:end], y[start:end]
                )
            self.params, self.opt_state = params, opt_state
            per_epoch.append(totals)
        return _results(per_epoch, self.n, self.has_accuracy)


class _FlaxScan:
    """The whole epoch in one jitted call: shuffle, gather and ``lax.scan`` on the device."""

    def __init__(self, step, params, opt_state, data: workloads.Data, n: int, has_accuracy):
        import jax
        import jax.numpy as jnp

        full, remainder = divmod(n, BATCH_SIZE)

        def epoch(params, opt_state, key, x, y, shuffle):
            order = jax.random.permutation(key, n) if shuffle else jnp.arange(n)
            rows = order[: full * BATCH_SIZE].reshape(full, BATCH_SIZE)
            carry = (params, opt_state, jnp.zeros(2, jnp.float32))

            def body(carry, batch_rows):
                return step(carry, x[batch_rows], y[batch_rows]), None

            carry, _ = jax.lax.scan(body, carry, rows)
            if remainder:  # the partial last batch, kept as Keras keeps it
                last = order[full * BATCH_SIZE :]
                carry = step(carry, x[last], y[last])
            return carry

        self._jax = jax
        self.epoch = jax.jit(epoch, donate_argnums=(0, 1), static_argnums=5)
        self.params, self.opt_state = params, opt_state
        self.x, self.y = jax.device_put(data.x), jax.device_put(data.y)  # on the device once
        self.n, self.has_accuracy = n, has_accuracy
        self.key = jax.random.key(workloads.SEED)
        self.epochs_done = 0

    def fit(self, epochs: int, shuffle: bool = True):
        per_epoch = []
        for _ in range(epochs):
            key = self._jax.random.fold_in(self.key, self.epochs_done)
            self.params, self.opt_state, totals = self.epoch(
                self.params, self.opt_state, key, self.x, self.y, shuffle
            )
            self.epochs_done += 1
            per_epoch.append(totals)
        return _results(per_epoch, self.n, self.has_accuracy)
