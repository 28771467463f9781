"""``plot_history``: training curves from a ``History``, one panel per metric.

matplotlib is an optional extra (``pip install 'jnet[plot]'``) imported only when a plot is
made. Figures that are only saved are drawn with the Agg renderer and never touch
``pyplot``, so they work without a display and leave no open figures behind.

Example:
    >>> import os, tempfile
    >>> from jnet.utils import plot_history
    >>> history = {"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]}
    >>> path = os.path.join(tempfile.mkdtemp(), "loss.png")
    >>> fig = plot_history(history, filename=path)
    >>> len(fig.axes), os.path.exists(path)
    (1, True)
"""

from __future__ import annotations

import math
import os
import sys
import uuid
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from jnet import errors

__all__ = ["MissingExtraError", "plot_history"]


MissingExtraError = errors.MissingExtraError

# Keys that are not curves to compare against a validation twin; left out unless asked for.
_NOT_DEFAULT = ("learning_rate", "lr")


def plot_history(
    history: Any,
    metrics: str | Sequence[str] | None = None,
    filename: str | os.PathLike | None = None,
    show: bool | None = None,
    title: str | None = None,
) -> Any:
    """Plots loss and metric curves per epoch, each with its ``val_`` curve when present.

    Args:
        history: the ``History`` that ``fit`` returns, or its ``.history`` dict
            (``{"loss": [...], "val_loss": [...], ...}``).
        metrics: the keys to plot, one panel each (a name or a list of names). Defaults to
            ``None``: every key without a ``val_`` prefix, ``loss`` first, except
            ``learning_rate``/``lr``.
        filename: where to save the figure (PNG unless the extension names another format
            matplotlib writes). Written atomically: to a temporary file that replaces
            ``filename`` once complete. Defaults to ``None``: not saved.
        show: whether to show the figure in a window. Defaults to ``None``: show only when
            nothing is saved and a display is available.
        title: a title over all panels. Defaults to ``None``.

    Returns:
        The ``matplotlib.figure.Figure``.

    Raises:
        JnetValueError: the history is empty, or a requested metric is not in it (the message
            lists the recorded keys).
        MissingExtraError: matplotlib is not installed (an ``ImportError``).

    Example:
        >>> fig = plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.8],
        ...                     "val_accuracy": [0.4, 0.7]}, title="run 1", show=False)
        >>> [ax.get_title() for ax in fig.axes]
        ['loss', 'accuracy']
        >>> [line.get_label() for line in fig.axes[1].get_lines()]
        ['accuracy', 'val_accuracy']
        >>> fig.axes[1].get_lines()[0].get_xdata().tolist()
        [1, 2]
    """
    logs, epochs = _logs_and_epochs(history)
    names = _select(logs, metrics)
    show = _resolve_show(show, filename)

    figure_cls, pyplot = _matplotlib(show)
    ncols = min(len(names), 3)
    nrows = math.ceil(len(names) / ncols)
    figsize = (5.0 * ncols, 3.6 * nrows + (0.4 if title else 0.0))
    fig = pyplot.figure(figsize=figsize) if pyplot is not None else figure_cls(figsize=figsize)
    for i, name in enumerate(names):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        values = [float(v) for v in logs[name]]
        ax.plot(_x_values(epochs, len(values)), values, label=name)
        twin = "val_" + name
        if twin in logs and not name.startswith("val_"):
            val_values = [float(v) for v in logs[twin]]
            ax.plot(_x_values(epochs, len(val_values)), val_values, label=twin)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()

    if filename is not None:
        _save_atomically(fig, filename)
    if show:
        pyplot.show()
    return fig


def _logs_and_epochs(history: Any) -> tuple[Mapping[str, Sequence[Any]], list[int] | None]:
    epochs = None
    if isinstance(history, Mapping):
        logs = history
    elif isinstance(getattr(history, "history", None), Mapping):
        logs = history.history
        epoch = getattr(history, "epoch", None)
        if isinstance(epoch, Sequence) and epoch:
            epochs = [int(e) + 1 for e in epoch]
    else:
        raise errors.JnetTypeError(
            "plot_history: `history` must be the History returned by fit() or its .history "
            f"dict, received {errors.describe(history)}."
        )
    logs = {str(k): v for k, v in logs.items() if _is_curve(v)}
    if not logs:
        raise errors.JnetValueError(
            "plot_history: the history has no recorded values (was fit() run for at least "
            "one epoch?)."
        )
    return logs, epochs


def _is_curve(values: Any) -> bool:
    return isinstance(values, Sequence) and not isinstance(values, str) and len(values) > 0


def _select(logs: Mapping[str, Sequence[Any]], metrics: Any) -> list[str]:
    if metrics is None:
        names = [k for k in logs if not k.startswith("val_") and k not in _NOT_DEFAULT]
        if not names:
            names = list(logs)
        names.sort(key=lambda k: k != "loss")
        return names
    requested = [metrics] if isinstance(metrics, str) else list(metrics)
    if not requested:
        raise errors.JnetValueError(
            f"plot_history: `metrics` is empty; pass names from {sorted(logs)} or None."
        )
    for name in requested:
        if not isinstance(name, str):
            raise errors.JnetTypeError(
                f"plot_history: metric names must be strings, received {errors.describe(name)}."
            )
        if name not in logs:
            hint = errors.nearest(name, logs)
            raise errors.JnetValueError(
                f"plot_history: {name!r} is not in the history."
                + (f" Did you mean {hint!r}?" if hint else "")
                + f" Recorded keys: {', '.join(repr(k) for k in logs)}."
            )
    return requested


def _x_values(epochs: list[int] | None, count: int) -> list[int]:
    if epochs is not None and len(epochs) == count:
        return epochs
    return list(range(1, count + 1))


def _has_display() -> bool:
    if sys.platform in ("darwin", "win32"):
        return True
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    return "ipykernel" in sys.modules


def _resolve_show(show: bool | None, filename: Any) -> bool:
    if show is None:
        return filename is None and _has_display()
    if show and not _has_display():
        warnings.warn(
            "plot_history: no display is available, so the figure is not shown; pass "
            "filename= to save it.",
            stacklevel=3,
        )
        return False
    return bool(show)


def _matplotlib(show: bool) -> tuple[Any, Any]:
    if not show:
        figure = errors.require("matplotlib.figure", "plot", "plot_history")
        return figure.Figure, None
    return None, errors.require("matplotlib.pyplot", "plot", "plot_history")


def _save_atomically(fig: Any, filename: str | os.PathLike) -> None:
    path = os.fspath(filename)
    fmt = os.path.splitext(path)[1][1:].lower() or "png"
    supported = fig.canvas.get_supported_filetypes()
    if fmt not in supported:
        raise errors.JnetValueError(
            f"plot_history: cannot save {path!r}: matplotlib writes "
            f"{', '.join(sorted(supported))}, not {fmt!r}. Use a .png filename."
        )
    directory, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{base}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "xb") as f:  # ordinary permissions, unlike tempfile.mkstemp's 0600
            fig.savefig(f, format=fmt)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
