"""Keras's names for layers and models: ``Dense`` -> ``dense``, then ``dense_1``, ...

A model names its unnamed layers when it is built (``Sequential.add``, ``jnet.Model(inputs,
outputs)``, a subclassed model's attributes), unique within that model, as Keras does (Keras
counts per session; jnet counts per model).

Example:
    >>> from jnet.symbolic.naming import default_name, snake_case
    >>> snake_case("MaxPooling2D")
    'max_pooling2d'
    >>> class Dense:
    ...     pass
    >>> default_name(Dense(), {"dense", "dense_1"})
    'dense_2'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jnet import errors

__all__ = ["clear_uids", "default_name", "get_uid", "snake_case", "unique_names"]

_UIDS: dict[str, int] = {}


def snake_case(name: str) -> str:
    """Keras's layer naming: ``Dense`` -> ``dense``, ``MaxPooling2D`` -> ``max_pooling2d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def default_name(layer: Any, taken: Any) -> str:
    """Keras's name for an unnamed ``layer``: ``dense``, then ``dense_1``, ... (the first not in
    ``taken``)."""
    base = snake_case(type(layer).__name__)
    name, k = base, 0
    while name in taken:
        k += 1
        name = f"{base}_{k}"
    return name


def unique_names(layers: Sequence[Any], owner: str) -> None:
    """Gives unnamed layers Keras's names, unique among ``layers``; rejects duplicates."""
    seen: dict[str, Any] = {}
    for layer in layers:
        if layer.name is None:
            continue
        if layer.name in seen and seen[layer.name] is not layer:
            raise errors.JnetValueError(
                f"All layers in model {owner!r} should have unique names, but the name "
                f"{layer.name!r} is used by more than one layer. Give each layer its own name=."
            )
        seen[layer.name] = layer
    for layer in layers:
        if layer.name is not None:
            continue
        name = default_name(layer, seen)
        object.__setattr__(layer, "name", name)
        seen[name] = layer


def get_uid(prefix: str = "") -> int:
    """Keras's session counter (``keras.backend.get_uid``): 1 on the first call for ``prefix``,
    then 2, 3, ...; ``clear_uids`` (``jnet.backend.clear_session``) starts it again."""
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def clear_uids() -> None:
    """Resets every :func:`get_uid` counter."""
    _UIDS.clear()
