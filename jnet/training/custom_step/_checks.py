"""Which of Keras's step hooks a model class overrides, and whether jnet can run them.

``fit``, ``evaluate`` and ``predict`` ask :func:`check` before they start: an override is never
ignored. jnet runs Keras's JAX form (``train_step(self, state, data)``, see
:mod:`jnet.training.custom_step._hooks`); a step written for the TensorFlow or PyTorch backend
(``train_step(self, data)``, with ``tf.GradientTape`` or ``loss.backward()``) is refused with a
jnet error that says why, before anything is traced.

Example:
    >>> class Base:
    ...     def train_step(self, state, data): ...
    >>> class Mine(Base):
    ...     def train_step(self, state, data): ...
    >>> overrides(Mine(), Base)
    ('train_step',)
"""

from __future__ import annotations

import inspect
from typing import Any

from jnet import errors

__all__ = ["HOOKS", "check", "overrides"]

#: Keras's ``Model`` methods a subclass may override to change what fit/evaluate/predict do.
HOOKS = ("train_step", "test_step", "predict_step", "compute_loss", "compute_metrics")

_STEPS = ("train_step", "test_step", "predict_step")


def overrides(model: Any, base: type) -> tuple[str, ...]:
    """The names in :data:`HOOKS` that ``type(model)`` defines differently from ``base``."""
    cls = type(model)
    return tuple(
        name for name in HOOKS
        if getattr(cls, name, None) is not None
        and getattr(cls, name, None) is not getattr(base, name, None)
    )


def _positional(fn: Any) -> int | None:
    """How many positional parameters ``fn`` takes besides ``self`` (None: any number)."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(p.kind in kinds for p in parameters) - 1


def check(model: Any, base: type, call: str) -> tuple[str, ...]:
    """The hooks ``model``'s class overrides (empty: jnet's built-in steps run), after
    refusing a step written in the TensorFlow/PyTorch form.

    Raises:
        JnetTypeError: a ``train_step``/``test_step``/``predict_step`` that takes ``data``
            alone.
    """
    found = overrides(model, base)
    cls = type(model)
    for name in _STEPS:
        if name in found and _positional(getattr(cls, name)) == 1:
            raise errors.JnetTypeError(
                f"{cls.__name__}.{name}(self, data) is Keras's TensorFlow/PyTorch form, which "
                f"jnet cannot run (there is no tf.GradientTape or loss.backward() here), and "
                f"{call}() will not ignore it. Write it in Keras's JAX form: "
                f"{name}(self, state, data) returning (logs, state), with "
                f"self.stateless_call, self.compute_loss and "
                f"self.optimizer.stateless_apply (Keras's guide 'Customizing what happens in "
                f"fit() with JAX')."
            )
    return found
