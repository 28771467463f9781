"""GroupQueryAttention: Keras 3's grouped-query attention (Ainslie et al., 2023).

Like ``MultiHeadAttention`` with 3D inputs, but ``num_query_heads`` query heads share
``num_key_value_heads`` key/value heads (each key/value head is repeated for
``num_query_heads // num_key_value_heads`` query heads). Weights, in Keras's order:
``query/kernel (features, num_query_heads, head_dim)``, ``query/bias``, ``key/...``,
``[gate/...,]`` ``value/...``, ``attention_output/kernel (num_query_heads, head_dim,
features)``, ``attention_output/bias``. Masks as in ``MultiHeadAttention``.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.grouped_query_attention import GroupedQueryAttention
    >>> layer = GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> x = jnp.ones((1, 3, 8))
    >>> variables = layer.init(jax.random.key(0), x, x)
    >>> [w.shape for w in layer.keras_weights(variables)][2]
    (8, 2, 4)
    >>> layer.apply(variables, x, x).shape
    (1, 3, 8)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp

from jnet import errors, initializers
from jnet.layers import _attention_utils as utils
from jnet.layers.base import Layer, WeightPath, cast_inputs
from jnet.layers.einsum_dense import EinsumDense

__all__ = ["GroupedQueryAttention"]

_SUBLAYERS = utils.PROJECTIONS


class GroupedQueryAttention(Layer):
    """Keras's ``GroupQueryAttention`` (its class is named ``GroupedQueryAttention``).

    Call it as ``layer(query, value, key=None, attention_mask=None,
    return_attention_scores=False, training=False, use_causal_mask=False)`` on
    ``(batch, length, features)`` inputs; the scores are ``(batch, num_query_heads, T, S)``.

    Args:
        head_dim: positive int, the size of each head.
        num_query_heads: positive int, the number of query heads.
        num_key_value_heads: positive int dividing ``num_query_heads``.
        dropout: dropout rate on the attention weights in training, in [0, 1). Default 0.
        use_bias: whether the projections have biases. Default True.
        sliding_window: positive int or None: each position attends to the positions less
            than this far away. Default None.
        flash_attention: accepted for Keras compatibility; True with ``dropout > 0`` is
            refused as in Keras.
        kernel_initializer: default ``'glorot_uniform'``, for every projection.
        bias_initializer: default ``'zeros'``, for every projection.
        kernel_regularizer, bias_regularizer: penalties on every projection's weights.
        kernel_constraint, bias_constraint: projections (:mod:`jnet.constraints`) applied
            to every projection's weights after each optimizer update.
        use_gate: whether to gate the heads with ``sigmoid(EinsumDense(query))``.
        seed: accepted for Keras compatibility; dropout draws from the ``'dropout'`` rng.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = GroupedQueryAttention(4, num_query_heads=4, num_key_value_heads=1)
        >>> x = jnp.ones((1, 5, 8))
        >>> shapes = jax.eval_shape(layer.init, jax.random.key(0), x, x)  # no computation
        >>> sum(w.size for w in jax.tree_util.tree_leaves(shapes))
        352
    """

    head_dim: int
    num_query_heads: int
    num_key_value_heads: int
    dropout: float = 0.0
    use_bias: bool = True
    sliding_window: int | None = None
    flash_attention: bool | None = None
    kernel_initializer: Any = "glorot_uniform"
    bias_initializer: Any = "zeros"
    kernel_regularizer: Any = None
    bias_regularizer: Any = None
    kernel_constraint: Any = None
    bias_constraint: Any = None
    use_gate: bool = False
    seed: int | None = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = utils.PROJECTION_WEIGHTS
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        utils.PROJECTION_PENALTIES
    )
    SUPPORTS_MASKING: ClassVar[bool] = True  # the output carries the query's mask
    #: The call's tensor arguments whose Keras masks a model passes as ``<name>_mask``.
    MASK_ARGUMENTS: ClassVar[tuple[str, ...]] = ("query", "value", "key")

    def __post_init__(self):
        owner = "GroupQueryAttention"
        utils.check_positive_int(self.head_dim, "head_dim", owner)
        utils.check_positive_int(self.num_query_heads, "num_query_heads", owner)
        utils.check_positive_int(self.num_key_value_heads, "num_key_value_heads", owner)
        if self.num_query_heads % self.num_key_value_heads:
            raise errors.JnetValueError(
                f"{owner}: num_query_heads must be divisible by num_key_value_heads, received "
                f"num_query_heads={self.num_query_heads} and num_key_value_heads="
                f"{self.num_key_value_heads}."
            )
        utils.check_positive_int(self.sliding_window, "sliding_window", owner, allow_none=True)
        utils.check_fraction(self.dropout, "dropout", owner)
        errors.require_bool(self.use_bias, "use_bias", owner)
        errors.require_bool(self.use_gate, "use_gate", owner)
        if self.flash_attention and self.dropout > 0.0:
            raise errors.JnetValueError(
                f"{owner}: dropout is not supported when flash attention is enabled. Set "
                f"dropout=0.0 to use flash_attention=True, received dropout={self.dropout}."
            )
        initializers.get(self.kernel_initializer)
        initializers.get(self.bias_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config."""
        config = super().get_config()
        config.pop("flash_attention", None)
        return config

    @nn.nowrap
    def compute_output_shape(self, query_shape, value_shape, key_shape=None) -> tuple:
        """The query's shape (Keras checks the feature sizes of query and value agree).

        Example:
            >>> GroupedQueryAttention(4, 2, 1).compute_output_shape((None, 3, 8), (None, 5, 8))
            (None, 3, 8)
        """
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if query_shape[-1] != value_shape[-1]:
            raise errors.JnetValueError(
                f"GroupQueryAttention: the last dimension of query_shape and value_shape must "
                f"be equal, but are {query_shape[-1]}, {value_shape[-1]}. Received: "
                f"query_shape={query_shape}, value_shape={value_shape}."
            )
        _check_key_value(value_shape, key_shape)
        return query_shape

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The query's mask (a model passes it as ``mask``)."""
        if isinstance(mask, list | tuple):
            return mask[0] if mask else None
        return mask

    @nn.nowrap
    def keras_h5_groups(self) -> list[str]:
        """Where Keras's weight files keep this layer's weights, in weight order (its
        attributes' names, underscore included: Keras's GQA has no public properties for
        them, unlike MultiHeadAttention)."""
        names = ["query", "key"] + (["gate"] if self.use_gate else []) + ["value", "output"]
        return [f"_{name}_dense/vars" for name in names]

    @nn.nowrap
    def _dense(self, name: str, equation: str, bias_axes: str, out_shape, activation=None):
        return EinsumDense(
            equation,
            output_shape=out_shape,
            bias_axes=bias_axes if self.use_bias else None,
            activation=activation,
            kernel_initializer=self.kernel_initializer,
            bias_initializer=self.bias_initializer,
            name=name,
        )

    @nn.compact
    def __call__(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores: bool = False,
        training: bool = False,
        use_causal_mask: bool = False,
    ):
        query, value = cast_inputs(query), cast_inputs(value)
        key = value if key is None else cast_inputs(key)
        for name, x in (("query", query), ("value", value), ("key", key)):
            if x.ndim != 3:
                raise errors.JnetValueError(
                    f"GroupQueryAttention {self.name!r}: {name} must have shape (batch, "
                    f"length, features), received shape {tuple(x.shape)}."
                )
        _check_key_value(value.shape, key.shape)
        heads, kv_heads, dim = (
            int(self.num_query_heads), int(self.num_key_value_heads), int(self.head_dim)
        )
        causal_only = (
            use_causal_mask and query_mask is None and value_mask is None
            and key_mask is None and attention_mask is None and self.sliding_window is None
        )
        if causal_only:
            mask = utils.causal_mask(query.shape[1], value.shape[1])
        else:
            mask = utils.combined_mask(
                query.shape[1], value.shape[1], query_mask, value_mask, key_mask,
                attention_mask, use_causal_mask, self.sliding_window,
            )
        if mask is not None:
            mask = jnp.asarray(mask).astype(bool)
            for _ in range(4 - mask.ndim):
                mask = jnp.expand_dims(mask, -3)
        gate = None
        if self.use_gate:
            gate = self._dense("gate", "bqm,muh->bquh", "uh", (None, heads, dim), "sigmoid")(
                query
            )
        q = self._dense("query", "bqm,muh->bquh", "uh", (None, heads, dim))(query)
        k = self._dense("key", "bkm,mvh->bkvh", "vh", (None, kv_heads, dim))(key)
        v = self._dense("value", "bkm,mvh->bkvh", "vh", (None, kv_heads, dim))(value)
        k = jnp.repeat(k, heads // kv_heads, axis=2)
        v = jnp.repeat(v, heads // kv_heads, axis=2)
        fused = not (self.dropout > 0.0 or return_attention_scores)
        out, scores = utils.attend(
            self, q, k, v, mask, ("bkuh,bquh->buqk", "buqk,bkuh->bquh"), (3,),
            1.0 / math.sqrt(float(dim)), fused, float(self.dropout), training,
        )
        if gate is not None:
            out = out * gate
        out = self._dense("attention_output", "bquh,uhm->bqm", "m", (None, query.shape[-1]))(out)
        if return_attention_scores:
            return out, scores
        return out


def _check_key_value(value_shape: Any, key_shape: Any) -> None:
    if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
        raise errors.JnetValueError(
            f"GroupQueryAttention: all dimensions of value and key, except the last one, must "
            f"be equal. Received: value_shape={tuple(value_shape)} and "
            f"key_shape={tuple(key_shape)}."
        )
