"""LambdaCallback: plain functions as hooks, Keras 3's argument names."""

import numpy as np

import jnet


def _fit(callback, epochs=2):
    x = np.linspace(-1, 1, 40, dtype=np.float32).reshape(20, 2)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x.sum(axis=1, keepdims=True), epochs=epochs, batch_size=8, verbose=0,
              callbacks=[callback])


def test_every_hook_is_called_in_order():
    calls = []
    cb = jnet.callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_train_batch_begin=lambda batch, logs: calls.append(("batch_begin", batch)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch, sorted(logs))),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, sorted(logs))),
        on_train_end=lambda logs: calls.append("train_end"),
    )
    assert cb.needs_batch_logs()
    _fit(cb, epochs=1)
    assert calls == [
        "train_begin", ("epoch_begin", 0),
        ("batch_begin", 0), ("batch_end", 0, ["loss"]),
        ("batch_begin", 1), ("batch_end", 1, ["loss"]),
        ("batch_begin", 2), ("batch_end", 2, ["loss"]),
        ("epoch_end", 0, ["loss"]), "train_end",
    ]


def test_epoch_only_lambda_does_not_need_batch_logs_and_extra_hooks_are_kept():
    seen = []
    cb = jnet.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(epoch),
        on_test_end=lambda logs: seen.append("test_end"),
    )
    assert not cb.needs_batch_logs()
    _fit(cb)
    assert seen == [0, 1]
    assert cb.on_test_end is not None
