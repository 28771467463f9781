"""Bounded reads of files jnet did not write: regular files only, JSON of bounded depth.

Every loader opens its file through :func:`open_regular`, which refuses at once anything
but a regular file — a directory, a FIFO (whose ``open`` would wait forever for a writer), a
socket, or a device such as ``/dev/zero`` or ``/dev/urandom`` (endless data), also when
reached through a symbolic link — with a :class:`FileFormatError` naming the path and what it
is. JSON from a file goes through :func:`load_json`, which refuses nesting deeper than
``MAX_JSON_DEPTH`` (no Keras or jnet file nests a tenth as deep), so no later walk over the
value can hit Python's recursion limit.

Example:
    >>> import tempfile
    >>> from jnet.saving._reading import FileFormatError, load_json, open_regular
    >>> load_json('{"a": [1, 2]}', "config", "m.jnet")
    {'a': [1, 2]}
    >>> try:
    ...     open_regular(tempfile.mkdtemp())
    ... except FileFormatError as e:
    ...     print(str(e).split(" is ")[1].split(",")[0])
    a directory
"""

from __future__ import annotations

import json
import os
import stat
from typing import IO, Any

from jnet import errors

__all__ = ["MAX_JSON_DEPTH", "FileFormatError", "load_json", "open_regular", "require_regular"]

#: Deepest JSON nesting accepted in a file's header or configuration.
MAX_JSON_DEPTH = 100

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class FileFormatError(errors.JnetValueError):
    """A file is not a valid jnet file of the expected kind (corrupt, truncated or foreign)."""


def _refuse(path: str, mode: int) -> FileFormatError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    resolved = os.path.realpath(path)
    via = f" (through a link to {resolved!r})" if resolved != os.path.abspath(path) else ""
    return FileFormatError(
        f"{path!r} is {kind}{via}, not a regular file; jnet reads models, weights and "
        f"checkpoints only from regular files. Nothing was read: give the path of a saved file."
    )


def require_regular(path: str | os.PathLike) -> os.stat_result:
    """``os.stat`` of ``path`` (links followed) when it is a regular file.

    Args:
        path: the file.

    Raises:
        FileFormatError: ``path`` is a directory, FIFO, socket or device.
        FileNotFoundError: no such file.
    """
    path = os.fspath(path)
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, info.st_mode)
    return info


def open_regular(path: str | os.PathLike) -> IO[bytes]:
    """Opens ``path`` for binary reading if, and only if, it is a regular file.

    The file is checked before it is opened, and opened without blocking so that a FIFO
    swapped in between cannot hang the call; the open file is checked again.

    Args:
        path: the file.

    Returns:
        The open file (binary, blocking reads).

    Raises:
        FileFormatError: ``path`` is a directory, FIFO, socket or device.
        FileNotFoundError: no such file.
    """
    path = os.fspath(path)
    require_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse(path, mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def load_json(text: str | bytes, what: str, path: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` of a file's ``what``; any failure is a :class:`FileFormatError`.

    Args:
        text: the JSON (``bytes`` are decoded as UTF-8).
        what: what the JSON is, for error messages (``'model configuration'``).
        path: the file, for error messages.
        max_depth: the deepest nesting of lists and dicts accepted.

    Raises:
        FileFormatError: not UTF-8, not JSON, or nested deeper than ``max_depth``.
    """
    deep = FileFormatError(
        f"{path!r}: the {what} nests lists and dicts more than {max_depth} levels deep; no "
        f"saved model does. The file is corrupt or crafted. Nothing was built."
    )
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        value = json.loads(text)
    except RecursionError:
        raise deep from None
    except (TypeError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FileFormatError(f"{path!r}: the {what} is not valid JSON ({e}).") from None
    if _depth_exceeds(value, max_depth):
        raise deep
    return value
