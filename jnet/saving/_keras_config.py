"""Keras 3 layer and compile configurations (a ``.keras`` archive's ``config.json``) -> jnet.

Keras writes every object as ``{'module', 'class_name', 'config', 'registered_name'}``. jnet
reads only ``class_name`` and ``config``: the class is looked up in jnet's layer allowlist
(:func:`jnet.saving.layer_allowlist`) or the caller's ``custom_objects``, and ``module`` /
``registered_name`` are never imported (a registered name only selects an entry of
``custom_objects``). jnet's layers take Keras's argument names, so a config maps almost key
for key; what differs is handled here:

* ``dtype``: the layer's dtype policy (``'mixed_float16'``, ...; a quantized one is
  refused).
* Keras-only arguments that do not change what the layer computes when left at their
  default (``quantization_config=None``, ``synchronized``, ``renorm=False``) are dropped;
  any other value is refused, naming the argument.
* regularizers and constraints become jnet's (:mod:`jnet.regularizers`,
  :mod:`jnet.constraints`, looked up by ``class_name``); a custom one not in
  ``custom_objects``, or one on a layer jnet gives no such argument, is dropped with a warning
  (it changes training, never predictions).
* functions: a built-in activation is a name; a user's function
  (``{'class_name': 'function', 'config': name}``) and a ``Lambda``'s marshalled bytecode
  (``'__lambda__'``) come only from ``custom_objects`` (by function name, or for bytecode by
  the Lambda layer's name). Bytecode is never unmarshalled.

Example:
    >>> from jnet.saving._keras_config import keras_layer
    >>> layer = keras_layer({"class_name": "Dense", "config": {"units": 2, "name": "d",
    ...     "activation": "relu", "dtype": "float32", "kernel_regularizer": None}})
    >>> layer.units, layer.name
    (2, 'd')
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings
from collections.abc import Mapping
from typing import Any

from jnet import constraints, dtype_policies, errors, losses, metrics, optimizers, regularizers
from jnet.layers.base import Layer
from jnet.saving._config import custom_dict, layer_allowlist
from jnet.saving._custom import register_hint

__all__ = [
    "MODEL_CLASSES",
    "KerasImportError",
    "keras_compile",
    "keras_layer",
    "translate_layers",
]


class KerasImportError(errors.JnetValueError):
    """A Keras file describes something jnet cannot rebuild (each problem is named)."""


#: Keras-only arguments that change nothing jnet computes when they hold these values.
_NEUTRAL: dict[str, tuple[Any, ...]] = {
    "quantization_config": (None,),
    "lora_rank": (None,),
    "lora_alpha": (None,),
    "renorm": (False,),
    "renorm_clipping": (None,),
    "sparse": (False,),
    "ragged": (False,),
    "optional": (False,),
}
#: Keras-only arguments with no effect on one device or when a neutral one above holds.
_IGNORED = frozenset({"synchronized", "renorm_momentum", "shared_object_id"})
#: Arguments jnet's layers take that a Keras config may not set (Flax's parent; initial
#: weights, which come only from the weights file).
_NOT_FROM_KERAS = frozenset({"parent", "weights"})
_WRAPPED = ("layer", "backward_layer")
#: The Keras model classes a model entry (top level or nested) may name.
MODEL_CLASSES = ("Sequential", "Functional", "Model")
_LAYER_LIST = "layers"  # Pipeline's list of layer entries


def _layer_entries(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, Mapping) and "class_name" in v for v in value
    )


def _dtype_name(value: Any) -> Any:
    if isinstance(value, Mapping) and isinstance(value.get("config"), Mapping):
        return value["config"].get("name")
    return value


def _function(value: Mapping[str, Any], custom: dict[str, Any], where: str, owner: str) -> Any:
    """A function a Keras config refers to: only ever taken from ``custom_objects``."""
    if value.get("class_name") == "__lambda__":
        fn = custom.get(owner)
        if fn is None:
            raise KerasImportError(
                f"{where} holds a Python lambda as marshalled bytecode. jnet never runs code "
                f"from a file; pass the function yourself: "
                f"load_model(path, custom_objects={{{owner!r}: function}})."
            )
    else:
        names = [
            n for n in (value.get("config"), value.get("registered_name")) if n != "function"
        ]
        fn = next((custom[n] for n in names if isinstance(n, str) and n in custom), None)
        if fn is None:
            name = next((n for n in names if isinstance(n, str) and n), "?")
            raise KerasImportError(
                f"{where} uses the function {name!r}, whose code is not in the file. "
                f"{register_hint(name.rsplit('>', 1)[-1], 'function')}"
            )
    if not callable(fn):
        raise errors.JnetTypeError(f"{where}: custom_objects entry is not callable: {fn!r}.")
    return fn


def _value(value: Any, custom: dict[str, Any], where: str, owner: str) -> Any:
    """A Keras config value as jnet takes it (lists -> tuples, functions from custom)."""
    if isinstance(value, list):
        return tuple(_value(v, custom, where, owner) for v in value)
    if not isinstance(value, Mapping):
        return value
    name = value.get("class_name")
    if name == "__tuple__" and isinstance(value.get("config"), Mapping):
        return tuple(_value(v, custom, where, owner) for v in value["config"].get("value", ()))
    if name in ("function", "__lambda__"):
        return _function(value, custom, where, owner)
    if isinstance(name, str):
        key = value.get("registered_name") if value.get("registered_name") in custom else name
        if key in custom:  # the user's own class (an initializer, say)
            cls = custom[key]
            inner = _value(dict(value.get("config") or {}), custom, where, owner)
            return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        clean = {k: v for k, v in value.items() if k != "shared_object_id"}
        if isinstance(clean.get("config"), Mapping):
            clean["config"] = {
                k: v for k, v in clean["config"].items() if k != "shared_object_id"
            }
        return clean  # jnet's registries read Keras's {'class_name', 'config'} themselves
    return {k: _value(v, custom, where, owner) for k, v in value.items()}


def _layer_class(entry: Mapping[str, Any], custom: dict[str, Any]) -> type | None:
    class_name = entry.get("class_name")
    registered = entry.get("registered_name")
    for key in (registered, class_name):
        if isinstance(key, str) and key in custom:
            cls = custom[key]
            if not (inspect.isclass(cls) and issubclass(cls, Layer)):
                raise errors.JnetTypeError(
                    f"custom_objects[{key!r}] must be a jnet Layer subclass, received "
                    f"{errors.describe(cls)}."
                )
            return cls
    if isinstance(registered, str) and registered != class_name:
        return None  # a class registered by the user's own package: never Keras's or jnet's
    return layer_allowlist().get(class_name) if isinstance(class_name, str) else None


def _base_field(cls: type, key: str) -> bool:
    """Whether ``key`` is a field of ``cls`` that a Keras config may not set."""
    return key in getattr(cls, "__dataclass_fields__", {})


def _unsupported_name(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return repr(entry)
    config = entry.get("config")
    name = config.get("name") if isinstance(config, Mapping) else None
    return f"{name!r} ({entry.get('class_name')!r})"


def _scan(entries: list[Any], custom: dict[str, Any]) -> list[str]:
    """Every layer (nested ones included) whose class jnet cannot build."""
    bad = []
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("class_name"), str):
            bad.append(_unsupported_name(entry))
            continue
        if entry["class_name"] == "InputLayer":
            continue
        if entry["class_name"] in MODEL_CLASSES:  # a model used as a layer: its own layers
            config = entry.get("config")
            inner = config.get("layers") if isinstance(config, Mapping) else None
            if not isinstance(inner, list):
                bad.append(f"{_unsupported_name(entry)}, a model without a list of layers")
            else:
                bad.extend(_scan(inner, custom))
            continue
        if _layer_class(entry, custom) is None:
            bad.append(_unsupported_name(entry))
            continue
        config = entry.get("config")
        if isinstance(config, Mapping):
            bad.extend(_scan([config[k] for k in _WRAPPED if config.get(k)], custom))
            if _layer_entries(config.get(_LAYER_LIST)):
                bad.extend(_scan(list(config[_LAYER_LIST]), custom))
    return bad


def check_supported(entries: list[Any], custom: dict[str, Any], path: str) -> None:
    """Raises one :class:`KerasImportError` naming every layer jnet cannot build."""
    bad = _scan(entries, custom)
    if bad:
        raise KerasImportError(
            f"{path!r} uses layers jnet cannot build: {', '.join(bad)}. jnet builds its own "
            f"layers (jnet.saving.layer_allowlist()); for a layer class of your own pass "
            f"custom_objects={{'ClassName': YourJnetLayer}}."
        )


def keras_layer(
    entry: Mapping[str, Any], custom_objects: Mapping[str, Any] | None = None
) -> Layer:
    """A jnet layer from one Keras layer entry (``{'class_name', 'config', ...}``).

    Args:
        entry: the layer's entry in a Keras ``config.json``.
        custom_objects: ``{name: object}``: your layer classes and functions.

    Returns:
        The jnet layer (unbuilt).

    Raises:
        KerasImportError: the class, an argument or a value cannot be rebuilt in jnet.
    """
    custom = custom_dict(custom_objects)
    cls = _layer_class(entry, custom)
    raw = entry.get("config")
    if cls is None:
        raise KerasImportError(f"Layer {_unsupported_name(entry)} is not a jnet layer.")
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise KerasImportError(
            f"The config of layer {_unsupported_name(entry)} must be a dict, received "
            f"{errors.describe(raw)}."
        )
    name = raw.get("name")
    where = f"Layer {name!r} ({entry.get('class_name')})"
    if name is not None and not isinstance(name, str):
        raise KerasImportError(f"{where}: a layer name must be a string.")
    owner = name if isinstance(name, str) else ""
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else None
    kwargs: dict[str, Any] = {}
    refused: list[str] = []
    dropped: list[str] = []
    for key, value in raw.items():
        if not isinstance(key, str):
            raise KerasImportError(f"{where}: config key {key!r} is not a string.")
        if key == "dtype":
            if value is not None:
                try:
                    kwargs["dtype"] = dtype_policies.get(value)
                except errors.JnetError:
                    refused.append(f"dtype={_dtype_name(value)!r} (not a float dtype policy)")
            continue
        if key in ("batch_input_shape", "batch_shape") and fields and "input_shape" in fields:
            if isinstance(value, list) and value:
                kwargs["input_shape"] = tuple(value[1:])
            continue
        if fields is not None and key in _NOT_FROM_KERAS and _base_field(cls, key):
            if value is not None:
                refused.append(f"{key}={value!r}")
            continue
        if key.endswith(("_regularizer", "_constraint")):
            if value is not None:
                penalty = _penalty(key, value, custom, where)
                if penalty is None or fields is None or key not in fields:
                    dropped.append(key)  # a custom class without custom_objects, or no field
                else:
                    kwargs[key] = penalty
            continue
        if fields is None or key in fields:
            if key in _WRAPPED and isinstance(value, Mapping) and "class_name" in value:
                kwargs[key] = keras_layer(value, custom)
            elif key == _LAYER_LIST and _layer_entries(value):  # Pipeline's layers
                kwargs[key] = tuple(keras_layer(v, custom) for v in value)
            else:
                kwargs[key] = _value(value, custom, where, owner)
            continue
        if key in _IGNORED:
            continue
        if key in _NEUTRAL:
            if value not in _NEUTRAL[key]:
                refused.append(f"{key}={value!r}")
            continue
        refused.append(f"{key}={value!r}")
    if refused:
        raise KerasImportError(
            f"{where}: jnet's {cls.__name__} does not support {', '.join(refused)}."
        )
    if dropped:
        warnings.warn(
            f"{where}: {', '.join(dropped)} dropped (jnet's {cls.__name__} does not take "
            f"them). Predictions are unchanged; training would differ.",
            stacklevel=6,
        )
    try:
        return cls(**kwargs)
    except errors.JnetError as e:
        raise KerasImportError(f"{where}: {e}") from None
    except (TypeError, ValueError, KeyError) as e:
        raise KerasImportError(f"{where}: its config does not fit jnet's layer ({e}).") from None


def _penalty(key: str, value: Any, custom: Mapping[str, Any], where: str) -> Any:
    """A Keras-serialized regularizer/constraint as jnet's object: the class is looked up by
    ``class_name`` in jnet's registry (or ``custom_objects``), never imported; None when it is
    neither (the caller drops it with a warning)."""
    module = regularizers if key.endswith("_regularizer") else constraints
    if isinstance(value, str):
        value = {"class_name": value, "config": {}}
    if not isinstance(value, Mapping) or not isinstance(value.get("class_name"), str):
        raise KerasImportError(f"{where}: {key} must be a serialized object, received {value!r}.")
    name = value["class_name"]
    config = value.get("config") or {}
    if not isinstance(config, Mapping):
        raise KerasImportError(f"{where}: the config of {key} must be a dict.")
    target = custom.get(name) or custom.get(value.get("registered_name") or "")
    try:
        if target is not None:
            return target.from_config(dict(config)) if hasattr(target, "from_config") else target
        if name not in module._REGISTRY:
            return None
        return module.get({"class_name": name, "config": dict(config)})
    except errors.JnetError as e:
        raise KerasImportError(f"{where}: {key}: {e}") from None
    except (TypeError, ValueError) as e:
        raise KerasImportError(f"{where}: {key} does not fit jnet's {name} ({e}).") from None


def input_shape_of(entry: Mapping[str, Any]) -> tuple[int | None, ...] | None:
    """The sample shape an ``InputLayer`` entry (or a layer's ``build_config``) declares."""
    config = entry.get("config") if entry.get("class_name") == "InputLayer" else None
    shape = None
    if isinstance(config, Mapping):
        for key in ("batch_shape", "batch_input_shape"):
            if key in config:
                shape = config[key]
                break
        for key in ("sparse", "ragged"):
            if config.get(key):
                raise KerasImportError(f"InputLayer: jnet does not support {key}=True inputs.")
    elif isinstance(entry.get("build_config"), Mapping):
        shape = entry["build_config"].get("input_shape")
    if shape is None:
        return None
    if not isinstance(shape, list) or not shape or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in shape[1:]
    ):
        raise KerasImportError(
            f"An input shape must be a list of positive integers or nulls, received {shape!r}."
        )
    return tuple(shape[1:])


