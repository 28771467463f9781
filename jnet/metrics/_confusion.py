"""Confusion-matrix metrics: TruePositives/FalsePositives/TrueNegatives/FalseNegatives,
Precision, Recall and AUC (``keras/src/metrics/confusion_metrics.py``, ``metrics_utils.py``).

The state holds the four confusion counts at every threshold, summed over batches exactly as
Keras's variables are. A prediction is positive at threshold ``t`` when ``y_pred > t``
(strictly); a label is positive when it is non-zero. Evenly spaced thresholds (AUC's default)
use Keras's bucket method (``ceil(p * (T - 1)) - 1``), so the counts match Keras's bit for bit.

Example:
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet.metrics._base import Metric
from jnet.metrics._utils import EPSILON, _check_bool, _divide_no_nan

__all__ = [
    "ConfusionState",
    "TruePositives",
    "FalsePositives",
    "TrueNegatives",
    "FalseNegatives",
    "Precision",
    "Recall",
    "AUC",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
]

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
    """Sums ``data`` into ``num`` buckets; negative ids are dropped (TensorFlow's rule)."""
    ids = jnp.where(ids < 0, num, ids)
    return jax.ops.segment_sum(data, ids, num_segments=num + 1)[:num]


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


class _ConfusionMetric(Metric):
    """Shared state handling of the confusion metrics."""

    def _counts(self, y_true, y_pred, sample_weight, **kwargs) -> ConfusionState:
        return confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight, dtype=self.dtype,
            **kwargs,
        )

    def init(self) -> ConfusionState:
        return _zeros_state((len(self.thresholds),), self.dtype)

    def update(
        self, state: ConfusionState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> ConfusionState:
        """Adds this batch's confusion counts."""
        counts = self._counts(y_true, y_pred, sample_weight, **self._count_kwargs())
        return jax.tree_util.tree_map(jnp.add, state, counts)

    def _count_kwargs(self) -> dict:
        return {}

    def _squeeze(self, value: Array) -> Array:
        return value[0] if len(self.thresholds) == 1 else value


class _ConditionCount(_ConfusionMetric):
    _field = ""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5, type(self).__name__)

    def compute(self, state: ConfusionState) -> Array:
        return self._squeeze(getattr(state, self._field))

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConditionCount):
    """The (weighted) number of positive labels predicted positive (``y_pred > threshold``).

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``; one count per threshold.
            Defaults to 0.5.
        name: Defaults to ``'true_positives'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _field = "true_positives"


class FalsePositives(_ConditionCount):
    """The (weighted) number of negative labels predicted positive.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``. Defaults to 0.5.
        name: Defaults to ``'false_positives'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> float(m.result())
        2.0
    """

    _field = "false_positives"


class TrueNegatives(_ConditionCount):
    """The (weighted) number of negative labels predicted negative.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``. Defaults to 0.5.
        name: Defaults to ``'true_negatives'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _field = "true_negatives"


