"""ProgbarLogger: Keras's lines; a live bar on a terminal, final lines elsewhere."""

import io
import sys
import types

import numpy as np
import pytest

import jnet
from jnet.utils.progbar import Progbar


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


class Terminal(io.StringIO):
    def isatty(self):
        return True


class FakeClock:
    """The runner's clock (time.monotonic) advances 0.06 s per reading; the bar's (time.time)
    reads the same clock."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        self.now += 0.06
        return self.now

    def time(self):
        return self.now


def test_terminal_bar_advances_per_chunk_at_most_ten_times_a_second(monkeypatch):
    # 192 batches: three scanned chunks of 64 steps (no batch logs: the bar is fed per chunk).
    # A chunk ends every 0.06 s of the fake clock, so the bar is redrawn for every other one.
    stream = Terminal()
    monkeypatch.setattr("sys.stdout", stream)
    monkeypatch.setenv("COLUMNS", "120")
    clock = FakeClock()
    monkeypatch.setattr("jnet.training.runner.time", clock)
    monkeypatch.setattr("jnet.utils.progbar.time", clock)
    cb = jnet.callbacks.ProgbarLogger()
    cb.set_params({"verbose": 1, "epochs": 1, "steps": 3})
    assert not cb.needs_batch_logs() and cb.wants_progress()
    x = np.linspace(-1, 1, 768, dtype=np.float32).reshape(384, 2)
    _model().fit(x, x.sum(axis=1, keepdims=True), epochs=2, batch_size=2, verbose=1)
    out = stream.getvalue()
    assert out.count("\r") == 4, out  # per epoch: chunk 2 of 3 (0.12 s after the start), end
    assert "\r128/192 ━━━━━━━━━━━━━───────" in out and "\r 64/192" not in out
    assert out.count("\n") == 4 and out.endswith("\n")  # 2 headers, 2 final lines


def _metrics(n):
    return [(f"metric_{i}", 0.25) for i in range(n)]


@pytest.mark.parametrize("columns", [60, 120])
def test_live_lines_fit_the_terminal_width(columns, monkeypatch):
    # The bar narrows from 20 to 10 characters to make room for the logs, then the logs of a
    # live line are cut; the final line keeps them all.
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = Terminal()
    progbar = Progbar(target=1000, stream=stream, interval=0)
    progbar.update(500, _metrics(2))  # 'metric_0: 0.2500 - metric_1: 0.2500': 54 columns
    progbar.update(600, _metrics(6))  # 126 columns
    progbar.update(1000, _metrics(6))
    _, short, long, final = stream.getvalue().split("\r")
    assert len(short) <= columns - 1 and len(long.rstrip()) == columns - 1  # never wraps
    wide = 10 if columns == 60 else 20
    assert short.startswith(" 500/1000 " + "━" * (wide // 2) + "─" * (wide // 2) + " ")
    assert short.endswith("…") == (columns == 60)
    assert long.startswith(" 600/1000 ━━━━━━──── ") and long.rstrip().endswith("…")
    assert final.startswith("1000/1000 ━━━━━━━━━━ ")
    assert final.endswith(" - metric_5: 0.2500\n")


def test_a_notebook_gets_a_live_bar(monkeypatch):
    # An IPython kernel's stdout is no terminal, but it renders carriage returns.
    class Shell:
        kernel = object()

    ipython = types.ModuleType("IPython")
    ipython.get_ipython = Shell
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    assert jnet.callbacks.ProgbarLogger().wants_progress()
    _model().fit(*_data(), epochs=1, batch_size=8, verbose=1)
    out = stream.getvalue()
    assert out.startswith("\r") and "\r3/3 ━━━━━━━━━━━━━━━━━━━━ " in out and out.endswith("\n")


def test_evaluate_and_predict_lines(capsys):
    model = _model()
    x, y = _data()
    model.evaluate(x, y, batch_size=8, verbose=1)
    model.predict(x, batch_size=8, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("3/3 ") and " - loss: " in lines[0]
    assert lines[1].startswith("3/3 ") and "loss" not in lines[1]
