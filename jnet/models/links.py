"""Weights shared between models, as Keras shares a layer's variables.

In Keras a layer's weights are variables that every model containing the layer reads and
writes. A jnet model holds its variables as one pytree (what its pure forward and the jitted
train step take), so a model that contains another model's parts holds a copy of them, kept in
step with the part's *owner*:

* a nested model (a model used as a layer) owns its own variables: the outer model's
  ``params[nested.name]`` (and other collections) are the nested model's ``variables``;
* a layer made by another model (``jnet.Model(seq.inputs, [l.output for l in seq.layers])``)
  is owned by the first model it was built into: the new model's entry for the layer is that
  model's entry for it.

The rule is read-through and write-back: each part remembers the pair of trees (the owner's,
this model's) at their last exchange. Reading a model's variables (``variables``,
``get_weights``, ``predict``, ``evaluate``, the start of ``fit``) first takes every part whose
owner changed since (:func:`pull`); setting a model's variables (``set_weights``,
``load_weights``) and the end of ``fit`` write every part that changed here into its owner
(:func:`push`). Identity of the arrays tells what changed, so nothing is compared by value. The
copies that cross are fresh buffers: the train step donates its state's buffers, which must
never be another model's.

Example:
    >>> import numpy as np, jnet
    >>> base = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(2)])
    >>> x = jnet.Input((3,))
    >>> outer = jnet.Model(x, jnet.layers.Dense(1)(base(x)))
    >>> outer.set_weights([np.ones_like(w) for w in outer.get_weights()])
    >>> base.get_weights()[0].tolist()
    [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jnet.layers.base import layer_variables, with_layer_variables
from jnet.models._nesting import is_model

__all__ = ["pull", "push", "sources"]

Part = dict[str, Any]  # {collection: tree} of one layer or nested model
Link = tuple[str, Callable[[], Part], Callable[[Part], None]]  # (name, read, write)


def sources(model: Any) -> list[Link]:
    """``(name, read, write)`` for every part of ``model`` that another model owns: ``read()``
    the owner's current variables of the part, ``write(part)`` stores them in the owner."""
    found = []
    for layer in _layers(model):
        if is_model(layer):
            if layer is model or not layer._has_variables():
                continue
            found.append((layer.name, _nested_read(layer), layer._set_variables))
            continue
        ref = getattr(layer, "_jnet_model", None)
        owner = ref() if ref is not None else None
        if owner is None or owner is model or not owner._has_variables():
            continue
        found.append((layer.name, _layer_read(owner, layer.name), _layer_write(owner, layer.name)))
    return found


def _layers(model: Any) -> list[Any]:
    try:
        return list(model.layers)
    except Exception:  # a model whose architecture is not known yet
        return []


def _nested_read(nested: Any) -> Callable[[], Part]:
    return lambda: dict(nested.variables)


def _layer_read(owner: Any, name: str) -> Callable[[], Part]:
    return lambda: layer_variables(owner.variables, name)


def _layer_write(owner: Any, name: str) -> Callable[[Part], None]:
    def write(part: Part) -> None:
        owner._set_variables(with_layer_variables(owner.variables, name, part))

    return write


def _same(a: Any, b: Any) -> bool:
    """Whether two trees hold the very same arrays (identity, not value)."""
    if a is None or b is None:
        return False
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(x is y for x, y in zip(la, lb, strict=True))


def _copy(tree: Any) -> Any:
    return jax.tree_util.tree_map(lambda v: jnp.array(v, copy=True), tree)


def _current(model: Any) -> dict[str, Any]:
    if model._train_state is not None:
        return model._train_state.variables
    return model._variables


def _store(model: Any, variables: dict[str, Any]) -> None:
    """Sets ``model``'s variables (and its train state's) without writing back."""
    model._variables = dict(variables)
    if model._train_state is not None:
        rest = dict(variables)
        model._train_state = model._train_state.replace(
            params=rest.pop("params", {}), model_state=rest
        )


def _exchanges(model: Any) -> dict[str, tuple[Part, Part]]:
    return model.__dict__.setdefault("_jnet_exchanged", {})


def _prepare(model: Any) -> tuple[list[Link], dict[str, tuple[Part, Part]], Part] | None:
    """What :func:`pull` and :func:`push` start from: ``(links, exchanged, current)``.

    ``links`` is :func:`sources`, ``exchanged`` the model's record of the last exchange per
    part (created on first use), ``current`` its variables (the train state's while one is
    live). None when there is nothing to exchange: the model has no variables yet, or no
    part of it is owned by another model.

    Example:
        >>> import jnet
        >>> _prepare(jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(2)])) is None
        True
    """
    if not model._has_variables():
        return None
    links = sources(model)
    if not links:
        return None
    return links, _exchanges(model), _current(model)


def pull(model: Any) -> None:
    """Takes into ``model`` every part whose owner's variables changed since the last
    exchange (fresh copies of them)."""
    prepared = _prepare(model)
    if prepared is None:
        return
    links, exchanged, current = prepared
    new = None
    for name, read, _ in links:
        theirs = read()
        mine = layer_variables(current, name)
        last = exchanged.get(name)
        if last is not None and _same(theirs, last[0]):
            continue
        if _same(theirs, mine):  # built from them, nothing copied yet
            exchanged[name] = (theirs, mine)
            continue
        copied = _copy(theirs)
        new = with_layer_variables(new if new is not None else current, name, copied)
        exchanged[name] = (theirs, copied)
    if new is not None:
        _store(model, new)


def push(model: Any) -> None:
    """Writes every part of ``model`` that changed here since the last exchange into its
    owner (fresh copies), e.g. the trained base after ``outer.fit``."""
    prepared = _prepare(model)
    if prepared is None:
        return
    links, exchanged, current = prepared
    for name, read, write in links:
        mine = layer_variables(current, name)
        last = exchanged.get(name)
        if last is not None and _same(mine, last[1]):
            continue
        if last is None and _same(mine, read()):
            exchanged[name] = (read(), mine)
            continue
        write(_copy(mine))
        exchanged[name] = (read(), mine)
