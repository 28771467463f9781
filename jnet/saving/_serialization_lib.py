"""``serialize_keras_object`` / ``deserialize_keras_object``: Keras's object dicts, code-free.

An object is written as Keras writes it, ``{'module', 'class_name', 'config',
'registered_name'}``: jnet's layers, models (their architecture), activations, initializers,
regularizers, constraints, losses, metrics, optimizers and schedules through their own
registries' ``serialize``; a registered class or function (``@register_keras_serializable``)
under its ``'package>name'``; any other object with ``get_config()`` under its class name
(loadable with ``custom_objects``). Plain values, lists, dicts, numpy and jax arrays, bytes,
slices and ``...`` use Keras's markers (``'__numpy__'``, ``'__tensor__'``, ...).

Reading never imports ``module`` and never runs code from the data (a ``'__lambda__'`` is
refused): a name resolves only to jnet's own objects (chosen by ``module``: ``keras.layers``,
``keras.losses``, ...), the caller's ``custom_objects``, the current ``custom_object_scope`` and
the registered objects. Anything else is an error that names the class and says how to register
it.

Example:
    >>> import jnet
    >>> config = jnet.saving.serialize_keras_object(jnet.optimizers.Adam(learning_rate=0.01))
    >>> config["module"], config["class_name"]
    ('keras.optimizers', 'Adam')
    >>> jnet.saving.deserialize_keras_object(config).learning_rate
    0.01
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import types
from collections.abc import Mapping
from typing import Any

import jax
import numpy as np

from jnet import (
    activations,
    constraints,
    errors,
    initializers,
    losses,
    metrics,
    optimizers,
    regularizers,
)
from jnet.layers.base import Layer
from jnet.optimizers import schedules
from jnet.saving import _custom
from jnet.saving._classes import model_class
from jnet.saving._config import layer_allowlist, layer_from_entry, serialize_layer
from jnet.saving._keras_archive import _build_model as build_keras_model
from jnet.utils._object_registration import CustomObjectScope

__all__ = ["deserialize_keras_object", "model_from_config", "model_from_json",
           "serialize_keras_object"]

_PLAIN = (str, int, float, bool)
_MODELS = ("Sequential", "Functional", "Model")


def _entry(module: str | None, class_name: str, config: Any, registered: str | None) -> dict:
    return {"module": module, "class_name": class_name, "config": config,
            "registered_name": registered}


def _is_model(obj: Any) -> bool:
    return getattr(type(obj), "_JNET_IS_MODEL", False) is True and not inspect.isclass(obj)


# -- serialize ---------------------------------------------------------------------------------


def serialize_keras_object(obj: Any) -> Any:
    """An object as Keras's JSON-ready dict; :func:`deserialize_keras_object` rebuilds it.

    Args:
        obj: a jnet layer, model (Sequential or functional: its architecture), activation,
            initializer, regularizer, constraint, loss, metric, optimizer or learning-rate
            schedule; a registered class instance or function; any object with
            ``get_config()``; or plain data (None, numbers, strings, lists, tuples, dicts,
            numpy/jax arrays, bytes, slices, ``...``).

    Returns:
        A dict ``{'module', 'class_name', 'config', 'registered_name'}`` (plain data as itself,
        lists and dicts element by element).

    Raises:
        JnetTypeError: a lambda (jnet writes no code: use a named, registered function), or an
            object with no ``get_config()``.

    Example:
        >>> import jnet
        >>> @jnet.saving.register_keras_serializable(package="Doc")
        ... def clipped_relu(x):
        ...     return jnet.ops.minimum(jnet.ops.relu(x), 6.0)
        >>> config = jnet.saving.serialize_keras_object(clipped_relu)
        >>> config["class_name"], config["config"]
        ('function', 'Doc>clipped_relu')
    """
    if obj is None or isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, list | tuple):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, Mapping):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start),
            "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step),
        }}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, np.ndarray | np.generic | jax.Array):
        return _serialize_array(obj)
    if _is_model(obj):
        return _serialize_model(obj)
    if isinstance(obj, Layer):
        return _serialize_layer(obj)
    registered = _custom.registered_name_of(obj)
    if registered is not None:  # a registered function (or class, as Keras: by name)
        return _function_entry(registered)
    registered = _custom.registered_name_of(type(obj))
    if registered is not None:
        return _entry(type(obj).__module__, type(obj).__name__,
                      _serialize_config(obj), registered)
    builtin = _serialize_builtin(obj)
    if builtin is not None:
        return builtin
    if isinstance(obj, types.FunctionType | types.BuiltinFunctionType) or inspect.isclass(obj):
        return _serialize_function(obj)
    if hasattr(obj, "get_config"):
        cls = type(obj)
        return _entry(cls.__module__, cls.__name__, _serialize_config(obj), cls.__name__)
    raise errors.JnetTypeError(
        f"Cannot serialize {errors.describe(obj)}: to be serializable, a class must implement "
        f"get_config() (and be registered with @jnet.saving.register_keras_serializable() to "
        f"load without custom_objects)."
    )


def _serialize_array(obj: Any) -> Any:
    if isinstance(obj, np.generic) or (isinstance(obj, np.ndarray) and obj.ndim == 0):
        return np.asarray(obj).item()
    value = np.asarray(obj)
    marker = "__numpy__" if isinstance(obj, np.ndarray) else "__tensor__"
    return {"class_name": marker, "config": {"value": value.tolist(), "dtype": str(value.dtype)}}


def _serialize_config(obj: Any) -> dict[str, Any]:
    config = obj.get_config()
    if not isinstance(config, dict):
        raise errors.JnetTypeError(
            f"The get_config() method of {type(obj).__name__} must return a dict; it returned "
            f"{errors.describe(config)}."
        )
    return {key: serialize_keras_object(value) for key, value in config.items()}


def _serialize_model(model: Any) -> dict[str, Any]:
    arch = model.architecture_config()
    if arch is not None:
        return _entry("keras", arch["class_name"], arch["config"], None)
    registered = _custom.registered_name_of(type(model))
    if registered is not None:  # a registered subclassed model: its own get_config()
        return _entry(type(model).__module__, type(model).__name__,
                      _serialize_config(model), registered)
    raise errors.JnetTypeError(
        f"Cannot serialize {type(model).__name__!r}: jnet describes Sequential and functional "
        f"models; a subclassed model's architecture is its Python code. Register the class "
        f"with @jnet.saving.register_keras_serializable() and give it get_config() (and "
        f"from_config()) returning its constructor arguments."
    )


def _serialize_layer(layer: Layer) -> dict[str, Any]:
    if not dataclasses.is_dataclass(layer):  # a layer that is not a Flax module
        cls = type(layer)
        registered = _custom.registered_name_of(cls) or cls.__name__
        return _entry(cls.__module__, cls.__name__, _serialize_config(layer), registered)
    entry = serialize_layer(layer)
    registered = entry.get("registered_name")
    module = type(layer).__module__ if registered else "keras.layers"
    return _entry(module, entry["class_name"], entry["config"], registered)


def _serialize_builtin(obj: Any) -> dict[str, Any] | None:
    """jnet's own objects, through their registries (None for anything else)."""
    if isinstance(obj, optimizers.Optimizer):
        return _entry("keras.optimizers", **_class_and_config(optimizers.serialize(obj)))
    if isinstance(obj, schedules.LearningRateSchedule):
        return schedules.serialize(obj)
    if isinstance(obj, losses.Loss):
        return losses.serialize(obj)
    if isinstance(obj, metrics.Metric):
        return metrics.serialize(obj)
    if isinstance(obj, initializers.Initializer):
        return initializers.serialize(obj)
    if isinstance(obj, regularizers.Regularizer):
        return regularizers.serialize(obj)
    if isinstance(obj, constraints.Constraint):
        return constraints.serialize(obj)
    if callable(obj) and not inspect.isclass(obj):
        name = activations.serialize(obj)
        if name is not None:
            return _function_entry(name)
        name = getattr(obj, "__name__", None)
        if isinstance(name, str) and _lookup(losses.get, name) is obj:
            return _function_entry(name)
    return None


