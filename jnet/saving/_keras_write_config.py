"""jnet models -> Keras 3's ``config.json`` (the reverse of :mod:`jnet.saving._keras_config`).

Keras 3 (``keras/src/saving/serialization_lib.py``) writes every object as
``{'module', 'class_name', 'config', 'registered_name'}`` and rebuilds a layer from its
``module`` and ``class_name``. jnet writes what Keras would for the same model:

* a built-in layer: ``module='keras.layers'``, Keras's class name (jnet's
  ``GroupedQueryAttention`` is Keras's ``GroupQueryAttention``), jnet's ``get_config()``
  (Keras's argument names) with Keras's ``float32`` ``DTypePolicy``; a layer held by another
  (``Bidirectional``'s, ``TimeDistributed``'s) as its own entry;
* a layer class of yours registered with ``register_keras_serializable``: its registered name
  (``'package>Name'``), which Keras looks up first, so a Keras twin class registered under the
  same name loads it; an unregistered class: its class name (Keras then needs
  ``custom_objects``);
* a function of yours (a custom activation) as Keras's ``{'class_name': 'function'}`` entry
  with its (registered) name, never its code;
* ``Sequential``: an ``InputLayer`` first, then the layers, and ``build_input_shape``;
  ``Functional``: the layers with their ``inbound_nodes``, each tensor as Keras's
  ``__keras_tensor__`` (shape, dtype, ``keras_history``); a model used as a layer as its own
  model entry;
* ``compile_config``: the optimizer, loss(es), metrics and loss weights as given to
  ``compile``.

A file holds no code: a ``Lambda`` layer is refused (Keras would marshal its bytecode, which
Keras itself refuses to load in ``safe_mode``), and so are a ``jnet.ops`` call between layers
of a functional model, a ``TextVectorization`` layer (its vocabulary is an asset) and a
subclassed model (its architecture is its code): :class:`KerasExportError` names each.

Example:
    >>> import jnet
    >>> from jnet.saving._keras_write_config import keras_layer_entry
    >>> entry = keras_layer_entry(jnet.layers.Dense(2, activation="relu", name="d"))
    >>> entry["module"], entry["class_name"], entry["config"]["units"]
    ('keras.layers', 'Dense', 2)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from jnet import errors, initializers, losses, metrics, optimizers
from jnet.layers._model_part import is_model
from jnet.layers.base import Layer
from jnet.saving import _custom
from jnet.saving._classes import architecture_of
from jnet.saving._config import encode_value, layer_allowlist, serialize_layer
from jnet.symbolic import inbound_nodes

__all__ = ["KerasExportError", "keras_compile_config", "keras_layer_entry", "keras_model_config"]


class KerasExportError(errors.JnetValueError):
    """A model holds something a Keras 3 archive cannot describe without code."""


#: jnet's class name -> Keras's, where they differ.
KERAS_CLASS = {"GroupedQueryAttention": "GroupQueryAttention"}
#: Layers a ``.keras`` file written by jnet cannot hold, and why.
_REFUSED = {
    "Lambda": "its function is code, which Keras would write as marshalled bytecode (and refuse "
    "to load in safe_mode); jnet never writes code. Save to '.jnet' (the function then comes "
    "from custom_objects when loading), or replace the Lambda by a registered layer class",
    "TextVectorization": "its vocabulary is an asset of the archive, which jnet does not write "
    "yet; save to '.jnet'",
}
#: jnet config keys a Keras layer of the same class does not take.
_NOT_KERAS = ("input_shape", "batch_input_shape", "batch_size", "weights")
#: ... and per class (Keras's ``SpatialDropout*`` and ``Discretization`` take no ``trainable``;
#: its ``Pipeline`` takes only its layers and name).
_NOT_KERAS_BY_CLASS = {
    **{f"SpatialDropout{n}D": ("trainable",) for n in (1, 2, 3)},
    "Discretization": ("trainable",),
    "Pipeline": ("trainable", "dtype"),
}
_WRAPPED = ("layer", "backward_layer")
_TENSOR = "__tensor__"
_CALLABLE = "__callable__"
_LAYER = "__layer__"


def _policy() -> dict[str, Any]:
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float32"},
        "registered_name": None,
    }


def _function(name: str) -> dict[str, Any]:
    """Keras's entry for a function: found by its (registered) name, never by its code."""
    return {"module": "builtins", "class_name": "function", "config": name,
            "registered_name": "function"}


