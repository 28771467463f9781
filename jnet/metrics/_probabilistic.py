"""Probabilistic metrics (``keras/src/metrics/probabilistic_metrics.py``): the running means
of the crossentropies (binary, categorical, sparse, and :class:`CrossentropyByShape` for
``'crossentropy'``), KL divergence and Poisson.

Example:
    >>> m = Poisson()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> round(float(m.result()), 4)
    0.5
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax

from jnet import losses as losses_module
from jnet.losses import kl_divergence, poisson
from jnet.metrics._base import Metric
from jnet.metrics._reduction import MeanMetricWrapper, _simple_config, _wrapper_class

__all__ = [
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "SparseCategoricalCrossentropy",
    "CrossentropyByShape",
    "KLDivergence",
    "Poisson",
    "kl_divergence",
    "poisson",
]

Array = jax.Array


def _crossentropy_by_shape(y_true: Any, y_pred: Any, from_logits: bool = False) -> Array:
    fn = losses_module.crossentropy_for_shapes(y_true, y_pred)
    return fn(y_true, y_pred, from_logits=from_logits)


class BinaryCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.binary_crossentropy`.

    Args:
        name: Defaults to ``'binary_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``. Defaults to 0.

    Example:
        >>> m = BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.8149
    """

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ):
        super().__init__(
            losses_module.binary_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing,
        )
        self.label_smoothing = label_smoothing

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, label_smoothing=self.label_smoothing
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.categorical_crossentropy`.

    Args:
        name: Defaults to ``'categorical_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        label_smoothing: in ``[0, 1]``. Defaults to 0.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ):
        super().__init__(
            losses_module.categorical_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, label_smoothing=label_smoothing, axis=axis,
        )
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, label_smoothing=self.label_smoothing,
            axis=self.axis,
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Running mean of :func:`jnet.losses.sparse_categorical_crossentropy`.

    With ``ignore_class`` the ignored entries add 0 to the total; as in Keras they are left out
    of the count only when a ``sample_weight`` is given.

    Args:
        name: Defaults to ``'sparse_categorical_crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.
        ignore_class: a label to ignore. Defaults to None.
        axis: the class axis; only -1. Defaults to -1.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        ignore_class: int | None = None,
        axis: int = -1,
    ):
        super().__init__(
            losses_module.sparse_categorical_crossentropy, name=name, dtype=dtype,
            from_logits=from_logits, ignore_class=ignore_class, axis=axis,
        )
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self) -> dict:
        return _simple_config(
            self, from_logits=self.from_logits, ignore_class=self.ignore_class, axis=self.axis
        )

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


class CrossentropyByShape(MeanMetricWrapper):
    """Running mean of the crossentropy chosen by shape (``'crossentropy'``/``'ce'``).

    See :func:`jnet.losses.crossentropy_for_shapes`. Keras 3 does not accept these strings as
    metrics (Keras 2 did); jnet does, with the loss's shape rule.

    Args:
        name: Defaults to ``'crossentropy'``.
        dtype: the state's dtype. Defaults to float32.
        from_logits: whether ``y_pred`` holds logits. Defaults to False.

    Example:
        >>> m = CrossentropyByShape()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    def __init__(self, name: str = "crossentropy", dtype: Any = None, from_logits: bool = False):
        super().__init__(_crossentropy_by_shape, name=name, dtype=dtype, from_logits=from_logits)

    def function_for(self, y_true: Any, y_pred: Any) -> Callable:
        """The crossentropy function these shapes select."""
        return losses_module.crossentropy_for_shapes(y_true, y_pred)

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        return losses_module.logits_activation_of(self.function_for(y_true, y_pred))

    def _has_logits_form(self) -> bool:
        return True

    def get_config(self) -> dict:
        return _simple_config(self, from_logits=self.from_logits)

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        return cls(**config)


KLDivergence = _wrapper_class(
    kl_divergence,
    "KLDivergence",
    "kl_divergence",
    """Running mean of :func:`kl_divergence`.

    Args:
        name: Defaults to ``'kl_divergence'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.25, 0.75]])
        >>> round(float(m.result()), 4)
        0.1438
    """,
    __name__,
)
Poisson = _wrapper_class(
    poisson,
    "Poisson",
    "poisson",
    """Running mean of :func:`poisson`.

    Args:
        name: Defaults to ``'poisson'``.
        dtype: the state's dtype. Defaults to float32.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> round(float(m.result()), 4)
        0.5
    """,
    __name__,
)