def _function_entry(name: str) -> dict[str, Any]:
    """A function as Keras 3 writes every function: by name, in the 'builtins' module."""
    return _entry("builtins", "function", name, "function")


def _class_and_config(config: Mapping[str, Any]) -> dict[str, Any]:
    return {"class_name": config["class_name"], "config": config["config"], "registered": None}


def _serialize_function(fn: Any) -> dict[str, Any]:
    name = getattr(fn, "__name__", None)
    if name == "<lambda>":
        raise errors.JnetTypeError(
            "Cannot serialize a lambda: jnet never writes code into a config (Keras writes its "
            "bytecode). Define a named function and register it with "
            "@jnet.saving.register_keras_serializable()."
        )
    return _function_entry(name)


# -- deserialize -------------------------------------------------------------------------------


def deserialize_keras_object(
    config: Any,
    custom_objects: Mapping[str, Any] | None = None,
    safe_mode: bool = True,
    **kwargs: Any,
) -> Any:
    """Rebuilds the object a :func:`serialize_keras_object` dict describes.

    Names resolve to jnet's own objects (by ``module``), ``custom_objects``, the current
    :class:`~jnet.saving.CustomObjectScope` and the registered objects, and to nothing else: no
    module named in ``config`` is imported and no code in it is run.

    Args:
        config: the dict (or a list of them, or plain data).
        custom_objects: ``{name: object}`` for classes and functions that are not registered.
        safe_mode: accepted for Keras compatibility; deserialization is always safe, and
            ``False`` unlocks nothing (a ``'__lambda__'`` is always refused).
        **kwargs: ``module_objects``, ``{name: object}`` looked up after ``custom_objects``
            (Keras's argument for libraries).

    Returns:
        The object (a string not naming a custom object is returned as is, as in Keras).

    Raises:
        JnetTypeError: the class or function is not jnet's and not registered or passed (the
            message names it and says how to register it), or a malformed config.
        JnetValueError: a ``'__lambda__'`` (code) in the config.

    Example:
        >>> import jnet
        >>> loss = jnet.saving.deserialize_keras_object(
        ...     {"module": "keras.losses", "class_name": "Huber", "config": {"delta": 2.0},
        ...      "registered_name": None})
        >>> loss.delta
        2.0
    """
    module_objects = kwargs.pop("module_objects", None)
    if kwargs:
        raise errors.unknown_arguments("deserialize_keras_object", kwargs,
                                       ["config", "custom_objects", "safe_mode", "module_objects"])
    if not isinstance(safe_mode, bool):
        raise errors.JnetTypeError(f"safe_mode must be True or False, received {safe_mode!r}.")
    custom = _custom.custom_dict(custom_objects)
    if module_objects is not None and not isinstance(module_objects, Mapping):
        raise errors.JnetTypeError(
            f"module_objects must be a dict {{name: object}}, received "
            f"{errors.describe(module_objects)}."
        )
    return _deserialize(config, custom, dict(module_objects or {}))


