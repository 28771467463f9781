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
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet import losses as losses_module
from jnet import metrics as metrics_module
from jnet import optimizers as optimizers_module
from jnet.distribution import _collectives as collectives
from jnet.layers.base import collect_activity
from jnet.training import penalties
from jnet.training.outputs import flatten_outputs
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


def compute_loss(
    spec: StepSpec, y_true: Any, y_pred: Any, logits: Any, sample_weight: Any, mask: Any = None
):
    """The compiled loss, taking the TensorFlow backend's logits shortcut.

    When the model's output is a sigmoid or softmax, Keras on TensorFlow computes every
    cross-entropy (binary, categorical, sparse) from the pre-activation logits, without
    clipping — even when the activation does not match the loss, and even when the loss says
    ``from_logits=True`` (it only warns). jnet does the same, so its losses are TensorFlow's
    numbers, not the clipped JAX-backend ones (PARITY.md §4).

    With several outputs (``spec.outputs``), ``y_true``, ``y_pred``, ``logits`` and
    ``sample_weight`` are lists in output order or dicts by output name (``sample_weight``
    may also be one array for every output), and the result is Keras's total: the sum of each
    output's loss times its ``loss_weights`` entry; the shortcut applies per output. One
    output's ``loss_weights`` (``spec.loss_weight``) multiplies its loss the same way.

    ``mask`` is the model output's Keras mask (``spec.forward_with_mask``; several outputs:
    one per output, None where an output has none). As Keras's ``Loss.__call__``, it is
    and-ed with the loss's own mask (``ignore_class``) and folded into ``sample_weight`` with
    weight ``total / valid`` on unmasked entries, so ``'sum_over_batch_size'`` is
    ``sum(values * sample_weight)`` over the unmasked entries divided by their count.
    """
    if spec.outputs is not None:
        total = None
        for (output, value) in _output_losses(spec, y_true, y_pred, logits, sample_weight, mask):
            if output.weight is not None:
                value = value * jnp.asarray(output.weight, value.dtype)
            total = value if total is None else total + value
        return total
    value = _one_loss(
        spec.loss, y_true, y_pred, logits, sample_weight, spec.logits_activation, _sole(mask)
    )
    if spec.loss_weight is not None:
        value = value * jnp.asarray(spec.loss_weight, value.dtype)
    return value


def _one_loss(loss, y_true, y_pred, logits, sample_weight, activation, mask=None):
    if logits is not None and takes_logits_shortcut(loss, y_true, y_pred):
        if getattr(loss, "from_logits", False):
            warnings.warn(
                f"The loss {getattr(loss, 'name', loss)!r} received from_logits=True, but the "
                f"model's output is produced by a {activation} activation and thus "
                f"does not represent logits; the pre-activation values are used as logits, as "
                f"Keras does. Was this intended?",
                stacklevel=3,
            )
        loss, y_pred = loss.with_logits(), logits
    if mask is None:
        return loss(y_true, y_pred, sample_weight)
    return _masked_loss(loss, y_true, y_pred, sample_weight, mask)


def _masked_loss(loss, y_true, y_pred, sample_weight, mask):
    """Keras's ``Loss.__call__`` on a ``y_pred`` that carries ``mask``: the mask, and-ed with
    the loss's own, weights the per-sample values before the reduction. A loss that replaces
    ``__call__`` gets no mask (in Keras too, the mask is read in ``Loss.__call__``)."""
    if not isinstance(loss, losses_module.Loss):
        loss = losses_module.resolve(loss)  # a plain function: wrapped, as Keras wraps it
    if type(loss).__call__ is not losses_module.Loss.__call__:
        return loss(y_true, y_pred, sample_weight)
    y_pred = jnp.asarray(y_pred).astype(loss.dtype)
    y_true = jnp.asarray(y_true).astype(loss.dtype)
    values, own_mask = loss.call_with_mask(y_true, y_pred)
    mask = jnp.asarray(mask).astype(jnp.bool_)
    if own_mask is not None:
        mask = jnp.logical_and(mask, jnp.asarray(own_mask).astype(jnp.bool_))
    return losses_module.reduce_weighted_values(
        values, sample_weight=sample_weight, mask=mask, reduction=loss.reduction,
        dtype=loss.dtype,
    )


