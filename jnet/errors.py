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
import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import numpy as np

__all__ = [
    "JnetError",
    "JnetTypeError",
    "JnetValueError",
    "MissingExtraError",
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
    "require",
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


class MissingExtraError(JnetError, ImportError):
    """An optional dependency of a feature is not installed; the message names the jnet extra
    that installs it (``pip install 'jnet[h5]'``). An ``ImportError``, not a ``ValueError``:
    the input is fine, the environment lacks a package."""


# Import name -> the name pip installs it under, where the two differ.
_PIP_NAMES = {"PIL": "Pillow"}


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Imports an optional dependency, or raises :class:`MissingExtraError` with the install hint.

    Every optional import in jnet goes through here, so a missing package always names the
    extra that installs it.

    Args:
        module: the module to import (``'h5py'``, ``'matplotlib'``, ``'tensorboardX'``,
            ``'PIL'``).
        extra: the jnet extra that installs it (``'h5'``, ``'plot'``, ``'tensorboard'``,
            ``'images'``).
        feature: what needs it, as the user called it (``"save_weights('x.weights.h5')"``).

    Returns:
        The imported module.

    Raises:
        MissingExtraError: the module cannot be imported (an ``ImportError``).

    Example:
        >>> require("json", "none", "this example").__name__
        'json'
        >>> import sys
        >>> saved, sys.modules["h5py"] = sys.modules.get("h5py"), None
        >>> try:
        ...     require("h5py", "h5", "save_weights('w.weights.h5')")
        ... except ImportError as e:
        ...     print(e)  # doctest: +NORMALIZE_WHITESPACE
        save_weights('w.weights.h5') needs h5py, an optional dependency of jnet that is not
        installed: install it with `pip install 'jnet[h5]'` (or `pip install h5py`).
        >>> if saved is None:
        ...     del sys.modules["h5py"]
        ... else:
        ...     sys.modules["h5py"] = saved
    """
    top = module.split(".")[0]
    try:
        importlib.import_module(top)  # first: a submodule may be cached while its package is not
        return importlib.import_module(module)
    except ImportError as e:
        package = _PIP_NAMES.get(top, top)
        raise MissingExtraError(
            f"{feature} needs {package}, an optional dependency of jnet that is not installed: "
            f"install it with `pip install 'jnet[{extra}]'` (or `pip install {package}`)."
        ) from e


def _edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring characters ('adma' -> 'adam') each cost 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def nearest(received: str, valid: Iterable[str]) -> str | None:
    """Returns the valid name closest to ``received``, or None when nothing is close.

    Ranked by exact prefix, then edit distance, ignoring case: the shortest valid name that
    starts with ``received`` (``'ada'`` -> ``'adam'``); else the fewest edits, where swapping
    two neighbouring letters is one edit (``'adma'`` -> ``'adam'``, not ``'adamax'``), within
    about a third of the name's length, ties going to a name ``received`` starts with
    (``'adamm'`` -> ``'adam'``, not ``'adamw'``), then to the longer common prefix; else, when
    nothing is within reach, the most similar by ``difflib`` (at least 0.6). Among names equal
    but for case (``'Adam'``, ``'adam'``) the one closest in case to ``received`` is returned.

    Args:
        received: the misspelt name.
        valid: the names to choose from.

    Example:
        >>> nearest("adma", ["Adam", "Adamax", "adam", "adamax", "adamw", "nadam", "sgd"])
        'adam'
        >>> nearest("ada", ["adagrad", "adam", "adamax"])
        'adam'
        >>> nearest("xyz", ["adam", "sgd"]) is None
        True
    """
    spellings: dict[str, list[str]] = {}
    for name in valid:
        spellings.setdefault(name.lower(), []).append(name)
    key = received.lower()
    if not key or not spellings:
        return None
    best = _nearest_lowered(key, list(spellings))
    if best is None:
        return None
    return min(spellings[best], key=lambda v: (_edit_distance(received, v), not v.islower(), v))


def _nearest_lowered(key: str, names: list[str]) -> str | None:
    if key in names:
        return key
    if len(key) >= 2:
        longer = [v for v in names if v.startswith(key)]
        if longer:
            return min(longer, key=lambda v: (len(v), v))
    distance, *_, best = min(
        (_edit_distance(key, v), not key.startswith(v), -_common_prefix(key, v), len(v), v)
        for v in names
    )
    if distance <= max(1, round(len(key) / 3)):
        return best
    match = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return match[0] if match else None


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
