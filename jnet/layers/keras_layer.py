"""Keras-style layers: ``class Linear(jnet.layers.Layer)`` with ``build``, ``add_weight`` and
``call``, written as in Keras 3.

Built-in jnet layers are Flax modules (frozen dataclasses, variables passed in). A layer
written the Keras way sets attributes in ``__init__``, creates ``jnet.Variable`` objects in
``build`` and reads them in ``call``, which a frozen Flax module cannot do. So such a subclass
gets this base instead (``jnet.layers.Layer``'s metaclass swaps it in when the class body
defines ``call`` or ``__init__`` but no ``__call__``; ``isinstance(x, jnet.layers.Layer)``
holds for both kinds). Keeping one public name with two bases, rather than renaming the Flax
base, leaves every built-in layer and every existing ``isinstance`` check as it was.

The layer is an object with Variables, as in Keras; the engine sees it as a Flax module by
duck typing, as Keras's own JAX backend does with its stateless scopes:

* ``init(key, x)`` builds the layer (once, eagerly, even under tracing) and returns fresh
  values drawn from ``key``: ``{'params': {weight: ...}, 'non_trainable': {...}}``, with each
  sublayer's variables under its name (``{'params': {'dense': {'kernel': ...}}}``);
* ``apply(variables, x, training=..., mutable=..., rngs=...)`` runs ``call`` inside a
  :class:`jnet.variables.StatelessScope` that maps the Variables to the given values (traced
  values under ``jit``), so ``call`` stays pure; non-trainable Variables changed with
  ``assign`` come back as the updated ``non_trainable`` collection when ``mutable`` (model
  state, carried through the compiled step); sublayers are applied with their entries
  (:mod:`jnet.layers._keras_context`); ``SeedGenerator`` attributes draw from the engine's
  dropout key;
* ``weight_paths`` / ``keras_weights`` / ``set_keras_weights`` follow Keras's weight order (own
  trainable weights in creation order, own non-trainable ones, then each sublayer's), so
  ``get_weights``/``set_weights``, saving and summaries work unchanged.

Called on arrays outside a model, the layer runs eagerly on its own Variables (``assign``
updates them, as in Keras). In a model the model's variables rule: ``get_weights()`` and
``weights`` read them.

Losses given to ``add_loss`` go into ``layer.losses`` on an eager call, and into the training
loss inside ``fit`` (jnet's activity-penalty collection, see
:func:`jnet.layers.base.collect_activity`).

Example:
    >>> import numpy as np, jnet
    >>> class Linear(jnet.layers.Layer):
    ...     def __init__(self, units=2, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.units = units
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1], self.units),
    ...                                  initializer="ones")
    ...         self.b = self.add_weight(shape=(self.units,), initializer="zeros")
    ...     def call(self, inputs):
    ...         return jnet.ops.add(jnet.ops.matmul(inputs, self.w), self.b)
    >>> layer = Linear(3)
    >>> layer(np.ones((2, 4), "float32")).tolist()
    [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]
    >>> [tuple(w.shape) for w in layer.weights], isinstance(layer, jnet.layers.Layer)
    ([(4, 3), (3,)], True)
"""

from __future__ import annotations

import dataclasses
import inspect
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import constraints, dtype_policies, errors, initializers, regularizers, symbolic
from jnet.layers import _eager, _layer_kind, base
from jnet.layers import _keras_context as context
from jnet.layers._keras_engine import STATE, EngineMixin
from jnet.layers._keras_slots import ModelSlot
from jnet.layers._model_part import ModelPart, is_model
from jnet.random import SeedGenerator
from jnet.symbolic import default_name, snake_case
from jnet.variables import Variable

__all__ = ["KerasLayer"]

_BASE_KEYWORDS = ("activity_regularizer", "trainable", "dtype", "autocast", "name",
                  "input_shape", "input_dim", "batch_input_shape", "batch_size", "input_spec")
