"""Argument checks shared by the optimizers.

Every message names the argument, the value received and what is expected, and the error is a
jnet error that subclasses ``ValueError`` or ``TypeError``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

__all__ = ["LearningRate", "Schedule"]

Schedule = Callable[[jax.Array], Any]
"""A learning-rate schedule: ``step (int32 scalar) -> learning rate``."""

LearningRate = float | Schedule
"""A constant learning rate or a :data:`Schedule`."""


def _is_number(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, int | float | np.integer | np.floating):
        return True
    return (
        isinstance(value, np.ndarray | jax.Array)
        and np.ndim(value) == 0
        and (jnp.issubdtype(value.dtype, jnp.floating) or jnp.issubdtype(value.dtype, jnp.integer))
    )


def _number(name: str, value: Any, expected: str) -> float:
    """``value`` as a Python float, or a JnetTypeError naming the argument."""
    if not _is_number(value):
        raise errors.JnetTypeError(
            f"Argument `{name}` must be {expected}; received {name}={errors.describe(value)}."
        )
    try:
        number = float(value)
    except jax.errors.ConcretizationTypeError as e:
        raise errors.JnetTypeError(
            f"Argument `{name}` must be a concrete number, not a traced value; received "
            f"{name}={errors.describe(value)}. Pass a Python float."
        ) from e
    if math.isnan(number):
        raise errors.JnetValueError(f"Argument `{name}` must be {expected}; received nan.")
    return number


def _check_range(
    name: str, value: Any, low: float, high: float, *, high_open: bool = False
) -> float:
    """A float in [low, high] (or [low, high) when ``high_open``), else an error."""
    bracket = ")" if high_open else "]"
    expected = f"a float in [{low:g}, {high:g}{bracket}"
    number = _number(name, value, expected)
    if number < low or number > high or (high_open and number == high):
        raise errors.JnetValueError(
            f"Argument `{name}` must be {expected}; received {name}={value!r}."
        )
    return number


def _check_non_negative(name: str, value: Any, *, allow_none: bool = False) -> float | None:
    """A finite float >= 0 (or None when allowed), else an error."""
    if value is None and allow_none:
        return None
    expected = "a float >= 0" + (" or None" if allow_none else "")
    number = _number(name, value, expected)
    if number < 0 or not math.isfinite(number):
        raise errors.JnetValueError(
            f"Argument `{name}` must be {expected}; received {name}={value!r}."
        )
    return number


def _check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(
            f"Argument `{name}` must be True or False; received {name}={errors.describe(value)}."
        )
    return bool(value)


def _check_learning_rate(learning_rate: Any, name: str = "learning_rate") -> LearningRate:
    """A float >= 0, or a schedule ``step -> lr``; anything else raises."""
    if callable(learning_rate) and not isinstance(learning_rate, np.ndarray | jax.Array):
        try:
            signature = inspect.signature(learning_rate)
        except (TypeError, ValueError):  # builtins and C callables: trust them
            return learning_rate
        try:
            signature.bind(0)
        except TypeError as e:
            raise errors.JnetTypeError(
                f"A learning-rate schedule must take the step count as its one argument "
                f"(`step -> learning rate`, like a keras LearningRateSchedule); received "
                f"{name}={errors.describe(learning_rate)} with signature {signature}. A Keras "
                f"zero-argument callable cannot change under jit: pass `lambda step: ...`."
            ) from e
        return learning_rate
    if not _is_number(learning_rate):
        raise errors.JnetTypeError(
            f"Argument `{name}` must be a float >= 0 or a schedule callable "
            f"`step -> learning rate`; received {name}={errors.describe(learning_rate)}."
        )
    return _check_non_negative(name, learning_rate)


def _check_clipping(
    clipnorm: Any, clipvalue: Any, global_clipnorm: Any
) -> tuple[float | None, float | None, float | None]:
    clipnorm = _check_non_negative("clipnorm", clipnorm, allow_none=True)
    clipvalue = _check_non_negative("clipvalue", clipvalue, allow_none=True)
    global_clipnorm = _check_non_negative("global_clipnorm", global_clipnorm, allow_none=True)
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise errors.JnetValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set; received "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}."
        )
    return clipnorm, clipvalue, global_clipnorm


def _check_loss_scale_factor(loss_scale_factor: Any) -> float | None:
    if loss_scale_factor is None:
        return None
    number = _number("loss_scale_factor", loss_scale_factor, "a non-zero float or None")
    if number == 0 or not math.isfinite(number):
        raise errors.JnetValueError(
            f"Argument `loss_scale_factor` must be a non-zero float or None; received "
            f"loss_scale_factor={loss_scale_factor!r}."
        )
    return number


def _check_float(name: str, value: Any) -> float:
    """Any finite float, else an error."""
    number = _number(name, value, "a finite float")
    if not math.isfinite(number):
        raise errors.JnetValueError(
            f"Argument `{name}` must be a finite float; received {name}={value!r}."
        )
    return number


def _check_non_positive(name: str, value: Any) -> float:
    """A finite float <= 0, else an error."""
    number = _number(name, value, "a float <= 0")
    if number > 0 or not math.isfinite(number):
        raise errors.JnetValueError(
            f"Argument `{name}` must be a float <= 0; received {name}={value!r}."
        )
    return number


def _check_positive(name: str, value: Any) -> float:
    """A finite float > 0, else an error."""
    number = _number(name, value, "a float > 0")
    if number <= 0 or not math.isfinite(number):
        raise errors.JnetValueError(
            f"Argument `{name}` must be a float > 0; received {name}={value!r}."
        )
    return number
