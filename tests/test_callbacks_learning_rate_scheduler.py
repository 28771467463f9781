"""LearningRateScheduler: Keras's calling convention, logged rates, and no recompilation."""

import numpy as np
import pytest

import jnet
from jnet.training import loop


def _data(n=64, features=2):
    x = np.random.default_rng(0).normal(size=(n, features)).astype(np.float32)
    return x, x.sum(axis=1, keepdims=True)


def test_lr_sweep_records_100_rates_with_one_compilation():
    # A feature count and batch size no other test uses, so the step's cache entry is new.
    x, y = _data(64, features=7)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(7,))])
    model.compile(optimizer="sgd", loss="mse")
    before = loop.train_chunk._cache_size()
    sweep = jnet.callbacks.LearningRateScheduler(lambda epoch: 1e-8 * 10 ** (epoch / 20))
    history = model.fit(x, y, epochs=100, batch_size=16, verbose=0, callbacks=[sweep])
    assert loop.train_chunk._cache_size() - before == 1
    rates = history.history["learning_rate"]
    expected = [1e-8 * 10 ** (epoch / 20) for epoch in range(100)]
    np.testing.assert_allclose(rates, np.float32(expected), rtol=1e-7)


def test_schedule_with_current_rate_matches_keras(keras):
    def schedule(epoch, lr):
        return lr if epoch < 2 else lr * 0.5

    rates = {}
    x, y = _data()
    k_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    k_model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    k_hist = k_model.fit(x, y, epochs=4, verbose=0,
                         callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
    rates["keras"] = k_hist.history["learning_rate"]
    j_model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    j_model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    j_hist = j_model.fit(x, y, epochs=4, verbose=0,
                         callbacks=[jnet.callbacks.LearningRateScheduler(schedule)])
    rates["jnet"] = j_hist.history["learning_rate"]
    assert rates["jnet"] == rates["keras"]


def test_the_rate_is_used_by_the_step():
    # SGD with lr 0: the weights do not move in epoch 0, then move once lr > 0.
    x, y = _data()
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    start = model.get_weights()
    seen = []

    class Snapshot(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(self.model.get_weights())

    cb = jnet.callbacks.LearningRateScheduler(lambda epoch: 0.0 if epoch == 0 else 0.1)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[cb, Snapshot()])
    for a, b in zip(start, seen[0], strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(seen[0][0], seen[1][0])


def test_verbose_prints_keras_message(capsys):
    x, y = _data()
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    cb = jnet.callbacks.LearningRateScheduler(lambda epoch: 0.5, verbose=1)
    model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in capsys.readouterr().out


def test_schedule_must_return_a_float():
    x, y = _data()
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    cb = jnet.callbacks.LearningRateScheduler(lambda epoch: "fast")
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[cb])
