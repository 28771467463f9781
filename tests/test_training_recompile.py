"""The compiled steps never recompile after the first epoch.

Counted with JAX's own monitoring events: every trace of a jitted function
(``/jax/core/compile/jaxpr_trace_duration``) and every XLA compilation
(``/jax/core/compile/backend_compile_duration``). After the first epoch has run its full
batches, its partial last batch and its validation, later epochs, later ``fit`` calls and
repeated ``evaluate``/``predict`` calls must add none.
"""

import contextlib

import jax
import numpy as np
import pytest

import jnet
from jnet.training import dispatch

EVENTS = ("/jax/core/compile/jaxpr_trace_duration", "/jax/core/compile/backend_compile_duration")


@contextlib.contextmanager
def count_compilations():
    seen: list[str] = []

    def listener(event, duration, **kwargs):
        if event in EVENTS:
            seen.append(event)

    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        yield seen
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)


class CountFrom(jnet.callbacks.Callback):
    """Records the compilations seen when each epoch begins."""

    def __init__(self, seen):
        super().__init__()
        self.seen = seen
        self.at_epoch_begin = []

    def on_epoch_begin(self, epoch, logs=None):
        self.at_epoch_begin.append(len(self.seen))


def _model(layers):
    model = jnet.Sequential(layers)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@pytest.mark.parametrize("name,samples", [("mlp", 110), ("cnn_bn_dropout", 110),
                                          ("mlp", 2600)])  # 65 batches: 'auto' probes
def test_no_recompilation_after_the_first_epoch(name, samples, rng):
    dispatch.forget()
    if name == "mlp":
        x = rng.normal(size=(samples, 6)).astype(np.float32)
        model = _model([jnet.layers.Dense(8, activation="relu", input_shape=(6,)),
                        jnet.layers.Dense(3, activation="softmax")])
    else:
        x = rng.normal(size=(samples, 6, 6, 1)).astype(np.float32)
        model = _model([jnet.layers.Conv2D(4, 3, activation="relu", input_shape=(6, 6, 1)),
                        jnet.layers.BatchNormalization(), jnet.layers.Dropout(0.3),
                        jnet.layers.Flatten(), jnet.layers.Dense(3, activation="softmax")])
    y = rng.integers(0, 3, size=samples)
    with count_compilations() as seen:
        counter = CountFrom(seen)
        # 110 rows: 88 for training at batch 32 (two full batches and a partial one), 22 for
        # validation. 2600 rows: 65 full batches and a partial one; 520 for validation.
        model.fit(x, y, batch_size=32, epochs=4, validation_split=0.2, verbose=0,
                  callbacks=[counter])
        after_fit = len(seen)
        assert counter.at_epoch_begin[0] < counter.at_epoch_begin[1]  # epoch 1 compiled
        assert counter.at_epoch_begin[1] == counter.at_epoch_begin[3] == after_fit, seen

        model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0)
        assert len(seen) == after_fit, "a second fit call recompiled"

        model.evaluate(x, y, batch_size=32, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
        settled = len(seen)
        model.evaluate(x, y, batch_size=32, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
        assert len(seen) == settled, "evaluate/predict recompiled on a second call"


def test_the_counter_sees_a_compilation():
    with count_compilations() as seen:
        jax.jit(lambda v: v * 3.0 + 1.0)(np.float32(2.0)).block_until_ready()
    assert EVENTS[0] in seen and EVENTS[1] in seen
