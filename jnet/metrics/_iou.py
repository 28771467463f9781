"""Intersection-over-Union metrics (``keras/src/metrics/iou_metrics.py``): IoU, MeanIoU,
BinaryIoU, OneHotIoU and OneHotMeanIoU.

The state is Keras's: one ``(num_classes, num_classes)`` confusion matrix (rows the true
classes, columns the predicted ones), summed over batches, so the value after several batches
(or over a ``fit`` epoch) is the IoU of all of them together. Its dtype is Keras's default
``'int'`` (int32 here: JAX without x64; Keras says int64), so float sample weights are
truncated, as in Keras; pass ``dtype='float32'`` for fractional weights.

Example:
    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.metrics._base import Metric
from jnet.metrics._utils import EPSILON, _check_bool

__all__ = ["IoUState", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU"]

Array = jax.Array


class IoUState(NamedTuple):
    """The weighted confusion matrix: ``[true class, predicted class]``."""

    total_confusion_matrix: Array


def _iou_dtype(dtype: Any, what: str) -> np.dtype:
    """Keras's ``dtype or 'int'``: an int or float dtype, in its JAX width (int64 -> int32)."""
    if dtype is None or dtype == "int":
        dtype = "int32"
    dtype = getattr(dtype, "compute_dtype", dtype)
    try:
        result = jnp.dtype(dtype)
    except TypeError as e:
        raise errors.JnetTypeError(
            f"{what}: argument `dtype` must be an int or float dtype such as 'int32' or "
            f"'float32'; received {errors.describe(dtype)}."
        ) from e
    if not (jnp.issubdtype(result, jnp.integer) or jnp.issubdtype(result, jnp.floating)):
        raise errors.JnetValueError(
            f"{what}: argument `dtype` must be an int or float dtype; received {dtype!r}."
        )
    return jnp.dtype(jax.dtypes.canonicalize_dtype(result))


