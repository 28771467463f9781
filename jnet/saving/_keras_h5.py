"""Keras 3's ``.weights.h5`` layout, read and written with h5py (no TensorFlow needed).

Keras 3 (``keras/src/saving/saving_lib.py``) stores a ``Sequential``'s weights as HDF5
groups ``layers/<name>/vars/<i>``: ``<name>`` is the snake-cased *class* name made unique in
layer order (``dense``, ``dense_1``, ``conv2d``), not the layer's own name, and ``<i>`` numbers
the layer's variables in Keras's order (trainable, then non-trainable: what ``get_weights``
returns). Layers that hold other layers keep their variables in sub-groups:
``lstm/cell/vars``, ``bidirectional/forward_layer/cell/vars`` then ``backward_layer/...``,
``time_distributed/layer/vars``. A model used as a layer keeps its layers under its own
``layers`` group (``layers/sequential/layers/dense/vars``), and a Keras-style layer holding
layers keeps each under the attribute holding it (``layers/block/proj/vars``; a list's
layers as ``layers/block/extra/dense_1/vars``). A subclassed model's layers are where Keras's
walk of its attributes first meets them (:func:`model_children`). Every layer gets a
``vars`` group carrying its name as an attribute, and the model itself an empty root ``vars``
group. The optimizer's
variables go under ``optimizer/vars`` (Keras's order, which jnet's ``optimizer.variables``
follows): jnet writes them for a compiled model, and a ``.keras`` archive's are read back
(:mod:`jnet.saving._keras_archive`); ``load_weights`` reads only layer weights.

Example:
    >>> import os, tempfile, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> import h5py
    >>> sorted(h5py.File(path)["layers/dense/vars"])
    ['0', '1']
"""

from __future__ import annotations

import math
import os
import re
import warnings
from typing import Any

import jax
import numpy as np

from jnet import errors, optimizers
from jnet.layers._model_part import is_model
from jnet.layers.base import layer_variables, with_layer_variables
from jnet.saving._classes import model_class
from jnet.saving._file import FileFormatError
from jnet.saving._reading import require_regular
from jnet.utils._atomic import atomic_path

__all__ = [
    "load_h5_into",
    "has_datasets",
    "layer_keys",
    "load_weights_h5",
    "model_children",
    "read_group",
    "save_weights_h5",
    "sublayer_groups",
    "write_h5",
]

