"""``Hashing`` and ``HashedCrossing``: categorical features to hash buckets, as Keras.

Keras computes both with TensorFlow's string ops (on every backend): ``Hashing`` buckets each
value's FarmHash ``Fingerprint64`` (or, with a ``salt``, its keyed SipHash-2-4), integers and
floats by their decimal text (floats truncated to integers first); ``HashedCrossing`` chains
``FingerprintCat64`` over the features of each sample (strings by fingerprint, integers as
themselves), as ``tf.sparse.cross_hashed``. jnet reproduces those hashes in pure Python
(:mod:`jnet.layers._fingerprint`), so bucket ids equal Keras's without TensorFlow. Like the
lookup layers these run on the host: NumPy in, NumPy out (``int`` ids are int64; the vector
modes float32).

Example:
    >>> hashing = Hashing(num_bins=3)
    >>> hashing([["A"], ["B"], ["C"], ["D"], ["E"]]).tolist()
    [[1], [0], [1], [1], [2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jnet import errors
from jnet.layers import _fingerprint
from jnet.layers.category_encoding import encode_categorical

__all__ = ["HashedCrossing", "Hashing"]

_MODES = ("int", "one_hot", "multi_hot", "count")
_INT_DTYPES = ("int32", "int64")


def _dtype_name(value: Any) -> Any:
    if isinstance(value, dict):  # a Keras DTypePolicy config
        return (value.get("config") or {}).get("name")
    return None if value is None else np.dtype(value).name


def _positive(owner: str, num_bins: Any) -> int:
    if isinstance(num_bins, bool) or not isinstance(num_bins, int | np.integer) or (
        num_bins <= 0
    ):
        raise errors.JnetValueError(
            f"{owner}: num_bins must be a positive integer, received {num_bins!r}."
        )
    return int(num_bins)


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    return np.asarray(value)


def _text(value: Any) -> bytes:
    """The bytes TensorFlow hashes for one value (``tf.as_string`` for numbers)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes | np.bytes_):
        return bytes(value)
    if isinstance(value, bool | np.bool_):
        raise errors.JnetTypeError(f"Hashing: booleans cannot be hashed, received {value!r}.")
    if isinstance(value, int | np.integer):
        return str(int(value)).encode("ascii")
    if isinstance(value, float | np.floating):
        return str(int(value)).encode("ascii")  # Keras casts floats to int64 first
    raise errors.JnetTypeError(
        f"Hashing expects strings or numbers, received {errors.describe(value)}."
    )


