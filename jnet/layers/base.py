"""The base of every jnet layer: a Flax linen module that also speaks Keras.

A jnet layer *is* a ``flax.linen.Module``: it can be used inside any linen model, and
``layer.init``/``layer.apply`` work as in Flax. On top, it carries what Keras users rely on:

* ``input_shape`` / ``input_dim`` (keyword-only) on the first layer of a ``Sequential``;
* ``trainable`` (keyword-only);
* ``name`` (Flax's own field; a ``Sequential`` gives unnamed layers Keras's names
  ``dense``, ``dense_1``, ...);
* ``KERAS_WEIGHTS``: where each of Keras's weights lives in the layer's variables, in Keras's
  order, so ``get_weights``/``set_weights`` move weights between Keras and jnet unchanged;
* ``get_config()``: the constructor arguments, as Keras returns them.

Every layer's ``__call__`` takes ``(inputs, training=False)``. Called on arrays outside a
model, a layer runs eagerly on weights it keeps (:mod:`jnet.layers._eager`).

One concept, one file: what a built-in layer is to the rest of jnet (the Flax module with
Keras's view of its weights, penalties and masks) together with the few functions that apply
one layer inside a model's forward (``apply_in_model``, ``params_of``, ``layer_variables``),
which every model kind and the Keras-style layers share.

Example:
    >>> import jax, jax.numpy as jnp
    >>> import jnet
    >>> layer = jnet.layers.Dense(3)
    >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 4)))
    >>> [w.shape for w in layer.keras_weights(variables)]
    [(4, 3), (3,)]
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import (
    _typing,
    activations,
    constraints,
    dtype_policies,
    errors,
    initializers,
    regularizers,
    symbolic,
)
from jnet.layers import _autocast, _eager
from jnet.layers._layer_kind import LayerMeta

WeightPath = tuple[str, ...]

_BASE_FIELDS = ("input_shape", "input_dim", "trainable", "_dtype")


class Layer(nn.Module, metaclass=LayerMeta):
    """Base class of jnet layers (a Flax linen module with Keras's extras).

    A subclass written the Keras way (``__init__`` with ``super().__init__(**kwargs)``,
    ``build``, ``add_weight``, ``call``) is a Keras-style layer instead
    (:class:`jnet.layers.keras_layer.KerasLayer`); ``isinstance(x, Layer)`` holds for both
    (:mod:`jnet.layers._layer_kind`).

    Args:
        input_shape: shape of one sample, without the batch dimension (keyword-only).
        input_dim: Keras 2's shorthand for ``input_shape=(input_dim,)`` (keyword-only).
        trainable: whether the optimizer updates this layer's weights (keyword-only).
        dtype: the layer's dtype policy (keyword-only): a ``DTypePolicy``, its name
            (``'mixed_float16'``, ``'mixed_bfloat16'``, ``'float32'``, ...) or its config
            dict. Defaults to the global policy (``jnet.config.dtype_policy()``); a sublayer
            made inside another layer computes under that layer's.
        name: the layer's name; unique names are assigned by the model when omitted.
    """

    _JNET_LAYER_BASE: ClassVar[bool] = True  # the class LayerMeta swaps for Keras-style ones

    input_shape: _typing.Shape | None = dataclasses.field(default=None, kw_only=True)
    input_dim: int | None = dataclasses.field(default=None, kw_only=True)
    trainable: bool = dataclasses.field(default=True, kw_only=True)
    #: The ``dtype=`` argument, as a DTypePolicy (None: a sublayer's, the enclosing layer's).
    _dtype: Any = dataclasses.field(default=None, kw_only=True)

    #: Whether, under a mixed policy, the layer computes in its compute dtype (inputs and
    #: weights cast to it). False: it computes in its variable dtype (float32) and casts its
    #: output to the compute dtype, as Keras's normalization and embedding layers do.
    AUTOCAST: ClassVar[bool] = True

    #: (collection, name) of each Keras weight, in Keras's order. Paths absent from the
    #: variables (a bias with use_bias=False) are skipped.
    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = ()

    #: Whether the layer passes a Keras mask (``(batch, time)`` booleans) through unchanged,
    #: as Keras's ``supports_masking=True`` layers do. Other layers drop the mask.
    SUPPORTS_MASKING: ClassVar[bool] = False
    #: Whether ``__call__`` takes ``mask=`` (RNNs, Bidirectional, TimeDistributed, ...);
    #: ``Sequential`` passes the incoming mask to such layers.
    ACCEPTS_MASK: ClassVar[bool] = False

    #: ``(path in the layer's params, regularizer field, constraint field)`` for each weight
    #: that takes Keras's ``*_regularizer`` / ``*_constraint`` arguments (None: no such field).
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = ()

    #: Whether the layer may update its non-trainable variables in inference mode too (a
    #: Keras-style layer's ``assign`` in ``call``). Built-in layers update theirs (moving
    #: statistics) only when training, so a model applies them read-only in inference.
    STATE_IN_INFERENCE: ClassVar[bool] = False
    #: The training mode of a direct eager call that passes no ``training`` (or None): True
    #: for the random preprocessing layers, whose Keras ``call`` defaults ``training=True``.
    #: Inside a model (``fit``/``predict``/``evaluate``, a model call) the model's mode rules.
    EAGER_TRAINING: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)  # Flax makes the class a dataclass here
        generated = cls.__dict__.get("__init__")
        if generated is not None and not getattr(generated, "_jnet_checked", False):
            cls.__init__ = _explain_unknown_keywords(cls, generated)

    def __setattr__(self, name: str, value: Any) -> None:
        # Keras's ``layer.trainable = False``: the one field that may change after
        # construction, even on a bound layer (it takes effect at the next compile()).
        if name == "trainable":
            object.__setattr__(self, name, bool(value))
            return
        super().__setattr__(name, value)

    def __post_init__(self):
        if self.input_shape is not None:
            _check_shape("input_shape", self.input_shape, type(self).__name__)
        if self.input_dim is not None and (
            not isinstance(self.input_dim, int | np.integer) or self.input_dim <= 0
        ):
            raise errors.JnetValueError(
                f"{type(self).__name__}: input_dim must be a positive integer, received "
                f"{self.input_dim!r}."
            )
        super().__post_init__()
        if self._dtype is not None:
            policy = _resolve(dtype_policies.get, self._dtype, "dtype", type(self).__name__)
            object.__setattr__(self, "_dtype", policy)
        elif not isinstance(self.parent, nn.Module):
            # Keras takes the global policy when the layer is made (a clone keeps it).
            object.__setattr__(self, "_dtype", dtype_policies.get(None))

    # -- dtype policy (mixed precision) ---------------------------------------------------------

    @property
    def dtype_policy(self) -> Any:
        """The layer's :class:`jnet.dtype_policies.DTypePolicy` (a ``DTypePolicyMap``'s
        entry for the layer's name when ``dtype=`` is a map)."""
        policy = self._dtype if self._dtype is not None else dtype_policies.get(None)
        if isinstance(policy, dtype_policies.DTypePolicyMap):
            return policy[self.name or ""]
        return policy

    @property
    def compute_dtype(self) -> str:
        """The dtype the layer computes in and outputs (``'float16'`` under
        ``'mixed_float16'``)."""
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's weights (``'float32'`` under ``'mixed_float16'``)."""
        return self.dtype_policy.variable_dtype

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights, as Keras's ``layer.dtype``."""
        return self.dtype_policy.variable_dtype

    @nn.nowrap
    def param(self, name: str, init_fn: Any, *init_args: Any, **init_kwargs: Any) -> Any:
        """Flax's ``param``, with the weight kept in the policy's variable dtype and read
        in its compute dtype (Keras's autocast): float32 weights compute in float16 under
        ``'mixed_float16'``."""
        init_fn = _autocast.variable_initializer(init_fn)
        return _autocast.read_param(super().param(name, init_fn, *init_args, **init_kwargs))

    # -- symbolic calls (the functional API) and calls inside a subclassed model's call() ------

    @nn.nowrap
    def _call_wrapped_method(self, fun, args, kwargs):
        # Flax routes every wrapped method call through here. An unbound layer's __call__ on
        # KerasTensors records a graph node; inside a subclassed model's forward it is applied
        # with the model's variables (both routed by jnet.symbolic.intercept).
        # Otherwise an unbound layer called on arrays runs eagerly (Keras: it builds on its
        # first call and keeps its weights).
        if self.scope is None and getattr(fun, "__name__", None) == "__call__":
            handled, result = symbolic.intercept(self, args, kwargs)
            if handled:
                return result
            return _eager.eager_call(self, args, kwargs)
        name = getattr(fun, "__name__", None) or ""
        if self.scope is None or (name.startswith("__") and name != "__call__"):
            # unbound helpers, __setattr__, __post_init__, ...: no layer call
            return super()._call_wrapped_method(fun, args, kwargs)
        # The layer-call boundary: the call runs under the layer's dtype policy, its float
        # inputs cast to the compute dtype (Keras's autocast; nothing to do under float32).
        own = self._dtype
        if isinstance(own, dtype_policies.DTypePolicyMap):
            own = own[self.name or ""]
        policy = _autocast.layer_policy(own)
        if policy.compute_dtype == "float32" or name != "__call__":
            with _autocast.policy_scope(policy):
                return super()._call_wrapped_method(fun, args, kwargs)
        if not self.AUTOCAST:  # computes in its variable dtype, outputs the compute dtype
            with _autocast.policy_scope(dtype_policies.get(policy.variable_dtype)):
                y = super()._call_wrapped_method(fun, args, kwargs)
            return _autocast.cast_floats(y, policy.compute_dtype)
        args = _autocast.cast_floats(args, policy.compute_dtype)
        kwargs = _autocast.cast_floats(kwargs, policy.compute_dtype)
        with _autocast.policy_scope(policy):
            return super()._call_wrapped_method(fun, args, kwargs)

    @nn.nowrap
    def _symbolic_apply(self, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """``(outputs, variables)`` of a call on arrays, for ``jnet.symbolic.symbolic_call``
        (run under ``jax.eval_shape``): Flax's ``init_with_output``, not training."""
        kwargs = dict(kwargs)
        kwargs.setdefault("training", False)
        key = jax.random.key(0)
        return self.init_with_output({"params": key, "dropout": key}, *args, **kwargs)

    @property
    def _inbound_nodes(self) -> list[Any]:
        """The recorded calls of this layer on symbolic tensors (Keras's ``_inbound_nodes``)."""
        return symbolic.inbound_nodes(self)

    @property
    def output(self) -> Any:
        """The symbolic output of this layer's first call on KerasTensors (Keras's
        ``layer.output``), e.g. to build a model over intermediate activations."""
        return symbolic.node_attribute(self, "output")

    @property
    def input(self) -> Any:
        """The symbolic input of this layer's first call on KerasTensors."""
        return symbolic.node_attribute(self, "input")

    # -- regularizers and constraints ---------------------------------------------------------

    @nn.nowrap
    def apply(self, variables, *args, **kwargs):
        """Flax's ``apply``; while training or evaluation collects activity penalties
        (:func:`collect_activity`), also records this layer's ``activity_regularizer`` of its
        output (divided by the batch size, as Keras does)."""
        out = super().apply(variables, *args, **kwargs)
        if _ACTIVITY and kwargs.get("method") is None:
            regularizer = regularizers.get(getattr(self, "activity_regularizer", None))
            if regularizer is not None:
                y = out[0] if kwargs.get("mutable", False) is not False else out
                dropped = self.__dict__.get("_jnet_dropped_activation")
                if dropped is not None:  # the model took the activation out (logits)
                    y = activations.get(dropped)(y)
                _ACTIVITY[-1].extend(_activity_penalties(regularizer, y))
        return out

    @nn.nowrap
    def _penalty_rules(self, which: int) -> list[tuple[WeightPath, Any]]:
        rules = []
        for entry in self.WEIGHT_PENALTIES:
            field = entry[which]
            value = getattr(self, field, None) if field else None
            if value is not None:
                get = regularizers.get if which == 1 else constraints.get
                rules.append((entry[0], get(value)))
        return rules

    @nn.nowrap
    def has_weight_regularizers(self) -> bool:
        """Whether any of this layer's weights has a regularizer."""
        return bool(self._penalty_rules(1))

    @nn.nowrap
    def has_constraints(self) -> bool:
        """Whether any of this layer's weights has a constraint."""
        return bool(self._penalty_rules(2))

    @nn.nowrap
    def regularization_loss(self, params: Mapping[str, Any]) -> Any:
        """The sum of this layer's weight penalties on ``params`` (its own ``'params'``
        collection), or None when it has no weight regularizer."""
        total = None
        for path, regularizer in self._penalty_rules(1):
            if _has_path(params, path):
                value = jnp.asarray(regularizer(_get_path(params, path)), jnp.float32)
                total = value if total is None else total + value
        return total

    @nn.nowrap
    def apply_constraints(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` (this layer's) with each constrained weight projected, as Keras does
        after every optimizer update."""
        out = _to_dict(params)
        for path, constraint in self._penalty_rules(2):
            if _has_path(out, path):
                old = _get_path(out, path)
                _set_path(out, path, jnp.asarray(constraint(old)).astype(old.dtype))
        return out

    @nn.nowrap
    def _check_penalty_arguments(self) -> None:
        """Resolves every regularizer/constraint field (unknown names raise)."""
        owner = type(self).__name__
        names = [e[1] for e in self.WEIGHT_PENALTIES if e[1]]
        if "activity_regularizer" in {f.name for f in dataclasses.fields(self)}:
            names.append("activity_regularizer")
        for name in names:
            _resolve(regularizers.get, getattr(self, name), name, owner)
        for name in [e[2] for e in self.WEIGHT_PENALTIES if e[2]]:
            _resolve(constraints.get, getattr(self, name), name, owner)

    # -- masking ------------------------------------------------------------------------------

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The mask of this layer's output, given its ``inputs`` and their ``mask``.

        Keras's rule: a layer that supports masking passes the mask on unchanged; any other
        layer drops it (returns None). Layers that make or change masks override this.
        """
        return mask if self.SUPPORTS_MASKING else None

    @nn.nowrap
    def check_in_sequential(self) -> None:
        """Raises a JnetValueError when this layer cannot be a step of a ``Sequential``
        (e.g. it returns several outputs); called by ``Sequential.add``."""

    # -- Keras's view of the layer ------------------------------------------------------------

    @nn.nowrap
    def declared_input_shape(self) -> tuple[int | None, ...] | None:
        """The per-sample input shape given by ``input_shape`` or ``input_dim``, if any."""
        if self.input_shape is not None:
            return tuple(None if d is None else int(d) for d in self.input_shape)
        if self.input_dim is not None:
            return (int(self.input_dim),)
        return None

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, Keras-style (``name``, ``trainable`` and the fields)."""
        config: dict[str, Any] = {
            "name": self.name, "trainable": self.trainable,
            "dtype": dtype_policies.serialize(
                self._dtype if isinstance(self._dtype, dtype_policies.DTypePolicyMap)
                else self.dtype_policy),
        }
        for field in dataclasses.fields(self):
            if field.name in ("parent", "name") or field.name in _BASE_FIELDS:
                continue
            config[field.name] = _serializable(getattr(self, field.name))
        for name in self._penalty_fields():
            value = getattr(self, name)
            if value is not None and not isinstance(value, dict):
                get, serialize = (
                    (regularizers.get, regularizers.serialize) if name.endswith("_regularizer")
                    else (constraints.get, constraints.serialize)
                )
                config[name] = serialize(get(value))
        shape = self.declared_input_shape()
        if shape is not None:
            config["input_shape"] = shape
        return config

    @nn.nowrap
    def _penalty_fields(self) -> list[str]:
        names = [n for entry in self.WEIGHT_PENALTIES for n in entry[1:] if n]
        if "activity_regularizer" in {f.name for f in dataclasses.fields(self)}:
            names.append("activity_regularizer")
        return names

    @nn.nowrap
    def weight_paths(self, variables: Mapping[str, Any]) -> list[WeightPath]:
        """The Keras-ordered paths of the weights present in this layer's ``variables``."""
        return [path for path in self.KERAS_WEIGHTS if _has_path(variables, path)]

    @nn.nowrap
    def keras_weights(self, variables: Mapping[str, Any]) -> list[np.ndarray]:
        """This layer's weights as numpy arrays, in Keras's order and layout."""
        return [np.asarray(_get_path(variables, p)) for p in self.weight_paths(variables)]

    @nn.nowrap
    def set_keras_weights(
        self, variables: Mapping[str, Any], weights: Sequence[Any]
    ) -> dict[str, Any]:
        """Returns ``variables`` with Keras-ordered ``weights`` put in place (shapes checked)."""
        paths = self.weight_paths(variables)
        if len(weights) != len(paths):
            raise errors.JnetValueError(
                f"Layer {self.name!r} ({type(self).__name__}) expects {len(paths)} weights "
                f"({', '.join('/'.join(p) for p in paths) or 'none'}), received {len(weights)}."
            )
        out = _to_dict(variables)
        for path, value in zip(paths, weights, strict=True):
            old = _get_path(out, path)
            value = np.asarray(value)
            if tuple(value.shape) != tuple(old.shape):
                raise errors.JnetValueError(
                    f"Layer {self.name!r} ({type(self).__name__}): weight {'/'.join(path)} has "
                    f"shape {tuple(old.shape)}, received an array of shape {tuple(value.shape)}."
                )
            _set_path(out, path, jnp.asarray(value, dtype=old.dtype))
        return out

    @nn.nowrap
    def _owner(self, what: str):
        ref = getattr(self, "_jnet_model", None)
        model = ref() if ref is not None else None
        if model is None:
            raise errors.NotBuiltError(
                f"Layer {self.name!r} has no weights of its own: add it to a model "
                f"(jnet.Sequential([...])) and build it before calling {what}."
            )
        return model

    @nn.nowrap
    def _eager_only(self) -> bool:
        """Whether this layer holds its own variables (called eagerly) and no model owns it."""
        ref = getattr(self, "_jnet_model", None)
        model = ref() if ref is not None else None
        return model is None and _eager.eager_variables(self) is not None

    @property
    def weights(self) -> list[Any]:
        """All weights, Keras's order: the layer's own ``jnet.Variable`` objects after an eager
        call; in a model, the model's values (numpy arrays)."""
        if self._eager_only():
            return _eager.eager_weights(self)
        return self.get_weights()

    @nn.nowrap
    def get_weights(self) -> list[np.ndarray]:
        """This layer's weights in its model (or its own, after an eager call outside a model),
        in Keras's order (``[kernel, bias]``)."""
        if self._eager_only():
            return self.keras_weights(_eager.eager_variables(self))
        model = self._owner("get_weights()")
        model._require_built("get_weights()")
        return self.keras_weights(layer_variables(model.variables, self.name))

    @nn.nowrap
    def set_weights(self, weights: Sequence[Any]) -> None:
        """Sets this layer's weights in its model (or its own, after an eager call outside a
        model) from a list in Keras's order."""
        if self._eager_only():
            own = _eager.eager_variables(self)
            _eager.set_eager_variables(self, self.set_keras_weights(own, weights))
            return
        model = self._owner("set_weights()")
        model._require_built("set_weights()")
        variables = model.variables
        updated = self.set_keras_weights(layer_variables(variables, self.name), weights)
        model._set_variables(with_layer_variables(variables, self.name, updated))

    @nn.nowrap
    def count_params(self) -> int:
        """Number of scalars in this layer's weights."""
        return int(sum(np.size(w) for w in self.get_weights()))

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """This layer's trainable weights in its model (none when frozen), Keras's order."""
        return [w for train, w in self._split_weights("trainable_weights") if train]

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        """This layer's other weights (all of them when frozen), in Keras's order."""
        return [w for train, w in self._split_weights("non_trainable_weights") if not train]

    @nn.nowrap
    def _split_weights(self, what: str) -> list[tuple[bool, Any]]:
        if self._eager_only():
            return [(self.trainable and v.trainable, v) for v in _eager.eager_weights(self)]
        model = self._owner(what)
        model._require_built(what)
        own = layer_variables(model.variables, self.name)
        return [
            (self.trainable and path[0] == "params", np.asarray(_get_path(own, path)))
            for path in self.weight_paths(own)
        ]

    @nn.nowrap
    def logits_activation(self) -> str | None:
        """'sigmoid' or 'softmax' when this layer's output is that activation of its
        pre-activation output (for the TensorFlow backend's cross-entropy shortcut)."""
        if "activation" not in {f.name for f in dataclasses.fields(self)}:
            return None
        return activations.logits_activation(activations.get(self.activation))

    @nn.nowrap
    def without_activation(self) -> Layer:
        """A copy of this layer whose activation is linear (same variables)."""
        clone = self.clone(activation=None, parent=None)
        if getattr(self, "activity_regularizer", None) is not None:
            # The activity penalty is on the activated output: the clone's apply adds it back.
            object.__setattr__(clone, "_jnet_dropped_activation", self.activation)
        return clone


#: Open activity-penalty collections (a stack: the innermost collects).
_ACTIVITY: list[list[Any]] = []


@contextlib.contextmanager
def collect_activity(enabled: bool = True):
    """Collects the activity penalties of the layers applied inside the block.

    Yields a list that fills with float32 scalars (one per layer output) while the block runs,
    e.g. around a model's forward inside a train step. With ``enabled=False`` it yields None
    and records nothing.

    Example:
        >>> import jax, jax.numpy as jnp, jnet
        >>> layer = jnet.layers.Dense(2, kernel_initializer="ones", activity_regularizer="l2")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 2)))
        >>> with collect_activity() as penalties:
        ...     _ = layer.apply(variables, jnp.ones((4, 2)))
        >>> [round(float(p), 4) for p in penalties]
        [0.08]
    """
    if not enabled:
        yield None
        return
    collected: list[Any] = []
    _ACTIVITY.append(collected)
    try:
        yield collected
    finally:
        _ACTIVITY.pop()


def _activity_penalties(regularizer: Any, y: Any) -> list[Any]:
    penalties = []
    for output in jax.tree_util.tree_leaves(y):
        value = jnp.asarray(regularizer(output), jnp.float32)
        if jnp.ndim(output) > 0:
            batch = jnp.asarray(jnp.shape(output)[0], jnp.float32)
            value = jnp.where(batch != 0, value / jnp.where(batch != 0, batch, 1.0), 0.0)
        penalties.append(value)
    return penalties


def _resolve(get: Any, value: Any, name: str, owner: str) -> Any:
    try:
        return get(value)
    except errors.JnetError as e:
        raise type(e)(f"{owner}: {name}: {e}") from None


def _explain_unknown_keywords(cls: type, init: Any) -> Any:
    """``init`` raising a jnet error that names the nearest argument for a misspelt keyword
    (``Dense(3, activaton='relu')``) instead of the dataclass's bare TypeError. The check runs
    only when ``init`` fails, so construction costs nothing more."""

    has_dtype_field = "dtype" in {f.name for f in dataclasses.fields(cls)}

    @functools.wraps(init)
    def checked_init(self, *args, **kwargs):
        if "dtype" in kwargs and not has_dtype_field:  # Keras's dtype= is the policy
            kwargs["_dtype"] = kwargs.pop("dtype")
        try:
            init(self, *args, **kwargs)
        except TypeError as e:
            if isinstance(e, errors.JnetError):
                raise
            fields = [f.name for f in dataclasses.fields(cls) if f.init]
            unknown = [k for k in kwargs if k not in fields]
            if not unknown:
                raise
            valid = [f if f != "_dtype" else "dtype" for f in fields if f != "parent"]
            raise errors.unknown_arguments(cls.__name__, unknown, valid) from None

    checked_init._jnet_checked = True
    return checked_init


def layer_variables(variables: Mapping[str, Any], name: str) -> dict[str, Any]:
    """One layer's variables, ``{collection: variables[collection][name]}``, from a model's."""
    return {col: tree[name] for col, tree in variables.items() if name in tree}


#: What a layer holds before a model takes it, and a model's new entry for it with those
#: values kept (see :mod:`jnet.layers._eager`): a built layer keeps its weights in a model.
held_variables = _eager.held_variables
with_held_values = _eager.with_held_values


def with_layer_variables(
    variables: Mapping[str, Any], name: str, layer_vars: Mapping[str, Any]
) -> dict[str, Any]:
    """A copy of a model's ``variables`` with layer ``name``'s replaced by ``layer_vars``."""
    new = {col: dict(tree) for col, tree in variables.items()}
    for col, tree in layer_vars.items():
        new.setdefault(col, {})[name] = tree
    return new


def params_of(layer: Any, params: Mapping[str, Any]) -> Any:
    """Layer ``layer``'s entry of a model's ``params`` ({} if none), gradient-stopped when the
    layer is frozen (``trainable=False``), as a model's forward pass reads it.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> layer = jnet.layers.Dense(1, name="d", trainable=False)
        >>> params_of(layer, {"d": {"kernel": jnp.ones((2, 1))}})["kernel"].shape
        (2, 1)
    """
    own = params.get(layer.name, {})
    return own if layer.trainable else jax.lax.stop_gradient(own)


def apply_in_model(
    layer: Layer,
    layer_params: Any,
    model_state: Mapping[str, Any],
    new_state: dict[str, dict[str, Any]],
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    training: bool,
    split_logits: bool = False,
) -> tuple[Any, Any]:
    """Applies ``layer`` as one step of a model's forward pass.

    The layer's variables are ``layer_params`` and its entries of the model's other
    collections (``model_state[col][layer.name]``). When it has such state and ``training``
    (or the layer's ``STATE_IN_INFERENCE``: Keras-style layers, whose ``call`` may ``assign``
    in inference too), those collections are mutable and their updates go to
    ``new_state[col][layer.name]``.
    With ``split_logits`` and a layer ending with sigmoid or softmax, the layer runs without
    its activation and the activation is applied after, so that its pre-activation output
    (the logits the TensorFlow backend's cross-entropy reads) comes back too.

    Args:
        layer: a jnet layer (not a model).
        layer_params: its params (see :func:`params_of`).
        model_state: the model's non-trainable collections, ``{col: {layer_name: tree}}``.
        new_state: the model's updated collections, written in place.
        args: the positional inputs.
        kwargs: other call arguments (``mask``, ``rngs``, ...), ``training`` excepted.
        training: training mode.
        split_logits: return the pre-activation output where the layer has one.

    Returns:
        ``(y, logits)``: the layer's output, and its pre-activation output (None unless
        ``split_logits`` and the layer ends with sigmoid or softmax).

    Example:
        >>> import jax, jax.numpy as jnp, jnet
        >>> layer = jnet.layers.Dense(1, activation="sigmoid", name="d")
        >>> params = layer.init(jax.random.key(0), jnp.ones((1, 2)))["params"]
        >>> y, logits = apply_in_model(layer, params, {}, {}, (jnp.ones((1, 2)),), {}, False,
        ...                            split_logits=True)
        >>> bool(jnp.allclose(y, jax.nn.sigmoid(logits)))
        True
    """
    name = layer.name
    state = layer_variables(model_state, name)
    variables = {"params": layer_params, **state}
    module, activation = layer, None
    if split_logits and layer.logits_activation() is not None:
        module = layer.without_activation()
        activation = activations.get(layer.activation)
    if state and (training or layer.STATE_IN_INFERENCE):
        y, updates = module.apply(
            variables, *args, training=training, mutable=list(state), **kwargs
        )
        for col, tree in updates.items():
            new_state.setdefault(col, {})[name] = tree[name] if name in tree else tree
    else:
        y = module.apply(variables, *args, training=training, **kwargs)
    if activation is None:
        return y, None
    return activation(y), y


def cast_inputs(inputs: Any) -> jnp.ndarray:
    """Casts layer inputs to the compute dtype of the layer call in progress (float32 under
    the default policy), as Keras casts inputs to the layer's compute dtype."""
    inputs = jnp.asarray(inputs)
    dtype = _autocast.compute_dtype()
    if inputs.dtype != dtype:
        inputs = inputs.astype(dtype)
    return inputs


def _check_shape(argument: str, shape: Any, owner: str) -> None:
    if isinstance(shape, int | np.integer):
        raise errors.JnetTypeError(
            f"{owner}: {argument} must be a tuple, received the integer {shape}. "
            f"Write {argument}=({shape},) for one feature axis."
        )
    try:
        dims = tuple(shape)
    except TypeError:
        raise errors.JnetTypeError(
            f"{owner}: {argument} must be a tuple of positive integers, received {shape!r}."
        ) from None
    for d in dims:
        if d is not None and (not isinstance(d, int | np.integer) or d <= 0):
            raise errors.JnetValueError(
                f"{owner}: {argument} must be a tuple of positive integers (None for a free "
                f"axis), received {shape!r}."
            )


def _serializable(value: Any) -> Any:
    if callable(value):
        name = activations.serialize(value)
        if name is not None:
            return name
        if hasattr(value, "get_config"):
            return initializers.serialize(value)
        return getattr(value, "__name__", repr(value))
    if isinstance(value, list):
        return tuple(value)
    return value


def _has_path(tree: Mapping[str, Any], path: WeightPath) -> bool:
    node: Any = tree
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False
        node = node[key]
    return True


def _get_path(tree: Mapping[str, Any], path: WeightPath) -> Any:
    node: Any = tree
    for key in path:
        node = node[key]
    return node


def _set_path(tree: dict[str, Any], path: WeightPath, value: Any) -> None:
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _to_dict(tree: Any) -> Any:
    if isinstance(tree, Mapping):
        return {k: _to_dict(v) for k, v in tree.items()}
    return tree
