"""The built model that holds a layer, and where the layer's variables sit in it.

A layer put in a model (``Sequential``, functional, subclassed) keeps a weak reference to the
first model that holds it (``layer._jnet_model``); a sublayer of a Keras-style layer keeps one
to its parent (``layer._jnet_parent``). Both Keras-style Variables
(:mod:`jnet.layers._keras_slots`) and eager calls of built-in layers
(:mod:`jnet.layers._eager`) use the model's variables as the truth while it holds the layer,
as Keras's layers share their variables with every model that contains them.

Example:
    >>> import jnet
    >>> dense = jnet.layers.Dense(2, name="d")
    >>> model = jnet.Sequential([jnet.Input((3,)), dense])
    >>> model.build((None, 3))
    >>> found = location(dense)
    >>> found[0] is model, found[1]
    (True, ('d',))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["location", "replaced"]


def location(layer: Any) -> tuple[Any, tuple[str, ...]] | None:
    """``(model, names)``: the built model holding ``layer`` (or its parent layers) and the
    names leading to the layer's entry in each collection of the model's variables; None
    when no built model holds it."""
    names: list[str] = []
    while layer is not None:
        ref = layer.__dict__.get("_jnet_model")
        model = ref() if ref is not None else None
        if model is not None:
            if layer.name is None or not model._has_variables():
                return None
            return model, (layer.name, *reversed(names))
        if layer.name is None:
            return None
        names.append(layer.name)
        parent = layer.__dict__.get("_jnet_parent")
        layer = parent() if parent is not None else None
    return None


def replaced(tree: Mapping[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of the nested dict ``tree`` with the entry at ``path`` set to ``value`` (the
    dicts along the path copied, everything else shared).

    Example:
        >>> replaced({"a": {"b": 1, "c": 2}}, ("a", "b"), 5)
        {'a': {'b': 5, 'c': 2}}
    """
    out = dict(tree)
    out[path[0]] = value if len(path) == 1 else replaced(tree.get(path[0], {}), path[1:], value)
    return out
