"""The Keras-style optimizer objects: :class:`Optimizer` and :class:`OptaxOptimizer`."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import optax

from jnet import errors
from jnet.optimizers import schedules
from jnet.optimizers._checks import (
    LearningRate,
    _check_clipping,
    _check_learning_rate,
    _check_loss_scale_factor,
    _check_non_negative,
    _check_range,
)

__all__ = ["OptaxOptimizer", "Optimizer"]


def _snake_case(name: str) -> str:
    """Keras's ``to_snake_case`` (the default optimizer names: 'adam', 'rm_sprop', ...)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class Optimizer:
    """Base class of jnet's optimizers: Keras's arguments, an optax transformation inside.

    An optimizer is a description (hyperparameters); :meth:`build` turns it into an
    ``optax.GradientTransformation`` whose state (:class:`OptimizerState`) carries
    ``iterations`` and the learning rate. Subclasses implement :meth:`build` (and extend
    :meth:`get_config`).

    Args:
        learning_rate: a float >= 0, or a schedule ``step -> learning rate`` evaluated at the
            step count before each update (the first step uses ``schedule(0)``).
        weight_decay: decoupled weight decay ``w - w * weight_decay * lr``, or None.
        clipnorm: clip each gradient tensor to this L2 norm, or None.
        clipvalue: clip gradient elements to ``[-clipvalue, clipvalue]``, or None.
        global_clipnorm: clip the gradients to this global L2 norm, or None.
        use_ema: must be False (EMA of the weights is not supported yet).
        ema_momentum: accepted for Keras compatibility; unused while ``use_ema`` is False.
        ema_overwrite_frequency: accepted for Keras compatibility; must be None.
        loss_scale_factor: divide the gradients by this before clipping, or None.
        gradient_accumulation_steps: must be None (not supported yet).
        name: the optimizer's name; defaults to the snake-cased class name, as in Keras
            (without Keras's ``_1``, ``_2`` uniquifying suffixes).
        **kwargs: Keras's deprecated ``decay`` is accepted with a warning and ignored;
            anything else raises.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.SGD(learning_rate=0.1)
        >>> tx = opt.build()
        >>> state = tx.init(jnp.zeros(2))
        >>> updates, state = tx.update(jnp.ones(2), state)
        >>> updates.tolist()
        [-0.10000000149011612, -0.10000000149011612]
    """

    def __init__(
        self,
        learning_rate: LearningRate,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.", stacklevel=2
            )
        if kwargs:
            raise errors.JnetValueError(
                f"Argument(s) not recognized by {type(self).__name__}: {sorted(kwargs)}."
            )
        if name is None:
            name = _snake_case(type(self).__name__)
        if not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string or None; received {errors.describe(name)}."
            )
        self.name = name
        self._learning_rate = _check_learning_rate(learning_rate)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay, allow_none=True)
        self.clipnorm, self.clipvalue, self.global_clipnorm = _check_clipping(
            clipnorm, clipvalue, global_clipnorm
        )
        if use_ema:
            raise errors.JnetValueError(
                "use_ema=True is not supported by jnet yet; received use_ema=True. Leave it "
                "False (the default)."
            )
        if ema_overwrite_frequency is not None:
            raise errors.JnetValueError(
                f"ema_overwrite_frequency is only meaningful with use_ema=True, which jnet does "
                f"not support yet; received ema_overwrite_frequency={ema_overwrite_frequency!r}."
            )
        if gradient_accumulation_steps is not None:
            raise errors.JnetValueError(
                f"gradient_accumulation_steps is not supported by jnet yet; received "
                f"gradient_accumulation_steps={gradient_accumulation_steps!r}. Leave it None "
                f"(or wrap the transformation in optax.MultiSteps)."
            )
        self.use_ema = False
        self.ema_momentum = _check_range("ema_momentum", ema_momentum, 0.0, 1.0)
        self.ema_overwrite_frequency = None
        self.loss_scale_factor = _check_loss_scale_factor(loss_scale_factor)
        self.gradient_accumulation_steps = None

    @property
    def learning_rate(self) -> LearningRate:
        """The configured learning rate: a float or a schedule.

        Setting it affects the next :meth:`build`. To change the learning rate of a running
        optimizer state, use :func:`set_learning_rate` on the state. As in Keras, a
        schedule cannot be replaced by a float.
        """
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: LearningRate) -> None:
        value = _check_learning_rate(value)
        if callable(self._learning_rate) and not callable(value):
            raise errors.JnetTypeError(
                "This optimizer was created with a learning-rate schedule, hence its learning "
                "rate is not settable to a float. Create the optimizer with a float "
                "`learning_rate` if you need to set it."
            )
        self._learning_rate = value

    def _extras(self) -> dict[str, Any]:
        """The base-class options, as keyword arguments of :func:`keras_transformation`."""
        return {
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
            "loss_scale_factor": self.loss_scale_factor,
        }

    def build(self) -> optax.GradientTransformation:
        """Returns the optax transformation that applies this optimizer.

        Returns:
            An ``optax.GradientTransformation``; ``init(params)`` gives an
            :class:`OptimizerState` and ``update(grads, state, params)`` gives updates for
            ``optax.apply_updates``.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement build() -> optax.GradientTransformation."
        )

    def get_config(self) -> dict[str, Any]:
        """The optimizer's arguments, with Keras's keys.

        Returns:
            A dict; ``type(opt).from_config(opt.get_config())`` rebuilds the optimizer.
        """
        learning_rate = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(learning_rate)  # as Keras does
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Optimizer:
        """Builds an optimizer from :meth:`get_config`'s output.

        Args:
            config: a dict of constructor arguments.

        Returns:
            A new optimizer.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), Mapping):  # a serialized schedule
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self) -> str:
        config = self.get_config()
        shown = ", ".join(f"{k}={v!r}" for k, v in config.items() if k != "name")
        return f"{type(self).__name__}(name={self.name!r}, {shown})"


