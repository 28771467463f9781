"""ReversibleEmbedding: an embedding that also projects back to the vocabulary (Keras's
``keras.layers.ReversibleEmbedding``, for language models with tied input/output weights).

Example:
    >>> import jax, jax.numpy as jnp
    >>> layer = ReversibleEmbedding(10, 3)
    >>> variables = layer.init(jax.random.key(0), jnp.zeros((1, 4), jnp.int32))
    >>> hidden = layer.apply(variables, jnp.array([[1, 2, 0, 0]]))
    >>> hidden.shape, layer.apply(variables, hidden, reverse=True).shape
    ((1, 4, 3), (1, 4, 10))
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import errors, initializers
from jnet.layers.base import WeightPath, _has_path
from jnet.layers.embedding import Embedding, _check_whole

__all__ = ["ReversibleEmbedding"]


class ReversibleEmbedding(Embedding):
    """An embedding layer which can project backwards to the input dim.

    ``layer(ids)`` is :class:`~jnet.layers.Embedding`'s lookup; ``layer(hidden,
    reverse=True)`` is the linear projection ``hidden @ embeddings.T`` back to ``input_dim``
    logits (weights "tied"), or ``hidden @ reverse_embeddings`` with a separate trainable
    ``(output_dim, input_dim)`` matrix when ``tie_weights=False``. No bias.

    With ``mask_zero=True`` the forward call emits Keras's ``ids != 0`` mask; a reverse call
    in a model should come from another layer's output (Keras drops the mask there; jnet's
    mask rule sees only the inputs, so keep ``mask_zero=False`` on a layer called in reverse
    inside a functional model).

    Args:
        input_dim: size of the vocabulary (maximum index + 1), a positive integer.
        output_dim: size of each embedding vector, a positive integer.
        tie_weights: whether the reverse projection uses the transposed ``embeddings``
            (default True) or its own ``reverse_embeddings`` weight.
        embeddings_initializer: default ``'uniform'`` (also used for
            ``reverse_embeddings``).
        embeddings_regularizer: penalty on the embeddings matrix.
        embeddings_constraint: projection of the embeddings after each update.
        mask_zero: whether index 0 is padding (see above).
        reverse_dtype: the dtype of the reverse projection's matmul (inputs and kernel are
            cast to it). Defaults to None: the layer's compute dtype.
        logit_soft_cap: if set, reverse logits become
            ``tanh(logits / logit_soft_cap) * logit_soft_cap``. Defaults to None.
        weights: only None (use ``set_weights``), as :class:`~jnet.layers.Embedding`.
        input_length: deprecated in Keras 3 and ignored, as :class:`~jnet.layers.Embedding`.

    Call arguments:
        inputs: token ids, or hidden states ``(..., output_dim)`` when ``reverse``.
        reverse: project from ``output_dim`` back to ``input_dim``. Defaults to False.

    Example:
        >>> import numpy as np, jnet
        >>> ids = jnet.layers.Input((4,), dtype="int32")
        >>> emb = ReversibleEmbedding(20, 8, tie_weights=False, logit_soft_cap=30.0)
        >>> logits = emb(jnet.layers.Dense(8)(emb(ids)), reverse=True)
        >>> model = jnet.Model(ids, logits)
        >>> model.output_shape, [tuple(w.shape) for w in emb.get_weights()]
        ((None, 4, 20), [(20, 8), (8, 20)])
    """

    #: Keras's positional order (tie_weights third); the fields inherit Embedding's order.
    KERAS_POSITIONAL = (
        "input_dim", "output_dim", "tie_weights", "embeddings_initializer",
        "embeddings_regularizer", "embeddings_constraint", "mask_zero", "reverse_dtype",
        "logit_soft_cap",
    )

    tie_weights: bool = True
    reverse_dtype: Any = None
    logit_soft_cap: Any = None

    def __post_init__(self):
        errors.require_bool(self.tie_weights, "tie_weights", "ReversibleEmbedding")
        if self.reverse_dtype is not None:
            try:
                jnp.dtype(self.reverse_dtype)
            except TypeError:
                raise errors.JnetValueError(
                    f"ReversibleEmbedding: reverse_dtype must be a dtype name ('float32', "
                    f"'bfloat16', ...) or None, received {self.reverse_dtype!r}."
                ) from None
        cap = self.logit_soft_cap
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int | float)
                                or cap <= 0):
            raise errors.JnetValueError(
                f"ReversibleEmbedding: logit_soft_cap must be a positive number or None, "
                f"received {cap!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def weight_paths(self, variables) -> list[WeightPath]:
        paths = [("params", "embeddings"), ("params", "reverse_embeddings")]
        return [p for p in paths if _has_path(variables, p)]

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        for key in ("tie_weights", "reverse_dtype", "logit_soft_cap"):
            config[key] = config.pop(key)  # Keras's order: after Embedding's keys
        return config

    @nn.compact
    def __call__(self, inputs, training: bool = False, reverse: bool = False):
        init = initializers.get(self.embeddings_initializer)
        embeddings = self.param(
            "embeddings", init, (int(self.input_dim), int(self.output_dim)), jnp.float32
        )
        if not self.tie_weights:
            reverse_kernel = self.param(
                "reverse_embeddings", init, (int(self.output_dim), int(self.input_dim)),
                jnp.float32,
            )
        inputs = jnp.asarray(inputs)
        if not reverse:
            if not jnp.issubdtype(inputs.dtype, jnp.integer):
                if not isinstance(inputs, jax.core.Tracer):
                    _check_whole(inputs, self.name or "reversible_embedding")
                inputs = inputs.astype(jnp.int32)
            indices = jnp.clip(inputs, 0, int(self.input_dim) - 1)
            return jnp.take(embeddings, indices, axis=0)
        kernel = embeddings.T if self.tie_weights else reverse_kernel
        dtype = self.compute_dtype if self.reverse_dtype is None else self.reverse_dtype
        logits = jnp.matmul(inputs.astype(dtype), kernel.astype(dtype))
        if self.logit_soft_cap is not None:
            cap = float(self.logit_soft_cap)
            logits = jnp.tanh(logits / cap) * cap
        return logits