def _sole(mask: Any) -> Any:
    """The mask of a model with one output (a one-entry list or dict unwrapped)."""
    if isinstance(mask, Mapping):
        mask = list(mask.values())
    if isinstance(mask, list | tuple):
        return mask[0] if len(mask) == 1 else None
    return mask


def _per_output(
    spec: StepSpec, y_true: Any, y_pred: Any, logits: Any, sample_weight: Any, mask: Any = None
):
    """``(y_true, y_pred, logits, sample_weight, mask)`` as lists in output order."""
    names = spec.outputs.output_names
    if sample_weight is None or isinstance(sample_weight, list | tuple | Mapping):
        weights = flatten_outputs(sample_weight, names)
    else:  # one array for every output
        weights = [sample_weight] * len(names)
    return (
        flatten_outputs(y_true, names),
        flatten_outputs(y_pred, names),
        flatten_outputs(logits, names),
        weights,
        flatten_outputs(mask, names),
    )


def _output_losses(spec: StepSpec, y_true, y_pred, logits, sample_weight, mask=None):
    """``[(OutputLoss, unweighted float32 value), ...]`` for the outputs that have a loss."""
    trues, preds, logit_list, weights, masks = _per_output(
        spec, y_true, y_pred, logits, sample_weight, mask
    )
    activations = spec.logits_activation
    if not isinstance(activations, list | tuple):
        activations = [activations] * len(preds)
    return [
        (
            output,
            _one_loss(
                output.loss, trues[output.index], preds[output.index],
                logit_list[output.index], weights[output.index], activations[output.index],
                masks[output.index],
            ).astype(jnp.float32),
        )
        for output in spec.outputs.losses
    ]


def _update_metric(metric, state, y_true, y_pred, logits, mask):
    """One compiled metric's update. As Keras's ``MeanMetricWrapper.update_state``, a metric
    of that family (accuracies, crossentropies, mse, ...) weighs its values by the output's
    ``mask`` (the mean over unmasked entries); other metrics (AUC, precision, ...) ignore it."""
    if logits is not None and takes_logits_shortcut(metric, y_true, y_pred):
        metric, y_pred = metric.with_logits(), logits
    if mask is not None and isinstance(metric, metrics_module.MeanMetricWrapper):
        weight = jnp.asarray(mask).astype(metric.dtype)
        return metric.update(state, y_true, y_pred, sample_weight=weight)
    return metric.update(state, y_true, y_pred)


def _update_metric_states(
    spec: StepSpec,
    metric_states: Any,
    loss: jax.Array,
    y_true: Any,
    y_pred: Any,
    batch_size: int,
    logits: Any = None,
    sample_weight: Any = None,
    mask: Any = None,
):
    """Keras's compiled ``metrics`` (unweighted, but masked by the output's ``mask``);
    cross-entropy metrics on a sigmoid/softmax output read the logits, as the TensorFlow
    backend does (the loss's shortcut). Several outputs: each metric reads its output, and
    each output's unweighted loss has its own tracker, a plain mean over batches as on
    TensorFlow (``sample_weight`` is needed for those)."""
    total, count = metric_states[0]
    n = jnp.asarray(batch_size, jnp.float32)
    tracker = (total + loss.astype(jnp.float32) * n, count + n)
    if spec.outputs is not None:
        return (tracker, *_update_output_states(
            spec, metric_states[1:], n, y_true, y_pred, logits, sample_weight, mask
        ))
    mask = _sole(mask)
    updated = [
        _update_metric(metric, state, y_true, y_pred, logits, mask)
        for metric, state in zip(spec.metrics, metric_states[1:], strict=True)
    ]
    return (tracker, *updated)


def _update_output_states(spec, states, n, y_true, y_pred, logits, sample_weight, mask=None):
    trues, preds, logit_list, _, masks = _per_output(
        spec, y_true, y_pred, logits, sample_weight, mask
    )
    compiled = spec.outputs
    updated = []
    for entry, state in zip(compiled.metrics, states[: len(compiled.metrics)], strict=True):
        i = entry.index
        updated.append(
            _update_metric(entry.metric, state, trues[i], preds[i], logit_list[i], masks[i])
        )
    if compiled.loss_keys:
        trackers = states[len(compiled.metrics):]
        # Keras weighs these by the batch's static size, which is None under TensorFlow's
        # tf.function: on the TensorFlow backend each batch counts once, whatever its size.
        one = jnp.ones((), jnp.float32)
        for (_, value), (total, count) in zip(
            _output_losses(spec, y_true, y_pred, logits, sample_weight, mask), trackers,
            strict=True,
        ):
            updated.append((total + value, count + one))
    return updated