def _check_int(value: Any, arg: str, what: str, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise errors.JnetTypeError(
            f"{what}: argument `{arg}` must be an int; received {errors.describe(value)}."
        )
    if minimum is not None and value < minimum:
        raise errors.JnetValueError(
            f"{what}: argument `{arg}` must be an int >= {minimum}; received {value}."
        )
    return int(value)


def _check_target_class_ids(ids: Any, num_classes: int, what: str) -> list[int]:
    if isinstance(ids, str) or not isinstance(ids, Sequence | np.ndarray) or len(ids) == 0:
        raise errors.JnetTypeError(
            f"{what}: argument `target_class_ids` must be a non-empty list or tuple of class "
            f"ids; received {errors.describe(ids)}."
        )
    ids = [_check_int(i, "target_class_ids", what) for i in ids]
    if max(ids) >= num_classes or min(ids) < 0:
        bad = max(ids) if max(ids) >= num_classes else min(ids)
        raise errors.JnetValueError(
            f"{what}: target class id {bad} is out of range, which is [0, {num_classes})."
        )
    return ids


class IoU(Metric):
    """Intersection-over-Union of the target classes: ``TP / (TP + FP + FN)`` per class,
    averaged over the target classes present (in ``y_true`` or ``y_pred``) so far.

    Inputs are flattened; a pair with a class id outside ``[0, num_classes)`` (or with
    ``y_true == ignore_class``) is left out. ``sample_weight`` has one weight per label, or
    (a jnet addition: Keras refuses it) one per sample, shaped like the leading axes of the
    labels, e.g. ``(batch,)`` for ``(batch, height, width)`` segmentation labels.

    Args:
        num_classes: the number of classes (a positive int; the confusion matrix is
            ``(num_classes, num_classes)``).
        target_class_ids: the class ids whose IoU is averaged (a non-empty list or tuple).
        name: the metric's name. Defaults to ``'io_u'``.
        dtype: the confusion matrix's dtype. Defaults to None: int32 (Keras's ``'int'``), so
            float sample weights are truncated; ``'float32'`` keeps them.
        ignore_class: a class id left out of the metric (e.g. a void class). Defaults to None.
        sparse_y_true: whether labels are class ids (True) or scores/one-hot along ``axis``
            (False: their argmax is taken). Defaults to True.
        sparse_y_pred: the same for predictions. Defaults to True.
        axis: the class axis of non-sparse inputs. Defaults to -1.

    Raises:
        JnetTypeError: for a ``num_classes`` or class id that is not an int.
        JnetValueError: for a target class id out of ``[0, num_classes)``.

    Example:
        >>> m = IoU(num_classes=2, target_class_ids=[0])
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
        >>> round(float(m.result()), 4)
        0.3333
        >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1], sample_weight=[3, 1, 1, 1])
        >>> round(float(m.result()), 4)
        0.5
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        what = type(self).__name__
        super().__init__(name=name)
        self.dtype = _iou_dtype(dtype, what)
        self.num_classes = _check_int(num_classes, "num_classes", what, minimum=1)
        self.target_class_ids = _check_target_class_ids(target_class_ids, num_classes, what)
        self.ignore_class = (
            None if ignore_class is None else _check_int(ignore_class, "ignore_class", what)
        )
        self.sparse_y_true = _check_bool(sparse_y_true, "sparse_y_true", what)
        self.sparse_y_pred = _check_bool(sparse_y_pred, "sparse_y_pred", what)
        self.axis = _check_int(axis, "axis", what)

    def init(self) -> IoUState:
        return IoUState(jnp.zeros((self.num_classes, self.num_classes), self.dtype))

    def update(
        self, state: IoUState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> IoUState:
        """Adds this batch's (weighted) confusion matrix."""
        what = type(self).__name__
        y_true, y_pred = jnp.asarray(y_true), jnp.asarray(y_pred)
        if not self.sparse_y_true:
            y_true = jnp.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = jnp.argmax(y_pred, axis=self.axis)
        true_shape = y_true.shape
        y_true = y_true.astype(self.dtype).reshape(-1)
        y_pred = y_pred.astype(self.dtype).reshape(-1)
        if y_true.shape != y_pred.shape:
            raise errors.JnetValueError(
                f"{what}: y_true and y_pred must hold as many class ids once flattened (after "
                f"the argmax of non-sparse inputs); received {y_true.shape[0]} and "
                f"{y_pred.shape[0]}."
            )
        if sample_weight is None:
            weight = jnp.ones_like(y_true)
        else:
            sample_weight = jnp.asarray(sample_weight)
            if jnp.issubdtype(sample_weight.dtype, jnp.floating) and jnp.issubdtype(
                self.dtype, jnp.integer
            ):
                warnings.warn(
                    f"{what}: you are passing float sample weights, but the metric's dtype is "
                    f"{self.dtype}; they are truncated to integers as in Keras. Consider "
                    "integer weights, or dtype='float32'.",
                    stacklevel=2,
                )
            weight = sample_weight.astype(self.dtype)
            if 0 < weight.ndim < len(true_shape) and weight.shape == true_shape[:weight.ndim]:
                # per-sample weights over per-pixel labels: each sample's weight for all its
                # labels (Keras refuses these shapes)
                weight = jnp.broadcast_to(
                    weight.reshape(weight.shape + (1,) * (len(true_shape) - weight.ndim)),
                    true_shape,
                )
            if weight.ndim > 1:
                weight = weight.reshape(-1)
            try:
                weight = jnp.broadcast_to(weight, y_true.shape)
            except ValueError:
                raise errors.JnetValueError(
                    f"{what}: sample_weight of shape {tuple(sample_weight.shape)} does not "
                    f"match the {y_true.shape[0]} class ids of y_true."
                ) from None
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        index = jnp.where(valid, y_true * n + y_pred, 0).astype(jnp.int32)
        weight = jnp.where(valid, weight, 0)
        counts = jnp.zeros((n * n,), self.dtype).at[index].add(weight)
        return IoUState(state.total_confusion_matrix + counts.reshape(n, n))

    def compute(self, state: IoUState) -> Array:
        cm = state.total_confusion_matrix
        true_positives = jnp.diag(cm)
        denominator = jnp.sum(cm, axis=0) + jnp.sum(cm, axis=1) - true_positives
        ids = jnp.asarray(self.target_class_ids, jnp.int32)
        true_positives = true_positives[ids].astype(jnp.float32)
        denominator = denominator[ids].astype(jnp.float32)
        valid = denominator > 1e-9
        iou = jnp.where(valid, true_positives / (denominator + EPSILON), 0.0)
        return jnp.sum(iou) / (jnp.sum(valid.astype(jnp.float32)) + EPSILON)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": list(self.target_class_ids),
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class BinaryIoU(IoU):
    """IoU of binary predictions: ``y_pred >= threshold`` is class 1, else class 0.

    Args:
        target_class_ids: ``(0,)``, ``(1,)`` or ``(0, 1)`` (the mean of both). Defaults to
            ``(0, 1)``.
        threshold: the score from which a prediction is class 1. Defaults to 0.5.
        name: Defaults to ``'binary_io_u'``.
        dtype: the confusion matrix's dtype. Defaults to None: int32.

    Example:
        >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
        >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        target_class_ids: Sequence[int] = (0, 1),
        threshold: float = 0.5,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise errors.JnetTypeError(
                f"BinaryIoU: argument `threshold` must be a float; received "
                f"{errors.describe(threshold)}."
            )
        self.threshold = threshold

    def update(
        self, state: IoUState, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> IoUState:
        y_true = jnp.asarray(y_true).astype(self.dtype)
        y_pred = (jnp.asarray(y_pred).astype(jnp.float32) >= self.threshold).astype(self.dtype)
        return super().update(state, y_true, y_pred, sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": list(self.target_class_ids),
            "threshold": self.threshold,
            "name": self.name,
            "dtype": str(self.dtype),
        }


class MeanIoU(IoU):
    """The mean IoU over all ``num_classes`` classes (those present so far).

    Args:
        num_classes: the number of classes.
        name: Defaults to ``'mean_io_u'``.
        dtype: the confusion matrix's dtype. Defaults to None: int32.
        ignore_class: a class id left out of the metric. Defaults to None.
        sparse_y_true: whether labels are class ids. Defaults to True.
        sparse_y_pred: whether predictions are class ids (False: scores, argmax taken).
            Defaults to True.
        axis: the class axis of non-sparse inputs. Defaults to -1.

    Example:
        >>> m = MeanIoU(num_classes=2, sparse_y_pred=False)
        >>> m.update_state([0, 0, 1, 1], [[0.9, 0.1], [0.4, 0.6], [0.7, 0.3], [0.2, 0.8]])
        >>> round(float(m.result()), 4)
        0.3333
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_true: bool = True,
        sparse_y_pred: bool = True,
        axis: int = -1,
    ):
        _check_int(num_classes, "num_classes", type(self).__name__, minimum=1)
        super().__init__(
            num_classes=num_classes, target_class_ids=list(range(num_classes)), name=name,
            dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred, axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": str(self.dtype),
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotIoU(IoU):
    """IoU of the target classes for one-hot labels (their argmax along ``axis``).

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids whose IoU is averaged.
        name: Defaults to ``'one_hot_io_u'``.
        dtype: the confusion matrix's dtype. Defaults to None: int32.
        ignore_class: a class id left out of the metric. Defaults to None.
        sparse_y_pred: whether predictions are class ids (default False: scores, argmax
            taken).
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1667
    """

    def __init__(
        self,
        num_classes: int,
        target_class_ids: Sequence[int],
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
            ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": list(self.target_class_ids),
            "name": self.name,
            "dtype": str(self.dtype),
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class OneHotMeanIoU(MeanIoU):
    """The mean IoU over all classes for one-hot labels (their argmax along ``axis``).

    Args:
        num_classes: the number of classes.
        name: Defaults to ``'one_hot_mean_io_u'``.
        dtype: the confusion matrix's dtype. Defaults to None: int32.
        ignore_class: a class id left out of the metric. Defaults to None.
        sparse_y_pred: whether predictions are class ids (default False: scores, argmax
            taken).
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = OneHotMeanIoU(num_classes=3)
        >>> m.update_state([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
        ...                [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
        >>> round(float(m.result()), 4)
        0.1111
    """

    def __init__(
        self,
        num_classes: int,
        name: str | None = None,
        dtype: Any = None,
        ignore_class: int | None = None,
        sparse_y_pred: bool = False,
        axis: int = -1,
    ):
        super().__init__(
            num_classes=num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
            sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis,
        )

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": str(self.dtype),
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
