"""A Keras-style progress bar: ``32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.1234``.

On a terminal, and in a notebook (an IPython kernel, which renders carriage returns), the bar
redraws in place, at most every ``interval`` seconds, and fits the terminal's width
(``shutil.get_terminal_size``: the bar narrows, then a live line is cut, so that a redraw never
wraps onto a new line). Elsewhere (CI logs, files) it prints one line when a target is reached,
as Keras does, with no carriage return. With ``jnet.config.disable_interactive_logging()`` that
line goes to Python's ``logging`` (logger ``'jnet'``, INFO) instead of the stream.

Example:
    >>> bar = Progbar(target=2, verbose=2)
    >>> bar.update(2, [("loss", 0.5)])  # doctest: +ELLIPSIS
    2/2 - 0s - ...
"""

from __future__ import annotations

import logging
import math
import shutil
import sys
import time
from collections.abc import Sequence
from typing import Any

from jnet import config

#: The bar narrows down to this width to make room for the logs; below it, the logs of a live
#: line are cut instead. A terminal too narrow for even this gets no bar.
MIN_BAR_WIDTH = 10


def format_value(value: float) -> str:
    """Keras's number format in progress lines: 4 decimals, or scientific when tiny."""
    if isinstance(value, float | int) and not math.isnan(value) and abs(value) <= 1e-3:
        return f"{value:.4e}"
    return f"{value:.4f}"


def format_time(seconds_per_unit: float, unit: str = "step") -> str:
    if seconds_per_unit >= 1 or seconds_per_unit == 0:
        return f"{seconds_per_unit:.0f}s/{unit}"
    if seconds_per_unit >= 1e-3:
        return f"{seconds_per_unit * 1e3:.0f}ms/{unit}"
    return f"{seconds_per_unit * 1e6:.0f}us/{unit}"


def in_notebook() -> bool:
    """Whether this process is an IPython kernel (Jupyter, Colab), whose output renders a
    carriage return as a redraw of the line.

    Example:
        >>> in_notebook()
        False
    """
    if "ipykernel" not in sys.modules:
        return False
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return getattr(shell, "kernel", None) is not None


def is_live(stream: Any) -> bool:
    """Whether a bar on ``stream`` redraws in place: a terminal, or a notebook's output.

    Example:
        >>> import io
        >>> is_live(io.StringIO())
        False
    """
    if bool(getattr(stream, "isatty", lambda: False)()):
        return True
    return stream in (sys.stdout, sys.stderr) and in_notebook()


class Progbar:
    """Displays progress towards ``target`` steps with the latest logs.

    Args:
        target: total number of steps, or None if unknown.
        verbose: 1 for a bar, 2 for one line at the end, 0 for nothing.
        width: the bar's width in characters (narrower when the terminal is).
        stream: where to write (default ``sys.stdout``).
        interval: the least time between two redraws of a live bar, in seconds (the final
            line is always drawn).

    Example:
        >>> bar = Progbar(target=4, verbose=1)
        >>> bar.update(4)  # doctest: +ELLIPSIS
        4/4 ━━━━━━━━━━━━━━━━━━━━ 0s ...
    """

    def __init__(
        self,
        target: int | None,
        verbose: int = 1,
        width: int = 20,
        stream=None,
        interval: float = 0.1,
    ):
        self.target = target
        self.verbose = verbose
        self.width = width
        self.stream = stream if stream is not None else sys.stdout
        self.interval = interval
        self.dynamic = is_live(self.stream)
        self._start = time.time()
        self._last_draw = -math.inf
        self._prev_width = 0

    def update(self, current: int, values: Sequence[tuple[str, float]] = ()) -> None:
        """Shows ``current`` steps done and ``values`` (already averaged) as ``name: value``."""
        if self.verbose == 0:
            return
        finalize = self.target is not None and current >= self.target
        interactive = config.is_interactive_logging_enabled()
        if not finalize and not (self.verbose == 1 and self.dynamic and interactive):
            return
        now = time.time()
        if not finalize and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        elapsed = now - self._start
        per_step = elapsed / current if current else 0.0
        metrics = "".join(f" - {k}: {format_value(v)}" for k, v in values)
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            count = f"{current:{digits}d}/{self.target}"
        else:
            count = f"{current:7d}/Unknown"
        if self.verbose == 2:
            line = f"{count} - {elapsed:.0f}s - {format_time(per_step)}{metrics}"
            if not interactive:
                logging.getLogger("jnet").info(line)
                return
            self.stream.write(line + "\n")
            self.stream.flush()
            return
        if finalize or not self.target:
            timing = f"{elapsed:.0f}s"
        else:
            timing = f"{per_step * (self.target - current):.0f}s"
        tail = f" {timing} {format_time(per_step)}{metrics}"
        if not self.dynamic or not interactive:
            line = count + self._bar(current, self.width) + tail
            if not interactive:
                logging.getLogger("jnet").info(line)
                return
            self.stream.write(line + "\n")
            self.stream.flush()
            return
        room = shutil.get_terminal_size().columns - 1  # the last column would wrap
        width = min(self.width, max(room - len(count) - len(tail) - 1, MIN_BAR_WIDTH))
        if len(count) + width + 1 + len(f" {timing}") > room:
            width = 0  # not even a short bar and the time fit: counts only
        line = count + (self._bar(current, width) if width else "") + tail
        if not finalize and len(line) > room:  # a live line never wraps (the final may)
            line = line[: max(room - 1, 0)] + "…"
        pad = " " * max(self._prev_width - len(line), 0)
        self.stream.write("\r" + line + pad + ("\n" if finalize else ""))
        self._prev_width = len(line)
        self.stream.flush()

    def _bar(self, current: int, width: int) -> str:
        if not self.target:
            return ""
        done = int(width * min(current / self.target, 1.0))
        return " " + "━" * done + "─" * (width - done)
