"""Keras's names for layers and models: ``Dense`` -> ``dense``, then ``dense_1``, ...

A model names its unnamed layers when it is built (``Sequential.add``, ``jnet.Model(inputs,
outputs)``, a subclassed model's attributes), unique within that model, as Keras does (Keras
counts per session; jnet counts per model). Models themselves are named as Keras names them,
per class and per session (:func:`auto_name`: ``sequential``, ``sequential_1``, ...;
``functional``, ``functional_1``; ``my_model``), so two unnamed models nested in a third do
not clash; ``jnet.backend.clear_session`` starts the counts again.

Example:
    >>> from jnet.symbolic.naming import default_name, snake_case
    >>> snake_case("MaxPooling2D")
    'max_pooling2d'
    >>> class Dense:
    ...     pass
    >>> default_name(Dense(), {"dense", "dense_1"})
    'dense_2'
    >>> clear_uids(); auto_name("Sequential"), auto_name("Sequential"), auto_name("MyModel")
    ('sequential', 'sequential_1', 'my_model')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jnet import errors

__all__ = [
    "auto_name", "clear_uids", "default_name", "get_uid", "snake_case", "unique_names", "uniquify",
]

_UIDS: dict[str, int] = {}
_NAME_UIDS: dict[str, int] = {}  # Keras's global "object_name_uids"


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


def uniquify(name: str) -> str:
    """Keras's ``naming.uniquify``: ``name`` the first time it is asked for in a session,
    then ``name_1``, ``name_2``, ...

    Example:
        >>> clear_uids(); uniquify("encoder"), uniquify("encoder")
        ('encoder', 'encoder_1')
    """
    count = _NAME_UIDS.get(name, 0)
    _NAME_UIDS[name] = count + 1
    return f"{name}_{count}" if count else name


def auto_name(class_name: str) -> str:
    """Keras's automatic name for an object of class ``class_name`` (``naming.auto_name``):
    its snake case, made unique in the session by :func:`uniquify`.

    Example:
        >>> clear_uids(); auto_name("Functional"), auto_name("Functional")
        ('functional', 'functional_1')
    """
    return uniquify(snake_case(class_name))


def clear_uids() -> None:
    """Resets every :func:`get_uid` counter and the :func:`auto_name` counts."""
    _UIDS.clear()
    _NAME_UIDS.clear()
