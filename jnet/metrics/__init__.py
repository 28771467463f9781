"""Metrics: Keras's metrics with pure, jit-able state (``init``/``update``/``compute``).

A :class:`Metric` is configuration only; its state is a pytree of float32 arrays, so a training
engine can keep metrics on device inside ``jit``/``lax.scan``::

    state = metric.init()
    state = metric.update(state, y_true, y_pred, sample_weight)   # pure, jit-able
    value = metric.result(state)                                  # = metric.compute(state)

Aggregation is Keras's (``metrics/reduction_metrics.py``): per-sample values (averaged over the
last axis where Keras's function does), ``total += sum(values * w)``, ``count += sum(w)`` (or
the number of values), ``result = total / count`` (0 when ``count`` is 0).

Keras's stateful API works too, on an internal state: ``update_state(...)``, ``result()``,
``reset_state()``.

Metrics whose state has one entry per class (:class:`R2Score`, :class:`FBetaScore` and
:class:`F1Score` unless ``average='micro'``, multi-label :class:`AUC`) need the class count:
pass it to the constructor (``num_classes``/``num_labels``) or build the state with
``metric.init_for(y_true, y_pred)`` from the first batch's shapes.

``compile(metrics=[...])`` goes through :func:`resolve`, which follows Keras's
``compile_utils.get_metric``: ``'accuracy'``/``'acc'`` pick binary, sparse categorical or
categorical accuracy from the shapes, and metrics are named by the string given. Any loss
name that names no metric (``'huber'``, ``'log_cosh'``, ...) gives the running mean of that
loss function.

The package is split one concept per file: ``_base`` (Metric, Mean, Sum, MeanMetricWrapper,
accuracy and cross-entropy), ``_top_k``, ``_confusion`` (TP/FP/TN/FN, Precision, Recall, AUC),
``_f_score``, ``_regression``, ``_hinge``, ``_probabilistic`` and ``_registry``.

Example:
    >>> import numpy as np
    >>> from jnet import metrics
    >>> m = metrics.BinaryAccuracy()
    >>> m.update_state(np.array([[1], [1], [0], [0]]), np.array([[0.98], [1.0], [0.0], [0.6]]))
    >>> float(m.result())
    0.75
"""

