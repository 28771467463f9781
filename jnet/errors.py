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
from typing import Any

import numpy as np

__all__ = [
    "JnetError",
    "JnetTypeError",
    "JnetValueError",
    "NanLossWarning",
    "NotBuiltError",
    "NotCompiledError",
    "UnknownIdentifierError",
    "describe",
    "must_be_bool",
    "must_be_non_negative_int",
    "must_be_positive_int",
    "nan_loss_message",
    "nearest",
    "not_finite",
    "require_bool",
    "unknown_identifier",
]


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


class NanLossWarning(UserWarning):
    """The training loss became NaN or infinite (warned once per ``fit``)."""


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


def unknown_arguments(owner: str, received: Iterable[str], valid: Iterable[str]) -> JnetTypeError:
    """The error for keyword arguments ``owner`` does not take (e.g. a misspelt one), with the
    nearest valid name for each and the list of valid ones."""
    valid = [v for v in valid if not v.startswith("_")]
    parts = []
    for name in received:
        hint = nearest(name, valid)
        parts.append(f"{name!r}" + (f" (did you mean {hint!r}?)" if hint else ""))
    return JnetTypeError(
        f"{owner} received unknown keyword argument(s) {', '.join(parts)}. {owner} takes: "
        f"{', '.join(valid)}."
    )


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


def _owner(owner: str | None) -> str:
    return f"{owner}: " if owner else ""


def must_be_positive_int(argument: str, value: Any, owner: str | None = None) -> JnetValueError:
    """The error for a count (``units``, ``batch_size``, ``epochs``) that is not an int > 0.

    Example:
        >>> print(must_be_positive_int("units", 2.5, "Dense"))
        Dense: units must be a positive integer, received 2.5.
    """
    hint = " (a bool is not a count)" if isinstance(value, bool | np.bool_) else ""
    return JnetValueError(
        f"{_owner(owner)}{argument} must be a positive integer, received {value!r}{hint}."
    )


def must_be_non_negative_int(
    argument: str, value: Any, owner: str | None = None
) -> JnetValueError:
    """The error for an index or count that may be 0 (``initial_epoch``, ``epochs``).

    Example:
        >>> print(must_be_non_negative_int("initial_epoch", -1))
        initial_epoch must be a non-negative integer, received -1.
    """
    hint = " (a bool is not a count)" if isinstance(value, bool | np.bool_) else ""
    return JnetValueError(
        f"{_owner(owner)}{argument} must be a non-negative integer, received {value!r}{hint}."
    )


def must_be_bool(argument: str, value: Any, owner: str | None = None) -> JnetTypeError:
    """The error for a flag that is not ``True`` or ``False``.

    Example:
        >>> print(must_be_bool("use_bias", "yes", "Dense"))
        Dense: use_bias must be True or False, received 'yes' (type str).
    """
    return JnetTypeError(
        f"{_owner(owner)}{argument} must be True or False, received {describe(value)}."
    )


def require_bool(value: Any, argument: str, owner: str | None = None) -> bool:
    """Checks a flag argument: ``True``/``False`` (numpy bools too), else :func:`must_be_bool`.

    Example:
        >>> require_bool(True, "use_bias", "Dense")
        True
    """
    if not isinstance(value, bool | np.bool_):
        raise must_be_bool(argument, value, owner)
    return bool(value)


def not_finite(
    argument: str, array: np.ndarray, where: str = "", rows: np.ndarray | None = None
) -> JnetValueError:
    """The error for NaN or infinite values in data passed to ``fit``/``evaluate``/``predict``.

    Names how many values are NaN and infinite and the first one's position. Values too large
    for float32 (``1e300``) become infinite when cast, and are reported here too.

    Args:
        argument: ``'x'``, ``'y'``, ``'sample_weight'``.
        array: the (cast) array holding the bad values.
        where: where the array came from, e.g. ``' (a streamed chunk)'``.
        rows: for a chunk of a larger array, the row of the whole array of each of its rows.

    Example:
        >>> print(not_finite("x", np.array([[1.0, np.nan], [np.inf, 2.0]])))  # doctest: +ELLIPSIS
        x contains 1 NaN and 1 infinite value(s); the first is x[0, 1] = nan. ...
    """
    array = np.asarray(array)
    nans = int(np.count_nonzero(np.isnan(array)))
    infs = int(np.count_nonzero(np.isinf(array)))
    first = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    value = array[first]
    if rows is not None and first:
        first = (int(rows[first[0]]), *first[1:])
    index = ", ".join(str(i) for i in first)
    return JnetValueError(
        f"{argument}{where} contains {nans} NaN and {infs} infinite value(s); the first is "
        f"{argument}[{index}] = {float(value)!r}. Training on them gives NaN weights. Clean "
        f"the data (drop or impute those rows, np.nan_to_num, or check for float32 overflow: "
        f"|values| > 3.4e38), or call jnet.config.set_check_finite(False) to allow them."
    )


def nan_loss_message(epoch: int, batch: int | None = None, value: float = float("nan")) -> str:
    """The warning ``fit`` gives when the loss becomes NaN or infinite.

    Args:
        epoch: the epoch (0-based, as callbacks count it).
        batch: the batch, when known (batch logs were fetched).
        value: the loss.

    Example:
        >>> print(nan_loss_message(2))  # doctest: +ELLIPSIS
        The loss became nan in epoch 3 (epoch index 2). ...
    """
    at = f"epoch {epoch + 1} (epoch index {epoch})"
    if batch is not None:
        at = f"batch {batch} of {at}"
    return (
        f"The loss became {value} in {at}. Training diverged: lower the learning rate, "
        f"scale the inputs (e.g. to [0, 1]), check the labels, or clip gradients "
        f"(clipnorm=1.0). Pass callbacks=[jnet.callbacks.TerminateOnNaN()] to stop at the first "
        f"such batch."
    )
