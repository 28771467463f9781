"""Saving and loading: whole models, weights, training checkpoints; atomic, code-free files.

* ``model.save('m.jnet')`` / :func:`load_model`: architecture (JSON, layer classes from an
  allowlist; a functional model's call graph too), weights, optimizer state and compile
  configuration in one safetensors file.
* :func:`load_model` also reads Keras 3 ``.keras`` archives (``Sequential`` and functional
  models, and models nested in them) without TensorFlow: zip, JSON and HDF5 only; layers Keras
  has and jnet lacks are named in a :class:`KerasImportError`, and hostile archives are
  refused. ``model.save('m.keras')`` writes one that Keras loads (no optimizer state, no code:
  what needs code is named in a :class:`KerasExportError`).
* ``model.save_weights`` / ``model.load_weights``: ``.weights.safetensors`` (jnet's) or
  ``.weights.h5`` (Keras 3's layout, both ways).
* :class:`KerasFileEditor`: inspect, compare and edit the weights of a ``.keras`` or
  ``.weights.h5`` file, and save them as ``.weights.h5``.
* :func:`save_checkpoint` / :func:`load_checkpoint`: the live training state, for callbacks.
* :func:`register_keras_serializable`, :func:`custom_object_scope` and ``custom_objects=``:
  your classes and functions, found by name when a file or config names them (Keras's
  ``'package>name'``); :func:`serialize_keras_object` / :func:`deserialize_keras_object`:
  Keras's object dicts for jnet's objects and yours.
* :func:`atomic_write`: every file above is written through it; an interrupted save leaves
  the previous file intact.

No file is ever unpickled, no module named in a file is imported, and a file holds no code:
functions it refers to by name (a ``Lambda``'s) come only from ``custom_objects``.

Example:
    >>> import os, tempfile, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.jnet")
    >>> jnet.saving.save_model(model, path)
    >>> jnet.saving.load_model(path).count_params()
    8
"""

from jnet.saving._checkpoint import load_checkpoint as load_checkpoint
from jnet.saving._checkpoint import save_checkpoint as save_checkpoint
from jnet.saving._config import deserialize_layer as deserialize_layer
from jnet.saving._config import layer_allowlist as layer_allowlist
from jnet.saving._config import serialize_layer as serialize_layer
from jnet.saving._file import FileFormatError as FileFormatError
from jnet.saving._file_editor import KerasFileEditor as KerasFileEditor
from jnet.saving._keras_config import KerasImportError as KerasImportError
from jnet.saving._keras_write_config import KerasExportError as KerasExportError
from jnet.saving._model_file import load_model as load_model
from jnet.saving._model_file import save_model as save_model
from jnet.saving._serialization_lib import deserialize_keras_object as deserialize_keras_object
from jnet.saving._serialization_lib import serialize_keras_object as serialize_keras_object
from jnet.saving._weights import load_weights as load_weights
from jnet.saving._weights import save_weights as save_weights
from jnet.utils._atomic import atomic_path as atomic_path
from jnet.utils._atomic import atomic_write as atomic_write
from jnet.utils._object_registration import CustomObjectScope as CustomObjectScope
from jnet.utils._object_registration import custom_object_scope as custom_object_scope
from jnet.utils._object_registration import get_custom_objects as get_custom_objects
from jnet.utils._object_registration import get_registered_name as get_registered_name
from jnet.utils._object_registration import get_registered_object as get_registered_object
from jnet.utils._object_registration import (
    register_keras_serializable as register_keras_serializable,
)

__all__ = [
    "CustomObjectScope",
    "FileFormatError",
    "KerasExportError",
    "KerasFileEditor",
    "KerasImportError",
    "atomic_path",
    "atomic_write",
    "custom_object_scope",
    "deserialize_keras_object",
    "deserialize_layer",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "layer_allowlist",
    "load_checkpoint",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_checkpoint",
    "save_model",
    "save_weights",
    "serialize_keras_object",
    "serialize_layer",
]
