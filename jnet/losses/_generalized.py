"""The noise-robust crossentropy: Categorical Generalized Cross Entropy
(``keras.losses.CategoricalGeneralizedCrossEntropy``; Zhang and Sabuncu, 2018,
https://arxiv.org/abs/1805.07836).

``(1 - p**q) / q`` of the probability ``p`` given to the true class: crossentropy as ``q``
goes to 0, mean absolute error at ``q = 1``. Function and class follow
``keras/src/losses/losses.py``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._utils import Array, _as_float

__all__ = ["CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy"]


def categorical_generalized_cross_entropy(y_true: Any, y_pred: Any, q: float) -> Array:
    """Generalized Cross Entropy: ``(1 - p**q) / q`` with ``p`` the true class's probability.

    Args:
        y_true: integer class indices, shape ``(batch_size,)`` or ``(batch_size, 1)``.
        y_pred: class probabilities, shape ``(batch_size, num_classes)``.
        q: the noise parameter in ``(0, 1)``: near 0 it behaves like crossentropy, near 1
            like mean absolute error.

    Returns:
        ``(batch_size,)`` losses (an out-of-range index gives ``p = 0``, loss ``1 / q``).

    Example:
        >>> y_pred = np.array([[0.7, 0.3], [0.2, 0.8]], np.float32)
        >>> [round(float(v), 4) for v in categorical_generalized_cross_entropy(
        ...     np.array([0, 1]), y_pred, q=0.5)]
        [0.3267, 0.2111]
    """
    y_pred = _as_float(y_pred)
    if y_pred.ndim < 1:
        raise errors.JnetValueError(
            "categorical_generalized_cross_entropy: `y_pred` must be class probabilities of "
            f"shape (batch_size, num_classes); received shape {tuple(y_pred.shape)}."
        )
    y_true = jnp.asarray(y_true).astype(jnp.int32)
    one_hot = jax.nn.one_hot(y_true, y_pred.shape[-1], dtype=y_pred.dtype)
    p = jnp.sum(y_pred * one_hot, axis=-1)
    return (1 - jnp.power(p, q)) / q


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized Cross Entropy, robust to noisy labels; see
    :func:`categorical_generalized_cross_entropy`.

    Args:
        q: the noise parameter, a float in ``(0, 1)``. Defaults to 0.5.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'categorical_generalized_cross_entropy'``.
        dtype: computation dtype. Defaults to float32.

    Raises:
        JnetValueError: for ``q`` outside ``(0, 1)``.

    Example:
        >>> y_pred = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], np.float32)
        >>> loss = CategoricalGeneralizedCrossEntropy()
        >>> round(float(loss(np.array([0, 1, 0, 1]), y_pred)), 4)
        0.3599
    """

    def __init__(
        self,
        q: float = 0.5,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_generalized_cross_entropy",
        dtype: Any = None,
    ):
        if isinstance(q, bool) or not isinstance(q, int | float) or not 0 < q < 1:
            raise errors.JnetValueError(
                f"CategoricalGeneralizedCrossEntropy: argument `q` must be a float in the "
                f"interval (0, 1); received {errors.describe(q)}."
            )
        super().__init__(
            categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype,
            q=q,
        )
        self.q = q

    def get_config(self) -> dict:
        return {**Loss.get_config(self), "q": self.q}
