"""Keras's learning-rate schedules as jit-able callables ``step -> learning rate``.

Each schedule has Keras's arguments, defaults, ``get_config`` and formula, computed in float32
in Keras's order of operations (``keras/src/optimizers/schedules/learning_rate_schedule.py``),
so ``schedule(step)`` equals Keras's learning rate at that step. Pass one as ``learning_rate=``
to any jnet optimizer: the optimizer evaluates it at ``iterations`` before each update, as
Keras does (the first step uses ``schedule(0)``).

Example:
    >>> import jax.numpy as jnp
    >>> import jnet.optimizers
    >>> from jnet.optimizers import schedules
    >>> lr = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(lr(10)), 6)
    0.05
    >>> tx = jnet.optimizers.SGD(learning_rate=lr).build()
    >>> float(jnet.optimizers.get_learning_rate(tx.init(jnp.zeros(2))))
    0.10000000149011612
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet._registry import Registry, keras_object_config
from jnet.optimizers._checks import _check_bool, _check_float, _check_non_negative, _number
from jnet.optimizers._transformation import _unfused

__all__ = [
    "REGISTRY",
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]

_F32 = jnp.float32


def _f32(value: Any) -> jax.Array:
    return jnp.asarray(value, _F32)


def _step(step: Any) -> jax.Array:
    """The step as an array (Keras passes its int64 ``iterations``; jnet its int32 one)."""
    return jnp.asarray(step)


def _runtime(value: Any, step: jax.Array) -> jax.Array:
    """``value`` as a float32 that XLA cannot treat as a constant.

    XLA rewrites ``x / c`` for a constant ``c`` into ``x * (1 / c)`` (and then fuses it into
    multiply-adds), which is not TensorFlow's rounding: ``1 - 400 * (1 / 400)`` is not 0. A
    select on the runtime step hides the constant; ``step`` is never NaN, so this is
    ``value``.
    """
    return jnp.where(jnp.isnan(step), jnp.asarray(jnp.nan, _F32), _f32(value))


def _check_steps(name: str, value: Any) -> Any:
    number = _number(name, value, "a number > 0")
    if number <= 0 or not math.isfinite(number):
        raise errors.JnetValueError(f"Argument `{name}` must be > 0. Received: {name}={value!r}")
    return value


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise errors.JnetTypeError(
            f"Argument `name` must be a string; received {errors.describe(name)}."
        )
    return name


class LearningRateSchedule:
    """Base class of the schedules: a callable ``step -> learning rate`` with a config.

    Subclasses implement ``__call__(step)`` with jax.numpy (so it jits) and ``get_config``.
    Any callable that takes the step works as a learning rate; subclassing adds
    serialization (:func:`serialize`, :func:`deserialize`).

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers.schedules import LearningRateSchedule
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** jnp.asarray(step).astype(jnp.float32)
        ...     def get_config(self):
        ...         return {}
        >>> float(Halving()(2))
        0.02500000037252903
    """

    def __call__(self, step: Any) -> jax.Array:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, with Keras's keys."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            f"order to be serializable."
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LearningRateSchedule:
        """Builds the schedule from :meth:`get_config`'s output."""
        return cls(**dict(config))

    def __repr__(self) -> str:
        try:
            config = self.get_config()
        except NotImplementedError:
            return f"{type(self).__name__}()"
        shown = ", ".join(f"{k}={v!r}" for k, v in config.items())
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        try:
            return self.get_config() == other.get_config()
        except NotImplementedError:
            return self is other

    __hash__ = object.__hash__


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``, Keras's ExponentialDecay.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: > 0; the learning rate is multiplied by ``decay_rate`` every
            ``decay_steps`` steps.
        decay_rate: the decay factor.
        staircase: if True, ``step / decay_steps`` is floored (decay at discrete
            intervals). Defaults to False.
        name: defaults to "ExponentialDecay".

    Example:
        >>> from jnet.optimizers.schedules import ExponentialDecay
        >>> lr = ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5, staircase=True)
        >>> [float(lr(s)) for s in range(5)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ):
        self.initial_learning_rate = _check_float("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_steps("decay_steps", decay_steps)
        self.decay_rate = _check_float("decay_rate", decay_rate)
        self.staircase = _check_bool("staircase", staircase)
        self.name = _check_name(name)

    def __call__(self, step: Any) -> jax.Array:
        global_step = _step(step).astype(_F32)
        p = global_step / _runtime(self.decay_steps, global_step)
        if self.staircase:
            p = jnp.floor(p)
        return _f32(self.initial_learning_rate) * jnp.power(_f32(self.decay_rate), p)

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: initial_learning_rate, decay_steps, decay_rate, staircase, name."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """A piecewise constant learning rate, Keras's PiecewiseConstantDecay.

    ``values[0]`` while ``step <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < step <= boundaries[i]``, and ``values[-1]`` after the last boundary.

    Args:
        boundaries: increasing step numbers (cast to the step's integer dtype, as in Keras).
        values: one more value than boundaries.
        name: defaults to "PiecewiseConstant".

    Example:
        >>> from jnet.optimizers.schedules import PiecewiseConstantDecay
        >>> lr = PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
        >>> [round(float(lr(s)), 3) for s in range(6)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(
        self, boundaries: Sequence[Any], values: Sequence[Any], name: str = "PiecewiseConstant"
    ):
        for arg, seq in (("boundaries", boundaries), ("values", values)):
            if not isinstance(seq, Sequence) or isinstance(seq, str):
                raise errors.JnetTypeError(
                    f"Argument `{arg}` must be a list of numbers; received {errors.describe(seq)}."
                )
            for i, v in enumerate(seq):
                _number(f"{arg}[{i}]", v, "a number")
        if len(boundaries) != len(values) - 1:
            raise errors.JnetValueError(
                f"The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={list(boundaries)} of length {len(boundaries)}, and "
                f"values={list(values)} of length {len(values)}."
            )
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = _check_name(name)

    def __call__(self, step: Any) -> jax.Array:
        step = _step(step)
        dtype = jax.dtypes.canonicalize_dtype(np.asarray(self.values[0]).dtype)
        values = [jnp.asarray(v, dtype) for v in self.values]
        if not self.boundaries:
            return values[0]
        boundaries = [jnp.asarray(b).astype(step.dtype) for b in self.boundaries]
        result = jnp.zeros([], dtype)
        result = result + (step <= boundaries[0]).astype(dtype) * values[0]
        result = result + (step > boundaries[-1]).astype(dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1], strict=True):
            result = result + ((step > low) & (step <= high)).astype(dtype) * value
        return result

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: boundaries, values, name."""
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """A polynomial decay to ``end_learning_rate`` over ``decay_steps``, Keras's PolynomialDecay.

    ``(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end``; with
    ``cycle``, ``decay_steps`` is multiplied by ``ceil(step / decay_steps)`` instead.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: > 0, the length of the decay.
        end_learning_rate: the final learning rate. Defaults to 0.0001.
        power: the polynomial's power. Defaults to 1.0.
        cycle: whether to restart after ``decay_steps``. Defaults to False.
        name: defaults to "PolynomialDecay".

    Example:
        >>> from jnet.optimizers.schedules import PolynomialDecay
        >>> lr = PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0)
        >>> [float(lr(s)) for s in (0, 2, 4, 8)]
        [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ):
        self.initial_learning_rate = _check_float("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_steps("decay_steps", decay_steps)
        self.end_learning_rate = _check_float("end_learning_rate", end_learning_rate)
        self.power = _check_float("power", power)
        self.cycle = _check_bool("cycle", cycle)
        self.name = _check_name(name)

    def __call__(self, step: Any) -> jax.Array:
        initial = _f32(self.initial_learning_rate)
        end = _f32(self.end_learning_rate)
        global_step = _step(step).astype(_F32)
        decay_steps = _runtime(self.decay_steps, global_step)
        if self.cycle:
            multiplier = jnp.where(global_step == 0, _f32(1.0), jnp.ceil(global_step / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            global_step = jnp.minimum(global_step, decay_steps)
        p = global_step / decay_steps
        return _unfused((initial - end) * jnp.power(1 - p, _f32(self.power))) + end

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: initial_learning_rate, decay_steps, end_learning_rate, power, cycle,
        name."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``, Keras's InverseTimeDecay.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: > 0, how often to apply the decay.
        decay_rate: the decay rate.
        staircase: if True, ``step / decay_steps`` is floored. Defaults to False.
        name: defaults to "InverseTimeDecay".

    Example:
        >>> from jnet.optimizers.schedules import InverseTimeDecay
        >>> lr = InverseTimeDecay(1.0, decay_steps=1, decay_rate=0.5)
        >>> [float(lr(s)) for s in (0, 2, 6)]
        [1.0, 0.5, 0.25]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ):
        self.initial_learning_rate = _check_float("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_steps("decay_steps", decay_steps)
        self.decay_rate = _check_float("decay_rate", decay_rate)
        self.staircase = _check_bool("staircase", staircase)
        self.name = _check_name(name)

    def __call__(self, step: Any) -> jax.Array:
        global_step = _step(step).astype(_F32)
        p = global_step / _runtime(self.decay_steps, global_step)
        if self.staircase:
            p = jnp.floor(p)
        denominator = _f32(1) + _unfused(_f32(self.decay_rate) * p)
        return _f32(self.initial_learning_rate) / denominator

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: initial_learning_rate, decay_steps, decay_rate, staircase, name."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """A cosine decay with optional linear warmup, Keras's CosineDecay.

    Without ``warmup_target``: ``initial * ((1 - alpha) * c + alpha)`` with
    ``c = 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps))``. With it: a linear
    warmup from ``initial_learning_rate`` to ``warmup_target`` over ``warmup_steps``, then the
    cosine decay from ``warmup_target`` over ``decay_steps``.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: > 0, the length of the decay.
        alpha: the final learning rate as a fraction of the decay's start. Defaults to 0.0.
        name: defaults to "CosineDecay".
        warmup_target: the learning rate at the end of the warmup, or None (no warmup).
        warmup_steps: the length of the warmup, >= 0. Defaults to 0.

    Example:
        >>> from jnet.optimizers.schedules import CosineDecay
        >>> lr = CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=2)
        >>> [round(float(lr(s)), 4) for s in (0, 1, 2, 7, 12, 20)]
        [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        self.initial_learning_rate = _check_float("initial_learning_rate", initial_learning_rate)
        self.decay_steps = _check_steps("decay_steps", decay_steps)
        self.alpha = _check_float("alpha", alpha)
        self.name = _check_name(name)
        _check_non_negative("warmup_steps", warmup_steps)
        self.warmup_steps = warmup_steps
        self.warmup_target = (
            None if warmup_target is None else _check_float("warmup_target", warmup_target)
        )

    def _decay_function(
        self, step: jax.Array, decay_steps: jax.Array, decay_from_lr: jax.Array
    ) -> jax.Array:
        completed_fraction = step / decay_steps
        cosine_decayed = 0.5 * (1.0 + jnp.cos(_f32(math.pi) * completed_fraction))
        decayed = _unfused((1 - self.alpha) * cosine_decayed) + self.alpha
        return decay_from_lr * decayed

    def __call__(self, step: Any) -> jax.Array:
        initial = _f32(self.initial_learning_rate)
        global_step = _step(step).astype(_F32)
        decay_steps = _runtime(self.decay_steps, global_step)
        if self.warmup_target is None:
            global_step = jnp.minimum(global_step, decay_steps)
            return self._decay_function(global_step, decay_steps, initial)
        warmup_target = _f32(self.warmup_target)
        warmup_steps = _runtime(self.warmup_steps, global_step)
        global_step = jnp.minimum(global_step, decay_steps + warmup_steps)
        completed_fraction = global_step / warmup_steps
        warmup = _unfused((warmup_target - initial) * completed_fraction) + initial
        decay = self._decay_function(global_step - warmup_steps, decay_steps, warmup_target)
        return jnp.where(global_step < warmup_steps, warmup, decay)

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: initial_learning_rate, decay_steps, alpha, name, warmup_target,
        warmup_steps."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay with warm restarts (SGDR), Keras's CosineDecayRestarts.

    The first period lasts ``first_decay_steps``; each restart lasts ``t_mul`` times longer
    and starts from ``m_mul`` times the previous peak.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: > 0, the length of the first period.
        t_mul: the growth factor of the period lengths. Defaults to 2.0.
        m_mul: the factor of the peak learning rate at each restart. Defaults to 1.0.
        alpha: the minimum learning rate as a fraction of ``initial_learning_rate``.
            Defaults to 0.0.
        name: defaults to "SGDRDecay".

    Example:
        >>> from jnet.optimizers.schedules import CosineDecayRestarts
        >>> lr = CosineDecayRestarts(1.0, first_decay_steps=2, t_mul=1.0, m_mul=0.5)
        >>> [round(float(lr(s)), 4) for s in range(5)]
        [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str = "SGDRDecay",
    ):
        self.initial_learning_rate = _check_float("initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = _check_steps("first_decay_steps", first_decay_steps)
        self._t_mul = _check_float("t_mul", t_mul)
        self._m_mul = _check_float("m_mul", m_mul)
        self.alpha = _check_float("alpha", alpha)
        self.name = _check_name(name)

    def __call__(self, step: Any) -> jax.Array:
        initial = _f32(self.initial_learning_rate)
        global_step = _step(step).astype(_F32)
        first_decay_steps = _runtime(self.first_decay_steps, global_step)
        alpha = _f32(self.alpha)
        t_mul = _runtime(self._t_mul, global_step)
        m_mul = _f32(self._m_mul)
        completed_fraction = global_step / first_decay_steps
        if np.float32(self._t_mul) == 1.0:
            i_restart = jnp.floor(completed_fraction)
            completed_fraction = completed_fraction - i_restart
        else:
            i_restart = jnp.floor(
                jnp.log(1.0 - _unfused(completed_fraction * (1.0 - t_mul))) / jnp.log(t_mul)
            )
            sum_r = (1.0 - jnp.power(t_mul, i_restart)) / (1.0 - t_mul)
            completed_fraction = (completed_fraction - sum_r) / jnp.power(t_mul, i_restart)
        m_fac = jnp.power(m_mul, i_restart)
        cosine_decayed = (0.5 * m_fac) * (1.0 + jnp.cos(_f32(math.pi) * completed_fraction))
        decayed = _unfused((1 - alpha) * cosine_decayed) + alpha
        return initial * decayed

    @property
    def t_mul(self) -> float:
        """The growth factor of the period lengths."""
        return self._t_mul

    @property
    def m_mul(self) -> float:
        """The factor of the peak learning rate at each restart."""
        return self._m_mul

    def get_config(self) -> dict[str, Any]:
        """Keras's keys: initial_learning_rate, first_decay_steps, t_mul, m_mul, alpha, name."""
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_CLASSES = (
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
    InverseTimeDecay,
    CosineDecay,
    CosineDecayRestarts,
)

REGISTRY = Registry("learning rate schedule", {cls.__name__: cls for cls in _CLASSES})
"""Schedule class names (Keras's) -> classes."""


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """A schedule as Keras's ``{'module', 'class_name', 'config', 'registered_name'}`` dict.

    Args:
        schedule: a :class:`LearningRateSchedule`.

    Returns:
        A dict that :func:`deserialize` (and Keras's own ``deserialize``) turns back into an
        equal schedule.

    Example:
        >>> from jnet.optimizers import schedules
        >>> schedules.serialize(schedules.CosineDecay(0.1, 100))["class_name"]
        'CosineDecay'
    """
    if not isinstance(schedule, LearningRateSchedule):
        raise errors.JnetTypeError(
            f"serialize() takes a LearningRateSchedule; received {errors.describe(schedule)}."
        )
    return keras_object_config(schedule, "keras.optimizers.schedules")


def deserialize(config: Mapping[str, Any]) -> LearningRateSchedule:
    """Builds a schedule from a ``{'class_name': ..., 'config': {...}}`` dict.

    Args:
        config: the output of :func:`serialize` or of Keras's ``schedules.serialize``.

    Returns:
        A new schedule.

    Example:
        >>> from jnet.optimizers import schedules
        >>> lr = schedules.deserialize(
        ...     {"class_name": "InverseTimeDecay",
        ...      "config": {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 1.0}})
        >>> round(float(lr(1)), 6)
        0.05
    """
    if not isinstance(config, Mapping):
        raise errors.JnetTypeError(
            f"deserialize() takes a config dict; received {errors.describe(config)}."
        )
    return REGISTRY.get(dict(config), from_config=lambda cls, cfg: cls.from_config(cfg))
