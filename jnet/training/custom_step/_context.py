"""The step being traced: what ``stateless_call`` recorded for ``compute_loss`` to read.

While jnet traces a custom step (:mod:`jnet.training.custom_step._steps`), a
:class:`StepContext` is active. It holds the incoming ``TrainState`` and its static spec, the
step's dropout key, and what the latest ``stateless_call`` produced: the logits and the Keras
mask of each output (so ``compute_loss`` and the compiled metrics take the TensorFlow
backend's logits shortcut and masking, as jnet's built-in step does), the weights it ran with
and the activity penalties (so the regularization in ``compute_loss`` is differentiated).
Outside a step, none is active and the hooks read the model's own variables.

Example:
    >>> current() is None
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jax

__all__ = ["StepContext", "active", "current"]

_STACK: list[StepContext] = []


class StepContext:
    """The state of one traced step.

    Args:
        spec: the static spec (a ``CustomStepSpec``).
        state: the incoming ``TrainState`` (None for predict).
        rng: the step's PRNG key (None: inference).
    """

    def __init__(self, spec: Any, state: Any = None, rng: Any = None):
        self.spec = spec
        self.state = state
        self.rng = rng
        self.calls = 0
        self.outputs: dict[int, tuple[Any, Any, Any]] = {}
        self.params: Any = None
        self.activity: Any = None

    def next_key(self) -> Any:
        """The key of the next training-mode call: the step's own key first (the built-in
        step's dropout masks), then keys folded from it."""
        if self.rng is None:
            return None
        key = self.rng if self.calls == 0 else jax.random.fold_in(self.rng, self.calls)
        self.calls += 1
        return key

    def record(self, y_pred: Any, logits: Any, mask: Any, params: Any, activity: Any) -> None:
        self.outputs[id(y_pred)] = (y_pred, logits, mask)  # y_pred kept: its id stays its
        self.params = params
        self.activity = activity

    def output_extras(self, y_pred: Any) -> tuple[Any, Any]:
        """``(logits, mask)`` recorded for ``y_pred`` (the very object ``stateless_call``
        returned), else ``(None, None)``."""
        entry = self.outputs.get(id(y_pred))
        if entry is None or entry[0] is not y_pred:
            return None, None
        return entry[1], entry[2]


def current() -> StepContext | None:
    """The innermost active context, or None outside a traced step."""
    return _STACK[-1] if _STACK else None


@contextlib.contextmanager
def active(context: StepContext) -> Iterator[StepContext]:
    """Makes ``context`` current while the block runs."""
    _STACK.append(context)
    try:
        yield context
    finally:
        _STACK.pop()
