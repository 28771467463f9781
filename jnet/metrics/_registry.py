"""The metric registry: :func:`get`, :func:`resolve` (``compile(metrics=[...])``),
:func:`serialize` and :func:`deserialize`, with Keras's names and aliases.

Example:
    >>> get("mape").name
    'mean_absolute_percentage_error'
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from jnet import errors
from jnet import losses as losses_module
from jnet._registry import Registry, keras_object_config
from jnet.metrics._accuracy import (
    Accuracy,
    AccuracyByShape,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
)
from jnet.metrics._auc import AUC
from jnet.metrics._base import Metric
from jnet.metrics._confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from jnet.metrics._correlation import ConcordanceCorrelation, PearsonCorrelation
from jnet.metrics._f_score import F1Score, FBetaScore
from jnet.metrics._hinge import CategoricalHinge, Hinge, SquaredHinge
from jnet.metrics._iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from jnet.metrics._probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CrossentropyByShape,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from jnet.metrics._reduction import Mean, MeanMetricWrapper, Sum
from jnet.metrics._regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)
from jnet.metrics._top_k import SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy
from jnet.metrics._utils import _object_name, _snake_case

__all__ = ["get", "resolve", "serialize", "deserialize"]


_CLASSES = (
    Mean,
    Sum,
    MeanSquaredError,
    MeanAbsoluteError,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TruePositives,
    FalsePositives,
    TrueNegatives,
    FalseNegatives,
    Precision,
    Recall,
    AUC,
    F1Score,
    FBetaScore,
    RootMeanSquaredError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    CosineSimilarity,
    LogCoshError,
    R2Score,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    PearsonCorrelation,
    ConcordanceCorrelation,
    BinaryIoU,
)
_REGISTRY = Registry(
    "metric",
    {cls.__name__: cls for cls in _CLASSES},
    aliases={
        **{_snake_case(cls.__name__): cls.__name__ for cls in _CLASSES},
        "bce": "BinaryCrossentropy",
        "BCE": "BinaryCrossentropy",
        "mse": "MeanSquaredError",
        "MSE": "MeanSquaredError",
        "mae": "MeanAbsoluteError",
        "MAE": "MeanAbsoluteError",
        "mape": "MeanAbsolutePercentageError",
        "MAPE": "MeanAbsolutePercentageError",
        "msle": "MeanSquaredLogarithmicError",
        "MSLE": "MeanSquaredLogarithmicError",
    },
)
# Keras classes with a required argument: reachable from config dicts only.
_REQUIRED_ARGUMENT = (
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    PrecisionAtRecall,
    RecallAtPrecision,
    IoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
_CONFIG_ONLY = {
    **{cls.__name__: cls for cls in _REQUIRED_ARGUMENT},
    "MeanMetricWrapper": MeanMetricWrapper,
    "AccuracyByShape": AccuracyByShape,
    "CrossentropyByShape": CrossentropyByShape,
}
_BY_SHAPE = {
    "accuracy": AccuracyByShape,
    "acc": AccuracyByShape,
    "crossentropy": CrossentropyByShape,
    "ce": CrossentropyByShape,
}


def deserialize(config: Mapping) -> Any:
    """Builds a metric from :func:`serialize`'s output (Keras's serialization format).

    Args:
        config: ``{'class_name': ..., 'config': ...}``.

    Returns:
        A :class:`Metric`.

    Example:
        >>> deserialize(serialize(BinaryAccuracy(threshold=0.7))).threshold
        0.7
    """
    if not isinstance(config, Mapping) or "class_name" not in config:
        raise errors.JnetValueError(
            f"A metric config dict needs a 'class_name' key; received {errors.describe(config)}."
        )
    class_name = config["class_name"]
    cls = _CONFIG_ONLY.get(class_name) or _REGISTRY.lookup(class_name)
    return cls.from_config(dict(config.get("config") or {}))


def serialize(metric: Metric) -> dict:
    """Serialises a metric the way ``keras.metrics.serialize`` does.

    Args:
        metric: a :class:`Metric`.

    Returns:
        ``{'module', 'class_name', 'config', 'registered_name'}``.

    Example:
        >>> serialize(Mean())["class_name"]
        'Mean'
    """
    if not isinstance(metric, Metric):
        raise errors.JnetTypeError(
            f"serialize: expected a Metric; received {errors.describe(metric)}."
        )
    keras_public = type(metric) in (*_CLASSES, *_REQUIRED_ARGUMENT, MeanMetricWrapper)
    return keras_object_config(
        metric, "keras.metrics" if keras_public else "jnet.metrics",
        None if keras_public else type(metric).__name__,
    )


def get(identifier: Any) -> Any:
    """Resolves a metric identifier as ``keras.metrics.get`` does.

    Args:
        identifier: a class name or its snake-cased form (``'BinaryAccuracy'``,
            ``'binary_accuracy'``) or alias (``'mse'``, ``'mae'``, ``'bce'``) -> a default
            instance; a Metric class -> a default instance; a config dict -> the deserialised
            metric; a Metric instance or any callable -> itself; None -> None.

    Returns:
        A :class:`Metric`, a callable, or None.

    Raises:
        UnknownIdentifierError: for an unknown name (lists the valid ones).

    Example:
        >>> get("mae").name
        'mean_absolute_error'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Mapping):
        obj = deserialize(identifier)
    else:
        obj = _REGISTRY.get(identifier)
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise errors.JnetTypeError(
            f"Could not interpret metric identifier {errors.describe(identifier)}: expected a "
            f"metric name such as 'accuracy' or 'mae', a config dict, a Metric, or a callable "
            f"fn(y_true, y_pred)."
        )
    return obj


