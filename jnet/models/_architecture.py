"""The architecture of Sequential and functional models as JSON, and their rebuilding.

This is the models' side of saving: :mod:`jnet.saving` writes and reads files and knows the
layers' configs, and asks a model for its architecture (``model.architecture_config()``) and a
registered model class to rebuild one (``cls.from_architecture(config, custom_objects)``,
see :mod:`jnet.saving._classes`); both are implemented here. A model's entry in a file is
``{'class_name': 'Sequential' | 'Functional', 'config': ...}``.

A ``Sequential``'s config is ``{"name", "input_shape", "layers": [entry, ...]}``. A functional
model's config (Keras's shape of it, so both jnet files and Keras archives are read by one
rebuilder) is::

    {"name": ..., "layers": [{"class_name", "config", "name",
                              "inbound_nodes": [{"args": [...], "kwargs": {...}}, ...]}, ...],
     "input_layers": <ref or list/dict of refs>, "output_layers": <same>}

A *ref* ``[layer_name, node_index, tensor_index]`` names output ``tensor_index`` of the
``node_index``-th call of a layer; in ``args``/``kwargs`` it is written
``{"__tensor__": ref}``. Rebuilding creates each layer from the allowlist, ``Input`` for
each ``InputLayer``, then replays the calls in dependency order on symbolic tensors and calls
the model class with ``(inputs, outputs)``; the file never supplies code, only names and
numbers. A ``jnet.ops`` call between layers is an entry ``{"class_name": "__operation__",
"config": {"name", "op"}}`` rebuilt by calling ``jnet.ops.<op>`` again (see
:mod:`jnet.models._operations`). A model used as a layer (a ``Sequential`` base inside a
functional model) is saved as its own model config in its layer entry and rebuilt the same way;
its variables nest under its name.

Example:
    >>> import jnet
    >>> from jnet.models._architecture import functional_config, rebuild
    >>> from jnet.saving import deserialize_layer
    >>> x = jnet.Input(shape=(3,))
    >>> model = jnet.Model(x, jnet.layers.Dense(2)(x))
    >>> config = functional_config(model)
    >>> [entry["name"] for entry in config["layers"]]
    ['input_layer', 'dense']
    >>> rebuild(jnet.Model, config, deserialize_layer, "m.jnet").output_shape
    (None, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jnet import errors
from jnet.layers.input import Input, InputLayer, KerasTensor, flatten, inbound_nodes
from jnet.models._operations import (
    OPERATION,
    encode_argument,
    is_operation,
    op_entry,
    op_from_entry,
)
from jnet.models.model import Model
from jnet.saving._classes import architecture_of, model_class
from jnet.saving._config import custom_dict, encode_value, layer_from_entry, serialize_layer

__all__ = [
    "GraphError",
    "entry_config",
    "functional_config",
    "functional_from_config",
    "graph_layer",
    "rebuild",
    "sequential_config",
    "sequential_from_config",
]

_TENSOR = "__tensor__"
#: The model classes a nested entry of a jnet file may name.
_NESTED = ("Sequential", "Functional")


class GraphError(errors.JnetValueError):
    """A functional model's graph in a file is malformed."""


# -- entries -----------------------------------------------------------------------------------


def entry_config(layer: Any) -> dict[str, Any]:
    """A model's entry: a layer's config, or a nested model's architecture."""
    if isinstance(layer, Model):
        return architecture_of(layer)  # raises for a subclassed model
    return serialize_layer(layer)


def graph_layer(entry: Any, custom: dict[str, Any]) -> Any:
    """A layer of a model from its entry: a layer, or a model used as a layer (nested)."""
    if isinstance(entry, dict) and entry.get("class_name") in _NESTED:
        return model_class(entry["class_name"]).from_architecture(entry.get("config"), custom)
    return layer_from_entry(entry, custom)


# -- Sequential --------------------------------------------------------------------------------


def sequential_config(model: Any) -> dict[str, Any]:
    """The config of a ``Sequential``: its name, input shape and layer entries."""
    shape = model.input_shape
    return {
        "name": model.name,
        "input_shape": None if shape is None else list(shape),
        "layers": [entry_config(layer) for layer in model.layers],
    }


def sequential_from_config(
    cls: type, config: Any, custom_objects: Mapping[str, Any] | None = None
) -> Any:
    """A ``cls`` (``Sequential``), unbuilt, from :func:`sequential_config`'s output."""
    custom = custom_dict(custom_objects)
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise errors.JnetValueError("The model config must hold a list of layers.")
    name = config.get("name")
    if name is not None and not isinstance(name, str):
        raise errors.JnetValueError(f"The model name must be a string, received {name!r}.")
    model = cls([graph_layer(layer, custom) for layer in config["layers"]], name=name)
    shape = config.get("input_shape")
    if shape is not None:
        if not isinstance(shape, list) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0)
            for d in shape[1:]
        ) or not shape:
            raise errors.JnetValueError(
                f"The model's input_shape must be a list of positive integers or nulls, "
                f"received {shape!r}."
            )
        model._input_shape = (None, *shape[1:])
    return model


# -- functional models -------------------------------------------------------------------------


