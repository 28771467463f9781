"""The symbolic call of an operation, and the hook every layer (or model) call goes through.

:func:`intercept` is what a layer or a model calls first when it is called outside a model's
pure forward: on KerasTensors it records a node (:func:`symbolic_call`); inside a subclassed
model's traced ``call`` it hands the call to that model's context
(:mod:`jnet.symbolic.context`); otherwise the caller runs as usual.

:func:`symbolic_call` works for any callable *operation*. It finds the output's shapes and
dtypes by tracing the operation with ``jax.eval_shape`` (no computation) twice, with free
(None) axes at two stand-in sizes (:mod:`jnet.symbolic.shapes`), and asks the operation only
for what an op can give, through two optional, duck-typed hooks:

* ``operation._symbolic_prepare(specs)``: called before each trace with the input specs
  (``jax.ShapeDtypeStruct``); a model builds its weights here;
An *operation* (a class flagged ``_JNET_IS_OPERATION``: a ``jnet.ops`` call, a
``jnet.symbolic.Operation``) has no weights and is traced once, as Keras's JAX backend does,
with one symbolic size (>= 2) for every free axis: an output axis is free when its size is not
a number, so ``mean(x, axis=0)`` of a ``(None, 4)`` tensor is ``(4,)``. An operation that needs
concrete sizes falls back to the two stand-in traces.

* ``operation._symbolic_apply(args, kwargs) -> (outputs, variables)``: run under
  ``jax.eval_shape`` with arrays in place of the KerasTensors; ``variables`` (a pytree,
  ``{}`` for none) is what the call would create, which must not depend on a free axis. A
  layer runs ``init_with_output``; a model its forward. Without the hook the operation is
  simply called, ``(operation(*args, **kwargs), {})``.

:func:`node_attribute` is Keras's ``layer.output`` / ``layer.input``; a layer of a model that
can build a graph for it asks ``owner._symbolic_graph()`` (a Sequential does).

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.symbolic import KerasTensor, inbound_nodes, intercept, symbolic_call
    >>> def pairs(v):
    ...     return jnp.stack([v, v], axis=-1)
    >>> x = KerasTensor((None, 3))
    >>> y = symbolic_call(pairs, (x,), {})
    >>> y.shape, inbound_nodes(pairs)[-1].outputs is y
    ((None, 3, 2), True)
    >>> intercept(pairs, (jnp.ones(2),), {})
    (False, None)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
from jax import export as jax_export

from jnet import errors
from jnet.symbolic.context import current_context
from jnet.symbolic.keras_tensor import KerasHistory, KerasTensor, has_keras_tensor
from jnet.symbolic.node import Node, inbound_nodes
from jnet.symbolic.shapes import STAND_IN, format_shape, free_axes, standin_specs

__all__ = ["flatten_call", "intercept", "node_attribute", "rebuild_call", "symbolic_call"]


def intercept(layer: Any, args: tuple, kwargs: dict[str, Any]) -> tuple[bool, Any]:
    """Routes a call of an unbound layer or a model: ``(True, result)`` when it was a symbolic
    call (a node is recorded) or a call inside a subclassed model's ``forward``; else
    ``(False, None)`` and the caller proceeds as usual."""
    if has_keras_tensor((args, kwargs)):
        return True, symbolic_call(layer, args, kwargs)
    context = current_context()
    if context is not None and context.owns(layer):
        return True, context.call(layer, args, kwargs)
    return False, None


def node_attribute(layer: Any, attribute: str) -> Any:
    """``layer.output`` / ``layer.input``: from the layer's first node, as Keras's. A layer not
    called yet asks its model for its graph (``owner._symbolic_graph()``), when that model
    can make one and knows its input shape."""
    nodes = inbound_nodes(layer)
    if not nodes:
        owner_ref = getattr(layer, "_jnet_model", None)
        owner = owner_ref() if owner_ref is not None else None
        make_graph = getattr(owner, "_symbolic_graph", None)
        if make_graph is not None and owner.input_shape is not None:
            make_graph()
            nodes = inbound_nodes(layer)
    if not nodes:
        raise errors.JnetValueError(
            f"The layer {getattr(layer, 'name', None)!r} has never been called and thus has no "
            f"defined {attribute}. Call it on a jnet.Input(...) tensor, or put it in a "
            f"Sequential model that knows its input shape."
        )
    node = nodes[0]
    if attribute == "output":
        return node.outputs
    tensors = node.input_tensors
    return tensors[0] if len(tensors) == 1 else tensors


def flatten_call(args: tuple, kwargs: dict[str, Any]):
    """``(leaves, treedef, positions)`` of a call's arguments: ``positions`` index the
    KerasTensors among the leaves (None kept as a leaf)."""
    leaves, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=lambda x: x is None)
    positions = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]
    return leaves, treedef, positions


def rebuild_call(flat_leaves: list[Any], positions: list[int], values: Sequence[Any], treedef):
    """``(args, kwargs)`` of :func:`flatten_call` with ``values`` in place of the tensors."""
    leaves = list(flat_leaves)
    for pos, value in zip(positions, values, strict=True):
        leaves[pos] = value
    return jax.tree_util.tree_unflatten(treedef, leaves)


def _describe(layer: Any) -> str:
    return f"{getattr(layer, 'name', None)!r} ({type(layer).__name__})"


def symbolic_call(layer: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
    """Records ``layer(*args, **kwargs)`` on KerasTensors as a node; returns its symbolic
    outputs (shapes and dtypes from ``jax.eval_shape``, None where an input axis is None).
    ``layer`` is any operation (see the module's docstring for its hooks)."""
    leaves, treedef, positions = flatten_call(args, kwargs)
    tensors = [leaves[p] for p in positions]
    if getattr(type(layer), "_JNET_IS_OPERATION", False):
        specs = _operation_specs(layer, leaves, positions, treedef, tensors)
        if specs is not None:
            return _record(layer, args, kwargs, *specs)
    traced = []
    for size in (STAND_IN, STAND_IN + 3):
        specs = standin_specs(tensors, size)
        traced.append(_trace(layer, leaves, positions, specs, treedef))
    (out_a, vars_a), (out_b, vars_b) = traced
    shapes = jax.tree_util.tree_map(lambda v: v.shape, (vars_a, vars_b))
    if shapes[0] != shapes[1]:
        raise errors.JnetValueError(
            f"Layer {_describe(layer)} receives inputs of shape "
            f"{', '.join(format_shape(t.shape) for t in tensors)}, and the size of "
            f"its weights depends on an axis that is not defined (None). Give that axis a size "
            f"in Input(shape=...), or reduce it first (e.g. GlobalAveragePooling instead of "
            f"Flatten)."
        )
    batch_free = any(t.shape[0] is None for t in tensors)
    flat_a, out_def = jax.tree_util.tree_flatten(out_a)
    flat_b = jax.tree_util.tree_leaves(out_b)
    flat = []
    for a, b in zip(flat_a, flat_b, strict=True):
        shape = free_axes(a.shape, b.shape) if a.shape else ()
        if shape and not batch_free:
            shape = (a.shape[0], *shape[1:])
        flat.append((tuple(shape), str(a.dtype)))
    return _record(layer, args, kwargs, flat, out_def)


def _record(layer: Any, args: tuple, kwargs: dict[str, Any], flat: list, out_def: Any) -> Any:
    """Appends the node of a call whose outputs are ``flat`` ``(shape, dtype)`` pairs in the
    structure ``out_def``; returns the output KerasTensors."""
    nodes = inbound_nodes(layer)
    node_index = len(nodes)
    outputs = [
        KerasTensor(shape=shape, dtype=dtype,
                    _keras_history=KerasHistory(layer, node_index, k))
        for k, (shape, dtype) in enumerate(flat)
    ]
    structure = jax.tree_util.tree_unflatten(out_def, outputs)
    nodes.append(Node(layer, tuple(args), dict(kwargs), structure))
    return structure


@functools.cache
def _free_dim() -> Any:
    # One symbolic size for every free axis, known to be >= 2 (so it never broadcasts or
    # squeezes), as Keras's JAX backend traces ops (``backend.compute_output_spec``).
    return jax_export.symbolic_shape("(free)", constraints=["free>=2"])[0]


def _operation_specs(layer, leaves, positions, treedef, tensors) -> tuple[list, Any] | None:
    """An operation's outputs as ``(flat (shape, dtype) pairs, structure)``: traced once with
    a symbolic size for the free axes, an output axis free when its size is not a number.
    None when the operation cannot be traced that way (the stand-in traces decide)."""
    free = _free_dim()
    specs = [
        jax.ShapeDtypeStruct(tuple(free if d is None else d for d in t.shape), jnp.dtype(t.dtype))
        for t in tensors
    ]

    def run(*arrays):
        args, kwargs = rebuild_call(leaves, positions, arrays, treedef)
        return layer.call(*args, **dict(kwargs))

    try:
        out = jax.eval_shape(run, *specs)
    except errors.JnetError:
        raise
    except Exception:  # an op that needs concrete sizes: the stand-in traces decide
        return None
    flat, out_def = jax.tree_util.tree_flatten(out)
    pairs = []
    for spec in flat:
        if not hasattr(spec, "shape"):
            return None
        shape = tuple(d if isinstance(d, int) else None for d in spec.shape)
        pairs.append((shape, str(spec.dtype)))
    return pairs, out_def


def _apply(layer: Any, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, Any]:
    hook = getattr(layer, "_symbolic_apply", None)
    if hook is None:
        return layer(*args, **kwargs), {}
    return hook(args, kwargs)


def _trace(layer, leaves, positions, specs, treedef):
    """``(output_spec, variables_spec)`` of one call, with ``specs`` for the KerasTensors."""

    def run(*arrays):
        args, kwargs = rebuild_call(leaves, positions, arrays, treedef)
        return _apply(layer, args, dict(kwargs))

    try:
        prepare = getattr(layer, "_symbolic_prepare", None)
        if prepare is not None:
            prepare(specs)
        return jax.eval_shape(run, *specs)
    except errors.JnetError:
        raise
    except Exception as e:  # a layer rejecting its input shape
        shapes = ", ".join(format_shape((None, *s.shape[1:])) for s in specs)
        raise errors.JnetValueError(
            f"Layer {_describe(layer)} cannot take inputs of shape {shapes}: {e}"
        ) from None
