"""The pure run of a Keras-style layer's ``call``: sublayers applied with given variables.

While a Keras-style layer (:mod:`jnet.layers.keras_layer`) runs ``call`` inside ``init`` or
``apply``, a :class:`SublayerContext` sits on the call-context stack of
:mod:`jnet.symbolic.context`. Each call of one of the layer's sublayers (built-in Flax layers
or Keras-style ones, and models, tracked from its attributes) is routed here by
``jnet.symbolic.intercept`` and applied with the sublayer's entry of the layer's variables,
``{collection: {sublayer_name: tree}}``, exactly as a subclassed model applies its layers
(:func:`jnet.layers.base.apply_in_model`): its own dropout key, its state updates collected
when training. In init mode (``init_key`` given) a sublayer's variables are created at its
first call, from the input it receives there.

:func:`current` is the innermost context of a Keras-style layer being applied; ``add_loss``
reads it to know that a loss is traced (it then goes to the training step's loss).

Example:
    >>> import jax, jax.numpy as jnp, jnet
    >>> dense = jnet.layers.Dense(2, name="d")
    >>> owner = type("Owner", (), {"name": "owner"})()
    >>> ctx = SublayerContext(owner, [dense], {}, training=False, rngs=None,
    ...                       init_key=jax.random.key(0))
    >>> ctx.call(dense, (jnp.ones((1, 3)),), {}).shape, sorted(ctx.params)
    ((1, 2), ['d'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax

from jnet import errors
from jnet.layers.base import apply_in_model, params_of

__all__ = ["SublayerContext", "current", "pop", "push", "running_layers"]

_APPLYING: list[SublayerContext] = []


def current() -> SublayerContext | None:
    """The innermost Keras-style layer run in progress (None outside init/apply)."""
    return _APPLYING[-1] if _APPLYING else None


def running_layers() -> list[Any]:
    """The Keras-style layers being run, outermost first."""
    return [run.layer for run in _APPLYING]


def push(context: SublayerContext) -> None:
    """Marks ``context``'s layer as running (undo with :func:`pop`)."""
    _APPLYING.append(context)


def pop() -> SublayerContext:
    """Ends the innermost run."""
    return _APPLYING.pop()


class SublayerContext:
    """Variables, mode and keys of one run of a Keras-style layer's ``call``.

    Args:
        layer: the Keras-style layer whose ``call`` runs.
        sublayers: its tracked sublayers, in order.
        variables: its variables ``{collection: tree}`` (sublayers under their names).
        training: the training mode given to sublayers that are not told otherwise.
        rngs: ``{'dropout': key}`` or None.
        init_key: a key in init mode (sublayers' variables made at their first call).
    """

    def __init__(self, layer: Any, sublayers: Sequence[Any], variables: Mapping[str, Any],
                 training: bool, rngs: Mapping[str, Any] | None, init_key: Any = None):
        self.layer = layer
        self.params = dict(variables.get("params", {}))
        self.state = {c: dict(t) for c, t in variables.items() if c != "params"}
        self.new_state = {c: dict(t) for c, t in self.state.items()}
        self.training = training
        self.rng = (rngs or {}).get("dropout")
        self.init_key = init_key
        # a model is tracked through a ModelPart (jnet.layers._model_part): index the model
        self.index = {id(getattr(s, "model", s)): i for i, s in enumerate(sublayers)}
        self.calls: dict[int, int] = {}
        self.losses: list[Any] = []

    def owns(self, sublayer: Any) -> bool:
        if id(sublayer) in self.index:
            return True
        raise errors.JnetValueError(
            f"Layer {getattr(sublayer, 'name', None)!r} ({type(sublayer).__name__}) is called "
            f"in {type(self.layer).__name__}.call() but is not an attribute of that layer: "
            f"create sublayers in __init__ or build() (self.dense = jnet.layers.Dense(...)) "
            f"and call them in call()."
        )

    def _has_variables(self, name: str) -> bool:
        return name in self.params or any(name in t for t in self.state.values())

    def _init(self, sublayer: Any, args: tuple, kwargs: dict[str, Any], i: int) -> None:
        key = jax.random.fold_in(self.init_key, i)
        variables = sublayer.init({"params": key, "dropout": key}, *args, training=False,
                                  **kwargs)
        for col, tree in variables.items():
            if col == "params":
                self.params[sublayer.name] = tree
            else:
                self.state.setdefault(col, {})[sublayer.name] = tree
                self.new_state.setdefault(col, {})[sublayer.name] = tree

    def call(self, sublayer: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
        """Applies ``sublayer`` to ``args`` with its variables; returns its output."""
        i = self.index[id(sublayer)]
        if getattr(type(sublayer), "_JNET_IS_MODEL", False):
            return self._call_model(sublayer, args, kwargs, i)
        kwargs = dict(kwargs)
        training = kwargs.pop("training", None)
        training = self.training if training is None else bool(training)
        if self.init_key is not None and not self._has_variables(sublayer.name):
            self._init(sublayer, args, kwargs, i)
        count = self.calls.get(i, 0)
        self.calls[i] = count + 1
        if self.rng is not None:
            kwargs["rngs"] = {"dropout": jax.random.fold_in(self.rng, 1000 * count + i + 1)}
        y, _ = apply_in_model(sublayer, params_of(sublayer, self.params), self.state,
                              self.new_state, args, kwargs, training)
        return y

    def _call_model(self, model: Any, args: tuple, kwargs: dict[str, Any], i: int) -> Any:
        """A model held by the layer (Keras's ``self.ffn = keras.Sequential([...])``): built
        from its first input in init mode, then run with its entries of the layer's
        variables, as a subclassed model runs a nested model."""
        kwargs = dict(kwargs)
        training = kwargs.pop("training", None)
        training = self.training if training is None else bool(training)
        if self.init_key is not None and not self._has_variables(model.name):
            if not model._has_variables() and model.input_shape is None:  # noqa: SLF001
                with jax.ensure_compile_time_eval():  # concrete weights, even under a trace
                    model.build((None, *jax.numpy.shape(args[0])[1:]))
            for col, tree in model.variables.items():
                if col == "params":
                    self.params[model.name] = tree
                else:
                    self.state.setdefault(col, {})[model.name] = tree
                    self.new_state.setdefault(col, {})[model.name] = tree
        count = self.calls.get(i, 0)
        self.calls[i] = count + 1
        key = None
        if self.rng is not None:
            key = jax.random.fold_in(self.rng, 1000 * count + i + 1)
        state = {c: t[model.name] for c, t in self.state.items() if model.name in t}
        y, _, new_state = model.forward(self.params.get(model.name, {}), state, *args,
                                        training=training, rng=key)
        if training:
            for col, tree in new_state.items():
                self.new_state.setdefault(col, {})[model.name] = tree
        return y
