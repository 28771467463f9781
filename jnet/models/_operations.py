"""Operations (``jnet.ops`` calls) in a functional model: how a model tells them from layers,
names them, shows them, and saves and rebuilds them.

As in Keras, ``x = jnet.ops.relu(inputs)`` between layers records a node whose operation is
not a layer (its class sets ``_JNET_IS_OPERATION``): it is not in ``model.layers``, has no
weights, and runs on the node's values. Its name is the op's (``relu``), made unique within
the model as Keras's session counter does (``relu``, ``relu_1``, ...); ``summary()`` shows it
as Keras does, ``relu (Relu)``, with 0 parameters.

Saving: an op is written by its name in ``jnet.ops`` (``{"class_name": "__operation__",
"config": {"name": "relu_1", "op": "relu"}}``) and its call's arguments (tensor references,
and the other arguments as JSON: numbers, strings, lists, tuples); rebuilding calls
``jnet.ops.<op>`` again. No code is saved or loaded: an op outside ``jnet.ops`` (a custom
``keras_op``, an ``Operation`` subclass) or a callable argument (``ops.map(f, xs)``) is
refused with an error when saving.

Example:
    >>> import jnet
    >>> x = jnet.Input(shape=(3,))
    >>> y = jnet.ops.cast(jnet.ops.cast(x, "int32"), "float32")
    >>> model = jnet.Model(x, y)
    >>> [layer.name for layer in model.layers], [op.name for op in model._operations]
    (['input_layer'], ['input_layer', 'cast', 'cast_1'])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from jnet import errors, ops
from jnet.symbolic import FunctionOperation, KerasTensor, flatten

__all__ = [
    "OPERATION",
    "class_name",
    "decode_arguments",
    "encode_argument",
    "is_operation",
    "name_operations",
    "op_entry",
    "op_from_entry",
]

#: The ``class_name`` of an op's entry in a jnet file.
OPERATION = "__operation__"
_TUPLE = "__tuple__"
#: The namespaces an op's name is looked up in: ``relu``, ``image.resize``, ``linalg.inv``.
_NAMESPACES = {"": ops, "image": ops.image, "linalg": ops.linalg}


def is_operation(layer: Any) -> bool:
    """Whether ``layer`` is an operation (no weights, not in ``model.layers``)."""
    return bool(getattr(type(layer), "_JNET_IS_OPERATION", False))


def class_name(layer: Any) -> str:
    """The class Keras shows for a layer or an op: ``Dense``; ``relu`` -> ``Relu``."""
    if isinstance(layer, FunctionOperation):
        base = getattr(layer.fn, "__name__", layer.name)
        return "".join(part[:1].upper() + part[1:] for part in base.split("_"))
    return type(layer).__name__


def name_operations(operations: list[Any]) -> None:
    """Makes the ops' names unique in a model: ``relu``, ``relu_1``, ... (layers keep theirs;
    an op whose name is taken by a layer or an earlier op gets the next free suffix)."""
    taken = {op.name for op in operations if not is_operation(op)}
    for op in operations:
        if not is_operation(op):
            continue
        if op.name in taken:
            base, k = op.name, 1
            while f"{base}_{k}" in taken:
                k += 1
            op.name = f"{base}_{k}"
        taken.add(op.name)


# -- saving ------------------------------------------------------------------------------------


def _registered_name(op: Any) -> str:
    """The name of ``op``'s function in ``jnet.ops`` (``relu``, ``image.resize``)."""
    fn = getattr(op, "fn", None)
    name = getattr(fn, "__name__", None)
    if isinstance(op, FunctionOperation) and name:
        for prefix, namespace in _NAMESPACES.items():
            public = getattr(namespace, name, None)
            if getattr(public, "__jnet_op__", None) is fn:
                return f"{prefix}.{name}" if prefix else name
    raise errors.JnetTypeError(
        f"Cannot save the operation {op.name!r} ({class_name(op)}): jnet files hold only "
        f"jnet.ops functions, by name, never code. Wrap it in a layer (a Layer subclass "
        f"registered with jnet.saving.register_jnet_serializable) to save this model."
    )


def op_entry(op: Any) -> dict[str, Any]:
    """The entry of ``op`` in a functional model's config (its name, its ``jnet.ops`` name)."""
    return {"class_name": OPERATION, "config": {"name": op.name, "op": _registered_name(op)}}


def encode_argument(value: Any, where: str, tensor: Any) -> Any:
    """A call argument as JSON: ``tensor(t)`` for a KerasTensor; tuples kept as tuples."""
    if isinstance(value, KerasTensor):
        return tensor(value)
    if isinstance(value, tuple):
        return {_TUPLE: [encode_argument(v, where, tensor) for v in value]}
    if isinstance(value, list):
        return [encode_argument(v, where, tensor) for v in value]
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise errors.JnetTypeError(
                f"Cannot save {where}: a dict argument with non-string keys."
            )
        return {k: encode_argument(v, where, tensor) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    raise errors.JnetTypeError(
        f"Cannot save {where}: {errors.describe(value)} is not a number, string, list or dict. "
        f"jnet files hold an op's arguments as JSON, never code or arrays."
    )


def decode_arguments(value: Any) -> Any:
    """The arguments of :func:`encode_argument` back (tensor references already resolved)."""
    if isinstance(value, Mapping):
        if set(value) == {_TUPLE} and isinstance(value[_TUPLE], list):
            return tuple(decode_arguments(v) for v in value[_TUPLE])
        return {k: decode_arguments(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_arguments(v) for v in value]
    return value


class _Replay:
    """Calls ``jnet.ops.<op>`` on the rebuilt tensors and gives the new op its saved name."""

    def __init__(self, fn: Any, name: str):
        self.fn = fn
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.fn(*decode_arguments(list(args)), **decode_arguments(kwargs))
        tensors = [t for t in flatten(result) if isinstance(t, KerasTensor)]
        if not tensors:
            raise errors.JnetValueError(
                f"The saved operation {self.name!r} no longer reads a tensor of the model."
            )
        for t in tensors:
            t._keras_history.layer.name = self.name
        return result


def op_from_entry(entry: Mapping[str, Any], name: str | None = None) -> _Replay:
    """What rebuilds an op's calls from its entry (an allowlist: ``jnet.ops`` names only);
    ``name`` (default: the config's) is the name the rebuilt op takes."""
    config = entry.get("config")
    if not isinstance(config, Mapping):
        raise errors.JnetValueError(f"An operation's entry must hold a config dict: {entry!r}.")
    name, op = name or config.get("name"), config.get("op")
    if not isinstance(name, str) or not isinstance(op, str):
        raise errors.JnetValueError(
            f"An operation's config must name it and its jnet.ops function, received {config!r}."
        )
    prefix, _, short = op.rpartition(".")
    namespace = _NAMESPACES.get(prefix)
    fn = getattr(namespace, short, None) if namespace is not None and short else None
    if fn is None or getattr(fn, "__jnet_op__", None) is None or short.startswith("_"):
        raise errors.JnetValueError(
            f"The file names the operation {op!r}, which is not a jnet.ops function."
        )
    return _Replay(fn, name)
