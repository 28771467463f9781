"""The live learning rate during ``fit``: read it, set it, keep the optimizer object in step.

Keras callbacks write ``self.model.optimizer.learning_rate = lr``. In jnet the rate the next
step uses lives in the train state (``model.train_state.opt_state``, see
:func:`jnet.optimizers.set_learning_rate`), so a changed rate costs no recompilation. The
callback list calls :func:`push_learning_rate` after every hook: when the optimizer object's
float ``learning_rate`` has changed since the last push, the new value is written into the
live state. Built-in callbacks use :func:`get_learning_rate` / :func:`set_learning_rate`,
which also work for a learning-rate schedule (read) and ``optax.inject_hyperparams``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jnet import errors
from jnet import optimizers as optimizers_module

__all__ = ["adopt_state_learning_rate", "get_learning_rate", "push_learning_rate",
           "set_learning_rate"]

_PUSHED = "_callbacks_pushed_learning_rate"


def _state_lr(model: Any) -> float | None:
    state = getattr(model, "train_state", None)
    if state is None:
        return None
    try:
        return float(optimizers_module.get_learning_rate(state.opt_state))
    except errors.JnetError:
        return None


def get_learning_rate(model: Any) -> float:
    """The learning rate the model's next training step uses, as a Python float.

    Reads the live train state when there is one (a schedule's current value), else the
    optimizer's configured float.
    """
    value = _state_lr(model)
    if value is not None:
        return value
    lr = model.optimizer.learning_rate
    if callable(lr):
        lr = lr(0)
    return float(np.float32(lr))  # Keras keeps the rate in a float32 variable


def push_learning_rate(model: Any) -> None:
    """Writes ``model.optimizer.learning_rate`` into the live train state if it changed."""
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "_learning_rate", None)
    if lr is None or callable(lr) or getattr(model, _PUSHED, None) is lr:
        return
    state = getattr(model, "train_state", None)
    if state is None:
        return
    opt_state = optimizers_module.set_learning_rate(state.opt_state, lr)
    model.train_state = state.replace(opt_state=opt_state)
    setattr(model, _PUSHED, lr)


def set_learning_rate(model: Any, value: float) -> None:
    """Sets the learning rate of the next steps, on the optimizer object and the live state."""
    optimizer = model.optimizer
    if getattr(optimizer, "_learning_rate", None) is None:  # raw optax (inject_hyperparams)
        state = getattr(model, "train_state", None)
        if state is None:
            raise errors.JnetTypeError(
                f"Cannot set the learning rate of {errors.describe(optimizer)}: use a jnet "
                f"optimizer such as jnet.optimizers.Adam()."
            )
        opt_state = optimizers_module.set_learning_rate(state.opt_state, value)
        model.train_state = state.replace(opt_state=opt_state)
        return
    optimizer.learning_rate = value
    push_learning_rate(model)


def adopt_state_learning_rate(model: Any) -> None:
    """Makes the optimizer object show the live state's rate (after restoring a checkpoint)."""
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "_learning_rate", None)
    value = _state_lr(model)
    if lr is None or callable(lr) or value is None:
        return
    if np.float32(lr) != np.float32(value):
        optimizer._learning_rate = value
    setattr(model, _PUSHED, optimizer._learning_rate)
