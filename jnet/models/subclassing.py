"""Subclassed models: ``class MyModel(jnet.Model)`` with layers as attributes and ``call``.

Layers (and models) assigned as attributes in ``__init__`` — directly, or in lists, tuples and
dicts — are tracked in assignment order; unnamed ones get Keras's names (``dense``,
``dense_1``, ...), unique within the model. That order is ``model.layers`` and the order of
``get_weights()``, as in Keras.

``call`` is traced into a pure forward: while ``forward(params, model_state, x, training,
rng)`` runs, each call of a tracked layer inside ``call`` is applied with that layer's
variables from ``params``/``model_state`` (and its own dropout key), and batch-statistics
updates are collected. The model is built on first use (``fit``, ``predict``, a call, or
``build(input_shape)``), by running ``call`` once on zeros and creating each layer's variables
at its first call.

Example:
    >>> import numpy as np, jnet
    >>> class MLP(jnet.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = jnet.layers.Dense(8, activation="relu")
    ...         self.out = jnet.layers.Dense(1)
    ...     def call(self, inputs, training=False):
    ...         return self.out(self.hidden(inputs))
    >>> model = MLP()
    >>> model.predict(np.zeros((2, 3)), verbose=0).shape
    (2, 1)
    >>> [layer.name for layer in model.layers], model.name
    (['dense', 'dense_1'], 'mlp')
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors, symbolic
from jnet.layers.base import Layer, apply_in_model, layer_variables, params_of
from jnet.models import summary as summary_lib
from jnet.models._nesting import is_model, param_counts
from jnet.symbolic import STAND_IN, default_name
from jnet.utils import random as jrandom
from jnet.utils._weight_memory import init_checked

__all__ = ["build", "forward", "init_variables", "parts_variables", "track"]


# -- tracking ---------------------------------------------------------------------------------


def _collect(value: Any, out: list[Any]) -> None:
    if isinstance(value, Layer) or is_model(value):
        out.append(value)
    elif isinstance(value, list | tuple):
        for v in value:
            _collect(v, out)
    elif isinstance(value, Mapping):
        for v in value.values():
            _collect(v, out)


def track(model: Any, attribute: str, value: Any) -> None:
    """Records the layers in ``value`` (assigned to ``model.<attribute>``), in order."""
    found: list[Any] = []
    _collect(value, found)
    if not found:
        return
    tracked = model.__dict__.setdefault("_jnet_tracked", [])
    for layer in found:
        if any(t is layer for t in tracked) or layer is model:
            continue
        names = {t.name for t in tracked}
        if layer.name is None:
            object.__setattr__(layer, "name", default_name(layer, names))
        elif layer.name in names:
            raise errors.JnetValueError(
                f"Model {model.__dict__.get('name')!r}: the layer assigned to "
                f"{attribute!r} is named {layer.name!r}, like another layer of this model. "
                f"Give each layer its own name=."
            )
        tracked.append(layer)
        if isinstance(layer, Layer):
            ref = getattr(layer, "_jnet_model", None)
            if ref is None or ref() is None:
                object.__setattr__(layer, "_jnet_model", weakref.ref(model))
    if model.__dict__.get("_variables") is not None:  # a layer added after building
        object.__setattr__(model, "_variables", None)
        object.__setattr__(model, "_train_state", None)


# -- the traced call --------------------------------------------------------------------------


class _CallContext:
    """Holds the variables, mode and keys while ``model.call`` runs; on the stack of
    :mod:`jnet.symbolic.context` meanwhile, so each tracked layer's call comes to
    :meth:`call` (through ``jnet.symbolic.intercept``)."""

    def __init__(self, model, params, model_state, training, rng, init_key=None):
        self.model = model
        self.params = dict(params)
        self.model_state = {col: dict(t) for col, t in model_state.items()}
        self.new_state = {col: dict(t) for col, t in model_state.items()}
        self.training = training
        self.rng = rng
        self.init_key = init_key
        self.index = {id(layer): i for i, layer in enumerate(model.layers)}
        self.calls: dict[int, int] = {}
        self.logits: dict[int, Any] = {}
        self.producers: dict[int, Any] = {}
        self.output_shapes: dict[str, Any] = {}

    def owns(self, layer: Any) -> bool:
        if id(layer) in self.index:
            return True
        raise errors.JnetValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}) is called in "
            f"{type(self.model).__name__}.call() but is not an attribute of the model: create "
            f"layers in __init__ (self.my_layer = jnet.layers.Dense(...)) and call them in "
            f"call()."
        )

    def _init_layer(self, layer, args, kwargs, i):
        key = jax.random.fold_in(self.init_key, i)
        if is_model(layer):
            if not layer._has_variables() and layer.input_shape is None:
                layer.build((None, *jnp.shape(args[0])[1:]))
            variables = layer.variables
        else:
            call_kwargs = dict(kwargs)
            call_kwargs["training"] = False
            variables = init_checked(layer, {"params": key, "dropout": key}, *args, **call_kwargs)
        for col, tree in variables.items():
            target = self.params if col == "params" else self.model_state.setdefault(col, {})
            target[layer.name] = tree
            if col != "params":
                self.new_state.setdefault(col, {})[layer.name] = tree

    def call(self, layer: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
        i = self.index[id(layer)]
        name = layer.name
        kwargs = dict(kwargs)
        training = kwargs.pop("training", None)
        training = self.training if training is None else training
        if self.init_key is not None and name not in self.params:
            self._init_layer(layer, args, kwargs, i)
        count = self.calls.get(id(layer), 0)
        self.calls[id(layer)] = count + 1
        key = None
        if self.rng is not None:
            key = jax.random.fold_in(self.rng, i)
            if count:
                key = jax.random.fold_in(key, count)
        layer_params = params_of(layer, self.params)
        state = layer_variables(self.model_state, name)
        if is_model(layer):
            y, logits, sub_new = layer.forward(
                layer_params, state, *args, training=training, rng=key
            )
            # in inference too: a Keras-style layer inside may assign (Keras keeps it)
            for col, tree in sub_new.items():
                self.new_state.setdefault(col, {})[name] = tree
            if logits is not None and not isinstance(logits, list | dict | tuple):
                self.logits[id(y)] = logits
            self._record(layer, y)
            return y
        if key is not None:
            kwargs["rngs"] = {"dropout": key}
        y, pre = apply_in_model(
            layer, layer_params, self.model_state, self.new_state, args, kwargs, training,
            split_logits=True,
        )
        if pre is not None:
            self.logits[id(y)] = pre
        self._record(layer, y)
        return y

    def _record(self, layer: Any, y: Any) -> None:
        self.producers[id(y)] = layer
        if self.init_key is not None and layer.name not in self.output_shapes:
            self.output_shapes[layer.name] = jax.tree_util.tree_map(
                lambda v: (None, *tuple(jnp.shape(v))[1:]), y
            )


def _invoke(model: Any, x: Any, training: bool) -> Any:
    call = type(model).call
    try:
        parameters = inspect.signature(call).parameters
    except (TypeError, ValueError):
        parameters = {}
    if "training" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    ):
        return model.call(x, training=training)
    return model.call(x)


def _run(context: _CallContext, x: Any) -> Any:
    with symbolic.call_context(context):
        return _invoke(context.model, x, context.training)


def forward(model, params, model_state, x, training: bool = False, rng=None):
    """``(params, model_state, x) -> (y_pred, logits, new_model_state)`` of a subclassed
    model; pure. ``logits`` is the pre-activation of a sigmoid/softmax output layer, else
    None."""
    if not model.layers and model.__dict__.get("_jnet_tracked") is None:
        raise errors.JnetValueError(
            f"Model {model.name!r} has no layers: create them as attributes in __init__ "
            f"(self.dense = jnet.layers.Dense(...)) and use them in call()."
        )
    x = jax.tree_util.tree_map(jnp.asarray, x)
    context = _CallContext(model, params, model_state, training, rng)
    y = _run(context, x)
    logits = jax.tree_util.tree_map(lambda v: context.logits.get(id(v)), y)
    if not isinstance(y, list | tuple | dict):
        logits = context.logits.get(id(y))
    return y, logits, context.new_state


def init_variables(model, key, sample_shape: Sequence[int | None]) -> dict[str, Any]:
    """Runs ``call`` once on zeros (one sample, a free axis at a stand-in size), creating each
    layer's variables at its first call; records the output shape and output activation."""
    if not hasattr(type(model), "call"):
        raise errors.JnetValueError(
            f"{type(model).__name__} has no architecture: define call(self, inputs, "
            f"training=False), or make a functional model with jnet.Model(inputs, outputs)."
        )
    x = jnp.zeros((1, *(STAND_IN if d is None else int(d) for d in sample_shape)), jnp.float32)
    context = _CallContext(model, {}, {}, False, None, init_key=key)
    y = _run(context, x)
    producer = context.producers.get(id(y))
    model.__dict__["_jnet_logits_activation"] = (
        producer.logits_activation() if producer is not None else None
    )
    if hasattr(y, "shape"):
        model.__dict__["_jnet_output_shape"] = (None, *tuple(y.shape[1:]))
    model.__dict__["_jnet_layer_shapes"] = context.output_shapes
    variables = {"params": context.params, **context.model_state}
    return variables


