"""``Sequential``: a stack of layers, each feeding the next, as a pure function.

Variables are ``{'params': {layer_name: ...}, 'batch_stats': {layer_name: ...}}``; unnamed
layers get Keras's names (``dense``, ``dense_1``, ...), unique within the model.

Example:
    >>> import jnet
    >>> model = jnet.Sequential([
    ...     jnet.layers.Dense(64, activation="relu", input_shape=(10,)),
    ...     jnet.layers.Dense(1, activation="sigmoid"),
    ... ])
    >>> [layer.name for layer in model.layers]
    ['dense', 'dense_1']
    >>> model.count_params()
    769
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.layers.base import (
    Layer,
    apply_in_model,
    held_variables,
    layer_variables,
    params_of,
    with_held_values,
)
from jnet.layers.input import Input, InputLayer, KerasTensor
from jnet.models import _architecture as architecture
from jnet.models import summary as summary_lib
from jnet.models._nesting import call_nested, param_counts
from jnet.models.model import Model
from jnet.symbolic import STAND_IN, default_name, free_axes, tree_size, unique_names
from jnet.utils import random as jrandom
from jnet.utils._weight_memory import check_weights


class Sequential(Model):
    """A linear stack of layers, as ``keras.Sequential``.

    Args:
        layers: a list of jnet layers; may start with ``jnet.Input(shape=...)`` or an
            ``InputLayer``.
        name: the model's name (default: Keras's ``'sequential'``, then ``'sequential_1'``, ...
            in a session).
        trainable: False freezes the whole model (its layers keep their own flags).

    Example:
        >>> import numpy as np, jnet
        >>> model = jnet.Sequential([
        ...     jnet.Input(shape=(4,)),
        ...     jnet.layers.Dense(8, activation="relu"),
        ...     jnet.layers.Dense(1),
        ... ])
        >>> model.add(jnet.layers.Dense(2))
        >>> len(model.layers), model.predict(np.ones((3, 4)), verbose=0).shape
        (3, (3, 2))
    """

    def __init__(
        self, layers: Iterable[Any] | None = None, name: str | None = None, trainable: bool = True
    ):
        super().__init__(name=name)
        self._trainable = bool(trainable)  # Keras: the layers keep their own flags
        self._layers: list[Layer] = []
        self._input_shape: tuple[int | None, ...] | None = None
        self._output_shapes: list[tuple[int | None, ...]] = []
        if layers is not None:
            if isinstance(layers, Layer | KerasTensor):
                layers = [layers]
            for layer in layers:
                self.add(layer)

    # -- structure -------------------------------------------------------------------------

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    @property
    def variable_path_prefix(self) -> str:
        """``'<model name>/'``: Keras's ``variable.path`` of a Sequential's weights starts
        with it (``'sequential/dense/kernel'``)."""
        return f"{self.name}/"

    def add(self, layer: Any) -> None:
        """Appends a layer (or, first, an ``Input``) to the stack."""
        if isinstance(layer, KerasTensor):
            self._set_input(layer.shape, "Input")
            return
        if isinstance(layer, InputLayer):
            self._set_input((None, *tuple(layer.shape)), "InputLayer")
            return
        nested = isinstance(layer, Model)  # a model used as a layer (transfer learning)
        if not isinstance(layer, Layer) and not nested:
            raise errors.JnetTypeError(
                f"Only jnet layers can be added to a Sequential model, received "
                f"{errors.describe(layer)}. Use jnet.layers.Dense(...) and friends."
            )
        if nested:
            _check_nested(self, layer)
        else:
            layer.check_in_sequential()
        names = {lay.name for lay in self._layers}
        if layer.name is None:
            object.__setattr__(layer, "name", default_name(layer, names))
        elif layer.name in names:
            raise errors.JnetValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f"{layer.name!r} is already the name of a layer in this model."
            )
        owner_ref = getattr(layer, "_jnet_model", None)
        if not nested and (owner_ref is None or owner_ref() is None):
            # the first model holding a layer owns its weights; later ones share them
            # (jnet.models.links), as Keras's models share a layer's variables
            object.__setattr__(layer, "_jnet_model", weakref.ref(self))
        if not self._layers:
            declared = _nested_input_shape(layer) if nested else layer.declared_input_shape()
            if declared is not None:
                self._set_input((None, *declared), type(layer).__name__)
        old = self.variables if self._has_variables() else None
        self._layers.append(layer)
        if old is not None:  # keep the existing layers' weights, create the new layer's
            self.build(self._input_shape)
            merged = {col: dict(tree) for col, tree in self._variables.items()}
            for col, tree in old.items():
                merged.setdefault(col, {}).update(tree)
            self._variables = merged

    def pop(self) -> Layer:
        """Removes and returns the last layer (the model must be rebuilt)."""
        if not self._layers:
            raise errors.JnetValueError("There are no layers in the model to pop.")
        self._variables = None
        self._train_state = None
        return self._layers.pop()

    def _set_input(self, shape: Sequence[int | None], source: str) -> None:
        if self._layers:
            raise errors.JnetValueError(
                f"{source} must come first in a Sequential model, before any layer."
            )
        self._input_shape = tuple(shape)

    @property
    def input_shape(self) -> tuple[int | None, ...] | None:
        return self._input_shape

    @property
    def output_shape(self) -> tuple[int | None, ...]:
        self._require_built("output_shape")
        return self._output_shapes[-1] if self._output_shapes else self._input_shape

    def _symbolic_graph(self) -> tuple[list[KerasTensor], list[KerasTensor]]:
        """Keras 3 builds a graph for a Sequential whose input shape is known: ``inputs``,
        ``outputs`` and each layer's ``output``. Built once per model (and again when its
        layers or input shape change)."""
        cached = self.__dict__.get("_jnet_graph")
        key = (tuple(id(layer) for layer in self.layers), self.input_shape)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
        if self.input_shape is None:
            raise errors.JnetValueError(
                f"Sequential model {self.name!r} has no defined inputs yet: give its first "
                f"layer input_shape=(...) or start it with jnet.Input(shape=(...))."
            )
        x = Input(batch_shape=tuple(self.input_shape))
        unique_names([x._keras_history.layer], self.name)
        x.name = x._keras_history.layer.name
        inputs = [x]
        for layer in self.layers:
            x = layer(x)
        self.__dict__["_jnet_graph"] = (key, inputs, [x])
        return inputs, [x]

    # -- building --------------------------------------------------------------------------

    def build(self, input_shape: Sequence[int | None] | None = None) -> None:
        """Creates the weights for inputs of ``input_shape`` (batch axis first)."""
        if input_shape is None:
            input_shape = self._input_shape
        if input_shape is None:
            raise errors.NotBuiltError(
                "build() needs an input_shape, e.g. model.build((None, 784)), or give the first "
                "layer input_shape=(...)."
            )
        if not self._layers:
            raise errors.JnetValueError("A Sequential model needs at least one layer to build.")
        input_shape = tuple(input_shape)
        self._input_shape = (None, *input_shape[1:])
        self._variables = self._init_variables(
            jrandom.next_key(), tuple(input_shape[1:]), reuse=True
        )
        self._train_state = None

    def _init_variables(self, key, sample_shape, reuse: bool = False):
        """Creates every layer's variables for samples of ``sample_shape`` (batch of 1).

        A free axis (None) is traced at two stand-in sizes: output axes that follow it are
        reported as None, and a layer whose weights would depend on it is an error (Keras's
        "the last dimension of the inputs to a Dense layer should be defined"). A nested
        model keeps its own weights when ``reuse`` (``build``; they stay shared with it, see
        :mod:`jnet.models.links`), and gets fresh ones otherwise (``init``).
        """
        variables: dict[str, dict[str, Any]] = {}
        sizes = [STAND_IN, STAND_IN + 3]
        xs = [
            jax.ShapeDtypeStruct((1, *(n if d is None else d for d in sample_shape)), jnp.float32)
            for n in sizes
        ]
        shapes = []
        for i, layer in enumerate(self._layers):
            layer_key = jax.random.fold_in(key, i)
            rngs = {"params": layer_key, "dropout": layer_key}
            held = None if isinstance(layer, Model) or not reuse else self._held(layer)
            if isinstance(layer, Model):
                traced = [_trace_nested(layer, x) for x in xs]
            else:
                traced = [self._trace_layer(layer, rngs, x) for x in xs]
            (out_a, vars_a), (out_b, vars_b) = traced
            if jax.tree_util.tree_map(lambda v: v.shape, vars_a) != jax.tree_util.tree_map(
                lambda v: v.shape, vars_b
            ):
                raise errors.JnetValueError(
                    f"Layer {layer.name!r} ({type(layer).__name__}) receives inputs of shape "
                    f"{summary_lib.format_shape(free_axes(xs[0].shape, xs[1].shape))}, and the "
                    f"size of its weights depends on an axis that is not defined (None). Give "
                    f"that axis a size in Input(shape=...), or reduce it first (e.g. "
                    f"GlobalAveragePooling instead of Flatten)."
                )
            if isinstance(layer, Model):
                layer_vars = layer.variables if reuse else layer.init(layer_key)
            else:
                check_weights(layer.name, type(layer).__name__, vars_a)
                layer_vars = with_held_values(layer.init(
                    rngs, jnp.zeros(xs[0].shape, xs[0].dtype), training=False
                ), held)
            for col, tree in layer_vars.items():
                variables.setdefault(col, {})[layer.name] = tree
            shapes.append(free_axes(out_a.shape, out_b.shape))
            xs = [jax.ShapeDtypeStruct(out.shape, out.dtype) for out, _ in traced]
        variables.setdefault("params", {})
        self._output_shapes = shapes
        return variables

    def _held(self, layer: Any) -> dict[str, Any] | None:
        """The weights a layer brings when this model is built: another model's that holds
        it (shared from then on, see :mod:`jnet.models.links`), else its own when it was
        built or called before (as Keras keeps a built layer's weights), else None."""
        owner_ref = getattr(layer, "_jnet_model", None)
        owner = owner_ref() if owner_ref is not None else None
        if owner is not None and owner is not self and owner._has_variables():
            return layer_variables(owner.variables, layer.name) or None
        return held_variables(layer)

    @staticmethod
    def _trace_layer(layer, rngs, x):
        try:
            return jax.eval_shape(
                lambda s, lay=layer, r=rngs: lay.init_with_output(r, s, training=False), x
            )
        except errors.JnetError:
            raise
        except Exception as e:  # a layer rejecting its input shape
            raise errors.JnetValueError(
                f"Layer {layer.name!r} ({type(layer).__name__}) cannot take inputs of shape "
                f"{summary_lib.format_shape((None, *x.shape[1:]))}: {e}"
            ) from None

    # -- the pure function -----------------------------------------------------------------

    def logits_activation(self) -> str | None:
        """'sigmoid'/'softmax' when the last layer ends with that activation, else None."""
        return self._layers[-1].logits_activation() if self._layers else None

    def forward(self, params, model_state, x, training: bool = False, rng=None):
        """``(params, model_state, x) -> (y_pred, logits, new_model_state)``; pure.

        ``logits`` is the last layer's pre-activation output when that layer ends with a
        sigmoid or softmax, else None (XLA removes it when unused).
        """
        return self.forward_with_mask(params, model_state, x, training, rng)[:3]

    def forward_with_mask(self, params, model_state, x, training: bool = False, rng=None,
                          mask=None):
        """:meth:`forward` with Keras's mask: ``mask`` is the input's (None: none) and the
        result is ``(y_pred, logits, new_model_state, output_mask)``. A Sequential used as a
        layer of another model is called this way, so masks flow into and out of it."""
        x = jax.tree_util.tree_map(jnp.asarray, x)
        new_state: dict[str, dict[str, Any]] = {col: dict(t) for col, t in model_state.items()}
        logits = None
        # Keras's mask (e.g. from Embedding(mask_zero=True)), threaded through
        last = len(self._layers) - 1
        for i, layer in enumerate(self._layers):
            layer_input = x
            name = layer.name
            layer_params = params_of(layer, params)
            if isinstance(layer, Model):
                sub_state = layer_variables(model_state, name)
                sub_rng = None if rng is None else jax.random.fold_in(rng, i)
                x, sub_logits, sub_new, mask = call_nested(
                    layer, layer_params, sub_state, (x,), training, sub_rng, mask
                )
                # in inference too: a Keras-style layer inside may assign (Keras keeps it)
                for col, tree in sub_new.items():
                    new_state.setdefault(col, {})[name] = tree
                if i == last:
                    logits = sub_logits
                continue
            kwargs: dict[str, Any] = {}
            if mask is not None and layer.ACCEPTS_MASK:
                kwargs["mask"] = mask
            if rng is not None:
                kwargs["rngs"] = {"dropout": jax.random.fold_in(rng, i)}
            x, layer_logits = apply_in_model(
                layer, layer_params, model_state, new_state, (x,), kwargs, training,
                split_logits=i == last,
            )
            if layer_logits is not None:
                logits = layer_logits
            mask = layer.compute_mask(layer_input, mask)
        return x, logits, new_state, mask

    # -- saving ----------------------------------------------------------------------------

    def architecture_config(self) -> dict[str, Any]:
        """``{'class_name': 'Sequential', 'config': {name, input_shape, layers}}``."""
        return {"class_name": "Sequential", "config": architecture.sequential_config(self)}

    @classmethod
    def from_architecture(cls, config: Any, custom_objects: Any = None) -> Sequential:
        """The model, unbuilt, of :meth:`architecture_config`'s ``config``."""
        return architecture.sequential_from_config(cls, config, custom_objects)

    # -- display ---------------------------------------------------------------------------

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs) -> None:
        """Prints Keras's summary table: layers, output shapes, parameter counts."""
        self._require_built("summary()")
        variables = self.variables
        rows = []
        trainable = non_trainable = 0
        for layer, shape in zip(self._layers, self._output_shapes, strict=True):
            own = layer_variables(variables, layer.name)
            n_params = tree_size(own.get("params", {}))
            n_state = sum(tree_size(t) for c, t in own.items() if c != "params")
            if isinstance(layer, Model) and self.trainable:  # counts its frozen layers
                t, nt = param_counts(layer, own)
                trainable, non_trainable = trainable + t, non_trainable + nt
            elif self.trainable and layer.trainable:
                trainable += n_params
                non_trainable += n_state
            else:
                non_trainable += n_params + n_state
            rows.append(
                (f"{layer.name} ({type(layer).__name__})", summary_lib.format_shape(shape),
                 n_params + n_state)
            )
        summary_lib.render(
            self.name, rows, trainable, non_trainable, print_fn, line_length, positions
        )


