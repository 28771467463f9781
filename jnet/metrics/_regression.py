"""Regression metrics (``keras/src/metrics/regression_metrics.py``): MeanSquaredError,
MeanAbsoluteError, RootMeanSquaredError, MeanAbsolutePercentageError,
MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError and R2Score, with the per-sample
functions behind them.

Example:
    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.5
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet.losses import log_cosh, mean_absolute_percentage_error, mean_squared_logarithmic_error
from jnet.metrics._base import Metric
from jnet.metrics._reduction import (
    Mean,
    MeanMetricWrapper,
    MeanState,
    _simple_config,
    _wrapper_class,
)
from jnet.metrics._utils import EPSILON, _as_float

__all__ = [
    "MeanSquaredError",
    "MeanAbsoluteError",
    "RootMeanSquaredError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "CosineSimilarity",
    "LogCoshError",
    "R2Score",
    "R2ScoreState",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "log_cosh",
    "cosine_similarity",
]

Array = jax.Array


def _aligned(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    return losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)








def _l2_normalize(x: Array, axis: int) -> Array:
    """Keras's ``ops.normalize``: ``x * min(rsqrt(sum(x**2)), 1 / eps)``."""
    inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
    return x * jnp.minimum(inv_norm, jnp.asarray(1.0 / EPSILON, x.dtype))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Array:
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``
    (positive; the loss of the same name is its negative).

    Args:
        y_true: targets.
        y_pred: predictions, same shape.
        axis: the vector axis. Defaults to -1.

    Returns:
        Per-sample similarities.

    Example:
        >>> [round(float(v), 4) for v in cosine_similarity([[0, 1], [1, 1]], [[1, 0], [1, 1]])]
        [0.0, 1.0]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    return jnp.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running (weighted) mean of the squared errors.

    Args:
        name: Defaults to ``'root_mean_squared_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
        >>> round(float(m.result()), 4)
        0.7071
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)

    def update(
        self, state: MeanState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> MeanState:
        """Adds this batch's squared errors (averaged per sample, weighted)."""
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self._accumulate(state, jnp.square(y_pred - y_true), sample_weight)

    def compute(self, state: MeanState) -> Array:
        return jnp.sqrt(super().compute(state))

    def get_config(self) -> dict:
        return _simple_config(self)


MeanSquaredError = _wrapper_class(
    losses_module.mean_squared_error,
    "MeanSquaredError",
    "mean_squared_error",
    """Running mean of :func:`jnet.losses.mean_squared_error`.

    Args:
        name: Defaults to ``'mean_squared_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """,
    module=__name__,
)
MeanAbsoluteError = _wrapper_class(
    losses_module.mean_absolute_error,
    "MeanAbsoluteError",
    "mean_absolute_error",
    """Running mean of :func:`jnet.losses.mean_absolute_error`.

    Args:
        name: Defaults to ``'mean_absolute_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> float(m.result())
        0.25
    """,
    module=__name__,
)
MeanAbsolutePercentageError = _wrapper_class(
    mean_absolute_percentage_error,
    "MeanAbsolutePercentageError",
    "mean_absolute_percentage_error",
    """Running mean of :func:`mean_absolute_percentage_error`.

    Args:
        name: Defaults to ``'mean_absolute_percentage_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[2.0, 4.0]], [[1.0, 5.0]])
        >>> float(m.result())
        37.5
    """,
    module=__name__,
)
MeanSquaredLogarithmicError = _wrapper_class(
    mean_squared_logarithmic_error,
    "MeanSquaredLogarithmicError",
    "mean_squared_logarithmic_error",
    """Running mean of :func:`mean_squared_logarithmic_error`.

    Args:
        name: Defaults to ``'mean_squared_logarithmic_error'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[0.0, 1.0]], [[1.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.2402
    """,
    module=__name__,
)
LogCoshError = _wrapper_class(
    log_cosh,
    "LogCoshError",
    "logcosh",
    """Running mean of :func:`log_cosh` (named ``'logcosh'``, as in Keras).

    Args:
        name: Defaults to ``'logcosh'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0.0, 0.0]], [[1.0, 0.0]])
        >>> round(float(m.result()), 4)
        0.2169
    """,
    module=__name__,
)


class CosineSimilarity(MeanMetricWrapper):
    """Running mean of :func:`cosine_similarity`.

    Args:
        name: Defaults to ``'cosine_similarity'``.
        dtype: the state's dtype. Defaults to float32.
        axis: the vector axis. Defaults to -1.

    Example:
        >>> m = CosineSimilarity()
        >>> m.update_state([[0, 1], [1, 1]], [[1, 0], [1, 1]])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self) -> dict:
        return _simple_config(self)  # Keras leaves `axis` out of the config too

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class R2ScoreState(NamedTuple):
    """Per-class sums (shape ``(num_classes,)``) and the number of values seen."""

    sum: Array
    squared_sum: Array
    total_mse: Array
    count: Array
    num_samples: Array


class R2Score(Metric):
    """The coefficient of determination, per output column, then aggregated.

    Args:
        class_aggregation: ``'uniform_average'`` (the mean over columns),
            ``'variance_weighted_average'`` or None (one score per column).
            Defaults to ``'uniform_average'``.
        num_regressors: the number of independent regressors, for the adjusted R2 score
            (0: the plain score). As in Keras, the plain score is returned when there are not
            more values seen (``y_true``'s size, summed over batches) than ``num_regressors + 1``.
            Defaults to 0.
        name: Defaults to ``'r2_score'``.
        dtype: the state's dtype. Defaults to float32.
        num_classes: the number of output columns, needed by :meth:`init`
            (:meth:`init_for` and ``update_state`` read it from ``y_pred``; a jnet addition:
            Keras builds its variables on the first batch). Defaults to None.

    Example:
        >>> m = R2Score()
        >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
        >>> round(float(m.result()), 4)
        0.5714
    """

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
        num_classes: int | None = None,
    ):
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise errors.JnetValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                f"Received: class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise errors.JnetValueError(
                f"Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_classes = num_classes

    def _zeros(self, num_classes: int) -> R2ScoreState:
        zeros = jnp.zeros((num_classes,), self.dtype)
        return R2ScoreState(zeros, zeros, zeros, zeros, jnp.zeros((), self.dtype))

    def init(self) -> R2ScoreState:
        if self.num_classes is None:
            raise errors.JnetValueError(
                "R2Score.init() needs the number of output columns: pass num_classes=..., or "
                "build the state with init_for(y_true, y_pred)."
            )
        return self._zeros(self.num_classes)

    def init_for(self, y_true: Any, y_pred: Any) -> R2ScoreState:
        y_true, y_pred = _aligned(jnp.zeros(np.shape(y_true)), jnp.zeros(np.shape(y_pred)))
        self._check_shapes(y_true, y_pred)
        return self._zeros(self.num_classes or int(y_pred.shape[-1]))

    @staticmethod
    def _check_shapes(y_true: Array, y_pred: Array) -> None:
        if y_pred.ndim != 2 or y_true.ndim != 2:
            raise errors.JnetValueError(
                f"R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred.shape} and y_true.shape={y_true.shape}."
            )

    def update(
        self, state: R2ScoreState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> R2ScoreState:
        """Adds this batch's weighted sums."""
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
        self._check_shapes(y_true, y_pred)
        weight = jnp.ones((), self.dtype) if sample_weight is None else (
            jnp.asarray(sample_weight).astype(self.dtype)
        )
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = jnp.broadcast_to(weight, y_true.shape)
        weighted = y_true * weight
        return R2ScoreState(
            sum=state.sum + jnp.sum(weighted, axis=0),
            squared_sum=state.squared_sum + jnp.sum(y_true * weighted, axis=0),
            total_mse=state.total_mse + jnp.sum((y_true - y_pred) ** 2 * weight, axis=0),
            count=state.count + jnp.sum(weight, axis=0),
            num_samples=state.num_samples + jnp.asarray(y_true.size, self.dtype),
        )

    def compute(self, state: R2ScoreState) -> Array:
        mean = state.sum / state.count
        total = state.squared_sum - state.sum * mean
        raw = 1 - (state.total_mse / total)
        raw = jnp.where(jnp.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = jnp.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = jnp.sum(total * raw) / jnp.sum(total)
        else:
            score = raw
        if self.num_regressors == 0:
            return score
        n = state.num_samples.astype(jnp.float32)
        p = jnp.float32(self.num_regressors)
        if not isinstance(n, jax.core.Tracer) and float(p) >= float(n) - 1:
            warnings.warn(
                "More independent predictors than datapoints in adjusted R2 score, or a "
                "division by zero. Falling back to standard R2 score.",
                stacklevel=2,
            )
        adjusted = 1.0 - ((1.0 - score) * (n - 1.0)) / (n - p - 1.0)
        return jnp.where(p < n - 1, adjusted.astype(score.dtype), score)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
        if self.num_classes is not None:
            config["num_classes"] = self.num_classes
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)
