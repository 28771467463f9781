"""Resolving optimizer identifiers: names, configs, objects and raw optax transformations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import optax

from jnet import errors
from jnet._registry import Registry
from jnet.optimizers import _multi
from jnet.optimizers._adadelta import Adadelta
from jnet.optimizers._adafactor import Adafactor
from jnet.optimizers._adagrad import Adagrad
from jnet.optimizers._adam import Adam, AdamW
from jnet.optimizers._adamax import Adamax
from jnet.optimizers._ftrl import Ftrl
from jnet.optimizers._lamb import Lamb
from jnet.optimizers._lion import Lion
from jnet.optimizers._loss_scale import LossScaleOptimizer
from jnet.optimizers._multi import MultiOptimizer, OptimizerMap
from jnet.optimizers._muon import Muon
from jnet.optimizers._nadam import Nadam
from jnet.optimizers._optimizer import OptaxOptimizer, Optimizer
from jnet.optimizers._rmsprop import RMSprop
from jnet.optimizers._schedule_free import ScheduleFreeAdamW
from jnet.optimizers._sgd import SGD

__all__ = ["deserialize", "get", "serialize"]

_CLASSES = (
    SGD,
    Adam,
    AdamW,
    RMSprop,
    Adagrad,
    Adamax,
    Nadam,
    Adadelta,
    Ftrl,
    Lion,
    Lamb,
    Adafactor,
    Muon,
    ScheduleFreeAdamW,
)

REGISTRY = Registry(
    "optimizer",
    {cls.__name__.lower(): cls for cls in _CLASSES},
    aliases={cls.__name__: cls.__name__.lower() for cls in _CLASSES},
)
"""Optimizer names (Keras's lower-case class names) -> classes; lookups ignore case."""


def _normalize(name: str) -> str:
    """Keras resolves built-in optimizer names case-insensitively ('ADAM' is 'adam')."""
    return name.lower() if name.lower() in REGISTRY else name


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """An optimizer as Keras's ``{'class_name': ..., 'config': ...}`` dict.

    Args:
        optimizer: a jnet optimizer.

    Returns:
        A dict that :func:`deserialize` and :func:`get` turn back into an equal optimizer.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.serialize(jnet.optimizers.SGD())["class_name"]
        'SGD'
    """
    if not isinstance(optimizer, Optimizer):
        raise errors.JnetTypeError(
            f"serialize() takes a jnet optimizer; received {errors.describe(optimizer)}."
        )
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: Mapping[str, Any]) -> Optimizer:
    """Builds an optimizer from a ``{'class_name': ..., 'config': {...}}`` dict.

    Args:
        config: Keras's serialized form; ``class_name`` is matched case-insensitively.

    Returns:
        A new optimizer.

    Example:
        >>> import jnet.optimizers
        >>> jnet.optimizers.deserialize({"class_name": "Adam", "config": {"beta_1": 0.8}}).beta_1
        0.8
    """
    if not isinstance(config, Mapping):
        raise errors.JnetTypeError(
            f"deserialize() takes a config dict; received {errors.describe(config)}."
        )
    config = dict(config)
    if isinstance(config.get("class_name"), str):
        config["class_name"] = _normalize(config["class_name"])
    if isinstance(config.get("class_name"), str) and config["class_name"].lower() in (
            "multioptimizer", "optimizermap"):
        config["class_name"] = {"multioptimizer": "MultiOptimizer",
                                "optimizermap": "OptimizerMap"}[config["class_name"].lower()]
    if config.get("class_name") == "LossScaleOptimizer":  # a wrapper: no default to build
        inner = dict(config.get("config") or {})
        if isinstance(inner.get("inner_optimizer"), Mapping | str):
            inner["inner_optimizer"] = get(inner["inner_optimizer"])
        return LossScaleOptimizer.from_config(inner)
    if config.get("class_name") in ("MultiOptimizer", "OptimizerMap"):  # wrappers, as above
        cls = MultiOptimizer if config["class_name"] == "MultiOptimizer" else OptimizerMap
        return cls.from_config(dict(config.get("config") or {}))
    return REGISTRY.get(config, from_config=lambda cls, cfg: cls.from_config(cfg))


def get(identifier: Any) -> Optimizer | None:
    """Retrieves an optimizer, like ``keras.optimizers.get``.

    Args:
        identifier: one of
            - a name: 'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam',
              'adadelta', 'ftrl', 'lion', 'lamb', 'adafactor' or Keras's class names ('SGD',
              'Adam', 'AdamW', 'RMSprop', ...; any case): a NEW optimizer with default
              arguments;
            - a config dict ``{'class_name': 'Adam', 'config': {...}}``;
            - a jnet :class:`Optimizer`: returned as is;
            - a raw ``optax.GradientTransformation``: wrapped in :class:`OptaxOptimizer`;
            - None: returns None.

    Returns:
        An :class:`Optimizer` (or None).

    Raises:
        UnknownIdentifierError: an unknown name (the message lists the valid ones).
        JnetTypeError: anything else.

    Example:
        >>> import jnet.optimizers
        >>> type(jnet.optimizers.get("rmsprop")).__name__
        'RMSprop'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return REGISTRY.lookup(_normalize(identifier))()
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    if isinstance(identifier, optax.GradientTransformation):
        return OptaxOptimizer(identifier)
    hint = ""
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        hint = f" Pass an instance, e.g. {identifier.__name__}()."
    raise errors.JnetTypeError(
        f"Could not interpret optimizer identifier: {errors.describe(identifier)}. Expected "
        f"a name ({', '.join(repr(n) for n in REGISTRY.names())}), a config dict, a jnet "
        f"optimizer or an optax.GradientTransformation.{hint}"
    )


_multi.RESOLVE.append(get)