def functional_from_config(
    cls: type,
    config: Any,
    custom_objects: Mapping[str, Any] | None = None,
    make_layer: Callable[[Mapping[str, Any]], Any] | None = None,
    source: str = "the file",
    clean_kwargs: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """A functional ``cls``, unbuilt, from :func:`functional_config`'s output.

    ``make_layer`` builds each layer entry (default: jnet's allowlist, nested models
    included); the Keras importer passes its own, with ``clean_kwargs`` (see :func:`rebuild`).
    """
    if not isinstance(config, dict):
        raise errors.JnetValueError("The model config must be a dict.")
    if make_layer is None:
        custom = custom_dict(custom_objects)

        def make_layer(entry: Mapping[str, Any]) -> Any:
            return graph_layer(entry, custom)

    return rebuild(cls, config, make_layer, source, clean_kwargs)


# -- saving ------------------------------------------------------------------------------------


def _model_nodes(model: Any, layer: Any) -> list[Any]:
    return [node for node in inbound_nodes(layer) if id(node) in model._node_ids]


def functional_config(model: Any) -> dict[str, Any]:
    """The JSON config of a jnet ``Functional`` model (layers, their calls, inputs, outputs)."""

    index: dict[int, tuple[str, int]] = {}  # id(node) -> (layer name, index in this model)
    for layer in model._operations:
        for i, node in enumerate(_model_nodes(model, layer)):
            index[id(node)] = (layer.name, i)

    def ref(tensor: KerasTensor) -> list[Any]:
        history = tensor._keras_history
        node = _node(history)
        name, i = index[id(node)]
        return [name, i, history.tensor_index]

    def encode(value: Any) -> Any:
        if isinstance(value, KerasTensor):
            return {_TENSOR: ref(value)}
        if isinstance(value, list | tuple):
            return [encode(v) for v in value]
        if isinstance(value, Mapping):
            return {str(k): encode(v) for k, v in value.items()}
        return encode_value(value, "a layer call's argument")

    layers = []
    for layer in model._operations:  # the layers and the ops, in Keras's order
        if is_operation(layer):
            where = f"the arguments of operation {layer.name!r}"
            entry = op_entry(layer)
            nodes = [
                {"args": encode_argument(list(node.args), where, encode),
                 "kwargs": encode_argument(dict(node.kwargs), where, encode)}
                for node in _model_nodes(model, layer)
            ]
        elif isinstance(layer, InputLayer):
            entry = {
                "class_name": "InputLayer",
                "config": encode_value(
                    {"shape": list(layer.shape or ()), "batch_size": layer.batch_size,
                     "dtype": layer.dtype, "name": layer.name},
                    f"input {layer.name!r}",
                ),
            }
            nodes: list[Any] = []
        else:
            entry = entry_config(layer)
            nodes = [
                {"args": encode(list(node.args)), "kwargs": encode(dict(node.kwargs))}
                for node in _model_nodes(model, layer)
            ]
        entry["name"] = layer.name
        entry["inbound_nodes"] = nodes
        layers.append(entry)
    return {
        "name": model.name,
        "layers": layers,
        "input_layers": _refs(model._inputs_struct, ref),
        "output_layers": _refs(model._outputs_struct, ref),
    }


def _node(history: Any) -> Any:
    return inbound_nodes(history.layer)[history.node_index]


def _refs(structure: Any, ref: Callable[[Any], list[Any]]) -> Any:
    if isinstance(structure, Mapping):
        return {str(k): _refs(v, ref) for k, v in structure.items()}
    if isinstance(structure, list | tuple):
        return [_refs(v, ref) for v in structure]
    return ref(structure)


# -- loading -----------------------------------------------------------------------------------


def _is_ref(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value[1:])
    )


def _check_ref(value: Any, where: str) -> tuple[str, int, int]:
    if not _is_ref(value):
        raise GraphError(
            f"{where}: a tensor reference must be [layer_name, node_index, tensor_index], "
            f"received {value!r}."
        )
    return value[0], value[1], value[2]


def _refs_in(value: Any, where: str) -> list[tuple[str, int, int]]:
    if isinstance(value, Mapping):
        if set(value) == {_TENSOR}:
            return [_check_ref(value[_TENSOR], where)]
        return [r for v in value.values() for r in _refs_in(v, where)]
    if isinstance(value, list):
        return [r for v in value for r in _refs_in(v, where)]
    return []


def _resolve(value: Any, tensors: dict[tuple[str, int], list[Any]], where: str) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {_TENSOR}:
            name, node, k = _check_ref(value[_TENSOR], where)
            outputs = tensors[(name, node)]
            if k >= len(outputs):
                raise GraphError(
                    f"{where}: layer {name!r}'s call {node} has {len(outputs)} output(s), the "
                    f"file asks for output {k}."
                )
            return outputs[k]
        return {k: _resolve(v, tensors, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, tensors, where) for v in value]
    return value


