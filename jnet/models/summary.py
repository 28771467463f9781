"""``model.summary()`` as Keras 3 prints it: a table of layers, output shapes and counts.

The table fits the terminal as Keras's does: ``line_length`` defaults to 88 characters (108
with the 'Connected to' column), or the terminal's width less 4 when that is smaller, and the
columns take Keras's ``positions`` of it, narrowed as Keras's table printer (rich) narrows
them (:func:`column_widths`).

Example:
    >>> import jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,))])
    >>> print(format_bytes(16))
    16.00 B
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from jnet import errors

# format_shape lives with the symbolic shapes (error messages of symbolic calls use it too).
from jnet.symbolic.shapes import format_shape as format_shape

_WIDTHS = (33, 24, 15)  # column_widths(76, None, 3): an 80-column terminal


def column_widths(
    line_length: int | None, positions: Sequence[float] | None, columns: int
) -> tuple[int, ...]:
    """The widths of the table's columns (borders excluded, padding included), as Keras 3
    computes them: ``positions`` (fractions of ``line_length``) cut the line into columns,
    then each column gains its padding and all shrink evenly until the table with its borders
    is ``line_length`` wide (rich's ``ratio_reduce``).

    Args:
        line_length: the table's width; None: Keras's default, 88 (108 with the 'Connected to'
            column), or the terminal's width less 4 when smaller.
        positions: the columns' right edges as fractions of ``line_length``; None: Keras's
            ``[0.45, 0.80, 1.0]`` (``[0.3, 0.56, 0.74, 1.0]`` with 'Connected to').
        columns: 3, or 4 with the 'Connected to' column.

    Example:
        >>> column_widths(76, None, 3), column_widths(76, None, 4)
        ((33, 24, 15), (21, 19, 12, 19))
    """
    if line_length is None:
        default = 88 if columns == 3 else 108
        line_length = min(default, shutil.get_terminal_size().columns - 4)
    if positions is None:
        positions = [0.45, 0.80, 1.0] if columns == 3 else [0.3, 0.56, 0.74, 1.0]
    if len(positions) != columns:
        raise errors.JnetValueError(
            f"summary() received positions={list(positions)!r}: expected {columns} positions, "
            f"one per column."
        )
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise errors.JnetValueError(
                f"Insufficient console width to print summary: line_length={line_length} "
                f"gives a column {width} characters wide (at least 4). Pass a larger "
                f"line_length, or widen the terminal."
            )
        widths.append(width + 2)  # and a space each side
        current += width
    excess = sum(widths) - (line_length - columns - 1)  # the borders take columns + 1
    remaining_ratio = columns
    for i in range(columns):  # rich's ratio_reduce with equal ratios (Python's rounding)
        if excess <= 0:
            break
        cut = min(widths[i], round(excess / remaining_ratio))
        widths[i] -= cut
        excess -= cut
        remaining_ratio -= 1
    return tuple(widths)


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


def _row(
    cells: Sequence[str], left: str, mid: str, right: str, widths=_WIDTHS, bottom: bool = False
) -> str:
    """One table row; a cell too long for its column wraps at spaces, as Keras's (rich) does.
    ``bottom``: cells of fewer lines sit at the bottom (rich's headers), else at the top."""
    wrapped = [_wrap(cell, width - 2) for cell, width in zip(cells, widths, strict=True)]
    if bottom:
        height = max(len(w) for w in wrapped)
        wrapped = [[""] * (height - len(w)) + w for w in wrapped]
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
    line_length: int | None = None,
    positions: Sequence[float] | None = None,
) -> str:
    """Renders the summary table; rows are ``(layer (type), output shape, param count)``,
    with a fourth cell, 'Connected to', for a graph that is not a chain. ``line_length`` and
    ``positions`` as :func:`column_widths`."""
    connected = bool(rows) and len(rows[0]) == 4
    widths = column_widths(line_length, positions, 4 if connected else 3)
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    lines = [f'Model: "{name}"']
    lines.append(_rule("┏", "┳", "┓", "━", widths))
    lines.append(_row(header, "┃", "┃", "┃", widths, bottom=True))
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
