"""Callbacks: Keras's hook order, logs keys, stop_training, History, progress lines."""

import numpy as np
import pytest

import jnet
from jnet.callbacks import Callback


def _compiled(metrics=("mae",)):
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=list(metrics))
    return model


def _data(n=20):
    x = np.linspace(-1, 1, 2 * n, dtype=np.float32).reshape(n, 2)
    return x, x.sum(axis=1, keepdims=True)


class Recorder(Callback):
    def __init__(self, batches=False):
        super().__init__()
        self.calls = []
        self.batches = batches

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_end(self, logs=None):
        self.calls.append(("train_end",))


class BatchRecorder(Recorder):
    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, float(logs["loss"])))


def test_hook_order_and_log_keys():
    model = _compiled()
    rec = Recorder()
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0, callbacks=[rec])
    keys = ["loss", "mae", "val_loss", "val_mae"]
    assert rec.calls == [
        ("train_begin",),
        ("epoch_begin", 0), ("epoch_end", 0, keys),
        ("epoch_begin", 1), ("epoch_end", 1, keys),
        ("train_end",),
    ]
    assert rec.model is model and rec.params["epochs"] == 2 and rec.params["steps"] == 2


def test_batch_hooks_get_every_batch_with_running_loss():
    model = _compiled()
    rec = BatchRecorder()
    x, y = _data()
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[rec])
    batches = [c for c in rec.calls if c[0] == "batch_end"]
    assert [c[1] for c in batches] == [0, 1, 2]
    assert batches[-1][2] == pytest.approx(history.history["loss"][0], rel=1e-5)


def test_stop_training_ends_fit():
    class Stop(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    model = _compiled()
    history = model.fit(*_data(), epochs=10, verbose=0, callbacks=[Stop()])
    assert history.epoch == [0, 1] and len(history.history["loss"]) == 2
    assert model.history is history


def test_callbacks_must_be_callback_instances():
    with pytest.raises(TypeError, match="Callback"):
        _compiled().fit(*_data(), verbose=0, callbacks=[print])


def test_progress_lines_verbose_1_and_2(capsys):
    model = _compiled(metrics=())
    model.fit(*_data(), epochs=2, batch_size=8, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "3/3 ━━━━━━━━━━━━━━━━━━━━" in out and "/step - loss: " in out
    model.fit(*_data(), epochs=1, batch_size=8, verbose=2)
    out = capsys.readouterr().out
    assert "3/3 - " in out and " - loss: " in out and "━" not in out
    model.fit(*_data(), epochs=1, verbose=0)
    model.predict(_data()[0], verbose=0)
    assert capsys.readouterr().out == ""


def test_epoch_logs_are_floats():
    seen = {}

    class Grab(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.update(logs)

    _compiled().fit(*_data(), epochs=1, verbose=0, callbacks=[Grab()])
    assert all(isinstance(v, float) for v in seen.values())
