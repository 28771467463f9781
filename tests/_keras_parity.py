"""A helper the layer parity tests share: apply a jnet layer with Keras's weights, cheaply."""

from __future__ import annotations

import functools
from typing import Any

import jax


def jnet_apply(layer: Any, weights: list, args: tuple, call: dict) -> tuple[list, Any]:
    """``(weight shapes in Keras's order, outputs)`` of ``layer(*args, **call)`` with
    Keras-ordered ``weights``: the variables' structure comes from ``jax.eval_shape`` and the
    call is compiled once (cheaper than eager op-by-op dispatch of init and apply)."""
    abstract = jax.eval_shape(functools.partial(layer.init, **call), jax.random.key(0), *args)
    shapes = [tuple(_leaf(abstract, path).shape) for path in layer.weight_paths(abstract)]
    variables = layer.set_keras_weights(abstract, weights)
    return shapes, jax.jit(functools.partial(layer.apply, **call))(variables, *args)


def _leaf(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree
