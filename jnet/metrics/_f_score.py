"""F-scores: :class:`FBetaScore` and :class:`F1Score` (``keras/src/metrics/f_score_metrics.py``).

The state is Keras's: true positives, false positives, false negatives and the label weights
per class (a scalar each for ``average='micro'``), summed over batches.

Example:
    >>> m = F1Score(average="micro", threshold=0.5)
    >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
    >>> round(float(m.result()), 4)
    0.8
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.metrics._base import Metric
from jnet.metrics._utils import EPSILON

__all__ = ["FBetaScoreState", "FBetaScore", "F1Score"]

Array = jax.Array


class FBetaScoreState(NamedTuple):
    """Weighted counts per class (scalars for ``average='micro'``)."""

    true_positives: Array
    false_positives: Array
    false_negatives: Array
    intermediate_weights: Array


def _check_num_classes(num_classes: Any, what: str) -> int | None:
    if num_classes is None:
        return None
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise errors.JnetValueError(
            f"{what}: argument `num_classes` must be a positive int or None; received "
            f"{errors.describe(num_classes)}."
        )
    return num_classes


def _rank2_shape(y_true: Any, y_pred: Any, what: str) -> int:
    true_shape, pred_shape = np.shape(y_true), np.shape(y_pred)
    if len(pred_shape) != 2 or len(true_shape) != 2:
        raise errors.JnetValueError(
            f"{what} expects 2D inputs with shape (batch_size, output_dim). Received input "
            f"shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}."
        )
    return int(pred_shape[-1])


class FBetaScore(Metric):
    """The F-beta score: ``(1 + beta**2) * P * R / (beta**2 * P + R)`` per class.

    Args:
        average: None (one score per class), ``'micro'`` (counts pooled over classes),
            ``'macro'`` (the mean of the class scores) or ``'weighted'`` (weighted by each
            class's label total). Defaults to None.
        beta: a Python float > 0. Defaults to 1.0.
        threshold: predictions ``> threshold`` are positive; None marks the highest score of
            each row (ties all count, scores of 1e-9 or less never). Defaults to None.
        name: Defaults to ``'fbeta_score'``.
        dtype: the state's dtype. Defaults to float32.
        num_classes: the number of classes, needed by :meth:`init` unless ``average='micro'``
            (:meth:`init_for` and ``update_state`` read it from ``y_pred``; a jnet addition:
            Keras builds its variables on the first batch). Defaults to None.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
        >>> [round(float(v), 4) for v in m.result()]
        [0.8333, 1.0]
    """

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
        num_classes: int | None = None,
    ):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise errors.JnetValueError(
                f"Invalid `average` argument value. Expected one of: {{None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average!r}"
            )
        if not isinstance(beta, float):
            raise errors.JnetValueError(
                f"Invalid `beta` argument value. It should be a Python float. Received: "
                f"beta={beta!r} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise errors.JnetValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise errors.JnetValueError(
                    f"Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold!r} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise errors.JnetValueError(
                    f"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self.num_classes = _check_num_classes(num_classes, type(self).__name__)

    def _zeros(self, num_classes: int | None) -> FBetaScoreState:
        shape = () if self.average == "micro" else (num_classes,)
        return FBetaScoreState(*(jnp.zeros(shape, self.dtype) for _ in range(4)))

    def init(self) -> FBetaScoreState:
        if self.average != "micro" and self.num_classes is None:
            raise errors.JnetValueError(
                f"{type(self).__name__}(average={self.average!r}).init() needs the number of "
                f"classes: pass num_classes=..., or build the state with init_for(y_true, y_pred)."
            )
        return self._zeros(self.num_classes)

    def init_for(self, y_true: Any, y_pred: Any) -> FBetaScoreState:
        num_classes = _rank2_shape(y_true, y_pred, type(self).__name__)
        return self._zeros(self.num_classes or num_classes)

    def update(
        self, state: FBetaScoreState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> FBetaScoreState:
        """Adds this batch's weighted counts."""
        _rank2_shape(y_true, y_pred, type(self).__name__)
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        if self.threshold is None:
            top = jnp.max(y_pred, axis=-1, keepdims=True)
            predicted = (y_pred >= top) & (jnp.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        y_pred = predicted.astype(self.dtype)
        weight = None
        if sample_weight is not None:
            weight = jnp.expand_dims(jnp.asarray(sample_weight).astype(self.dtype), 1)

        def weighted_sum(value):
            if weight is not None:
                value = value * jnp.broadcast_to(weight, value.shape)
            return jnp.sum(value, axis=self.axis)

        return FBetaScoreState(
            state.true_positives + weighted_sum(y_pred * y_true),
            state.false_positives + weighted_sum(y_pred * (1 - y_true)),
            state.false_negatives + weighted_sum((1 - y_pred) * y_true),
            state.intermediate_weights + weighted_sum(y_true),
        )

    def compute(self, state: FBetaScoreState) -> Array:
        tp, fp, fn = state.true_positives, state.false_positives, state.false_negatives
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        beta2 = self.beta**2
        mean = (precision * recall) / ((beta2 * precision) + recall + EPSILON)
        score = mean * (1 + beta2)
        if self.average == "weighted":
            weights = state.intermediate_weights / (
                jnp.sum(state.intermediate_weights) + EPSILON
            )
            return jnp.sum(score * weights)
        if self.average is not None:
            return jnp.mean(score)
        return score

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }
        if self.num_classes is not None:
            config["num_classes"] = self.num_classes
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class F1Score(FBetaScore):
    """The F1 score, ``2 * P * R / (P + R)``: :class:`FBetaScore` with ``beta=1.0``.

    Args:
        average: None, ``'micro'``, ``'macro'`` or ``'weighted'``. Defaults to None.
        threshold: see :class:`FBetaScore`. Defaults to None.
        name: Defaults to ``'f1_score'``.
        dtype: the state's dtype. Defaults to float32.
        num_classes: see :class:`FBetaScore`. Defaults to None.

    Example:
        >>> m = F1Score(average="macro", threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.6, 0.7]])
        >>> round(float(m.result()), 4)
        0.8333
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
        num_classes: int | None = None,
    ):
        super().__init__(
            average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype,
            num_classes=num_classes,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
