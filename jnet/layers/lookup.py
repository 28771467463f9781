"""``StringLookup`` and ``IntegerLookup``: tokens to vocabulary indices, as Keras.

Both are host-side layers (NumPy in, NumPy out; see :mod:`jnet.layers._index_lookup` for the
rules they share with Keras's ``IndexLookup``): strings cannot enter JAX, and Keras itself
runs these layers with TensorFlow ops outside the compiled model. Use them to turn raw
features into integer arrays before ``fit``/``predict``.

Example:
    >>> import numpy as np
    >>> lookup = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> lookup(np.array([[12, 1138, 42], [42, 1000, 36]]))
    array([[1, 3, 4],
           [4, 0, 2]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jnet import errors
from jnet.layers._index_lookup import IndexLookup, _is_int

__all__ = ["IntegerLookup", "StringLookup"]


class StringLookup(IndexLookup):
    """Maps strings to integer indices (or back), as ``keras.layers.StringLookup``.

    Args:
        max_tokens: the largest vocabulary, special tokens included; None: no limit.
        num_oov_indices: how many indices unknown strings share (hashed among them).
            Default 1.
        mask_token: a string that maps to index 0 (``int`` mode) or to nothing; None
            (default): no mask.
        oov_token: the token of the OOV indices (used by ``invert``). Default ``'[UNK]'``.
        vocabulary: a list/array of strings or the path of a text file (one a line).
        idf_weights: ``'tf_idf'`` mode with a vocabulary: one weight per entry.
        invert: map indices back to strings. Default False.
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'``, ``'count'`` or
            ``'tf_idf'``.
        pad_to_max_tokens: vector modes: make the last axis ``max_tokens`` long.
        sparse: must be False.
        encoding: the encoding of ``bytes`` inputs. Default ``'utf-8'``.
        name: a name, kept for ``get_config``.
        salt: an int or two ints: hash OOV strings with keyed SipHash instead of FarmHash.

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"], output_mode="multi_hot")
        >>> layer([["a", "b"], ["a", "z"]])
        array([[0, 1, 1, 0, 0],
               [1, 1, 0, 0, 0]])
        >>> StringLookup(vocabulary=["a", "b"], invert=True)([[2, 1, 0]])
        array([['b', 'a', '[UNK]']], dtype='<U5')
    """

    _OWNER = "StringLookup"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 salt=None, **kwargs):
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
            oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights,
            invert=invert, output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, salt=salt, name=name, **kwargs,
        )

    def _token(self, value: Any) -> str:
        if isinstance(value, str):
            return str(value)
        if isinstance(value, bytes | np.bytes_):
            return bytes(value).decode(self.encoding)
        raise errors.JnetTypeError(
            f"StringLookup expects strings, received {errors.describe(value)}."
        )

    def _array(self, value: Any) -> np.ndarray:
        if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
            value = value.numpy()
        array = np.asarray(value, dtype=object)
        out = np.empty(array.shape, dtype=object)
        out.reshape(-1)[:] = [self._token(v) for v in array.reshape(-1).tolist()]
        return out

    def _hash_bytes(self, token: str) -> bytes:
        return token.encode("utf-8")

    def _key(self, token: str) -> bytes:
        return token.encode("utf-8")

    def _tokens_array(self, tokens: list[str]) -> np.ndarray:
        return np.array(tokens, dtype=str)

    def get_config(self) -> dict[str, Any]:
        """Keras's config, with the current vocabulary (jnet has no assets)."""
        return {**self._config(), "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices (or back), as ``keras.layers.IntegerLookup``.

    Args:
        max_tokens: the largest vocabulary, special tokens included; None: no limit.
        num_oov_indices: how many indices unknown values share (``value mod n`` among them,
            or hashed with ``oov_method='farmhash'``). Default 1.
        mask_token: a value that maps to index 0 (``int`` mode) or to nothing; None
            (default): no mask.
        oov_token: the value ``invert`` gives for OOV indices. Default -1.
        vocabulary: a list/array of integers or the path of a text file (one a line).
        vocabulary_dtype: only ``'int64'``.
        idf_weights: ``'tf_idf'`` mode with a vocabulary: one weight per entry.
        invert: map indices back to values. Default False.
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'``, ``'count'`` or
            ``'tf_idf'``.
        sparse: must be False.
        pad_to_max_tokens: vector modes: make the last axis ``max_tokens`` long.
        oov_method: ``'floormod'`` (default) or ``'farmhash'``.
        salt: with ``'farmhash'``: an int or two ints for keyed SipHash.
        name: a name, kept for ``get_config``.

    Example:
        >>> import numpy as np
        >>> layer = IntegerLookup()
        >>> layer.adapt(np.array([12, 36, 36, 1138]))
        >>> layer.get_vocabulary()
        [-1, 36, 1138, 12]
        >>> layer(np.array([36, 7]))
        array([1, 0])
    """

    _OWNER = "IntegerLookup"
    _INTEGER = True

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise errors.JnetValueError(
                f"IntegerLookup: only vocabulary_dtype='int64' is supported, received "
                f"{vocabulary_dtype!r}."
            )
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
            oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights,
            invert=invert, output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name,
            **kwargs,
        )

    def _token(self, value: Any) -> int:
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                pass
        elif _is_int(value):
            return int(value)
        elif isinstance(value, float | np.floating) and float(value).is_integer():
            return int(value)
        raise errors.JnetTypeError(
            f"IntegerLookup expects integers, received {errors.describe(value)}."
        )

    def _array(self, value: Any) -> np.ndarray:
        if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
            value = value.numpy()
        array = np.asarray(value)
        if array.dtype == object or not (
            np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
        ):
            raise errors.JnetTypeError(
                f"IntegerLookup expects integers, received {errors.describe(value)}."
            )
        return array.astype(np.int64)

    def _hash_bytes(self, token: int) -> bytes:
        return str(int(token)).encode("ascii")

    def _key(self, token: int) -> int:
        return token

    def _tokens_array(self, tokens: list[int]) -> np.ndarray:
        return np.array(tokens, dtype=np.int64)

    def get_config(self) -> dict[str, Any]:
        """Keras's config, with the current vocabulary (jnet has no assets)."""
        return {**self._config(), "vocabulary_dtype": "int64"}
