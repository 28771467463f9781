"""Probabilistic loss classes: the crossentropies (binary, categorical, sparse, focal), KL, Poisson.

Each class wraps its function from :mod:`jnet.losses._crossentropy` (where the numbers are
explained); :class:`CrossentropyByShape` picks the function from the shapes at trace time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._crossentropy import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    crossentropy_for_shapes,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from jnet.losses._logits import compute_with_mask, logits_activation_of
from jnet.losses._utils import Array, squeeze_or_expand_to_same_rank

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "CrossentropyByShape",
]


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy; see :func:`binary_crossentropy`.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``, squeezes labels towards 0.5. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'binary_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true, logits = [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]]
        >>> round(float(BinaryCrossentropy(from_logits=True)(y_true, logits)), 3)
        0.865
    """

    logits_activation = "sigmoid"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy from one-hot labels; see :func:`categorical_crossentropy`.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(CategoricalCrossentropy()(y_true, y_pred)), 3)
        1.177
    """

    logits_activation = "softmax"

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy from integer labels; see :func:`sparse_categorical_crossentropy`.

    With ``ignore_class``, entries of that label get loss 0 and are left out of the average
    (``'sum_over_batch_size'`` divides by the number of valid entries), as in Keras.

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label to leave out. Defaults to None.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        axis: the class axis; only -1 is supported. Defaults to -1.
        name: Defaults to ``'sparse_categorical_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(SparseCategoricalCrossentropy()([1, 2], y_pred)), 3)
        1.177
    """

    logits_activation = "softmax"

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
            from_logits=from_logits, ignore_class=ignore_class, axis=axis,
        )
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
        }

    def _replace(self, **changes) -> Loss:
        return type(self)(**{**self.get_config(), "axis": self.axis, **changes}, dtype=self.dtype)

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CrossentropyByShape(Loss):
    """The loss behind ``compile(loss='crossentropy')`` (or ``'ce'``): chosen by shape.

    At trace time, from the static shapes of ``y_true`` and ``y_pred``
    (:func:`crossentropy_for_shapes`): binary crossentropy when ``y_pred``'s last dimension is
    1, sparse categorical crossentropy for integer labels, categorical crossentropy for
    one-hot labels — Keras's ``compile_utils.get_loss``.

    Because the function depends on the shapes, so does the logits activation: use
    :meth:`logits_activation_for` (the ``logits_activation`` attribute is None).

    Args:
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> loss = CrossentropyByShape()
        >>> loss.logits_activation_for(np.zeros((4,)), np.zeros((4, 3)))
        'softmax'
        >>> round(float(loss([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(
        self,
        from_logits=False,
        reduction="sum_over_batch_size",
        name="crossentropy",
        dtype=None,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = bool(from_logits)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The crossentropy function these shapes select; see :func:`crossentropy_for_shapes`."""
        return crossentropy_for_shapes(y_true, y_pred)

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        return logits_activation_of(self.function_for(y_true, y_pred))

    def call(self, y_true: Array, y_pred: Array) -> Array:
        return self.call_with_mask(y_true, y_pred)[0]

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        fn = self.function_for(y_true, y_pred)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return compute_with_mask(fn, y_true, y_pred, from_logits=self.from_logits)

    def with_logits(self) -> Loss:
        return self._replace(from_logits=True)

    def get_config(self) -> dict:
        return {**super().get_config(), "from_logits": self.from_logits}


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal crossentropy; see :func:`binary_focal_crossentropy`.

    Args:
        apply_class_balancing: weigh class 1 by ``alpha`` and class 0 by ``1 - alpha``.
            Defaults to False.
        alpha: the class-1 weight of the balancing. Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``, squeezes labels towards 0.5. Defaults to 0.
        axis: the axis averaged over. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'binary_focal_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true, y_pred = [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]
        >>> loss = BinaryFocalCrossentropy(gamma=2, from_logits=True)
        >>> round(float(loss(y_true, y_pred)), 3)
        0.691
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
            apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "apply_class_balancing": self.apply_class_balancing,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal crossentropy; see :func:`categorical_focal_crossentropy`.

    ``logits_activation`` is None: Keras's TensorFlow backend computes this loss from the
    probabilities even after a softmax output, so a training step must not swap in logits.

    Args:
        alpha: a weight for every class, scalar or one per class. Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``; labels become ``y (1 - s) + s / C``. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_focal_crossentropy'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(float(CategoricalFocalCrossentropy()(y_true, y_pred)), 3)
        0.233
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
            alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
            axis=axis,
        )
        self.alpha = alpha
        self.gamma = gamma
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
            "alpha": self.alpha,
            "gamma": self.gamma,
        }

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        return cls(**config)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence; see :func:`kl_divergence`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'kl_divergence'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 4)
        0.1438
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """Poisson loss; see :func:`poisson`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'poisson'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> round(float(Poisson()([[1.0, 0.0]], [[0.5, 2.0]])), 4)
        1.5966
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)