def _structure(value: Any, tensors: dict[tuple[str, int], list[Any]], what: str) -> Any:
    if _is_ref(value):
        return _resolve({_TENSOR: value}, tensors, what)
    if isinstance(value, Mapping):
        return {str(k): _structure(v, tensors, what) for k, v in value.items()}
    if isinstance(value, list) and value:
        return [_structure(v, tensors, what) for v in value]
    raise GraphError(f"The model's {what} must be tensor references, received {value!r}.")


def _make_input(entry: Mapping[str, Any]) -> Any:
    config = entry.get("config")
    if not isinstance(config, Mapping):
        raise GraphError("An InputLayer's config must be a dict.")
    name = entry.get("name") or config.get("name")
    shape = config.get("batch_shape") or config.get("batch_input_shape")
    if shape is not None:
        if not isinstance(shape, list) or not shape:
            raise GraphError(f"Input {name!r}: batch_shape must be a list, received {shape!r}.")
        batch_size, shape = shape[0], shape[1:]
    else:
        shape, batch_size = config.get("shape"), config.get("batch_size")
    if not isinstance(shape, list) or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in shape
    ):
        raise GraphError(f"Input {name!r}: its shape must be a list of sizes, received {shape!r}.")
    dtype = config.get("dtype")
    if dtype is not None and not isinstance(dtype, str):
        dtype = None
    if isinstance(name, str) is False and name is not None:
        raise GraphError(f"An input's name must be a string, received {name!r}.")
    return Input(shape=tuple(shape), batch_size=batch_size, dtype=dtype, name=name)


def rebuild(
    cls: type,
    config: Mapping[str, Any],
    make_layer: Callable[[Mapping[str, Any]], Any],
    path: str,
    clean_kwargs: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """A functional model from :func:`functional_config`'s output (or Keras's, converted).

    Args:
        cls: the model class, called as ``cls(inputs, outputs, name=name)``.
        config: the graph config.
        make_layer: builds a layer from its ``{'class_name', 'config'}`` entry.
        path: the file, for error messages.
        clean_kwargs: edits each call's keyword arguments before the call (Keras's ``mask``).

    Raises:
        GraphError: a malformed graph (unknown layer, dangling reference, a cycle).
    """
    entries = config.get("layers")
    if not isinstance(entries, list) or not entries:
        raise GraphError(f"{path!r}: a functional model's config must hold a list of layers.")
    layers: dict[str, Any] = {}
    pending: list[tuple[str, int, Mapping[str, Any]]] = []
    tensors: dict[tuple[str, int], list[Any]] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise GraphError(f"{path!r}: a layer entry must be a dict, received {entry!r}.")
        name = entry.get("name")
        if name is None and isinstance(entry.get("config"), Mapping):
            name = entry["config"].get("name")
        if not isinstance(name, str) or name in layers:
            raise GraphError(f"{path!r}: layer names must be unique strings, got {name!r}.")
        if entry.get("class_name") == "InputLayer":
            tensor = _make_input({**entry, "name": name})
            layers[name] = tensor._keras_history.layer
            tensors[(name, 0)] = [tensor]
            continue
        if entry.get("class_name") == OPERATION:  # a jnet.ops call, by name
            layers[name] = op_from_entry(entry, name)
        else:
            layers[name] = make_layer(entry)
        nodes = entry.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise GraphError(f"{path!r}: layer {name!r}'s inbound_nodes must be a list.")
        for i, node in enumerate(nodes):
            if not isinstance(node, Mapping):
                raise GraphError(f"{path!r}: layer {name!r}'s call {i} must be a dict.")
            pending.append((name, i, node))
    done: dict[str, int] = {}
    while pending:
        progress = False
        waiting = []
        for name, i, node in pending:
            where = f"{path!r}: layer {name!r}, call {i}"
            raw_kwargs = node.get("kwargs", {})
            if clean_kwargs is not None and isinstance(raw_kwargs, dict):
                raw_kwargs = clean_kwargs(raw_kwargs)
            refs = _refs_in(node.get("args", []), where) + _refs_in(raw_kwargs, where)
            for ref_name, _, _ in refs:
                if ref_name not in layers:
                    raise GraphError(f"{where} reads the output of {ref_name!r}, no such layer.")
            if done.get(name, 0) != i or any((r[0], r[1]) not in tensors for r in refs):
                waiting.append((name, i, node))
                continue
            args = _resolve(node.get("args", []), tensors, where)
            kwargs = _resolve(raw_kwargs, tensors, where)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise GraphError(f"{where}: args must be a list and kwargs a dict.")
            result = layers[name](*args, **kwargs)
            tensors[(name, i)] = flatten(result)
            done[name] = i + 1
            progress = True
        if not progress:
            stuck = ", ".join(f"{n!r} call {i}" for n, i, _ in waiting[:5])
            raise GraphError(
                f"{path!r}: the model's graph cannot be evaluated: {stuck} wait for tensors no "
                f"call produces (a cycle or a missing call)."
            )
        pending = waiting
    inputs = _structure(config.get("input_layers"), tensors, "inputs")
    outputs = _structure(config.get("output_layers"), tensors, "outputs")
    name = config.get("name")
    if name is not None and not isinstance(name, str):
        raise GraphError(f"{path!r}: the model name must be a string, received {name!r}.")
    return cls(inputs, outputs, name=name)