def parts_variables(model: Any) -> dict[str, Any] | None:
    """The variables of a model without ``call`` made of built models (a GAN of a generator
    and a discriminator, whose own ``train_step`` calls each part): each part's variables
    under its name, as a nested model's; None when the model has ``call`` or a part is not a
    built model."""
    tracked = model.__dict__.get("_jnet_tracked") or []
    if hasattr(type(model), "call") or not tracked:
        return None
    if not all(is_model(part) and part._has_variables() for part in tracked):  # noqa: SLF001
        return None
    variables: dict[str, Any] = {"params": {}}
    for part in tracked:
        for collection, tree in part.variables.items():
            variables.setdefault(collection, {})[part.name] = tree
    return variables


def build(model, input_shape: Any) -> None:
    """Creates a subclassed model's variables for inputs of ``input_shape``."""
    if input_shape is None:
        input_shape = model.input_shape
    if input_shape is None:
        raise errors.NotBuiltError(
            f"build() needs an input_shape, e.g. model.build((None, 784)); or call fit/predict "
            f"on data first (model {model.name!r})."
        )
    input_shape = tuple(input_shape)
    model.__dict__["_jnet_input_shape"] = (None, *input_shape[1:])
    object.__setattr__(
        model, "_variables", init_variables(model, jrandom.next_key(), tuple(input_shape[1:]))
    )
    object.__setattr__(model, "_train_state", None)


def summary(
    model: Any, print_fn: Any = None, line_length: Any = None, positions: Any = None
) -> None:
    """Keras's summary of a subclassed model: its layers in order, each with the output shape
    of its first call in ``call`` and its parameter count."""
    model._require_built("summary()")
    variables = model.variables
    shapes = model.__dict__.get("_jnet_layer_shapes", {})
    rows = []
    trainable = non_trainable = 0
    for layer in model.layers:
        t, nt = param_counts(layer, layer_variables(variables, layer.name))
        trainable, non_trainable = trainable + t, non_trainable + nt
        shape = shapes.get(layer.name)
        if shape is None:
            text = "?"
        elif isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
            text = summary_lib.format_shape(shape)
        else:
            flat = jax.tree_util.tree_leaves(shape, is_leaf=lambda s: isinstance(s, tuple))
            text = "[" + ", ".join(summary_lib.format_shape(s) for s in flat) + "]"
        rows.append((f"{layer.name} ({type(layer).__name__})", text, t + nt))
    summary_lib.render(
        model.name, rows, trainable, non_trainable, print_fn, line_length, positions
    )
