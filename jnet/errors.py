"""jnet's exceptions and the wording they share.

Every error jnet raises for bad input is a :class:`JnetError` that also subclasses the
built-in ``ValueError`` or ``TypeError``, so ``except ValueError`` keeps working for code
written against Keras. Messages say what was received, what was expected, and how to fix it.

Example:
    >>> import jnet
    >>> try:
    ...     jnet.optimizers.get("adamm")
    ... except ValueError as e:
    ...     print(type(e).__name__)
    UnknownIdentifierError
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class JnetError(Exception):
    """Base class of every error jnet raises on purpose."""


class JnetValueError(JnetError, ValueError):
    """A value is out of range, of the wrong shape, or inconsistent with another."""


class JnetTypeError(JnetError, TypeError):
    """A value has the wrong type."""


class UnknownIdentifierError(JnetValueError):
    """A string identifier (optimizer, loss, activation, ...) is not known."""


class NotCompiledError(JnetValueError):
    """``fit``/``evaluate`` was called before ``compile``."""


class NotBuiltError(JnetValueError):
    """The model's input shape is not known yet, so its weights do not exist."""


def nearest(received: str, valid: Iterable[str]) -> str | None:
    """Returns the valid name closest to ``received``, or None when nothing is close."""
    valid = list(valid)
    lowered = {v.lower(): v for v in valid}
    match = difflib.get_close_matches(received.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def unknown_identifier(kind: str, received: object, valid: Iterable[str]) -> UnknownIdentifierError:
    """Builds the error for an unknown string identifier, listing the valid ones."""
    valid = sorted(set(valid))
    hint = nearest(str(received), valid) if isinstance(received, str) else None
    message = f"Unknown {kind}: {received!r}."
    if hint is not None:
        message += f" Did you mean {hint!r}?"
    message += f" Valid {kind} names: {', '.join(repr(v) for v in valid)}."
    return UnknownIdentifierError(message)


def describe(value: object) -> str:
    """A short description of a received value for error messages: type, shape, dtype."""
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} (type {type(value).__name__})"