def _check_nested(model: Sequential, nested: Model) -> None:
    if nested is model:
        raise errors.JnetValueError(f"Sequential model {model.name!r} cannot contain itself.")
    if nested.input_shape is not None and not isinstance(nested.input_shape, tuple):
        raise errors.JnetValueError(
            f"Model {nested.name!r} has several inputs ({nested.input_shape}) and cannot be a "
            f"step of a Sequential model; use the functional API (jnet.Model(inputs, outputs))."
        )
    if nested.input_shape is not None and nested._has_variables():
        shapes = nested.output_shape
        if isinstance(shapes, list):
            raise errors.JnetValueError(
                f"Model {nested.name!r} has several outputs and cannot be a step of a "
                f"Sequential model; use the functional API (jnet.Model(inputs, outputs))."
            )


def _nested_input_shape(nested: Model) -> tuple[int | None, ...] | None:
    """The per-sample input shape a model given as a Sequential's first entry declares."""
    shape = nested.input_shape
    return None if shape is None else tuple(shape[1:])


def _trace_nested(nested: Model, x: jax.ShapeDtypeStruct):
    """``(output_spec, {})`` of a nested model on inputs like ``x`` (built from ``x`` when it
    has no weights yet)."""
    if not nested._has_variables() and nested.input_shape is None:
        nested.build((None, *x.shape[1:]))
    variables = dict(nested.variables)
    params = variables.pop("params", {})
    try:
        out = jax.eval_shape(lambda v: nested.forward(params, variables, v)[0], x)
    except errors.JnetError:
        raise
    except Exception as e:
        raise errors.JnetValueError(
            f"Model {nested.name!r} ({type(nested).__name__}) cannot take inputs of shape "
            f"{summary_lib.format_shape((None, *x.shape[1:]))}: {e}"
        ) from None
    return out, {}

