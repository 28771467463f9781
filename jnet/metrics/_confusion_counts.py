"""The confusion counts behind every confusion metric (Keras's ``metrics_utils.py``).

:func:`confusion_counts` turns one batch into the weighted true/false positive/negative counts
at each threshold: it aligns and filters the inputs (``top_k``, ``class_id``, multi-label
columns), buckets the scores against the thresholds, and sums the weights per bucket. Evenly
spaced thresholds (AUC's default) use Keras's bucket method (``ceil(p * (T - 1)) - 1``), so the
counts match Keras's bit for bit. The metric classes are in :mod:`jnet.metrics._confusion` and
:mod:`jnet.metrics._auc`.

Example:
    >>> counts = confusion_counts([0, 1, 1], [0.2, 0.7, 0.4], [0.5])
    >>> [float(c[0]) for c in counts]  # true/false positives, true/false negatives
    [1.0, 0.0, 1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet.metrics._utils import EPSILON

__all__ = ["ConfusionState", "confusion_counts"]

Array = jax.Array
NEG_INF = -1e10  # Keras's metrics_utils.NEG_INF (the threshold used with top_k)


class ConfusionState(NamedTuple):
    """Confusion counts per threshold (``(T,)``, or ``(T, num_labels)`` for multi-label AUC)."""

    true_positives: Array
    false_positives: Array
    true_negatives: Array
    false_negatives: Array


def _zeros_state(shape: tuple, dtype: Any) -> ConfusionState:
    return ConfusionState(*(jnp.zeros(shape, dtype) for _ in range(4)))


def _parse_thresholds(thresholds: Any, default: float, what: str) -> list[float]:
    """Keras's ``parse_init_thresholds``: a list of floats in ``[0, 1]``."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, Sequence | np.ndarray) else [thresholds]
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad or not values:
        raise errors.JnetValueError(
            f"{what}: threshold values must be in [0, 1]; received thresholds={thresholds!r}."
        )
    return [float(t) for t in values]


