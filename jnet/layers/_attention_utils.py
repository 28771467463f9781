"""What the attention layers share: argument checks, causal masks, masked softmax, dropout.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.layers._attention_utils import causal_mask
    >>> causal_mask(3, 3).astype(int).tolist()
    [[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors

__all__ = [
    "causal_mask",
    "check_fraction",
    "check_positive_int",
    "dropout",
    "masked_softmax",
]


def check_positive_int(value: Any, name: str, owner: str, allow_none: bool = False) -> None:
    """Raises a JnetValueError unless ``value`` is a positive int (or None if allowed)."""
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        expected = "a positive integer" + (" or None" if allow_none else "")
        raise errors.JnetValueError(
            f"{owner}: {name} must be {expected}, received {name}={value!r}."
        )


def check_fraction(value: Any, name: str, owner: str) -> None:
    """Raises a JnetValueError unless ``value`` is a float in [0, 1)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.integer | np.floating)
        or not math.isfinite(float(value))
        or not 0.0 <= float(value) < 1.0
    ):
        raise errors.JnetValueError(
            f"{owner}: {name} must be a float in [0, 1), received {name}={value!r}."
        )


def causal_mask(query_length: int, value_length: int) -> jax.Array:
    """Keras's causal mask: ``(1, T, S)`` booleans, True where ``row >= column``."""
    rows = jnp.arange(query_length)[:, None]
    cols = jnp.arange(value_length)[None, :]
    return (rows >= cols)[None]


def masked_softmax(
    scores: jax.Array, mask: jax.Array | None, axes: tuple[int, ...], zero_masked: bool = True
) -> jax.Array:
    """Softmax over ``axes`` with masked positions at -1e9 (Keras's ``Softmax(mask=...)``).

    With ``zero_masked`` (Keras's ``Softmax`` layer) masked positions come out 0, so a fully
    masked row is all zeros; without it (Keras's ``dot_product_attention``) such a row is
    uniform.
    """
    if mask is not None:
        value = -1e9 if zero_masked else -0.7 * 3.38953e38
        scores = jnp.where(mask, scores, jnp.asarray(value, scores.dtype))
    if len(axes) == 1:
        out = jax.nn.softmax(scores, axis=axes[0])
    else:
        out = jnp.exp(scores - jax.nn.logsumexp(scores, axis=axes, keepdims=True))
    if mask is not None and zero_masked:
        out = jnp.where(mask, out, jnp.zeros((), out.dtype))
    return out


def dropout(module: Any, x: jax.Array, rate: float, training: bool) -> jax.Array:
    """Inverted dropout of ``x`` drawn from ``module``'s ``'dropout'`` rng (training only)."""
    if not training or rate <= 0.0:
        return x
    keep = jax.random.bernoulli(module.make_rng("dropout"), 1.0 - rate, x.shape)
    return jnp.where(keep, x / jnp.asarray(1.0 - rate, x.dtype), jnp.zeros((), x.dtype))
