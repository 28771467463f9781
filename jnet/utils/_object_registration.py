"""Keras's custom-object registry: ``register_keras_serializable`` and ``custom_object_scope``.

Two tables, as in ``keras.src.saving.object_registration``: the global one (filled by
:func:`register_keras_serializable` or by writing into :func:`get_custom_objects`) and the
one of the innermost :class:`CustomObjectScope` of the current thread. Loading and
:func:`jnet.saving.deserialize_keras_object` resolve names through them, and through the
``custom_objects`` a caller passes; a name is never imported as a module. The registry sits
low in the package (floor 3) so that every floor above it, and ``jnet.utils``, can use it.

Example:
    >>> import jnet
    >>> @jnet.saving.register_keras_serializable(package="Demo")
    ... def doubled(x):
    ...     return 2 * x
    >>> jnet.saving.get_registered_name(doubled)
    'Demo>doubled'
    >>> jnet.saving.get_registered_object("Demo>doubled") is doubled
    True
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Mapping
from typing import Any

from jnet import errors

__all__ = [
    "CustomObjectScope",
    "all_custom_objects",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
]

#: Registered name ('package>name') -> object; what :func:`get_custom_objects` returns.
GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
#: Object -> its registered name.
GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}

_SCOPE = threading.local()


def _scope_objects() -> dict[str, Any]:
    return getattr(_SCOPE, "objects", None) or {}


def _check_mapping(custom_objects: Any, owner: str) -> dict[str, Any]:
    if custom_objects is None:
        return {}
    if not isinstance(custom_objects, Mapping):
        raise errors.JnetTypeError(
            f"{owner}: custom_objects must be a dict {{name: object}}, received "
            f"{errors.describe(custom_objects)}."
        )
    return dict(custom_objects)


class CustomObjectScope:
    """Exposes custom classes and functions to deserialization inside a ``with`` block.

    Under ``with custom_object_scope({'name': obj})``, :func:`jnet.saving.load_model`,
    :func:`jnet.models.model_from_json`, ``Model.from_config`` and
    :func:`jnet.saving.deserialize_keras_object` resolve ``'name'`` to ``obj`` (the scope's
    objects replace those of an enclosing scope, as in Keras; each thread has its own).

    Args:
        custom_objects: ``{name: object}``; None for an empty scope.

    Example:
        >>> import jnet
        >>> def my_act(x):
        ...     return x
        >>> with jnet.saving.custom_object_scope({"my_act": my_act}):
        ...     jnet.saving.get_registered_object("my_act") is my_act
        True
        >>> jnet.saving.get_registered_object("my_act") is None
        True
    """

    def __init__(self, custom_objects: Mapping[str, Any] | None = None):
        self.custom_objects = _check_mapping(custom_objects, "CustomObjectScope")
        self.backup: dict[str, Any] | None = None

    def __enter__(self) -> CustomObjectScope:
        self.backup = dict(_scope_objects())
        _SCOPE.objects = dict(self.custom_objects)
        return self

    def __exit__(self, *exc: Any) -> None:
        _SCOPE.objects = dict(self.backup or {})


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict[str, Any]:
    """The live global dict of registered objects (scoped ones are not in it).

    Returns:
        ``{registered name: object}``; writing into it registers an object under that name.

    Example:
        >>> import jnet
        >>> def my_loss(y_true, y_pred):
        ...     return y_pred
        >>> jnet.saving.get_custom_objects()["my_loss"] = my_loss
        >>> jnet.saving.get_registered_object("my_loss") is my_loss
        True
        >>> del jnet.saving.get_custom_objects()["my_loss"]
    """
    return GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[Any], Any]:
    """Registers a class or function under ``'package>name'`` for saving and loading.

    A registered object is found by name when a file, a JSON string or a config refers to it,
    with no ``custom_objects`` needed (its module must still be imported before loading: the
    decorator has to have run). A class must have ``get_config()``.

    Args:
        package: the first part of the key (default ``'Custom'``).
        name: the second part; defaults to the object's ``__name__``.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Raises:
        JnetTypeError: ``package`` or ``name`` is not a string.
        JnetValueError: a class without ``get_config()``.

    Example:
        >>> import jnet
        >>> @jnet.saving.register_keras_serializable("my_package")
        ... class ScaledDense(jnet.layers.Dense):
        ...     pass
        >>> jnet.saving.get_registered_name(ScaledDense)
        'my_package>ScaledDense'
    """
    if not isinstance(package, str) or not package:
        raise errors.JnetTypeError(
            f"register_keras_serializable: package must be a non-empty string, received "
            f"{errors.describe(package)}."
        )
    if name is not None and (not isinstance(name, str) or not name):
        raise errors.JnetTypeError(
            f"register_keras_serializable: name must be a non-empty string or None, received "
            f"{errors.describe(name)}."
        )

    def decorator(arg: Any) -> Any:
        object_name = name if name is not None else getattr(arg, "__name__", None)
        if not isinstance(object_name, str):
            raise errors.JnetTypeError(
                f"register_keras_serializable registers classes and functions; received "
                f"{errors.describe(arg)}, which has no __name__ (pass name=...)."
            )
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise errors.JnetValueError(
                f"Cannot register class {arg.__name__!r}: it has no get_config() method, so "
                f"its configuration cannot be saved. Define get_config() (and from_config() "
                f"if its constructor does not take the config's keys)."
            )
        registered_name = f"{package}>{object_name}"
        GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj: Any) -> str:
    """The name ``obj`` is registered under, or its ``__name__`` when it is not registered.

    Example:
        >>> import jnet
        >>> jnet.saving.get_registered_name(jnet.layers.Dense)
        'Dense'
    """
    try:
        registered = GLOBAL_CUSTOM_NAMES.get(obj)
    except TypeError:  # an unhashable object is never registered
        registered = None
    if registered is not None:
        return registered
    return obj.__name__


def get_registered_object(
    name: str,
    custom_objects: Mapping[str, Any] | None = None,
    module_objects: Mapping[str, Any] | None = None,
) -> Any:
    """The object registered as ``name``: looked up in the current scope, then the global
    registry, then ``custom_objects``, then ``module_objects`` (Keras's order).

    Args:
        name: the name to look up.
        custom_objects: ``{name: object}`` from the user.
        module_objects: ``{name: object}`` from a library.

    Returns:
        The object, or None when no table has ``name``.

    Example:
        >>> import jnet
        >>> jnet.saving.get_registered_object("nowhere>nothing") is None
        True
    """
    scope = _scope_objects()
    if name in scope:
        return scope[name]
    if name in GLOBAL_CUSTOM_OBJECTS:
        return GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def all_custom_objects(custom_objects: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every name deserialization may resolve: ``custom_objects``, the global registry and the
    current scope in one dict (on a clash the scope wins, then the registry: the order of
    :func:`get_registered_object`).

    Example:
        >>> all_custom_objects({"f": abs})["f"] is abs
        True
    """
    return {**_check_mapping(custom_objects, "custom_objects"), **GLOBAL_CUSTOM_OBJECTS,
            **_scope_objects()}
