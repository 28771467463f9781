"""Confusion-matrix metrics: TruePositives/FalsePositives/TrueNegatives/FalseNegatives,
Precision, Recall and the X-at-Y metrics (SensitivityAtSpecificity, ...), from
``keras/src/metrics/confusion_metrics.py``. AUC is in :mod:`jnet.metrics._auc`.

The state holds the four confusion counts at every threshold, summed over batches exactly as
Keras's variables are (:mod:`jnet.metrics._confusion_counts`). A prediction is positive at
threshold ``t`` when ``y_pred > t`` (strictly); a label is positive when it is non-zero.

Example:
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.metrics._base import Metric
from jnet.metrics._confusion_counts import (
    NEG_INF,
    ConfusionState,
    _parse_thresholds,
    _zeros_state,
    confusion_counts,
)
from jnet.metrics._utils import _divide_no_nan

__all__ = [
    "ConfusionState",
    "TruePositives",
    "FalsePositives",
    "TrueNegatives",
    "FalseNegatives",
    "Precision",
    "Recall",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
]

Array = jax.Array


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
