"""Cross-device reductions inside a ``jax.pmap``-ed step: what ``axis_name`` turns on.

Under ``pmap`` every device runs the step on its own shard of the batch. To give the numbers
of one device running the whole batch:

* the loss and its gradients are the per-device values combined with each device's share of
  the global loss's divisor (:func:`loss_shares`): ``'sum_over_batch_size'`` weighs a device
  by its batch size (a plain mean for equal shards), ``'mean_with_sample_weight'`` by its sum
  of sample weights, ``'sum'`` adds;
* metric states are accumulators: each device's increment is summed over devices, once
  (:func:`sum_increments`);
* layers whose training math reduces over the batch (``BatchNormalization``'s moments) read
  :func:`current_axis` while they are traced and average over devices (:func:`device_mean`).

Example:
    >>> import jax, jax.numpy as jnp
    >>> def mean_of_means(x):
    ...     with axis_context("batch"):
    ...         return device_mean(jnp.mean(x))
    >>> f = jax.pmap(mean_of_means, axis_name="batch")
    >>> [float(v) for v in f(jnp.arange(4.0).reshape(1, 4))]
    [1.5]
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp

__all__ = [
    "axis_context",
    "current_axis",
    "device_mean",
    "loss_shares",
    "sum_increments",
]

_local = threading.local()


def current_axis() -> str | None:
    """The pmap axis the step being traced reduces over, or None outside such a step."""
    return getattr(_local, "axis", None)


@contextlib.contextmanager
def axis_context(axis_name: str | None) -> Iterator[None]:
    """While tracing a step under ``pmap(..., axis_name)``: layers reduce across devices."""
    previous = current_axis()
    _local.axis = axis_name
    try:
        yield
    finally:
        _local.axis = previous


def device_mean(value: jax.Array) -> jax.Array:
    """``value`` averaged over the devices of :func:`current_axis` (itself outside a step).

    Equal shards make the mean of per-device batch means the global batch mean.
    """
    axis = current_axis()
    return value if axis is None else jax.lax.pmean(value, axis)


def loss_shares(loss: Any, batch_size: int, sample_weight: Any, axis_name: str) -> jax.Array:
    """This device's weight in the global loss: ``global = psum(share * local_loss)``.

    Args:
        loss: the compiled loss object (its ``reduction`` decides the weighting).
        batch_size: rows on this device.
        sample_weight: this device's sample weights, or None.
        axis_name: the pmap axis.
    """
    reduction = getattr(loss, "reduction", "sum_over_batch_size")
    if reduction == "sum":
        return jnp.ones((), jnp.float32)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        weight = jnp.sum(jnp.asarray(sample_weight, jnp.float32))
    else:
        weight = jnp.asarray(batch_size, jnp.float32)
    total = jax.lax.psum(weight, axis_name)
    return jnp.where(total > 0, weight / jnp.where(total > 0, total, 1.0), 0.0)


def sum_increments(before: Any, after: Any, axis_name: str) -> Any:
    """Accumulator states after a step on every device's shard: ``before`` (identical on all
    devices) plus the sum over devices of each device's increment ``after - before``."""

    def combine(old, new):
        old, new = jnp.asarray(old), jnp.asarray(new)
        if new.dtype == jnp.bool_:
            return jax.lax.pmax(new.astype(jnp.int32), axis_name).astype(jnp.bool_)
        return old.astype(new.dtype) + jax.lax.psum(new - old.astype(new.dtype), axis_name)

    return jax.tree_util.tree_map(combine, before, after)


def loss_share(
    loss_obj: Any, batch_size: int, sample_weight: Any, axis_name: str | None
) -> jax.Array | None:
    """:func:`loss_shares`, or None when ``axis_name`` is None (one device)."""
    if axis_name is None:
        return None
    return loss_shares(loss_obj, batch_size, sample_weight, axis_name)


def scaled(objective: Callable, share: jax.Array | None) -> Callable:
    """``objective`` (returning ``(loss, aux)``) with its loss times ``share``.

    The share scales the loss before differentiation, so a gradient that flows to other
    devices through a cross-device mean (synchronized batch statistics) carries the right
    weight; summing the scaled losses and gradients over devices then gives the global ones.
    """
    if share is None:
        return objective

    def weighted(*args, **kwargs):
        loss, aux = objective(*args, **kwargs)
        return loss * share.astype(loss.dtype), aux

    return weighted


def psum_over(axis_name: str | None, tree: Any) -> Any:
    """``lax.psum(tree, axis_name)``, or ``tree`` when ``axis_name`` is None."""
    return tree if axis_name is None else jax.lax.psum(tree, axis_name)


def combine_loss(
    loss_obj: Any, loss: jax.Array, batch_size: int, sample_weight: Any, axis_name: str | None
) -> jax.Array:
    """The global batch's loss from each device's (identity when ``axis_name`` is None)."""
    share = loss_share(loss_obj, batch_size, sample_weight, axis_name)
    if share is None:
        return loss
    return jax.lax.psum(loss * share.astype(loss.dtype), axis_name)


def sync_metric_states(before: Any, after: Any, axis_name: str | None) -> Any:
    """Metric states after a step over all devices' shards (:func:`sum_increments`)."""
    return after if axis_name is None else sum_increments(before, after, axis_name)


def sync_model_state(model_state: Any, axis_name: str | None) -> Any:
    """Non-trainable state (moving statistics) averaged over devices; integer leaves, which
    are counters identical on every device, are kept."""
    if axis_name is None:
        return model_state

    def mean(leaf):
        leaf = jnp.asarray(leaf)
        if jnp.issubdtype(leaf.dtype, jnp.floating):
            return jax.lax.pmean(leaf, axis_name)
        return leaf

    return jax.tree_util.tree_map(mean, model_state)
