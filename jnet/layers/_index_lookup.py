"""The vocabulary lookup shared by ``StringLookup`` and ``IntegerLookup`` (host side, NumPy).

Keras's ``IndexLookup`` (``keras/src/layers/preprocessing/index_lookup.py``) on its
TensorFlow backend, rebuilt without TensorFlow:

* the vocabulary is ``[mask_token]`` (``int`` mode with a mask token only), then
  ``num_oov_indices`` copies of ``oov_token``, then the tokens; :meth:`adapt` orders tokens by
  descending count, ties by descending token (UTF-8 bytes for strings), as Keras;
* an unknown token maps to the single OOV index, or with several OOV indices to
  ``floormod(value, num_oov_indices)`` (integers) or TensorFlow's FarmHash / keyed SipHash
  bucket of the token (strings, or integers with ``oov_method='farmhash'``);
* the mask token maps to 0 in ``int`` mode and to nothing in the vector modes;
* ``int`` outputs are int64, ``one_hot``/``multi_hot``/``count`` int64 vectors, ``tf_idf``
  float32 (counts times the IDF weights ``log(1 + documents / (1 + document count))``);
* ``invert=True`` maps indices back to tokens (unknown indices give ``oov_token``).

The tokens cannot enter JAX, so these layers are plain Python objects that take and return
NumPy arrays, as ``TextVectorization``: use them to prepare data before ``fit``, or in a
``tf.data`` pipeline with ``numpy_function``.

Example:
    >>> from jnet.layers.lookup import StringLookup
    >>> StringLookup(vocabulary=["a", "b"])(["a", "c", "b"])
    array([1, 0, 2])
"""

from __future__ import annotations

import collections
import math
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from jnet import errors
from jnet.layers import _fingerprint
from jnet.layers._vocabulary_assets import load_vocabulary, save_vocabulary
from jnet.layers.category_encoding import encode_categorical

__all__ = ["IndexLookup"]

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
_DEFAULT_NAMES = {"IndexLookup": "index_lookup", "StringLookup": "string_lookup",
                  "IntegerLookup": "integer_lookup"}
_BASE_KEYS = ("trainable", "dtype", "vocabulary_size", "has_input_vocabulary",
              "vocabulary_dtype")


