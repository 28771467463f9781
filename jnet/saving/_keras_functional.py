"""Keras 3 model configs (``Sequential``; ``Functional``: layers, ``inbound_nodes``,
inputs/outputs; a model used as a layer of another) -> jnet.

Keras writes a functional model as its layers, each with the calls made on it
(``inbound_nodes``: ``args``/``kwargs`` where a tensor is
``{'class_name': '__keras_tensor__', 'config': {'keras_history': [layer, node, index]}}``),
and ``input_layers``/``output_layers`` as ``[layer, node, index]`` references. This module
rewrites the tensors as jnet's ``{'__tensor__': [layer, node, index]}`` and hands the graph to
the registered ``Functional`` class's ``from_architecture`` (see
:mod:`jnet.models._architecture`), with the layers built by
:func:`jnet.saving._keras_config.keras_layer` (allowlist only, nothing imported).

Example:
    >>> from jnet.saving._keras_functional import to_jnet_graph
    >>> to_jnet_graph({"class_name": "__keras_tensor__",
    ...                "config": {"keras_history": ["dense", 0, 0]}})
    {'__tensor__': ['dense', 0, 0]}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet.saving._classes import model_class
from jnet.saving._config import custom_dict
from jnet.saving._file import FileFormatError
from jnet.saving._keras_config import (
    MODEL_CLASSES,
    KerasImportError,
    check_supported,
    keras_layer,
    translate_layers,
)

__all__ = ["build", "keras_model", "to_jnet_graph"]

#: Call arguments jnet's functional models handle themselves (masks flow along the edges).
_DROPPED_KWARGS = ("mask", "training")


def to_jnet_graph(value: Any) -> Any:
    """Keras's ``__keras_tensor__`` entries rewritten as jnet's ``{'__tensor__': ref}``."""
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            config = value.get("config")
            history = config.get("keras_history") if isinstance(config, Mapping) else None
            return {"__tensor__": history}
        return {k: to_jnet_graph(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_jnet_graph(v) for v in value]
    return value


def _clean(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in _DROPPED_KWARGS}


def _names(value: Any) -> set[str]:
    if isinstance(value, Mapping):
        if set(value) == {"__tensor__"} and isinstance(value["__tensor__"], list):
            return {str(value["__tensor__"][0])} if value["__tensor__"] else set()
        return {n for v in value.values() for n in _names(v)}
    if isinstance(value, list):
        if len(value) == 3 and isinstance(value[0], str):
            return {value[0]}
        return {n for v in value for n in _names(v)}
    return set()


def _mask_only(entries: list[Any], outputs: Any) -> set[str]:
    """Layers whose outputs feed only ``mask=`` arguments: Keras's mask computations
    (``NotEqual`` after ``Embedding(mask_zero=True)``), which jnet's layers do themselves."""
    used: set[str] = _names(outputs)
    masks: set[str] = set()
    for entry in entries:
        for node in entry.get("inbound_nodes") or []:
            if not isinstance(node, Mapping):
                continue
            kwargs = node.get("kwargs") if isinstance(node.get("kwargs"), Mapping) else {}
            used |= _names(node.get("args")) | _names(
                {k: v for k, v in kwargs.items() if k != "mask"}
            )
            masks |= _names(kwargs.get("mask"))
    return masks - used


def _make(entry: Mapping[str, Any], custom: dict[str, Any], path: str) -> Any:
    """A layer from its entry; a model used as a layer (a nested ``Sequential``) too."""
    if entry.get("class_name") in MODEL_CLASSES:
        return keras_model(entry, custom, path)
    return keras_layer(entry, custom)


def keras_model(
    entry: Mapping[str, Any], custom_objects: Mapping[str, Any] | None, path: str
) -> Any:
    """A jnet model (unbuilt) from a Keras model entry (``config.json`` itself, or a model
    used as a layer inside it): ``Sequential`` or ``Functional``."""
    custom = custom_dict(custom_objects)
    class_name = entry.get("class_name")
    inner = entry.get("config")
    if not isinstance(class_name, str) or not isinstance(inner, dict):
        raise FileFormatError(
            f"{path!r}: a model entry must hold {{'class_name': str, 'config': dict}}."
        )
    name = inner.get("name")
    if name is not None and not isinstance(name, str):
        raise FileFormatError(f"{path!r}: the model name must be a string, received {name!r}.")
    if class_name == "Sequential":
        entries = inner.get("layers")
        if not isinstance(entries, list):
            raise FileFormatError(f"{path!r}: a Sequential's config must hold a list of layers.")
        layers, shape = translate_layers(
            entries, custom, path, make_layer=lambda e: _make(e, custom, path)
        )
        if shape is None:
            shape = _build_shape(inner.get("build_input_shape"), entry.get("build_config"))
        model = model_class("Sequential")(layers, name=name)
        if shape is not None and model.input_shape is None:
            model._input_shape = (None, *shape)
        return model
    if class_name in ("Functional", "Model"):
        return build(inner, custom, path)
    raise KerasImportError(
        f"{path!r} holds a {class_name!r} model; jnet imports Keras 'Sequential' and "
        f"'Functional' models (a subclassed Keras model's Python code is not in the file)."
    )


def _build_shape(shape: Any, build_config: Any) -> tuple[int | None, ...] | None:
    if shape is None and isinstance(build_config, Mapping):
        shape = build_config.get("input_shape")
    if shape is None:
        return None
    if not isinstance(shape, list) or not shape or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in shape[1:]
    ):
        raise KerasImportError(
            f"The model's input shape must be a list of positive integers or nulls, received "
            f"{shape!r}."
        )
    return tuple(shape[1:])


def build(config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None, path: str) -> Any:
    """A jnet functional model from a Keras ``Functional`` config (its ``config`` entry)."""
    custom = custom_dict(custom_objects)
    entries = config.get("layers")
    if not isinstance(entries, list):
        raise errors.JnetValueError(
            f"{path!r}: a functional model's config must hold a list of layers."
        )
    layers = [
        {**entry, "inbound_nodes": to_jnet_graph(entry.get("inbound_nodes") or [])}
        if isinstance(entry, Mapping) else entry
        for entry in entries
    ]
    masks = _mask_only([e for e in layers if isinstance(e, Mapping)],
                       config.get("output_layers"))
    layers = [
        e for e in layers
        if not (isinstance(e, Mapping) and e.get("name") in masks
                and e.get("class_name") != "InputLayer")
    ]
    check_supported(layers, custom, path)
    graph = {
        "name": config.get("name"),
        "layers": layers,
        "input_layers": config.get("input_layers"),
        "output_layers": config.get("output_layers"),
    }
    return model_class("Functional").from_architecture(
        graph,
        custom,
        make_layer=lambda entry: _make(entry, custom, path),
        source=path,
        clean_kwargs=_clean,
    )
