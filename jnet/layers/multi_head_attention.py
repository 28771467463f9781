"""MultiHeadAttention: Keras 3's multi-head attention, built from four ``EinsumDense``.

The query, key and value are projected to ``num_heads`` heads (``EinsumDense`` sublayers
named ``query``, ``key``, ``value``), scaled dot products are softmaxed over the attention
axes, and the heads are projected back (``attention_output``). Weights, in Keras's order:
``query/kernel, query/bias, key/kernel, key/bias, [gate/kernel, gate/bias,] value/kernel,
value/bias, attention_output/kernel, attention_output/bias`` with Keras's shapes.

Masks follow Keras: in a functional model, the Keras masks of ``query``, ``value`` and
``key`` (from ``Embedding(mask_zero=True)``, ``Masking``) become ``query_mask``,
``value_mask`` and ``key_mask``; they are ANDed with ``attention_mask`` and the causal mask;
the output carries the query's mask.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.multi_head_attention import MultiHeadAttention
    >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = jnp.ones((1, 3, 8))
    >>> variables = layer.init(jax.random.key(0), x, x)
    >>> [w.shape for w in layer.keras_weights(variables)][:2]
    [(8, 2, 4), (2, 4)]
    >>> y, scores = layer.apply(variables, x, x, return_attention_scores=True)
    >>> y.shape, scores.shape
    ((1, 3, 8), (1, 2, 3, 3))
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors, initializers
from jnet.layers import _attention_utils as utils
from jnet.layers.base import Layer, WeightPath, cast_inputs
from jnet.layers.einsum_dense import EinsumDense

__all__ = ["MultiHeadAttention", "attention_equations", "projection_equation"]

_SUBLAYERS = utils.PROJECTIONS


def projection_equation(free_dims: int, bound_dims: int, output_dims: int):
    """Keras's ``_build_proj_equation``: ``(equation, bias_axes, output_rank)``.

    Example:
        >>> projection_equation(2, 1, 2)
        ('abc,cde->abde', 'de', 4)
    """
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    out = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out, len(free) + len(out)


def attention_equations(rank: int, attn_axes: tuple[int, ...]) -> tuple[str, str, int]:
    """Keras's ``_build_attention_equation``: ``(dot_product, combine, scores_rank)``.

    Example:
        >>> attention_equations(4, (1,))
        ('aecd,abcd->acbe', 'acbe,aecd->abcd', 4)
    """
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_dims = [i for i in range(rank) if i not in (*attn_axes, rank - 1)]
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += letters[offset]
            offset += 1
    product = "".join(
        [target[i] for i in batch_dims]
        + [target[i] for i in attn_axes]
        + [source[i] for i in attn_axes]
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _output_shape(rank: int, known: Sequence[int]) -> tuple[Any, ...]:
    return (None,) * (rank - len(known)) + tuple(known)


class MultiHeadAttention(Layer):
    """Keras's ``MultiHeadAttention`` layer (Vaswani et al., 2017).

    Call it as ``layer(query, value, key=None, attention_mask=None,
    return_attention_scores=False, training=False, use_causal_mask=False)``; with
    ``return_attention_scores`` it returns ``(output, scores)``, the scores of shape
    ``(batch, num_heads, T, S)`` for 3D inputs.

    Args:
        num_heads: positive int, the number of attention heads.
        key_dim: positive int, the size of each head for query and key.
        value_dim: size of each head for value. Default None (``key_dim``).
        dropout: dropout rate on the attention scores in training, in [0, 1). Default 0.
        use_bias: whether the projections have biases. Default True.
        output_shape: the output's last axes (an int or a tuple). Default None: the query's
            last axis.
        attention_axes: the axes attention runs over (ints or a tuple). Default None: every
            axis but batch, heads and features.
        sliding_window: positive int or None: each position attends to the positions less
            than this far away. Default None.
        flash_attention: accepted for Keras compatibility (XLA picks the kernel); True with
            ``dropout > 0`` is refused as in Keras.
        kernel_initializer: default ``'glorot_uniform'``, for every projection.
        bias_initializer: default ``'zeros'``, for every projection.
        kernel_regularizer, bias_regularizer: penalties on every projection's weights.
        kernel_constraint, bias_constraint: projections (:mod:`jnet.constraints`) applied
            to every projection's weights after each optimizer update.
        use_gate: whether to gate the heads with ``sigmoid(EinsumDense(query))``. Default
            False.
        seed: accepted for Keras compatibility; dropout draws from the ``'dropout'`` rng.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = MultiHeadAttention(num_heads=2, key_dim=8)
        >>> x = jnp.ones((1, 5, 16))
        >>> shapes = jax.eval_shape(layer.init, jax.random.key(0), x, x)  # no computation
        >>> sum(w.size for w in jax.tree_util.tree_leaves(shapes))
        1088
    """

    num_heads: int
    key_dim: int
    value_dim: int | None = None
    dropout: float = 0.0
    use_bias: bool = True
    output_shape: Any = None
    attention_axes: Any = None
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
        owner = "MultiHeadAttention"
        utils.check_positive_int(self.num_heads, "num_heads", owner)
        utils.check_positive_int(self.key_dim, "key_dim", owner)
        utils.check_positive_int(self.value_dim, "value_dim", owner, allow_none=True)
        utils.check_positive_int(self.sliding_window, "sliding_window", owner, allow_none=True)
        utils.check_fraction(self.dropout, "dropout", owner)
        errors.require_bool(self.use_bias, "use_bias", owner)
        errors.require_bool(self.use_gate, "use_gate", owner)
        self.partial_output_shape()
        self.attention_axes_tuple()
        if self.flash_attention and self.dropout > 0.0:
            raise errors.JnetValueError(
                f"{owner}: dropout is not supported when flash attention is enabled. Set "
                f"dropout=0.0 to use flash_attention=True, received dropout={self.dropout}."
            )
        initializers.get(self.kernel_initializer)
        initializers.get(self.bias_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    # -- Keras's view ---------------------------------------------------------------------------

    @nn.nowrap
    def partial_output_shape(self) -> tuple[int, ...] | None:
        """``output_shape`` as a tuple, or None (Keras turns an int into a 1-tuple)."""
        shape = self.output_shape
        if not shape:
            return None
        if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
            shape = (int(shape),)
        if not isinstance(shape, list | tuple) or not all(
            isinstance(d, int | np.integer) and not isinstance(d, bool) and d > 0 for d in shape
        ):
            raise errors.JnetValueError(
                f"MultiHeadAttention: invalid output_shape={self.output_shape!r}. When "
                f"specified, output_shape should be a positive int or a tuple/list of them."
            )
        return tuple(int(d) for d in shape)

    @nn.nowrap
    def attention_axes_tuple(self) -> tuple[int, ...] | None:
        """``attention_axes`` as a tuple of ints, or None."""
        axes = self.attention_axes
        if axes is None:
            return None
        if isinstance(axes, int | np.integer) and not isinstance(axes, bool):
            return (int(axes),)
        if isinstance(axes, list | tuple) and all(
            isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axes
        ):
            return tuple(int(a) for a in axes)
        raise errors.JnetValueError(
            f"MultiHeadAttention: attention_axes must be an int, list, or tuple of ints, "
            f"received attention_axes={axes!r}."
        )

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``value_dim`` resolved to ``key_dim`` when None)."""
        config = super().get_config()
        config["value_dim"] = self.value_dim or self.key_dim
        config["output_shape"] = self.partial_output_shape()
        config["attention_axes"] = self.attention_axes_tuple()
        config.pop("flash_attention", None)
        return config

    @nn.nowrap
    def compute_output_shape(self, query_shape, value_shape, key_shape=None) -> tuple:
        """The output's shape: the query's, its last axes replaced by ``output_shape``.

        Example:
            >>> MultiHeadAttention(2, 4).compute_output_shape((None, 3, 8), (None, 5, 6))
            (None, 3, 8)
        """
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        _check_key_value(value_shape, key_shape)
        out = self.partial_output_shape()
        return query_shape[:-1] + out if out else query_shape

    @nn.nowrap
    def keras_h5_groups(self) -> list[str]:
        """Where Keras's weight files keep this layer's weights (one group per projection,
        each holding its kernel and bias), in weight order.

        Example:
            >>> MultiHeadAttention(2, 4).keras_h5_groups()[0]
            'query_dense/vars'
        """
        names = ["query", "key"] + (["gate"] if self.use_gate else []) + ["value", "output"]
        return [f"{name}_dense/vars" for name in names]

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The query's mask (a model passes it as ``mask``)."""
        if isinstance(mask, list | tuple):
            return mask[0] if mask else None
        return mask

    # -- the computation ------------------------------------------------------------------------

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
        owner = "MultiHeadAttention"
        query, value = cast_inputs(query), cast_inputs(value)
        key = value if key is None else cast_inputs(key)
        _check_key_value(value.shape, key.shape)
        for name, x in (("query", query), ("value", value), ("key", key)):
            if x.ndim < 3:
                raise errors.JnetValueError(
                    f"{owner} {self.name!r}: {name} must have rank >= 3 (batch, positions..., "
                    f"features), received shape {tuple(x.shape)}."
                )
        heads, kdim = int(self.num_heads), int(self.key_dim)
        vdim = int(self.value_dim or self.key_dim)
        causal_only = (
            use_causal_mask and query_mask is None and value_mask is None
            and key_mask is None and attention_mask is None and self.sliding_window is None
        )
        mask = None if causal_only else utils.combined_mask(
            query.shape[1], value.shape[1], query_mask, value_mask, key_mask, attention_mask,
            use_causal_mask, self.sliding_window,
        )
        if causal_only:
            mask = utils.causal_mask(query.shape[1], value.shape[1])

        def project(name, x, dim, activation=None):
            equation, bias_axes, rank = projection_equation(x.ndim - 1, 1, 2)
            out = _output_shape(rank - 1, [heads, dim])
            return self._dense(name, equation, bias_axes, out, activation)(x), rank

        q, rank = project("query", query, kdim)
        k, _ = project("key", key, kdim)
        gate = project("gate", query, vdim, "sigmoid")[0] if self.use_gate else None
        v, _ = project("value", value, vdim)

        axes = self.attention_axes_tuple()
        axes = tuple(range(1, rank - 2)) if axes is None else tuple(
            a if a >= 0 else (rank - 1) + a for a in axes
        )
        dot_eq, combine_eq, scores_rank = attention_equations(rank, axes)
        norm_axes = tuple(range(scores_rank - len(axes), scores_rank))
        if mask is not None:
            mask = jnp.asarray(mask).astype(bool)
            for _ in range(scores_rank - mask.ndim):
                mask = jnp.expand_dims(mask, -len(axes) * 2 - 1)
        # Keras takes ops.dot_product_attention (masked rows uniform, scale after the dot)
        # unless it must return scores, drop them, or the inputs are not 3D.
        fused = not (self.dropout > 0.0 or return_attention_scores or rank != 4)
        out, scores = utils.attend(
            self, q, k, v, mask, (dot_eq, combine_eq), norm_axes, 1.0 / math.sqrt(float(kdim)),
            fused, float(self.dropout), training,
        )
        if gate is not None:
            out = out * gate
        out_shape = self.partial_output_shape() or (int(query.shape[-1]),)
        equation, bias_axes, out_rank = projection_equation(query.ndim - 1, 2, len(out_shape))
        out = self._dense(
            "attention_output", equation, bias_axes, _output_shape(out_rank - 1, out_shape)
        )(out)
        if return_attention_scores:
            return out, scores
        return out


def _check_key_value(value_shape: Sequence[Any], key_shape: Sequence[Any]) -> None:
    if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
        raise errors.JnetValueError(
            f"MultiHeadAttention: all dimensions of value and key, except the last one, must "
            f"be equal. Received: value_shape={tuple(value_shape)} and "
            f"key_shape={tuple(key_shape)}."
        )