def _mean(tracker) -> jax.Array:
    total, count = tracker
    return jnp.where(count > 0, total / jnp.where(count > 0, count, 1.0), 0.0)


def compute_logs(state: TrainState) -> dict[str, jax.Array]:
    """The running results of the state's metrics: ``{'loss': ..., name: ...}``; several
    outputs: with Keras's keys (``'<output>_loss'``, ``'<output>_<metric>'``), sorted as
    Keras on TensorFlow reports them."""
    spec = state.spec
    if spec.outputs is not None:
        compiled = spec.outputs
        states = state.metric_states
        logs = {"loss": _mean(states[0])}
        k = len(compiled.metrics)
        for entry, metric_state in zip(compiled.metrics, states[1 : 1 + k], strict=True):
            logs[entry.key] = entry.metric.result(metric_state)
        for key, tracker in zip(compiled.loss_keys, states[1 + k :], strict=True):
            logs[key] = _mean(tracker)
        return dict(sorted(logs.items()))
    total, count = state.metric_states[0]
    logs = {"loss": jnp.where(count > 0, total / jnp.where(count > 0, count, 1.0), 0.0)}
    for metric, metric_state in zip(spec.metrics, state.metric_states[1:], strict=True):
        logs[metric.name] = metric.result(metric_state)
    return logs


def _forward(spec: StepSpec, params, model_state, x, training: bool, rng):
    """``(y_pred, logits, new_model_state, output_mask)``: the mask is None (nothing traced)
    when the model has no masked forward or no layer makes a mask. Half-precision outputs
    (a mixed policy's) come back as float32: Keras's losses and metrics cast ``y_pred`` to
    their float32 dtype."""
    if spec.forward_with_mask is None:
        y_pred, logits, new_model_state = spec.forward(
            params, model_state, x, training=training, rng=rng
        )
        mask = None
    else:
        y_pred, logits, new_model_state, mask = spec.forward_with_mask(
            params, model_state, x, training=training, rng=rng
        )
    return _half_to_float32(y_pred), _half_to_float32(logits), new_model_state, mask


def _half_to_float32(tree: Any) -> Any:
    def cast(x: Any) -> Any:
        dtype = getattr(x, "dtype", None)
        return x.astype(jnp.float32) if dtype in (jnp.float16, jnp.bfloat16) else x

    return jax.tree_util.tree_map(cast, tree)


def _batch_size(x: Any) -> int:
    return int(jax.tree_util.tree_leaves(x)[0].shape[0])


def _freeze(updates: Any, mask: Any) -> Any:
    """``updates`` with zeros where the static ``mask`` (bools matching the params) is False:
    frozen weights stay bit-identical, even under weight decay; the optimizer state keeps its
    structure (the learning-rate callbacks and checkpoints read it)."""
    if mask is None:
        return updates
    leaves, treedef = jax.tree_util.tree_flatten(updates)
    keep = jax.tree_util.tree_leaves(mask)
    if len(keep) != len(leaves):
        raise errors.JnetValueError(
            f"The trainable mask has {len(keep)} entries but the parameters have {len(leaves)}: "
            f"call compile() again after changing the model."
        )
    return jax.tree_util.tree_unflatten(
        treedef, [u if k else jnp.zeros_like(u) for u, k in zip(leaves, keep, strict=True)]
    )


