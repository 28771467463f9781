"""ProgbarLogger: Keras's lines; a live bar on a terminal, final lines elsewhere."""

import io

import numpy as np

import jnet


def _model():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def _data():
    x = np.linspace(-1, 1, 40, dtype=np.float32).reshape(20, 2)
    return x, x.sum(axis=1, keepdims=True)


def test_not_a_terminal_prints_one_final_line_per_epoch(capsys):
    _model().fit(*_data(), epochs=2, batch_size=8, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    for line in (lines[1], lines[3]):
        assert line.startswith("3/3 ━━━━━━━━━━━━━━━━━━━━ ")
        assert "/step - loss: " in line and " - mae: " in line
    assert "\r" not in "".join(lines)


def test_verbose_2_one_line_per_epoch_and_no_epoch_header_for_one_epoch(capsys):
    _model().fit(*_data(), epochs=1, batch_size=8, verbose=2, validation_split=0.2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1  # Keras prints "Epoch 1/1" only when epochs > 1
    assert lines[0].startswith("2/2 - ") and " - val_loss: " in lines[0] and "━" not in lines[0]


def test_final_line_shows_keys_added_by_callbacks(capsys):
    cb = jnet.callbacks.LearningRateScheduler(lambda epoch: 0.01)
    _model().fit(*_data(), epochs=1, batch_size=8, verbose=2, callbacks=[cb])
    assert " - learning_rate: 0.0100" in capsys.readouterr().out


def test_terminal_redraws_the_bar_after_every_batch(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    monkeypatch.setattr("sys.stdout", stream)
    cb = jnet.callbacks.ProgbarLogger()
    cb.set_params({"verbose": 1, "epochs": 1, "steps": 3})
    assert cb.needs_batch_logs()  # a live bar needs every batch's logs
    _model().fit(*_data(), epochs=1, batch_size=8, verbose=1)
    out = stream.getvalue()
    assert out.count("\r") == 3  # batches 1 and 2, then the final line
    assert "\r1/3 ━━━━━━" in out and "\r2/3 ━━━━━━" in out and out.endswith("\n")


def test_evaluate_and_predict_lines(capsys):
    model = _model()
    x, y = _data()
    model.evaluate(x, y, batch_size=8, verbose=1)
    model.predict(x, batch_size=8, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("3/3 ") and " - loss: " in lines[0]
    assert lines[1].startswith("3/3 ") and "loss" not in lines[1]