def _deserialize(config: Any, custom: dict[str, Any], module_objects: dict[str, Any]) -> Any:
    if config is None:
        return None
    if isinstance(config, str):
        if config in custom:
            return custom[config]
        if config in module_objects:
            obj = module_objects[config]
            return _build(obj, {}) if inspect.isclass(obj) else obj
        return config
    if isinstance(config, list | tuple):
        return [_deserialize(x, custom, module_objects) for x in config]
    if isinstance(config, _PLAIN):
        return config
    if not isinstance(config, Mapping):
        raise errors.JnetTypeError(f"Could not parse config: {errors.describe(config)}.")
    if "class_name" not in config or "config" not in config:
        return {k: _deserialize(v, custom, module_objects) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    marker = _marker(class_name, inner, custom, module_objects)
    if marker is not _NOT_A_MARKER:
        return marker
    if not isinstance(class_name, str):
        raise errors.JnetTypeError(f"class_name must be a string, received {class_name!r}.")
    module = config.get("module")
    registered = config.get("registered_name")
    if class_name == "function":
        if not isinstance(inner, str):
            raise errors.JnetTypeError(
                f"A function's config must be its name (a string), received {inner!r}."
            )
        return _function(inner, registered, module, custom, module_objects, config)
    if not isinstance(inner, Mapping):
        raise errors.JnetTypeError(
            f"Expected 'config' to be a dict for {class_name}, received {errors.describe(inner)}."
        )
    return _instance(class_name, registered, module, dict(inner), custom, module_objects, config)


_NOT_A_MARKER = object()


def _marker(name: Any, inner: Any, custom: dict[str, Any], module_objects: dict[str, Any]) -> Any:
    if name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if name == "__tensor__":
        return jax.numpy.asarray(np.array(inner["value"], dtype=inner["dtype"]))
    if name == "__bytes__":
        return inner["value"].encode("utf-8")
    if name == "__ellipsis__":
        return Ellipsis
    if name == "__slice__":
        return slice(*(_deserialize(inner.get(k), custom, module_objects)
                       for k in ("start", "stop", "step")))
    if name == "__tuple__" and isinstance(inner, Mapping):
        return tuple(_deserialize(v, custom, module_objects) for v in inner.get("value", ()))
    if name == "__lambda__":
        raise errors.JnetValueError(
            "The config holds a Python lambda as bytecode. jnet never runs code from a config "
            "(safe_mode=False does not change that): define the function, register it with "
            "@jnet.saving.register_keras_serializable(), and refer to it by name."
        )
    if name in ("__keras_tensor__", "__typespec__"):
        raise errors.JnetTypeError(f"jnet does not deserialize {name!r} entries.")
    return _NOT_A_MARKER


def _lookup(get: Any, name: str) -> Any:
    try:
        return get(name)
    except (errors.JnetError, TypeError, ValueError):
        return None


def _function(name: str, registered: Any, module: Any, custom: dict[str, Any],
              module_objects: dict[str, Any], config: Mapping[str, Any]) -> Any:
    fn = _custom.find([name], custom) or _custom.find([name], module_objects)
    if fn is not None:
        return fn
    short = name.rsplit(">", 1)[-1]
    getters = {
        "keras.activations": (activations.get,), "jnet.activations": (activations.get,),
        "keras.losses": (losses.get,), "jnet.losses": (losses.get,),
    }.get(module, (activations.get, losses.get) if module in (None, "builtins") else ())
    for get in getters:
        fn = _lookup(get, short)
        if callable(fn) and not inspect.isclass(fn) and not isinstance(fn, losses.Loss):
            return fn
    fn = _custom.find([name], custom, loose=True)
    if fn is not None:
        return fn
    raise errors.JnetTypeError(
        f"Could not locate function {name!r} (module {module!r}, not imported): it is not "
        f"one of jnet's and not registered. {_custom.register_hint(short, 'function')} "
        f"Full object config: {dict(config)}"
    )


#: module -> the registry's deserialize of jnet's own classes of that kind.
_BUILTIN_CLASSES = {
    "keras.optimizers": optimizers.deserialize,
    "jnet.optimizers": optimizers.deserialize,
    "keras.optimizers.schedules": schedules.deserialize,
    "jnet.optimizers.schedules": schedules.deserialize,
    "keras.losses": losses.deserialize,
    "jnet.losses": losses.deserialize,
    "keras.metrics": metrics.deserialize,
    "jnet.metrics": metrics.deserialize,
    "keras.initializers": initializers.deserialize,
    "jnet.initializers": initializers.deserialize,
    "keras.regularizers": regularizers.deserialize,
    "jnet.regularizers": regularizers.deserialize,
    "keras.constraints": constraints.deserialize,
    "jnet.constraints": constraints.deserialize,
}


def _instance(class_name: str, registered: Any, module: Any, inner: dict[str, Any],
              custom: dict[str, Any], module_objects: dict[str, Any],
              config: Mapping[str, Any]) -> Any:
    cls = _custom.find([registered, class_name], custom) or _custom.find(
        [class_name], module_objects
    )
    if cls is None:
        if module in ("keras", "keras.models", "jnet.models") and class_name in _MODELS:
            return model_from_config({"class_name": class_name, "config": inner}, custom)
        if isinstance(module, str) and module.split(".")[:2] in (["keras", "layers"],
                                                                 ["jnet", "layers"]):
            if class_name in layer_allowlist():
                return layer_from_entry({"class_name": class_name, "config": inner}, custom)
        builtin = _BUILTIN_CLASSES.get(module)
        if builtin is not None and not (isinstance(registered, str) and ">" in registered):
            return builtin({"class_name": class_name, "config": inner})
        cls = _custom.find([registered, class_name], custom, loose=True)
    if cls is None:
        named = f" registered as {registered!r}," if isinstance(registered, str) else ""
        raise errors.JnetTypeError(
            f"Could not locate class {class_name!r} ({named} module {module!r}, not imported): "
            f"it is not one of jnet's and not registered. {_custom.register_hint(class_name)} "
            f"Full object config: {dict(config)}"
        )
    if not inspect.isclass(cls):
        return cls  # Keras returns a function found under a class's name as is
    if issubclass(cls, Layer) and dataclasses.is_dataclass(cls):
        key = registered if isinstance(registered, str) else class_name
        return layer_from_entry(
            {"class_name": class_name, "registered_name": key, "config": inner},
            {**custom, key: cls},
        )
    with CustomObjectScope(custom):
        return _build(cls, inner)


def _build(cls: type, config: dict[str, Any]) -> Any:
    from_config = getattr(cls, "from_config", None)
    try:
        if callable(from_config):
            return from_config(config)
        return cls(**config)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"{cls.__name__} could not be rebuilt from its config ({e}). Make sure get_config() "
            f"returns the constructor's arguments, or define from_config(cls, config)."
        ) from None