def train_step(
    state: TrainState, batch: Any, axis_name: str | None = None
) -> tuple[TrainState, dict[str, jax.Array]]:
    """One optimizer step on ``batch``; returns the new state and the running logs.

    Keras's order: forward in training mode, loss (plus regularization), gradient, update;
    the metrics see the same predictions (pre-update weights, dropout active).

    Under ``jax.pmap(..., axis_name=name)``, pass ``axis_name=name``: the devices then combine
    their gradients and loss into the global batch's (weighted by each device's share of the
    loss's divisor), ``BatchNormalization`` takes its moments over the global batch, the
    moving statistics are averaged and the metric states summed over devices, once; every
    device ends with the state one device would have after the whole batch (see
    :mod:`jnet.distribution`). Dropout masks differ per device.
    """
    spec = state.spec
    x, y, sample_weight = unpack_batch(batch)
    step_rng = jax.random.fold_in(state.rng, state.step)
    if axis_name is not None:  # independent dropout masks on each device
        step_rng = jax.random.fold_in(step_rng, jax.lax.axis_index(axis_name))

    def objective(params):
        with collectives.axis_context(axis_name), collect_activity(spec.activity) as activity:
            y_pred, logits, new_model_state, mask = _forward(
                spec, params, state.model_state, x, training=True, rng=step_rng
            )
        loss = compute_loss(spec, y, y_pred, logits, sample_weight, mask)
        loss = penalties.add_penalties(spec, loss, params, activity)
        if loss_scale is not None:  # a LossScaleOptimizer's: it unscales the gradients
            loss = loss * loss_scale.astype(loss.dtype)
        return loss, (y_pred, logits, new_model_state, mask)

    loss_scale = optimizers_module.loss_scale(state.opt_state)
    share = collectives.loss_share(spec.loss, _batch_size(x), sample_weight, axis_name)
    (loss, (y_pred, logits, new_model_state, mask)), grads = jax.value_and_grad(
        collectives.scaled(objective, share), has_aux=True
    )(state.params)
    loss, grads = collectives.psum_over(axis_name, (loss, grads))
    if loss_scale is not None:  # the logged loss is the unscaled one (exact: a power of 2)
        loss = loss / loss_scale.astype(loss.dtype)
    new_model_state = collectives.sync_model_state(new_model_state, axis_name)
    updates, opt_state = spec.tx.update(grads, state.opt_state, state.params)
    updates = _freeze(updates, spec.trainable_mask)
    params = optax.apply_updates(state.params, updates)
    if spec.constraints is not None:  # Keras: variable.assign(constraint(variable))
        params = spec.constraints(params)
    metric_states = _update_metric_states(
        spec, state.metric_states, loss, y, y_pred, _batch_size(x), logits,
        sample_weight=sample_weight, mask=mask,
    )
    new_state = state.replace(
        step=state.step + 1,
        params=params,
        model_state=new_model_state,
        opt_state=opt_state,
        metric_states=collectives.sync_metric_states(
            state.metric_states, metric_states, axis_name
        ),
    )
    return new_state, compute_logs(new_state)


def eval_step(
    state: TrainState, batch: Any, axis_name: str | None = None
) -> tuple[TrainState, dict[str, jax.Array]]:
    """Updates the loss tracker and metrics on ``batch`` in inference mode; no training.

    Non-trainable variables that layers change in inference (a Keras-style layer's
    ``assign`` in ``call``) are kept, as Keras's ``evaluate`` keeps them.

    ``axis_name``: as in :func:`train_step`, the pmap axis the metrics are summed over.
    """
    spec = state.spec
    x, y, sample_weight = unpack_batch(batch)
    with collect_activity(spec.activity) as activity:
        y_pred, logits, new_model_state, mask = _forward(
            spec, state.params, state.model_state, x, training=False, rng=None
        )
    loss = compute_loss(spec, y, y_pred, logits, sample_weight, mask)
    loss = penalties.add_penalties(spec, loss, state.params, activity)
    loss = collectives.combine_loss(spec.loss, loss, _batch_size(x), sample_weight, axis_name)
    metric_states = _update_metric_states(
        spec, state.metric_states, loss, y, y_pred, _batch_size(x), logits,
        sample_weight=sample_weight, mask=mask,
    )
    new_state = state.replace(
        model_state=collectives.sync_model_state(new_model_state, axis_name),
        metric_states=collectives.sync_metric_states(
            state.metric_states, metric_states, axis_name
        ),
    )
    return new_state, compute_logs(new_state)


def predict_step(state: TrainState, x: Any) -> Any:
    """The model's output on ``x`` in inference mode."""
    y_pred, _, _ = state.spec.forward(
        state.params, state.model_state, x, training=False, rng=None
    )
    return y_pred