_RNN = ("LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
#: Deepest group nesting walked in a weights file (Keras nests a few levels).
MAX_H5_DEPTH = 16
#: Values a file may give a layer beyond twice its own (Keras's small extra weights).
_SLACK_VALUES = 4096


class _Oversized(errors.JnetValueError):
    """A dataset larger than the layer it is for could hold (refused unread)."""


def _value_budget(variables: Any) -> int:
    """How many values a file may give a layer: twice its own, plus a small slack."""
    leaves = jax.tree_util.tree_leaves(variables)
    return 2 * sum(math.prod(np.shape(leaf)) for leaf in leaves) + _SLACK_VALUES


def _snake(name: str) -> str:
    """Keras's ``naming.to_snake_case``."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _groups(layer: Any) -> list[str]:
    """The sub-groups (relative to the layer's group) holding its variables, in Keras order."""
    cls = type(layer).__name__
    own = getattr(layer, "keras_h5_groups", None)
    if callable(own):  # a layer built of Keras sub-layers names them (MultiHeadAttention)
        return list(own())
    if cls in _RNN:
        return ["cell/vars"]
    inner = getattr(layer, "layer", None)
    if cls == "Bidirectional" and inner is not None:
        backward = getattr(layer, "backward_layer", None) or inner
        return [f"forward_layer/{g}" for g in _groups(inner)] + [
            f"backward_layer/{g}" for g in _groups(backward)
        ]
    if cls == "TimeDistributed" and inner is not None:
        return [f"layer/{g}" for g in _groups(inner)]
    return ["vars"]


def layer_keys(model: Any) -> list[str]:
    used: dict[str, int] = {}
    keys = []
    for layer in model.layers:
        name = _snake(type(layer).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        keys.append(name)
    return keys


def model_children(model: Any) -> list[tuple[str, Any]]:
    """``(group, layer)`` for each layer of a model, where Keras keeps its weights.

    A ``Sequential`` or functional model's layers are ``layers/<key>`` (:func:`layer_keys`).
    A subclassed model is walked as Keras walks it (``saving_lib._walk_saveable``): its
    attributes in sorted order, ``layers`` (every layer, each named by its class, made unique)
    among them; a layer is stored under the first attribute that reaches it.
    """
    if isinstance(model, tuple(model_class(n) for n in ("Sequential", "Functional"))):
        return [(f"layers/{key}", layer)
                for key, layer in zip(layer_keys(model), model.layers, strict=True)]
    layers = list(model.layers)
    wanted = {id(layer) for layer in layers}
    attrs = {k: v for k, v in vars(model).items() if not k.startswith("_")}
    seen: set[int] = set()
    out = []
    for attr in sorted({*attrs, "layers"}):
        value = layers if attr == "layers" else attrs[attr]
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list | tuple):
            used: dict[str, int] = {}
            for item in value:
                if id(item) not in wanted:
                    continue
                name = _snake(type(item).__name__)
                count = used.get(name, -1) + 1
                used[name] = count
                if id(item) not in seen:
                    seen.add(id(item))
                    out.append((f"{attr}/{name}" + (f"_{count}" if count else ""), item))
        elif id(value) in wanted and id(value) not in seen:
            seen.add(id(value))
            out.append((attr, value))
    return out


def _split(weights: list[np.ndarray], parts: int) -> list[list[np.ndarray]]:
    if parts == 1:
        return [weights]
    size, rest = divmod(len(weights), parts)
    if rest:
        raise errors.JnetValueError(
            f"Cannot split {len(weights)} weights evenly over {parts} Keras sub-layers."
        )
    return [weights[i * size : (i + 1) * size] for i in range(parts)]


def save_weights_h5(model: Any, path: str | os.PathLike) -> None:
    """Writes ``model``'s weights in Keras 3's ``.weights.h5`` layout, atomically."""
    import h5py

    with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
        write_h5(model, f)


def write_h5(model: Any, f: Any) -> None:
    """Writes ``model``'s weights into the open HDF5 file (or group) ``f``, Keras 3's layout:
    a model used as a layer (a ``Sequential`` inside a functional model) gets its own
    ``vars`` group and its layers under ``layers/<key>/layers/...``, as Keras writes it."""
    f.create_group("vars").attrs["name"] = model.name
    variables = model.variables
    _write_layers(model, variables, f)
    _write_optimizer(model, f)


def _write_optimizer(model: Any, f: Any) -> None:
    """The optimizer's variables as Keras writes them (``optimizer/vars``: the iteration count,
    the learning rate unless a schedule gives it, then each trainable weight's slots in Keras's
    order: Adam's momentum then velocity), when the model is compiled with a jnet optimizer."""
    optimizer = getattr(model, "optimizer", None)
    if not getattr(model, "compiled", False) or optimizer is None or isinstance(
        optimizer, optimizers.OptaxOptimizer
    ):
        return
    group = f.create_group("optimizer/vars")
    group.attrs["name"] = optimizer.name
    for i, variable in enumerate(optimizer.variables):
        value = np.asarray(variable)
        group.create_dataset(str(i), data=value.astype(np.int64) if i == 0 else value)


def _write_layers(model: Any, variables: Any, f: Any) -> None:
    for group, layer in model_children(model):
        _write_layer(layer, layer_variables(variables, layer.name), f, group)


def _write_layer(layer: Any, own: Any, f: Any, base: str) -> None:
    """Writes one layer's weights (``own``: its variables) under ``base``, as Keras does."""
    if is_model(layer):
        group = f.require_group(base)
        group.create_group("vars").attrs["name"] = layer.name
        _write_layers(layer, own, group)
        return
    weights = layer.keras_weights(own)
    f.create_group(f"{base}/vars").attrs["name"] = layer.name
    subs = sublayer_groups(layer)
    if subs:  # a Keras-style layer holding layers: its own weights, then each sublayer's
        target = f[f"{base}/vars"]
        for i, value in enumerate(weights[: _own_count(layer, own, subs)]):
            target.create_dataset(str(i), data=np.asarray(value))
        for group, sub in subs:
            _write_layer(sub, layer_variables(own, sub.name), f, f"{base}/{group}")
        return
    groups = _groups(layer)
    for group, part in zip(groups, _split(weights, len(groups)), strict=True):
        target = f.require_group(f"{base}/{group}")
        for i, value in enumerate(part):
            target.create_dataset(str(i), data=np.asarray(value))


def sublayer_groups(layer: Any) -> list[tuple[str, Any]]:
    """``(group, sublayer)`` for each layer a Keras-style layer holds, in its weights' order.

    Keras (``saving_lib._save_state``) stores such a sublayer under the name of the attribute
    holding it (attributes in sorted order, the first one seen wins), and the layers of a list
    or dict attribute under ``<attribute>/<snake-cased class name, made unique>``. Empty for
    other layers.
    """
    subs = [getattr(s, "model", s) for s in getattr(layer, "_sublayers", None) or ()]
    if not subs:
        return []
    wanted = {id(s) for s in subs}
    found: dict[int, str] = {}
    for attr in sorted(k for k in vars(layer) if not k.startswith("_")):
        value = vars(layer)[attr]
        items = list(value.values()) if isinstance(value, dict) else value
        if isinstance(items, list | tuple):
            used: dict[str, int] = {}
            for item in items:
                if id(item) in wanted and id(item) not in found:
                    name = _snake(type(item).__name__)
                    count = used.get(name, -1) + 1
                    used[name] = count
                    found[id(item)] = f"{attr}/{name}" + (f"_{count}" if count else "")
        elif id(value) in wanted and id(value) not in found:
            found[id(value)] = attr
    missing = [s.name for s in subs if id(s) not in found]
    if missing:
        raise errors.JnetValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}): its sublayers {missing} are not "
            f"held by an attribute, so Keras's weights layout has no place for them."
        )
    return [(found[id(s)], s) for s in subs]


