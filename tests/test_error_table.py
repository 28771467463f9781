"""Runs every line of the table of bad inputs (tests/error_table.py, docs/errors.md)."""

import re
import warnings

import numpy as np
import pytest
from error_table import CASES, DOC, render, run

import jnet


@pytest.mark.parametrize("case", CASES, ids=[c.what for c in CASES])
def test_bad_input_gets_its_error(case):
    with pytest.raises(case.error) as info:
        run(case)
    assert type(info.value) is case.error, f"{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert re.search(case.match, message, re.S), message
    # A Keras user's `except ValueError` / `except TypeError` keeps working.
    assert isinstance(info.value, jnet.errors.JnetError)
    assert isinstance(info.value, ValueError | TypeError)


def test_table_is_big_and_unique():
    assert len(CASES) >= 60
    assert len({c.what for c in CASES}) == len(CASES)


def test_docs_errors_md_is_up_to_date():
    assert DOC.read_text() == render(), "run: .venv/bin/python tests/error_table.py"


def _diverging():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer=jnet.optimizers.SGD(1e30), loss="mse")
    return model, np.full((64, 1), 1e10), np.ones((64, 1))


def test_nan_loss_warns_once_naming_the_epoch():
    model, x, y = _diverging()
    with pytest.warns(jnet.errors.NanLossWarning) as record:
        model.fit(x, y, epochs=3, verbose=0)
    nan_warnings = [w for w in record if issubclass(w.category, jnet.errors.NanLossWarning)]
    assert len(nan_warnings) == 1
    assert "in epoch 1 (epoch index 0)" in str(nan_warnings[0].message)
    assert "TerminateOnNaN" in str(nan_warnings[0].message)


def test_nan_loss_names_the_batch_when_batch_logs_are_fetched(capsys):
    model, x, y = _diverging()
    with pytest.warns(jnet.errors.NanLossWarning, match="batch 1 of epoch 1"):
        history = model.fit(
            x, y, epochs=3, verbose=0, callbacks=[jnet.callbacks.TerminateOnNaN()]
        )
    assert len(history.epoch) == 1  # TerminateOnNaN stopped it
    assert "Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_loss_does_not_warn():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error", jnet.errors.NanLossWarning)
        model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=0)


def test_check_finite_can_be_switched_off():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3))
    x[2, 1] = np.nan
    jnet.config.set_check_finite(False)
    try:
        out = model.predict(x, verbose=0)
        assert np.isnan(out[2, 0]) and np.isfinite(out[0, 0])
        with pytest.warns(jnet.errors.NanLossWarning):
            model.fit(x, np.ones((8, 1)), verbose=0)
    finally:
        jnet.config.set_check_finite(True)
    with pytest.raises(ValueError, match=r"x\[2, 1\] = nan"):
        model.predict(x, verbose=0)


def test_streamed_memmap_is_checked_chunk_by_chunk(tmp_path):
    x = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.float32,
                                  shape=(64, 3))
    x[:] = 1.0
    x[50, 2] = np.inf
    x.flush()
    x = np.load(tmp_path / "x.npy", mmap_mode="r")
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"x \(streamed\) contains 0 NaN and 1 infinite.*"
                                         r"x\[50, 2\] = inf"):
        model.fit(x, np.ones((64, 1)), batch_size=16, verbose=0, shuffle=False)
    # Rows before the bad one: fine.
    model.fit(x[:48], np.ones((48, 1)), batch_size=16, verbose=0)
