"""AUC (``keras/src/metrics/confusion_metrics.py``): the area under the ROC, PR or PR-gain
curve, a Riemann sum over the confusion counts at ``num_thresholds`` thresholds.

Example:
    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> float(m.result())
    0.75
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.metrics._base import Metric
from jnet.metrics._confusion import _ConfusionMetric
from jnet.metrics._confusion_counts import (
    ConfusionState,
    _parse_thresholds,
    _zeros_state,
    confusion_counts,
)
from jnet.metrics._utils import EPSILON, _check_bool, _divide_no_nan

__all__ = ["AUC"]

Array = jax.Array


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
