"""Extracting tar and zip archives safely, and the temporaries of cut-short writes.

:func:`extract_archive` writes members into a hidden temporary folder that replaces the
destination only once every member is out. It refuses (with :class:`jnet.errors.JnetValueError`,
leaving nothing behind) members whose path leaves the folder, links that point outside it,
device files and pipes, and archives over the caps ``MAX_EXTRACTED_BYTES`` (total size, counted
on the bytes actually written, so a lying header does not help) and ``MAX_ARCHIVE_MEMBERS``: a
zip or tar bomb stops there. Keras skips unsafe members with a warning; jnet refuses the
archive. Raise the caps (``jnet.utils.archives.MAX_EXTRACTED_BYTES = ...``) for a larger
archive you trust.

A process killed while writing leaves a hidden ``.<name>.jnet-<pid>-*.part`` file or folder;
:func:`remove_stale_parts` removes those of processes no longer running.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from jnet import errors

__all__ = [
    "MAX_ARCHIVE_MEMBERS",
    "MAX_EXTRACTED_BYTES",
    "extract_archive",
    "part_prefix",
    "remove_stale_parts",
    "resolve_formats",
]

#: Extraction stops (and removes what it wrote) past this many bytes in all: a zip/tar bomb.
MAX_EXTRACTED_BYTES = 64 * 2**30
#: ... or past this many members.
MAX_ARCHIVE_MEMBERS = 1_000_000

_CHUNK = 2**16
_ARCHIVE_FORMATS = ("tar", "zip")


def resolve_formats(archive_format: Any) -> list[str]:
    """The formats ``archive_format`` names (``'auto'``: tar then zip; None: none)."""
    if archive_format is None:
        return []
    formats = list(_ARCHIVE_FORMATS) if archive_format == "auto" else archive_format
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list | tuple) or any(f not in _ARCHIVE_FORMATS for f in formats):
        raise errors.JnetValueError(
            "archive_format must be 'auto', 'tar', 'zip', a list of those, or None; "
            f"received {archive_format!r}."
        )
    return list(formats)


def part_prefix(base: str) -> str:
    """The start of this process's temporaries for ``base`` (see :func:`remove_stale_parts`)."""
    return f".{base}.jnet-{os.getpid()}-"


def remove_stale_parts(directory: str, base: str) -> None:
    """Removes the ``.<base>.jnet-<pid>-*.part`` files and folders that killed processes left
    (a download or extraction cut short); those of running processes are left alone."""
    pattern = re.compile(re.escape(f".{base}.jnet-") + r"(\d+)-[^/]*\.part")
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            match = pattern.fullmatch(entry.name)
            if match is None or _running(int(match.group(1))):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # os.kill(pid, 0) would end it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it runs
        return True
    return True


def extract_archive(file_path: str | os.PathLike, path: str | os.PathLike = ".",
                    archive_format: str | list[str] | None = "auto") -> bool:
    """Extracts a tar (plain, gz, bz2, xz) or zip archive into ``path``, safely.

    Members are written into a temporary folder beside ``path`` that replaces ``path`` when all
    are out. Refused (the archive is not extracted, nothing is left behind): a member whose path
    leaves the folder, a link that points outside it, a device file or pipe, more than
    ``MAX_ARCHIVE_MEMBERS`` members or ``MAX_EXTRACTED_BYTES`` bytes in all.

    Args:
        file_path: the archive.
        path: the folder to extract into.
        archive_format: ``'auto'`` (``['tar', 'zip']``), ``'tar'``, ``'zip'``, a list, or None.

    Returns:
        True if the file matched a format and was extracted, False otherwise.

    Raises:
        JnetValueError: an unsafe or oversized archive.

    Example:
        >>> import pathlib, tempfile, zipfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with zipfile.ZipFile(folder / "a.zip", "w") as z:
        ...     z.writestr("../escape.txt", "x")
        >>> try:
        ...     extract_archive(folder / "a.zip", folder / "out")
        ... except ValueError as e:
        ...     print(str(e)[:58])
        Refusing to extract ../escape.txt from a.zip: its path lea
        >>> (folder / "out").exists()
        False
    """
    file_path, path = os.fspath(file_path), os.path.abspath(os.fspath(path))
    for kind in resolve_formats(archive_format):
        if kind == "tar" and tarfile.is_tarfile(file_path):
            opener, writer = tarfile.open, _extract_tar
        elif kind == "zip" and zipfile.is_zipfile(file_path):
            opener, writer = zipfile.ZipFile, _extract_zip
        else:
            continue
        parent = os.path.dirname(path)
        os.makedirs(parent, exist_ok=True)
        remove_stale_parts(parent, os.path.basename(path))
        staging = tempfile.mkdtemp(prefix=part_prefix(os.path.basename(path)), suffix=".part",
                                   dir=parent)
        try:
            with opener(file_path) as archive:
                writer(archive, os.path.realpath(staging), os.path.basename(file_path))
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.remove(path)
            os.replace(staging, path)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return True
    return False


