"""Keras's regularization losses and weight constraints, gathered over a model's layers.

:class:`jnet.training.StepSpec` holds three static entries built here from a model:

* ``regularization``: ``params -> penalty``, the sum of every trainable weight's regularizer
  (Keras's ``model.losses`` weight terms: frozen layers' weights are left out), or None;
* ``constraints``: ``params -> params`` projecting each constrained trainable weight (Keras's
  optimizer assigns ``constraint(variable)`` after each update), or None;
* ``activity``: whether some layer has an ``activity_regularizer``; the steps then run the
  forward inside :func:`jnet.layers.base.collect_activity` and add what the layers recorded.

None/False when no layer asks for them: the steps then trace exactly as before.

Example:
    >>> import jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,),
    ...                                            kernel_regularizer="l2")])
    >>> regularization_fn(model) is not None, constraints_fn(model), has_activity(model)
    (True, None, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jax.numpy as jnp

__all__ = ["add_penalties", "constraints_fn", "has_activity", "regularization_fn"]

Path = tuple[str, ...]


def _is_model(layer: Any) -> bool:
    return hasattr(layer, "layers") and hasattr(layer, "forward")


def _layers(model: Any, trainable: bool = True, prefix: Path = ()) -> Iterator[tuple]:
    """``(path in the params, layer, trains)`` for every layer, nested models flattened."""
    for layer in getattr(model, "layers", []):
        flag = trainable and bool(getattr(layer, "trainable", True))
        path = (*prefix, layer.name)
        if _is_model(layer):
            yield from _layers(layer, flag, path)
        elif hasattr(layer, "WEIGHT_PENALTIES"):
            yield path, layer, flag


def _get(tree: Any, path: Path) -> Any:
    for key in path:
        if not hasattr(tree, "get") or key not in tree:
            return None
        tree = tree[key]
    return tree


def _replace(tree: Any, path: Path, value: Any) -> Any:
    out = dict(tree)
    out[path[0]] = value if len(path) == 1 else _replace(tree[path[0]], path[1:], value)
    return out


def _trainable_layers(model: Any, wanted: Callable[[Any], bool]) -> list[tuple[Path, Any]]:
    """``(path, layer)`` of ``model``'s trainable layers for which ``wanted(layer)``."""
    trainable = bool(getattr(model, "trainable", True))
    return [(path, layer) for path, layer, trains in _layers(model, trainable)
            if trains and wanted(layer)]


def regularization_fn(model: Any) -> Callable[[Any], Any] | None:
    """``params -> float32 penalty`` summing the trainable weights' regularizers of ``model``,
    or None when it has none."""
    entries = _trainable_layers(model, lambda layer: layer.has_weight_regularizers())
    if not entries:
        return None

    def penalty(params: Any) -> Any:
        total = jnp.zeros((), jnp.float32)
        for path, layer in entries:
            own = _get(params, path)
            if own is not None:
                value = layer.regularization_loss(own)
                if value is not None:
                    total = total + value
        return total

    return penalty


def constraints_fn(model: Any) -> Callable[[Any], Any] | None:
    """``params -> params`` with the constraints of ``model``'s trainable weights applied, or
    None when it has none."""
    entries = _trainable_layers(model, lambda layer: layer.has_constraints())
    if not entries:
        return None

    def project(params: Any) -> Any:
        for path, layer in entries:
            own = _get(params, path)
            if own is not None:
                params = _replace(params, path, layer.apply_constraints(own))
        return params

    return project


def has_activity(model: Any) -> bool:
    """Whether a layer of ``model`` (nested models included) has an activity regularizer, or
    is a Keras-style layer that calls ``add_loss`` (seen when it was built)."""
    return any(
        getattr(layer, "activity_regularizer", None) is not None
        or getattr(layer, "adds_losses", False)
        for _, layer, _ in _layers(model)
    )


def add_penalties(spec: Any, loss: Any, params: Any, activity: list | None) -> Any:
    """``loss`` plus the activity penalties recorded in this forward and the weight
    penalties of ``params`` (Keras's ``compute_loss``: the compiled loss, then
    ``model.losses``); ``loss`` itself when there are none."""
    extra = list(activity or ())
    regularization = getattr(spec, "regularization", None)
    if regularization is not None:
        extra.append(regularization(params))
    if not extra:
        return loss
    total = extra[0]
    for term in extra[1:]:
        total = total + term
    return loss + total.astype(loss.dtype)