class OptaxOptimizer(Optimizer):
    """A raw optax transformation (``optax.adam(1e-3)``) as a jnet optimizer.

    :meth:`build` returns the transformation unchanged, so its numbers are optax's, not
    Keras's, and its learning rate cannot be read or set through jnet (wrap the optax
    optimizer in ``optax.inject_hyperparams`` to make it adjustable).

    Args:
        transformation: an ``optax.GradientTransformation``.
        name: the optimizer's name; defaults to 'optax_optimizer'.

    Example:
        >>> import optax
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.get(optax.sgd(0.1))
        >>> isinstance(opt, jnet.optimizers.OptaxOptimizer)
        True
    """

    def __init__(self, transformation: optax.GradientTransformation, name: str | None = None):
        if not isinstance(transformation, optax.GradientTransformation):
            raise errors.JnetTypeError(
                f"OptaxOptimizer wraps an optax.GradientTransformation; received "
                f"{errors.describe(transformation)}."
            )
        self.transformation = transformation
        self.name = _snake_case(type(self).__name__) if name is None else name
        self._learning_rate = None
        self.weight_decay = self.clipnorm = self.clipvalue = self.global_clipnorm = None
        self.loss_scale_factor = self.ema_overwrite_frequency = None
        self.gradient_accumulation_steps = None
        self.use_ema = False
        self.ema_momentum = 0.99

    @property
    def learning_rate(self) -> LearningRate:
        """Not available: the learning rate lives inside the optax transformation."""
        raise errors.JnetTypeError(
            "This OptaxOptimizer wraps a raw optax transformation, whose learning rate jnet "
            "cannot read or set. Use a jnet optimizer (jnet.optimizers.Adam(...)) or "
            "optax.inject_hyperparams(...)(learning_rate=...) to make it adjustable."
        )

    @learning_rate.setter
    def learning_rate(self, value: LearningRate) -> None:
        del value
        _ = self.learning_rate  # raises the same error

    def build(self) -> optax.GradientTransformation:
        """Returns the wrapped transformation, unchanged."""
        return self.transformation

    def get_config(self) -> dict[str, Any]:
        """``{'name': ..., 'transformation': ...}``; the transformation is not serializable."""
        return {"name": self.name, "transformation": self.transformation}
