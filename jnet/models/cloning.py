"""``clone_model``: the same architecture with new layers and new weights, as Keras's.

A ``Sequential`` is cloned layer by layer; a functional model by replaying its graph (its
architecture, :func:`jnet.models._architecture.rebuild`) with each layer replaced by
``clone_function(layer)`` and called through ``call_function``. The default clone of a jnet
layer is a fresh layer of the same class and configuration (Flax's ``Module.clone``: the same
constructor arguments, nothing shared); of a nested model, a model rebuilt from its
architecture. A compiled model's clone is compiled the same way (a fresh optimizer).

Example:
    >>> import jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> clone = jnet.models.clone_model(model)
    >>> clone.output_shape, clone is model
    ((None, 2), False)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from jnet import errors
from jnet.layers.input import Input, KerasTensor, flatten
from jnet.models._architecture import functional_config, rebuild
from jnet.models.functional import Functional
from jnet.models.model import Model
from jnet.models.sequential import Sequential
from jnet.saving._config import compile_config, deserialize_compile
from jnet.saving._serialization_lib import model_from_config

__all__ = ["clone_model"]

_CLONE_INPUT = "__clone_input__"


def clone_model(
    model: Model,
    input_tensors: Any = None,
    clone_function: Callable[[Any], Any] | None = None,
    call_function: Callable[..., Any] | None = None,
    recursive: bool = False,
    **kwargs: Any,
) -> Model:
    """A new model with the architecture of ``model`` and newly initialised weights.

    Args:
        model: a ``Sequential`` or functional model (a subclassed model is cloned as
            ``type(model).from_config(model.get_config())`` when it defines ``get_config``).
        input_tensors: ``jnet.Input`` tensors to build the clone on (the structure of
            ``model.inputs``); default: new inputs of the same shapes and names.
        clone_function: ``fn(layer) -> layer`` applied to every layer (not the inputs);
            default: a new layer of the same class and config. Return the layer itself to
            share it (and its weights' structure).
        call_function: ``fn(layer, *args, **kwargs) -> outputs`` that calls each cloned layer
            (functional models only); default: ``layer(*args, **kwargs)``.
        recursive: clone nested Sequential/functional models with ``clone_model`` (and these
            arguments) rather than with ``clone_function``.

    Returns:
        The clone (compiled like ``model`` when ``model`` is compiled).

    Raises:
        JnetTypeError: ``model`` is not a jnet model, or a function argument is not callable.
        JnetValueError: ``call_function`` with a Sequential; ``input_tensors`` not matching the
            model's inputs; ``clone_function``/``input_tensors`` with a subclassed model.

    Example:
        >>> import jnet
        >>> x = jnet.Input(shape=(4,))
        >>> model = jnet.Model(x, jnet.layers.Dense(3, activation="relu")(x))
        >>> def wider(layer):
        ...     config = layer.get_config()
        ...     config["units"] = 5
        ...     return type(layer)(**config)
        >>> jnet.models.clone_model(model, clone_function=wider).output_shape
        (None, 5)
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise errors.unknown_arguments(
            "clone_model", kwargs,
            ["model", "input_tensors", "clone_function", "call_function", "recursive"],
        )
    if not isinstance(model, Model):
        raise errors.JnetTypeError(
            f"clone_model takes a jnet model, received {errors.describe(model)}."
        )
    for argument, fn in (("clone_function", clone_function), ("call_function", call_function)):
        if fn is not None and not callable(fn):
            raise errors.JnetTypeError(
                f"clone_model: {argument} must be callable, received {errors.describe(fn)}."
            )
    recursive = errors.require_bool(recursive, "recursive", "clone_model")
    cache = {} if cache is None else cache
    if isinstance(model, Sequential):
        if call_function is not None:
            raise errors.JnetValueError(
                "clone_model: call_function is not supported with Sequential models (their "
                "layers are listed, not called, when the model is made); use it with "
                "functional models."
            )
        clone = _wrap(clone_function, None, recursive, cache)
        return _compiled_like(model, _clone_sequential(model, clone, input_tensors))
    if model._symbolic_graph() is not None:
        clone = _wrap(clone_function, call_function, recursive, cache)
        return _compiled_like(
            model, _clone_functional(model, clone, call_function, input_tensors)
        )
    if clone_function is not None or input_tensors is not None:
        raise errors.JnetValueError(
            f"clone_model: clone_function and input_tensors apply to Sequential and functional "
            f"models; received a {type(model).__name__} (a subclassed model)."
        )
    if call_function is not None:
        raise errors.JnetValueError(
            f"clone_model: call_function applies to functional models; received a "
            f"{type(model).__name__} (a subclassed model)."
        )
    if type(model).get_config is Model.get_config:
        raise errors.JnetTypeError(
            f"clone_model cannot clone {type(model).__name__}: a subclassed model's layers are "
            f"its code. Give the class get_config() (and from_config() if needed); clone_model "
            f"then returns type(model).from_config(model.get_config())."
        )
    return type(model).from_config(model.get_config())


def _default_clone(layer: Any) -> Any:
    if isinstance(layer, Model):
        return model_from_config(layer.architecture_config() or layer.get_config())
    if dataclasses.is_dataclass(layer) and hasattr(layer, "clone"):
        return layer.clone(_deep_clone=True)
    return type(layer).from_config(layer.get_config())


def _wrap(clone_function: Callable[[Any], Any] | None, call_function: Any, recursive: bool,
          cache: dict[int, Any]) -> Callable[[Any], Any]:
    """``clone_function`` (or the default) with nested models cloned recursively if asked and
    each layer cloned once (a shared layer stays shared)."""
    base = clone_function or _default_clone

    def clone(layer: Any) -> Any:
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, Sequential):
            new = clone_model(layer, clone_function=clone_function, recursive=True, cache=cache)
        elif recursive and isinstance(layer, Model) and layer._symbolic_graph() is not None:
            new = clone_model(layer, clone_function=clone_function, call_function=call_function,
                              recursive=True, cache=cache)
        else:
            new = base(layer)
        cache[id(layer)] = new
        return new

    return clone


