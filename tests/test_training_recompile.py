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
from jnet.training import dispatch, loop
from jnet.training.data_adapters.array import ArrayAdapter

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


def _small_model():
    model = jnet.Sequential([jnet.layers.Dense(5, activation="relu", input_shape=(3,)),
                             jnet.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def test_new_dataset_lengths_reuse_compiled_programs(rng):
    # 21 fits, each on a new length of 9 to 23 full batches of 32 (one padded 64-step chunk)
    # and a partial batch of 0 or 7 rows, on data padded to 384, 512 or 768 rows
    # (loop.padded_rows). The first 6 fits meet every row count and partial batch; the last 15
    # are new lengths that must reuse their programs. Before: two programs per new length.
    model = _small_model()
    first = [(m, r) for m in (11, 15, 23) for r in (0, 7)]
    others = [(m, r) for m in range(9, 24) for r in (0, 7) if (m, r) not in first]
    pairs = first + [others[i] for i in np.random.default_rng(0).permutation(len(others))[:15]]
    lengths = [32 * m + r for m, r in pairs]
    per_fit = []
    with count_compilations() as seen:
        for n in lengths:
            before = len(seen)
            x = rng.normal(size=(n, 3)).astype(np.float32)
            model.fit(x, rng.integers(0, 2, size=n), batch_size=32, verbose=0)
            per_fit.append((len(seen) - before) // 2)  # a trace and a compile per program
    # The first fit also compiles the model's set-up and its chunk; then one chunk per new
    # row count (512, 768) and one step for the 7-row partial batch, whatever the row count
    # (it is gathered on the host).
    assert sum(per_fit[1:]) <= 3, per_fit
    assert sum(per_fit[6:]) == 0, per_fit


def test_the_compiled_programs_are_bounded(rng, monkeypatch):
    # a fresh cache of 2 programs: the process's own may hold families of earlier tests' models
    # (same spec and shapes: no compile, hence no eviction, when this test reuses them)
    old = loop._compiled_train
    monkeypatch.setattr(loop, "_compiled_train", loop.BoundedJit(old.name, old.fn, 2,
                                                                   **old.jit_kwargs))
    model = _small_model()
    for n in (40, 300, 900):  # three row buckets: three families of programs
        x = rng.normal(size=(n, 3)).astype(np.float32)
        model.fit(x, rng.integers(0, 2, size=n), batch_size=40, verbose=0)
        assert loop._compiled_train.held() <= 2


def test_padded_chunks_train_to_the_same_numbers(rng):
    # 'auto' pads the 5-batch epoch to a 64-step chunk and skips its padding steps; one
    # dispatch per step (steps_per_execution=1) pads nothing. Same losses, bit for bit (and the
    # same as the engine before padding: checked when it was written).
    x = rng.normal(size=(170, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=170)
    histories, weights = [], None
    for spe in ("auto", 1):
        model = jnet.Sequential([jnet.layers.Dense(6, input_shape=(4,)),
                                 jnet.layers.BatchNormalization(), jnet.layers.Dropout(0.3),
                                 jnet.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], steps_per_execution=spe)
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        jnet.utils.set_random_seed(3)
        history = model.fit(x, y, batch_size=32, epochs=2, validation_split=0.2, verbose=0)
        histories.append((history.history, model.predict(x, batch_size=32, verbose=0)))
    assert histories[0][0] == histories[1][0]
    np.testing.assert_array_equal(histories[0][1], histories[1][1])


def test_only_a_partial_batch_after_full_ones_is_gathered_on_the_host():
    """The partial last batch after full ones is sent alone (its program does not depend on
    the dataset's length); a dataset of one partial batch (y = 2x - 1: 6 rows, batch 32) keeps
    indexing its device copy, with no host gather and no transfer per epoch."""

    def chunks(rows):
        x = np.arange(rows, dtype=np.float32).reshape(-1, 1)
        adapter = ArrayAdapter((x, x), batch_size=32)
        return adapter, list(adapter.epoch(64))

    adapter, small = chunks(6)
    assert len(small) == 1 and small[0].data is adapter.device_data()
    adapter, large = chunks(70)
    assert large[0].data is adapter.device_data()  # the two full batches
    assert large[-1].data is not adapter.device_data()  # the 6 rows left, sent alone
    assert large[-1].idx.shape == (1, 6)
