"""Layer and compile configuration as declarative JSON, rebuilt from an allowlist.

A layer is saved as ``{'class_name': 'Dense', 'config': layer.get_config()}``. Loading looks
``class_name`` up in an allowlist — the layer classes exported by :mod:`jnet.layers`, then the
caller's ``custom_objects`` — and calls ``cls(**config)``. Nothing named in a file is ever
imported, and a file cannot name code: a user's own function (a Lambda's function, a custom
activation or loss) is saved as ``{'__callable__': name}`` and comes back only from
``custom_objects={name: function}`` or the objects registered with
``@register_keras_serializable`` (then ``name`` is the registered ``'package>name'``; see
:mod:`jnet.saving._custom`). A layer of a registered class carries its ``registered_name``;
an instance of a registered class in a layer's config (an initializer, say) is saved as
Keras's ``{'module', 'class_name', 'config', 'registered_name'}`` and rebuilt from the
registry. A layer held by another layer (``Bidirectional``'s,
``TimeDistributed``'s) is saved as ``{'__layer__': {...}}`` and rebuilt the same way. A
model's architecture (the list or graph of these layer entries) is the models' own:
:mod:`jnet.models._architecture`.

Example:
    >>> import jnet
    >>> from jnet.saving import deserialize_layer, serialize_layer
    >>> config = serialize_layer(jnet.layers.Dense(3, activation="relu", name="d"))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 3)
    >>> deserialize_layer(config).get_config() == jnet.layers.Dense(
    ...     3, activation="relu", name="d").get_config()
    True
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings
from collections.abc import Mapping
from typing import Any

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
from jnet import layers as layers_module
from jnet.layers.base import Layer
from jnet.saving import _custom

__all__ = [
    "compile_config",
    "custom_dict",
    "deserialize_compile",
    "deserialize_layer",
    "encode_value",
    "layer_allowlist",
    "layer_from_entry",
    "serialize_layer",
]

_CALLABLE = "__callable__"
_LAYER = "__layer__"
#: Config keys never passed to a constructor (Flax's internal field).
_FORBIDDEN_KEYS = frozenset({"parent"})


def layer_allowlist() -> dict[str, type]:
    """The layer classes a file may name: every ``Layer`` subclass exported by jnet.layers.

    Returns:
        ``{name: class}`` under both the class's own name and the exported alias
        (``'Conv2D'`` and ``'Convolution2D'``).
    """
    allowed: dict[str, type] = {}
    for name in getattr(layers_module, "__all__", ()):
        obj = getattr(layers_module, name, None)
        if inspect.isclass(obj) and issubclass(obj, Layer) and obj is not Layer:
            allowed.setdefault(obj.__name__, obj)
            allowed.setdefault(name, obj)
    return allowed


# -- encoding -------------------------------------------------------------------------------


def _callable_name(fn: Any) -> str:
    return getattr(fn, "__name__", None) or type(fn).__name__


def _builtin(value: Any) -> bool:
    """Whether a callable config value is something jnet describes by name or config."""
    if _registered(value) is not None:
        return False
    return (
        activations.serialize(value) is not None
        or initializers.serialize(value) is not None
        or isinstance(value, regularizers.Regularizer | constraints.Constraint)
    )


def _registered(value: Any) -> str | None:
    """The registered name of a function or of an object's class, or None."""
    name = _custom.registered_name_of(value)
    if name is None and not inspect.isclass(value) and hasattr(value, "get_config"):
        name = _custom.registered_name_of(type(value))
    return name


def encode_value(value: Any, where: str) -> Any:
    """A config value as JSON: layers as ``{'__layer__': ...}``, the user's functions as
    ``{'__callable__': name}``; ``where`` names the value in errors."""
    if isinstance(value, Layer):
        return {_LAYER: serialize_layer(value)}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise errors.JnetTypeError(
                    f"Cannot save {where}: dict key {key!r} is not a string."
                )
            out[key] = encode_value(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, list | tuple):
        return [encode_value(item, where) for item in value]
    registered = _registered(value)
    if registered is not None:
        if _custom.registered_name_of(value) is not None:  # a registered function or class
            return {_CALLABLE: registered}
        return {  # an instance of a registered class
            "module": type(value).__module__,
            "class_name": type(value).__name__,
            "config": encode_value(dict(value.get_config()), where),
            "registered_name": registered,
        }
    if callable(value):
        name = activations.serialize(value)
        if name is not None:
            return name
        init = initializers.serialize(value)
        if init is not None:
            return init
        return {_CALLABLE: _callable_name(value)}
    raise errors.JnetTypeError(
        f"Cannot save {where}: {errors.describe(value)} is not JSON-serialisable. jnet files "
        f"hold configs as JSON (numbers, strings, lists, dicts)."
    )


