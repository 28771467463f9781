"""Embedding: integer indices -> dense vectors (Keras's ``keras.layers.Embedding``).

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.embedding import Embedding
    >>> layer = Embedding(10, 3)
    >>> variables = layer.init(jax.random.key(0), jnp.zeros((1, 4), jnp.int32))
    >>> layer.apply(variables, jnp.array([[1, 2, 0, 0]])).shape
    (1, 4, 3)
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, initializers
from jnet.layers.base import Layer, WeightPath

__all__ = ["Embedding"]


def _check_whole(inputs: jax.Array, name: str | None) -> None:
    """Float indices must be whole numbers: Keras's cast truncates 1.5 to 1 silently."""
    inputs = np.asarray(inputs)  # concrete here: numpy, so no enclosing trace sees the check
    fractional = np.trunc(inputs) != inputs
    if bool(np.any(fractional)):
        bad = float(inputs[fractional].reshape(-1)[0])
        raise errors.JnetValueError(
            f"Layer {name!r} (Embedding) takes whole token indices, received the fractional "
            f"index {bad:g} (Keras would truncate it to {int(bad)} silently). Pass integer "
            f"indices, e.g. x.round().astype('int32') if rounding is meant."
        )


def _check_positive_int(value: Any, name: str, owner: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise errors.JnetValueError(
            f"{owner}: {name} must be a positive integer, received {value!r}."
        )


class Embedding(Layer):
    """Turns positive integer indices into dense vectors of fixed size.

    ``outputs = embeddings[inputs]``: inputs of shape ``(batch, ...)`` give outputs of shape
    ``(batch, ..., output_dim)``. Integer inputs are used as they are; float inputs (as
    ``Model.fit`` passes them) are cast to int32, as Keras does.

    Indices outside ``[0, input_dim)`` are **clamped** to that range (JAX gathers never
    fail), where TensorFlow raises an error: make sure the vocabulary fits ``input_dim``.

    Args:
        input_dim: size of the vocabulary (maximum index + 1), a positive integer.
        output_dim: size of each embedding vector, a positive integer.
        embeddings_initializer: default ``'uniform'``, Keras's RandomUniform(-0.05, 0.05).
        embeddings_regularizer: penalty on the embeddings matrix, added to the loss.
        embeddings_constraint: projection of the embeddings after each optimizer update.
        mask_zero: whether index 0 is padding: the layer then emits a mask
            (``inputs != 0``) that the recurrent layers and ``GlobalAveragePooling1D``
            downstream honour. Index 0 still has an embedding row, so ``input_dim`` must
            count it.
        weights: only None (use ``set_weights``).
        input_length: deprecated in Keras 3 and ignored there; accepted and ignored here.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Input((5,)), Embedding(100, 8)])
        >>> model.output_shape
        (None, 5, 8)
        >>> model.count_params()
        800
    """

    AUTOCAST: ClassVar[bool] = False  # Keras: computes in float32, outputs the compute dtype

    # Defaults only because the base class's (keyword-only) ``input_dim`` field comes first in
    # the dataclass order; both are required (checked in __post_init__).
    input_dim: int = None  # type: ignore[assignment]
    output_dim: int = None  # type: ignore[assignment]
    embeddings_initializer: Any = "uniform"
    embeddings_regularizer: Any = None
    embeddings_constraint: Any = None
    mask_zero: bool = False
    weights: Any = None
    input_length: Any = dataclasses.field(default=None, kw_only=True)

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "embeddings"),)
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("embeddings",), "embeddings_regularizer", "embeddings_constraint"),
    )

    def __post_init__(self):
        for name in ("input_dim", "output_dim"):
            if getattr(self, name) is None:
                raise errors.JnetTypeError(
                    f"Embedding: missing required argument {name!r}: write "
                    f"Embedding(input_dim=vocabulary_size, output_dim=vector_size)."
                )
        _check_positive_int(self.input_dim, "input_dim", "Embedding")
        _check_positive_int(self.output_dim, "output_dim", "Embedding")
        errors.require_bool(self.mask_zero, "mask_zero", "Embedding")
        initializers.get(self.embeddings_initializer)
        self._check_penalty_arguments()
        if self.weights is not None:
            raise errors.JnetValueError(
                "Embedding: weights= is not supported; build the model and call "
                "layer.set_weights([embeddings]) instead."
            )
        super().__post_init__()

    @nn.nowrap
    def declared_input_shape(self) -> tuple[int | None, ...] | None:
        # ``input_dim`` is the vocabulary size here, not Keras 2's input-shape shorthand.
        if self.input_shape is not None:
            return tuple(None if d is None else int(d) for d in self.input_shape)
        return None

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["input_dim"] = int(self.input_dim)
        config.pop("input_length", None)
        return config

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """``inputs != 0`` when ``mask_zero``, else None."""
        if not self.mask_zero:
            return None
        return jnp.not_equal(jnp.asarray(inputs), 0)

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs = jnp.asarray(inputs)
        if not jnp.issubdtype(inputs.dtype, jnp.integer):
            if not isinstance(inputs, jax.core.Tracer):  # an eager call: checked here; fit
                _check_whole(inputs, self.name or "embedding")  # and predict check x
            inputs = inputs.astype(jnp.int32)
        embeddings = self.param(
            "embeddings",
            initializers.get(self.embeddings_initializer),
            (int(self.input_dim), int(self.output_dim)),
            jnp.float32,
        )
        indices = jnp.clip(inputs, 0, int(self.input_dim) - 1)
        return jnp.take(embeddings, indices, axis=0)
