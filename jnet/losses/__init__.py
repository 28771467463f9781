"""Losses: Keras's loss functions and ``Loss`` classes, as pure JAX functions.

One concept per file, each importing only the files before it: ``_utils`` (rank alignment,
dtypes, reductions), ``_logits`` (what a loss function declares: its ``from_logits`` form and
mask), ``_crossentropy`` (the crossentropy, focal, KL and Poisson functions), ``_base``
(``Loss``, ``LossFunctionWrapper``), ``_regression``, ``_probabilistic`` (the crossentropy,
focal, KL and Poisson classes), ``_hinge``, ``_segmentation`` (Dice, Tversky),
``_similarity`` (Circle), ``_sequence`` (CTC), ``_generalized``
(CategoricalGeneralizedCrossEntropy) and
``_registry`` (``get``/``resolve``/``serialize``); everything public is re-exported here.

Each *function* (``mean_squared_error``, ``binary_crossentropy``, ...) returns per-sample values
(averaged over the last axis where Keras averages). Each *class* (``MeanSquaredError``, ...)
wraps a function and reduces its values to a scalar exactly as Keras's ``Loss.__call__`` does:
rank alignment of ``y_true``/``y_pred`` and of ``sample_weight``, weighting, then the
reduction (``'sum_over_batch_size'`` divides by the number of elements, not by the sum of the
weights).

The numbers are those of Keras 3 on the TensorFlow backend (``backend/tensorflow/nn.py``):
crossentropies from probabilities clip to ``[1e-7, 1 - 1e-7]``, categorical crossentropy
renormalises ``p / sum(p)`` first, and sparse categorical crossentropy is the softmax
crossentropy of ``log(clip(p))``.

Logits shortcut. Keras's TensorFlow backend computes any crossentropy (binary, categorical or
sparse, whatever its ``from_logits``) from the *pre-activation* logits when ``y_pred`` is the
direct output of Keras's ``sigmoid`` or ``softmax`` (the activation stores its input on the
output as ``_keras_logits``; ``backend/tensorflow/nn.py _get_logits``), so no clipping happens
and the activation that produced ``y_pred`` does not even have to match the loss. A training
engine reproduces this with :attr:`Loss.logits_activation` / :meth:`Loss.logits_activation_for`
(``None`` for losses without a logits form) and :meth:`Loss.with_logits`. Binary focal
crossentropy takes the shortcut too (it calls the backend's binary crossentropy on its
probabilities) unless ``from_logits=True``; categorical focal crossentropy never does.

Example:
    >>> import numpy as np
    >>> from jnet import losses
    >>> y_true = np.array([[0.0, 1.0], [0.0, 0.0]], np.float32)
    >>> y_pred = np.array([[0.6, 0.4], [0.4, 0.6]], np.float32)
    >>> [round(float(v), 3) for v in losses.binary_crossentropy(y_true, y_pred)]
    [0.916, 0.714]
    >>> round(float(losses.BinaryCrossentropy()(y_true, y_pred)), 3)
    0.815
"""

from __future__ import annotations

from jnet.losses import _registry, _utils
from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._crossentropy import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    crossentropy_for_shapes,
    is_binary_or_sparse_categorical,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from jnet.losses._generalized import (
    CategoricalGeneralizedCrossEntropy,
    categorical_generalized_cross_entropy,
)
from jnet.losses._hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from jnet.losses._logits import (
    accepts_from_logits,
    compute_with_mask,
    logits_activation_of,
)
from jnet.losses._probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CrossentropyByShape,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from jnet.losses._registry import (
    deserialize,
    get,
    resolve,
    serialize,
)
from jnet.losses._regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from jnet.losses._segmentation import Dice, Tversky, dice, tversky
from jnet.losses._sequence import CTC, ctc
from jnet.losses._similarity import Circle, circle
from jnet.losses._utils import (
    EPSILON,
    REDUCTIONS,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
)

# tf.keras's (Keras 2's) short names for the loss functions, still written by course and
# tutorial code (``loss=tf.keras.losses.MSE``): the same functions. Keras 3 accepts them as
# strings only (``loss='mse'``, :func:`get`).
MSE = mse = mean_squared_error
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

# Private helpers other jnet modules and tests reach through jnet.losses.
Array = _utils.Array
_as_float = _utils._as_float
_broadcast_pair = _utils._broadcast_pair
_check_axis = _utils._check_axis
_divide_no_nan = _utils._divide_no_nan
_object_name = _utils._object_name
_require_same_shape = _utils._require_same_shape
_shape = _utils._shape
_snake_case = _utils._snake_case
_standardize_dtype = _utils._standardize_dtype
_standardize_reduction = _utils._standardize_reduction
_CLASSES = _registry._CLASSES
_FUNCTIONS = _registry._FUNCTIONS
_REGISTRY = _registry._REGISTRY

__all__ = [
    "EPSILON",
    "REDUCTIONS",
    "Loss",
    "LossFunctionWrapper",
    "squeeze_or_expand_to_same_rank",
    "reduce_weighted_values",
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "CrossentropyByShape",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "compute_with_mask",
    "is_binary_or_sparse_categorical",
    "crossentropy_for_shapes",
    "accepts_from_logits",
    "logits_activation_of",
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "Huber",
    "LogCosh",
    "CosineSimilarity",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "huber",
    "log_cosh",
    "cosine_similarity",
    "Dice",
    "Tversky",
    "dice",
    "tversky",
    "Circle",
    "circle",
    "CTC",
    "ctc",
    "CategoricalGeneralizedCrossEntropy",
    "categorical_generalized_cross_entropy",
    "get",
    "resolve",
    "serialize",
    "deserialize",
    "MSE", "mse", "MAE", "mae", "MAPE", "mape", "MSLE", "msle", "KLD", "kld",
    "kullback_leibler_divergence", "logcosh",
]
