"""``model.save('m.keras')``: a Keras 3 archive that real Keras loads, written without Keras.

The archive is what ``keras.saving.save_model`` writes (``keras/src/saving/saving_lib.py``):
a zip of ``metadata.json`` (the Keras format version, the date, and ``saved_by: jnet``),
``config.json`` (the model in Keras's classes and names, its ``compile_config``:
:mod:`jnet.saving._keras_write_config`) and ``model.weights.h5`` (the weights in Keras 3's
layout: :mod:`jnet.saving._keras_h5`). ``keras.saving.load_model`` rebuilds the model with
the same predictions, and ``jnet.saving.load_model`` reads it back.

The optimizer's state is written as Keras writes it (``optimizer/vars``: iterations, the
learning rate, each trainable weight's slots in Keras's order), so Keras (or jnet) continues
training where jnet stopped; before the first ``fit`` there is no state yet, and Keras then
warns that it skipped loading its optimizer's variables, as for a model Keras saved itself.

The file is written atomically (:mod:`jnet.utils._atomic`): everything is checked and
serialised before the archive is written, and an interrupted save leaves any previous file
intact. It holds no code (see :class:`~jnet.saving._keras_write_config.KerasExportError`).

Example:
    >>> import os, tempfile, zipfile, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> model.save(path)
    >>> sorted(zipfile.ZipFile(path).namelist())
    ['config.json', 'metadata.json', 'model.weights.h5']
"""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from typing import Any

from jnet.saving._keras_h5 import layer_keys, write_h5
from jnet.saving._keras_write_config import keras_model_config
from jnet.utils._atomic import atomic_path

__all__ = ["KERAS_FORMAT_VERSION", "save_keras_model"]

#: The Keras version whose archive format jnet writes (and tests against).
KERAS_FORMAT_VERSION = "3.15.1"


def _weights_bytes(model: Any) -> bytes:
    """``model.weights.h5``; for a model not built yet (no input shape), Keras's groups with no
    weights in them (Keras requires the member)."""
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        if model.input_shape is not None:
            write_h5(model, f)
        else:
            f.create_group("vars").attrs["name"] = model.name
            for key, layer in zip(layer_keys(model), model.layers, strict=True):
                f.create_group(f"layers/{key}/vars").attrs["name"] = layer.name
    return buffer.getvalue()


def archive_members(model: Any) -> dict[str, bytes]:
    """``{member name: bytes}`` of the Keras archive for ``model`` (nothing written)."""
    config = json.dumps(keras_model_config(model))
    metadata = json.dumps({
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "saved_by": "jnet",
    })
    return {"metadata.json": metadata.encode(), "config.json": config.encode(),
            "model.weights.h5": _weights_bytes(model)}


def save_keras_model(model: Any, path: str | os.PathLike, zipped: bool = True) -> None:
    """Writes ``model`` as a Keras 3 archive at ``path`` (a folder of the same members when
    ``zipped`` is False, as Keras's ``zipped=False``), atomically."""
    members = archive_members(model)
    if not zipped:
        os.makedirs(path, exist_ok=True)
        for name, data in members.items():
            with atomic_path(os.path.join(path, name)) as tmp, open(tmp, "wb") as f:
                f.write(data)
        return
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