# -- models ------------------------------------------------------------------------------------


def _keras_made(config: Mapping[str, Any]) -> bool:
    """Whether a model config comes from Keras (its layer entries carry a 'module')."""
    layers = config.get("layers")
    return isinstance(layers, list) and any(
        isinstance(entry, Mapping) and "module" in entry for entry in layers
    )


def model_from_config(config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None,
                      cls: type | None = None) -> Any:
    """A Sequential or functional model (unbuilt weights) from its architecture.

    Args:
        config: ``{'class_name': 'Sequential' | 'Functional' | 'Model', 'config': {...}}``,
            or the inner config alone (a functional one has ``input_layers`` and
            ``output_layers``); jnet's architecture or Keras's ``get_config()``.
        custom_objects: ``{name: object}`` for unregistered classes and functions.
        cls: the model class to build (a subclass of Sequential or Functional); default from
            the config.

    Returns:
        The model.
    """
    if not isinstance(config, Mapping):
        raise errors.JnetTypeError(
            f"A model config must be a dict, received {errors.describe(config)}."
        )
    if "class_name" in config and "config" in config:
        class_name, inner = config["class_name"], config["config"]
    else:
        inner = config
        functional = all(k in config for k in ("layers", "input_layers", "output_layers"))
        class_name = "Functional" if functional else "Sequential"
    if class_name not in _MODELS or not isinstance(inner, Mapping):
        raise errors.JnetValueError(
            f"jnet rebuilds 'Sequential' and 'Functional' models from a config; received "
            f"class_name {class_name!r}."
        )
    class_name = "Functional" if class_name == "Model" else class_name
    custom = _custom.custom_dict(custom_objects)
    if _keras_made(inner):
        return build_keras_model({"class_name": class_name, "config": dict(inner)}, custom,
                                 "the config")
    target = cls if cls is not None else model_class(class_name)
    return target.from_architecture(dict(inner), custom)