from jnet.metrics._base import (
    Accuracy as Accuracy,
)
from jnet.metrics._base import (
    AccuracyByShape as AccuracyByShape,
)
from jnet.metrics._base import (
    BinaryAccuracy as BinaryAccuracy,
)
from jnet.metrics._base import (
    BinaryCrossentropy as BinaryCrossentropy,
)
from jnet.metrics._base import (
    CategoricalAccuracy as CategoricalAccuracy,
)
from jnet.metrics._base import (
    CategoricalCrossentropy as CategoricalCrossentropy,
)
from jnet.metrics._base import (
    CrossentropyByShape as CrossentropyByShape,
)
from jnet.metrics._base import (
    Mean as Mean,
)
from jnet.metrics._base import (
    MeanAbsoluteError as MeanAbsoluteError,
)
from jnet.metrics._base import (
    MeanMetricWrapper as MeanMetricWrapper,
)
from jnet.metrics._base import (
    MeanSquaredError as MeanSquaredError,
)
from jnet.metrics._base import (
    MeanState as MeanState,
)
from jnet.metrics._base import (
    Metric as Metric,
)
from jnet.metrics._base import (
    SparseCategoricalAccuracy as SparseCategoricalAccuracy,
)
from jnet.metrics._base import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from jnet.metrics._base import (
    Sum as Sum,
)
from jnet.metrics._base import (
    SumState as SumState,
)
from jnet.metrics._base import (
    accuracy as accuracy,
)
from jnet.metrics._base import (
    binary_accuracy as binary_accuracy,
)
from jnet.metrics._base import (
    categorical_accuracy as categorical_accuracy,
)
from jnet.metrics._base import (
    sparse_categorical_accuracy as sparse_categorical_accuracy,
)
from jnet.metrics._confusion import (
    AUC as AUC,
)
from jnet.metrics._confusion import (
    ConfusionState as ConfusionState,
)
from jnet.metrics._confusion import (
    FalseNegatives as FalseNegatives,
)
from jnet.metrics._confusion import (
    FalsePositives as FalsePositives,
)
from jnet.metrics._confusion import (
    Precision as Precision,
)
from jnet.metrics._confusion import (
    PrecisionAtRecall as PrecisionAtRecall,
)
from jnet.metrics._confusion import (
    Recall as Recall,
)
from jnet.metrics._confusion import (
    RecallAtPrecision as RecallAtPrecision,
)
from jnet.metrics._confusion import (
    SensitivityAtSpecificity as SensitivityAtSpecificity,
)
from jnet.metrics._confusion import (
    SpecificityAtSensitivity as SpecificityAtSensitivity,
)
from jnet.metrics._confusion import (
    TrueNegatives as TrueNegatives,
)
from jnet.metrics._confusion import (
    TruePositives as TruePositives,
)
from jnet.metrics._f_score import (
    F1Score as F1Score,
)
from jnet.metrics._f_score import (
    FBetaScore as FBetaScore,
)
from jnet.metrics._f_score import (
    FBetaScoreState as FBetaScoreState,
)
from jnet.metrics._hinge import (
    CategoricalHinge as CategoricalHinge,
)
from jnet.metrics._hinge import (
    Hinge as Hinge,
)
from jnet.metrics._hinge import (
    SquaredHinge as SquaredHinge,
)
from jnet.metrics._hinge import (
    categorical_hinge as categorical_hinge,
)
from jnet.metrics._hinge import (
    hinge as hinge,
)
from jnet.metrics._hinge import (
    squared_hinge as squared_hinge,
)
from jnet.metrics._probabilistic import (
    KLDivergence as KLDivergence,
)
from jnet.metrics._probabilistic import (
    Poisson as Poisson,
)
from jnet.metrics._probabilistic import (
    kl_divergence as kl_divergence,
)
from jnet.metrics._probabilistic import (
    poisson as poisson,
)
from jnet.metrics._registry import _REGISTRY as _REGISTRY
from jnet.metrics._registry import (
    deserialize as deserialize,
)
from jnet.metrics._registry import (
    get as get,
)
from jnet.metrics._registry import (
    resolve as resolve,
)
from jnet.metrics._registry import (
    serialize as serialize,
)
from jnet.metrics._regression import (
    CosineSimilarity as CosineSimilarity,
)
from jnet.metrics._regression import (
    LogCoshError as LogCoshError,
)
from jnet.metrics._regression import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from jnet.metrics._regression import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from jnet.metrics._regression import (
    R2Score as R2Score,
)
from jnet.metrics._regression import (
    R2ScoreState as R2ScoreState,
)
from jnet.metrics._regression import (
    RootMeanSquaredError as RootMeanSquaredError,
)
from jnet.metrics._regression import (
    cosine_similarity as cosine_similarity,
)
from jnet.metrics._regression import (
    log_cosh as log_cosh,
)
from jnet.metrics._regression import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from jnet.metrics._regression import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from jnet.metrics._top_k import (
    SparseTopKCategoricalAccuracy as SparseTopKCategoricalAccuracy,
)
from jnet.metrics._top_k import (
    TopKCategoricalAccuracy as TopKCategoricalAccuracy,
)
from jnet.metrics._top_k import (
    sparse_top_k_categorical_accuracy as sparse_top_k_categorical_accuracy,
)
from jnet.metrics._top_k import (
    top_k_categorical_accuracy as top_k_categorical_accuracy,
)

__all__ = [
    "MeanState",
    "SumState",
    "Metric",
    "Mean",
    "Sum",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "Accuracy",
    "BinaryAccuracy",
    "CategoricalAccuracy",
    "SparseCategoricalAccuracy",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "AccuracyByShape",
    "CrossentropyByShape",
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "ConfusionState",
    "TruePositives",
    "FalsePositives",
    "TrueNegatives",
    "FalseNegatives",
    "Precision",
    "Recall",
    "AUC",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "FBetaScoreState",
    "FBetaScore",
    "F1Score",
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "KLDivergence",
    "Poisson",
    "kl_divergence",
    "poisson",
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
    "get",
    "resolve",
    "serialize",
    "deserialize",
    "TopKCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
]
