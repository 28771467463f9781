"""What jnet's engine calls on a Keras-style layer: the pure level, as on a Flax module.

:class:`EngineMixin` gives :class:`jnet.layers.keras_layer.KerasLayer` the duck-typed face of a
built-in (Flax) layer, so Sequential, functional and subclassed models, ``fit``, saving and
summaries use a Keras-style layer unchanged:

* ``init`` / ``init_with_output``: build the layer (once, eagerly even under tracing) and draw
  fresh values from the key: ``{'params': {weight: ...}, 'non_trainable': {...}}``, each
  sublayer's variables under its name;
* ``apply``: ``call`` inside a :class:`jnet.variables.StatelessScope` mapping the Variables to
  the given values (pure, so it compiles); updated non-trainable values come back when
  ``mutable``; sublayers run through :mod:`jnet.layers._keras_context`; ``SeedGenerator``
  attributes draw from the engine's dropout key;
* weight paths in Keras's order, weight regularizers and constraints, masks.

Example:
    >>> import jax, numpy as np, jnet
    >>> class Count(jnet.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.n = self.add_weight(shape=(), initializer="zeros", trainable=False)
    ...     def call(self, inputs):
    ...         self.n.assign_add(1.0)
    ...         return inputs
    >>> layer = Count()
    >>> variables = layer.init(jax.random.key(0), np.ones((1, 2), "float32"))
    >>> _, new = layer.apply(variables, np.ones((1, 2), "float32"), mutable=True)
    >>> float(new["non_trainable"]["n"]), float(layer.n.numpy())  # the Variable is unchanged
    (1.0, 0.0)
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, symbolic
from jnet.layers import _autocast, base
from jnet.layers import _keras_context as context
from jnet.symbolic import snake_case
from jnet.utils import random as seed_stream
from jnet.variables import AutocastScope, StatelessScope, Variable

__all__ = ["STATE", "EngineMixin", "is_traced"]

STATE = "non_trainable"  # the collection of non-trainable Variables


def _accepts(function: Any, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def _accepts_key(initializer: Any) -> bool:
    try:
        return "key" in inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        return False


def is_traced(tree: Any) -> bool:
    """Whether any leaf of ``tree`` is a jax tracer."""
    return any(isinstance(x, jax.core.Tracer) for x in jax.tree_util.tree_leaves(tree))


def _shape_of(value: Any, traced: bool) -> Any:
    if isinstance(value, list | tuple):
        return type(value)(_shape_of(v, traced) for v in value)
    if isinstance(value, Mapping):
        return {k: _shape_of(v, traced) for k, v in value.items()}
    shape = tuple(int(d) for d in np.shape(value))
    return (None, *shape[1:]) if traced and shape else shape


class EngineMixin:
    """The engine-facing methods of a Keras-style layer (see the module)."""

    #: Read by jnet's engine (the Flax layers' class attributes; see jnet.layers.base).
    KERAS_WEIGHTS: tuple = ()
    WEIGHT_PENALTIES: tuple = ()
    #: ``call`` may ``assign`` non-trainable Variables in inference too (a counter, a mean):
    #: models carry those updates in evaluate/predict and eager calls, as Keras does.
    STATE_IN_INFERENCE: bool = True

    def _fresh_values(self, key: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"params": {}}
        for i, weight in enumerate(self._own_weights):
            variable = weight.variable
            init = weight.initializer
            if init is None:
                value = variable.value
            elif _accepts_key(init):
                value = init(jax.random.fold_in(key, i), variable.shape, jnp.dtype(variable.dtype))
            else:
                value = init(variable.shape, dtype=jnp.dtype(variable.dtype))
            col, name = self._own_path(weight)
            out.setdefault(col, {})[name] = jnp.asarray(value, variable.dtype)
        return out

    def init_with_output(self, rngs: Any, *args: Any, training: Any = False,
                         **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """``(output, variables)`` of a first call on ``args``: builds the layer if needed and
        draws fresh values from ``rngs`` (a key, or ``{'params': key, ...}``)."""
        self._check_super_called()
        key = rngs.get("params") if isinstance(rngs, Mapping) else rngs
        key = seed_stream.next_key() if key is None else key
        kwargs.pop("mutable", None)
        with self._explain_failure(args):
            self._maybe_build(args, kwargs)
            variables = self._fresh_values(key)
            y, updates = self._run(variables, args, kwargs, False, None, init_key=key)
        for col, tree in variables.items():  # initial values, not those after the first call
            updates.setdefault(col, {}).update(tree)
        return y, updates

    def init(self, rngs: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Fresh variables, as Flax's ``Module.init``: ``{'params': ..., 'non_trainable':
        ...}`` (see :meth:`init_with_output`)."""
        return self.init_with_output(rngs, *args, **kwargs)[1]

    def apply(self, variables: Mapping[str, Any], *args: Any, training: Any = False,
              mutable: Any = False, rngs: Mapping[str, Any] | None = None,
              **kwargs: Any) -> Any:
        """Runs ``call`` on ``args`` with the given variables (pure; Flax's ``apply``).

        Returns the output, or ``(output, updated non-trainable collections)`` when
        ``mutable`` (a list of collections, or True for all).
        """
        self._check_super_called()
        self._maybe_build(args, kwargs)
        y, updates = self._run(variables, args, kwargs, training, rngs)
        if mutable is False or mutable is None:
            return y
        cols = [c for c in updates if c != "params"]
        if mutable is not True:
            cols = [c for c in cols if c in set(mutable)]
        return y, {c: updates[c] for c in cols}

    def _seed_scopes(self, stack: contextlib.ExitStack, rngs: Any, traced: bool) -> None:
        key = (rngs or {}).get("dropout")
        for j, gen in enumerate(self._seed_generators):
            if key is not None:
                state = jax.random.bits(jax.random.fold_in(key, j), (2,), jnp.uint32)
            elif traced:
                state = gen.state
            else:
                continue
            stack.enter_context(gen.scoped_state(state))

    def _run(self, variables: Mapping[str, Any], args: tuple, kwargs: dict[str, Any],
             training: Any, rngs: Any, init_key: Any = None) -> tuple[Any, dict[str, Any]]:
        run = context.SublayerContext(self, self._sublayers, variables, bool(training), rngs,
                                      init_key)
        given = []  # (weight, its collection, its value)
        for weight in self._own_weights:
            col, name = self._own_path(weight)
            for c in (col, "params" if col == STATE else STATE):
                if name in variables.get(c, {}):
                    given.append((weight, c, variables[c][name]))
                    break
        with contextlib.ExitStack() as stack:
            self._seed_scopes(stack, rngs, is_traced((args, variables)))
            scope = stack.enter_context(
                StatelessScope([(w.variable, value) for w, _, value in given]))
            stack.enter_context(symbolic.call_context(run))
            context.push(run)
            stack.callback(context.pop)
            y = self._invoke(args, kwargs, training)
        if self.activity_regularizer is not None and base._ACTIVITY:
            base._ACTIVITY[-1].extend(base._activity_penalties(self.activity_regularizer, y))
        out: dict[str, Any] = {"params": run.params, **run.new_state}
        for weight, col, value in given:
            new = scope.get_current_value(weight.variable) if col != "params" else None
            out.setdefault(col, {})[weight.key] = value if new is None else new
        return y, {c: t for c, t in out.items() if t or c == "params"}

    def _symbolic_apply(self, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """``(outputs, variables)`` of a call on arrays, for ``jnet.symbolic.symbolic_call``."""
        kwargs = dict(kwargs)
        kwargs.setdefault("training", False)
        return self.init_with_output(jax.random.key(0), *args, **kwargs)

    # -- what models ask of a layer (as jnet.layers.base.Layer answers it) ---------------------

    @property
    def ACCEPTS_MASK(self) -> bool:  # noqa: N802 (the Flax layers' class attribute)
        """Whether ``call`` takes ``mask=``."""
        return _accepts(self.call, "mask")

    @property
    def SUPPORTS_MASKING(self) -> bool:  # noqa: N802
        """Keras's ``supports_masking``."""
        return bool(self.supports_masking)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The output's mask: ``mask`` when the layer supports masking, else None."""
        return mask if self.supports_masking else None

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for inputs of ``input_shape`` (traced, no computation)."""
        shape = tuple(input_shape)
        spec = jax.ShapeDtypeStruct(tuple(1 if d is None else d for d in shape), self._dtype)
        out = jax.eval_shape(lambda x: self.init_with_output(jax.random.key(0), x)[0], spec)
        return jax.tree_util.tree_map(
            lambda s: (shape[0], *s.shape[1:]) if s.shape else s.shape, out
        )

    def check_in_sequential(self) -> None:
        """Any Keras-style layer may be a step of a ``Sequential``."""

    def declared_input_shape(self) -> tuple[int | None, ...] | None:
        """The per-sample input shape given by ``input_shape`` or ``input_dim``, if any."""
        if self.input_shape is not None:
            return tuple(None if d is None else int(d) for d in self.input_shape)
        if self.input_dim is not None:
            return (int(self.input_dim),)
        return None

    def logits_activation(self) -> None:
        """None: a custom layer's output is taken as it is (no cross-entropy shortcut)."""
        return None

    def _penalties(self, which: str) -> list[tuple[str, Any]]:
        return [(w.key, getattr(w, which)) for w in self._own_weights
                if getattr(w, which) is not None and w.variable.trainable]

    def has_weight_regularizers(self) -> bool:
        """Whether a weight (or a sublayer's) has a regularizer."""
        return bool(self._penalties("regularizer")) or any(
            s.has_weight_regularizers() for s in self._sublayers)

    def has_constraints(self) -> bool:
        """Whether a weight (or a sublayer's) has a constraint."""
        return bool(self._penalties("constraint")) or any(
            s.has_constraints() for s in self._sublayers)

    def regularization_loss(self, params: Mapping[str, Any]) -> Any:
        """The sum of the weight penalties on ``params`` (this layer's), or None."""
        terms = [jnp.asarray(reg(params[key]), jnp.float32)
                 for key, reg in self._penalties("regularizer") if key in params]
        for sub in self._sublayers:
            if sub.name in params and sub.trainable:
                value = sub.regularization_loss(params[sub.name])
                if value is not None:
                    terms.append(value)
        return sum(terms[1:], terms[0]) if terms else None

    def apply_constraints(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` with each constrained weight projected."""
        out = dict(params)
        for key, constraint in self._penalties("constraint"):
            if key in out:
                out[key] = jnp.asarray(constraint(out[key])).astype(out[key].dtype)
        for sub in self._sublayers:
            if sub.name in out and sub.has_constraints():
                out[sub.name] = sub.apply_constraints(out[sub.name])
        return out

    def weight_paths(self, variables: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """The Keras-ordered paths of this layer's weights in ``variables``."""
        paths = [self._own_path(w) for w in self._ordered_own()]
        paths = [p for p in paths if base._has_path(variables, p)]
        for sub in self._sublayers:
            own = base.layer_variables(variables, sub.name)
            paths += [(p[0], sub.name, *p[1:]) for p in sub.weight_paths(own)]
        return paths

    def keras_weights(self, variables: Mapping[str, Any]) -> list[np.ndarray]:
        """This layer's weights in ``variables`` as numpy arrays, Keras's order."""
        return [np.asarray(base._get_path(variables, p)) for p in self.weight_paths(variables)]

    set_keras_weights = base.Layer.set_keras_weights

    # -- the call itself (eager or pure) -------------------------------------------------------

    def _maybe_build(self, args: tuple, kwargs: dict[str, Any]) -> None:
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        shape = _shape_of(first, is_traced(first)) if first is not None else None
        with jax.ensure_compile_time_eval():
            self.build(shape)
        object.__setattr__(self, "built", True)

    def _cast(self, args: tuple) -> tuple:
        if not self.autocast or not args:
            return args

        def cast(x):
            if isinstance(x, Variable) or not hasattr(x, "dtype") and not isinstance(
                x, list | float | int
            ):
                return x
            x = jnp.asarray(x)
            dtype = self.dtype_policy.compute_dtype
            if jnp.issubdtype(x.dtype, jnp.floating) and x.dtype != dtype:
                return x.astype(dtype)
            return x

        first = jax.tree_util.tree_map(cast, args[0])
        return (first, *args[1:])

    def _invoke(self, args: tuple, kwargs: dict[str, Any], training: Any) -> Any:
        kwargs = dict(kwargs)
        call = self.call
        if training is not None and _accepts(call, "training"):
            kwargs["training"] = training
        if "mask" in kwargs and (kwargs["mask"] is None or not _accepts(call, "mask")):
            kwargs.pop("mask")
        policy = self.dtype_policy
        with contextlib.ExitStack() as stack:
            stack.enter_context(_autocast.policy_scope(policy))
            if policy.is_mixed:  # Keras's autocast: float32 weights read in float16
                stack.enter_context(AutocastScope(policy.compute_dtype))
            return call(*self._cast(args), **kwargs)

    @contextlib.contextmanager
    def _explain_failure(self, args: tuple):
        try:
            yield
        except Exception as e:
            if "cannot take inputs of shape" in str(e) or "forgot to call" in str(e):
                raise
            shapes = ", ".join(str(tuple(np.shape(a))) for a in jax.tree_util.tree_leaves(args))
            kind = type(e) if isinstance(e, errors.JnetError) else errors.JnetValueError
            raise kind(
                f"Layer {self.name or snake_case(type(self).__name__)!r} "
                f"({type(self).__name__}) cannot take inputs of shape {shapes}: "
                f"{type(e).__name__}: {e}"
            ) from e
