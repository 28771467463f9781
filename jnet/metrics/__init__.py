"""Metrics: Keras's metrics with pure, jit-able state (``init``/``update``/``compute``).

A :class:`Metric` is configuration only; its state is a pytree of float32 arrays (int32 for the
IoU metrics' confusion matrix, Keras's ``'int'``), so a training engine can keep metrics on
device inside ``jit``/``lax.scan``::

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

The package is split one concept per file, each importing only the files before it (and
:mod:`jnet.losses`): ``_utils``, ``_base`` (the Metric protocol), ``_reduction`` (Mean, Sum,
MeanMetricWrapper), ``_accuracy``, ``_probabilistic`` (crossentropies, KL, Poisson),
``_regression``, ``_hinge``, ``_top_k``, ``_confusion_counts`` (the counts per threshold),
``_confusion`` (TP/FP/TN/FN, Precision, Recall, X-at-Y), ``_auc``, ``_f_score``, ``_iou``
(the confusion-matrix IoUs), ``_correlation`` (Pearson, concordance) and ``_registry``.

Example:
    >>> import numpy as np
    >>> from jnet import metrics
    >>> m = metrics.BinaryAccuracy()
    >>> m.update_state(np.array([[1], [1], [0], [0]]), np.array([[0.98], [1.0], [0.0], [0.6]]))
    >>> float(m.result())
    0.75
"""

# Keras re-exports these loss functions as metric functions: the same objects.
from jnet.losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    huber,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
)
from jnet.metrics._accuracy import (
    Accuracy,
    AccuracyByShape,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from jnet.metrics._auc import AUC
from jnet.metrics._base import Metric
from jnet.metrics._confusion import (
    ConfusionState,
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
from jnet.metrics._correlation import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from jnet.metrics._f_score import (
    F1Score,
    FBetaScore,
    FBetaScoreState,
)
from jnet.metrics._hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from jnet.metrics._iou import (
    BinaryIoU,
    IoU,
    IoUState,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
)
from jnet.metrics._probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CrossentropyByShape,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    kl_divergence,
    poisson,
)
from jnet.metrics._reduction import (
    Mean,
    MeanMetricWrapper,
    MeanState,
    Sum,
    SumState,
)
from jnet.metrics._registry import _REGISTRY as _REGISTRY
from jnet.metrics._registry import (
    deserialize,
    get,
    resolve,
    serialize,
)
from jnet.metrics._regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    R2ScoreState,
    RootMeanSquaredError,
    cosine_similarity,
    log_cosh,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
)
from jnet.metrics._top_k import (
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)

# tf.keras's (Keras 2's) short names for the metric functions, still written by course and
# tutorial code (``metrics=[tf.keras.metrics.mse]``): the same functions (named by their full
# names in the logs, ``'mean_squared_error'``, as in Keras 2). Keras 3 accepts them as strings
# only (``metrics=['mse']``, which names the metric ``'mse'``).
MSE = mse = mean_squared_error
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

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
    "IoUState",
    "IoU",
    "MeanIoU",
    "BinaryIoU",
    "OneHotIoU",
    "OneHotMeanIoU",
    "PearsonCorrelation",
    "ConcordanceCorrelation",
    "pearson_correlation",
    "concordance_correlation",
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
    "mean_squared_error",
    "mean_absolute_error",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "huber",
    "MSE", "mse", "MAE", "mae", "MAPE", "mape", "MSLE", "msle", "KLD", "kld",
    "kullback_leibler_divergence", "logcosh",
]
