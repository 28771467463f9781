"""Eager calls of a built-in (Flax) layer: ``jnet.layers.Dense(3)(np.ones((2, 4)))``.

Keras builds a layer at its first call on arrays and keeps its weights in the layer. A built-in
jnet layer is a Flax module and holds no variables, so the first eager call runs Flax's
``init`` (keys from jnet's seed stream, :func:`jnet.utils.set_random_seed`) and keeps the
result as :class:`jnet.Variable` objects in the layer, one per leaf, in Keras's weight order
first; every eager call then runs Flax's ``apply`` on their values. In training mode
(``layer(x, training=True)``) the non-trainable collections (BatchNormalization's moving
statistics) are updated in their Variables and dropout draws a fresh key, as Keras does. A
call without ``training`` runs in the layer's ``EAGER_TRAINING`` mode: inference, except for
the random preprocessing layers (``RandomFlip()(x)`` flips, as Keras's default
``training=True``).

The Variables are the layer's own: ``layer.weights``, ``get_weights()`` / ``set_weights()``
read and write them until the layer is put in a model. A model built with an already built
layer starts from the layer's weights (:func:`with_held_values`, as Keras shares them); from
then on the model's variables rule, and an eager call reads them (and writes its moving
statistics there in training mode).

Example:
    >>> import numpy as np, jnet
    >>> layer = jnet.layers.Dense(3, kernel_initializer="ones")
    >>> layer(np.ones((2, 4), "float32")).tolist()
    [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]
    >>> [w.path for w in eager_weights(layer)]
    ['dense/kernel', 'dense/bias']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import numpy as np

from jnet import errors
from jnet.layers._owner import location, replaced
from jnet.symbolic import snake_case
from jnet.utils import random as seed_stream
from jnet.variables import Variable

__all__ = ["eager_call", "eager_variables", "eager_weights", "held_variables",
           "set_eager_variables", "with_held_values"]

_ATTRIBUTE = "_jnet_eager_variables"  # {path tuple: Variable}, Keras's order first


def _paths(tree: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for key, value in tree.items():
        if isinstance(value, Mapping):
            out.extend(_paths(value, (*prefix, key)))
        else:
            out.append((*prefix, key))
    return out


def _get(tree: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


def set_eager_variables(layer: Any, variables: Mapping[str, Any]) -> None:
    """Makes ``variables`` (``{collection: tree}``) the layer's own, as Variables (their
    values replaced in place when the layer already has Variables at those paths)."""
    held: dict[tuple[str, ...], Variable] = layer.__dict__.get(_ATTRIBUTE) or {}
    ordered = list(layer.weight_paths(variables))
    ordered += [p for p in _paths(variables) if p not in ordered]
    owner = layer.name or snake_case(type(layer).__name__)
    new: dict[tuple[str, ...], Variable] = {}
    for path in ordered:
        value = _get(variables, path)
        old = held.get(path)
        if old is not None and old.shape == tuple(np.shape(value)):
            old.assign(value)
            new[path] = old
            continue
        with jax.ensure_compile_time_eval():
            variable = Variable(value, trainable=path[0] == "params", name=path[-1])
        variable._path = f"{owner}/{'/'.join(path[1:])}"
        new[path] = variable
    object.__setattr__(layer, _ATTRIBUTE, new)


def eager_variables(layer: Any) -> dict[str, Any] | None:
    """The layer's own variables as ``{collection: tree}`` of arrays, or None before its
    first eager call."""
    held = layer.__dict__.get(_ATTRIBUTE)
    if held is None:
        return None
    out: dict[str, Any] = {}
    for path, variable in held.items():
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = variable.value
    return out


def held_variables(layer: Any) -> dict[str, Any] | None:
    """The weights a layer holds before a model takes it, ``{collection: tree}`` of arrays,
    or None (never built): a Keras-style layer's Variables (``_held_variables``), a built-in
    layer's from its eager calls."""
    held = getattr(layer, "_held_variables", None)
    if held is not None:
        return held()
    return eager_variables(layer)


