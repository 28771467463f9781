"""Accuracy metrics (``keras/src/metrics/accuracy_metrics.py``): the per-sample functions,
their running means, and :class:`AccuracyByShape` behind ``compile(metrics=['accuracy'])``.

Example:
    >>> m = BinaryAccuracy()
    >>> m.update_state(np.array([[1], [1], [0], [0]]), np.array([[0.98], [1.0], [0.0], [0.6]]))
    >>> float(m.result())
    0.75
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet import losses as losses_module
from jnet.metrics._base import Metric
from jnet.metrics._reduction import MeanMetricWrapper, _simple_config
from jnet.metrics._utils import _as_float, _broadcast_pair

__all__ = [
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "AccuracyByShape",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
]

Array = jax.Array


def _matches(a: Array, b: Array, what: str) -> Array:
    a, b = _broadcast_pair(a, b, what, "y_true", "y_pred")
    return (a == b).astype(jnp.float32)


def accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where ``y_pred`` equals ``y_true`` exactly, else 0.0 (elementwise).

    Args:
        y_true: labels.
        y_pred: predictions of the same shape (a trailing 1 is aligned).

    Returns:
        float32 matches, shaped like the aligned inputs.

    Example:
        >>> [float(v) for v in accuracy([1, 2, 3, 4], [0, 2, 3, 4])]
        [0.0, 1.0, 1.0, 1.0]
    """
    y_pred = jnp.asarray(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred, "accuracy")


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Array:
    """1.0 where ``(y_pred > threshold)`` equals ``y_true`` (strictly greater), elementwise.

    Args:
        y_true: 0/1 labels.
        y_pred: probabilities (or scores), same shape; ``(N,)`` against ``(N, 1)`` is aligned.
        threshold: the decision threshold. Defaults to 0.5.

    Returns:
        float32 matches, shaped like the aligned inputs.

    Example:
        >>> [float(v) for v in binary_accuracy([1, 1, 0, 0], [0.98, 0.5, 0.0, 0.6])]
        [1.0, 0.0, 1.0, 0.0]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true)
    y_true, y_pred = losses_module.squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > jnp.asarray(threshold, y_pred.dtype)).astype(y_true.dtype)
    return _matches(y_true, predicted, "binary_accuracy")


def categorical_accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` (first index on ties).

    Args:
        y_true: one-hot labels ``(N, ..., C)``.
        y_pred: probabilities or logits ``(N, ..., C)``.

    Returns:
        float32 matches of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in categorical_accuracy([[0, 0, 1], [0, 1, 0]],
        ...                                         [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])]
        [0.0, 1.0]
    """
    y_true = jnp.argmax(jnp.asarray(y_true), axis=-1)
    y_pred = jnp.asarray(y_pred)
    original_shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim
    if reshape:
        y_true = _squeeze_last(y_true, "categorical_accuracy")
    matches = _matches(y_true, jnp.argmax(y_pred, axis=-1), "categorical_accuracy")
    if reshape:
        matches = matches.reshape(original_shape)
    return matches


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Array:
    """1.0 where the integer label equals ``argmax(y_pred)`` (first index on ties).

    Args:
        y_true: integer labels ``(N, ...)`` or ``(N, ..., 1)``.
        y_pred: probabilities or logits ``(N, ..., C)``.

    Returns:
        float32 matches of shape ``(N, ...)``.

    Example:
        >>> [float(v) for v in sparse_categorical_accuracy([2, 1], [[0.1, 0.6, 0.3],
        ...                                                        [0.05, 0.95, 0.0]])]
        [0.0, 1.0]
    """
    y_pred = _as_float(y_pred)
    y_true = jnp.asarray(y_true).astype(y_pred.dtype)
    original_shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
    if reshape:
        y_true = jnp.squeeze(y_true, -1)
    predicted = jnp.argmax(y_pred, axis=-1).astype(y_true.dtype)
    matches = _matches(y_true, predicted, "sparse_categorical_accuracy")
    if reshape:
        matches = matches.reshape(original_shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = jnp.squeeze(matches, -1)
    return matches


def _squeeze_last(x: Array, what: str) -> Array:
    if x.shape[-1] != 1:
        raise errors.JnetValueError(
            f"{what}: cannot squeeze the last dimension of shape {x.shape}; y_true must have "
            f"one more dimension (the classes) than the labels it encodes."
        )
    return jnp.squeeze(x, -1)


def _accuracy_by_shape(y_true: Any, y_pred: Any) -> Array:
    is_binary, is_sparse = losses_module.is_binary_or_sparse_categorical(y_true, y_pred)
    if is_binary:
        return binary_accuracy(y_true, y_pred)
    if is_sparse:
        return sparse_categorical_accuracy(y_true, y_pred)
    return categorical_accuracy(y_true, y_pred)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly; see :func:`accuracy`.

    Args:
        name: Defaults to ``'accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``(y_pred > threshold)`` matches binary labels; see :func:`binary_accuracy`.

    Args:
        name: Defaults to ``'binary_accuracy'``.
        dtype: the state's dtype. Defaults to float32.
        threshold: the decision threshold (strictly greater is 1). Defaults to 0.5.

    Example:
        >>> m = BinaryAccuracy()
        >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self) -> dict:
        return _simple_config(self, threshold=self.threshold)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches one-hot labels; see :func:`categorical_accuracy`.

    Args:
        name: Defaults to ``'categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = CategoricalAccuracy()
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often ``argmax(y_pred)`` matches integer labels.

    See :func:`sparse_categorical_accuracy`.

    Args:
        name: Defaults to ``'sparse_categorical_accuracy'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class AccuracyByShape(MeanMetricWrapper):
    """The metric behind ``compile(metrics=['accuracy'])``: accuracy chosen by shape.

    At trace time, from the static shapes (Keras's ``compile_utils.get_metric``):
    :func:`binary_accuracy` when ``y_pred``'s last dimension is 1,
    :func:`sparse_categorical_accuracy` for integer labels, :func:`categorical_accuracy` for
    one-hot labels. All three share :class:`MeanState`, so :meth:`init` needs no shapes.

    Args:
        name: Defaults to ``'accuracy'`` (resolve names it as the string given).
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = AccuracyByShape()
        >>> m.update_state(np.array([2, 1]), np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(_accuracy_by_shape, name=name, dtype=dtype)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The accuracy function these shapes select."""
        is_binary, is_sparse = losses_module.is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            return binary_accuracy
        return sparse_categorical_accuracy if is_sparse else categorical_accuracy

    def get_config(self) -> dict:
        return _simple_config(self)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)
