"""``keras.utils.get_file``: download a file into Keras's cache, verify it, extract archives.

The cache is Keras's: ``$KERAS_HOME`` when that variable is set, else ``~/.keras`` (and
``/tmp/.keras`` when that folder cannot be written), with files under ``datasets/`` by default,
so a machine that ran Keras reuses its downloads. Unlike Keras, ``KERAS_HOME`` is read at each
call, not once at import.

A download goes to a hidden temporary file in the cache folder, is hashed while it is written,
and is renamed over its destination (``os.replace``, atomic) only when the hash matches: an
interrupted download or a bad checksum leaves nothing behind (a killed process leaves a hidden
``.<name>.jnet-<pid>-*.part``, removed by the next call for that name). Archives are
extracted by :func:`jnet.utils.archives.extract_archive`, which refuses members that would
leave the folder, links pointing outside it, device files, and zip or tar bombs.

Example:
    >>> import os, pathlib, tempfile
    >>> from jnet.utils import get_file
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("hello")
    >>> path = get_file(origin=(folder / "notes.txt").as_uri(), cache_dir=str(folder / "cache"))
    Downloading data from file:///.../notes.txt
    5/5 ━━━━━━━━━━━━━━━━━━━━ 0s ...
    >>> os.path.relpath(path, folder)
    'cache/datasets/notes.txt'
    >>> hash_file(path)[:16]
    '2cf24dba5fb0a30e'
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
from typing import Any

from jnet import config, errors
from jnet.utils import archives
from jnet.utils._atomic import atomic_path
from jnet.utils.archives import extract_archive as extract_archive
from jnet.utils.progbar import Progbar

__all__ = ["extract_archive", "get_file", "hash_file", "keras_home", "validate_file"]

_CHUNK = 2**16
_HASH_ALGORITHMS = ("auto", "sha256", "md5")


def keras_home() -> str:
    """Keras's cache root: ``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras`` when the home
    folder cannot be written), read now.

    Example:
        >>> import os
        >>> os.path.basename(keras_home()) if "KERAS_HOME" not in os.environ else ".keras"
        '.keras'
    """
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def _writable_root(cache_dir: str) -> str:
    root = os.path.expanduser(cache_dir)
    with contextlib.suppress(OSError):
        os.makedirs(root, exist_ok=True)
    if not os.access(root, os.W_OK):
        root = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return root


def _hasher(algorithm: str, file_hash: str | None = None) -> Any:
    if algorithm == "sha256" or (
        algorithm == "auto" and file_hash is not None and len(file_hash) == 64
    ):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath: str | os.PathLike, algorithm: str = "sha256", chunk_size: int = 65535) -> str:
    """The hex digest of a file (``keras.utils.file_utils.hash_file``).

    Args:
        fpath: the file.
        algorithm: ``'sha256'`` (default), ``'md5'``, or ``'auto'`` (md5 without a hash to
            compare with).
        chunk_size: bytes read at a time.

    Returns:
        The digest as a hex string.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty"
        >>> path.touch()
        >>> hash_file(path)
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    hasher = _hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath: str | os.PathLike, file_hash: str, algorithm: str = "auto",
                  chunk_size: int = 65535) -> bool:
    """Whether a file's sha256 or md5 digest is ``file_hash`` (``'auto'``: sha256 for a
    64-character hash, md5 otherwise).

    Args:
        fpath: the file.
        file_hash: the expected hex digest.
        algorithm: ``'auto'`` (default), ``'sha256'`` or ``'md5'``.
        chunk_size: bytes read at a time.

    Returns:
        True when the digests agree.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty"
        >>> path.touch()
        >>> validate_file(path, "d41d8cd98f00b204e9800998ecf8427e")  # md5 of nothing
        True
    """
    hasher = _hasher(algorithm, file_hash)
    return hash_file(fpath, hasher, chunk_size) == str(file_hash)


def _check_arguments(fname: Any, origin: Any, hash_algorithm: Any, archive_format: Any) -> None:
    if origin is None:
        raise errors.JnetValueError(
            'get_file: please specify the "origin" argument (URL of the file to download), '
            "received origin=None."
        )
    if not isinstance(origin, str):
        raise errors.JnetTypeError(
            f"get_file: origin must be a URL string, received {origin!r}."
        )
    if fname is not None and not isinstance(fname, str | os.PathLike):
        raise errors.JnetTypeError(f"get_file: fname must be a file name, received {fname!r}.")
    if hash_algorithm not in _HASH_ALGORITHMS:
        raise errors.JnetValueError(
            f"get_file: hash_algorithm must be one of {_HASH_ALGORITHMS}, "
            f"received {hash_algorithm!r}."
        )
    archives.resolve_formats(archive_format)