def _evenly_distributed(thresholds: Sequence[float]) -> bool:
    """Keras's ``is_evenly_distributed_thresholds``."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=EPSILON))


def _filter_top_k(x: Array, k: int) -> Array:
    """Keeps the top ``k`` values of the last axis, the rest become ``NEG_INF``."""
    _, idx = jax.lax.top_k(x, k)
    mask = jnp.sum(jax.nn.one_hot(idx, x.shape[-1], dtype=x.dtype), axis=-2)
    return x * mask + NEG_INF * (1 - mask)


def _reverse_cumsum(x: Array, axis: int) -> Array:
    return jnp.flip(jnp.cumsum(jnp.flip(x, axis), axis=axis), axis)


def _segment_sum(data: Array, ids: Array, num: int) -> Array:
    """Sums ``data`` into ``num`` buckets; ids outside ``[0, num)`` are dropped (TensorFlow drops
    negative ones).

    Written as a masked sum over a ``(len(data), num)`` comparison, not a scatter
    (``jax.ops.segment_sum``): under a two-axis device mesh, XLA's partitioned scatter summed
    the padding rows of an uneven batch (``evaluate``'s AUC on a 2x4 mesh: 0.19 instead of
    0.10), and a reduction has no such failure; it is also deterministic on every platform.
    """
    hits = ids[:, None] == jnp.arange(num, dtype=ids.dtype)[None, :]
    return jnp.sum(jnp.where(hits, data[:, None], jnp.zeros((), data.dtype)), axis=0)


def confusion_counts(
    y_true: Any,
    y_pred: Any,
    thresholds: Sequence[float],
    *,
    top_k: int | None = None,
    class_id: int | None = None,
    sample_weight: Any = None,
    multi_label: bool = False,
    label_weights: Any = None,
    dtype: Any = jnp.float32,
    evenly: bool | None = None,
) -> ConfusionState:
    """This batch's weighted confusion counts at each threshold (Keras's
    ``update_confusion_matrix_variables``, as increments).

    Args:
        y_true: labels (non-zero is positive).
        y_pred: scores, same shape (a trailing 1 is aligned).
        thresholds: a Python list of thresholds (static).
        top_k: keep only the ``top_k`` scores of the last axis. Defaults to None.
        class_id: count only this column of the last axis. Defaults to None.
        sample_weight: weights broadcastable to ``y_true``. Defaults to None.
        multi_label: count each column of 2-D inputs separately. Defaults to False.
        label_weights: per-column weights (not with ``multi_label``). Defaults to None.
        dtype: the counts' dtype. Defaults to float32.
        evenly: use the bucket method; None decides from ``thresholds``, as Keras's
            ``is_evenly_distributed_thresholds``. Defaults to None.

    Returns:
        :class:`ConfusionState` of shape ``(T,)`` (or ``(T, num_labels)``).
    """
    n_thr = len(thresholds)
    evenly = _evenly_distributed(thresholds) if evenly is None else evenly
    with_epsilon = evenly and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    y_true = jnp.asarray(y_true).astype(dtype)
    y_pred = jnp.asarray(y_pred).astype(dtype)
    y_pred, y_true = losses_module.squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = jnp.expand_dims(jnp.asarray(sample_weight).astype(dtype), -1)
        _, sample_weight = losses_module.squeeze_or_expand_to_same_rank(
            y_true, sample_weight, expand_rank_1=False
        )
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise errors.JnetValueError(
                f"When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes); received shape {y_pred.shape}."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    try:
        weights = (
            None if sample_weight is None else jnp.broadcast_to(sample_weight, y_pred.shape)
        )
    except ValueError:
        raise errors.JnetValueError(
            f"sample_weight of shape {np.shape(sample_weight)} cannot be broadcast to y_pred of "
            f"shape {y_pred.shape}."
        ) from None
    if label_weights is not None and not multi_label:
        lw = jnp.broadcast_to(jnp.asarray(label_weights, dtype)[None], y_pred.shape)
        weights = lw if weights is None else weights * lw
    thr = jnp.asarray(np.asarray(thresholds, np.float64), dtype)
    if multi_label and y_pred.ndim != 2:
        raise errors.JnetValueError(
            f"multi_label=True expects y_pred of rank 2; received shape {y_pred.shape}."
        )
    if not multi_label:
        y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
        weights = None if weights is None else weights.reshape(-1)
    labels = y_true != 0

    if evenly:
        # metrics_utils._update_confusion_matrix_variables_optimized
        w = jnp.ones((), dtype) if weights is None else weights
        pred = jnp.clip(y_pred, 0.0, 1.0)
        pos = labels.astype(dtype)
        true_labels, false_labels = pos * w, (1.0 - pos) * w
        buckets = jnp.ceil(pred * jnp.asarray(n_thr - 1, dtype)) - 1
        if with_epsilon:
            buckets = jnp.maximum(buckets, 0)
        buckets = buckets.astype(jnp.int32)
        if multi_label:
            per_label = jax.vmap(_segment_sum, in_axes=(1, 1, None), out_axes=1)
            tp = _reverse_cumsum(per_label(true_labels, buckets, n_thr), 0)
            fp = _reverse_cumsum(per_label(false_labels, buckets, n_thr), 0)
        else:
            tp = _reverse_cumsum(_segment_sum(true_labels, buckets, n_thr), 0)
            fp = _reverse_cumsum(_segment_sum(false_labels, buckets, n_thr), 0)
        total_true = jnp.sum(true_labels, axis=0)
        total_false = jnp.sum(false_labels, axis=0)
        if multi_label:
            total_true, total_false = total_true[None], total_false[None]
        return ConfusionState(tp, fp, total_false - fp, total_true - tp)

    # The general path: compare every prediction with every threshold.
    shape = (n_thr,) + (1,) * y_pred.ndim
    pred_pos = y_pred[None] > thr.reshape(shape)
    label_pos = jnp.broadcast_to(labels[None], pred_pos.shape)

    def count(label, pred):
        both = label & pred
        if weights is None:
            values = both.astype(dtype)
        else:
            values = jnp.where(both, jnp.broadcast_to(weights[None], both.shape), 0.0)
        return jnp.sum(values, axis=1)

    return ConfusionState(
        count(label_pos, pred_pos),
        count(~label_pos, pred_pos),
        count(~label_pos, ~pred_pos),
        count(label_pos, ~pred_pos),
    )
