"""The functional API: layers called on ``jnet.Input`` tensors, and ``jnet.Model(inputs, outputs)``.

Calling a jnet layer (or a built model) on :class:`~jnet.layers.KerasTensor` objects records a
:class:`~jnet.symbolic.Node` and returns new KerasTensors whose shapes come from
``jax.eval_shape`` (no computation). ``jnet.Model(inputs, outputs)`` walks the recorded graph
back from the outputs, orders it as Keras does, and compiles it into one pure function,
``forward(params, model_state, x, training, rng)``, over ``{'params': {layer_name: ...}, ...}``.

Layer names: an unnamed layer gets Keras's name (``dense``, ``dense_1``, ``input_layer``, ...)
when the first model that contains it is built, unique within that model (Keras counts per
session; jnet counts per model, as ``Sequential`` does). ``get_layer(name)`` uses those names.

A layer that already has weights in another model (a trained ``Sequential``, a pretrained base)
shares them, as in Keras: ``jnet.Model(model.inputs, [l.output for l in model.layers])``
predicts with the original's current weights, also after the original trains again, and a
nested model's weights follow the outer model's training (see :mod:`jnet.models.links`).

One concept, one file: the functional model class, from the recorded graph to its forward
pass (masks, nested models, shared layers) and the initialization of its layers' variables
(the built-in layers in one compiled call: eagerly, a 300-layer application model compiled
every op of every layer), a little over 600 lines; its helpers already live in
``_architecture``, ``_operations``, ``links`` and ``_nesting``.

Example:
    >>> import numpy as np, jnet
    >>> inputs = jnet.Input(shape=(4,))
    >>> hidden = jnet.layers.Dense(8, activation="relu")(inputs)
    >>> outputs = jnet.layers.Dense(1)(hidden)
    >>> model = jnet.Model(inputs, outputs)
    >>> [layer.name for layer in model.layers]
    ['input_layer', 'dense', 'dense_1']
    >>> model.predict(np.zeros((2, 4)), verbose=0).shape
    (2, 1)
"""

from __future__ import annotations

import collections
import weakref
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.base import (
    apply_in_model,
    held_variables,
    layer_variables,
    params_of,
    with_held_values,
)
from jnet.layers.input import InputLayer
from jnet.models import _architecture as architecture
from jnet.models import summary as summary_lib
from jnet.models._nesting import call_nested, is_model, param_counts
from jnet.models._operations import class_name, is_operation, name_operations
from jnet.models.model import Model
from jnet.symbolic import (
    STAND_IN,
    KerasTensor,
    Node,
    flatten,
    flatten_call,
    inbound_nodes,
    intercept,
    node_of,
    rebuild_call,
    standin_specs,
    unique_names,
)
from jnet.utils import random as jrandom
from jnet.utils._init_compile import init_compiler_options
from jnet.utils._weight_memory import check_weights, init_checked

__all__ = ["Functional"]


def _batchable(layer: Any) -> bool:
    """Whether a layer's init may run inside the model's one compiled init: the Flax layers
    jnet defines (``jnet.layers``, ``jnet.applications``), not models, Keras-style layers
    (which hold Variables) or user classes."""
    return (
        not is_model(layer)
        and type(layer).__module__.startswith("jnet.")
        and getattr(layer, "_held_variables", None) is None
    )


# -- graph ------------------------------------------------------------------------------------


def _build_map(inputs: list[KerasTensor], outputs: list[KerasTensor]):
    """Keras's ``_build_map``: nodes from inputs to outputs (depth-first from the outputs),
    and each layer's first traversal index."""
    finished: set[int] = set()
    in_progress: set[int] = set()
    ordered: list[Node] = []
    layer_indices: dict[int, int] = {}
    input_ids = {id(t) for t in inputs}

    def visit(tensor: KerasTensor) -> None:
        if tensor._keras_history is None:
            raise errors.JnetValueError(
                f"{tensor!r} was not made by jnet.Input or a layer call: a model's inputs and "
                f"outputs must be KerasTensors."
            )
        node = node_of(tensor)
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        if id(node) in in_progress:
            raise errors.JnetValueError(
                f"Tensor {tensor!r} from layer {node.layer.name!r} is part of a cycle."
            )
        layer_indices.setdefault(id(node.layer), len(layer_indices))
        in_progress.add(id(node))
        if not node.is_input:
            for t in node.input_tensors:
                visit(t)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for t in outputs:
        visit(t)
    return ordered, layer_indices


