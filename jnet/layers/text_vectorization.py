"""``TextVectorization``: strings to token indices (or bag-of-words vectors) on the host.

Strings cannot enter JAX, so this is a plain Python object rather than a Flax module: use it
to turn text into NumPy integer arrays before ``fit``/``predict``, as Keras recommends for
every non-TensorFlow backend. It reproduces ``keras.layers.TextVectorization`` on the
TensorFlow backend (``keras/src/layers/preprocessing/text_vectorization.py`` and
``index_lookup.py``):

* standardize: ``lower`` lowercases ASCII ``A-Z`` only and ``strip_punctuation`` removes
  ASCII punctuation only (``string.punctuation``), as TensorFlow's string ops do;
* ``split="whitespace"`` splits on ASCII whitespace (space, ``\\t \\n \\v \\f \\r``) only;
* the adapted vocabulary is ``''`` (padding, ``int`` mode only) and ``'[UNK]'``, then tokens
  by descending count, ties broken by descending token (UTF-8 byte order);
* ``int`` output is int64, padded with 0 to the longest row or to
  ``output_sequence_length``; ``multi_hot``/``count``/``one_hot`` are int64 and ``tf_idf``
  float32, with index 0 for out-of-vocabulary tokens.

Example:
    >>> from jnet.layers.text_vectorization import TextVectorization
    >>> vectorize = TextVectorization(output_sequence_length=4)
    >>> vectorize.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> vectorize.get_vocabulary()
    ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']
    >>> vectorize(["Foo qux bar!", "qux baz"])
    array([[4, 1, 3, 0],
           [1, 2, 0, 0]])

One concept, one file (about 730 lines): one layer, whose length is Keras's argument checks
and the host-side vocabulary (adapt, standardize, split, n-grams, output modes).
"""

from __future__ import annotations

import collections
import re
import string
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from jnet import errors
from jnet.layers._vocabulary_assets import load_vocabulary, save_vocabulary

__all__ = ["TextVectorization"]

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}
_MASK_TOKEN = ""
_OOV_TOKEN = "[UNK]"
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_STRIP = str.maketrans("", "", string.punctuation)
_WHITESPACE = re.compile(r"[ \t\n\x0b\x0c\r]+")
_CONFIG_ONLY = ("name", "trainable", "dtype", "vocabulary_size", "has_input_vocabulary")


