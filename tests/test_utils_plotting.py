"""plot_history: panels per metric, val_ curves, epochs from 1, atomic PNG, errors."""

import os

import numpy as np
import pytest

import jnet
from jnet.callbacks import History
from jnet.errors import JnetTypeError, JnetValueError
from jnet.utils import plot_history

pytest.importorskip("matplotlib")

LOGS = {
    "loss": [0.9, 0.6, 0.5, 0.45],
    "accuracy": [0.5, 0.7, 0.8, 0.85],
    "mae": [1.0, 0.8, 0.7, 0.6],
    "val_loss": [1.0, 0.8, 0.7, 0.66],
    "val_accuracy": [0.4, 0.6, 0.7, 0.72],
    "learning_rate": [0.01, 0.01, 0.005, 0.005],
}


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_png_is_written_with_one_panel_per_metric(tmp_path):
    path = tmp_path / "history.png"
    fig = plot_history(LOGS, filename=path, title="run")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy", "mae"]
    assert fig._suptitle.get_text() == "run"
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.listdir(tmp_path) == ["history.png"]  # no temporary file left behind
    loss = _lines(fig.axes[0])
    assert set(loss) == {"loss", "val_loss"}
    assert loss["loss"].get_xdata().tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(loss["val_loss"].get_ydata(), LOGS["val_loss"])
    assert set(_lines(fig.axes[2])) == {"mae"}  # no val_mae recorded
    assert fig.axes[0].get_xlabel() == "epoch"


def test_selected_metrics_and_history_object(tmp_path):
    history = History()
    history.history = {k: list(v) for k, v in LOGS.items()}
    history.epoch = [3, 4, 5, 6]  # resumed with initial_epoch=3
    fig = plot_history(history, metrics=["accuracy", "learning_rate"], show=False)
    assert [ax.get_title() for ax in fig.axes] == ["accuracy", "learning_rate"]
    assert _lines(fig.axes[0])["val_accuracy"].get_xdata().tolist() == [4, 5, 6, 7]
    fig = plot_history(history, metrics="val_loss", show=False)
    assert len(fig.axes) == 1 and set(_lines(fig.axes[0])) == {"val_loss"}


def test_a_real_fit_history_plots(tmp_path):
    model = jnet.Sequential([jnet.layers.Input((2,)), jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.ones((8, 2), np.float32)
    history = model.fit(x, x[:, :1], epochs=3, validation_split=0.25, verbose=0)
    fig = plot_history(history, filename=str(tmp_path / "fit.png"))
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    assert len(_lines(fig.axes[0])) == 2
    assert (tmp_path / "fit.png").stat().st_size > 0


def test_overwrites_existing_file_atomically(tmp_path):
    path = tmp_path / "plot.png"
    path.write_bytes(b"old")
    plot_history({"loss": [1.0, 0.5]}, filename=path)
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert os.listdir(tmp_path) == ["plot.png"]


def test_unknown_metric_lists_the_available_keys():
    keys = r"Recorded keys: 'loss', 'accuracy', 'mae', 'val_loss', 'val_accuracy', 'learning_rate'"
    hint = r"Did you mean 'accuracy'\? "  # 'acc' is a prefix of 'accuracy'
    with pytest.raises(JnetValueError, match=r"'acc' is not in the history\. " + hint + keys):
        plot_history(LOGS, metrics=["loss", "acc"], show=False)
    with pytest.raises(JnetValueError, match=r"'acuracy'.*Did you mean 'accuracy'\?"):
        plot_history(LOGS, metrics="acuracy", show=False)


def test_bad_inputs():
    with pytest.raises(JnetValueError, match="no recorded values"):
        plot_history({}, show=False)
    with pytest.raises(JnetTypeError, match="History"):
        plot_history([0.5, 0.4], show=False)
    with pytest.raises(JnetValueError, match="empty"):
        plot_history(LOGS, metrics=[], show=False)
    with pytest.raises(JnetValueError, match="png"):
        plot_history(LOGS, filename="plot.notaformat")


def test_show_without_display_warns_instead_of_blocking(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("jnet.utils.plotting._has_display", lambda: False)
    with pytest.warns(UserWarning, match="no display"):
        fig = plot_history(LOGS, show=True)
    assert len(fig.axes) == 3
