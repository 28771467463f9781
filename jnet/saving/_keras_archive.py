"""Keras 3 ``.keras`` archives read without TensorFlow: a zip of JSON and HDF5, nothing run.

A ``.keras`` file (``keras/src/saving/saving_lib.py``) is a zip holding ``metadata.json``
(Keras version, date), ``config.json`` (the model: class, layers, ``compile_config``) and
``model.weights.h5`` (the weights in the layout of :mod:`jnet.saving._keras_h5`). jnet reads
it with ``zipfile``, ``json`` and ``h5py`` only, and treats it as hostile until proven
otherwise:

* the archive must be a well-formed zip: a truncated or bit-flipped one fails its directory or
  CRC checks and is refused;
* no member may have a path that leaves the archive's directory (absolute, ``..``, drive
  letters, backslashes), even though jnet never extracts anything;
* only a regular file is opened (:func:`jnet.saving._reading.open_regular`);
* each member's declared size is checked against a cap *before* it is read, and a member
  that claims to expand far more than it is stored (a zip bomb) is refused; reads go in
  1 MiB chunks and stop at the declared size. The weights member is capped by what the
  config declares: the model is built (its layers checked, one by one before allocation,
  against the bytes the member declares: :mod:`jnet.utils._weight_memory`) and the member may
  hold at most ``WEIGHTS_PER_MODEL_BYTE`` times the model's weight bytes (weights and
  optimizer state) plus ``_WEIGHTS_SLACK`` (HDF5's own structures);
* the layers are rebuilt from jnet's allowlist (:mod:`jnet.saving._keras_config`); ``module``
  and ``registered_name`` entries are never imported and a Lambda's bytecode is never
  unmarshalled;
* every weight's shape and dtype must match what the architecture creates.

Example:
    >>> import io, json, zipfile
    >>> from jnet.saving._keras_archive import read_archive
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("config.json", json.dumps({"class_name": "Sequential"}))
    >>> read_archive(buffer, "m.keras")[0]["class_name"]
    'Sequential'
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from jnet import errors
from jnet.saving import _keras_functional
from jnet.saving._file import FileFormatError
from jnet.saving._keras_config import KerasImportError, keras_compile
from jnet.saving._keras_h5 import has_datasets, load_h5_into, read_group
from jnet.saving._reading import load_json, open_regular, require_regular
from jnet.utils._weight_memory import tree_bytes, weight_budget

__all__ = ["load_keras_model", "load_keras_weights", "read_archive"]

_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"
#: Largest accepted config.json / metadata.json (declared, uncompressed).
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Largest accepted model.weights.h5 (declared, uncompressed): 16 GiB.
MAX_WEIGHTS_BYTES = 16 * 1024**3
#: A member declaring more than this many times its stored size, and more than
#: ``_BOMB_FLOOR`` bytes, is a decompression bomb.
MAX_EXPANSION = 100
_BOMB_FLOOR = 1024 * 1024
#: The weights member may hold this many bytes per byte of the model's weights (the weights,
#: an optimizer's slots and an EMA copy), plus ``_WEIGHTS_SLACK`` of HDF5 structure.
WEIGHTS_PER_MODEL_BYTE = 6
_WEIGHTS_SLACK = 16 * 1024 * 1024
_CHUNK = 1024 * 1024
MAX_MEMBERS = 10_000
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OverflowError,
    IndexError,
    KeyError,
)


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    parts = name.split("/")
    if any(part == ".." for part in parts):
        return False
    normal = posixpath.normpath(name)
    return not (normal.startswith("../") or normal == "..")


def _check_members(zf: zipfile.ZipFile, path: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FileFormatError(
            f"{path!r} holds {len(infos)} members; a Keras archive holds a few (at most "
            f"{MAX_MEMBERS} accepted)."
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not _safe_name(info.filename):
            raise FileFormatError(
                f"{path!r} is refused: its member {info.filename!r} has a path that leaves the "
                f"archive's directory (absolute, '..' or a drive). Nothing was read."
            )
        if info.filename in members:
            raise FileFormatError(f"{path!r} holds the member {info.filename!r} twice.")
        if info.flag_bits & 0x1:
            raise FileFormatError(f"{path!r}: member {info.filename!r} is encrypted.")
        members[info.filename] = info
    return members


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, path: str) -> bytes:
    name = info.filename
    if info.file_size > cap:
        raise FileFormatError(
            f"{path!r}: member {name!r} declares {info.file_size} bytes; at most {cap} are "
            f"accepted. Nothing was read."
        )
    if info.file_size > _BOMB_FLOOR and info.file_size > MAX_EXPANSION * max(
        info.compress_size, 1
    ):
        raise FileFormatError(
            f"{path!r}: member {name!r} declares {info.file_size} bytes from "
            f"{info.compress_size} stored (a decompression bomb). Nothing was read."
        )
    chunks = []
    size = 0
    with zf.open(info, "r") as f:
        while size <= info.file_size:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    data = b"".join(chunks)
    if len(data) != info.file_size:
        raise FileFormatError(
            f"{path!r}: member {name!r} holds {len(data)} bytes, its header says "
            f"{info.file_size}."
        )
    return data


def _json(data: bytes, what: str, path: str) -> Any:
    return load_json(data, what, path)


def read_archive(
    file: str | os.PathLike | io.IOBase, path: str
) -> tuple[dict[str, Any], dict[str, Any], bytes | None]:
    """``(config, metadata, weights bytes or None)`` from a ``.keras`` archive, checked.

    Args:
        file: the archive's path (a regular file) or an open binary file.
        path: the name used in error messages.

    Raises:
        FileFormatError: not a zip, truncated, corrupt, hostile (escaping paths, bombs,
            oversized members), without ``config.json``, or not a regular file.
    """
    config, metadata, _, weights = _read(file, path, True, MAX_WEIGHTS_BYTES)
    return config, metadata, weights


def _read(
    file: str | os.PathLike | io.IOBase, path: str, configs: bool, weights_cap: int | None
) -> tuple[Any, Any, int | None, bytes | None]:
    """``(config, metadata, weights' declared size, weights)``: the configs when
    ``configs``, the weights (at most ``weights_cap`` bytes) when ``weights_cap`` is given.
    A folder (Keras's ``zipped=False``) is read member by member, with the same caps."""
    if not hasattr(file, "read") and os.path.isdir(file):
        return _read_folder(os.fspath(file), path, configs, weights_cap)
    opened = None if hasattr(file, "read") else open_regular(file)
    config: Any = {}
    metadata: Any = {}
    weights = declared = None
    try:
        with zipfile.ZipFile(opened or file, "r") as zf:
            members = _check_members(zf, path)
            if _CONFIG not in members:
                raise FileFormatError(
                    f"{path!r} is not a Keras 3 archive: it has no {_CONFIG} (members: "
                    f"{sorted(members)[:10]})."
                )
            if configs:
                config = _json(
                    _read_member(zf, members[_CONFIG], MAX_JSON_BYTES, path), _CONFIG, path
                )
                if _METADATA in members:
                    metadata = _json(
                        _read_member(zf, members[_METADATA], MAX_JSON_BYTES, path), _METADATA,
                        path,
                    )
            if _WEIGHTS in members:
                declared = members[_WEIGHTS].file_size
                if weights_cap is not None:
                    weights = _read_member(zf, members[_WEIGHTS], weights_cap, path)
            elif any(name.endswith(".npz") for name in members):
                raise FileFormatError(
                    f"{path!r} stores its weights as .npz; jnet reads archives with "
                    f"{_WEIGHTS} (Keras's default)."
                )
    except errors.JnetError:
        raise
    except FileNotFoundError:
        raise
    except _ZIP_ERRORS as e:
        raise FileFormatError(
            f"{path!r} is not a valid .keras archive (a truncated, corrupt or foreign file): "
            f"{type(e).__name__}: {e}"
        ) from None
    finally:
        if opened is not None:
            opened.close()
    if not isinstance(config, dict):
        raise FileFormatError(f"{path!r}: {_CONFIG} must hold a dict.")
    if not isinstance(metadata, dict):
        raise FileFormatError(f"{path!r}: {_METADATA} must hold a dict.")
    return config, metadata, declared, weights


def _folder_member(folder: str, name: str, cap: int, path: str) -> bytes:
    """One member of an unzipped archive: a regular file of at most ``cap`` bytes, read in
    chunks that stop at its size."""
    with open_regular(os.path.join(folder, name)) as f:
        size = os.fstat(f.fileno()).st_size
        if size > cap:
            raise FileFormatError(
                f"{path!r}: member {name!r} holds {size} bytes; at most {cap} are accepted. "
                f"Nothing was read."
            )
        data = f.read(size + 1)
    if len(data) != size:
        raise FileFormatError(f"{path!r}: member {name!r} changed size while it was read.")
    return data


def _read_folder(
    folder: str, path: str, configs: bool, weights_cap: int | None
) -> tuple[Any, Any, int | None, bytes | None]:
    """:func:`_read` of the folder ``save_model(..., zipped=False)`` writes."""
    names = os.listdir(folder)
    if _CONFIG not in names:
        raise FileFormatError(
            f"{path!r} is a folder without {_CONFIG}: not a Keras 3 model saved with "
            f"zipped=False (it holds {sorted(names)[:10]})."
        )
    config: Any = {}
    metadata: Any = {}
    if configs:
        config = _json(_folder_member(folder, _CONFIG, MAX_JSON_BYTES, path), _CONFIG, path)
        if _METADATA in names:
            metadata = _json(
                _folder_member(folder, _METADATA, MAX_JSON_BYTES, path), _METADATA, path
            )
    weights = declared = None
    if _WEIGHTS in names:
        declared = require_regular(os.path.join(folder, _WEIGHTS)).st_size
        if weights_cap is not None:
            weights = _folder_member(folder, _WEIGHTS, weights_cap, path)
    if not isinstance(config, dict):
        raise FileFormatError(f"{path!r}: {_CONFIG} must hold a dict.")
    if not isinstance(metadata, dict):
        raise FileFormatError(f"{path!r}: {_METADATA} must hold a dict.")
    return config, metadata, declared, weights


def _weights_cap(model: Any) -> int:
    """The most bytes the weights member of an archive for ``model`` may hold."""
    return min(MAX_WEIGHTS_BYTES, WEIGHTS_PER_MODEL_BYTE * tree_bytes(model.variables)
               + _WEIGHTS_SLACK)


def _open_h5(data: bytes, path: str) -> Any:
    import h5py

    try:
        return h5py.File(io.BytesIO(data), "r")
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as e:
        raise FileFormatError(f"{path!r}: {_WEIGHTS} is not a readable HDF5 file ({e}).") from None


def _fill_weights(model: Any, data: bytes, path: str, skip_mismatch: bool = False) -> list:
    """Reads the archive's weights into ``model``; returns the optimizer's variables (Keras's
    ``optimizer/vars``, [] when the file has none)."""
    f = _open_h5(data, path)
    try:
        with f:
            load_h5_into(
                model,
                f,
                f"{path}:{_WEIGHTS}",
                skip_mismatch=skip_mismatch,
                strict_dtype=True,
                max_dataset_bytes=len(data),
            )
            return _optimizer_values(f, path, len(data))
    except errors.JnetError:
        raise
    except (OSError, ValueError, RuntimeError, KeyError, TypeError, AttributeError) as e:
        raise FileFormatError(
            f"{path!r}: {_WEIGHTS} is corrupt ({type(e).__name__}: {e})."
        ) from None


def _optimizer_values(f: Any, path: str, max_bytes: int) -> list:
    import h5py

    link = f.get("optimizer", getlink=True)
    if link is None:
        return []
    if not isinstance(link, h5py.HardLink):
        raise FileFormatError(f"{path!r}: 'optimizer' is a link; jnet follows no path named "
                              f"inside a file.")
    node = f.get("optimizer/vars")
    if not isinstance(node, h5py.Group):
        return []
    return read_group(node, "optimizer/vars", path, max_bytes)


def _restore_optimizer(model: Any, values: list, path: str) -> str | None:
    """Puts Keras's optimizer variables into the model's new training state; the reason
    when they do not fit (then the optimizer starts afresh)."""
    variables = model.optimizer.variables
    if not variables:
        return "the optimizer has no variables"
    model._state()  # the training state, with the optimizer's slots
    variables = model.optimizer.variables
    if len(variables) != len(values):
        model.train_state = None
        return (f"the file holds {len(values)} optimizer variables, jnet's "
                f"{type(model.optimizer).__name__} has {len(variables)}")
    for variable, value in zip(variables, values, strict=True):
        if tuple(variable.shape) != tuple(value.shape):
            model.train_state = None
            return (f"optimizer variable {variable.name!r} has shape {tuple(variable.shape)}, "
                    f"the file's {tuple(value.shape)}")
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value.astype(np.dtype(variable.dtype)))
    return None


def _build_model(
    config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None, path: str
) -> Any:
    if not isinstance(config.get("class_name"), str) or not isinstance(config.get("config"), dict):
        raise FileFormatError(
            f"{path!r}: {_CONFIG} must hold {{'class_name': str, 'config': dict}}."
        )
    return _keras_functional.keras_model(config, custom_objects, path)


def load_keras_model(
    filepath: str | os.PathLike,
    custom_objects: Mapping[str, Any] | None = None,
    compile: bool = True,  # noqa: A002 - Keras's argument name
    safe_mode: bool = True,
) -> Any:
    """Loads a Keras 3 ``.keras`` archive into a jnet model, without TensorFlow.

    Args:
        filepath: the ``.keras`` file, or the folder ``save_model(..., zipped=False)`` wrote.
        custom_objects: ``{name: object}``: jnet layer classes standing for your Keras
            layers, and functions the file names (a custom activation; a ``Lambda``'s
            function by its name, or a Python lambda's by the ``Lambda`` layer's name).
        compile: compile the model with the archive's optimizer, loss and metrics when jnet
            has them (default True), and the optimizer's state (``optimizer/vars``: Adam's
            moments) when it fits jnet's optimizer (else a warning says why not).
        safe_mode: accepted for Keras compatibility; jnet never runs code from a file, so
            ``False`` unlocks nothing.

    Returns:
        The model, built, with Keras's weights.

    Raises:
        FileFormatError: a corrupt, truncated or hostile archive, or weights that do not fit.
        KerasImportError: layers, arguments or functions jnet cannot rebuild (each named).

    Example:
        >>> import jnet
        >>> # model = jnet.models.load_model("model.keras")  # a file written by Keras 3
    """
    if not isinstance(safe_mode, bool):
        raise errors.JnetTypeError(f"safe_mode must be True or False, received {safe_mode!r}.")
    path = os.fspath(filepath)
    config, _, declared, _ = _read(path, path, True, None)
    carried = declared or 0
    try:
        with weight_budget(carried, f"the {carried} bytes of {_WEIGHTS} in {path!r}"):
            model = _build_model(config, custom_objects, path)
            if model.input_shape is not None:
                model.build(model.input_shape)
    except errors.JnetError:
        raise
    except RecursionError:
        raise FileFormatError(f"{path!r}: {_CONFIG} is nested too deeply.") from None
    except Exception as e:  # noqa: BLE001 - layer code failing on a config it was given
        raise KerasImportError(
            f"{path!r}: the model in {_CONFIG} cannot be built ({type(e).__name__}: {e})."
        ) from None
    slots: list = []
    if model.input_shape is not None:
        if declared is None:
            raise FileFormatError(f"{path!r} has no {_WEIGHTS}.")
        weights = _read(path, path, False, _weights_cap(model))[3]
        slots = _fill_weights(model, weights, path)
    elif declared and _holds_weights(path, declared):
        warnings.warn(
            f"{path!r}: the model's input shape is not in the file, so its weights were not "
            f"loaded. Build the model and call model.load_weights({path!r}).",
            stacklevel=2,
        )
    if compile:
        _compile(model, config.get("compile_config"), custom_objects, path, slots)
    return model


def _holds_weights(path: str, declared: int) -> bool:
    """Whether the weights member of an archive whose model is not built holds any weight
    (a large member is taken to, unread; Keras writes empty groups for an unbuilt model)."""
    if declared > _BOMB_FLOOR:
        return True
    f = _open_h5(_read(path, path, False, _BOMB_FLOOR)[3] or b"", path)
    with f:
        return any(has_datasets(f, name) for name in f.keys())


def _compile(
    model: Any, config: Any, custom_objects: Any, path: str, slots: list
) -> None:
    kwargs, skipped = keras_compile(config, custom_objects)
    if kwargs is not None:
        try:
            model.compile(**kwargs)
        except (errors.JnetError, TypeError, ValueError, KeyError, AttributeError) as e:
            skipped.append(f"compile ({str(e).splitlines()[0][:200]})")
            kwargs = None
    if skipped:
        state = "uncompiled" if kwargs is None else "compiled without them"
        warnings.warn(
            f"{path!r}: jnet skipped {'; '.join(skipped)}; the model is loaded {state}.",
            stacklevel=3,
        )
    steps = int(slots[0]) if slots and slots[0].size == 1 else 0
    if kwargs is not None and steps > 0:
        why = _restore_optimizer(model, slots, path)
        if why is not None:
            warnings.warn(
                f"{path!r}: the optimizer's state ({steps} steps) is not restored ({why}); "
                f"training continues with a fresh optimizer state.",
                stacklevel=3,
            )


def load_keras_weights(model: Any, filepath: str | os.PathLike, skip_mismatch: bool) -> None:
    """``model.load_weights('x.keras')``: only the archive's weights, into a built model."""
    path = os.fspath(filepath)
    model._require_built("load_weights()")
    weights = _read(path, path, False, _weights_cap(model))[3]
    if weights is None:
        raise FileFormatError(f"{path!r} has no {_WEIGHTS}.")
    _fill_weights(model, weights, path, skip_mismatch=skip_mismatch)