def model_from_json(json_string: str, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """Parses ``model.to_json()``'s string into a model (architecture only: new weights,
    uncompiled), as ``keras.models.model_from_json``.

    Reads jnet's JSON and Keras's own ``to_json()`` of Sequential and functional models.

    Args:
        json_string: the JSON string.
        custom_objects: ``{name: object}`` for classes and functions that are not registered.

    Returns:
        The model.

    Raises:
        JnetValueError: not JSON, or not a model's description.
        UnknownIdentifierError / JnetTypeError: a class that is neither jnet's nor registered
            (the message names it and says how to register it).

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(5, input_shape=(3,)),
        ...                          jnet.layers.Activation("softmax")])
        >>> loaded = jnet.models.model_from_json(model.to_json())
        >>> [type(layer).__name__ for layer in loaded.layers]
        ['Dense', 'Activation']
    """
    if not isinstance(json_string, str | bytes):
        raise errors.JnetTypeError(
            f"model_from_json takes a JSON string, received {errors.describe(json_string)}."
        )
    try:
        config = json.loads(json_string)
    except ValueError as e:
        raise errors.JnetValueError(f"model_from_json: the string is not valid JSON ({e}).") \
            from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise errors.JnetValueError(
            "model_from_json: the JSON must describe a model, {'class_name': ..., 'config': "
            f"...}}; received {errors.describe(config)}."
        )
    if config.get("class_name") in _MODELS:
        return model_from_config(config, custom_objects)
    return deserialize_keras_object(config, custom_objects)