def _convert(value: Any, tensor: Any = None) -> Any:
    """A jnet-encoded config value in Keras's form (functions, nested layers, tensors)."""
    if isinstance(value, Mapping):
        if set(value) == {_CALLABLE}:
            return _function(value[_CALLABLE])
        if set(value) == {_TENSOR} and tensor is not None:
            return tensor(value[_TENSOR])
        if set(value) == {_LAYER}:
            raise KerasExportError("A layer nested in a config value cannot be written.")
        return {k: _convert(v, tensor) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_convert(v, tensor) for v in value]
    return value


def keras_layer_entry(layer: Any) -> dict[str, Any]:
    """Keras's ``{'module', 'class_name', 'config', 'registered_name'}`` for a jnet layer
    (a nested model included).

    Raises:
        KerasExportError: a layer a Keras archive cannot hold without code (named).
    """
    if is_model(layer):
        return keras_model_config(layer, compiled=False)
    cls = type(layer)
    name = cls.__name__
    if name in _REFUSED and layer_allowlist().get(name) is cls:
        raise KerasExportError(
            f"Cannot write layer {layer.name!r} ({name}) into a Keras '.keras' archive: "
            f"{_REFUSED[name]}."
        )
    entry = serialize_layer(layer)
    held = {  # a list of layers (a Pipeline's): each its own entry
        key: [keras_layer_entry(v) for v in raw]
        for key in entry["config"]
        if isinstance(raw := getattr(layer, key, None), list | tuple) and raw
        and all(isinstance(v, Layer) for v in raw)
    }
    config = {k: _convert(v) for k, v in entry["config"].items()
              if k not in _WRAPPED and k not in held}
    config.update(held)
    for key in _WRAPPED:
        inner = getattr(layer, key, None) if key in entry["config"] else None
        if isinstance(inner, Layer):
            config[key] = keras_layer_entry(inner)
        elif key in entry["config"]:
            config[key] = _convert(entry["config"][key])
    for key in _NOT_KERAS:
        if config.get(key) is None or key in ("input_shape", "batch_input_shape"):
            config.pop(key, None)
    config["dtype"] = _policy()
    for key in _NOT_KERAS_BY_CLASS.get(name, ()):
        config.pop(key, None)
    for key, value in config.items():  # Keras's own forms of the same values
        if key.endswith("_initializer") and isinstance(value, str):
            config[key] = initializers.serialize(initializers.get(value))
        elif key == "activation" and value is None:
            config[key] = "linear"
    registered = _custom.registered_name_of(cls)
    if registered is not None:
        module, class_name = cls.__module__, name
    elif layer_allowlist().get(name) is cls:
        module, class_name, registered = "keras.layers", KERAS_CLASS.get(name, name), None
    else:  # an unregistered class of yours: Keras needs it in custom_objects to load it
        module, class_name, registered = cls.__module__, name, name
    return {"module": module, "class_name": class_name, "config": config,
            "registered_name": registered}


def _input_entry(name: str, shape: Any, dtype: Any) -> dict[str, Any]:
    return {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": list(shape), "dtype": _dtype(dtype), "sparse": False,
                   "ragged": False, "name": name, "optional": False},
        "registered_name": None,
    }


def _dtype(dtype: Any) -> str:
    if dtype is None:
        return "float32"
    try:
        return str(np.dtype(dtype))
    except TypeError:
        return str(dtype)


def _sequential(model: Any) -> dict[str, Any]:
    shape = model.input_shape
    layers = []
    if shape is not None:
        layers.append(_input_entry("input_layer", shape, getattr(model, "input_dtype", None)))
    layers += [keras_layer_entry(layer) for layer in model.layers]
    config: dict[str, Any] = {"name": model.name, "trainable": bool(model.trainable),
                              "dtype": _policy(), "layers": layers}
    entry: dict[str, Any] = {"module": "keras", "class_name": "Sequential", "config": config,
                             "registered_name": None}
    if shape is not None:
        config["build_input_shape"] = list(shape)
        entry["build_config"] = {"input_shape": list(shape)}
    return entry


def _outputs(model: Any) -> dict[tuple[str, int], list[Any]]:
    """``(layer name, call index in the model) -> the call's output tensors``."""
    out: dict[tuple[str, int], list[Any]] = {}
    for op in model._operations:
        nodes = [n for n in inbound_nodes(op) if id(n) in model._node_ids]
        for i, node in enumerate(nodes):
            out[(op.name, i)] = node.output_tensors
    return out


