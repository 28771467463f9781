"""JaxLayer and FlaxLayer: a pure JAX function, or a Flax linen module, as a jnet layer
(Keras's ``keras.layers.JaxLayer`` / ``keras.layers.FlaxLayer``).

The function's parameters become the layer's trainable weights and its state the
non-trainable ones (one ``jnet.Variable`` per leaf, in ``jax.tree_util`` order), so the
layer trains in ``fit``, saves and loads its weights, and counts in summaries like any
Keras-style layer (:class:`jnet.layers.Layer`). On jnet the function runs as it is, inside
the compiled step: no conversion (Keras's TensorFlow backend goes through ``jax2tf``).

Example:
    >>> import jax, jax.numpy as jnp, numpy as np, jnet
    >>> def init(rng, inputs):
    ...     return {"w": jax.random.normal(rng, (inputs.shape[-1], 2)), "b": jnp.zeros((1, 2))}
    >>> def call(params, inputs):
    ...     return inputs @ params["w"] + params["b"]
    >>> layer = JaxLayer(call, init, seed=0)
    >>> layer(np.ones((3, 4), "float32")).shape, [tuple(w.shape) for w in layer.weights]
    ((3, 2), [(1, 2), (4, 2)])
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.keras_layer import KerasLayer
from jnet.random import SeedGenerator
from jnet.utils import random as seed_stream
from jnet.variables import Variable

__all__ = ["FlaxLayer", "JaxLayer"]

_CALL_ARGUMENTS = ("params", "state", "rng", "inputs", "training")
_INIT_ARGUMENTS = ("rng", "inputs", "training")


def _signature(fn: Any, fn_name: str, allowed: tuple[str, ...], owner: str) -> list[str]:
    """The argument names of ``fn``, checked as Keras's ``_validate_signature``."""
    if not callable(fn):
        raise errors.JnetTypeError(
            f"{owner}: {fn_name} must be a function, received {errors.describe(fn)}."
        )
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise errors.JnetValueError(
            f"{owner}: missing required argument in `{fn_name}`: `inputs` (its arguments "
            f"are named among {', '.join(allowed)}; received {names})."
        )
    for name in names:
        if name not in allowed:
            raise errors.JnetValueError(
                f"{owner}: unsupported argument in `{fn_name}`: `{name}`, supported "
                f"arguments are `{'`, `'.join(allowed)}`."
            )
    return names


def _is_variable(value: Any) -> bool:
    return isinstance(value, Variable)


def _is_array(value: Any) -> bool:
    return isinstance(value, jax.Array | np.ndarray | np.generic | bool | int | float)


def _ones(shape: Any) -> Any:
    """Ones of ``shape`` (None dimensions as 1); a list/tuple/dict of shapes gives the same
    structure of arrays."""
    if isinstance(shape, tuple | list) and all(d is None or isinstance(d, int) for d in shape):
        return jnp.ones([1 if d is None else d for d in shape])
    if isinstance(shape, dict):
        return {k: _ones(v) for k, v in shape.items()}
    return type(shape)(_ones(s) for s in shape)