class TextVectorization:
    """Maps text to integer token sequences or dense bag-of-words vectors, as Keras does.

    Each call standardizes the strings, splits them into tokens, optionally forms n-grams,
    and looks the tokens up in the vocabulary learned by :meth:`adapt` (or given with
    ``vocabulary``).

    Args:
        max_tokens: the largest vocabulary, special tokens included (``''`` and ``'[UNK]'`` in
            ``int`` mode, ``'[UNK]'`` otherwise). Defaults to ``None``: no limit.
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``,
            ``"strip_punctuation"``, ``None``, or a callable taking a NumPy array of ``str``
            and returning an array of the same shape.
        split: ``"whitespace"`` (default), ``"character"``, ``None`` (each string is one
            token), or a callable taking a 1-D NumPy array of ``str`` and returning one list
            of tokens per string.
        ngrams: ``None`` (default), an int ``n`` (all 1..n-grams) or a tuple of widths; n-grams
            are joined with a space and listed width by width.
        output_mode: ``"int"`` (default), ``"multi_hot"`` (alias ``"binary"``), ``"count"``,
            ``"tf_idf"`` (alias ``"tf-idf"``), or ``"one_hot"`` (only with ``split=None``).
        output_sequence_length: ``int`` mode only: pad with 0 or truncate every row to this
            many tokens. Defaults to ``None``: the longest row of the batch.
        pad_to_max_tokens: non-``int`` modes only: make the feature axis ``max_tokens`` long.
            Defaults to ``False``.
        vocabulary: a list/array of tokens, or the path of a text file with one token per line.
            Defaults to ``None`` (call :meth:`adapt`).
        idf_weights: ``tf_idf`` mode with ``vocabulary``: the inverse document frequencies.
        sparse: must be ``False`` (Keras supports it on TensorFlow only).
        ragged: must be ``False`` (Keras supports it on TensorFlow only).
        encoding: the encoding of ``bytes`` inputs. Defaults to ``"utf-8"``.
        name: a name, kept for ``get_config``.

    Example:
        >>> bag = TextVectorization(output_mode="count")
        >>> bag.adapt(["the cat", "the dog", "the end"])
        >>> bag.get_vocabulary()
        ['[UNK]', 'the', 'end', 'dog', 'cat']
        >>> bag(["The cat and the hat"])
        array([[2, 2, 0, 0, 1]])
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize: str | Callable | None = "lower_and_strip_punctuation",
        split: str | Callable | None = "whitespace",
        ngrams: int | tuple[int, ...] | None = None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Any = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        **kwargs: Any,
    ):
        unknown = sorted(set(kwargs) - set(_CONFIG_ONLY))
        if unknown:
            raise errors.JnetTypeError(
                f"TextVectorization got unexpected keyword argument(s) {unknown}."
            )
        _check_choice("standardize", standardize, _STANDARDIZE, allow_callable=True)
        _check_choice("split", split, _SPLIT, allow_callable=True)
        output_mode = _MODE_ALIASES.get(output_mode, output_mode)
        _check_choice("output_mode", output_mode, _OUTPUT_MODES, allow_callable=False,
                      allow_none=False)
        self._ngrams = _ngram_widths(ngrams)
        if self._ngrams is not None and split is None:
            raise errors.JnetValueError(
                "TextVectorization: `ngrams` needs a `split` (Keras would form n-grams across "
                "the batch axis when split=None); pass split='whitespace'."
            )
        if output_sequence_length is not None:
            if output_mode != "int":
                raise errors.JnetValueError(
                    "TextVectorization: `output_sequence_length` is only valid with "
                    f"output_mode='int', received output_mode={output_mode!r}."
                )
            if isinstance(output_sequence_length, bool) or not isinstance(
                output_sequence_length, int | np.integer
            ) or output_sequence_length < 0:
                raise errors.JnetValueError(
                    "TextVectorization: `output_sequence_length` must be None or a "
                    f"non-negative integer, received {output_sequence_length!r}."
                )
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int | np.integer)
            or max_tokens <= 1
        ):
            raise errors.JnetValueError(
                "TextVectorization: `max_tokens` must be None or an integer greater than 1, "
                f"received {max_tokens!r}."
            )
        if pad_to_max_tokens and max_tokens is None:
            raise errors.JnetValueError(
                "TextVectorization: pad_to_max_tokens=True needs `max_tokens`."
            )
        if output_mode == "one_hot" and split is not None:
            raise errors.JnetValueError(
                "TextVectorization: output_mode='one_hot' encodes one token per string and "
                "needs split=None; use 'multi_hot' or 'count' for split text."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise errors.JnetValueError(
                "TextVectorization: `idf_weights` is only valid with output_mode='tf_idf', "
                f"received output_mode={output_mode!r}."
            )
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise errors.JnetValueError(
                "TextVectorization: with output_mode='tf_idf', passing `vocabulary` needs "
                "`idf_weights` too."
            )
        for flag, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise errors.JnetValueError(
                    f"TextVectorization: {flag}=True needs TensorFlow tensors; jnet returns "
                    "dense NumPy arrays, so leave it False."
                )

        self.name = name or "text_vectorization"
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self.output_mode = output_mode
        self.output_sequence_length = (
            None if output_sequence_length is None else int(output_sequence_length)
        )
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.encoding = encoding
        self._has_input_vocabulary = vocabulary is not None
        self._tokens: list[str] | None = None
        self._index: dict[str, int] = {}
        self._idf: np.ndarray | None = None
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ----------------------------------------------------------------------- vocabulary

    @property
    def _token_start(self) -> int:
        return 2 if self.output_mode == "int" else 1

    @property
    def _oov_index(self) -> int:
        return 1 if self.output_mode == "int" else 0

    def _special_tokens(self) -> list[str]:
        return [_MASK_TOKEN, _OOV_TOKEN] if self.output_mode == "int" else [_OOV_TOKEN]

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """Returns the vocabulary; a token's position is its index in ``int`` output.

        Args:
            include_special_tokens: whether to include ``''`` and ``'[UNK]'`` first.
                Defaults to ``True``.

        Returns:
            A list of strings.

        Example:
            >>> TextVectorization(vocabulary=["earth", "wind"]).get_vocabulary()
            ['', '[UNK]', 'earth', 'wind']
        """
        tokens = list(self._tokens or [])
        return self._special_tokens() + tokens if include_special_tokens else tokens

    def vocabulary_size(self) -> int:
        """Returns the vocabulary's size, special tokens included.

        Example:
            >>> TextVectorization(vocabulary=["earth", "wind"]).vocabulary_size()
            4
        """
        return self._token_start + len(self._tokens or [])

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
        load_vocabulary(self, dir_path, integers=False)

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and, for ``tf_idf``, the IDF weights) instead of adapting.

        Args:
            vocabulary: a list/tuple/array of unique tokens, optionally starting with the
                special tokens (``''``, ``'[UNK]'`` in ``int`` mode; ``'[UNK]'`` otherwise), or
                the path of a text file holding one token per line.
            idf_weights: ``tf_idf`` mode only (and required there): one weight per entry of
                ``vocabulary``. Missing special-token weights are filled with their average.

        Example:
            >>> layer = TextVectorization()
            >>> layer.set_vocabulary(["", "[UNK]", "a", "b"])
            >>> layer(["b a c"])
            array([[3, 2, 1]])
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise errors.JnetValueError(
                "set_vocabulary: `idf_weights` must be set when output_mode='tf_idf'."
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise errors.JnetValueError(
                "set_vocabulary: `idf_weights` is only valid with output_mode='tf_idf', "
                f"received output_mode={self.output_mode!r}."
            )
        if isinstance(vocabulary, str):
            try:
                with open(vocabulary, encoding=self.encoding) as f:
                    vocabulary = f.read().splitlines()
            except OSError as e:
                raise errors.JnetValueError(
                    f"set_vocabulary: cannot read the vocabulary file {vocabulary!r}: {e}"
                ) from e
        terms = _strings_list(vocabulary, self.encoding, "vocabulary")
        if not terms:
            raise errors.JnetValueError("set_vocabulary: cannot set an empty vocabulary.")
        specials = self._special_tokens()
        found_specials = terms[: len(specials)] == specials
        tokens = terms[len(specials) :] if found_specials else terms
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise errors.JnetValueError(
                f"set_vocabulary: the vocabulary repeats {repeated}; every term must be unique."
            )
        if _MASK_TOKEN in tokens:
            raise errors.JnetValueError(
                "set_vocabulary: the padding token '' may only appear first; remove it or "
                f"start the vocabulary with exactly {specials}."
            )
        size = len(specials) + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise errors.JnetValueError(
                f"set_vocabulary: the vocabulary has {size} entries (special tokens included), "
                f"more than max_tokens={self.max_tokens}."
            )
        idf = None
        if idf_weights is not None:
            weights = np.asarray(idf_weights, dtype=np.float64)
            if weights.ndim != 1 or len(weights) != len(terms):
                raise errors.JnetValueError(
                    "set_vocabulary: `idf_weights` must be 1-D with one weight per vocabulary "
                    f"entry ({len(terms)}), received {errors.describe(weights)}."
                )
            front = 0 if found_specials else len(specials)
            back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
            idf = np.pad(weights, (front, back), constant_values=(np.average(weights), 0.0))
            idf = idf.astype(np.float32)
        self._set_tokens(tokens)
        self._idf = idf

    def _set_tokens(self, tokens: list[str]) -> None:
        self._tokens = list(tokens)
        self._index = {t: i + self._token_start for i, t in enumerate(self._tokens)}

    # ---------------------------------------------------------------------------- adapt

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learns the vocabulary (and IDF weights) from text, replacing any earlier one.

        Args:
            data: a list/tuple/array of strings (one document each), or any iterable of such
                batches (a generator, a ``tf.data.Dataset``).
            batch_size: accepted for Keras compatibility (unused).
            steps: the number of batches to read from an iterable. Defaults to ``None``: all.

        Example:
            >>> layer = TextVectorization(max_tokens=4)
            >>> layer.adapt(iter([["b a", "b"], ["c b a"]]))
            >>> layer.get_vocabulary()
            ['', '[UNK]', 'b', 'a']
        """
        del batch_size
        self.reset_state()
        if isinstance(data, list | tuple | np.ndarray | str | bytes) or _is_tensor(data):
            strings, _ = _string_array(data, self.encoding)
            if strings.ndim == 1:
                strings = strings[:, None]
            self._update(strings)
        elif isinstance(data, Iterable):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self._update(_string_array(batch, self.encoding)[0])
        else:
            raise errors.JnetTypeError(
                "adapt: `data` must be strings (a list or array) or an iterable of batches "
                f"of strings, received {errors.describe(data)}."
            )
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Adds one batch of strings to the counts that :meth:`finalize_state` turns into a
        vocabulary (``adapt`` calls both).

        Example:
            >>> layer = TextVectorization()
            >>> layer.update_state(["a b b"])
            >>> layer.finalize_state()
            >>> layer.get_vocabulary()
            ['', '[UNK]', 'b', 'a']
        """
        self._update(_string_array(data, self.encoding)[0])

    def _update(self, strings: np.ndarray) -> None:
        if self._has_input_vocabulary:
            raise errors.JnetValueError(
                "TextVectorization: cannot adapt a layer built with a `vocabulary` argument; "
                "create it without one, or call set_vocabulary() instead."
            )
        if self.split is None:
            tokens = self._standardize(strings)
            if tokens.ndim < 2:  # Keras: a rank-0/1 batch is a single document.
                tokens = tokens.reshape(1, -1)
            rows = [list(row) for row in tokens.reshape(tokens.shape[0], -1)]
        else:
            rows = self._rows(strings)
        for row in rows:
            self._counts.update(row)
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def finalize_state(self) -> None:
        """Builds the vocabulary from the counts gathered by :meth:`update_state`.

        Tokens are ordered by descending count, ties by descending token, then cut to
        ``max_tokens`` (special tokens included), as Keras's ``finalize_state``.
        """
        if self._has_input_vocabulary:
            return
        counts = self._counts
        for special in (_MASK_TOKEN, _OOV_TOKEN):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        tokens = [token for token, _ in ordered]
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            df = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1.0 + self._num_documents / (1.0 + df)).astype(np.float32)
            oov = np.mean(idf, dtype=np.float32) if idf.size else np.float32(0.0)
            back = self.max_tokens - self._token_start - idf.size if self.pad_to_max_tokens else 0
            self._idf = np.pad(idf, (self._token_start, back), constant_values=(oov, 0.0))
        self.reset_state()

    def reset_state(self) -> None:
        """Clears the counts gathered by :meth:`update_state` (the vocabulary stays)."""
        self._counts: collections.Counter[str] = collections.Counter()
        self._document_counts: collections.Counter[str] = collections.Counter()
        self._num_documents = 0

    # ----------------------------------------------------------------------------- call

    def __call__(self, inputs: Any) -> np.ndarray:
        """Vectorizes strings.

        Args:
            inputs: a string, a list/array of strings of shape ``(N,)`` or ``(N, 1)``, or (with
                ``split=None``) an array of strings of any shape.

        Returns:
            ``int`` mode: int64 indices of shape ``(N, T)`` (``(T,)`` for one string), padded
            with 0. Other modes: ``(N, depth)`` vectors (int64; float32 for ``tf_idf``).
        """
        if self._tokens is None:
            raise errors.JnetValueError(
                "TextVectorization has no vocabulary yet: call adapt(texts) or pass "
                "vocabulary= (or call set_vocabulary) before vectorizing."
            )
        strings, scalar = _string_array(inputs, self.encoding)
        if self.split is None:
            return self._encode_dense(self._standardize(strings))
        rows = self._rows(strings)
        ids = [[self._lookup(t) for t in row] for row in rows]
        if self.output_mode == "int":
            length = self.output_sequence_length
            if length is None:
                length = max((len(r) for r in ids), default=0)
            out = np.zeros((len(ids), length), dtype=np.int64)
            for i, row in enumerate(ids):
                row = row[:length]
                out[i, : len(row)] = row
        else:  # Keras drops the padding token '' from bag-of-words outputs.
            out = self._bag(ids, [[t == _MASK_TOKEN for t in row] for row in rows])
        return out[0] if scalar else out

    def _lookup(self, token: str) -> int:
        if token == _MASK_TOKEN and self.output_mode == "int":
            return 0
        return self._index.get(token, self._oov_index)

    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _bag(self, ids: Sequence[Sequence[int]], drop: Sequence[Sequence[bool]] = ()) -> np.ndarray:
        depth = self._depth()
        counts = np.zeros((len(ids), depth), dtype=np.int64)
        for i, row in enumerate(ids):
            skip = drop[i] if drop else ()
            for j, k in enumerate(row):
                if not (skip and skip[j]) and k < depth:
                    counts[i, k] += 1
        if self.output_mode == "multi_hot":
            return np.minimum(counts, 1)
        if self.output_mode == "tf_idf":
            return counts.astype(np.float32) * self._idf[:depth]
        return counts

    def _encode_dense(self, tokens: np.ndarray) -> np.ndarray:
        """Encodes unsplit strings: each string is one token, the last axis a document."""
        ids = np.vectorize(self._lookup, otypes=[np.int64])(tokens) if tokens.size else (
            np.zeros(tokens.shape, np.int64)
        )
        if self.output_mode == "int":
            length = self.output_sequence_length
            if length is None:
                return ids
            if ids.ndim < 2:
                raise errors.JnetValueError(
                    "TextVectorization: with split=None, output_sequence_length pads the last "
                    f"axis; pass inputs of shape (N, 1) or more, received shape {ids.shape} "
                    "(Keras would pad or cut the batch axis)."
                )
            ids = ids[..., :length]
            pad = [(0, 0)] * (ids.ndim - 1) + [(0, length - ids.shape[-1])]
            return np.pad(ids, pad)
        is_mask = tokens == _MASK_TOKEN
        if self.output_mode == "one_hot":
            if ids.ndim == 0:
                ids, is_mask = ids.reshape(1), is_mask.reshape(1)
            if ids.ndim > 1 and ids.shape[-1] == 1:
                ids, is_mask = ids[..., 0], is_mask[..., 0]
            depth = self._depth()
            one_hot = (ids[..., None] == np.arange(depth)) & ~is_mask[..., None]
            return one_hot.astype(np.int64)
        if ids.ndim < 2:
            return self._bag([ids.reshape(-1).tolist()], [is_mask.reshape(-1).tolist()])[0]
        lead = ids.shape[:-1]
        flat_ids = ids.reshape(-1, ids.shape[-1]).tolist()
        flat_mask = is_mask.reshape(-1, ids.shape[-1]).tolist()
        out = self._bag(flat_ids, flat_mask)
        return out.reshape(lead + (out.shape[-1],))

    # ------------------------------------------------------------------ preprocessing

    def _standardize(self, strings: np.ndarray) -> np.ndarray:
        mode = self.standardize
        if mode is None:
            return strings
        if callable(mode):
            result = mode(np.array(strings.tolist(), dtype=str).reshape(strings.shape))
            result, _ = _string_array(result, self.encoding)
            if result.shape != strings.shape:
                raise errors.JnetValueError(
                    f"TextVectorization: the `standardize` callable returned shape "
                    f"{result.shape} for inputs of shape {strings.shape}; it must keep the shape."
                )
            return result
        out = np.empty(strings.shape, dtype=object)
        flat_in, flat_out = strings.reshape(-1), out.reshape(-1)
        for i, s in enumerate(flat_in):
            if mode in ("lower", "lower_and_strip_punctuation"):
                s = s.translate(_LOWER)
            if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
                s = s.translate(_STRIP)
            flat_out[i] = s
        return out

    def _rows(self, strings: np.ndarray) -> list[list[str]]:
        """Standardizes and splits a batch of strings into one token list per string."""
        if strings.ndim > 1:
            if strings.shape[-1] != 1:
                raise errors.JnetValueError(
                    "TextVectorization: to split strings the input must have shape (N,) or "
                    f"(N, 1), received shape {strings.shape}."
                )
            strings = strings[..., 0]
        if strings.ndim > 1:
            raise errors.JnetValueError(
                "TextVectorization: to split strings the input must have shape (N,) or "
                f"(N, 1), received shape {strings.shape + (1,)}."
            )
        flat = self._standardize(strings).reshape(-1)
        if self.split == "whitespace":
            rows = [[t for t in _WHITESPACE.split(s) if t] for s in flat]
        elif self.split == "character":
            rows = [list(s) for s in flat]
        else:
            result = self.split(np.array(flat.tolist(), dtype=str))
            rows = _token_rows(result, self.encoding)
            if len(rows) != len(flat):
                raise errors.JnetValueError(
                    f"TextVectorization: the `split` callable returned {len(rows)} rows for "
                    f"{len(flat)} strings; it must return one list of tokens per string."
                )
        if self._ngrams is not None:
            rows = [_ngrams(row, self._ngrams) for row in rows]
        return rows

    # ------------------------------------------------------------------------- config

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments, with the current vocabulary (and IDF weights).

        Keras leaves an adapted vocabulary out of the config and saves it as an asset; jnet
        has no assets, so the config carries it and :meth:`from_config` restores it.

        Example:
            >>> TextVectorization(max_tokens=10).get_config()["max_tokens"]
            10
        """
        return {
            "name": self.name,
            "max_tokens": self.max_tokens,
            "standardize": self.standardize,
            "split": self.split,
            "ngrams": self.ngrams,
            "output_mode": self.output_mode,
            "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": False,
            "ragged": False,
            "vocabulary": None if self._tokens is None else self.get_vocabulary(),
            "idf_weights": (
                None if self._idf is None else self._idf[: self.vocabulary_size()].tolist()
            ),
            "encoding": self.encoding,
            "vocabulary_size": self.vocabulary_size(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TextVectorization:
        """Creates a layer from :meth:`get_config`'s dict.

        Example:
            >>> layer = TextVectorization(vocabulary=["a", "b"])
            >>> TextVectorization.from_config(layer.get_config()).get_vocabulary()
            ['', '[UNK]', 'a', 'b']
        """
        config = dict(config)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def __repr__(self) -> str:
        return (
            f"TextVectorization(output_mode={self.output_mode!r}, "
            f"vocabulary_size={self.vocabulary_size()})"
        )


def _check_choice(name: str, value: Any, valid: tuple[str, ...], allow_callable: bool,
                  allow_none: bool = True) -> None:
    if value is None and allow_none:
        return
    if allow_callable and callable(value):
        return
    if isinstance(value, str) and value in valid:
        return
    if isinstance(value, str):
        raise errors.unknown_identifier(f"TextVectorization {name}", value, valid)
    options = "a callable, " if allow_callable else ""
    raise errors.JnetTypeError(
        f"TextVectorization: `{name}` must be {options}None or one of {list(valid)}, "
        f"received {errors.describe(value)}."
    )


def _ngram_widths(ngrams: Any) -> tuple[int, ...] | None:
    def is_width(n: Any) -> bool:
        return isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 1

    if ngrams is None:
        return None
    if is_width(ngrams):
        return tuple(range(1, int(ngrams) + 1))
    if isinstance(ngrams, tuple) and ngrams and all(is_width(n) for n in ngrams):
        return tuple(int(n) for n in ngrams)
    raise errors.JnetValueError(
        "TextVectorization: `ngrams` must be None, a positive integer, or a tuple of positive "
        f"integers, received {ngrams!r}."
    )


def _ngrams(tokens: list[str], widths: tuple[int, ...]) -> list[str]:
    out = []
    for width in widths:
        out.extend(" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1))
    return out


def _is_tensor(value: Any) -> bool:
    return hasattr(value, "numpy") and hasattr(value, "shape") and hasattr(value, "dtype")


def _to_str(value: Any, encoding: str) -> str:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes | np.bytes_):
        return bytes(value).decode(encoding)
    raise errors.JnetTypeError(
        f"TextVectorization expects strings, received {errors.describe(value)}."
    )


def _string_array(value: Any, encoding: str) -> tuple[np.ndarray, bool]:
    """Returns ``value`` as an object array of ``str`` and whether it was a single string."""
    if _is_tensor(value) and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, str | bytes | np.str_ | np.bytes_):
        out = np.empty((1,), dtype=object)
        out[0] = _to_str(value, encoding)
        return out.reshape(()), True
    try:
        array = np.asarray(value, dtype=object)
    except ValueError as e:
        raise errors.JnetValueError(
            "TextVectorization expects a rectangular batch of strings (a list, or an array "
            f"of shape (N,) or (N, 1)), received {errors.describe(value)}."
        ) from e
    out = np.empty(array.shape, dtype=object)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    for i, item in enumerate(flat_in):
        if isinstance(item, list | tuple | np.ndarray):
            raise errors.JnetValueError(
                "TextVectorization expects a rectangular batch of strings (a list, or an "
                "array of shape (N,) or (N, 1)), received rows of different lengths."
            )
        flat_out[i] = _to_str(item, encoding)
    return out, array.ndim == 0


def _strings_list(value: Any, encoding: str, name: str) -> list[str]:
    if _is_tensor(value) and not isinstance(value, np.ndarray):
        value = value.numpy()
    array = np.asarray(value, dtype=object)
    if array.ndim != 1:
        raise errors.JnetValueError(
            f"TextVectorization: `{name}` must be a 1-D list of strings, received "
            f"{errors.describe(value)}."
        )
    return [_to_str(v, encoding) for v in array.tolist()]


def _token_rows(result: Any, encoding: str) -> list[list[str]]:
    if hasattr(result, "to_list"):  # a tf.RaggedTensor from tf.strings.split
        result = result.to_list()
    elif hasattr(result, "tolist"):
        result = result.tolist()
    try:
        return [[_to_str(t, encoding) for t in row] for row in result]
    except TypeError as e:
        raise errors.JnetTypeError(
            "TextVectorization: the `split` callable must return one list of string tokens "
            f"per input string, received {errors.describe(result)}."
        ) from e
