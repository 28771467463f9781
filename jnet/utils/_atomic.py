"""Atomic file replacement: a save interrupted at any point leaves the previous file intact.

The new content goes to a temporary file in the destination's folder; it is flushed and
fsynced, renamed over the destination with ``os.replace`` (atomic on POSIX and Windows), and
the folder is fsynced so the rename itself survives a power cut. An exception (or a killed
process) before the rename leaves the old file untouched; the temporary file is removed on an
exception. A killed process leaves a hidden ``.<name>.jnet-<host>-<pid>-<random>.tmp`` file
behind; the next save of the same ``<name>`` removes such leftovers, and only those: files of
that exact pattern whose process (same host, that pid) is no longer running. Other files,
and the temporaries of saves still running, are never touched.

Example:
    >>> import os, tempfile
    >>> from jnet.saving import atomic_write
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with atomic_write(path) as f:
    ...     _ = f.write(b"hello")
    >>> open(path, "rb").read()
    b'hello'
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any

from jnet import errors

__all__ = ["atomic_path", "atomic_write"]

_UMASK: list[int] = []
#: This process's temporaries being written now (another thread may save the same target).
_ACTIVE: set[str] = set()
_LOCK = threading.Lock()
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32] or "host"


def _prefix(base: str) -> str:
    return f".{base}.jnet-{_HOST}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def remove_stale_temporaries(path: str | os.PathLike) -> list[str]:
    """Removes the temporaries that killed saves of ``path`` left in its folder.

    Only files named as :func:`atomic_path` names them for this very target, written on this
    host by a process that no longer runs (or by this process, and no longer being written).

    Args:
        path: the destination file.

    Returns:
        The paths removed.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    prefix = _prefix(os.path.basename(path))
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[a-z0-9_]+\.tmp")
    removed = []
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        with _LOCK:
            if entry.path in _ACTIVE:
                continue
        pid = int(match.group(1))
        if pid != os.getpid() and _alive(pid):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
            removed.append(entry.path)
    return removed


def _file_mode() -> int:
    """The mode ``open()`` would give a new file (0o666 less the umask), read once."""
    if not _UMASK:
        mask = os.umask(0o022)
        os.umask(mask)
        _UMASK.append(mask)
    return 0o666 & ~_UMASK[0]


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yields a temporary path to write to; on success it atomically replaces ``path``.

    For libraries that write by file name (h5py). The temporary file exists (empty) when
    the block starts; it is fsynced, renamed over ``path`` and the folder fsynced when the
    block ends without an exception, and removed when it raises.

    Args:
        path: the destination file.

    Yields:
        The temporary file's path, in the same folder as ``path``.

    Example:
        >>> import os, tempfile
        >>> from jnet.saving import atomic_path
        >>> path = os.path.join(tempfile.mkdtemp(), "data.bin")
        >>> with atomic_path(path) as tmp:
        ...     _ = open(tmp, "wb").write(b"123")
        >>> open(path, "rb").read()
        b'123'
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(path)
    prefix = f"{_prefix(os.path.basename(path))}{os.getpid()}-"
    with _LOCK:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
        _ACTIVE.add(tmp)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, _file_mode())
        _fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        with _LOCK:
            _ACTIVE.discard(tmp)
    _fsync_directory(directory)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", **open_kwargs: Any) -> Iterator[IO]:
    """Opens a temporary file for writing that atomically replaces ``path`` on success.

    Write to the yielded file object. When the ``with`` block ends normally the file is
    flushed, fsynced and renamed over ``path`` (``os.replace``), then the folder is fsynced.
    When it raises, the temporary file is deleted and ``path`` keeps its previous content.

    Args:
        path: the destination file.
        mode: ``'wb'`` (default) or ``'w'`` for text.
        **open_kwargs: passed to ``open`` (``encoding=...``).

    Yields:
        The open temporary file.

    Example:
        >>> import os, tempfile
        >>> from jnet.saving import atomic_write
        >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
        >>> with atomic_write(path, "w") as f:
        ...     _ = f.write("one")
        >>> try:
        ...     with atomic_write(path, "w") as f:
        ...         _ = f.write("two")
        ...         raise RuntimeError("crash mid-write")
        ... except RuntimeError:
        ...     pass
        >>> open(path).read()
        'one'
    """
    if mode not in ("w", "wb"):
        raise errors.JnetValueError(
            f"atomic_write: mode must be 'w' or 'wb', received {mode!r}."
        )
    with atomic_path(path) as tmp, open(tmp, mode, **open_kwargs) as f:
        yield f
        f.flush()
        os.fsync(f.fileno())
