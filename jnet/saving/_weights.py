"""``save_weights`` / ``load_weights``: weights only, as jnet safetensors or Keras 3 HDF5.

* ``*.weights.safetensors`` (jnet's format): each weight under ``'<layer name>/<weight>'``
  (``'dense/kernel'``, ``'batch_normalization/moving_mean'``), Keras's order kept in the
  metadata; loading matches weights by those names, or, for a layer whose name the file lacks
  (a nested model's automatic ``sequential_3``), by its position among the same layers.
* ``*.weights.h5``: Keras 3's layout (see :mod:`jnet.saving._keras_h5`), so files move both
  ways between Keras and jnet; matched by layer position and class, as Keras does.
* ``*.h5`` / ``*.hdf5`` (loading only) in Keras 2's legacy layout (see
  :mod:`jnet.saving._legacy_h5`; Keras's pretrained application weights): matched by
  position among the layers holding weights, or by name with ``by_name=True``, as Keras.
* ``*.jnet`` (loading only): the weights of a full model file.

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.safetensors")
    >>> model.save_weights(path)
    >>> other = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> other.load_weights(path)
    >>> all(np.array_equal(a, b) for a, b in zip(model.get_weights(), other.get_weights()))
    True
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any

from jnet import errors
from jnet.layers.base import layer_variables, with_layer_variables
from jnet.saving._file import FileFormatError, json_loads, read_file, write_file
from jnet.saving._keras_archive import load_keras_weights
from jnet.saving._keras_h5 import load_weights_h5, save_weights_h5
from jnet.saving._legacy_h5 import is_legacy_file, load_legacy_weights
from jnet.saving._model_file import load_variables_into

__all__ = ["load_weights", "save_weights"]

_SAFETENSORS = ".weights.safetensors"
_H5 = ".weights.h5"


def _weight_names(model: Any) -> list[tuple[Any, list[str]]]:
    variables = model.variables
    out = []
    for layer in model.layers:
        paths = layer.weight_paths(layer_variables(variables, layer.name))
        names = ["/".join((layer.name, *p[1:])) for p in paths]
        if len(set(names)) != len(names):  # the same weight name in two collections
            names = ["/".join((layer.name, *p)) for p in paths]
        out.append((layer, names))
    return out


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise errors.JnetValueError(
            f"{path!r} exists and overwrite=False; pass overwrite=True to replace it."
        )


def save_weights(model: Any, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Saves a model's weights (no architecture, no optimizer state), atomically.

    Args:
        model: a built jnet model.
        filepath: ends with ``'.weights.safetensors'`` (jnet's format) or ``'.weights.h5'``
            (Keras 3's layout, loadable by ``keras_model.load_weights``).
        overwrite: replace an existing file (default True).

    Example:
        >>> import os, tempfile, jnet
        >>> from jnet.saving import save_weights
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
        >>> save_weights(model, os.path.join(tempfile.mkdtemp(), "w.weights.safetensors"))
    """
    path = os.fspath(filepath)
    model._require_built("save_weights()")
    _check_overwrite(path, overwrite)
    if path.endswith(_H5):
        errors.require("h5py", "h5", f"save_weights({path!r})")
        save_weights_h5(model, path)
        return
    if not path.endswith(_SAFETENSORS):
        raise errors.JnetValueError(
            f"The weights file name must end in '{_SAFETENSORS}' (jnet's format) or '{_H5}' "
            f"(Keras 3's), received {path!r}. To save the whole model use model.save('x.jnet')."
        )
    tensors = {}
    order = []
    layers = []
    for layer, names in _weight_names(model):
        for name, value in zip(names, layer.keras_weights(layer_variables(model.variables,
                                                                           layer.name)),
                               strict=True):
            tensors[name] = value
            order.append(name)
        layers.append([layer.name, type(layer).__name__, len(names)])
    meta = {"weights": json.dumps(order), "layers": json.dumps(layers)}
    write_file(path, tensors, meta, "jnet.weights")


def load_weights(
    model: Any, filepath: str | os.PathLike, skip_mismatch: bool = False, by_name: bool = False
) -> None:
    """Loads weights saved by :func:`save_weights` (or Keras 3) into a built model.

    Args:
        model: a built jnet model with the saved architecture.
        filepath: a ``'.weights.safetensors'``, ``'.weights.h5'``, ``'.jnet'`` or ``'.keras'``
            file, or a Keras 2 legacy ``'.h5'``/``'.hdf5'`` weights file.
        skip_mismatch: skip (with a warning) layers whose weights are missing or whose shapes
            differ, instead of raising.
        by_name: for a legacy ``.h5`` file, match layers by name instead of by position (as
            Keras's ``load_weights(..., by_name=True)``); refused for other formats.

    Raises:
        FileFormatError: the file is corrupt or not a weights file.
        JnetValueError: the weights do not fit the model (names or shapes).
    """
    path = os.fspath(filepath)
    model._require_built("load_weights()")
    if path.endswith((".h5", ".hdf5")):
        errors.require("h5py", "h5", f"load_weights({path!r})")
        if is_legacy_file(path):
            load_legacy_weights(model, path, skip_mismatch=skip_mismatch, by_name=by_name)
            return
    if by_name:
        raise errors.JnetValueError(
            f"by_name=True is only for Keras 2's legacy '.h5' weights files; {path!r} is not "
            f"one (other formats match layers as they were saved)."
        )
    if path.endswith((".h5", ".hdf5")):
        errors.require("h5py", "h5", f"load_weights({path!r})")
        load_weights_h5(model, path, skip_mismatch=skip_mismatch)
        return
    if path.endswith(".jnet"):
        load_variables_into(model, path)
        return
    if path.endswith(".keras"):
        errors.require("h5py", "h5", f"load_weights({path!r})")
        load_keras_weights(model, path, skip_mismatch)
        return
    if not path.endswith(_SAFETENSORS):
        raise errors.JnetValueError(
            f"The weights file name must end in '{_SAFETENSORS}', '{_H5}' or '.jnet', "
            f"received {path!r}."
        )
    tensors, meta = read_file(path, "jnet.weights")
    saved = json_loads(meta.get("weights", "[]"), "weight list", path)
    if not isinstance(saved, list) or set(saved) != set(tensors):
        raise FileFormatError(f"{path!r}: the weight list does not match the tensors.")
    variables = model.variables
    new = variables
    used = set()
    layout = _saved_layout(meta)
    weight_names = _weight_names(model)
    for position, (layer, names) in enumerate(weight_names):
        own = layer_variables(variables, layer.name)
        names = _by_position(names, layer, position, len(weight_names), layout, tensors)
        try:
            missing = [n for n in names if n not in tensors]
            if missing:
                raise errors.JnetValueError(
                    f"the file has no weights {missing} for layer {layer.name!r} "
                    f"({type(layer).__name__})"
                )
            updated = _set_exact(layer, own, [tensors[n] for n in names], path)
        except errors.JnetValueError as e:
            if not skip_mismatch:
                raise errors.JnetValueError(
                    f"Cannot load {path!r} into model {model.name!r}: {str(e).rstrip('.')}. "
                    f"The file holds "
                    f"{_describe_layers(meta, path)}."
                ) from None
            warnings.warn(f"Skipping layer {layer.name!r}: {e}", stacklevel=2)
            continue
        used.update(names)
        new = with_layer_variables(new, layer.name, updated)
    extra = sorted(set(tensors) - used)
    if extra and not skip_mismatch:
        raise errors.JnetValueError(
            f"Cannot load {path!r} into model {model.name!r}: the file holds weights the model "
            f"does not have: {extra[:5]}{' ...' if len(extra) > 5 else ''}."
        )
    model._set_variables(new)


def _saved_layout(meta: dict[str, str]) -> list[tuple[str, str, int]] | None:
    """The file's ``[(layer name, class, weight count), ...]``, or None if unreadable."""
    try:
        layers = json.loads(meta.get("layers", "[]"))
        return [(str(n), str(c), int(k)) for n, c, k in layers]
    except (ValueError, TypeError):
        return None


def _by_position(names: list[str], layer: Any, position: int, count: int,
                 layout: list[tuple[str, str, int]] | None, tensors: dict) -> list[str]:
    """The file's names for ``layer``'s weights: its own, or, when the file has none under
    its name but holds the same layers (classes and weight counts, in order) under other
    names, those of the layer at the same position. A nested model's automatic name
    (``sequential_3``) depends on how many models the program made before it, as in Keras,
    so a model rebuilt in the same program loads the weights saved from its twin."""
    if all(n in tensors for n in names) or layout is None or len(layout) != count:
        return names
    saved, cls, k = layout[position]
    if cls != type(layer).__name__ or k != len(names) or saved == layer.name:
        return names
    prefix = layer.name + "/"
    return [saved + "/" + n[len(prefix):] if n.startswith(prefix) else n for n in names]


def _set_exact(layer: Any, own: Any, weights: list[Any], path: str) -> Any:
    """``set_keras_weights`` that also refuses a dtype change (a file must match exactly)."""
    for p, w in zip(layer.weight_paths(own), weights, strict=True):
        node = own
        for k in p:
            node = node[k]
        if w.dtype != node.dtype:
            raise errors.JnetValueError(
                f"weight {'/'.join(p)} of layer {layer.name!r} has dtype {node.dtype}, the "
                f"file's has {w.dtype}"
            )
    return layer.set_keras_weights(own, weights)


def _describe_layers(meta: dict[str, str], path: str) -> str:
    try:
        layers = json.loads(meta.get("layers", "[]"))
        return "layers " + ", ".join(f"{n!r} ({c})" for n, c, _ in layers)
    except (ValueError, TypeError):
        return "an unreadable layer list"
