"""jnet's container: one safetensors file, JSON in its metadata, a checksum over everything.

A safetensors file is an 8-byte header length, a JSON header (tensor names, dtypes, shapes,
byte offsets, and a ``__metadata__`` dict of strings) and the raw tensor bytes; it holds no
code, so reading one runs nothing. jnet adds three metadata entries — ``format`` (what the
file is: ``'jnet.model'``, ``'jnet.weights'``, ``'jnet.checkpoint'``), ``format_version`` and
``checksum`` (SHA-256 over every other metadata entry and every tensor's name, dtype, shape and
bytes) — so a truncated, bit-flipped or foreign file is refused with :class:`FileFormatError`
instead of loading wrong numbers. Files are written with :func:`jnet.saving.atomic_write`.

Example:
    >>> import os, tempfile, numpy as np
    >>> from jnet.saving._file import read_file, write_file
    >>> path = os.path.join(tempfile.mkdtemp(), "t.safetensors")
    >>> write_file(path, {"w": np.ones(2, np.float32)}, {"note": "hi"}, "jnet.weights")
    >>> tensors, meta = read_file(path, "jnet.weights")
    >>> tensors["w"].tolist(), meta["note"]
    ([1.0, 1.0], 'hi')
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np
import safetensors
import safetensors.numpy

from jnet.saving._reading import FileFormatError, load_json, open_regular
from jnet.utils._atomic import atomic_write

__all__ = ["FORMAT_VERSION", "FileFormatError", "read_file", "write_file"]

FORMAT_VERSION = "1"
#: Largest JSON header accepted (safetensors' own limit is 100 MB).
MAX_HEADER_BYTES = 100 * 1024 * 1024
_RESERVED = ("format", "format_version", "checksum")


def _c_array(value: Any) -> np.ndarray:
    """A C-contiguous numpy array (``np.ascontiguousarray`` would make scalars 1-d)."""
    value = np.asarray(value)
    return value if value.flags.c_contiguous else value.copy(order="C")


def _checksum(tensors: Mapping[str, np.ndarray], metadata: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for key in sorted(metadata):
        if key != "checksum":
            digest.update(json.dumps([key, metadata[key]]).encode())
    for key in sorted(tensors):
        value = tensors[key]
        digest.update(json.dumps([key, value.dtype.str, list(value.shape)]).encode())
        digest.update(_c_array(value).tobytes())
    return "sha256:" + digest.hexdigest()


def write_file(
    path: str | os.PathLike,
    tensors: Mapping[str, Any],
    metadata: Mapping[str, str],
    kind: str,
) -> None:
    """Writes ``tensors`` and string ``metadata`` as a jnet safetensors file, atomically.

    Args:
        path: destination.
        tensors: name -> array (numpy or JAX).
        metadata: name -> string (JSON for structured values).
        kind: the ``format`` entry, e.g. ``'jnet.model'``.
    """
    arrays = {key: _c_array(value) for key, value in tensors.items()}
    meta = {str(k): str(v) for k, v in metadata.items() if k not in _RESERVED}
    meta["format"] = kind
    meta["format_version"] = FORMAT_VERSION
    meta["checksum"] = _checksum(arrays, meta)
    data = safetensors.numpy.save(arrays, metadata=meta)
    with atomic_write(path) as f:
        f.write(data)


def _header(data: bytes, path: str) -> dict[str, Any]:
    if len(data) < 8:
        raise FileFormatError(f"{path!r} is not a jnet file: it is only {len(data)} bytes long.")
    (size,) = struct.unpack("<Q", data[:8])
    if size > MAX_HEADER_BYTES or size > len(data) - 8:
        raise FileFormatError(
            f"{path!r} is not a valid jnet file: its header claims {size} bytes (the file has "
            f"{len(data)} bytes; at most {MAX_HEADER_BYTES} are accepted). It is truncated, "
            f"corrupt or not a safetensors file."
        )
    header = load_json(data[8 : 8 + size], "safetensors header", path)
    if not isinstance(header, dict):
        raise FileFormatError(f"{path!r} is not a valid jnet file: its header is not a dict.")
    return header


def read_file(path: str | os.PathLike, kind: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Reads a jnet safetensors file of the given ``kind``; verifies format and checksum.

    Args:
        path: the file.
        kind: the expected ``format`` entry.

    Returns:
        ``(tensors, metadata)``: name -> numpy array, name -> string.

    Raises:
        FileFormatError: the file is truncated, corrupt, of another kind, or from a newer jnet;
            or not a regular file (a directory, FIFO, socket or device).
        FileNotFoundError: no such file.
    """
    path = os.fspath(path)
    with open_regular(path) as f:
        data = f.read()
    header = _header(data, path)
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise FileFormatError(f"{path!r} is not a valid jnet file: malformed metadata.")
    found = metadata.get("format")
    if found != kind:
        what = f"a {found!r} file" if isinstance(found, str) else "not a jnet file"
        raise FileFormatError(
            f"{path!r} is {what}; expected a {kind!r} file."
            + (f" {_HINTS[kind]}" if kind in _HINTS else "")
        )
    if metadata.get("format_version") != FORMAT_VERSION:
        raise FileFormatError(
            f"{path!r} has format version {metadata.get('format_version')!r}; this jnet reads "
            f"version {FORMAT_VERSION!r}. Upgrade jnet to read it."
        )
    try:
        tensors = safetensors.numpy.load(data)
    except safetensors.SafetensorError as e:
        raise FileFormatError(f"{path!r} is not a valid jnet file: {e}.") from None
    if metadata.get("checksum") != _checksum(tensors, metadata):
        raise FileFormatError(
            f"{path!r} is corrupt: its checksum does not match its content (a truncated copy, "
            f"a disk error or an edited file). Nothing was loaded."
        )
    return tensors, dict(metadata)


_HINTS = {
    "jnet.model": "Load weights files with model.load_weights(path).",
    "jnet.weights": "Load full models with jnet.models.load_model(path).",
    "jnet.checkpoint": "Checkpoints come from jnet.saving.save_checkpoint.",
}


def json_loads(text: str, what: str, path: str) -> Any:
    """``json.loads`` whose failure (nesting too deep included) is a :class:`FileFormatError`
    naming ``what``."""
    return load_json(text, what, path)
