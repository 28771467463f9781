"""Keras 3 ``Functional`` model configs (layers, ``inbound_nodes``, inputs/outputs) -> jnet.

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
from jnet.saving._keras_config import check_supported, keras_layer

__all__ = ["build", "to_jnet_graph"]

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
        make_layer=lambda entry: keras_layer(entry, custom),
        source=path,
        clean_kwargs=_clean,
    )
