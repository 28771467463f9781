"""Losses: Keras's loss functions and ``Loss`` classes, as pure JAX functions.

One concept per file: ``_base`` (rank alignment, reductions, ``Loss``), ``_regression``,
``_probabilistic`` (crossentropies, focal, KL, Poisson), ``_hinge``, ``_segmentation`` (Dice,
Tversky) and ``_registry`` (``get``/``resolve``/``serialize``); everything public is
re-exported here.

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

from jnet.losses import _base, _probabilistic, _registry
from jnet.losses._base import (
    EPSILON,
    REDUCTIONS,
    Loss,
    LossFunctionWrapper,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
)
from jnet.losses._hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
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
    accepts_from_logits,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    compute_with_mask,
    crossentropy_for_shapes,
    is_binary_or_sparse_categorical,
    kl_divergence,
    logits_activation_of,
    poisson,
    sparse_categorical_crossentropy,
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

# Private helpers other jnet modules and tests reach through jnet.losses.
Array = _base.Array
_as_float = _base._as_float
_broadcast_pair = _base._broadcast_pair
_check_axis = _base._check_axis
_divide_no_nan = _base._divide_no_nan
_object_name = _base._object_name
_require_same_shape = _base._require_same_shape
_shape = _base._shape
_snake_case = _base._snake_case
_standardize_dtype = _base._standardize_dtype
_standardize_reduction = _base._standardize_reduction
_LOGITS_ACTIVATION = _probabilistic._LOGITS_ACTIVATION
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
    "get",
    "resolve",
    "serialize",
    "deserialize",
]