def translate_layers(
    entries: list[Any],
    custom_objects: Mapping[str, Any] | None,
    path: str,
    make_layer: Any = None,
) -> tuple[list[Layer], tuple[int | None, ...] | None]:
    """jnet layers and the declared sample shape from a Keras ``Sequential``'s layer list
    (each built by ``make_layer(entry)``, default :func:`keras_layer`)."""
    custom = custom_dict(custom_objects)
    if make_layer is None:
        def make_layer(entry: Mapping[str, Any]) -> Any:
            return keras_layer(entry, custom)
    check_supported(entries, custom, path)
    shape = None
    layers = []
    for i, entry in enumerate(entries):
        if entry.get("class_name") == "InputLayer":
            if i != 0:
                raise KerasImportError(f"{path!r}: an InputLayer may only come first.")
            shape = input_shape_of(entry)
            continue
        if i == 0 and shape is None:
            shape = input_shape_of(entry)
        layers.append(make_layer(entry))
    return layers, shape


def keras_compile(config: Any, custom_objects: Mapping[str, Any] | None) -> tuple[
    dict[str, Any] | None, list[str]
]:
    """``compile`` keyword arguments from a Keras ``compile_config``, and what was skipped.

    Returns ``(None, skipped)`` when the optimizer or the loss cannot be rebuilt (the model
    then loads uncompiled); a metric jnet does not have is skipped on its own.
    """
    custom = custom_dict(custom_objects)
    if not isinstance(config, Mapping) or not config:
        return None, []
    skipped: list[str] = []

    def build(kind: str, value: Any, deserialize: Any) -> Any:
        try:
            value = _value(value, custom, f"The compile configuration's {kind}", kind)
            if isinstance(value, Mapping) and "class_name" in value:
                return deserialize(dict(value))
            if isinstance(value, str) or callable(value):
                return value
        except (errors.JnetError, TypeError, ValueError, KeyError, AttributeError) as e:
            skipped.append(f"{kind} {_describe(value)} ({str(e).splitlines()[0][:200]})")
            return None
        skipped.append(f"{kind} {_describe(value)}")
        return None

    def tree(kind: str, value: Any, deserialize: Any) -> Any:
        """A per-output list/dict of losses or metrics (Keras's multi-output compile)."""
        if isinstance(value, list):
            built = [tree(kind, v, deserialize) for v in value]
            return [b for b in built if b is not None] if kind == "metric" else built
        if isinstance(value, Mapping) and "class_name" not in value:
            return {str(k): tree(kind, v, deserialize) for k, v in value.items()}
        return build(kind, value, deserialize)

    optimizer = build("optimizer", config.get("optimizer"), optimizers.deserialize)
    loss = tree("loss", config.get("loss"), losses.deserialize)
    if isinstance(loss, str):
        try:
            losses.get(loss)
        except errors.JnetError as e:
            skipped.append(f"loss {loss!r} ({str(e).splitlines()[0][:200]})")
            loss = None
    leaves = loss if isinstance(loss, list) else (
        list(loss.values()) if isinstance(loss, Mapping) else [loss]
    )
    if any(leaf is None for leaf in leaves):
        loss = None
    metric_value = config.get("metrics") or []
    if not isinstance(metric_value, list | Mapping):
        skipped.append(f"metrics {metric_value!r}")
        metric_value = []
    metric_list = tree("metric", metric_value, metrics.deserialize)
    if config.get("weighted_metrics"):
        skipped.append(f"weighted_metrics={config['weighted_metrics']!r}")
    loss_weights = config.get("loss_weights")
    if optimizer is None or loss is None:
        return None, skipped
    steps = config.get("steps_per_execution", 1)
    kwargs = {"optimizer": optimizer, "loss": loss, "metrics": metric_list}
    if loss_weights is not None:
        kwargs["loss_weights"] = loss_weights
    if isinstance(steps, int) and not isinstance(steps, bool) and steps > 0:
        kwargs["steps_per_execution"] = steps
    return kwargs, skipped


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return repr(value.get("class_name"))
    return repr(value)
