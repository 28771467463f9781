"""A griffe extension for ``make docs``: jnet's ``Example:`` sections render as examples.

jnet's docstrings title their doctests ``Example:`` (as Keras's do); griffe's Google parser
knows only ``Examples:`` as a code section and renders ``Example:`` as Markdown text, where
``[[1.0, 0.5]]`` in a doctest's output reads as a cross-reference. ``mkdocs.yml`` loads this
file (``extensions:``), which renames the section before griffe parses it.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Renames ``Example:`` to ``Examples:`` in every docstring griffe loads."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE.sub(r"\1Examples:", obj.docstring.value)
