"""What EarlyStopping, ReduceLROnPlateau and ModelCheckpoint share: which quantity to watch,
whether lower or higher is better (``mode`` min/max/auto), and ``min_delta``.

``mode='auto'`` follows Keras: ``loss``/``val_loss`` are minimised; a compiled metric is
maximised or minimised by its kind (Keras's ``Metric._direction``: accuracies, AUC,
precision, recall, F-scores, R2, cosine similarity go up; errors, cross-entropies, hinges,
divergences go down); any other name raises and asks for ``mode='min'`` or ``'max'``.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from jnet import errors
from jnet import losses as losses_module
from jnet.callbacks._callback import Callback

__all__ = ["METRIC_DIRECTIONS", "MonitorCallback", "metric_direction"]

_UP = (
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
    "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "AccuracyByShape", "AUC",
    "Precision", "Recall", "SensitivityAtSpecificity", "SpecificityAtSensitivity",
    "PrecisionAtRecall", "RecallAtPrecision", "FBetaScore", "F1Score", "R2Score",
    "CosineSimilarity", "PearsonCorrelation", "ConcordanceCorrelation", "IoU", "BinaryIoU",
    "MeanIoU", "OneHotIoU", "OneHotMeanIoU",
)
_DOWN = (
    "MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError", "RootMeanSquaredError", "LogCoshError", "Hinge",
    "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson", "BinaryCrossentropy",
    "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "CrossentropyByShape",
)

#: Metric class name -> ``'up'`` or ``'down'``, as Keras's ``Metric._direction``.
METRIC_DIRECTIONS: dict[str, str] = {
    **{name: "up" for name in _UP},
    **{name: "down" for name in _DOWN},
}


def metric_direction(metric: Any) -> str | None:
    """``'up'``, ``'down'`` or None (unknown) for a jnet metric object, as Keras decides.

    A ``MeanMetricWrapper`` around a jnet loss function goes down, as in Keras.

    Example:
        >>> import jnet
        >>> metric_direction(jnet.metrics.resolve("accuracy"))
        'up'
    """
    for cls in type(metric).__mro__:
        if cls.__name__ in METRIC_DIRECTIONS:
            return METRIC_DIRECTIONS[cls.__name__]
        if cls.__name__ == "MeanMetricWrapper":
            fn = getattr(metric, "fn", None)
            name = getattr(fn, "__name__", None)
            if name and getattr(losses_module, name, None) is fn:
                return "down"
            return None
    return None


class MonitorCallback(Callback):
    """Base of callbacks that watch one logged quantity.

    Args:
        monitor: the logs key to watch, e.g. ``'val_loss'``.
        mode: ``'min'``, ``'max'`` or ``'auto'`` (from the quantity's name); an unknown mode
            warns and falls back to ``'auto'``, as in Keras.
        baseline: the starting best value, or None.
        min_delta: the smallest change that counts as an improvement (its sign is ignored).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0,
    ):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=3,
            )
            mode = "auto"
        if not isinstance(monitor, str):
            raise errors.JnetTypeError(
                f"{type(self).__name__}: monitor must be a logs key such as 'val_loss', "
                f"received {errors.describe(monitor)}."
            )
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[Any, Any], bool] | None = None

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            for metric in getattr(self.model, "_metric_objs", None) or ():
                if getattr(metric, "name", None) == name:
                    direction = metric_direction(metric)
                    if direction is not None:
                        self.monitor_op = operator.gt if direction == "up" else operator.lt
            if self.monitor_op is None:
                raise errors.JnetValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but "
                    f"jnet isn't able to automatically determine whether that metric should "
                    f"be maximized or minimized. Pass `mode='max'` in order to monitor based "
                    f"on the highest metric value, or pass `mode='min'` in order to use the "
                    f"lowest value."
                )
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value: float, reference_value: float | None) -> bool:
        if reference_value is None:
            return True
        # Keras compares with keras.ops, i.e. in float32 (floatx).
        with np.errstate(over="ignore"):
            current = np.float32(monitor_value - self.min_delta)
            reference = np.float32(reference_value)
        return bool(self.monitor_op(current, reference))