class _Budget:
    """Counts members and bytes written against the caps."""

    def __init__(self, archive: str):
        self.archive, self.members, self.bytes = archive, 0, 0

    def member(self, name: str) -> None:
        self.members += 1
        if self.members > MAX_ARCHIVE_MEMBERS:
            raise errors.JnetValueError(
                f"Refusing to extract {self.archive}: it has more than MAX_ARCHIVE_MEMBERS="
                f"{MAX_ARCHIVE_MEMBERS} members (at {name!r}); a zip or tar bomb?"
            )

    def copy(self, source: IO[bytes], target: str, name: str) -> None:
        with open(target, "wb") as out:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                self.bytes += len(chunk)
                if self.bytes > MAX_EXTRACTED_BYTES:
                    raise errors.JnetValueError(
                        f"Refusing to extract {self.archive}: it holds more than "
                        f"MAX_EXTRACTED_BYTES={MAX_EXTRACTED_BYTES} bytes (at {name!r}); "
                        "a zip or tar bomb?"
                    )
                out.write(chunk)


def _inside(base: str, name: str, archive: str, member: str | None = None,
            what: str = "its path") -> str:
    """``base/name`` resolved (links followed), or an error naming ``member`` (default
    ``name``) when that is not inside ``base``."""
    target = os.path.realpath(os.path.join(base, name))
    if os.path.isabs(name) or os.path.commonpath([target, base]) != base:
        raise errors.JnetValueError(
            f"Refusing to extract {member or name} from {archive}: {what} leaves the extraction "
            "folder. The archive may be malicious; nothing was extracted."
        )
    return target


def _extract_tar(archive: tarfile.TarFile, base: str, label: str) -> None:
    budget = _Budget(label)
    for info in _members(archive):
        budget.member(info.name)
        target = _inside(base, info.name, label)
        if info.isdir():
            os.makedirs(target, exist_ok=True)
        elif info.issym():
            link = f"its link to {info.linkname}"
            if os.path.isabs(info.linkname):  # always refused
                _inside(base, info.linkname, label, info.name, link)
            _inside(base, os.path.join(os.path.dirname(info.name), info.linkname), label,
                    info.name, link)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(info.linkname, target)
        elif info.isfile() or info.islnk():
            if info.islnk():  # a hard link: written as a copy of the member it names
                _inside(base, info.linkname, label, info.name, f"its link to {info.linkname}")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            source = archive.extractfile(info)
            if source is None:  # pragma: no cover (a regular member always has data)
                continue
            with source:
                budget.copy(source, target, info.name)
        else:
            raise errors.JnetValueError(
                f"Refusing to extract {info.name} from {label}: it is a device file or pipe, "
                "not a file, folder or link. The archive may be malicious."
            )


def _members(archive: tarfile.TarFile) -> Iterable[tarfile.TarInfo]:
    while (info := archive.next()) is not None:
        yield info


def _extract_zip(archive: zipfile.ZipFile, base: str, label: str) -> None:
    budget = _Budget(label)
    for info in archive.infolist():
        budget.member(info.filename)
        target = _inside(base, info.filename, label)
        if info.is_dir():
            os.makedirs(target, exist_ok=True)
            continue
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: no Unix type recorded
        if kind not in (0, stat.S_IFREG, stat.S_IFLNK):
            raise errors.JnetValueError(
                f"Refusing to extract {info.filename} from {label}: it is a device file or "
                "pipe, not a file or folder. The archive may be malicious."
            )
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with archive.open(info) as source:  # a zip "link" is written as the file it is
            budget.copy(source, target, info.filename)

