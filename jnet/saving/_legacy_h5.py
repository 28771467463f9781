"""Keras 2's legacy HDF5 weights (``model.save_weights('x.h5')`` before Keras 3, and every
pretrained ``*_weights_tf_dim_ordering_tf_kernels*.h5`` of ``keras.applications``), read with
h5py and no TensorFlow.

The layout (``keras/src/legacy/saving/legacy_h5_format.py``): the root (or the
``model_weights`` group of a whole-model ``.h5`` file) carries the attribute ``layer_names``;
each layer has a group of that name whose attribute ``weight_names`` lists its weights, each a
path inside the group (``'fc1/kernel:0'``), in the layer's legacy order (trainable weights,
then non-trainable: what ``get_weights`` returns for every built-in layer). Attributes too big
for one HDF5 header are split into ``layer_names0``, ``layer_names1``, ...

Two ways of matching, as Keras: by position (``by_name=False``, Keras's default: the
file's layers that hold weights, in order, against the model's), or by name
(``by_name=True``; the file's other layers are ignored, the model's missing from the file are
an error). Either way each weight's count and shape are checked.

The file is hostile until read: only a regular file is opened; every step of a path inside it
must be a hard link (no soft or external link is followed), datasets keeping their data in
other files are refused, names are plain (no ``/`` at the start, no ``.`` or ``..`` parts),
attribute lists are capped, and a dataset declaring more values than twice its layer's own
weights (plus a small slack) is refused before it is read.

Example:
    >>> import os, tempfile, h5py, numpy as np, jnet
    >>> from jnet.saving._legacy_h5 import load_legacy_weights
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,), name="fc")])
    >>> path = os.path.join(tempfile.mkdtemp(), "w.h5")
    >>> with h5py.File(path, "w") as f:
    ...     f.attrs["layer_names"] = [b"fc"]
    ...     g = f.create_group("fc"); g.attrs["weight_names"] = [b"fc/kernel:0", b"fc/bias:0"]
    ...     _ = g.create_dataset("fc/kernel:0", data=np.ones((3, 2), "float32"))
    ...     _ = g.create_dataset("fc/bias:0", data=np.zeros(2, "float32"))
    >>> load_legacy_weights(model, path)
    >>> float(model.get_weights()[0].sum())
    6.0
"""

from __future__ import annotations

import math
import os
import warnings
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.layers.base import layer_variables, with_layer_variables
from jnet.saving._reading import FileFormatError, require_regular

__all__ = ["is_legacy_file", "is_legacy_h5_path", "load_legacy_weights"]

#: Most names an attribute list (``layer_names``, ``weight_names``) may hold.
MAX_NAMES = 100_000
#: Most chunks an attribute list may be split into.
MAX_CHUNKS = 10_000
#: Values a file may give a layer beyond twice its own.
_SLACK_VALUES = 4096


def _open(path: str) -> Any:
    import h5py

    require_regular(path)
    try:
        return h5py.File(path, "r")
    except OSError as e:
        raise FileFormatError(f"{path!r} is not a readable HDF5 file ({e}).") from None