class IndexLookup:
    """Maps tokens to indices (or back), Keras's ``IndexLookup`` on the host.

    Subclasses set ``_OWNER`` (the public class name) and define ``_token(value)`` (one input
    element as a vocabulary key), ``_hash_bytes(token)`` (the bytes an OOV bucket hashes),
    ``_tokens_array(tokens)`` (an output array of tokens for ``invert``) and
    ``_key(token)`` (the sort key of ties in :meth:`adapt`).
    """

    _OWNER = "IndexLookup"
    _INTEGER = False

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", salt=None,
                 name=None, **kwargs):
        owner = self._OWNER
        unknown = sorted(set(kwargs) - set(_BASE_KEYS))
        if unknown:
            raise errors.JnetTypeError(f"{owner} got unexpected keyword argument(s) {unknown}.")
        if max_tokens is not None and (not _is_int(max_tokens) or max_tokens <= 1):
            raise errors.JnetValueError(
                f"{owner}: max_tokens must be None or an integer greater than 1, received "
                f"{max_tokens!r}."
            )
        if pad_to_max_tokens and max_tokens is None:
            raise errors.JnetValueError(
                f"{owner}: pad_to_max_tokens=True needs max_tokens, received max_tokens=None."
            )
        if not _is_int(num_oov_indices) or num_oov_indices < 0:
            raise errors.JnetValueError(
                f"{owner}: num_oov_indices must be an integer >= 0, received "
                f"{num_oov_indices!r}."
            )
        if oov_method not in ("floormod", "farmhash"):
            raise errors.JnetValueError(
                f"{owner}: oov_method must be 'floormod' or 'farmhash', received "
                f"{oov_method!r}."
            )
        if salt is not None:
            if self._INTEGER and oov_method != "farmhash":
                raise errors.JnetValueError(
                    f"{owner}: salt can only be used with oov_method='farmhash', received "
                    f"oov_method={oov_method!r}."
                )
            if isinstance(salt, tuple | list) and len(salt) == 2 and all(map(_is_int, salt)):
                salt = [int(salt[0]), int(salt[1])]
            elif _is_int(salt):
                salt = [int(salt), int(salt)]
            else:
                raise errors.JnetValueError(
                    f"{owner}: salt must be an integer or a tuple of 2 integers, received "
                    f"{salt!r}."
                )
        output_mode = _ALIASES.get(output_mode, output_mode)
        if output_mode not in _MODES:
            raise errors.JnetValueError(
                f"{owner}: output_mode must be one of {list(_MODES)}, received "
                f"{output_mode!r}."
            )
        if invert and output_mode != "int":
            raise errors.JnetValueError(
                f"{owner}: invert=True needs output_mode='int', received "
                f"output_mode={output_mode!r}."
            )
        if sparse:
            raise errors.JnetValueError(
                f"{owner}: sparse=True is not supported (Keras supports it on the TensorFlow "
                f"backend only); received sparse=True."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise errors.JnetValueError(
                f"{owner}: idf_weights is only used with output_mode='tf_idf', received "
                f"output_mode={output_mode!r}."
            )
        self.name = _DEFAULT_NAMES[owner] if name is None else name
        self.max_tokens = max_tokens
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = None if mask_token is None else self._token(mask_token)
        self.oov_token = None if oov_token is None else self._token(oov_token)
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.oov_method = oov_method
        self.salt = salt
        self._tokens: list[Any] | None = None
        self._index: dict[Any, int] = {}
        self._idf: np.ndarray | None = None
        self._has_input_vocabulary = kwargs.get("has_input_vocabulary", vocabulary is not None)
        self.reset_state()
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise errors.JnetValueError(
                f"{owner}: output_mode='tf_idf' with a vocabulary needs idf_weights too."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # -- indices ----------------------------------------------------------------------------

    def _oov_start(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices, special tokens included (0 before a vocabulary is set)."""
        return 0 if self._tokens is None else self._token_start() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The vocabulary in index order (with the mask and OOV tokens unless told not to)."""
        tokens = [] if self._tokens is None else list(self._tokens)
        if not include_special_tokens:
            return tokens
        specials = [self.oov_token] * self._token_start()
        if self._oov_start():
            specials[0] = self.mask_token
        return specials + tokens

    # -- the vocabulary ---------------------------------------------------------------------

    def save_assets(self, dir_path: Any) -> None:
        """Writes the learned vocabulary to ``dir_path/vocabulary.txt``, as Keras's
        ``save_assets`` (a ``.keras`` archive's asset); nothing for a given vocabulary.

        Args:
            dir_path: the layer's asset folder.
        """
        save_vocabulary(self, dir_path)

    def load_assets(self, dir_path: Any) -> None:
        """Reads the vocabulary ``save_assets`` (jnet's or Keras's) wrote in ``dir_path``.

        Args:
            dir_path: the layer's asset folder.
        """
        load_vocabulary(self, dir_path, integers=self._INTEGER)

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (a list/array, or the path of a file with one token a line).

        The special tokens may lead the list, in order (mask, then the OOV tokens).
        """
        owner = self._OWNER
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise errors.JnetValueError(
                f"{owner}: set_vocabulary needs idf_weights when output_mode='tf_idf'."
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise errors.JnetValueError(
                f"{owner}: idf_weights is only used with output_mode='tf_idf', received "
                f"output_mode={self.output_mode!r}."
            )
        if isinstance(vocabulary, str | os.PathLike):
            if self.output_mode == "tf_idf":
                raise errors.JnetValueError(
                    f"{owner}: output_mode='tf_idf' cannot read its vocabulary from a file."
                )
            if not os.path.isfile(vocabulary):
                raise errors.JnetValueError(
                    f"{owner}: vocabulary file {os.fspath(vocabulary)!r} does not exist."
                )
            with open(vocabulary, encoding="utf-8") as f:
                lines = f.read().splitlines()
            while lines and lines[-1] == "":
                lines.pop()
            self._set_tokens([self._token(line) for line in lines])
            self._idf = None
            return
        if hasattr(vocabulary, "numpy") and not isinstance(vocabulary, np.ndarray):
            vocabulary = vocabulary.numpy()
        values = np.asarray(vocabulary, dtype=object)
        if values.ndim != 1:
            raise errors.JnetValueError(
                f"{owner}: vocabulary must be a 1-D list of tokens or a file path, received "
                f"{errors.describe(vocabulary)}."
            )
        if values.size == 0:
            raise errors.JnetValueError(f"{owner}: cannot set an empty vocabulary.")
        full = [self._token(v) for v in values.tolist()]
        specials = [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices
        found = full[: len(specials)] == specials
        tokens = full[len(specials):] if found else full
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise errors.JnetValueError(
                f"{owner}: the vocabulary has repeated tokens {repeated}; make it unique."
            )
        for role, token in (("mask", self.mask_token),
                            ("OOV", self.oov_token if self.invert else None)):
            if token is not None and token in tokens:
                raise errors.JnetValueError(
                    f"{owner}: found the reserved {role} token {token!r} inside the "
                    f"vocabulary. Leave the mask and OOV tokens out, or put them first in "
                    f"this order: {specials}."
                )
        size = len(specials) + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise errors.JnetValueError(
                f"{owner}: the vocabulary has {size} entries (special tokens included), more "
                f"than max_tokens={self.max_tokens}."
            )
        self._set_tokens(tokens)
        self._idf = None
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype=np.float64)
            if weights.ndim != 1 or len(weights) != len(full):
                raise errors.JnetValueError(
                    f"{owner}: idf_weights must be 1-D with one weight per vocabulary entry "
                    f"({len(full)}), received shape {weights.shape}."
                )
            front = 0 if found else len(specials)
            back = 0
            if self.pad_to_max_tokens:
                back = self.max_tokens - front - len(weights)
            self._idf = np.pad(
                weights, (front, back), constant_values=(np.average(weights), 0.0)
            ).astype(np.float32)

    def _set_tokens(self, tokens: list[Any]) -> None:
        start = self._token_start()
        self._tokens = list(tokens)
        self._index = {t: i + start for i, t in enumerate(self._tokens)}

    # -- adapt ------------------------------------------------------------------------------

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns the vocabulary from ``data`` (an array or list of tokens, or an iterable of
        batches), most frequent first, replacing any earlier one."""
        self.reset_state()
        if isinstance(data, list | tuple | np.ndarray | str | bytes) or (
            hasattr(data, "numpy") or not isinstance(data, Iterable)
        ):
            array = self._array(data)
            self.update_state(array[:, None] if array.ndim == 1 else array)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Adds one batch of tokens (rows are documents) to the counts."""
        if self._has_input_vocabulary:
            raise errors.JnetValueError(
                f"{self._OWNER}: cannot adapt after a vocabulary was set with `vocabulary` or "
                f"set_vocabulary()."
            )
        array = self._array(data)
        if array.ndim == 0:
            array = array.reshape(1)
        if array.ndim == 1:
            array = array[None]
        self._counts.update(array.reshape(-1).tolist())
        if self.output_mode == "tf_idf":
            for row in array.reshape(array.shape[0], -1):
                self._document_counts.update(set(row.tolist()))
            self._documents += array.shape[0]

    def finalize_state(self) -> None:
        """Turns the counts into the vocabulary (``adapt`` calls it)."""
        if self._has_input_vocabulary or not self._counts:
            return
        counts = dict(self._counts)
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        tokens = sorted(counts, key=lambda t: (counts[t], self._key(t)), reverse=True)
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start()]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = np.array(
                [math.log(1 + self._documents / (1 + self._document_counts[t])) for t in tokens],
                np.float32,
            )
            back = self.max_tokens - self._token_start() - len(idf) if (
                self.pad_to_max_tokens
            ) else 0
            self._idf = np.pad(
                idf, (self._token_start(), back), constant_values=(np.mean(idf), 0.0)
            ).astype(np.float32)
        self.reset_state()

    def reset_state(self) -> None:
        """Forgets the counts gathered by :meth:`update_state`."""
        self._counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._documents = 0

    # -- the call ---------------------------------------------------------------------------

    def __call__(self, inputs: Any) -> np.ndarray:
        owner = self._OWNER
        if self._tokens is None and (self.output_mode != "int" or self.invert):
            if not self.pad_to_max_tokens:
                raise errors.JnetValueError(
                    f"{owner}: set the vocabulary (vocabulary=... or adapt(data)) before "
                    f"calling the layer with output_mode={self.output_mode!r}."
                )
        if self.invert:
            return self._invert(inputs)
        array = self._array(inputs)
        scalar = array.ndim == 0
        if scalar:
            array = array.reshape(1)
        flat = array.reshape(-1).tolist()
        ids = np.fromiter((self._lookup(t) for t in flat), np.int64, len(flat))
        ids = ids.reshape(array.shape)
        if self.output_mode == "int":
            return ids[0] if scalar else ids
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        ids = np.where(ids < 0, depth, ids)  # the mask token: encoded as nothing
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        if self.output_mode == "tf_idf":
            counts = np.asarray(encode_categorical(ids.astype(np.int32), mode, depth))
            return counts * self._idf[:depth]
        encoded = np.asarray(encode_categorical(ids.astype(np.int32), mode, depth))
        return encoded.astype(np.int64)

    def _lookup(self, token: Any) -> int:
        if self.mask_token is not None and token == self.mask_token:
            return 0 if self.output_mode == "int" else -1
        index = self._index.get(token)
        if index is not None:
            return index
        if self.num_oov_indices == 0:
            raise errors.JnetValueError(
                f"{self._OWNER}: with num_oov_indices=0 every input must be in the "
                f"vocabulary, found {token!r}; set num_oov_indices=1."
            )
        if self.num_oov_indices == 1:
            return self._oov_start()
        return self._oov_start() + self._oov_bucket(token)

    def _oov_bucket(self, token: Any) -> int:
        if self._INTEGER and self.oov_method != "farmhash":
            return int(token) % self.num_oov_indices
        data = self._hash_bytes(token)
        if self.salt is not None:
            return _fingerprint.siphash(tuple(self.salt), data) % self.num_oov_indices
        return _fingerprint.fingerprint64(data) % self.num_oov_indices

    def _invert(self, inputs: Any) -> np.ndarray:
        array = np.asarray(inputs)
        if not np.issubdtype(array.dtype, np.integer):
            raise errors.JnetTypeError(
                f"{self._OWNER} with invert=True maps integer indices to tokens, received "
                f"{errors.describe(inputs)}."
            )
        vocabulary = self.get_vocabulary()
        size = len(vocabulary)
        tokens = [vocabulary[i] if 0 <= i < size else self.oov_token
                  for i in array.reshape(-1).tolist()]
        if self.mask_token is not None:
            tokens = [self.mask_token if i == 0 else t
                      for i, t in zip(array.reshape(-1).tolist(), tokens, strict=True)]
        return self._tokens_array(tokens).reshape(array.shape)

    # -- config -----------------------------------------------------------------------------

    def _config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trainable": True,
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": False,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "idf_weights": None if self._idf is None else (
                self._idf[: self.vocabulary_size()].tolist()
            ),
            "vocabulary": None if self._tokens is None else self.get_vocabulary(),
            "vocabulary_size": self.vocabulary_size() if self._tokens is not None else None,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> IndexLookup:
        """Creates a layer from :meth:`get_config`'s dict (vocabulary included)."""
        return cls(**config)

    def __repr__(self) -> str:
        return (
            f"{self._OWNER}(output_mode={self.output_mode!r}, "
            f"vocabulary_size={self.vocabulary_size()})"
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