def _own_count(layer: Any, own: Any, subs: list[tuple[str, Any]]) -> int:
    """How many of a Keras-style layer's weights are its own (before its sublayers')."""
    total = len(layer.weight_paths(own))
    return total - sum(len(s.weight_paths(layer_variables(own, s.name))) for _, s in subs)


def _collect(
    layer: Any, own: Any, f: Any, base: str, path: str, max_bytes: int | None,
    budget: list[int] | None,
) -> list[np.ndarray]:
    """A layer's weights from the file, in ``layer.keras_weights``'s order (the reverse of
    :func:`_write_layer`)."""
    if is_model(layer):
        return [
            w
            for group, inner in model_children(layer)
            for w in _collect(inner, layer_variables(own, inner.name), f,
                              f"{base}/{group}", path, max_bytes, budget)
        ]
    subs = sublayer_groups(layer)
    if not subs:
        return _group_weights(f, base, _groups(layer), path, max_bytes, budget)
    weights = _group_weights(f, base, ["vars"], path, max_bytes, budget)
    expected = _own_count(layer, own, subs)
    if len(weights) != expected:
        raise errors.JnetValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}) has {expected} weights of its own, "
            f"the file's '{base}/vars' holds {len(weights)}."
        )
    for group, sub in subs:
        weights += _collect(sub, layer_variables(own, sub.name), f, f"{base}/{group}", path,
                            max_bytes, budget)
    return weights