class JaxLayer(KerasLayer):
    """Keras Layer that wraps a JAX model.

    ``call_fn`` computes the output; its arguments are chosen by name, in any order:
    ``params`` (the trainable parameters), ``state`` (non-trainable state, which makes
    ``call_fn`` return ``(outputs, new_state)``), ``rng`` (a key, given in training only,
    None in inference), ``inputs`` (required) and ``training``. ``init_fn`` (arguments among
    ``rng``, ``inputs`` (required), ``training``) returns the initial ``params``, or
    ``(params, state)`` when ``call_fn`` takes ``state``; it is called once, when the layer
    is built, on ones of the input's shape (None dimensions set to 1).

    Args:
        call_fn: the function computing the output (see above).
        init_fn: the function creating the initial params (and state). Optional when
            ``params`` (and ``state``) are given or ``call_fn`` takes neither.
        params: a pytree of initial trainable parameters (arrays); its non-array leaves are
            passed through unchanged as configuration.
        state: a pytree of initial non-trainable state.
        seed: an int seed for the ``rng`` of ``init_fn`` and of ``call_fn`` in training.
            Defaults to None: jnet's seed stream (``jnet.utils.set_random_seed``).
        **kwargs: the base layer's arguments (``name``, ``trainable``, ``dtype``, ...).

    Example:
        >>> import jax, jax.numpy as jnp, numpy as np, jnet
        >>> def call(params, state, inputs, training):
        ...     y = inputs * params["scale"]
        ...     return y, {"calls": state["calls"] + (1.0 if training else 0.0)}
        >>> layer = JaxLayer(call, params={"scale": jnp.full((1, 3), 2.0)},
        ...                  state={"calls": jnp.zeros(())})
        >>> layer(np.ones((1, 3), "float32"), training=True).tolist()
        [[2.0, 2.0, 2.0]]
        >>> float(layer.state["calls"].numpy()), len(layer.trainable_weights)
        (1.0, 1)
    """

    def __init__(self, call_fn: Callable[..., Any], init_fn: Callable[..., Any] | None = None,
                 params: Any = None, state: Any = None, seed: int | None = None,
                 **kwargs: Any):
        kwargs.pop("native_serialization_platforms", None)  # jax2tf's: no conversion here
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.seed = seed
        self._call_arguments = _signature(call_fn, "call_fn", _CALL_ARGUMENTS, owner)
        self._init_arguments = (None if init_fn is None else
                                _signature(init_fn, "init_fn", _INIT_ARGUMENTS, owner))
        self.call_fn_has_params = "params" in self._call_arguments
        self.call_fn_has_state = "state" in self._call_arguments
        if (init_fn is None and params is None and state is None
                and (self.call_fn_has_params or self.call_fn_has_state)):
            raise errors.JnetValueError(
                f"{owner}: `init_fn`, `params` and `state` cannot all be `None` when "
                f"`call_fn` takes a `params` or a `state` argument."
            )
        self.seed_generator = SeedGenerator(seed) if "rng" in self._call_arguments else None
        self._params_tree = self._create_variables(params, trainable=True)
        self._state_tree = self._create_variables(state, trainable=False)
        if params is not None or state is not None:
            object.__setattr__(self, "built", True)

    @property
    def params(self) -> Any:
        """The trainable parameters: the pytree of ``jnet.Variable`` (None before build)."""
        return self._params_tree

    @property
    def state(self) -> Any:
        """The non-trainable state: a pytree of ``jnet.Variable`` (None when none)."""
        return self._state_tree

    def _create_variables(self, values: Any, trainable: bool) -> Any:
        if values is None:
            return None

        def create(value: Any) -> Any:
            if not _is_array(value):
                return value  # configuration, passed through
            array = jnp.asarray(value)
            dtype = None if jnp.issubdtype(array.dtype, jnp.floating) else array.dtype
            return self.add_weight(
                tuple(array.shape), initializer=lambda shape, dtype=None: array,
                dtype=dtype, trainable=trainable,
            )

        return jax.tree_util.tree_map(create, values)

    def _init_rng(self) -> Any:
        if self.seed is not None:
            return jax.random.PRNGKey(self.seed)
        return jax.random.key_data(seed_stream.next_key())

    def _call_rng(self, training: bool) -> Any:
        return self.seed_generator.next() if training else None

    def build(self, input_shape: Any = None) -> None:
        """Calls ``init_fn`` on ones of ``input_shape`` when params and state were not
        given."""
        if self._params_tree is not None or self._state_tree is not None:
            return
        if not (self.call_fn_has_params or self.call_fn_has_state):
            return
        inputs = _ones(input_shape)
        arguments = {"rng": self._init_rng(), "inputs": inputs, "training": True}
        result = self.init_fn(*[arguments[name] for name in self._init_arguments])
        params, state = result if self.call_fn_has_state else (result, None)
        object.__setattr__(self, "_params_tree", self._create_variables(params, True))
        object.__setattr__(self, "_state_tree", self._create_variables(state, False))

    def call(self, inputs: Any, training: bool = False) -> Any:
        """Runs ``call_fn`` on the current values of the params and state."""

        def value(leaf: Any) -> Any:
            return leaf.value if isinstance(leaf, Variable) else leaf

        arguments = {
            "params": jax.tree_util.tree_map(value, self._params_tree, is_leaf=_is_variable),
            "state": jax.tree_util.tree_map(value, self._state_tree, is_leaf=_is_variable),
            "rng": self._call_rng(bool(training)) if self.seed_generator is not None else None,
            "inputs": inputs,
            "training": training,
        }
        result = self.call_fn(*[arguments[name] for name in self._call_arguments])
        if not self.call_fn_has_state:
            return result
        outputs, new_state = result
        if self._state_tree is None:
            return outputs

        def assign(variable: Any, new: Any) -> None:
            if not isinstance(variable, Variable):
                raise errors.JnetValueError(
                    f"{type(self).__name__}: structure mismatch: the structure of the state "
                    f"returned by `call_fn` does not match the structure of the state at "
                    f"initialization time."
                )
            variable.assign(new)

        try:
            jax.tree_util.tree_map(assign, self._state_tree, new_state, is_leaf=_is_variable)
        except ValueError as e:
            raise errors.JnetValueError(
                f"{type(self).__name__}: structure mismatch: the state returned by `call_fn` "
                f"does not have the structure of the state at initialization time ({e})."
            ) from None
        return outputs

    def get_config(self) -> dict[str, Any]:
        """The base config plus ``call_fn``, ``init_fn`` (the functions themselves: saving
        writes them by name, to be given back through ``custom_objects``) and ``seed``."""
        config = KerasLayer.get_config(self)
        config.update({"call_fn": self.call_fn, "init_fn": self.init_fn, "seed": self.seed})
        return config



