"""Top-k accuracy: :class:`TopKCategoricalAccuracy`, :class:`SparseTopKCategoricalAccuracy`.

``keras/src/metrics/accuracy_metrics.py``. A label counts as found when fewer than ``k``
classes score strictly higher than it (TensorFlow's ``in_top_k``: ties straddling the k-th
place all count, and a non-finite score or an out-of-range label never does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.metrics._base import Metric
from jnet.metrics._reduction import MeanMetricWrapper, _simple_config
from jnet.metrics._utils import _as_float

__all__ = [
    "TopKCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
]

Array = jax.Array


def _check_k(k: Any, what: str) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise errors.JnetValueError(
            f"{what}: argument `k` must be a positive int; received {errors.describe(k)}."
        )
    return k


def _in_top_k(targets: Array, predictions: Array, k: int) -> Array:
    """TensorFlow's ``in_top_k`` for ``targets (N,)`` int and ``predictions (N, C)``."""
    num_classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < num_classes)
    safe = jnp.where(valid, targets, 0).astype(jnp.int32)
    target_score = jnp.take_along_axis(predictions, safe[:, None], axis=-1)
    higher = jnp.sum((predictions > target_score).astype(jnp.int32), axis=-1)
    return valid & jnp.isfinite(target_score[:, 0]) & (higher < k)


def _flatten(y_true: Array, y_pred: Array):
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    return y_true.reshape(-1), y_pred


def sparse_top_k_categorical_accuracy(
    y_true: Any, y_pred: Any, k: int = 5, from_sorted_ids: bool = False
) -> Array:
    """1.0 where the integer label is among the ``k`` highest scores of ``y_pred``.

    Args:
        y_true: integer labels ``(N,)`` (or any shape whose size is the number of rows).
        y_pred: scores ``(N, C)``; or, with ``from_sorted_ids``, class ids sorted by score.
        k: how many top classes count. Defaults to 5.
        from_sorted_ids: ``y_pred`` holds the top class ids, best first. Defaults to False.

    Returns:
        float32 matches shaped like ``y_true``.

    Example:
        >>> [float(v) for v in sparse_top_k_categorical_accuracy(
        ...     [2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]], k=1)]
        [0.0, 1.0]
    """
    _check_k(k, "sparse_top_k_categorical_accuracy")
    y_pred = jnp.asarray(y_pred)
    if not from_sorted_ids:
        y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true)
    y_true = y_true.astype(y_pred.dtype if from_sorted_ids else jnp.int32)
    shape = y_true.shape
    y_true, y_pred = _flatten(y_true, y_pred)
    if from_sorted_ids:
        matches = jnp.any(y_true[:, None] == y_pred[:, :k], axis=1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    matches = matches.astype(jnp.float32)
    return matches.reshape(shape) if len(shape) > 1 else matches


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Array:
    """1.0 where ``argmax(y_true)`` is among the ``k`` highest scores of ``y_pred``.

    Args:
        y_true: one-hot labels ``(N, C)``.
        y_pred: scores ``(N, C)``.
        k: how many top classes count. Defaults to 5.

    Returns:
        float32 matches of shape ``(N,)``.

    Example:
        >>> [float(v) for v in top_k_categorical_accuracy(
        ...     [[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]], k=2)]
        [1.0, 1.0]
    """
    _check_k(k, "top_k_categorical_accuracy")
    y_pred = _as_float(y_pred)
    y_true = jnp.argmax(jnp.asarray(y_true).astype(y_pred.dtype), axis=-1).astype(jnp.int32)
    shape = y_true.shape
    y_true, y_pred = _flatten(y_true, y_pred)
    matches = _in_top_k(y_true, y_pred, k).astype(jnp.float32)
    return matches.reshape(shape) if len(shape) > 1 else matches


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the top ``k`` predictions.

    Args:
        k: how many top classes count. Defaults to 5.
        name: Defaults to ``'top_k_categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        super().__init__(
            top_k_categorical_accuracy, name=name, dtype=dtype, k=_check_k(k, name)
        )
        self.k = k

    def get_config(self) -> dict:
        return _simple_config(self, k=self.k)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the top ``k`` predictions.

    Args:
        k: how many top classes count. Defaults to 5.
        name: Defaults to ``'sparse_top_k_categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.
        from_sorted_ids: ``y_pred`` holds class ids sorted by score, best first, instead of
            scores. Defaults to False.

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy, name=name, dtype=dtype,
            k=_check_k(k, name), from_sorted_ids=bool(from_sorted_ids),
        )
        self.k = k
        self.from_sorted_ids = bool(from_sorted_ids)

    def get_config(self) -> dict:
        config = _simple_config(self, k=self.k)
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)
