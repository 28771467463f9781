"""Several optimizers over disjoint groups of weights: Keras's ``OptimizerMap`` and
``MultiOptimizer`` (``keras/src/optimizers/multi_optimizer.py``).

Each weight is assigned to one optimizer by its path (``'encoder/dense/kernel'``, the keys of
the parameter tree joined by ``/``, Keras's ``variable.path``), through an :class:`OptimizerMap`
(exact key first, else the one key that ``re.fullmatch``-es, else the default optimizer) or a
callable ``variable -> optimizer``. Each optimizer then runs its own transformation on its
group, with its own step count and slots, exactly as Keras's ``MultiOptimizer.apply`` calls
each sub-optimizer's ``apply`` on its variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

import flax.struct
import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import _check_loss_scale_factor
from jnet.optimizers._loss_scale import LossScaleOptimizer
from jnet.optimizers._muon import _path_string
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._stateful import _stand_in

__all__ = ["MultiOptimizer", "MultiOptimizerState", "OptimizerMap"]


def _check_inner(optimizer: Any, where: str) -> None:
    if isinstance(optimizer, LossScaleOptimizer):
        raise errors.JnetValueError(f"{where}: a LossScaleOptimizer cannot be used inside a "
                                    "MultiOptimizer; wrap the MultiOptimizer instead.")
    if isinstance(optimizer, MultiOptimizer):
        raise errors.JnetValueError(f"{where}: a MultiOptimizer cannot be used inside a "
                                    "MultiOptimizer.")
    if not isinstance(optimizer, Optimizer):
        raise errors.JnetTypeError(f"{where} must be a jnet optimizer (jnet.optimizers.Adam(), "
                                   f"...); received {errors.describe(optimizer)}.")


class OptimizerMap(MutableMapping):
    """Maps weight paths (or regular expressions over them) to optimizers, Keras's
    ``keras.optimizers.OptimizerMap``.

    A lookup ``optimizer_map[path]`` returns the optimizer of an exact key, else of the one
    key that ``re.fullmatch``-es the path (two matching keys are an error), else
    ``default_optimizer``. ``'encoder/.*'`` covers every weight under ``encoder``.

    Args:
        default_optimizer: the optimizer of every weight no key matches.
        optimizer_map: a dict ``{path or pattern: optimizer}``, or None. Defaults to None.

    Example:
        >>> import jnet.optimizers as opt
        >>> optimizer_map = opt.OptimizerMap(default_optimizer=opt.Lion())
        >>> optimizer_map["encoder/.*"] = opt.SGD()
        >>> optimizer_map["decoder"] = opt.Adam()
        >>> optimizer_map["decoder"].name, optimizer_map["encoder/dense/kernel"].name
        ('adam', 'sgd')
        >>> optimizer_map["decoder/dense/kernel"].name
        'lion'
    """

    def __init__(self, default_optimizer: Optimizer,
                 optimizer_map: dict[str, Optimizer] | None = None):
        if not isinstance(default_optimizer, Optimizer):
            raise errors.JnetTypeError(
                "Argument `default_optimizer` must be a jnet optimizer; received "
                f"{errors.describe(default_optimizer)}.")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise errors.JnetTypeError(
                "Argument `optimizer_map` must be a dict {path pattern: optimizer} or None; "
                f"received {errors.describe(optimizer_map)}.")
        self._default_optimizer = default_optimizer
        self._optimizer_map: dict[str, Optimizer] = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self) -> Optimizer:
        """The optimizer of the weights no key matches."""
        return self._default_optimizer

    def __getitem__(self, key: str) -> Optimizer:
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise errors.JnetValueError(
                f"Multiple optimizers assigned to variable {key!r}: the keys {matching} all "
                "match it. Make the patterns disjoint.")
        if matching:
            return self._optimizer_map[matching[0]]
        return self._default_optimizer

    def __setitem__(self, key: str, optimizer: Optimizer) -> None:
        if key in self._optimizer_map:
            raise errors.JnetValueError(
                f"{key!r} already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]!r}. Please make sure to not use duplicated keys.")
        if not isinstance(key, str):
            raise errors.JnetTypeError(
                f"An OptimizerMap key must be a string (a path or a pattern); received "
                f"{errors.describe(key)}.")
        _check_inner(optimizer, f"The optimizer for {key!r}")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key: str) -> None:
        del self._optimizer_map[key]

    def __len__(self) -> int:
        return len(self._optimizer_map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._optimizer_map)

    def __call__(self, variable: Any) -> Optimizer:
        """The optimizer of ``variable`` (by its ``path``)."""
        return self[variable.path]

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: the serialized default optimizer and map."""
        return {
            "default_optimizer": _serialize(self._default_optimizer),
            "optimizer_map": {k: _serialize(v) for k, v in self._optimizer_map.items()},
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> OptimizerMap:
        """Rebuilds the map from :meth:`get_config`'s output."""
        optimizer_map = config.get("optimizer_map") or {}
        if "config" in optimizer_map and "class_name" in optimizer_map:  # Keras's dict form
            optimizer_map = optimizer_map["config"]
        return cls(_deserialize(config["default_optimizer"]),
                   {k: _deserialize(v) for k, v in optimizer_map.items()})


def _serialize(optimizer: Optimizer) -> dict[str, Any]:
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


#: ``jnet.optimizers.get``, set by ``_get`` (which imports this module: the registry of every
#: optimizer class sits above it), to rebuild the optimizers inside a config.
RESOLVE: list[Callable[[Any], Optimizer]] = []


def _deserialize(config: Any) -> Optimizer:
    if isinstance(config, Optimizer):
        return config
    return RESOLVE[0](config)


@flax.struct.dataclass
class MultiOptimizerState:
    """A :class:`MultiOptimizer`'s state: its own step count and each sub-optimizer's state.

    Attributes:
        iterations: int32 scalar, the steps applied.
        inner: a tuple with one state per sub-optimizer (None for one with no weights).
    """

    iterations: jax.Array
    inner: tuple


class MultiOptimizer(Optimizer):
    """Different optimizers for different weights, Keras's ``keras.optimizers.MultiOptimizer``.

    Weights are assigned by path through an :class:`OptimizerMap` or a callable
    ``variable -> optimizer`` (it receives a :class:`jnet.Variable` whose ``path`` is the
    weight's path, as Keras's does, once per weight). Every sub-optimizer keeps its own
    learning rate, step count and slots; the MultiOptimizer has no learning rate of its own
    (reading or setting ``learning_rate`` raises, as in Keras).

    Args:
        optimizer_map: an :class:`OptimizerMap`, or a callable ``variable -> optimizer``.
        loss_scale_factor: overrides every sub-optimizer's ``loss_scale_factor``. Defaults
            to None.
        name: the optimizer's name. Defaults to 'multi_optimizer'.

    Example:
        >>> import jax.numpy as jnp
        >>> import optax
        >>> import jnet.optimizers as opt
        >>> multi = opt.MultiOptimizer(
        ...     opt.OptimizerMap(opt.SGD(0.1), {"encoder/.*": opt.SGD(1.0)}))
        >>> params = {"encoder": {"w": jnp.ones(2)}, "head": {"w": jnp.ones(2)}}
        >>> tx = multi.build()
        >>> updates, _ = tx.update(params, tx.init(params), params)
        >>> updates["encoder"]["w"].tolist(), updates["head"]["w"].tolist()
        ([-1.0, -1.0], [-0.10000000149011612, -0.10000000149011612])
    """

    def __init__(self, optimizer_map: OptimizerMap | Callable[[Any], Optimizer],
                 loss_scale_factor: float | None = None, name: str | None = None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        if not callable(optimizer_map):
            raise errors.JnetTypeError(
                "Argument `optimizer_map` must be an OptimizerMap or a callable "
                f"`variable -> optimizer`; received {errors.describe(optimizer_map)}.")
        self._learning_rate = None  # no rate of its own (the engine leaves it alone)
        self._optimizer_map = optimizer_map
        self._inner_optimizers: list[Optimizer] = []
        self._assignment: dict[str, int] = {}
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in [*candidates, *([default] if default is not None else [])]:
            self._adopt(optimizer)

    def _adopt(self, optimizer: Optimizer) -> int:
        for i, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return i
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list[Optimizer]:
        """The sub-optimizers, in Keras's order (the map's, its default, then the callable's)."""
        return self._inner_optimizers

    @property
    def learning_rate(self) -> Any:
        """Not available: each sub-optimizer has its own (read it on :attr:`optimizers`)."""
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate "
            "on the individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead.")

    @property
    def loss_scale_factor(self) -> float | None:
        """The loss scale factor, also set on every sub-optimizer."""
        return self.__dict__.get("_loss_scale_factor")

    @loss_scale_factor.setter
    def loss_scale_factor(self, value: float | None) -> None:
        value = _check_loss_scale_factor(value)
        self.__dict__["_loss_scale_factor"] = value
        for optimizer in self.__dict__.get("_inner_optimizers", []):
            optimizer.loss_scale_factor = value

    def _assign(self, params: optax.Params) -> list[int]:
        """The sub-optimizer index of every parameter leaf (resolved once per path)."""
        with_paths, _ = jax.tree_util.tree_flatten_with_path(params)
        indices = []
        for path, leaf in with_paths:
            key = _path_string(path)
            if key not in self._assignment:
                optimizer = self._optimizer_map(_stand_in(path, leaf))
                _check_inner(optimizer, f"The optimizer for variable {key!r}")
                self._assignment[key] = self._adopt(optimizer)
            indices.append(self._assignment[key])
        return indices

    def build(self) -> optax.GradientTransformation:
        """The optax transformation: each sub-optimizer's on its group of weights.

        Returns:
            An ``optax.GradientTransformation`` with a :class:`MultiOptimizerState`. Each
            group is passed to its optimizer as a dict ``{path: weight}``.
        """
        transforms: dict[int, optax.GradientTransformation] = {}

        def groups(tree: Any, indices: list[int], paths: list[str]) -> list[dict | None]:
            leaves = jax.tree_util.tree_leaves(tree) if tree is not None else None
            out: list[dict | None] = []
            for i in range(len(self._inner_optimizers)):
                members = [j for j, k in enumerate(indices) if k == i]
                if not members or leaves is None:
                    out.append(None)
                else:
                    out.append({paths[j]: leaves[j] for j in members})
            return out

        def layout(params: Any) -> tuple[list[int], list[str]]:
            indices = self._assign(params)
            with_paths, _ = jax.tree_util.tree_flatten_with_path(params)
            return indices, [_path_string(p) for p, _ in with_paths]

        def transform(i: int) -> optax.GradientTransformation:
            if i not in transforms:
                transforms[i] = self._inner_optimizers[i].build()
            return transforms[i]

        def init_fn(params: optax.Params) -> MultiOptimizerState:
            indices, paths = layout(params)
            inner = tuple(None if group is None else transform(i).init(group)
                          for i, group in enumerate(groups(params, indices, paths)))
            return MultiOptimizerState(iterations=jnp.zeros([], jnp.int32), inner=inner)

        def update_fn(grads, state: MultiOptimizerState, params=None):
            if not isinstance(state, MultiOptimizerState):
                raise errors.JnetTypeError(
                    "A MultiOptimizer's update expects the MultiOptimizerState its init() "
                    f"returned; received {errors.describe(state)}.")
            treedef = jax.tree_util.tree_structure(grads)
            indices, paths = layout(grads)
            grad_groups = groups(grads, indices, paths)
            param_groups = groups(params, indices, paths)
            flat: list[Any] = [None] * len(indices)
            inner = []
            for i, group in enumerate(grad_groups):
                if group is None:
                    inner.append(state.inner[i] if i < len(state.inner) else None)
                    continue
                updates, new_state = transform(i).update(group, state.inner[i],
                                                         param_groups[i])
                inner.append(new_state)
                for j, k in enumerate(indices):
                    if k == i:
                        flat[j] = updates[paths[j]]
            return treedef.unflatten(flat), MultiOptimizerState(
                iterations=optax.safe_increment(state.iterations), inner=tuple(inner))

        return optax.GradientTransformation(init_fn, update_fn)

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: ``optimizer_map`` (serialized), ``loss_scale_factor``, ``name``."""
        optimizer_map = self._optimizer_map
        if isinstance(optimizer_map, OptimizerMap):
            optimizer_map = {"module": "keras.optimizers", "class_name": "OptimizerMap",
                             "config": optimizer_map.get_config(), "registered_name": None}
        return {"optimizer_map": optimizer_map, "loss_scale_factor": self.loss_scale_factor,
                "name": self.name}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MultiOptimizer:
        """Rebuilds the optimizer from :meth:`get_config`'s output (a callable map is kept
        as it is: it is not serializable)."""
        config = dict(config)
        optimizer_map = config["optimizer_map"]
        if isinstance(optimizer_map, Mapping) and optimizer_map.get("class_name") == (
                "OptimizerMap"):
            config["optimizer_map"] = OptimizerMap.from_config(optimizer_map["config"])
        return cls(**config)
