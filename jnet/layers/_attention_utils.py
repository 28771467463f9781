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
    "PROJECTIONS",
    "PROJECTION_PENALTIES",
    "PROJECTION_WEIGHTS",
    "attend",
    "causal_mask",
    "combined_mask",
    "check_fraction",
    "check_positive_int",
    "dropout",
    "masked_softmax",
]


#: The projections of MultiHeadAttention and GroupQueryAttention, in Keras's weight order.
PROJECTIONS = ("query", "key", "gate", "value", "attention_output")
#: Their weights in Keras's order (each projection's kernel, then bias).
PROJECTION_WEIGHTS = tuple(("params", sub, w) for sub in PROJECTIONS for w in ("kernel", "bias"))
#: Each weight with the layer fields holding its regularizer and constraint.
PROJECTION_PENALTIES = tuple(
    ((sub, w), f"{w}_regularizer", f"{w}_constraint") for sub in PROJECTIONS
    for w in ("kernel", "bias")
)


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


def combined_mask(
    query_length: int,
    value_length: int,
    query_mask: Any = None,
    value_mask: Any = None,
    key_mask: Any = None,
    attention_mask: Any = None,
    use_causal_mask: bool = False,
    sliding_window: int | None = None,
) -> jax.Array | None:
    """Keras's ``_compute_attention_mask``: every given mask ANDed, ``(B, T, S)`` booleans
    (the query's mask as ``[B, T, 1]``, the value's and key's as ``[B, 1, S]``), or None."""
    auto = None

    def combine(a, b):
        return b if a is None else jnp.logical_and(a, b)

    if query_mask is not None:
        auto = jnp.expand_dims(jnp.asarray(query_mask).astype(bool), -1)
    if value_mask is not None:
        auto = combine(auto, jnp.expand_dims(jnp.asarray(value_mask).astype(bool), -2))
    if key_mask is not None:
        auto = combine(auto, jnp.expand_dims(jnp.asarray(key_mask).astype(bool), -2))
    if use_causal_mask:
        auto = combine(auto, causal_mask(query_length, value_length))
    if sliding_window is not None:
        rows = jnp.arange(query_length)[None, :, None]
        cols = jnp.arange(value_length)[None, None, :]
        auto = combine(auto, jnp.abs(rows - cols) < int(sliding_window))
    if attention_mask is not None:
        attention_mask = jnp.asarray(attention_mask).astype(bool)
    if auto is None:
        return attention_mask
    return auto if attention_mask is None else jnp.logical_and(attention_mask, auto)


def attend(
    module: Any,
    q: jax.Array,
    k: jax.Array,
    v: jax.Array,
    mask: jax.Array | None,
    equations: tuple[str, str],
    norm_axes: tuple[int, ...],
    scale: float,
    fused: bool,
    rate: float,
    training: bool,
) -> tuple[jax.Array, jax.Array]:
    """Scaled dot-product attention of projected heads: ``(output, scores)``.

    ``equations`` are the (dot product, combine) einsums, ``k`` before ``q`` in the first.
    ``fused`` copies Keras's ``ops.dot_product_attention`` path (scale after the dot, a fully
    masked row uniform); otherwise Keras's ``Softmax`` path (query scaled first, masked rows
    zero). Dropout (``rate``, training only) applies to the weights, not the scores returned.
    """
    dot_eq, combine_eq = equations
    if fused:
        scores = jnp.einsum(dot_eq, k, q) * jnp.asarray(scale, q.dtype)
    else:
        scores = jnp.einsum(dot_eq, k, q * jnp.asarray(scale, q.dtype))
    scores = masked_softmax(scores, mask, norm_axes, zero_masked=not fused)
    weights = dropout(module, scores, rate, training)
    return jnp.einsum(combine_eq, weights, v), scores
