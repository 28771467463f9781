"""Which of Keras's step hooks a model class overrides, and whether jnet can run them.

``fit``, ``evaluate`` and ``predict`` ask :func:`overrides` before they start: an override is
never ignored. A hook written in a form jnet cannot run is refused with a jnet error that says
why, before anything is traced.

Example:
    >>> class Base:
    ...     def train_step(self, state, data): ...
    >>> class Mine(Base):
    ...     def train_step(self, state, data): ...
    >>> overrides(Mine(), Base)
    ('train_step',)
"""

from __future__ import annotations

from typing import Any

__all__ = ["HOOKS", "overrides"]

#: Keras's ``Model`` methods a subclass may override to change what fit/evaluate/predict do.
HOOKS = ("train_step", "test_step", "predict_step", "compute_loss", "compute_metrics")


def overrides(model: Any, base: type) -> tuple[str, ...]:
    """The names in :data:`HOOKS` that ``type(model)`` defines differently from ``base``."""
    cls = type(model)
    return tuple(
        name for name in HOOKS
        if getattr(cls, name, None) is not None
        and getattr(cls, name, None) is not getattr(base, name, None)
    )