_BASIC = (int, float, str, bool, type(None))


@dataclasses.dataclass
class _Weight:
    key: str  # its name in the layer's variables
    variable: Variable
    initializer: Any  # re-run by init(key); None for a Variable given as an attribute
    auto_key: bool  # named by add_weight's counter: renamed to the attribute it is set to
    regularizer: Any = None
    constraint: Any = None


def _serializable(value: Any) -> bool:
    if isinstance(value, _BASIC):
        return True
    if isinstance(value, list | tuple):
        return all(_serializable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _serializable(v) for k, v in value.items())
    return False


class KerasLayer(EngineMixin):
    """The base of a Keras-style layer (reached as ``jnet.layers.Layer``; see the module).

    Args:
        activity_regularizer: a regularizer of the layer's output, added to the loss.
        trainable: whether the layer's weights train. Defaults to True.
        dtype: the dtype policy (a ``DTypePolicy`` or its name: ``'mixed_float16'``,
            ``'float32'``, ...). Defaults to the global policy.
        autocast: whether float inputs are cast to the compute dtype. Defaults to True.
        name: the layer's name; a model names an unnamed layer (``linear``, ``linear_1``).
        input_shape: per-sample input shape, on the first layer of a ``Sequential``.
        input_dim: ``input_shape=(input_dim,)``.
    """

    def __new__(cls, *args: Any, **kwargs: Any):
        instance = object.__new__(cls)
        object.__setattr__(instance, "_lock", True)
        object.__setattr__(instance, "_auto_config", None)
        try:
            bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs)
        except TypeError:
            return instance
        arguments = dict(bound.arguments)
        arguments.pop(next(iter(inspect.signature(cls.__init__).parameters)), None)
        for name, p in inspect.signature(cls.__init__).parameters.items():
            if p.kind is inspect.Parameter.VAR_KEYWORD and name in arguments:
                arguments.update(arguments.pop(name))
            elif p.kind is inspect.Parameter.VAR_POSITIONAL and name in arguments:
                return instance
        if _serializable(arguments):
            object.__setattr__(instance, "_auto_config", arguments)
        return instance

    def __init__(self, *, activity_regularizer: Any = None, trainable: bool = True,
                 dtype: Any = None, autocast: bool = True, name: str | None = None,
                 **kwargs: Any):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        kwargs.pop("batch_size", None)
        kwargs.pop("input_spec", None)
        owner = type(self).__name__
        if kwargs:
            raise errors.unknown_arguments(owner, list(kwargs), _BASE_KEYWORDS)
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"{owner}: name must be a string, received {errors.describe(name)}."
            )
        if batch_input_shape is not None and input_shape is None:
            input_shape = tuple(batch_input_shape)[1:]
        if input_shape is not None:
            base._check_shape("input_shape", input_shape, owner)
        if input_dim is not None and (
            not isinstance(input_dim, int | np.integer) or isinstance(input_dim, bool)
            or input_dim <= 0
        ):
            raise errors.JnetValueError(
                f"{owner}: input_dim must be a positive integer, received {input_dim!r}."
            )
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "trainable", bool(trainable))
        set_(self, "_dtype_policy", base._resolve(dtype_policies.get, dtype, "dtype", owner))
        set_(self, "_dtype", self._dtype_policy.variable_dtype)
        set_(self, "autocast", bool(autocast))
        set_(self, "activity_regularizer", base._resolve(
            regularizers.get, activity_regularizer, "activity_regularizer", owner))
        set_(self, "input_shape", input_shape)
        set_(self, "input_dim", input_dim)
        set_(self, "built", False)
        set_(self, "supports_masking", type(self).compute_mask is not KerasLayer.compute_mask)
        set_(self, "_losses", [])
        self._tracker()
        set_(self, "_lock", False)

    # -- attribute tracking --------------------------------------------------------------------

    def _tracker(self) -> None:
        if "_own_weights" not in self.__dict__:
            object.__setattr__(self, "_own_weights", [])
            object.__setattr__(self, "_sublayers", [])
            object.__setattr__(self, "_seed_generators", [])
            object.__setattr__(self, "_weight_counter", 0)

    def __setattr__(self, name: str, value: Any) -> None:
        self._tracker()
        if name == "trainable":
            value = bool(value)
        elif not name.startswith("_"):
            self._track(name, value)
        object.__setattr__(self, name, value)

    def _track(self, attribute: str, value: Any) -> None:
        if isinstance(value, Variable):
            self._track_variable(attribute, value)
        elif (isinstance(value, base.Layer) or is_model(value)) and value is not self:
            if not any(getattr(s, "model", s) is value for s in self._sublayers):
                taken = {s.name for s in self._sublayers} | {w.key for w in self._own_weights}
                if value.name is None:
                    object.__setattr__(value, "name", default_name(value, taken))
                elif value.name in taken:
                    raise errors.JnetValueError(
                        f"{type(self).__name__}: the layer assigned to {attribute!r} is named "
                        f"{value.name!r}, like another sublayer or weight of this layer. Give "
                        f"each sublayer its own name=."
                    )
                self._sublayers.append(ModelPart(value) if is_model(value) else value)
                object.__setattr__(value, "_jnet_parent", weakref.ref(self))
        elif isinstance(value, SeedGenerator):
            if not any(g is value for g in self._seed_generators):
                self._seed_generators.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                self._track(attribute, item)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                self._track(f"{attribute}_{key}", item)

    def _track_variable(self, attribute: str, variable: Variable) -> None:
        for weight in self._own_weights:
            if weight.variable is variable:
                if weight.auto_key and attribute not in self._keys():
                    weight.key, weight.auto_key = attribute, False
                return
        key = attribute if attribute not in self._keys() else self._fresh_key()
        weight = _Weight(key, variable, None, False)
        self._own_weights.append(weight)
        variable.bind_source(ModelSlot(self, weight))

    def _keys(self) -> set[str]:
        return {w.key for w in self._own_weights} | {s.name for s in self._sublayers}

    def _fresh_key(self) -> str:
        while True:
            n = self._weight_counter
            object.__setattr__(self, "_weight_counter", n + 1)
            key = "variable" if n == 0 else f"variable_{n}"
            if key not in self._keys():
                return key

    def _check_super_called(self) -> None:
        if self.__dict__.get("_lock", True):
            raise errors.JnetValueError(
                f"In layer {type(self).__name__!r}, you forgot to call `super().__init__()` "
                f"as the first statement in the `__init__()` method. Go add it!"
            )

    # -- weights -------------------------------------------------------------------------------

    @property
    def dtype_policy(self) -> Any:
        """Its :class:`jnet.dtype_policies.DTypePolicy` (``dtype=``; a map's: its name's)."""
        p = self._dtype_policy
        is_map = isinstance(p, dtype_policies.DTypePolicyMap)
        return p[self.name or snake_case(type(self).__name__)] if is_map else p

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights (``'float32'``, also under mixed policies)."""
        return self._dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations (``'float16'`` under ``'mixed_float16'``)."""
        return self.dtype_policy.compute_dtype

    variable_dtype = dtype  # Keras's name for the dtype of the layer's weights

    def add_weight(self, shape: Any = None, initializer: Any = None, dtype: Any = None,
                   trainable: bool = True, autocast: bool = True, regularizer: Any = None,
                   constraint: Any = None, aggregation: str = "none",
                   name: str | None = None) -> Variable:
        """Creates a weight of the layer, a :class:`jnet.Variable` (Keras's ``add_weight``).

        Args:
            shape: the shape (a tuple of ints). Defaults to ``()``.
            initializer: a name (``'zeros'``, ``'random_normal'``), an initializer object or a
                callable. Defaults to ``'glorot_uniform'`` (``'zeros'`` for non-float dtypes).
            dtype: the dtype. Defaults to the layer's.
            trainable: whether the optimizer updates it. Defaults to True.
            autocast: Keras's mixed-precision flag. Defaults to True.
            regularizer: a regularizer added to the training loss. Defaults to None.
            constraint: a projection applied after each update. Defaults to None.
            aggregation: ``'none'``, ``'mean'``, ``'sum'`` or ``'only_first_replica'``.
            name: its name in the layer's variables (default: the attribute it is set to).

        Returns:
            The Variable.

        Raises:
            JnetValueError: for a shape that is not a tuple of non-negative integers.

        Example:
            >>> import jnet
            >>> class Scale(jnet.layers.Layer):
            ...     def build(self, input_shape):
            ...         self.scale = self.add_weight(shape=(), initializer="ones")
            ...     def call(self, inputs):
            ...         return inputs * self.scale
            >>> layer = Scale()
            >>> layer.build((None, 3))
            >>> layer.scale.shape, layer.weights[0] is layer.scale
            ((), True)
        """
        self._check_super_called()
        owner = f"Layer {self.name or snake_case(type(self).__name__)!r} ({type(self).__name__})"
        shape = () if shape is None else shape
        dtype = str(jnp.dtype(dtype)) if dtype is not None else self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if jnp.issubdtype(dtype, jnp.floating) else "zeros"
        init = base._resolve(initializers.get, initializer, "initializer", owner)
        if name is not None and name in self._keys():
            raise errors.JnetValueError(
                f"{owner}: add_weight(name={name!r}): the layer already has a weight or "
                f"sublayer named {name!r}."
            )
        key = name if name is not None else self._fresh_key()
        try:
            with jax.ensure_compile_time_eval():
                variable = Variable(init, shape=shape, dtype=dtype, trainable=trainable,
                                    autocast=autocast, aggregation=aggregation, name=key)
        except errors.JnetError as e:
            raise type(e)(f"{owner}: add_weight(name={key!r}, shape={shape!r}): {e}") from None
        variable._path = f"{self.name or snake_case(type(self).__name__)}/{key}"
        weight = _Weight(key, variable, init, name is None,
                         base._resolve(regularizers.get, regularizer, "regularizer", owner),
                         base._resolve(constraints.get, constraint, "constraint", owner))
        self._own_weights.append(weight)
        variable.bind_source(ModelSlot(self, weight))  # in a model, the model's value rules
        return variable

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None,
                     trainable: bool = True, autocast: bool = True,
                     regularizer: Any = None, constraint: Any = None,
                     name: str | None = None) -> Variable:
        """Keras's ``add_variable``: :meth:`add_weight` with ``shape`` and ``initializer``
        first.

        Example:
            >>> import jnet
            >>> class Count(jnet.layers.Layer):
            ...     def call(self, inputs):
            ...         return inputs
            >>> Count().add_variable((2,), "zeros", trainable=False).numpy()
            array([0., 0.], dtype=float32)
        """
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, autocast=autocast, regularizer=regularizer,
                               constraint=constraint, name=name)

    def _ordered_own(self) -> list[_Weight]:
        return ([w for w in self._own_weights if w.variable.trainable]
                + [w for w in self._own_weights if not w.variable.trainable])

    def _own_path(self, weight: _Weight) -> tuple[str, str]:
        return ("params", weight.key) if weight.variable.trainable else (STATE, weight.key)

    @property
    def weights(self) -> list[Any]:
        """All weights, Keras's order: own trainable, own non-trainable, then each
        sublayer's (``jnet.Variable`` objects; in a built model they read the model's
        values)."""
        self._sync_from_model()
        return self._weights()

    def _weights(self) -> list[Any]:
        out = [w.variable for w in self._ordered_own()]
        for sub in self._sublayers:
            if isinstance(sub, ModelPart):
                out.extend(sub.variables_list())
            else:
                out.extend(sub._weights() if isinstance(sub, KerasLayer)
                           else _eager.eager_weights(sub))
        return out

    @property
    def trainable_weights(self) -> list[Any]:
        """The weights the optimizer updates ([] when the layer is frozen)."""
        if not self.trainable:
            return []
        return [w for w in self.weights if w.trainable]

    @property
    def non_trainable_weights(self) -> list[Any]:
        """The other weights (all of them when the layer is frozen)."""
        if not self.trainable:
            return self.weights
        return [w for w in self.weights if not w.trainable]

    @property
    def variables(self) -> list[Any]:
        """Keras's ``variables``: the weights (jnet keeps seed states out of them)."""
        return self.weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def _model(self, build: str | None = None) -> Any:
        """The model holding this layer (built first when ``build`` names what needs it), or
        None (no model, or not built)."""
        ref = self.__dict__.get("_jnet_model")
        model = ref() if ref is not None else None
        if model is not None and build is not None:
            model._require_built(build)
        if model is None or not model._has_variables():
            return None
        return model

    def _sync_from_model(self) -> None:
        model = self._model()
        if model is not None and self.name is not None:
            own = base.layer_variables(model.variables, self.name)
            if own:
                self._sync_builtin_sublayers(own)

    def _sync_builtin_sublayers(self, variables: Mapping[str, Any]) -> None:
        """Gives the built-in (Flax) sublayers' Variables their values in ``{collection:
        tree}`` (this layer's); Keras-style Variables read the model themselves."""
        for sub in self._sublayers:
            sub_vars = base.layer_variables(variables, sub.name)
            if not sub_vars:
                continue
            if isinstance(sub, ModelPart):  # the held model takes the outer model's values
                sub.set_values(sub_vars)
                continue
            if isinstance(sub, KerasLayer):
                sub._sync_builtin_sublayers(sub_vars)
            else:
                _eager.set_eager_variables(sub, sub_vars)

    def _held_variables(self) -> dict[str, Any] | None:
        """The layer's current weights as ``{collection: tree}`` of arrays (the layout of
        :meth:`init`), or None before it is built (see
        :func:`jnet.layers._eager.with_held_values`)."""
        if not self.built:
            return None
        out: dict[str, Any] = {"params": {}}
        for weight in self._own_weights:
            col, key = self._own_path(weight)
            out.setdefault(col, {})[key] = weight.variable.value
        for sub in self._sublayers:
            for col, tree in (_eager.held_variables(sub) or {}).items():
                out.setdefault(col, {})[sub.name] = tree
        return out

    def get_weights(self) -> list[np.ndarray]:
        """The weights as numpy arrays, Keras's order (the model's values in a model)."""
        model = self._model("get_weights()")
        if model is not None:
            return self.keras_weights(base.layer_variables(model.variables, self.name))
        return [np.asarray(w) for w in self._weights()]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Sets the weights from a list in Keras's order (in the model too, in a model)."""
        model = self._model("set_weights()")
        if model is not None:
            variables = model.variables
            updated = self.set_keras_weights(base.layer_variables(variables, self.name), weights)
            model._set_variables(base.with_layer_variables(variables, self.name, updated))
            self._sync_builtin_sublayers(updated)
            return
        own = self._weights()
        if len(own) != len(weights):
            raise errors.JnetValueError(
                f"You called `set_weights(weights)` on layer {self.name!r} "
                f"({type(self).__name__}) with a weight list of length {len(weights)}, but the "
                f"layer was expecting {len(own)} weights."
            )
        for variable, value in zip(own, weights, strict=True):
            if tuple(np.shape(value)) != tuple(variable.shape):
                raise errors.JnetValueError(
                    f"Layer {self.name!r} weight shape {tuple(variable.shape)} is not "
                    f"compatible with provided weight shape {tuple(np.shape(value))}."
                )
            variable.assign(value)

    def count_params(self) -> int:
        """Number of scalars in the layer's weights."""
        return int(sum(np.prod(w.shape, dtype=int) for w in self.weights))

    # -- losses --------------------------------------------------------------------------------

    def add_loss(self, loss: Any) -> None:
        """Adds a scalar loss: inside ``fit`` it is added to the training loss; after an
        eager call it is in ``layer.losses``."""
        run = context.current()
        if run is not None:
            run.losses.append(loss)
            if base._ACTIVITY:
                base._ACTIVITY[-1].append(jnp.asarray(loss, jnp.float32))
            for layer in context.running_layers():  # the outer layers report it to fit
                object.__setattr__(layer, "adds_losses", True)
        else:
            self._losses.append(loss)

    @property
    def losses(self) -> list[Any]:
        """Losses added by the last eager call (this layer's and its sublayers'), then the
        weight regularization penalties."""
        out = list(self._losses)
        for sub in self._sublayers:
            if isinstance(sub, KerasLayer):
                out.extend(sub._losses)
        for weight in self._own_weights:
            if weight.regularizer is not None and weight.variable.trainable:
                out.append(weight.regularizer(weight.variable.value))
        return out

    def _clear_losses(self) -> None:
        self._losses.clear()
        for sub in self._sublayers:
            if isinstance(sub, KerasLayer):
                sub._clear_losses()

    # -- building and calling ------------------------------------------------------------------

    def build(self, input_shape: Any = None) -> None:
        """Creates the weights for inputs of ``input_shape`` (override it; Keras's
        ``build``). Called once, by the first call."""

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation (override it)."""
        raise errors.JnetTypeError(
            f"{type(self).__name__} does not define call(self, inputs): a Keras-style layer "
            f"must."
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._check_super_called()
        handled, result = symbolic.intercept(self, args, kwargs)
        if handled:
            return result
        kwargs = dict(kwargs)
        training = kwargs.pop("training", None)
        self._clear_losses()
        args = jax.tree_util.tree_map(
            lambda x: x if isinstance(x, Variable | jax.Array) else jnp.asarray(x), args
        )
        with self._explain_failure(args):
            self._maybe_build(args, kwargs)
            y = self._invoke(args, kwargs, training)
        if self.activity_regularizer is not None:
            self._losses.extend(base._activity_penalties(self.activity_regularizer, y))
        return y

    # -- config --------------------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``name``, ``trainable``, ``dtype`` (and ``activity_regularizer``),
        plus the constructor's arguments when they are plain values and the subclass does
        not override ``get_config``."""
        self._check_super_called()
        config_: dict[str, Any] = {"name": self.name, "trainable": self.trainable,
                                   "dtype": dtype_policies.serialize(self._dtype_policy)}
        if self.activity_regularizer is not None:
            config_["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        shape = self.declared_input_shape()
        if shape is not None:
            config_["input_shape"] = shape
        if type(self).get_config is KerasLayer.get_config:
            auto = self.__dict__.get("_auto_config")
            if auto is None:
                raise errors.JnetTypeError(
                    f"{type(self).__name__} was created with arguments that are not plain "
                    f"values: override get_config() to return them (config = "
                    f"super().get_config(); config.update(...))."
                )
            config_.update(auto)
            config_["dtype"] = dtype_policies.serialize(self._dtype_policy)  # Keras's order
        return config_

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KerasLayer:
        """The layer of :meth:`get_config`'s dict (``cls(**config)``)."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    @property
    def _inbound_nodes(self) -> list[Any]:
        return symbolic.inbound_nodes(self)

    @property
    def output(self) -> Any:
        """The symbolic output of the layer's first call on KerasTensors."""
        return symbolic.node_attribute(self, "output")

    @property
    def input(self) -> Any:
        """The symbolic input of the layer's first call on KerasTensors."""
        return symbolic.node_attribute(self, "input")


_layer_kind.register_keras_base(KerasLayer)