class Hashing:
    """Hashes categorical values into ``num_bins`` buckets, as ``keras.layers.Hashing``.

    Args:
        num_bins: the number of buckets (the mask bucket included when ``mask_value`` is set).
        mask_value: a value that maps to bucket 0; the others hash into ``[1, num_bins)``.
        salt: an int or a tuple of two ints: use keyed SipHash-2-4 (stronger, slower).
        output_mode: ``'int'`` (default), ``'one_hot'``, ``'multi_hot'`` or ``'count'``.
        sparse: must be False.
        name: a name, kept for ``get_config``.
        dtype: the output dtype: ``'int64'`` (default) or ``'int32'`` for ``'int'``,
            float32 otherwise.

    Example:
        >>> Hashing(num_bins=3, mask_value="")([["A"], [""], ["C"]]).tolist()
        [[1], [0], [2]]
        >>> Hashing(num_bins=3, salt=133)([["A"], ["B"]]).tolist()
        [[0], [0]]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 name=None, dtype=None, **kwargs):
        kwargs.pop("trainable", None)
        if kwargs:
            raise errors.JnetTypeError(
                f"Hashing got unexpected keyword argument(s) {sorted(kwargs)}."
            )
        self.num_bins = _positive("Hashing", num_bins)
        if output_mode not in _MODES:
            raise errors.JnetValueError(
                f"Hashing: output_mode must be one of {list(_MODES)}, received "
                f"{output_mode!r}."
            )
        dtype = _dtype_name(dtype) or ("int64" if output_mode == "int" else "float32")
        if output_mode == "int" and dtype not in _INT_DTYPES:
            raise errors.JnetValueError(
                f"Hashing: output_mode='int' needs an integer dtype ('int32' or 'int64'), "
                f"received dtype={dtype!r}."
            )
        if sparse:
            raise errors.JnetValueError(
                "Hashing: sparse=True is not supported (Keras supports it on the TensorFlow "
                "backend only); received sparse=True."
            )
        if salt is not None:
            if isinstance(salt, tuple | list) and len(salt) == 2 and all(
                isinstance(s, int | np.integer) for s in salt
            ):
                salt = [int(salt[0]), int(salt[1])]
            elif isinstance(salt, int | np.integer) and not isinstance(salt, bool):
                salt = [int(salt), int(salt)]
            else:
                raise errors.JnetValueError(
                    f"Hashing: salt must be an integer or a tuple of 2 integers, received "
                    f"{salt!r}."
                )
        self.mask_value = mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = False
        self.name = "hashing" if name is None else name
        self.dtype = dtype

    def _bucket(self, value: Any, bins: int) -> int:
        data = _text(value)
        if self.salt is not None:
            return _fingerprint.siphash(tuple(self.salt), data) % bins
        return _fingerprint.fingerprint64(data) % bins

    def __call__(self, inputs: Any) -> np.ndarray:
        array = _as_array(inputs)
        if self.output_mode == "one_hot" and array.ndim and array.shape[-1] == 1:
            array = array[..., 0]
        bins = self.num_bins
        masked = self.mask_value is not None and bins > 1
        if masked:
            bins -= 1
        flat = array.reshape(-1).tolist()
        cache: dict[Any, int] = {}
        ids = np.empty(len(flat), np.int64)
        for i, value in enumerate(flat):
            if masked and value == self.mask_value:
                ids[i] = 0
                continue
            if value not in cache:
                cache[value] = self._bucket(value, bins) + (1 if masked else 0)
            ids[i] = cache[value]
        ids = ids.reshape(array.shape)
        if self.output_mode == "int":
            return ids.astype(self.dtype)
        encoded = encode_categorical(ids.astype(np.int32), self.output_mode, self.num_bins)
        return np.asarray(encoded).astype(self.dtype)

    def get_config(self) -> dict[str, Any]:
        """Keras's config."""
        return {"name": self.name, "trainable": True, "dtype": self.dtype,
                "num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": False}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Hashing:
        """Creates the layer from :meth:`get_config`'s dict (or Keras's)."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"Hashing(num_bins={self.num_bins}, output_mode={self.output_mode!r})"


class HashedCrossing:
    """Crosses two or more categorical features by hashing, as ``keras.layers.HashedCrossing``.

    Each sample's feature values (one from every input) are hashed together into
    ``num_bins`` buckets (order matters): ``HashedCrossing(num_bins)((a, b))``.

    Args:
        num_bins: the number of buckets.
        output_mode: ``'int'`` (default, int64 ids) or ``'one_hot'`` (float32).
        sparse: must be False.
        name: a name, kept for ``get_config``.
        dtype: the output dtype (default int64 for ``'int'``, float32 for ``'one_hot'``).

    Call arguments:
        inputs: a tuple/list of at least two arrays of equal shape ``()``, ``(batch,)`` or
            ``(batch, 1)``, of strings or integers.

    Example:
        >>> import numpy as np
        >>> cross = HashedCrossing(num_bins=5)
        >>> cross((np.array(["A", "B", "C"]), np.array([101, 102, 103]))).tolist()
        [1, 1, 3]
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        kwargs.pop("trainable", None)
        if kwargs:
            raise errors.JnetTypeError(
                f"HashedCrossing got unexpected keyword argument(s) {sorted(kwargs)}."
            )
        self.num_bins = _positive("HashedCrossing", num_bins)
        if output_mode not in ("int", "one_hot"):
            raise errors.JnetValueError(
                f"HashedCrossing: output_mode must be 'int' or 'one_hot', received "
                f"{output_mode!r}."
            )
        if sparse:
            raise errors.JnetValueError(
                "HashedCrossing: sparse=True is not supported (Keras supports it on the "
                "TensorFlow backend only); received sparse=True."
            )
        self.output_mode = output_mode
        self.sparse = False
        self.name = "hashed_crossing" if name is None else name
        self.dtype = _dtype_name(dtype) or ("int64" if output_mode == "int" else "float32")

    def __call__(self, inputs: Any) -> np.ndarray:
        if not isinstance(inputs, tuple | list) or len(inputs) < 2:
            raise errors.JnetValueError(
                f"HashedCrossing must be called on a tuple/list of at least two inputs, "
                f"received {errors.describe(inputs)}."
            )
        arrays = [_as_array(x) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise errors.JnetValueError(
                f"HashedCrossing inputs must have shape (), (batch,) or (batch, 1), received "
                f"shape {shape}."
            )
        if any(a.shape != shape for a in arrays[1:]):
            raise errors.JnetValueError(
                f"HashedCrossing inputs must all have the same shape, received shapes "
                f"{[a.shape for a in arrays]}."
            )
        columns = [a.reshape(-1).tolist() for a in arrays]
        ids = np.array([self._cross(row) for row in zip(*columns, strict=True)], np.int64)
        ids = ids.reshape(shape)
        if self.output_mode == "int":
            return ids.astype(self.dtype)
        encoded = encode_categorical(ids.astype(np.int32), "one_hot", self.num_bins)
        return np.asarray(encoded).astype(self.dtype)

    def _cross(self, row: tuple[Any, ...]) -> int:
        hashed = _fingerprint.CROSS_HASH_KEY
        for value in row:
            if isinstance(value, str | bytes | np.str_ | np.bytes_):
                feature = _fingerprint.fingerprint64(_text(value))
            elif isinstance(value, int | np.integer) and not isinstance(value, bool):
                feature = int(value) & ((1 << 64) - 1)
            else:
                raise errors.JnetTypeError(
                    f"HashedCrossing expects string or integer features, received "
                    f"{errors.describe(value)}."
                )
            hashed = _fingerprint.fingerprint_cat64(hashed, feature)
        return hashed % self.num_bins

    def get_config(self) -> dict[str, Any]:
        """Keras's config."""
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": False,
                "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> HashedCrossing:
        """Creates the layer from :meth:`get_config`'s dict (or Keras's)."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"HashedCrossing(num_bins={self.num_bins}, output_mode={self.output_mode!r})"
