"""Pure train, eval and predict steps: ``(state, batch) -> (state, logs)``.

These are the whole of training's math. ``fit``, ``evaluate`` and ``predict`` only move data
and call them (compiled, and scanned over several batches per dispatch); a user who outgrows
``fit`` calls them directly under ``jax.jit``, ``lax.scan`` or ``pmap``.

A batch is ``(x, y)`` or ``(x, y, sample_weight)``; ``sample_weight`` may be None.

Example:
    >>> import jax, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    >>> state = jnet.training.TrainState.create(model, optimizer="sgd", loss="mse")
    >>> step = jax.jit(jnet.training.train_step)
    >>> x, y = np.ones((8, 3), np.float32), np.zeros((8, 1), np.float32)
    >>> state, logs = step(state, (x, y))
    >>> sorted(logs)
    ['loss']
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
import optax

from jnet.training.state import StepSpec, TrainState


def unpack_batch(batch: Any) -> tuple[Any, Any, Any]:
    """``(x, y[, sample_weight])`` -> ``(x, y, sample_weight or None)``."""
    if not isinstance(batch, tuple | list):
        return batch, None, None
    if len(batch) == 1:
        return batch[0], None, None
    if len(batch) == 2:
        return batch[0], batch[1], None
    return batch[0], batch[1], batch[2]


def takes_logits_shortcut(loss: Any, y_true: Any, y_pred: Any) -> bool:
    """Whether ``loss`` is a cross-entropy that Keras's TensorFlow backend feeds with logits."""
    by_shape = getattr(loss, "logits_activation_for", None)
    if by_shape is not None:
        return by_shape(y_true, y_pred) is not None
    return getattr(loss, "logits_activation", None) is not None


def compute_loss(spec: StepSpec, y_true: Any, y_pred: Any, logits: Any, sample_weight: Any):
    """The compiled loss, taking the TensorFlow backend's logits shortcut.

    When the model's output is a sigmoid or softmax, Keras on TensorFlow computes every
    cross-entropy (binary, categorical, sparse) from the pre-activation logits, without
    clipping — even when the activation does not match the loss, and even when the loss says
    ``from_logits=True`` (it only warns). jnet does the same, so its losses are TensorFlow's
    numbers, not the clipped JAX-backend ones (PARITY.md §4).
    """
    loss = spec.loss
    if logits is not None and takes_logits_shortcut(loss, y_true, y_pred):
        if getattr(loss, "from_logits", False):
            warnings.warn(
                f"The loss {getattr(loss, 'name', loss)!r} received from_logits=True, but the "
                f"model's output is produced by a {spec.logits_activation} activation and thus "
                f"does not represent logits; the pre-activation values are used as logits, as "
                f"Keras does. Was this intended?",
                stacklevel=2,
            )
        return loss.with_logits()(y_true, logits, sample_weight)
    return loss(y_true, y_pred, sample_weight)


def _update_metric_states(
    spec: StepSpec,
    metric_states: Any,
    loss: jax.Array,
    y_true: Any,
    y_pred: Any,
    batch_size: int,
    logits: Any = None,
):
    """Keras's compiled ``metrics`` (unweighted); cross-entropy metrics on a sigmoid/softmax
    output read the logits, as the TensorFlow backend does (the loss's shortcut)."""
    total, count = metric_states[0]
    n = jnp.asarray(batch_size, jnp.float32)
    tracker = (total + loss.astype(jnp.float32) * n, count + n)
    updated = []
    for metric, state in zip(spec.metrics, metric_states[1:], strict=True):
        if logits is not None and takes_logits_shortcut(metric, y_true, y_pred):
            updated.append(metric.with_logits().update(state, y_true, logits))
        else:
            updated.append(metric.update(state, y_true, y_pred))
    return (tracker, *updated)


def compute_logs(state: TrainState) -> dict[str, jax.Array]:
    """The running results of the state's metrics: ``{'loss': ..., name: ...}``."""
    spec = state.spec
    total, count = state.metric_states[0]
    logs = {"loss": jnp.where(count > 0, total / jnp.where(count > 0, count, 1.0), 0.0)}
    for metric, metric_state in zip(spec.metrics, state.metric_states[1:], strict=True):
        logs[metric.name] = metric.result(metric_state)
    return logs


def _batch_size(x: Any) -> int:
    return int(jax.tree_util.tree_leaves(x)[0].shape[0])


def train_step(state: TrainState, batch: Any) -> tuple[TrainState, dict[str, jax.Array]]:
    """One optimizer step on ``batch``; returns the new state and the running logs.

    Keras's order: forward in training mode, loss (plus regularization), gradient, update;
    the metrics see the same predictions (pre-update weights, dropout active).
    """
    spec = state.spec
    x, y, sample_weight = unpack_batch(batch)
    step_rng = jax.random.fold_in(state.rng, state.step)

    def objective(params):
        y_pred, logits, new_model_state = spec.forward(
            params, state.model_state, x, training=True, rng=step_rng
        )
        loss = compute_loss(spec, y, y_pred, logits, sample_weight)
        return loss, (y_pred, logits, new_model_state)

    (loss, (y_pred, logits, new_model_state)), grads = jax.value_and_grad(
        objective, has_aux=True
    )(state.params)
    updates, opt_state = spec.tx.update(grads, state.opt_state, state.params)
    params = optax.apply_updates(state.params, updates)
    metric_states = _update_metric_states(
        spec, state.metric_states, loss, y, y_pred, _batch_size(x), logits
    )
    new_state = state.replace(
        step=state.step + 1,
        params=params,
        model_state=new_model_state,
        opt_state=opt_state,
        metric_states=metric_states,
    )
    return new_state, compute_logs(new_state)


def eval_step(state: TrainState, batch: Any) -> tuple[TrainState, dict[str, jax.Array]]:
    """Updates the loss tracker and metrics on ``batch`` in inference mode; no training."""
    spec = state.spec
    x, y, sample_weight = unpack_batch(batch)
    y_pred, logits, _ = spec.forward(state.params, state.model_state, x, training=False, rng=None)
    loss = compute_loss(spec, y, y_pred, logits, sample_weight)
    metric_states = _update_metric_states(
        spec, state.metric_states, loss, y, y_pred, _batch_size(x), logits
    )
    new_state = state.replace(metric_states=metric_states)
    return new_state, compute_logs(new_state)


def predict_step(state: TrainState, x: Any) -> Any:
    """The model's output on ``x`` in inference mode."""
    y_pred, _, _ = state.spec.forward(
        state.params, state.model_state, x, training=False, rng=None
    )
    return y_pred
