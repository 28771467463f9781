"""IMDB movie reviews, sentiment-labelled (``keras.datasets.imdb``).

Reviews are sequences of word indices; a word's index is its frequency rank (3 is the third
most frequent word), shifted by ``index_from``.

Example:
    >>> from jnet.datasets import imdb
    >>> (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=10000)  # doctest: +SKIP
    >>> len(x_train), x_train[0][:3]  # doctest: +SKIP
    (25000, [1, 194, 1153])
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from jnet import errors
from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["get_word_index", "load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3, **kwargs: Any) -> tuple:
    """Loads the IMDB dataset: 25,000 training and 25,000 test reviews labelled by sentiment
    (0 negative, 1 positive).

    The file is downloaded once into Keras's cache (``~/.keras/datasets/imdb.npz``, checksum
    verified). Its reviews are object arrays, read without arbitrary unpickling.

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).
        num_words: keep the ``num_words`` most frequent words (others become ``oov_char``);
            None keeps all.
        skip_top: the most frequent words to skip (they become ``oov_char``), e.g. "the".
        maxlen: keep only reviews shorter than this; None keeps all.
        seed: the seed of the reviews' shuffle.
        start_char: the index marking a review's start (0 is padding); None for no marker.
        oov_char: the index that replaces cut-out words; None drops them instead.
        index_from: the shift added to every word index.
        **kwargs: accepted for Keras's signature; any given is an error.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints ``(25000,)``
        and integer labels ``(25000,)`` (fewer with ``maxlen``).

    Raises:
        JnetValueError: ``maxlen`` keeps no review.

    Example:
        >>> (x_train, _), _ = load_data(num_words=5000, maxlen=100)  # doctest: +SKIP
        >>> max(max(x) for x in x_train) < 5000  # doctest: +SKIP
        True
    """
    if kwargs:
        raise errors.JnetTypeError(
            f"imdb.load_data: unexpected keyword arguments {sorted(kwargs)}; it takes path, "
            "num_words, skip_top, maxlen, seed, start_char, oov_char, index_from."
        )
    path = get_file(fname=path, origin=f"{_BASE}imdb.npz", file_hash=_FILE_HASH)
    f = _readers.load_npz(path)
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]

    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]

    x_train = _readers.encode_sequences(x_train, start_char, index_from)
    x_test = _readers.encode_sequences(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = _readers.remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = _readers.remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise errors.JnetValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                "kept. Increase maxlen."
            )
    xs = _readers.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(x_train)
    return ((np.array(xs[:idx], dtype="object"), labels[:idx]),
            (np.array(xs[idx:], dtype="object"), labels[idx:]))


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """The word -> index dictionary of the IMDB dataset (indices before ``index_from``).

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).

    Returns:
        The dictionary: words are keys, their frequency ranks are values.

    Example:
        >>> word_index = get_word_index()  # doctest: +SKIP
        >>> word_index["the"]  # doctest: +SKIP
        1
    """
    path = get_file(fname=path, origin=f"{_BASE}imdb_word_index.json",
                    file_hash=_WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)