def _functional(model: Any) -> dict[str, Any]:
    graph = architecture_of(model)["config"]
    by_name = {op.name: op for op in model._operations}
    outputs = _outputs(model)

    def tensor(ref: list[Any]) -> dict[str, Any]:
        name, node, index = ref
        t = outputs[(name, node)][index]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(t.shape), "dtype": _dtype(t.dtype),
                           "keras_history": [name, node, index]}}

    layers = []
    for jnet_entry in graph["layers"]:
        name = jnet_entry["name"]
        layer = by_name[name]
        if jnet_entry["class_name"] == "InputLayer":
            shape = (layer.batch_size, *(layer.shape or ()))
            entry = _input_entry(name, shape, layer.dtype)
        elif jnet_entry["class_name"] == "__operation__":
            raise KerasExportError(
                f"Cannot write model {model.name!r} into a Keras '.keras' archive: it calls "
                f"the operation {name!r} (jnet.ops) between layers, which jnet writes only to "
                f"'.jnet' files. Save to '.jnet', or wrap the operation in a registered layer."
            )
        else:
            entry = keras_layer_entry(layer)
        entry["name"] = name
        entry["inbound_nodes"] = _convert(jnet_entry["inbound_nodes"], tensor)
        layers.append(entry)
    config = {"name": model.name, "trainable": bool(model.trainable), "layers": layers,
              "input_layers": graph["input_layers"], "output_layers": graph["output_layers"]}
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": config, "registered_name": "Functional"}


def keras_model_config(model: Any, compiled: bool = True) -> dict[str, Any]:
    """The ``config.json`` of a Keras archive for ``model`` (with ``compile_config`` when
    ``compiled`` and the model is compiled).

    Raises:
        KerasExportError: a subclassed model, or a layer that needs code (named).
    """
    arch = getattr(model, "architecture_config", None)
    kind = arch()["class_name"] if callable(arch) and arch() is not None else None
    if kind == "Sequential":
        entry = _sequential(model)
    elif kind == "Functional":
        entry = _functional(model)
    else:
        raise KerasExportError(
            f"Cannot write {errors.describe(model)} into a Keras '.keras' archive: a "
            f"subclassed model's architecture is its Python code, which a file does not hold "
            f"(Keras too needs the class to load one). Save its weights with "
            f"model.save_weights('x.weights.h5'), or build it as a Sequential or functional "
            f"model."
        )
    if compiled:
        compile_config = keras_compile_config(model)
        if compile_config is not None:
            entry["compile_config"] = compile_config
    return entry


# -- compile -----------------------------------------------------------------------------------


def _keras_object(value: Any) -> Any:
    """A serialised optimizer/loss/metric in Keras's full form (``module`` and
    ``registered_name`` included)."""
    if isinstance(value, Mapping) and "class_name" in value and "config" in value:
        full = dict(value)
        full.setdefault("module", None)
        full.setdefault("registered_name", None)
        return full
    return value


def _per_output(value: Any, serialize: Any, where: str) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_per_output(v, serialize, where) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _per_output(v, serialize, where) for k, v in value.items()}
    if callable(value) and not hasattr(value, "get_config"):
        name = _custom.registered_name_of(value) or getattr(value, "__name__", None)
        if name is None:
            raise KerasExportError(f"Cannot write {where} {value!r}: it has no name.")
        return _function(name)
    return _convert(encode_value(_keras_object(serialize(value)), where))


def keras_compile_config(model: Any) -> dict[str, Any] | None:
    """Keras's ``compile_config`` for a compiled jnet model, or None (not compiled, or a raw
    optax transformation that Keras has no counterpart for)."""
    if not getattr(model, "compiled", False):
        return None
    if isinstance(model.optimizer, optimizers.OptaxOptimizer):
        return None
    optimizer = _convert(encode_value(
        {"module": "keras.optimizers", **optimizers.serialize(model.optimizer),
         "registered_name": None}, "the optimizer"))
    steps = model._steps_per_execution
    return {
        "optimizer": optimizer,
        "loss": _per_output(model.loss, losses.serialize, "the loss"),
        "loss_weights": encode_value(model._loss_weights, "the loss weights"),
        "metrics": _per_output(model._metrics_argument, metrics.serialize, "the metric"),
        "weighted_metrics": None,
        "run_eagerly": False,
        "steps_per_execution": steps if isinstance(steps, int) else 1,
        "jit_compile": "auto",
    }