def serialize_layer(layer: Layer) -> dict[str, Any]:
    """A layer as ``{'class_name': ..., 'config': ...}`` (JSON-serialisable).

    ``config`` is ``layer.get_config()``, except that a field holding one of the user's own
    callables is saved as ``{'__callable__': name}`` and a field holding a layer as
    ``{'__layer__': serialize_layer(inner)}``.

    Args:
        layer: a jnet layer.

    Returns:
        A dict; :func:`deserialize_layer` rebuilds the layer.

    Example:
        >>> import jnet
        >>> from jnet.saving import serialize_layer
        >>> def double(x):
        ...     return 2 * x
        >>> serialize_layer(jnet.layers.Lambda(double))["config"]["function"]
        {'__callable__': 'double'}
    """
    if not isinstance(layer, Layer):
        raise errors.JnetTypeError(
            f"serialize_layer takes a jnet layer, received {errors.describe(layer)}."
        )
    cls = type(layer).__name__
    config = dict(layer.get_config())
    # Flax layers are dataclasses; a Keras-style subclass is not (its config is its own)
    fields = ({f.name for f in dataclasses.fields(layer)} if dataclasses.is_dataclass(layer)
              else set())
    for key in list(config):
        if key in fields and key not in ("name", "parent"):
            raw = getattr(layer, key)
            if isinstance(raw, Layer) or (callable(raw) and not _builtin(raw)):
                config[key] = raw  # the object itself: encoded as a layer or a callable name
    encoded = encode_value(config, f"the config of layer {layer.name!r} ({cls})")
    entry: dict[str, Any] = {"class_name": cls, "config": encoded}
    registered = _custom.registered_name_of(type(layer))
    if registered is not None:
        entry["registered_name"] = registered
    return entry


# -- decoding -------------------------------------------------------------------------------


def custom_dict(custom_objects: Mapping[str, Any] | None) -> dict[str, Any]:
    """``custom_objects`` checked and merged with the registered and scoped objects."""
    return _custom.custom_dict(custom_objects)


