"""The call-context stack: while a subclassed model's ``call`` is traced into a pure forward,
its context is on this stack, and every layer called inside is routed to it.

A context is any object with ``owns(layer) -> bool`` (may raise to explain a layer that is
not the model's) and ``call(layer, args, kwargs) -> outputs``; ``jnet.models.subclassing``
provides one and enters it with :func:`call_context`. :func:`jnet.symbolic.call.intercept`
reads :func:`current_context`.

Example:
    >>> from jnet.symbolic.context import call_context, current_context
    >>> current_context() is None
    True
    >>> with call_context("ctx"):
    ...     current_context()
    'ctx'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["call_context", "current_context", "pop_context", "push_context"]

_STACK: list[Any] = []


def current_context() -> Any:
    """The innermost call context being traced, if any (else None)."""
    return _STACK[-1] if _STACK else None


def push_context(context: Any) -> None:
    """Makes ``context`` the current one (undo with :func:`pop_context`)."""
    _STACK.append(context)


def pop_context() -> Any:
    """Removes and returns the current context."""
    return _STACK.pop()


@contextlib.contextmanager
def call_context(context: Any) -> Iterator[Any]:
    """``context`` is the current one inside the block."""
    push_context(context)
    try:
        yield context
    finally:
        pop_context()
