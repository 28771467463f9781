"""CSVLogger: the same CSV text as Keras for the same logs, and a real fit."""

import numpy as np
import pytest

import jnet

_WITH_VAL = [{"loss": 0.5, "accuracy": 0.25, "val_loss": 0.625, "val_accuracy": 0.125},
             {"loss": 0.375, "accuracy": 0.5, "val_loss": 0.5, "val_accuracy": 0.25}]
_NO_VAL = [{"loss": 0.5, "mae": 0.1}, {"loss": 0.25, "mae": 1e-9}]
_EXTRA_KEY = [{"loss": 0.5}, {"loss": 0.25, "learning_rate": 0.01}]


def _drive(cls, path, epochs_logs, runs=1, **kwargs):
    for _ in range(runs):
        cb = cls(str(path), **kwargs)
        cb.on_train_begin()
        for epoch, logs in enumerate(epochs_logs):
            cb.on_epoch_end(epoch, dict(logs))
        cb.on_train_end()
    return path.read_text()


@pytest.mark.parametrize("logs", [_WITH_VAL, _NO_VAL, _EXTRA_KEY], ids=["val", "noval", "extra"])
@pytest.mark.parametrize("kwargs", [{}, {"separator": ";"}, {"append": True}], ids=str)
def test_same_text_as_keras(keras, tmp_path, logs, kwargs):
    expected = _drive(keras.callbacks.CSVLogger, tmp_path / "k.csv", logs, runs=2, **kwargs)
    got = _drive(jnet.callbacks.CSVLogger, tmp_path / "j.csv", logs, runs=2, **kwargs)
    assert got == expected


def test_real_fit_writes_one_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(16, 2)
    y = x.sum(axis=1, keepdims=True)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0,
                        callbacks=[jnet.callbacks.CSVLogger(path)])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    assert len(lines) == 4
    assert [float(v) for v in lines[3].split(",")[1:]] == [
        history.history[k][2] for k in ("loss", "mae", "val_loss", "val_mae")
    ]