def _decode(value: Any, custom: dict[str, Any], where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {_CALLABLE}:
            return _lookup_callable(value[_CALLABLE], custom, where)
        if set(value) == {_LAYER}:
            return layer_from_entry(value[_LAYER], custom)
        built = _custom_instance(value, custom, where)
        if built is not None:
            return built
        return {k: _decode(v, custom, where) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_decode(v, custom, where) for v in value)
    return value


def _custom_instance(value: dict, custom: dict[str, Any], where: str) -> Any:
    """An instance of the user's class from Keras's ``{'class_name', 'config', ...}`` dict when
    its ``registered_name`` or ``class_name`` is one of ``custom``'s classes; else None."""
    names = [value.get("registered_name"), value.get("class_name")]
    cls = _custom.find(names, custom)
    if not inspect.isclass(cls):
        return None
    config = _decode(value.get("config") or {}, custom, where)
    if not isinstance(config, dict):
        raise errors.JnetValueError(
            f"{where}: the config of a {cls.__name__} must be a dict, received {config!r}."
        )
    if hasattr(cls, "from_config"):
        return cls.from_config(config)
    return cls(**config)


def _lookup_callable(name: Any, custom: dict[str, Any], where: str) -> Any:
    if not isinstance(name, str):
        raise errors.JnetValueError(f"{where}: a callable reference must be a name, got {name!r}.")
    fn = _custom.find([name], custom, loose=True)
    if fn is None:
        short = name.rsplit(">", 1)[-1]
        raise errors.JnetValueError(
            f"{where} uses your function {name!r}, whose code is not in the file (jnet files "
            f"hold no code, and loading never runs or imports anything named in a file). "
            f"{_custom.register_hint(short, 'function')}"
        )
    if not callable(fn):
        raise errors.JnetTypeError(
            f"custom_objects[{name!r}] must be callable, received {errors.describe(fn)}."
        )
    return fn


def layer_from_entry(config: Any, custom: dict[str, Any]) -> Layer:
    """:func:`deserialize_layer` for an entry read from a file (checked to be a dict) with
    ``custom`` from :func:`custom_dict`."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise errors.JnetValueError(
            f"A layer entry must be {{'class_name': str, 'config': dict}}, received "
            f"{errors.describe(config)}."
        )
    class_name = config["class_name"]
    registered = config.get("registered_name")
    cls = _custom.find([registered, class_name], custom)
    if cls is None:
        allowed = layer_allowlist()
        cls = allowed.get(class_name)
        if cls is None:
            cls = _custom.find([registered, class_name], custom, loose=True)
        if cls is None:
            err = errors.unknown_identifier("layer class", class_name, allowed)
            named = f" (registered as {registered!r})" if isinstance(registered, str) else ""
            raise errors.UnknownIdentifierError(
                f"{err} The file names the layer class {class_name!r}{named}, which is neither "
                f"jnet's nor registered. {_custom.register_hint(class_name)}"
            )
    if not (inspect.isclass(cls) and issubclass(cls, Layer)):
        raise errors.JnetTypeError(
            f"custom_objects[{class_name!r}] must be a jnet Layer subclass, received "
            f"{errors.describe(cls)}."
        )
    raw = config.get("config") or {}
    if not isinstance(raw, dict):
        raise errors.JnetValueError(
            f"The config of a {class_name} layer must be a dict, received {errors.describe(raw)}."
        )
    where = f"Layer {raw.get('name')!r} ({class_name})"
    if raw.get("name") is not None and not isinstance(raw.get("name"), str):
        raise errors.JnetValueError(f"{where}: a layer name must be a string.")
    bad = _FORBIDDEN_KEYS & set(raw)
    if bad:
        raise errors.JnetValueError(f"{where}: the config may not set {sorted(bad)}.")
    kwargs = {str(k): _decode(v, custom, where) for k, v in raw.items()}
    try:
        return cls(**kwargs)
    except errors.JnetValueError:
        raise
    except TypeError as e:  # includes jnet's error for a keyword the class does not take
        raise errors.JnetValueError(
            f"{where}: its saved config does not fit the class ({e})."
        ) from None


def deserialize_layer(
    config: Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Layer:
    """Rebuilds a layer from :func:`serialize_layer`'s output.

    Args:
        config: ``{'class_name': ..., 'config': ...}``.
        custom_objects: ``{name: object}`` for your own layer classes and functions
            (a Lambda's function, a custom activation). Looked up before jnet's own names.

    Returns:
        A new layer.

    Raises:
        UnknownIdentifierError: ``class_name`` is not a jnet layer nor in ``custom_objects``.
        JnetValueError: the config names a function not given in ``custom_objects``, or does
            not fit the class.

    Example:
        >>> from jnet.saving import deserialize_layer
        >>> deserialize_layer({"class_name": "Dropout", "config": {"rate": 0.5}}).rate
        0.5
    """
    return layer_from_entry(dict(config), custom_dict(custom_objects))


# -- compile ----------------------------------------------------------------------------------


def compile_config(model: Any) -> dict[str, Any] | None:
    """The model's ``compile`` arguments as JSON, or None when it is not compiled.

    The optimizer is saved as ``{'class_name', 'config'}``, the loss as the string given to
    ``compile`` or the resolved loss's Keras serialisation, and each metric as its
    serialisation. A raw optax transformation cannot be described: the config is then None
    and ``load_model`` returns an uncompiled model.
    """
    if not getattr(model, "compiled", False):
        return None
    if isinstance(model.optimizer, optimizers.OptaxOptimizer):
        warnings.warn(
            "The model is compiled with a raw optax transformation, which jnet cannot describe "
            "in a file: it is saved without its compile configuration and optimizer state "
            "(load_model returns it uncompiled). Use a jnet optimizer to save them.",
            stacklevel=4,
        )
        return None
    if getattr(model, "_compiled_outputs", None) is not None:  # several outputs: as given
        return encode_value(
            {
                "optimizer": optimizers.serialize(model.optimizer),
                "loss": _per_output(model.loss, losses.serialize),
                "loss_weights": model._loss_weights,
                "metrics": _per_output(model._metrics_argument, metrics.serialize),
                "steps_per_execution": model._steps_per_execution,
                "per_output": True,
            },
            "the compile configuration",
        )
    loss = model.loss if isinstance(model.loss, str) else losses.serialize(model._loss_obj)
    return encode_value(
        {
            "optimizer": optimizers.serialize(model.optimizer),
            "loss": loss,
            "metrics": [metrics.serialize(m) for m in model._metric_objs],
            "steps_per_execution": model._steps_per_execution,
        },
        "the compile configuration",
    )


def _per_output(value: Any, serialize: Any) -> Any:
    """``compile``'s per-output loss/metrics argument with each object serialised."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_per_output(v, serialize) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _per_output(v, serialize) for k, v in value.items()}
    return serialize(value)


def _from_per_output(value: Any, deserialize: Any, custom: dict[str, Any]) -> Any:
    value = _substitute(value, custom)
    if isinstance(value, list):
        return [_from_per_output(v, deserialize, custom) for v in value]
    if isinstance(value, dict):
        if "class_name" in value:
            return deserialize(value)
        return {k: _from_per_output(v, deserialize, custom) for k, v in value.items()}
    return value


def _jnet_knows(name: str) -> bool:
    """Whether jnet's loss, metric or optimizer registries resolve ``name`` (then a registered
    object of the same short name does not replace jnet's own)."""
    for get in (losses.get, metrics.get, optimizers.get):
        try:
            get(name)
        except (errors.JnetError, TypeError, ValueError):
            continue
        return True
    return False


def _substitute(value: Any, custom: dict[str, Any]) -> Any:
    """Replaces Keras-style references to the user's objects by the objects themselves."""
    if isinstance(value, dict):
        if set(value) == {_CALLABLE}:
            return _lookup_callable(value[_CALLABLE], custom, "The compile configuration")
        name = value.get("class_name")
        registered = value.get("registered_name")
        if name == "function" and isinstance(value.get("config"), str):
            names = [value["config"], registered if registered != "function" else None]
            fn = _custom.find(names, custom)
            if fn is None and not _jnet_knows(value["config"]):
                fn = _custom.find(names, custom, loose=True)
            if fn is not None:
                return fn
        elif isinstance(name, str):
            cls = _custom.find([registered, name], custom)
            if cls is None and not _jnet_knows(name):
                cls = _custom.find([registered, name], custom, loose=True)
            if cls is not None:
                inner = _substitute(value.get("config") or {}, custom)
                if hasattr(cls, "from_config"):
                    return cls.from_config(inner)
                return cls(**inner)
        return {k: _substitute(v, custom) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, custom) for v in value]
    return value


def deserialize_compile(
    config: Any, custom_objects: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``compile`` keyword arguments from :func:`compile_config`'s output."""
    custom = custom_dict(custom_objects)
    if not isinstance(config, dict):
        raise errors.JnetValueError("The compile configuration must be a dict.")
    if config.get("per_output"):
        try:
            optimizer = _substitute(config.get("optimizer"), custom)
            if isinstance(optimizer, dict):
                optimizer = optimizers.deserialize(optimizer)
            return {
                "optimizer": optimizer,
                "loss": _from_per_output(config.get("loss"), losses.deserialize, custom),
                "loss_weights": config.get("loss_weights"),
                "metrics": _from_per_output(config.get("metrics"), metrics.deserialize, custom),
                "steps_per_execution": config.get("steps_per_execution", "auto"),
            }
        except errors.UnknownIdentifierError as e:
            raise errors.UnknownIdentifierError(
                f"The file's compile configuration names something jnet does not know: {e} "
                f"Pass your own functions and classes in custom_objects={{name: obj}}, or "
                f"load_model(path, compile=False) and compile yourself."
            ) from None
    try:
        loss = _substitute(config.get("loss"), custom)
        if isinstance(loss, dict):
            loss = losses.deserialize(loss)
        metric_list = []
        for entry in config.get("metrics") or []:
            entry = _substitute(entry, custom)
            metric_list.append(metrics.deserialize(entry) if isinstance(entry, dict) else entry)
        optimizer = _substitute(config.get("optimizer"), custom)
        if isinstance(optimizer, dict):
            optimizer = optimizers.deserialize(optimizer)
    except errors.UnknownIdentifierError as e:
        raise errors.UnknownIdentifierError(
            f"The file's compile configuration names something jnet does not know: {e} If it "
            f"is your own function or class, pass it by name in custom_objects={{name: obj}}; "
            f"or load_model(path, compile=False) and compile yourself."
        ) from None
    steps = config.get("steps_per_execution", "auto")
    return {
        "optimizer": optimizer,
        "loss": loss,
        "metrics": metric_list,
        "steps_per_execution": steps,
    }