class FlaxLayer(JaxLayer):
    """Keras Layer that wraps a Flax (linen) module.

    The module's ``params`` collection becomes the layer's trainable weights and its other
    collections (``batch_stats``, ...) the non-trainable ones, updated by the module's
    ``apply(..., mutable=...)`` in training and inference alike, as in Keras. A ``training``
    argument of the module's method is passed the layer's training mode; in training the
    module gets ``rngs={'dropout': key}``.

    Args:
        module: a ``flax.linen.Module`` instance.
        method: the module's method to call (a method or its name). Defaults to None:
            ``__call__``.
        variables: the module's variables (``module.init(...)``'s result) to start from.
            Defaults to None: initialized at build from ``module.init`` on ones of the
            input's shape.
        **kwargs: the base layer's arguments (``name``, ``trainable``, ``dtype``,
            ``seed``, ...).

    Example:
        >>> import flax.linen as nn, numpy as np, jnet
        >>> class MLP(nn.Module):
        ...     @nn.compact
        ...     def __call__(self, inputs):
        ...         return nn.Dense(1)(nn.relu(nn.Dense(4)(inputs)))
        >>> model = jnet.Sequential([jnet.layers.Input((3,)), FlaxLayer(MLP(), seed=1)])
        >>> model.count_params(), model.predict(np.ones((2, 3), "float32"), verbose=0).shape
        (21, (2, 1))
    """

    def __init__(self, module: Any, method: Any = None, variables: Any = None,
                 **kwargs: Any):
        if not (hasattr(module, "apply") and hasattr(module, "init")):
            raise errors.JnetTypeError(
                f"FlaxLayer: module must be a flax.linen.Module instance, received "
                f"{errors.describe(module)}."
            )
        if isinstance(method, str):
            method = getattr(module, method)
        def variables_of(params: Any, state: Any) -> dict[str, Any]:
            return {**(params or {}), **(state or {})}

        def split(variables_: Any) -> tuple[Any, Any]:
            variables_ = dict(variables_)
            params = {"params": variables_.pop("params")} if "params" in variables_ else {}
            return params, (variables_ or None)

        def apply(params, state, rng, inputs, training=None):
            extra = {} if training is None else {"training": training}
            rngs = {} if rng is None else {"dropout": rng}
            if not state:
                return module.apply(variables_of(params, state), inputs, rngs=rngs,
                                    method=method, **extra), state
            y, updates = module.apply(variables_of(params, state), inputs, rngs=rngs,
                                      method=method, mutable=list(state), **extra)
            return y, {**state, **dict(updates)}

        def init(rng, inputs, training=None):
            extra = {} if training is None else {"training": training}
            key = jax.random.wrap_key_data(rng) if getattr(rng, "dtype", None) == \
                jnp.uint32 else rng
            params_key, dropout_key = jax.random.split(key)
            return split(module.init({"params": params_key, "dropout": dropout_key}, inputs,
                                     method=method, **extra))

        takes_training = "training" in inspect.signature(
            method or module.__call__).parameters
        if takes_training:
            def call_fn(params, state, rng, inputs, training):
                return apply(params, state, rng, inputs, training)

            def init_fn(rng, inputs, training):
                return init(rng, inputs, training)
        else:
            def call_fn(params, state, rng, inputs):
                return apply(params, state, rng, inputs)

            def init_fn(rng, inputs):
                return init(rng, inputs)

        params, state = (None, None) if variables is None else split(variables)
        super().__init__(call_fn, init_fn, params=params, state=state or None, **kwargs)
        self.module = module
        self.method = method

    def get_config(self) -> dict[str, Any]:
        """The base config plus ``module`` and ``method`` (the objects themselves)."""
        config = KerasLayer.get_config(self)
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__
        config.update({"module": self.module, "method": method, "seed": self.seed})
        return config