def read_group(
    group: Any, where: str, path: str, max_bytes: int | None = None, budget: list[int] | None = None
) -> list[np.ndarray]:
    import h5py

    names = list(group.keys())
    if sorted(names, key=lambda n: (len(n), n)) != [str(i) for i in range(len(names))]:
        raise FileFormatError(
            f"{path!r}: {where} should hold datasets named 0..{len(names) - 1}, found {names}."
        )
    out = []
    for i in range(len(names)):
        if not isinstance(group.get(str(i), getlink=True), h5py.HardLink):
            raise FileFormatError(
                f"{path!r}: {where}/{i} is a link (to another place or file); jnet follows "
                f"no path named inside a file."
            )
        item = group[str(i)]
        if not isinstance(item, h5py.Dataset):
            raise FileFormatError(f"{path!r}: {where}/{i} is not a dataset.")
        if item.external or item.is_virtual:
            raise FileFormatError(
                f"{path!r}: {where}/{i} keeps its data in another file; jnet follows no path "
                f"named inside a file."
            )
        if item.dtype.kind not in "fiub":
            raise FileFormatError(
                f"{path!r}: {where}/{i} has dtype {item.dtype}; expected numbers."
            )
        if max_bytes is not None and item.size * item.dtype.itemsize > max_bytes:
            raise FileFormatError(
                f"{path!r}: {where}/{i} declares shape {item.shape} "
                f"({item.size * item.dtype.itemsize} bytes), more than the file could hold "
                f"({max_bytes} bytes). Nothing was read."
            )
        if budget is not None:
            budget[0] -= item.size
            if budget[0] < 0:
                raise _Oversized(
                    f"{where}/{i} declares shape {item.shape} ({item.size} values), more than "
                    f"the layer's own weights hold; nothing was read"
                )
        value = np.asarray(item[()])
        if item.attrs.get("dtype") == "bfloat16":
            raise FileFormatError(f"{path!r}: {where}/{i} is bfloat16, which jnet cannot read.")
        out.append(value)
    return out