def _root(f: Any, path: str) -> Any | None:
    """The group holding ``layer_names`` (the file, or its ``model_weights``), or None."""
    import h5py

    if "layer_names" in f.attrs or "layer_names0" in f.attrs:
        return f
    link = f.get("model_weights", getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        raise FileFormatError(
            f"{path!r}: 'model_weights' is a link; jnet follows no path named inside a file."
        )
    group = f["model_weights"]
    if not isinstance(group, h5py.Group):
        raise FileFormatError(f"{path!r}: 'model_weights' is not a group.")
    if "layer_names" in group.attrs or "layer_names0" in group.attrs:
        return group
    return None


def is_legacy_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an HDF5 file in Keras 2's legacy weights layout."""
    with _open(os.fspath(path)) as f:
        return _root(f, os.fspath(path)) is not None


def is_legacy_h5_path(path: str | os.PathLike) -> bool:
    """Whether ``path`` names an existing HDF5 file (``.h5``/``.hdf5``) in the legacy layout."""
    path = os.fspath(path)
    return path.endswith((".h5", ".hdf5")) and os.path.exists(path) and is_legacy_file(path)


def _names(group: Any, attr: str, path: str) -> list[str]:
    """Keras's ``load_attributes_from_hdf5_group``: a list attribute, maybe in chunks."""
    if attr in group.attrs:
        chunks = [group.attrs[attr]]
    else:
        chunks = []
        while f"{attr}{len(chunks)}" in group.attrs:
            if len(chunks) >= MAX_CHUNKS:
                raise FileFormatError(f"{path!r}: {attr!r} is split in too many chunks.")
            chunks.append(group.attrs[f"{attr}{len(chunks)}"])
    out: list[str] = []
    for chunk in chunks:
        values = np.asarray(chunk)
        if values.size == 0:  # h5py stores an empty list as an empty float array
            continue
        if values.ndim != 1 or values.dtype.kind not in "SUO":
            raise FileFormatError(
                f"{path!r}: attribute {attr!r} of {group.name} should be a list of names, "
                f"found {values.dtype} of shape {values.shape}."
            )
        for n in values.tolist():
            n = n.decode("utf8") if isinstance(n, bytes) else n
            if not isinstance(n, str):
                raise FileFormatError(f"{path!r}: attribute {attr!r} holds a non-name {n!r}.")
            out.append(n)
        if len(out) > MAX_NAMES:
            raise FileFormatError(f"{path!r}: attribute {attr!r} lists over {MAX_NAMES} names.")
    return out


def _resolve(group: Any, name: str, path: str) -> Any:
    """``group[name]``, walking each part of ``name`` through hard links only."""
    import h5py

    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise FileFormatError(
            f"{path!r}: {name!r} (in {group.name}) is not a plain name inside its group."
        )
    node = group
    for part in parts:
        if not isinstance(node, h5py.Group):
            raise FileFormatError(f"{path!r}: {node.name} is not a group.")
        link = node.get(part, getlink=True)
        if link is None:
            raise FileFormatError(
                f"{path!r} (Keras 2's legacy weights layout): {group.name} lists {name!r}, "
                f"which it lacks."
            )
        if not isinstance(link, h5py.HardLink):
            raise FileFormatError(
                f"{path!r}: {node.name}/{part} is a link (to another place or file); jnet "
                f"follows no path named inside a file."
            )
        node = node[part]
    return node


def _layer_values(group: Any, path: str, budget: int) -> list[np.ndarray]:
    """A layer group's weights in the order of its ``weight_names``; at most ``budget``
    values in all (checked on the declared shapes, before anything is read)."""
    import h5py

    datasets = []
    for name in _names(group, "weight_names", path):
        item = _resolve(group, name, path)
        where = f"{group.name}/{name}"
        if not isinstance(item, h5py.Dataset):
            raise FileFormatError(f"{path!r}: {where} is not a dataset.")
        if item.external or item.is_virtual:
            raise FileFormatError(
                f"{path!r}: {where} keeps its data in another file; jnet follows no path "
                f"named inside a file."
            )
        if item.dtype.kind not in "fiub":
            raise FileFormatError(f"{path!r}: {where} has dtype {item.dtype}; expected numbers.")
        budget -= item.size
        if budget < 0:
            raise errors.JnetValueError(
                f"{where} declares shape {item.shape}, more values than the layer's own "
                f"weights hold; nothing was read"
            )
        datasets.append(item)
    return [np.asarray(item[()]) for item in datasets]


def _budget(own: Any) -> int:
    leaves = jax.tree_util.tree_leaves(own)
    return 2 * sum(math.prod(np.shape(leaf)) for leaf in leaves) + _SLACK_VALUES


def load_legacy_weights(
    model: Any,
    filepath: str | os.PathLike,
    skip_mismatch: bool = False,
    by_name: bool | None = False,
) -> None:
    """Reads a Keras 2 legacy HDF5 weights file into a built ``model``.

    Args:
        model: a built jnet model.
        filepath: the ``.h5`` file (weights only, or a whole Keras 2 model file).
        skip_mismatch: skip (with a warning) a layer whose weights do not fit, instead of
            raising.
        by_name: match layers by name (the file's other layers are ignored) instead of by
            position among the layers that hold weights (False, Keras's default); None: by
            name when the file has every name of the model's layers holding weights, else by
            position (what the applications use: Keras's files carry Keras's names).

    Raises:
        FileFormatError: the file is not in the legacy layout, or is corrupt or crafted.
        JnetValueError: the weights do not fit the model (layer or weight counts, shapes, a
            layer missing by name).
    """
    import h5py

    path = os.fspath(filepath)
    variables = model.variables
    weighted = [
        layer
        for layer in model.layers
        if layer.weight_paths(layer_variables(variables, layer.name))
    ]
    new = variables
    with _open(path) as f:
        root = _root(f, path)
        if root is None:
            raise FileFormatError(
                f"{path!r} is not in Keras 2's legacy HDF5 weights layout (no 'layer_names')."
            )

        def group_of(name: str) -> Any:
            if "/" in name or name in ("", ".", ".."):
                raise FileFormatError(f"{path!r}: {name!r} is not a plain layer name.")
            node = _resolve(root, name, path)
            if not isinstance(node, h5py.Group):
                raise FileFormatError(f"{path!r}: layer {name!r} is not a group.")
            return node

        file_layers = _names(root, "layer_names", path)
        if by_name is None:
            by_name = {layer.name for layer in weighted} <= set(file_layers)
        if by_name:
            present = set(file_layers)
            pairs = []
            for layer in weighted:
                if layer.name not in present:
                    message = (
                        f"Cannot load {path!r} into model {model.name!r} by name: the file "
                        f"has no layer {layer.name!r} ({type(layer).__name__})."
                    )
                    if not skip_mismatch:
                        raise errors.JnetValueError(message)
                    warnings.warn(message, stacklevel=2)
                    continue
                pairs.append((layer, layer.name))
        else:
            holding = [n for n in file_layers if _names(group_of(n), "weight_names", path)]
            if len(holding) != len(weighted):
                raise errors.JnetValueError(
                    f"Layer count mismatch when loading weights from {path!r}: model "
                    f"{model.name!r} expected {len(weighted)} layers with weights, found "
                    f"{len(holding)} saved layers."
                )
            pairs = list(zip(weighted, holding, strict=True))
        for layer, name in pairs:
            own = layer_variables(variables, layer.name)
            try:
                values = _layer_values(group_of(name), path, _budget(own))
                updated = layer.set_keras_weights(own, values)
            except FileFormatError:
                raise
            except errors.JnetValueError as e:
                detail = f"layer {layer.name!r} (saved as {name!r}): {str(e).rstrip('.')}"
                if not skip_mismatch:
                    raise errors.JnetValueError(
                        f"Cannot load {path!r} into model {model.name!r}: {detail}."
                    ) from None
                warnings.warn(f"Skipping {detail}.", stacklevel=2)
                continue
            new = with_layer_variables(new, layer.name, updated)
    model._set_variables(new)
