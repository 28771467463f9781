"""The sequence loss: CTC (Connectionist Temporal Classification), ``keras.losses.CTC``.

The function and class follow ``keras/src/losses/losses.py``: labels are ``(batch,
max_length)`` integers with 0 the blank (and padding) class, predictions ``(batch, time,
classes)`` logits, and every sample uses all its time steps. The recursion itself is
:func:`jnet.ops.ctc_loss`.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jnet import errors
from jnet.losses._base import Loss, LossFunctionWrapper
from jnet.losses._utils import Array, _as_float
from jnet.ops import ctc_loss

__all__ = ["CTC", "ctc"]


def ctc(y_true: Any, y_pred: Any) -> Array:
    """CTC loss of integer label sequences under per-step logits.

    The label length of a sample is its number of non-zero labels (0 is the blank class and
    the padding); all ``time`` steps of ``y_pred`` are used.

    Args:
        y_true: ``(batch_size, max_length)`` integer labels; 0 is the blank/mask index and
            marks padding, so classes start at 1.
        y_pred: ``(batch_size, time, num_classes)`` logits (not softmax-normalised).

    Returns:
        ``(batch_size,)`` losses: the negative log-probability of each label sequence.

    Raises:
        JnetValueError: when ``y_true`` is not 2D or ``y_pred`` not 3D.

    Example:
        >>> logits = np.log(np.full((1, 2, 2), 0.5, np.float32))
        >>> [round(float(v), 4) for v in ctc(np.array([[1]]), logits)]
        [0.2877]
    """
    y_true = jnp.asarray(y_true)
    y_pred = _as_float(y_pred)
    if y_true.ndim != 2:
        raise errors.JnetValueError(
            "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` "
            f"in integer format. Received: y_true.shape={tuple(y_true.shape)}"
        )
    if y_pred.ndim != 3:
        raise errors.JnetValueError(
            "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`. Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    label_length = jnp.sum(y_true != 0, axis=-1).astype(jnp.int32)
    input_length = jnp.full((batch,), steps, jnp.int32)
    return ctc_loss(y_true, y_pred, label_length, input_length, mask_index=0)


class CTC(LossFunctionWrapper):
    """CTC (Connectionist Temporal Classification) loss; see :func:`ctc`.

    Args:
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: Defaults to ``'ctc'``.
        dtype: computation dtype. Defaults to float32.

    Example:
        >>> logits = np.log(np.full((2, 2, 2), 0.5, np.float32))
        >>> round(float(CTC()(np.array([[1], [0]]), logits)), 3)
        0.837
    """

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str = "ctc",
                 dtype: Any = None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)
