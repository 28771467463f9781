"""A model used as a layer of another model: what the containing model asks of it.

Every container (``Sequential``, a functional model, a subclassed model, the weight links)
needs the same three things of a part that may be a model: whether it is one
(:func:`is_model`, the ``_JNET_IS_MODEL`` flag ``Model`` sets, so no module here imports the
``Model`` class), how to call it with masks (:func:`call_nested`), and how Keras's summary
counts its parameters (:func:`param_counts`).

Example:
    >>> import jnet
    >>> base = jnet.Sequential([jnet.Input((3,)), jnet.layers.Dense(2)])
    >>> is_model(base), is_model(base.layers[0])
    (True, False)
    >>> param_counts(base, base.variables)
    (8, 0)
"""

from __future__ import annotations

from typing import Any

from jnet.layers.base import layer_variables
from jnet.symbolic import tree_size

__all__ = ["call_nested", "is_model", "param_counts"]


def is_model(value: Any) -> bool:
    """Whether ``value`` is a jnet model (a ``Model``, used as a layer or not)."""
    return bool(getattr(type(value), "_JNET_IS_MODEL", False))


def call_nested(model: Any, params, model_state, args: tuple, training, rng, mask=None):
    """A model used as a layer: ``(y, logits, new_model_state, output_mask)``. Functional and
    Sequential models take the incoming ``mask`` and give their output's, as Keras's; other
    models ignore masks (output mask None)."""
    if hasattr(model, "forward_with_mask"):
        return model.forward_with_mask(
            params, model_state, *args, training=training, rng=rng, mask=mask
        )
    y, logits, new_state = model.forward(params, model_state, *args, training=training, rng=rng)
    return y, logits, new_state, None


def param_counts(layer: Any, own: dict[str, Any]) -> tuple[int, int]:
    """``(trainable, non_trainable)`` scalars of one layer (or nested model) given its
    variables, as Keras's summary counts them."""
    if is_model(layer):
        t = nt = 0
        for sub in layer.layers:
            a, b = param_counts(sub, layer_variables(own, sub.name))
            t, nt = t + a, nt + b
        return t, nt
    n_params = tree_size(own.get("params", {}))
    n_state = sum(tree_size(tree) for col, tree in own.items() if col != "params")
    if layer.trainable:
        return n_params, n_state
    return 0, n_params + n_state
