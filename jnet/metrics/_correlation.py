"""Correlation metrics (``keras/src/metrics/correlation_metrics.py``): Pearson's and Lin's
concordance correlation along an axis, and their running means over samples.

Like Keras, :class:`PearsonCorrelation` and :class:`ConcordanceCorrelation` average the
per-sample correlations (each row of ``y_true`` against the same row of ``y_pred``, along
``axis``); they are not one correlation of everything seen.

Example:
    >>> m = PearsonCorrelation()
    >>> m.update_state([[1.0, 2.0, 3.0]], [[2.0, 4.0, 7.0]])
    >>> round(float(m.result()), 4)
    0.9934
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import losses as losses_module
from jnet.metrics._base import Metric
from jnet.metrics._reduction import MeanMetricWrapper
from jnet.metrics._utils import EPSILON, _as_float

__all__ = [
    "PearsonCorrelation",
    "ConcordanceCorrelation",
    "pearson_correlation",
    "concordance_correlation",
]

Array = jax.Array


def _aligned(y_true: Any, y_pred: Any) -> tuple[Array, Array]:
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    return losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Array:
    """Pearson's correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``.

    ``mean(z(y_true) * z(y_pred))`` with ``z`` the standardised values (population standard
    deviation); NaN where either side is constant along ``axis``, as in Keras.

    Args:
        y_true: targets.
        y_pred: predictions, the same shape.
        axis: the axis the correlation runs along. Defaults to -1.

    Returns:
        The correlations, with ``axis`` reduced.

    Example:
        >>> [round(float(v), 4) for v in pearson_correlation(
        ...     [[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [0.0, 1.0, 0.0]])]
        [0.9934, -1.0]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    true_centred = y_true - jnp.mean(y_true, axis=axis, keepdims=True)
    pred_centred = y_pred - jnp.mean(y_pred, axis=axis, keepdims=True)
    true_norm = true_centred / jnp.std(true_centred, axis=axis, keepdims=True)
    pred_norm = pred_centred / jnp.std(pred_centred, axis=axis, keepdims=True)
    return jnp.mean(true_norm * pred_norm, axis=axis)


def concordance_correlation(y_true: Any, y_pred: Any, axis: int = -1) -> Array:
    """Lin's concordance correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``:
    ``2 cov / (var_true + var_pred + (mean_true - mean_pred)**2 + 1e-7)``.

    Keras writes the covariance as ``mean((y_true - mean_pred) * (y_pred - mean_pred))``,
    equal in exact arithmetic to the covariance computed here,
    ``mean((y_true - mean_true) * (y_pred - mean_pred))``, which loses less to cancellation
    when the means are large.

    Args:
        y_true: targets.
        y_pred: predictions, the same shape.
        axis: the axis the coefficient runs along. Defaults to -1.

    Returns:
        The coefficients, with ``axis`` reduced.

    Example:
        >>> [round(float(v), 4) for v in concordance_correlation(
        ...     [[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [1.0, 0.0, 1.0]])]
        [0.3226, 1.0]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    true_mean = jnp.mean(y_true, axis=axis, keepdims=True)
    pred_mean = jnp.mean(y_pred, axis=axis, keepdims=True)
    true_var = jnp.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = jnp.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - true_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + jnp.square(true_mean - pred_mean)
    return jnp.mean(2 * covariance / (norm + EPSILON), axis=axis)


class _CorrelationMetric(MeanMetricWrapper):
    def get_config(self) -> dict:
        return {"name": self.name, "dtype": str(self.dtype), "axis": self.axis}

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class PearsonCorrelation(_CorrelationMetric):
    """Running mean of :func:`pearson_correlation` over samples.

    Args:
        name: Defaults to ``'pearson_correlation'``.
        dtype: the state's dtype. Defaults to float32.
        axis: the axis the correlation runs along. Defaults to -1.

    Example:
        >>> m = PearsonCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [0.0, 1.0, 0.0]])
        >>> round(float(m.result()), 4)
        -0.0033
    """

    def __init__(self, name: str = "pearson_correlation", dtype: Any = None, axis: int = -1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


class ConcordanceCorrelation(_CorrelationMetric):
    """Running mean of :func:`concordance_correlation` over samples.

    Args:
        name: Defaults to ``'concordance_correlation'``.
        dtype: the state's dtype. Defaults to float32.
        axis: the axis the coefficient runs along. Defaults to -1.

    Example:
        >>> m = ConcordanceCorrelation()
        >>> m.update_state([[1.0, 2.0, 3.0], [1.0, 0.0, 1.0]], [[2.0, 4.0, 7.0], [1.0, 0.0, 1.0]])
        >>> round(float(m.result()), 4)
        0.6613
    """

    def __init__(
        self, name: str = "concordance_correlation", dtype: Any = None, axis: int = -1
    ):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