def get_file(
    fname: str | os.PathLike | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str | list[str] | None = "auto",
    cache_dir: str | None = None,
    force_download: bool = False,
) -> str:
    """Downloads a file from a URL if it is not already in the cache (``keras.utils.get_file``).

    The file at ``origin`` goes to ``cache_dir/cache_subdir/fname`` (by default
    ``~/.keras/datasets/fname``). A file already there is used without downloading, unless
    ``file_hash`` is given and does not match (then it is downloaded again) or
    ``force_download``. Archives (tar, tar.gz, tar.bz2, zip) can be extracted.

    **Downloading carries a risk**: give ``file_hash`` (from a separate channel) so that a
    corrupted or tampered file is refused.

    Args:
        fname: the file's name in the cache; None takes the last part of ``origin``'s path.
            With ``extract``, a name without an extension names the extraction folder.
        origin: the file's URL (``https://``, ``http://``, ``file://``...).
        untar: deprecated, as ``extract=True`` with ``archive_format='tar'``.
        md5_hash: deprecated, as ``file_hash`` with ``hash_algorithm='md5'``.
        file_hash: the expected sha256 or md5 hex digest of the file.
        cache_subdir: the folder under the cache root (an absolute path is used as is).
        hash_algorithm: ``'auto'`` (sha256 for a 64-character hash, md5 otherwise),
            ``'sha256'`` or ``'md5'``.
        extract: whether to extract the file as an archive.
        archive_format: ``'auto'`` (``['tar', 'zip']``), ``'tar'``, ``'zip'``, a list of
            those, or None (no format matches).
        cache_dir: the cache root; None is ``$KERAS_HOME`` or ``~/.keras``.
        force_download: download even when the file is in the cache.

    Returns:
        The downloaded file's path, or with ``extract``/``untar`` the extraction folder's.

    Raises:
        JnetValueError: no ``origin``, a path as ``fname``, a hash mismatch after the
            download, an unsafe or oversized archive.
        JnetError: the URL could not be fetched.

    Example:
        >>> import io, pathlib, tarfile, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> with tarfile.open(folder / "data.tar.gz", "w:gz") as tar:
        ...     info = tarfile.TarInfo("data/values.csv"); info.size = 4
        ...     tar.addfile(info, io.BytesIO(b"1,2\\n"))
        >>> path = get_file("data", origin=(folder / "data.tar.gz").as_uri(), extract=True,
        ...                 cache_dir=str(folder))
        Downloading data from file:///.../data.tar.gz
        117/117 ━━━━━━━━━━━━━━━━━━━━ 0s ...
        >>> (pathlib.Path(path) / "data" / "values.csv").read_text()
        '1,2\\n'
    """
    _check_arguments(fname, origin, hash_algorithm, archive_format)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    provided = os.fspath(fname) if fname is not None else None
    name = provided
    if not name:
        name = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not name:
            raise errors.JnetValueError(
                f"get_file: can't parse the file name from the origin provided: {origin!r}. "
                "Please specify the `fname` argument."
            )
    elif os.sep in name or (os.altsep and os.altsep in name):
        raise errors.JnetValueError(
            "get_file: paths are no longer accepted as the `fname` argument. To specify the "
            f"file's parent directory, use the `cache_dir` argument. Received: fname={name}"
        )

    datadir = os.path.join(_writable_root(keras_home() if cache_dir is None else cache_dir),
                           cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    extraction_dir = None
    if extract or untar:
        if provided and "." in name:
            download_target = os.path.join(datadir, name)
            extraction_dir = os.path.join(datadir, f"{name[: name.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, name)
            download_target = os.path.join(datadir, f"{name}_archive")
    else:
        download_target = os.path.join(datadir, name)

    download = force_download or not os.path.exists(download_target)
    if not download and file_hash is not None and not validate_file(
        download_target, file_hash, algorithm=hash_algorithm
    ):
        _say(
            "A local file was found, but it seems to be incomplete or outdated because the "
            f"{hash_algorithm} file hash does not match the original value of {file_hash} so "
            "we will re-download the data."
        )
        download = True
    if download:
        _download(origin, download_target, file_hash, hash_algorithm)

    if extraction_dir is None:
        return download_target
    if download or not os.path.isdir(extraction_dir):
        formats = ["tar"] if untar else archives.resolve_formats(archive_format)
        if not archives.extract_archive(download_target, extraction_dir, formats):
            warnings.warn("Could not extract archive.", stacklevel=2)
    return extraction_dir


def _say(message: str) -> None:
    """Keras's ``print_msg``: printed with interactive logging on, else logged."""
    if config.is_interactive_logging_enabled():
        print(message)
    else:
        logging.getLogger("jnet").info(message)


class _DownloadBar:
    def __init__(self, total: int | None):
        self.bar = Progbar(total) if config.is_interactive_logging_enabled() else None

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done)


def _download(origin: str, target: str, file_hash: str | None, algorithm: str) -> None:
    """Streams ``origin`` into a temporary file beside ``target``, checks its hash, renames."""
    _say(f"Downloading data from {origin}")
    directory, base = os.path.split(target)
    archives.remove_stale_parts(directory, base)
    hasher = _hasher(algorithm, file_hash)
    # atomic_path renames the temporary over target (fsynced) only if this block ends cleanly
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        try:
            response = urllib.request.urlopen(origin)  # noqa: S310 (the user's URL)
        except urllib.error.HTTPError as e:
            raise errors.JnetError(
                f"URL fetch failure on {origin}: {e.code} -- {e.msg}"
            ) from e
        except urllib.error.URLError as e:
            raise errors.JnetError(
                f"URL fetch failure on {origin}: {e.errno} -- {e.reason}"
            ) from e
        with response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            bar = _DownloadBar(total)
            done = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                bar.update(done)
        if total is not None and done < total:
            raise errors.JnetError(
                f"URL fetch failure on {origin}: the connection closed after {done} of "
                f"{total} bytes; nothing was written to the cache."
            )
        if file_hash is not None and hasher.hexdigest() != str(file_hash):
            raise errors.JnetValueError(
                f"Incomplete or corrupted file detected. The {algorithm} file hash of {origin} "
                f"does not match the provided value of {file_hash} (got {hasher.hexdigest()}): "
                "nothing was written to the cache."
            )


