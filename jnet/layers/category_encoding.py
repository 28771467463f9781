"""``CategoryEncoding``: integer category ids to one-hot, multi-hot or count vectors.

Keras's ``keras.layers.CategoryEncoding`` (and the encoding that ``Discretization`` shares):
``'one_hot'`` gives one vector per id (a trailing axis of size 1 is replaced), ``'multi_hot'``
marks every id present in a sample (the last input axis), ``'count'`` counts them (optionally
weighted with ``count_weights``). A rank-1 input is one sample for ``'multi_hot'`` and
``'count'`` and a batch of ids for ``'one_hot'``, as in Keras. Ids outside ``[0, num_tokens)``
encode to nothing. Outputs are float32.

Example:
    >>> import numpy as np, jnet
    >>> jnet.layers.CategoryEncoding(4)(np.array([[0, 1], [0, 0], [1, 2], [3, 1]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer

__all__ = ["CategoryEncoding", "encode_categorical"]

_MODES = ("one_hot", "multi_hot", "count")


def encode_categorical(ids: Any, output_mode: str, depth: int, dtype: Any = jnp.float32,
                       count_weights: Any = None) -> jnp.ndarray:
    """Keras's ``encode_categorical_inputs`` for ``'int'``, ``'one_hot'``, ``'multi_hot'``
    and ``'count'`` (``depth`` is the size of the encoded axis).

    Example:
        >>> encode_categorical(jnp.array([[1, 1, 2]]), "count", 3).tolist()
        [[0.0, 2.0, 1.0]]
    """
    ids = jnp.asarray(ids)
    if output_mode == "int":
        return ids.astype(dtype)
    if ids.ndim == 0:
        ids = ids[None]
    if not jnp.issubdtype(ids.dtype, jnp.integer):
        ids = ids.astype(jnp.int32)
    if output_mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return jax.nn.one_hot(ids, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return jnp.max(jax.nn.one_hot(ids, depth, dtype=dtype), axis=-2)
    if count_weights is not None:
        dtype = count_weights.dtype
    encoded = jax.nn.one_hot(ids, depth, dtype=dtype)
    if count_weights is not None:
        encoded = encoded * count_weights[..., None]
    return jnp.sum(encoded, axis=1 if ids.ndim > 1 else 0)


def _check_tokens(owner: str, num_tokens: Any) -> None:
    if num_tokens is None:
        raise errors.JnetValueError(
            f"{owner}: num_tokens must be set to use this layer, received None. If the number "
            f"of tokens is not known beforehand, use the IntegerLookup layer instead."
        )
    if isinstance(num_tokens, bool) or not isinstance(num_tokens, int | np.integer) or (
        num_tokens < 1
    ):
        raise errors.JnetValueError(
            f"{owner}: num_tokens must be an integer >= 1, received {num_tokens!r}."
        )


class CategoryEncoding(Layer):
    """Encodes integer category ids as one-hot, multi-hot or count vectors, as Keras.

    Args:
        num_tokens: the number of categories; ids must lie in ``[0, num_tokens)``.
        output_mode: ``'multi_hot'`` (default; alias ``'binary'``), ``'one_hot'`` or
            ``'count'``.
        sparse: must be False (Keras supports sparse outputs on TensorFlow only).

    Call arguments:
        inputs: integer ids, rank 0, 1 or 2 (higher ranks as Keras's generic path).
        count_weights: ``'count'`` mode only: a weight per id, the inputs' shape; the output
            sums the weights.

    Example:
        >>> import numpy as np, jnet
        >>> layer = jnet.layers.CategoryEncoding(4, output_mode="count")
        >>> layer(np.array([[0, 1, 1]]), count_weights=np.array([[0.5, 1.0, 2.0]])).tolist()
        [[0.5, 3.0, 0.0, 0.0]]
    """

    num_tokens: Any = None
    output_mode: str = "multi_hot"
    sparse: bool = False

    def __post_init__(self):
        _check_tokens("CategoryEncoding", self.num_tokens)
        mode = "multi_hot" if self.output_mode == "binary" else self.output_mode
        if mode not in _MODES:
            raise errors.JnetValueError(
                f"CategoryEncoding: output_mode must be one of {list(_MODES)} (or 'binary'), "
                f"received {self.output_mode!r}."
            )
        if self.sparse:
            raise errors.JnetValueError(
                "CategoryEncoding: sparse=True is not supported (Keras supports sparse outputs "
                "on the TensorFlow backend only); received sparse=True."
            )
        super().__post_init__()

    def _mode(self) -> str:
        return "multi_hot" if self.output_mode == "binary" else self.output_mode

    def __call__(self, inputs, count_weights=None, training: bool = False):
        if count_weights is not None:
            if self._mode() != "count":
                raise errors.JnetValueError(
                    f"CategoryEncoding: count_weights is only used when output_mode='count', "
                    f"received output_mode={self.output_mode!r} with count_weights."
                )
            count_weights = jnp.asarray(count_weights, jnp.float32)
        return encode_categorical(
            inputs, self._mode(), int(self.num_tokens), jnp.float32, count_weights
        )
