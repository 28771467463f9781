"""jnet's serialized-model file: a checked header and a ``jax.export`` StableHLO payload.

Layout: the 8-byte magic ``b"JNETEXP1"``, an 8-byte little-endian header length, a UTF-8 JSON
header (``format``, ``jax_version``, ``inputs``/``outputs`` as shape strings and dtypes,
``payload_bytes``, ``payload_sha256``), then the bytes of ``jax.export.Exported.serialize()``.
Reading checks the magic, the header's size and fields, the payload's length and SHA-256
before handing it to ``jax.export.deserialize``, so a truncated, bit-flipped or foreign file
is refused with :class:`ExportFormatError` and nothing runs. This module imports only JAX,
numpy and :mod:`jnet.errors`: running an export needs none of the model's Python code.

Example:
    >>> import jax, jax.numpy as jnp, numpy as np, os, tempfile
    >>> from jnet.export._artifact import load, write
    >>> exp = jax.export.export(jax.jit(lambda x: 2 * x))(
    ...     jax.ShapeDtypeStruct(jax.export.symbolic_shape("b, 3"), jnp.float32))
    >>> path = os.path.join(tempfile.mkdtemp(), "double.jaxexport")
    >>> write(path, exp)
    >>> load(path)(np.ones((2, 3), np.float32)).tolist()
    [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
from typing import Any

import jax
import numpy as np

from jnet import errors

__all__ = ["ExportFormatError", "ExportedModel", "load", "write"]

MAGIC = b"JNETEXP1"
FORMAT = "jnet.export.jax"
MAX_HEADER_BYTES = 1024 * 1024


class ExportFormatError(errors.JnetValueError):
    """A file is not a valid jnet export (corrupt, truncated, foreign or from a newer jnet)."""


def _spec(aval: Any) -> dict[str, Any]:
    return {"shape": [str(d) for d in aval.shape], "dtype": str(aval.dtype)}


def write(path: str | os.PathLike, exported: Any, extra: dict[str, Any] | None = None) -> None:
    """Writes a ``jax.export.Exported`` to ``path`` atomically, with jnet's checked header."""
    payload = bytes(exported.serialize())
    header = {
        "format": FORMAT,
        "jax_version": jax.__version__,
        "platforms": list(exported.platforms),
        "inputs": [_spec(a) for a in exported.in_avals],
        "outputs": [_spec(a) for a in exported.out_avals],
        "payload_bytes": len(payload),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        **(extra or {}),
    }
    head = json.dumps(header).encode()
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".jnet-export-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + struct.pack("<Q", len(head)) + head + payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _read(path: str) -> tuple[dict[str, Any], bytes]:
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 16 or data[:8] != MAGIC:
        raise ExportFormatError(
            f"{path!r} is not a jnet export (it does not start with {MAGIC!r}). jnet.export.load "
            f"reads files written by model.export(path, format='jax')."
        )
    (size,) = struct.unpack("<Q", data[8:16])
    if size > MAX_HEADER_BYTES or size > len(data) - 16:
        raise ExportFormatError(
            f"{path!r}: its header claims {size} bytes (the file has {len(data)}; at most "
            f"{MAX_HEADER_BYTES} accepted). It is truncated or corrupt."
        )
    try:
        header = json.loads(data[16 : 16 + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ExportFormatError(f"{path!r}: its header is not JSON ({e}).") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        found = header.get("format") if isinstance(header, dict) else None
        raise ExportFormatError(f"{path!r} has format {found!r}; expected {FORMAT!r}.")
    payload = data[16 + size :]
    if header.get("payload_bytes") != len(payload):
        raise ExportFormatError(
            f"{path!r} is truncated or corrupt: its payload has {len(payload)} bytes, the header "
            f"says {header.get('payload_bytes')!r}."
        )
    if header.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
        raise ExportFormatError(
            f"{path!r} is corrupt: its payload's checksum does not match (a disk error or an "
            f"edited file). Nothing was run."
        )
    return header, payload


class ExportedModel:
    """A model loaded by :func:`load`: call it on numpy arrays of any batch size.

    Attributes:
        input_specs: ``[{'shape': [...], 'dtype': ...}]`` for each input (``'b'`` is the
            symbolic batch dimension).
        output_specs: the same for each output.
        exported: the underlying ``jax.export.Exported``.
    """

    def __init__(self, exported: Any, header: dict[str, Any], path: str):
        self.exported = exported
        self.input_specs = [_spec(a) for a in exported.in_avals]
        self.output_specs = [_spec(a) for a in exported.out_avals]
        self._header = header
        self._path = path
        self._call = jax.jit(exported.call)

    def _check(self, inputs: tuple[Any, ...]) -> list[np.ndarray]:
        avals = self.exported.in_avals
        if len(inputs) != len(avals):
            raise errors.JnetValueError(
                f"The exported model {self._path!r} takes {len(avals)} input(s), received "
                f"{len(inputs)}."
            )
        out = []
        for i, (x, aval) in enumerate(zip(inputs, avals, strict=True)):
            x = np.asarray(x)
            if not (np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_):
                raise errors.JnetTypeError(
                    f"Input {i} of the exported model must be numeric, received {x.dtype}."
                )
            x = x.astype(aval.dtype, copy=False)
            if x.ndim != len(aval.shape) or any(
                isinstance(d, int) and d != n for d, n in zip(aval.shape, x.shape, strict=True)
            ):
                want = "(" + ", ".join(str(d) for d in aval.shape) + ")"
                raise errors.JnetValueError(
                    f"Input {i} of the exported model {self._path!r} must have shape {want} "
                    f"(b: any batch size), received {x.shape}."
                )
            out.append(x)
        return out

    def __call__(self, *inputs: Any) -> Any:
        """Runs the exported computation; returns numpy arrays (the structure exported)."""
        result = self._call(*self._check(inputs))
        return jax.tree_util.tree_map(np.asarray, result)

    def __repr__(self) -> str:
        shapes = ", ".join(f"({', '.join(s['shape'])})" for s in self.input_specs)
        return f"ExportedModel({self._path!r}, inputs={shapes})"


def load(path: str | os.PathLike) -> ExportedModel:
    """Loads a model exported with ``model.export(path, format='jax')``.

    Args:
        path: the exported file.

    Returns:
        An :class:`ExportedModel`: ``loaded(x)`` runs the model on a numpy batch of any size
        and returns numpy arrays, with no jnet model or layer code involved.

    Raises:
        ExportFormatError: the file is not a jnet export, or is truncated or corrupt.

    Example:
        >>> import os, tempfile, numpy as np, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.jaxexport")
        >>> model.export(path, verbose=False)
        >>> jnet.export.load(path)(np.ones((5, 3))).shape
        (5, 2)
    """
    path = os.fspath(path)
    header, payload = _read(path)
    try:
        exported = jax.export.deserialize(bytearray(payload))
    except Exception as e:  # noqa: BLE001 - a foreign payload that passed the checksum
        raise ExportFormatError(
            f"{path!r}: the payload is not a serialized jax.export module this JAX "
            f"({jax.__version__}) reads; it was written by JAX {header.get('jax_version')!r} "
            f"({type(e).__name__}: {e})."
        ) from None
    return ExportedModel(exported, header, path)
