"""A Keras-style progress bar: ``32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.1234``.

On a terminal the bar redraws in place; elsewhere (CI logs, files) it prints one line when a
target is reached, as Keras does. With ``jnet.config.disable_interactive_logging()`` that line
goes to Python's ``logging`` (logger ``'jnet'``, INFO) instead of the stream.

Example:
    >>> bar = Progbar(target=2, verbose=2)
    >>> bar.update(2, [("loss", 0.5)])  # doctest: +ELLIPSIS
    2/2 - 0s - ...
"""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Sequence

from jnet import config


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


class Progbar:
    """Displays progress towards ``target`` steps with the latest logs.

    Args:
        target: total number of steps, or None if unknown.
        verbose: 1 for a bar, 2 for one line at the end, 0 for nothing.
        width: the bar's width in characters.
        stream: where to write (default ``sys.stdout``).
    """

    def __init__(self, target: int | None, verbose: int = 1, width: int = 20, stream=None):
        self.target = target
        self.verbose = verbose
        self.width = width
        self.stream = stream if stream is not None else sys.stdout
        self.dynamic = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = time.time()
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
        bar = ""
        if self.target:
            done = int(self.width * min(current / self.target, 1.0))
            bar = " " + "━" * done + "─" * (self.width - done)
        if finalize or not self.target:
            timing = f"{elapsed:.0f}s"
        else:
            timing = f"{per_step * (self.target - current):.0f}s"
        line = f"{count}{bar} {timing} {format_time(per_step)}{metrics}"
        if not interactive:
            logging.getLogger("jnet").info(line)
            return
        if self.dynamic:
            pad = " " * max(self._prev_width - len(line), 0)
            self.stream.write("\r" + line + pad + ("\n" if finalize else ""))
        else:
            self.stream.write(line + "\n")
        self._prev_width = len(line)
        self.stream.flush()