class FalseNegatives(_ConditionCount):
    """The (weighted) number of positive labels predicted negative.

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``. Defaults to 0.5.
        name: Defaults to ``'false_negatives'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    _field = "false_negatives"


class _PrecisionRecall(_ConfusionMetric):
    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = _parse_thresholds(thresholds, default, type(self).__name__)

    def _count_kwargs(self) -> dict:
        return {"top_k": self.top_k, "class_id": self.class_id}

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecall):
    """``TP / (TP + FP)`` over all batches (0 when nothing was predicted positive).

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``; one value per threshold.
            Defaults to 0.5 (or to "any score" when ``top_k`` is set).
        top_k: count only the ``top_k`` highest scores of each row as positive.
            Defaults to None.
        class_id: compute the metric for this class (column) only. Defaults to None.
        name: Defaults to ``'precision'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Precision(top_k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def compute(self, state: ConfusionState) -> Array:
        tp, fp = state.true_positives, state.false_positives
        return self._squeeze(_divide_no_nan(tp, tp + fp))


class Recall(_PrecisionRecall):
    """``TP / (TP + FN)`` over all batches (0 when there was no positive label).

    Args:
        thresholds: a float or a list of floats in ``[0, 1]``; one value per threshold.
            Defaults to 0.5 (or to "any score" when ``top_k`` is set).
        top_k: count only the ``top_k`` highest scores of each row as positive.
            Defaults to None.
        class_id: compute the metric for this class (column) only. Defaults to None.
        name: Defaults to ``'recall'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(float(m.result()), 4)
        0.6667
    """

    def compute(self, state: ConfusionState) -> Array:
        tp, fn = state.true_positives, state.false_negatives
        return self._squeeze(_divide_no_nan(tp, tp + fn))


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = {"interpolation", "minoring", "majoring"}


class AUC(_ConfusionMetric):
    """Area under the ROC or precision-recall curve, from confusion counts at
    ``num_thresholds`` thresholds (a Riemann sum, as Keras computes it).

    Args:
        num_thresholds: the number of thresholds (> 1). Defaults to 200.
        curve: ``'ROC'``, ``'PR'`` or ``'PRGAIN'``. Defaults to ``'ROC'``.
        summation_method: ``'interpolation'`` (trapezoids; for PR the Davis-Goadrich
            interpolation), ``'minoring'`` or ``'majoring'``. Defaults to ``'interpolation'``.
        name: Defaults to ``'auc'``.
        dtype: the state's dtype. Defaults to float32.
        thresholds: explicit thresholds in ``[0, 1]`` (then ``num_thresholds`` is
            ``len(thresholds) + 2``). Defaults to None.
        multi_label: an AUC per column of 2-D inputs, then averaged. Defaults to False.
        num_labels: the number of columns when ``multi_label``; needed by :meth:`init`
            (:meth:`init_for` and ``update_state`` read it from ``y_pred``). Defaults to None.
        label_weights: per-column weights (for the average when ``multi_label``, for the
            counts otherwise). Defaults to None.
        from_logits: apply a sigmoid to ``y_pred`` first. Defaults to False.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.75
    """

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str = "ROC",
        summation_method: str = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ):
        super().__init__(name=name, dtype=dtype)
        curve_key = str(curve).lower()
        if curve_key not in _CURVES:
            raise errors.JnetValueError(
                f'AUC: invalid `curve` argument value "{curve}"; expected one of '
                f"'ROC', 'PR', 'PRGAIN'."
            )
        if str(summation_method).lower() not in _SUMMATIONS:
            raise errors.JnetValueError(
                f'AUC: invalid `summation_method` argument value "{summation_method}"; expected '
                f"one of {sorted(_SUMMATIONS)}."
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(_parse_thresholds(thresholds, 0.5, "AUC"))
            self.num_thresholds = len(inner) + 2
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or (
                num_thresholds <= 1
            ):
                raise errors.JnetValueError(
                    f"AUC: argument `num_thresholds` must be an integer > 1; received "
                    f"num_thresholds={num_thresholds!r}."
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self.thresholds = [0.0 - EPSILON, *inner, 1.0 + EPSILON]
        self.curve = _CURVES[curve_key]
        self.summation_method = str(summation_method).lower()
        self.multi_label = _check_bool(multi_label, "multi_label", "AUC")
        if num_labels is not None and not self.multi_label:
            raise errors.JnetValueError("`num_labels` is needed only when `multi_label` is True.")
        self.num_labels = num_labels
        self.label_weights = (
            None if label_weights is None else np.asarray(label_weights, self.dtype)
        )
        self.from_logits = _check_bool(from_logits, "from_logits", "AUC")

    def init(self) -> ConfusionState:
        if not self.multi_label:
            return _zeros_state((self.num_thresholds,), self.dtype)
        if self.num_labels is None:
            raise errors.JnetValueError(
                "AUC(multi_label=True).init() needs the number of labels: pass num_labels=..., "
                "or build the state with init_for(y_true, y_pred)."
            )
        return _zeros_state((self.num_thresholds, self.num_labels), self.dtype)

    def init_for(self, y_true: Any, y_pred: Any) -> ConfusionState:
        if not self.multi_label or self.num_labels is not None:
            return self.init()
        shape = np.shape(y_pred)
        if len(shape) != 2:
            raise errors.JnetValueError(
                f"`y_pred` must have rank 2 when `multi_label=True`; received shape {shape}."
            )
        return _zeros_state((self.num_thresholds, shape[1]), self.dtype)

    def update(
        self, state: ConfusionState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> ConfusionState:
        """Adds this batch's confusion counts (after a sigmoid when ``from_logits``)."""
        if self.from_logits:
            y_pred = jax.nn.sigmoid(jnp.asarray(y_pred).astype(self.dtype))
        counts = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            dtype=self.dtype,
        )
        return jax.tree_util.tree_map(jnp.add, state, counts)

    def _by_label(self, terms: Array) -> Array:
        if not self.multi_label:
            return jnp.sum(terms)
        by_label = jnp.sum(terms, axis=0)
        if self.label_weights is None:
            return jnp.mean(by_label)
        weights = jnp.asarray(self.label_weights)
        return _divide_no_nan(jnp.sum(by_label * weights), jnp.sum(weights))

    def _interpolate_pr_auc(self, s: ConfusionState) -> Array:
        n = self.num_thresholds
        tp, fp, fn = s.true_positives, s.false_positives, s.false_negatives
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = _divide_no_nan(dtp, jnp.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = jnp.where(
            (p[: n - 1] > 0) & (p[1:] > 0),
            _divide_no_nan(p[: n - 1], jnp.maximum(p[1:], 0)),
            jnp.ones_like(p[1:]),
        )
        increment = _divide_no_nan(
            prec_slope * (dtp + intercept * jnp.log(safe_p_ratio)),
            jnp.maximum(tp[1:] + fn[1:], 0),
        )
        return self._by_label(increment)

    def compute(self, state: ConfusionState) -> Array:
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc(state)
        tp, fp = state.true_positives, state.false_positives
        tn, fn = state.true_negatives, state.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:
            scale = _divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * _divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * _divide_no_nan(fp, tp)
            recall_gain = jnp.where(tp == 0.0, 0.0, recall_gain)
            precision_gain = jnp.where(tp == 0.0, 1.0, precision_gain)
            x, y = jnp.maximum(recall_gain, 0.0), precision_gain
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = jnp.minimum(y[: n - 1], y[1:])
        else:
            heights = jnp.maximum(y[: n - 1], y[1:])
        return self._by_label((x[: n - 1] - x[1:]) * heights)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self.from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class _SensitivitySpecificityBase(_ConfusionMetric):
    """The best value of one rate among thresholds where another rate reaches ``value``."""

    _value_arg = ""

    def __init__(
        self,
        value: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        what = type(self).__name__
        if not 0 <= value <= 1:
            raise errors.JnetValueError(
                f"{what}: argument `{self._value_arg}` must be in the range [0, 1]. "
                f"Received: {self._value_arg}={value}"
            )
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or (
            num_thresholds <= 0
        ):
            raise errors.JnetValueError(
                f"{what}: argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds!r}"
            )
        super().__init__(name=name, dtype=dtype)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, self._evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, self._evenly = [0.0, *inner, 1.0], True

    def _count_kwargs(self) -> dict:
        return {"class_id": self.class_id, "evenly": self._evenly}

    def _rates(self, s: ConfusionState) -> dict:
        tp, fp = s.true_positives, s.false_positives
        tn, fn = s.true_negatives, s.false_negatives
        return {
            "sensitivity": _divide_no_nan(tp, tp + fn),
            "specificity": _divide_no_nan(tn, tn + fp),
            "precision": _divide_no_nan(tp, tp + fp),
        }

    def _best(self, constrained: Array, dependent: Array) -> Array:
        feasible = constrained >= self.value
        return jnp.max(jnp.where(feasible, dependent, 0), initial=0)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_arg: self.value,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) at a specificity of at least ``specificity``.

    Args:
        specificity: in ``[0, 1]``.
        num_thresholds: thresholds evenly spaced over ``[0, 1]``. Defaults to 200.
        class_id: compute it for this class only. Defaults to None.
        name: Defaults to ``'sensitivity_at_specificity'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_arg = "specificity"

    def __init__(self, specificity: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def compute(self, state: ConfusionState) -> Array:
        r = self._rates(state)
        return self._best(r["specificity"], r["sensitivity"])


class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity at a sensitivity (recall) of at least ``sensitivity``.

    Args:
        sensitivity: in ``[0, 1]``.
        num_thresholds: thresholds evenly spaced over ``[0, 1]``. Defaults to 200.
        class_id: compute it for this class only. Defaults to None.
        name: Defaults to ``'specificity_at_sensitivity'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> round(float(m.result()), 4)
        0.6667
    """

    _value_arg = "sensitivity"

    def __init__(self, sensitivity: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def compute(self, state: ConfusionState) -> Array:
        r = self._rates(state)
        return self._best(r["sensitivity"], r["specificity"])


class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision at a recall of at least ``recall``.

    Args:
        recall: in ``[0, 1]``.
        num_thresholds: thresholds evenly spaced over ``[0, 1]``. Defaults to 200.
        class_id: compute it for this class only. Defaults to None.
        name: Defaults to ``'precision_at_recall'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> float(m.result())
        0.5
    """

    _value_arg = "recall"

    def __init__(self, recall: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def compute(self, state: ConfusionState) -> Array:
        r = self._rates(state)
        return self._best(r["sensitivity"], r["precision"])


class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall at a precision of at least ``precision``.

    Args:
        precision: in ``[0, 1]``.
        num_thresholds: thresholds evenly spaced over ``[0, 1]``. Defaults to 200.
        class_id: compute it for this class only. Defaults to None.
        name: Defaults to ``'recall_at_precision'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> float(m.result())
        0.5
    """

    _value_arg = "precision"

    def __init__(self, precision: float, num_thresholds: int = 200,
                 class_id: int | None = None, name: str | None = None, dtype: Any = None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def compute(self, state: ConfusionState) -> Array:
        r = self._rates(state)
        return self._best(r["precision"], r["sensitivity"])
