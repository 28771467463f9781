"""Attention (Luong's dot-product) and AdditiveAttention (Bahdanau's), as in Keras 3.

Both are called on a list ``[query, value]`` or ``[query, value, key]`` (key defaults to
value) with an optional list of masks ``[query_mask, value_mask]``: a False value position
gets no attention weight, a False query position gets an output of zeros. In a functional
model the masks of the inputs are passed as that list.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.attention import Attention
    >>> q, v = jnp.ones((2, 3, 4)), jnp.ones((2, 5, 4))
    >>> out, scores = Attention().apply({}, [q, v], return_attention_scores=True)
    >>> out.shape, scores.shape
    ((2, 3, 4), (2, 3, 5))
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors, initializers
from jnet.layers import _attention_utils as utils
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = ["AdditiveAttention", "Attention"]


def _check_inputs(inputs: Any, mask: Any, owner: str) -> None:
    if not isinstance(inputs, list | tuple):
        raise errors.JnetValueError(
            f"{owner} layer must be called on a list of inputs, namely [query, value] or "
            f"[query, value, key]. Received: {errors.describe(inputs)}."
        )
    if not 2 <= len(inputs) <= 3:
        raise errors.JnetValueError(
            f"{owner} layer accepts an inputs list of length 2 or 3, namely [query, value] "
            f"or [query, value, key]. Received length: {len(inputs)}."
        )
    if mask is not None:
        if not isinstance(mask, list | tuple):
            raise errors.JnetValueError(
                f"{owner} layer mask must be a list, namely [query_mask, value_mask]. "
                f"Received: {errors.describe(mask)}."
            )
        if not 2 <= len(mask) <= 3:
            raise errors.JnetValueError(
                f"{owner} layer accepts a mask list of length 2 or 3, received length "
                f"{len(mask)}."
            )


class _BaseAttention(Layer):
    """The call both attention layers share; subclasses define ``_scores``."""

    SUPPORTS_MASKING: ClassVar[bool] = True
    ACCEPTS_MASK: ClassVar[bool] = True

    @nn.nowrap
    def check_in_sequential(self) -> None:
        raise errors.JnetValueError(
            f"{type(self).__name__} takes a list [query, value] and cannot be a step of a "
            f"Sequential model: build the model with the functional API."
        )

    def _scores(self, query: jax.Array, key: jax.Array) -> jax.Array:
        raise NotImplementedError

    @nn.compact
    def __call__(self, inputs, mask=None, training: bool = False,
                 return_attention_scores: bool = False, use_causal_mask: bool = False):
        owner = type(self).__name__
        _check_inputs(inputs, mask, owner)
        q, v = cast_inputs(inputs[0]), cast_inputs(inputs[1])
        k = cast_inputs(inputs[2]) if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._scores(q, k)
        scores_mask = None
        if v_mask is not None:
            scores_mask = jnp.expand_dims(jnp.asarray(v_mask).astype(bool), -2)
        if use_causal_mask:
            causal = utils.causal_mask(scores.shape[-2], scores.shape[-1])
            scores_mask = causal if scores_mask is None else jnp.logical_and(scores_mask, causal)
        if scores_mask is not None:
            scores = jnp.where(scores_mask, scores, scores - jnp.asarray(1e9, scores.dtype))
        weights = jax.nn.softmax(scores, axis=-1)
        weights = utils.dropout(self, weights, float(self.dropout), training)  # Keras returns these
        out = jnp.matmul(weights, v)
        if q_mask is not None:
            keep = jnp.expand_dims(jnp.asarray(q_mask).astype(bool), -1)
            out = jnp.where(keep, out, jnp.zeros((), out.dtype))
        if return_attention_scores:
            return out, weights
        return out

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The query's mask (Keras: ``mask[0]``)."""
        if not isinstance(mask, list | tuple) or not mask:
            return None
        return mask[0]

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``(*query_shape[:-1], value_shape[-1])``.

        Example:
            >>> Attention().compute_output_shape([(None, 3, 4), (None, 5, 6)])
            (None, 3, 6)
        """
        query_shape, value_shape = input_shape[0], input_shape[1]
        return (*tuple(query_shape)[:-1], tuple(value_shape)[-1])


class Attention(_BaseAttention):
    """Keras's dot-product attention layer (Luong-style).

    ``scores = query @ key^T`` (times ``scale`` when ``use_scale``; with
    ``score_mode='concat'``, ``concat_score_weight * sum(tanh(scale * (q + k)))``), softmaxed
    over the value positions, then ``output = weights @ value``.

    Weights, in Keras's order: ``scale`` (a scalar, when ``use_scale``) and
    ``concat_score_weight`` (a scalar, when ``score_mode='concat'``), both initialized to 1.

    Args:
        use_scale: whether to learn a scalar scale of the scores. Default False.
        score_mode: ``'dot'`` or ``'concat'``. Default ``'dot'``.
        dropout: dropout rate on the attention weights in training, in [0, 1). Default 0.
        seed: accepted for Keras compatibility; dropout draws from the ``'dropout'`` rng.

    Call arguments: ``inputs`` ([query, value] or [query, value, key]), ``mask`` (a list
    [query_mask, value_mask] or None), ``training``, ``return_attention_scores`` (also
    return the ``(batch, Tq, Tv)`` weights), ``use_causal_mask``.

    Example:
        >>> import jnet
        >>> q, v = jnet.layers.Input((3, 4)), jnet.layers.Input((5, 4))
        >>> jnet.Model([q, v], Attention(use_scale=True)([q, v])).count_params()
        1
    """

    use_scale: bool = False
    score_mode: str = "dot"
    dropout: float = 0.0
    seed: int | None = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (
        ("params", "scale"), ("params", "concat_score_weight")
    )

    def __post_init__(self):
        owner = type(self).__name__
        errors.require_bool(self.use_scale, "use_scale", owner)
        if self.score_mode not in ("dot", "concat"):
            raise errors.JnetValueError(
                f"{owner}: invalid value for argument score_mode. Expected one of "
                f"{{'dot', 'concat'}}. Received: score_mode={self.score_mode!r}."
            )
        utils.check_fraction(self.dropout, "dropout", owner)
        super().__post_init__()

    def _scores(self, query: jax.Array, key: jax.Array) -> jax.Array:
        scale = (
            self.param("scale", initializers.get("ones"), (), jnp.float32)
            if self.use_scale else None
        )
        if self.score_mode == "dot":
            scores = jnp.matmul(query, jnp.swapaxes(key, -2, -1))
            return scores * scale if scale is not None else scores
        weight = self.param("concat_score_weight", initializers.get("ones"), (), jnp.float32)
        total = jnp.expand_dims(query, -2) + jnp.expand_dims(key, -3)
        if scale is not None:
            total = scale * total
        return weight * jnp.sum(jnp.tanh(total), axis=-1)


class AdditiveAttention(_BaseAttention):
    """Keras's additive attention layer (Bahdanau-style).

    ``scores = sum(scale * tanh(query[:, :, None] + key[:, None]), axis=-1)``, softmaxed over
    the value positions, then ``output = weights @ value``. Weight (Keras's): ``scale`` of
    shape ``(dim,)``, glorot-uniform, when ``use_scale``.

    Args:
        use_scale: whether to learn the per-feature ``scale``. Default True.
        dropout: dropout rate on the attention weights in training, in [0, 1). Default 0.
        seed: accepted for Keras compatibility.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = AdditiveAttention()
        >>> q, v = jnp.ones((2, 3, 4)), jnp.ones((2, 5, 4))
        >>> variables = layer.init(jax.random.key(0), [q, v])
        >>> variables["params"]["scale"].shape
        (4,)
    """

    use_scale: bool = True
    dropout: float = 0.0
    seed: int | None = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "scale"),)

    def __post_init__(self):
        errors.require_bool(self.use_scale, "use_scale", "AdditiveAttention")
        utils.check_fraction(self.dropout, "dropout", "AdditiveAttention")
        super().__post_init__()

    def _scores(self, query: jax.Array, key: jax.Array) -> jax.Array:
        total = jnp.tanh(jnp.expand_dims(query, -2) + jnp.expand_dims(key, -3))
        if self.use_scale:
            scale = self.param(
                "scale", initializers.get("glorot_uniform"), (query.shape[-1],), jnp.float32
            )
            total = jnp.reshape(scale, (1,) * (total.ndim - 1) + (-1,)) * total
        return jnp.sum(total, axis=-1)