def with_held_values(fresh: Mapping[str, Any], held: Mapping[str, Any] | None) -> dict[str, Any]:
    """``fresh`` (a model's new variables for a layer) with every leaf that ``held`` (what
    the layer held before: :func:`held_variables`) has at the same path, shape and dtype
    taken from ``held``: a layer called eagerly (or built) before it is put in a model keeps
    its weights, as in Keras.

    Example:
        >>> import numpy as np, jax, jnet
        >>> dense = jnet.layers.Dense(2, kernel_initializer="ones")
        >>> _ = dense(np.ones((1, 3), "float32"))
        >>> held = held_variables(dense)
        >>> fresh = jax.tree_util.tree_map(np.zeros_like, held)
        >>> with_held_values(fresh, held)["params"]["kernel"].tolist()
        [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
    """
    if not held:
        return dict(fresh)

    def pick(path: tuple[str, ...], value: Any) -> Any:
        try:
            mine = _get(held, path)
        except (KeyError, TypeError, IndexError):
            return value
        if isinstance(mine, jax.core.Tracer) or np.shape(mine) != np.shape(value) or (
            _dtype(mine) != _dtype(value)
        ):
            return value
        return mine

    def walk(tree: Mapping[str, Any], prefix: tuple[str, ...]) -> dict[str, Any]:
        return {k: walk(v, (*prefix, k)) if isinstance(v, Mapping) else pick((*prefix, k), v)
                for k, v in tree.items()}

    return walk(fresh, ())


def _dtype(x: Any) -> np.dtype:
    return np.dtype(getattr(x, "dtype", None) or np.asarray(x).dtype)


def _model_entry(layer: Any) -> tuple[Any, tuple[str, ...], dict[str, Any]] | None:
    """``(model, names, variables)``: the built model holding ``layer`` and the layer's
    entries of its variables, or None (its own Variables rule)."""
    found = location(layer)
    if found is None:
        return None
    model, names = found
    variables: dict[str, Any] = {}
    for col, tree in model.variables.items():
        node = tree
        for key in names:
            if not isinstance(node, Mapping) or key not in node:
                break
            node = node[key]
        else:
            variables[col] = node
    return (model, names, variables) if "params" in variables else None


def eager_weights(layer: Any) -> list[Variable]:
    """The layer's own Variables (Keras's weight order first), [] before its first call."""
    return list((layer.__dict__.get(_ATTRIBUTE) or {}).values())


def eager_call(layer: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Calls an unbound built-in layer on arrays, building it on the first call."""
    try:
        return _call(layer, args, dict(kwargs))
    except errors.JnetError:
        raise
    except Exception as e:  # a layer rejecting its input
        shapes = ", ".join(str(tuple(np.shape(a))) for a in jax.tree_util.tree_leaves(args))
        raise errors.JnetValueError(
            f"Layer {layer.name or snake_case(type(layer).__name__)!r} "
            f"({type(layer).__name__}) cannot be called on inputs of shape {shapes}: {e}"
        ) from None


def _call(layer: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
    training = kwargs.pop("training", None)
    training = bool(layer.EAGER_TRAINING if training is None else training)
    owned = _model_entry(layer)
    if owned is not None:  # a model holds the layer: its variables rule, as Keras shares them
        model, names, variables = owned
        state = [col for col in variables if col != "params"]
        if training:
            kwargs.setdefault("rngs", {"dropout": seed_stream.next_key()})
        if training and state:
            y, updates = layer.apply(variables, *args, training=True, mutable=state, **kwargs)
            new = model.variables
            for col, tree in updates.items():
                new = replaced(new, (col, *names), tree)
            model._set_variables(new)
            return y
        return layer.apply(variables, *args, training=training, **kwargs)
    if layer.__dict__.get(_ATTRIBUTE) is None:
        key = seed_stream.next_key()
        variables = layer.init({"params": key, "dropout": key}, *args, training=False,
                               **kwargs)
        set_eager_variables(layer, variables)
    variables = eager_variables(layer)
    state = [col for col in variables if col != "params"]
    if training:
        kwargs.setdefault("rngs", {"dropout": seed_stream.next_key()})
    if training and state:
        y, updates = layer.apply(variables, *args, training=True, mutable=state, **kwargs)
        set_eager_variables(layer, {**variables, **updates})
        return y
    return layer.apply(variables, *args, training=training, **kwargs)
