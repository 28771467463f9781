"""Keras's ``keras.SymbolicScope``: a marker that code runs in the symbolic stage.

Inside ``with SymbolicScope():``, :func:`in_symbolic_scope` is True and
:func:`get_symbolic_scope` returns the innermost scope (Keras sets it while it traces a
layer on KerasTensors; code may read it to skip work that only matters on real arrays).
Scopes nest, per thread.

Example:
    >>> in_symbolic_scope()
    False
    >>> with SymbolicScope() as scope:
    ...     in_symbolic_scope(), get_symbolic_scope() is scope
    (True, True)
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["SymbolicScope", "get_symbolic_scope", "in_symbolic_scope"]

_STATE = threading.local()


def get_symbolic_scope() -> SymbolicScope | None:
    """The innermost active :class:`SymbolicScope` of this thread, or None."""
    return getattr(_STATE, "scope", None)


def in_symbolic_scope() -> bool:
    """Whether a :class:`SymbolicScope` is active in this thread."""
    return get_symbolic_scope() is not None


class SymbolicScope:
    """A scope marking the symbolic stage (``keras.SymbolicScope``; see the module).

    Example:
        >>> with SymbolicScope():
        ...     with SymbolicScope():
        ...         pass
        ...     in_symbolic_scope()
        True
    """

    def __enter__(self) -> SymbolicScope:
        self.original_scope = get_symbolic_scope()
        _STATE.scope = self
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _STATE.scope = self.original_scope