def resolve(identifier: Any, loss: Any = None) -> Metric:
    """Resolves one entry of ``compile(metrics=[...])``, following Keras's ``get_metric``.

    * ``'accuracy'``/``'acc'`` (any case) -> :class:`AccuracyByShape` named as given.
    * ``'crossentropy'``/``'ce'`` -> :class:`CrossentropyByShape` (a jnet extension: Keras 3
      rejects these metric strings).
    * other strings -> :func:`get`, renamed to the string given (``'mae'`` logs as ``'mae'``,
      ``'MeanSquaredError'`` as ``'MeanSquaredError'``). A loss function name that is not a
      metric name (``'huber'``) gives its running mean (a jnet extension).
    * a :class:`Metric` -> itself; a Metric class -> a default instance.
    * any other callable (a loss function, a Loss) -> :class:`MeanMetricWrapper` named by its
      ``name`` or snake-cased ``__name__``.

    Args:
        identifier: one entry of ``metrics``.
        loss: the compiled loss. Unused: Keras resolves ``'accuracy'`` by shape, not by loss;
            accepted so callers can pass it uniformly.

    Returns:
        A :class:`Metric`.

    Raises:
        UnknownIdentifierError: for an unknown name (lists the valid ones, nearest first).

    Example:
        >>> [resolve(m).name for m in ["acc", "mae", "mean_squared_error"]]
        ['acc', 'mae', 'mean_squared_error']
    """
    del loss
    if identifier is None:
        raise errors.JnetValueError("Expected a metric, received None.")
    if isinstance(identifier, str):
        by_shape = _BY_SHAPE.get(identifier.lower())
        if by_shape is not None:
            return by_shape(name=identifier)
        if identifier in _REGISTRY:
            obj = get(identifier)
        else:
            obj = _loss_as_metric(identifier)
        name = identifier
    else:
        obj = get(identifier)
        name = _object_name(obj)
    if not isinstance(obj, Metric):
        return MeanMetricWrapper(obj, name=name)
    obj.check_implemented()
    obj.name = name
    return obj


def _loss_as_metric(identifier: str) -> Any:
    """The loss function (or Loss) a metric string names when it names no metric."""
    try:
        return losses_module.get(identifier)
    except (errors.UnknownIdentifierError, ValueError, TypeError):
        raise errors.unknown_identifier(
            "metric", identifier, [*_REGISTRY.names(), *_BY_SHAPE]
        ) from None
