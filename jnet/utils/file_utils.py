"""``get_file`` (``keras.utils.get_file``): a stand-in until the downloader lands.

This minimal version only finds a file already in Keras's cache (``$KERAS_HOME`` or
``~/.keras``, then ``cache_subdir``, then ``fname``), which is all the applications need to
be built and tested; fetching from ``origin`` raises ``NotImplementedError``. The full
``get_file`` (download, checksum, extraction) replaces this file.

Example:
    >>> import os, tempfile
    >>> from jnet.utils.file_utils import get_file
    >>> home = tempfile.mkdtemp(); os.makedirs(os.path.join(home, "models"))
    >>> open(os.path.join(home, "models", "a.txt"), "w").close()
    >>> os.path.basename(get_file("a.txt", "https://example.com/a.txt", cache_subdir="models",
    ...                           cache_dir=home))
    'a.txt'
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["get_file"]


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: Any = "auto",
    cache_dir: str | None = None,
    force_download: bool = False,
) -> str:
    """The path of ``fname`` in Keras's cache (``$KERAS_HOME`` or ``~/.keras``).

    Args:
        fname: the file's name in the cache (default: the last part of ``origin``).
        origin: the address the file comes from.
        untar, md5_hash, file_hash, hash_algorithm, extract, archive_format: as Keras's
            (not used by this stand-in).
        cache_subdir: the folder under the cache (an absolute path is used as is).
        cache_dir: the cache (default ``$KERAS_HOME`` or ``~/.keras``).
        force_download: always fetch (not possible in this stand-in).

    Example:
        >>> get_file("surely-absent.bin", "https://example.com/x", cache_dir="/nonexistent")
        Traceback (most recent call last):
        ...
        NotImplementedError: ...
    """
    if origin is None:
        raise ValueError(
            'Please specify the "origin" argument (URL of the file to download).'
        )
    if cache_dir is None:
        cache_dir = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    name = os.fspath(fname) if fname else os.path.basename(origin.rstrip("/"))
    path = os.path.join(os.path.expanduser(cache_dir), cache_subdir, name)
    if os.path.isfile(path) and not force_download:
        return path
    raise NotImplementedError(
        f"{name!r} is not in the cache ({path}) and this jnet build cannot download yet; "
        f"fetch {origin} there yourself."
    )