def _map_graph(inputs: list[KerasTensor], outputs: list[KerasTensor]):
    """Keras's ``map_graph``: ``(layers, nodes_by_depth)``, layers ordered by decreasing depth
    then traversal order, as ``keras.Model.layers``."""
    ordered, layer_indices = _build_map(inputs, outputs)
    in_graph = {id(n) for n in ordered}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    layers_by_id: dict[int, Any] = {}
    for node in reversed(ordered):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        layers_by_id[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in inputs:  # inputs not connected to any output still appear
        node = node_of(t)
        if node.is_input and id(node.layer) not in layer_depth:
            layer_depth[id(node.layer)] = 0
            layer_indices[id(node.layer)] = -1
            layers_by_id[id(node.layer)] = node.layer
            node_depth[id(node)] = 0
            ordered.append(node)
    by_depth: dict[int, list[Any]] = collections.defaultdict(list)
    for lid, depth in layer_depth.items():
        by_depth[depth].append(lid)
    layers = []
    for depth in sorted(by_depth, reverse=True):
        for lid in sorted(by_depth[depth], key=lambda i: layer_indices[i]):
            layers.append(layers_by_id[lid])
    nodes_by_id = {id(n): n for n in ordered}
    nodes_by_depth: dict[int, list[Node]] = collections.defaultdict(list)
    for nid, depth in node_depth.items():
        nodes_by_depth[depth].append(nodes_by_id[nid])
    # Every tensor a node reads must be computable from the inputs.
    computable = {id(t) for t in inputs}
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input and id(node.outputs) not in computable:
                raise errors.JnetValueError(
                    f"Graph disconnected: the outputs depend on the input {node.outputs!r}, "
                    f"which is not one of the model's inputs. Pass every jnet.Input the "
                    f"outputs were computed from in inputs=[...]."
                )
            for t in node.input_tensors:
                if id(t) not in computable:
                    raise errors.JnetValueError(
                        f"Graph disconnected: cannot find parent for tensor {t!r} at layer "
                        f"{node.layer.name!r}. The model's inputs must be the jnet.Input "
                        f"tensors this output was computed from."
                    )
            for t in node.output_tensors:
                computable.add(id(t))
    return layers, nodes_by_depth


# -- the model --------------------------------------------------------------------------------


class Functional(Model):
    """A model defined by a graph of layer calls, as ``keras.Model(inputs, outputs)``.

    ``jnet.Model(inputs, outputs)`` returns one.

    Args:
        inputs: a KerasTensor from ``jnet.Input``, or a list or dict of them.
        outputs: a KerasTensor, or a list or dict of them (the model returns that structure).
        name: the model's name (default: Keras's ``'functional'``, then ``'functional_1'``,
            ... in a session; a subclass's snake-case class name).
        trainable: whether the model's layers are trainable.
        dtype: the model's own dtype policy (``model.dtype_policy``, read by ``compile``'s
            ``auto_scale_loss``). Its layers keep their own policies, as in Keras (give
            ``dtype=`` to each layer, or a ``DTypePolicyMap``). Defaults to the global one.

    Example:
        >>> import jnet
        >>> a, b = jnet.Input(shape=(3,), name="a"), jnet.Input(shape=(2,), name="b")
        >>> shared = jnet.layers.Dense(4)
        >>> model = jnet.Model([a, b], [shared(a), jnet.layers.Dense(1)(b)])
        >>> model.input_names, model.output_names
        (['a', 'b'], ['dense', 'dense_1'])
    """

    def __init__(
        self, inputs: Any, outputs: Any, name: str | None = None, trainable: bool = True,
        dtype: Any = None, **kwargs: Any,
    ):
        if kwargs:
            raise errors.JnetTypeError(
                f"Model(inputs, outputs) got unexpected keyword arguments {sorted(kwargs)}."
            )
        super().__init__(name=name, dtype=dtype)
        for argument, value in (("inputs", inputs), ("outputs", outputs)):
            flat = flatten(value)
            if not flat:
                raise errors.JnetValueError(f"Model: {argument} must not be empty.")
            for t in flat:
                if not isinstance(t, KerasTensor):
                    raise errors.JnetValueError(
                        f"All `{argument}` values must be KerasTensors (from jnet.Input or a "
                        f"layer call on one), received {argument}={value!r} including "
                        f"{errors.describe(t)}."
                    )
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs: list[KerasTensor] = flatten(inputs)
        self._outputs: list[KerasTensor] = flatten(outputs)
        operations, nodes_by_depth = _map_graph(self._inputs, self._outputs)
        layers = [op for op in operations if not is_operation(op)]
        unique_names(layers, self.name)
        name_operations(operations)
        for t in self._inputs:
            if t.name is None and isinstance(t._keras_history.layer, InputLayer):
                t.name = t._keras_history.layer.name
        self._layers_list: list[Any] = layers
        self._operations: list[Any] = operations  # Keras's: the layers and the ops, in order
        self._nodes_by_depth = dict(nodes_by_depth)
        self._nodes: list[Node] = [
            node
            for depth in sorted(nodes_by_depth, reverse=True)
            for node in nodes_by_depth[depth]
            if not node.is_input
        ]
        self._node_ids = {id(n) for depth in nodes_by_depth.values() for n in depth}
        for layer in layers:
            owner_ref = getattr(layer, "_jnet_model", None)
            owner = owner_ref() if owner_ref is not None else None
            if owner is None and not is_model(layer):
                object.__setattr__(layer, "_jnet_model", weakref.ref(self))
        self._output_set = {id(t) for t in self._outputs}
        self._variables = self._init_variables(jrandom.next_key(), reuse=True)
        if not trainable:
            self.trainable = False

    # -- structure -----------------------------------------------------------------------------

    @property
    def layers(self) -> list[Any]:
        return list(self._layers_list)

    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self._inputs)

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self._outputs)

    def _symbolic_graph(self) -> tuple[list[KerasTensor], list[KerasTensor]]:
        return list(self._inputs), list(self._outputs)

    @property
    def input_names(self) -> list[str]:
        if isinstance(self._inputs_struct, dict):
            return list(sorted(self._inputs_struct))
        return [t.name or t._keras_history.layer.name for t in self._inputs]

    @property
    def output_names(self) -> list[str]:
        """Each output's name: its layer's name, as Keras's; for outputs given as a dict, the
        dict's keys (sorted, the order of ``outputs``), which key ``y_pred`` and the
        per-output losses."""
        if isinstance(self._outputs_struct, dict):
            return list(sorted(self._outputs_struct))
        return [t._keras_history.layer.name for t in self._outputs]

    @property
    def input_shape(self) -> Any:
        shapes = [tuple(t.shape) for t in self._inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [tuple(t.shape) for t in self._outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def build(self, input_shape: Any = None) -> None:
        """A functional model is built when it is made; this only checks it has weights."""
        if self._variables is None and self._train_state is None:
            self._variables = self._init_variables(jrandom.next_key(), reuse=True)

    def init(self, key: jax.Array, x: Any = None) -> dict[str, Any]:
        """Fresh variables from ``key`` for every layer (pure; the model's are unchanged)."""
        return self._init_variables(key, reuse=False)

    def _init_variables(self, key, sample_shape=None, reuse: bool = False):
        """Each layer's variables: a layer that has weights in another model (or a nested
        model) starts from those when ``reuse``; the others are initialized at their first
        node's input shapes (a None axis takes a stand-in size).

        The built-in layers are initialized together in one compiled call (their shapes
        checked first): initializing each layer eagerly compiles every forward op of every
        layer once, about a minute for a 300-layer application model."""
        owns: dict[int, dict[str, Any]] = {}
        batch: list[tuple[int, Any]] = []
        for i, layer in enumerate(self._layers_list):
            if isinstance(layer, InputLayer):
                continue
            own = self._existing_variables(layer) if reuse else None
            if own is None and _batchable(layer):
                batch.append((i, layer))
                continue
            if own is None:
                own = self._fresh_variables(layer, jax.random.fold_in(key, i))
                # a layer built or called before keeps its weights, as in Keras
                if reuse and not is_model(layer):
                    own = with_held_values(own, held_variables(layer))
            owns[i] = own
        for (i, layer), own in zip(batch, self._batch_variables(batch, key), strict=True):
            # a layer built or called before keeps its weights, as in Keras
            owns[i] = with_held_values(own, held_variables(layer) if reuse else None)
        variables: dict[str, dict[str, Any]] = {"params": {}}
        for i, layer in enumerate(self._layers_list):
            for col, tree in owns.get(i, {}).items():
                variables.setdefault(col, {})[layer.name] = tree
        return variables

    def _existing_variables(self, layer: Any) -> dict[str, Any] | None:
        if is_model(layer):
            layer._require_built("a call inside another model")
            return {col: tree for col, tree in layer.variables.items()}
        owner_ref = getattr(layer, "_jnet_model", None)
        owner = owner_ref() if owner_ref is not None else None
        if owner is None or owner is self:
            return None
        if not owner._has_variables():
            if owner.input_shape is None:
                return None
            owner._require_built("the weights")
        own = layer_variables(owner.variables, layer.name)
        return own or None

    def _batch_variables(self, batch: list[tuple[int, Any]], key: jax.Array) -> list[Any]:
        """Fresh variables of the built-in layers in ``batch``, as their eager ``init`` would
        give them, from one compiled call (each layer's shapes checked before it runs)."""
        if not batch:
            return []
        calls = [self._init_call(layer) for _, layer in batch]

        def init_all(key):
            out = []
            for (i, layer), (specs, leaves, treedef, positions) in zip(batch, calls, strict=True):
                arrays = [jnp.zeros(s.shape, s.dtype) for s in specs]
                args, kwargs = rebuild_call(leaves, positions, arrays, treedef)
                k = jax.random.fold_in(key, i)
                out.append(dict(layer.init({"params": k, "dropout": k}, *args,
                                           **dict(kwargs, training=False))))
            return out

        traced = jax.jit(init_all).trace(key)
        for (_, layer), shapes in zip(batch, traced.out_info, strict=True):
            check_weights(layer.name, type(layer).__name__, shapes)
        return traced.lower().compile(compiler_options=init_compiler_options())(key)

    def _init_call(self, layer: Any) -> tuple[list[Any], list[Any], Any, list[int]]:
        """``(stand-in input specs, call leaves, treedef, array positions)`` of the layer's
        first node in this model."""
        node = next(n for n in inbound_nodes(layer) if id(n) in self._node_ids)
        leaves, treedef, positions = flatten_call(node.args, node.kwargs)
        specs = standin_specs([leaves[p] for p in positions], STAND_IN)
        return specs, leaves, treedef, positions

    def _fresh_variables(self, layer: Any, key: jax.Array) -> dict[str, Any]:
        if is_model(layer):
            return layer.init(key)
        specs, leaves, treedef, positions = self._init_call(layer)
        arrays = [jnp.zeros(s.shape, s.dtype) for s in specs]
        args, kwargs = rebuild_call(leaves, positions, arrays, treedef)
        kwargs = dict(kwargs)
        kwargs["training"] = False
        return dict(init_checked(layer, {"params": key, "dropout": key}, *args, **kwargs))

    # -- the pure function ---------------------------------------------------------------------

    def _output_activation(self, tensor: KerasTensor) -> str | None:
        node = node_of(tensor)
        if node.is_input or len(node.output_tensors) != 1 or is_operation(node.layer):
            return None
        return node.layer.logits_activation()

    def logits_activation(self) -> Any:
        """Single output: 'sigmoid'/'softmax' when the output's layer ends with it, else None;
        several outputs: a list of those, in ``output_names`` order."""
        found = [self._output_activation(t) for t in self._outputs]
        return found[0] if len(found) == 1 else found

    def _flat_inputs(self, x: Any) -> list[Any]:
        n = len(self._inputs)
        if isinstance(x, dict):
            names = (
                sorted(self._inputs_struct) if isinstance(self._inputs_struct, dict)
                else self.input_names
            )
            missing = [k for k in names if k not in x]
            if missing:
                raise errors.JnetValueError(
                    f"Model {self.name!r} expects inputs named {names}; the dict passed lacks "
                    f"{missing} (received keys {sorted(x)})."
                )
            return [x[k] for k in names]
        if isinstance(x, list | tuple):
            if len(x) != n:
                raise errors.JnetValueError(
                    f"Model {self.name!r} expects {n} input(s) ({self.input_names}), received a "
                    f"{type(x).__name__} of {len(x)}."
                )
            return list(x)
        if n != 1:
            raise errors.JnetValueError(
                f"Model {self.name!r} expects {n} inputs ({self.input_names}): pass a list in "
                f"that order or a dict keyed by those names, received {errors.describe(x)}."
            )
        return [x]

    def forward(self, params, model_state, x, training: bool = False, rng=None):
        """``(params, model_state, x) -> (y_pred, logits, new_model_state)``; pure.

        ``x``: an array, or for several inputs a list in ``inputs`` order or a dict keyed by
        input name. ``y_pred`` has the structure the outputs were given in (one output: an
        array); ``logits`` the same structure, each entry the pre-activation of a sigmoid or
        softmax output, else None.
        """
        return self.forward_with_mask(params, model_state, x, training, rng)[:3]

    def forward_with_mask(self, params, model_state, x, training: bool = False, rng=None,
                          mask=None):
        """:meth:`forward` with Keras's masks: ``mask`` (None, or one per input, as ``x``) is
        the inputs' mask; returns ``(y_pred, logits, new_model_state, output_mask)``, the
        output mask the graph computed (None where an output has none). A model used as a
        layer of another is called this way, so masks flow into and out of it as in Keras."""
        values: dict[int, Any] = {}
        masks: dict[int, Any] = {}
        flat_masks = [None] * len(self._inputs) if mask is None else self._flat_inputs(mask)
        for t, v, m in zip(self._inputs, self._flat_inputs(x), flat_masks, strict=True):
            v = jnp.asarray(v)
            if str(v.dtype) != t.dtype:
                v = v.astype(t.dtype)
            values[id(t)] = v
            if m is not None:
                masks[id(t)] = m
        new_state: dict[str, dict[str, Any]] = {col: dict(t) for col, t in model_state.items()}
        logits: dict[int, Any] = {}
        for i, node in enumerate(self._nodes):
            self._run_node(i, node, params, model_state, new_state, values, masks, logits,
                           training, rng)
        y_pred = self._structure([values[id(t)] for t in self._outputs])
        out_logits = self._structure([logits.get(id(t)) for t in self._outputs])
        return y_pred, out_logits, new_state, self._structure(
            [masks.get(id(t)) for t in self._outputs]
        )

    def _structure(self, flat: list[Any]) -> Any:
        if len(flat) == 1 and not isinstance(self._outputs_struct, dict):
            return flat[0]
        treedef = jax.tree_util.tree_structure(self._outputs_struct)
        return jax.tree_util.tree_unflatten(treedef, flat)

    def _run_node(self, i, node, params, model_state, new_state, values, masks, logits,
                  training, rng):
        layer = node.layer
        name = layer.name
        leaves, treedef, positions = flatten_call(node.args, node.kwargs)
        in_tensors = [leaves[p] for p in positions]
        args, kwargs = rebuild_call(leaves, positions, [values[id(t)] for t in in_tensors], treedef)
        kwargs = dict(kwargs)
        if is_operation(layer):  # an op: no weights, no mask, the non-tensor arguments kept
            y = layer(*args, **kwargs)
            for t, v in zip(node.output_tensors, jax.tree_util.tree_leaves(y), strict=True):
                values[id(t)] = v
            return
        call_training = kwargs.pop("training", training)
        layer_params = params_of(layer, params)
        node_rng = None if rng is None else jax.random.fold_in(rng, i)
        out_tensors = node.output_tensors
        single = len(out_tensors) == 1
        in_masks = [masks.get(id(t)) for t in in_tensors]
        mask = None
        if any(m is not None for m in in_masks):
            mask = in_masks[0] if len(in_masks) == 1 else in_masks
        if is_model(layer):
            sub_state = layer_variables(model_state, name)
            y, sub_logits, sub_new, out_mask = call_nested(
                layer, layer_params, sub_state, args, call_training, node_rng, mask
            )
            # in inference too: a Keras-style layer inside may assign (Keras keeps it)
            for col, tree in sub_new.items():
                new_state.setdefault(col, {})[name] = tree
            if single and sub_logits is not None and id(out_tensors[0]) in self._output_set:
                logits[id(out_tensors[0])] = sub_logits
            for t, v in zip(out_tensors, jax.tree_util.tree_leaves(y), strict=True):
                values[id(t)] = v
            out_masks = jax.tree_util.tree_leaves(out_mask)
            if len(out_masks) == len(out_tensors):
                for t, m in zip(out_tensors, out_masks, strict=True):
                    masks[id(t)] = m
            return
        if mask is not None and getattr(layer, "MASK_ARGUMENTS", ()):
            argument_masks = node.argument_masks(layer.MASK_ARGUMENTS, masks)
            for key, value in argument_masks.items():
                kwargs.setdefault(key, value)
            mask = argument_masks.get(f"{layer.MASK_ARGUMENTS[0]}_mask")
        if mask is not None and layer.ACCEPTS_MASK and "mask" not in kwargs:
            kwargs["mask"] = mask
        if node_rng is not None:
            kwargs["rngs"] = {"dropout": node_rng}
        y, y_logits = apply_in_model(
            layer, layer_params, model_state, new_state, args, kwargs, call_training,
            split_logits=single and id(out_tensors[0]) in self._output_set,
        )
        if y_logits is not None:
            logits[id(out_tensors[0])] = y_logits
        flat_y = jax.tree_util.tree_leaves(y)
        for t, v in zip(out_tensors, flat_y, strict=True):
            values[id(t)] = v
        if single:
            first = args[0] if args else None
            out_mask = layer.compute_mask(first, mask)
            if out_mask is not None:
                masks[id(out_tensors[0])] = out_mask

    def __call__(self, *args, **kwargs):
        handled, result = intercept(self, args, kwargs)
        if handled:
            return result
        x = self._checked_call_input(args[0] if args else kwargs.pop("inputs"))
        training = kwargs.get("training", False)
        return self.apply(self.variables, x, training=training, rng=jrandom.next_key())

    def architecture_config(self) -> dict[str, Any] | None:
        """``{'class_name': 'Functional', 'config': <graph>}``; None for a subclass of
        ``Model`` made functional (its Python class is not in the file)."""
        if type(self).__name__ != "Functional":
            return None
        return {"class_name": "Functional", "config": architecture.functional_config(self)}

    @classmethod
    def from_architecture(cls, config: Any, custom_objects: Any = None, **options: Any) -> Any:
        """The model, unbuilt, of :meth:`architecture_config`'s ``config``; ``options``: see
        :func:`jnet.models._architecture.functional_from_config`."""
        return architecture.functional_from_config(cls, config, custom_objects, **options)

    # -- display -------------------------------------------------------------------------------

    def _sequential_like(self) -> bool:
        nodes = []
        for depth_nodes in self._nodes_by_depth.values():
            if len(depth_nodes) > 1 or (
                len(depth_nodes) == 1 and len(depth_nodes[0].input_tensors) > 1
            ):
                return False
            nodes += depth_nodes
        node_ids = {id(n) for n in nodes}
        for layer in self.layers:
            if sum(id(n) in node_ids for n in inbound_nodes(layer)) > 1:
                return False
        return True

    def _connections(self, layer: Any) -> str:
        parts = []
        for node in inbound_nodes(layer):
            if id(node) not in self._node_ids:
                continue
            for t in node.input_tensors:
                h = t._keras_history
                parts.append(f"{h.layer.name}[{h.node_index}][{h.tensor_index}]")
        return ", ".join(parts) or "-"

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs) -> None:
        """Prints Keras's summary table; a graph that is not a chain gets Keras's
        'Connected to' column."""
        variables = self.variables
        sequential_like = self._sequential_like()
        rows = []
        trainable = non_trainable = 0
        for layer in self._operations:  # Keras lists the ops too (0 parameters)
            own = {} if is_operation(layer) else layer_variables(variables, layer.name)
            t, nt = (0, 0) if is_operation(layer) else param_counts(layer, own)
            trainable += t
            non_trainable += nt
            nodes = inbound_nodes(layer)
            outs = nodes[-1].output_tensors if nodes else []
            if len(outs) == 1:
                shape = summary_lib.format_shape(outs[0].shape)
            else:
                shape = "[" + ", ".join(summary_lib.format_shape(o.shape) for o in outs) + "]"
            row = [f"{layer.name} ({class_name(layer)})", shape, t + nt]
            if not sequential_like:
                row.append(self._connections(layer))
            rows.append(tuple(row))
        summary_lib.render(
            self.name, rows, trainable, non_trainable, print_fn, line_length, positions
        )

    # -- class M(jnet.Model) calling super().__init__(inputs, outputs) -------------------------

    @classmethod
    def _adopt(cls, model: Any, args: tuple, name: Any, trainable: Any, kwargs: dict) -> None:
        """``class M(jnet.Model)`` whose ``__init__`` calls ``super().__init__(inputs,
        outputs)``: as Keras does, the instance becomes a functional model (its class gains
        ``Functional`` as a base; its own methods and attributes stay), named after the class
        (``'m'``). ``Model.__init__`` calls this through ``Model._functional_class``."""
        kwargs = dict(kwargs)
        if len(args) > 2:
            raise errors.JnetTypeError(
                f"Model() takes inputs and outputs as positional arguments, received "
                f"{len(args)}."
            )
        for key, value in zip(("inputs", "outputs"), args, strict=False):
            if key in kwargs:
                raise errors.JnetTypeError(f"Model() got multiple values for {key!r}.")
            kwargs[key] = value
        model_cls = type(model)
        if not isinstance(model, Functional):
            if model_cls not in _FUNCTIONAL_SUBCLASSES:
                _FUNCTIONAL_SUBCLASSES[model_cls] = type(
                    model_cls.__name__, (model_cls, Functional),
                    {"__module__": model_cls.__module__, "__qualname__": model_cls.__qualname__},
                )
            model.__class__ = _FUNCTIONAL_SUBCLASSES[model_cls]
        if "inputs" not in kwargs or "outputs" not in kwargs:
            raise errors.JnetTypeError(
                f"{model_cls.__name__}: a functional model needs both inputs and outputs, "
                f"received {sorted(kwargs)}."
            )
        Functional.__init__(
            model, name=name, trainable=trainable, **kwargs
        )


#: The functional class made for each ``class M(jnet.Model)`` that calls
#: ``super().__init__(inputs, outputs)`` (one per subclass).
_FUNCTIONAL_SUBCLASSES: dict[type, type] = {}

Model._functional_class = Functional  # jnet.Model(inputs, outputs) makes a Functional
