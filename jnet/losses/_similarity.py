"""The metric-learning loss: Circle (``keras.losses.Circle``), on integer labels and
L2-normalised embeddings.

The function and class follow ``keras/src/losses/losses.py`` (Sun et al., 2020,
https://arxiv.org/abs/2002.10857). As in Keras, the per-sample values carry a mask: a sample
without any positive pair (no other sample of its class) has loss 0 and does not count in the
reduction's mean (:func:`jnet.losses.compute_with_mask`).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._logits import returns_mask
from jnet.losses._utils import Array, _as_float

__all__ = ["Circle", "circle"]


def _labels(labels: Any, arg: str) -> Array:
    labels = jnp.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise errors.JnetValueError(
            f"circle: `{arg}` must be integer labels of shape (batch_size,) or "
            f"(batch_size, 1); received shape {tuple(labels.shape)}."
        )
    return labels.astype(jnp.int32)


def _embeddings(embeddings: Any, arg: str) -> Array:
    embeddings = _as_float(embeddings)
    if embeddings.ndim != 2:
        raise errors.JnetValueError(
            f"circle: `{arg}` must be embeddings of shape (batch_size, embedding_dim); "
            f"received shape {tuple(embeddings.shape)}."
        )
    return embeddings


def _masked_logsumexp(x: Array, mask: Array) -> Array:
    """``logsumexp`` over the masked entries of each row; ``-inf`` for a row with none (as
    Keras's ``where(mask, x, -inf)``), with finite gradients everywhere."""
    has_any = jnp.any(mask, axis=1)
    x = jnp.where(mask, x, -jnp.inf)
    x = jnp.where(has_any[:, None], x, 0.0)
    return jnp.where(has_any, jax.nn.logsumexp(x, axis=1), -jnp.inf)


def _circle_with_mask(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80.0,
    margin: float = 0.4,
) -> tuple[Array, Array]:
    y_pred = _embeddings(y_pred, "y_pred")
    y_true = _labels(y_true, "y_true")
    ref = y_pred if ref_embeddings is None else _embeddings(ref_embeddings, "ref_embeddings")
    ref_labels = y_true if ref_labels is None else _labels(ref_labels, "ref_labels")
    if y_true.shape[0] != y_pred.shape[0] or ref_labels.shape[0] != ref.shape[0]:
        raise errors.JnetValueError(
            f"circle: labels and embeddings must have the same batch size; received "
            f"y_true {tuple(y_true.shape)}, y_pred {tuple(y_pred.shape)}, ref_labels "
            f"{tuple(ref_labels.shape)}, ref_embeddings {tuple(ref.shape)}."
        )
    if ref.shape[1] != y_pred.shape[1]:
        raise errors.JnetValueError(
            f"circle: `ref_embeddings` must have y_pred's embedding size {y_pred.shape[1]}; "
            f"received shape {tuple(ref.shape)}."
        )
    # HIGHEST: gamma (80) multiplies the similarities, so reduced-precision products (TF32 or
    # bfloat16 passes on accelerators) would show in the loss.
    similarity = jnp.matmul(y_pred, ref.T, precision=jax.lax.Precision.HIGHEST)
    distances = jnp.maximum(1 - similarity, 0.0)
    positive = y_true[:, None] == ref_labels[None, :]
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~jnp.eye(y_true.shape[0], ref_labels.shape[0], dtype=bool)
    pos_weights = jnp.maximum((margin + distances) * positive.astype(distances.dtype), 0.0)
    neg_weights = jnp.maximum((1 + margin - distances) * negative.astype(distances.dtype), 0.0)
    pos_wdists = -1 * gamma * pos_weights * (margin - distances)
    neg_wdists = gamma * neg_weights * ((1 - margin) - distances)
    p_loss = _masked_logsumexp(pos_wdists, positive)
    n_loss = _masked_logsumexp(neg_wdists, negative)
    values = jax.nn.softplus(p_loss + n_loss)
    return values, values > 0


@returns_mask(_circle_with_mask)
def circle(
    y_true: Any,
    y_pred: Any,
    ref_labels: Any = None,
    ref_embeddings: Any = None,
    remove_diagonal: bool = True,
    gamma: float = 80.0,
    margin: float = 0.4,
) -> Array:
    """Circle loss: pulls same-class embeddings together and pushes the others apart, each
    pair weighted by how far it is from its optimum.

    With cosine distances ``d`` between ``y_pred`` and ``ref_embeddings``, positives (same
    label) contribute ``-gamma * max(margin + d, 0) * (margin - d)`` and negatives
    ``gamma * max(1 + margin - d, 0) * (1 - margin - d)``; the loss of a sample is
    ``softplus(logsumexp(positives) + logsumexp(negatives))``.

    Args:
        y_true: ``(batch_size,)`` (or ``(batch_size, 1)``) integer labels.
        y_pred: ``(batch_size, embedding_dim)`` L2-normalised embeddings.
        ref_labels: labels of the reference embeddings. Defaults to None: ``y_true``.
        ref_embeddings: L2-normalised reference embeddings. Defaults to None: ``y_pred``.
        remove_diagonal: whether a sample's pair with itself is left out of the positives.
            Defaults to True.
        gamma: the scale of the similarities. Defaults to 80.
        margin: the relaxation margin. Defaults to 0.4.

    Returns:
        ``(batch_size,)`` losses; 0 for a sample without positives (masked out of a
        :class:`Circle` reduction).

    Raises:
        JnetValueError: for labels that are not 1D, embeddings that are not 2D, or batch sizes
            that differ.

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32)
        >>> [round(float(v), 3) for v in circle(np.array([0, 0, 1]), emb)]
        [0.0, 6.402, 0.0]
    """
    return _circle_with_mask(
        y_true, y_pred, ref_labels=ref_labels, ref_embeddings=ref_embeddings,
        remove_diagonal=remove_diagonal, gamma=gamma, margin=margin,
    )[0]


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalised embeddings; see :func:`circle`.

    The model should output embeddings without an activation, L2-normalised (e.g. a ``Dense``
    layer followed by ``UnitNormalization``). Samples without positives in the batch do not
    count in the mean.

    Args:
        gamma: the scale of the similarities. Defaults to 80.0.
        margin: the relaxation margin. Defaults to 0.4.
        remove_diagonal: whether self-similarities are left out of the positives. Defaults to
            True.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'circle'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]], np.float32)
        >>> round(float(Circle()(np.array([0, 0, 1]), emb)), 3)  # the third sample is masked
        3.201
    """

    def __init__(
        self,
        gamma: float = 80.0,
        margin: float = 0.4,
        remove_diagonal: bool = True,
        reduction: str | None = "sum_over_batch_size",
        name: str = "circle",
        dtype: Any = None,
    ):
        super().__init__(
            circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma, margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }
