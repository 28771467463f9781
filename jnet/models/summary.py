"""``model.summary()`` as Keras 3 prints it: a table of layers, output shapes and counts.

Example:
    >>> import jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,))])
    >>> print(format_bytes(16))
    16.00 B
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

# format_shape lives with the symbolic shapes (error messages of symbolic calls use it too).
from jnet.symbolic.shapes import format_shape as format_shape

_WIDTHS = (33, 24, 15)
# A graph that is not a chain adds Keras's 'Connected to' column (Keras's positions
# [0.3, 0.56, 0.74, 1.0] of the same 76-character line).
_WIDTHS_CONNECTED = (21, 19, 12, 19)


def format_bytes(n: float) -> str:
    """Keras's size format: ``3.00 KB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.2f} {unit}"
        n /= 1024
    return f"{n:.2f} GB"


def _wrap(cell: str, width: int) -> list[str]:
    """A cell's lines as rich prints them: wrapped at spaces, a word longer than the column
    cut with an ellipsis."""
    lines = textwrap.wrap(cell, width, break_on_hyphens=False, break_long_words=False) or [""]
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines]


def _row(cells: Sequence[str], left: str, mid: str, right: str, widths=_WIDTHS) -> str:
    """One table row; a cell too long for its column wraps at spaces, as Keras's (rich) does."""
    wrapped = [_wrap(cell, width - 2) for cell, width in zip(cells, widths, strict=True)]
    lines = []
    for k in range(max(len(w) for w in wrapped)):
        parts = []
        for i, (cell_lines, width) in enumerate(zip(wrapped, widths, strict=True)):
            text = cell_lines[k] if k < len(cell_lines) else ""
            text = text.rjust(width - 2) if i == 2 else text.ljust(width - 2)
            parts.append(" " + text + " ")
        lines.append(left + mid.join(parts) + right)
    return "\n".join(lines)


def _rule(left: str, mid: str, right: str, fill: str, widths=_WIDTHS) -> str:
    return left + mid.join(fill * w for w in widths) + right


def render(
    name: str,
    rows: Sequence[tuple[Any, ...]],
    trainable: int,
    non_trainable: int,
    print_fn: Callable[[str], None] | None = None,
) -> str:
    """Renders the summary table; rows are ``(layer (type), output shape, param count)``,
    with a fourth cell, 'Connected to', for a graph that is not a chain."""
    connected = bool(rows) and len(rows[0]) == 4
    widths = _WIDTHS_CONNECTED if connected else _WIDTHS
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    lines = [f'Model: "{name}"']
    lines.append(_rule("┏", "┳", "┓", "━", widths))
    lines.append(_row(header, "┃", "┃", "┃", widths))
    lines.append(_rule("┡", "╇", "┩", "━", widths))
    for i, (layer, shape, count, *rest) in enumerate(rows):
        lines.append(_row((layer, shape, f"{count:,}", *rest), "│", "│", "│", widths))
        if i < len(rows) - 1:
            lines.append(_rule("├", "┼", "┤", "─", widths))
    lines.append(_rule("└", "┴", "┘", "─", widths))
    total = trainable + non_trainable
    lines.append(f" Total params: {total:,} ({format_bytes(total * 4)})")
    lines.append(f" Trainable params: {trainable:,} ({format_bytes(trainable * 4)})")
    lines.append(f" Non-trainable params: {non_trainable:,} ({format_bytes(non_trainable * 4)})")
    text = "\n".join(lines)
    (print_fn or print)(text)
    return text