def _hard_get(f: Any, full: str, path: str) -> Any:
    """``f.get(full)``, refusing a soft or external link anywhere along the path."""
    import h5py

    parts = full.split("/")
    for k in range(1, len(parts) + 1):
        link = f.get("/".join(parts[:k]), getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise FileFormatError(
                f"{path!r}: {'/'.join(parts[:k])} is a link (to another place or file); "
                f"jnet follows no path named inside a file."
            )
    return f.get(full)


def _group_weights(
    f: Any,
    base: str,
    groups: list[str],
    path: str,
    max_bytes: int | None = None,
    budget: list[int] | None = None,
) -> list[np.ndarray]:
    import h5py

    weights: list[np.ndarray] = []
    for group in groups:
        full = f"{base}/{group}"
        node = _hard_get(f, full, path)
        if node is None:
            continue
        if not isinstance(node, h5py.Group):
            raise FileFormatError(f"{path!r}: {full} is not a group.")
        weights.extend(read_group(node, full, path, max_bytes, budget))
    return weights


def load_weights_h5(model: Any, path: str | os.PathLike, skip_mismatch: bool = False) -> None:
    """Reads a Keras 3 ``.weights.h5`` file (written by Keras or by jnet) into ``model``."""
    import h5py

    path = os.fspath(path)
    require_regular(path)
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        if not os.path.exists(path):
            raise
        raise FileFormatError(f"{path!r} is not a readable HDF5 file ({e}).") from None
    with f:
        load_h5_into(model, f, path, skip_mismatch=skip_mismatch)


def load_h5_into(
    model: Any,
    f: Any,
    path: str,
    skip_mismatch: bool = False,
    strict_dtype: bool = False,
    max_dataset_bytes: int | None = None,
) -> None:
    """Reads an open Keras 3 weights HDF5 file ``f`` (a ``.weights.h5`` file or the
    ``model.weights.h5`` of a ``.keras`` archive) into ``model``; ``path`` names it in errors.

    With ``strict_dtype``, a weight whose dtype differs from the model's is refused instead of
    being cast; a dataset declaring more than ``max_dataset_bytes`` is refused unread, and so
    is one that would give a layer more values than twice its own weights hold (a mismatch
    ``skip_mismatch`` skips).
    """
    import h5py

    if "layer_names" in f.attrs or "model_weights" in f:
        raise FileFormatError(
            f"{path!r} is in Keras 2's legacy HDF5 layout; jnet reads Keras 3 "
            f"'.weights.h5' files. Re-save it with Keras 3: model.save_weights(...)."
        )
    link = f.get("layers", getlink=True)
    if link is not None and not isinstance(link, h5py.HardLink):
        raise FileFormatError(
            f"{path!r}: 'layers' is a link; jnet follows no path named inside a file."
        )
    layers_group = f.get("layers")
    if layers_group is not None and not isinstance(layers_group, h5py.Group):
        raise FileFormatError(f"{path!r}: 'layers' is not a group.")
    new = _load_layers(
        model, model.variables, f, "", layers_group, path, skip_mismatch, strict_dtype,
        max_dataset_bytes,
    )
    model._set_variables(new)


def _load_layers(
    model: Any,
    variables: Any,
    f: Any,
    prefix: str,
    layers_group: Any,
    path: str,
    skip_mismatch: bool,
    strict_dtype: bool,
    max_dataset_bytes: int | None,
) -> Any:
    """``variables`` (``model``'s) with the weights of ``f``'s ``<prefix>layers/...`` put in
    place; a nested model's layers are read from its own ``layers`` group."""
    children = model_children(model)
    keys = [g.split("/", 1)[1] for g, _ in children if g.startswith("layers/")]
    new = variables
    for group, layer in children:
        own = layer_variables(variables, layer.name)
        base = f"{prefix}{group}"
        if is_model(layer):
            inner = _hard_get(f, f"{base}/layers", path)
            updated = _load_layers(
                layer, own, f, f"{base}/", inner, path, skip_mismatch, strict_dtype,
                max_dataset_bytes,
            )
            new = with_layer_variables(new, layer.name, updated)
            continue
        expected = layer.weight_paths(own)
        try:
            try:
                weights = _collect(
                    layer, own, f, base, path, max_dataset_bytes, [_value_budget(own)]
                )
            except _Oversized as e:
                raise errors.JnetValueError(
                    f"Layer {layer.name!r} ({type(layer).__name__}): the file's {e}."
                ) from None
            if len(weights) != len(expected):
                raise errors.JnetValueError(
                    f"Layer {layer.name!r} ({type(layer).__name__}) expects "
                    f"{len(expected)} weights, the file's '{base}' holds "
                    f"{len(weights)}."
                )
            if strict_dtype:
                _check_dtypes(layer, own, expected, weights)
            updated = layer.set_keras_weights(own, weights)
        except FileFormatError:
            raise
        except errors.JnetValueError as e:
            if not skip_mismatch:
                raise errors.JnetValueError(
                    f"Cannot load {path!r} into model {model.name!r}: {e}"
                ) from None
            warnings.warn(f"Skipping layer {layer.name!r}: {e}", stacklevel=4)
            continue
        new = with_layer_variables(new, layer.name, updated)
    if layers_group is not None:
        import h5py

        if not isinstance(layers_group, h5py.Group):
            raise FileFormatError(f"{path!r}: '{prefix}layers' is not a group.")
    extra = sorted(
        name
        for name in (layers_group.keys() if layers_group is not None else ())
        if name not in keys and has_datasets(layers_group, name)
    )
    if extra and not skip_mismatch:
        raise errors.JnetValueError(
            f"Cannot load {path!r} into model {model.name!r}: the file holds weights for "
            f"layers the model does not have: {extra} (the model's are {keys})."
        )
    return new


def _check_dtypes(layer: Any, own: Any, paths: list, weights: list[np.ndarray]) -> None:
    for p, w in zip(paths, weights, strict=True):
        node = own
        for k in p:
            node = node[k]
        if np.dtype(w.dtype) != np.dtype(node.dtype):
            raise errors.JnetValueError(
                f"Layer {layer.name!r} ({type(layer).__name__}): weight {'/'.join(p)} has "
                f"dtype {node.dtype}, the file's has {w.dtype}."
            )


def has_datasets(group: Any, name: str, depth: int = 0) -> bool:
    """Whether ``group[name]`` holds any dataset; a link counts as one and is not followed,
    and nesting deeper than any Keras file's (a cycle of hard links) is refused."""
    import h5py

    if depth > MAX_H5_DEPTH:
        raise FileFormatError(
            f"Group {group.name}/{name} is nested more than {MAX_H5_DEPTH} levels deep; no "
            f"Keras weights file is (a crafted file, or a cycle of hard links)."
        )
    if not isinstance(group.get(name, getlink=True), h5py.HardLink):
        return True
    node = group[name]
    if isinstance(node, h5py.Dataset):
        return True
    if isinstance(node, h5py.Group):
        return any(has_datasets(node, k, depth + 1) for k in node.keys())
    return False