def _clone_sequential(model: Sequential, clone: Callable[[Any], Any], input_tensors: Any) -> Any:
    layers = [clone(layer) for layer in model.layers]
    if input_tensors is not None:
        if isinstance(input_tensors, list | tuple):
            if len(input_tensors) != 1:
                raise errors.JnetValueError(
                    f"clone_model: input_tensors of a Sequential must be one tensor, received "
                    f"{len(input_tensors)}."
                )
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise errors.JnetValueError(
                f"clone_model: input_tensors must be a jnet.Input tensor, received "
                f"{errors.describe(input_tensors)}."
            )
        layers = [input_tensors, *layers]
    elif model.input_shape is not None:
        layers = [Input(shape=tuple(model.input_shape[1:])), *layers]
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _input_names(value: Any) -> list[str]:
    """The input layers' names, in order, from a functional config's ``input_layers``."""
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) for v in value[1:])):
        return [value[0]]
    items = value.values() if isinstance(value, dict) else value
    return [name for item in items for name in _input_names(item)]


def _clone_functional(model: Model, clone: Callable[[Any], Any], call_function: Any,
                      input_tensors: Any) -> Any:
    config = functional_config(model)
    originals = {layer.name: layer for layer in model.layers}
    given: dict[str, Any] = {}
    if input_tensors is not None:
        tensors = flatten(input_tensors)
        names = _input_names(config.get("input_layers"))
        if len(tensors) != len(names) or not all(isinstance(t, KerasTensor) for t in tensors):
            raise errors.JnetValueError(
                f"clone_model: input_tensors must be {len(names)} jnet.Input tensor(s), the "
                f"structure of model.inputs; received {errors.describe(input_tensors)}."
            )
        given = dict(zip(names, tensors, strict=True))
        config = dict(config)
        config["layers"] = [
            {"class_name": _CLONE_INPUT, "name": entry["name"], "config": {},
             "inbound_nodes": [{"args": [], "kwargs": {}}]}
            if entry.get("class_name") == "InputLayer" and entry.get("name") in given else entry
            for entry in config["layers"]
        ]

    def make_layer(entry: Any) -> Any:
        name = entry["name"]
        if entry["class_name"] == _CLONE_INPUT:
            return lambda: given[name]
        new = clone(originals[name])
        if call_function is None:
            return new
        return lambda *args, **kwargs: call_function(new, *args, **kwargs)

    return rebuild(Functional, config, make_layer, "clone_model")


def _compiled_like(model: Model, clone: Model) -> Model:
    if model.compiled:
        config = compile_config(model)
        if config is not None:
            clone.compile(**deserialize_compile(config))
    return clone
