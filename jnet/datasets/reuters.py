"""Reuters newswires classified in 46 topics (``keras.datasets.reuters``).

Newswires are sequences of word indices, as in :mod:`jnet.datasets.imdb`.

Example:
    >>> from jnet.datasets import reuters
    >>> reuters.get_label_names()[:3]
    ('cocoa', 'grain', 'veg-oil')
"""

from __future__ import annotations

import json

import numpy as np

from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["get_label_names", "get_word_index", "load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",)


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2,
              index_from: int = 3) -> tuple:
    """Loads the Reuters newswire dataset: 11,228 newswires labelled with one of 46 topics.

    The file is downloaded once into Keras's cache (``~/.keras/datasets/reuters.npz``, checksum
    verified). Its newswires are object arrays, read without arbitrary unpickling. They are
    shuffled with ``np.random.RandomState(seed)`` and split as Keras does.

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).
        num_words: keep the ``num_words`` most frequent words (others become ``oov_char``);
            None keeps all.
        skip_top: the most frequent words to skip (they become ``oov_char``).
        maxlen: keep only newswires shorter than this; None keeps all.
        test_split: the fraction of the data kept as test set.
        seed: the shuffling seed.
        start_char: the index marking a newswire's start (0 is padding); None for no marker.
        oov_char: the index that replaces cut-out words; None drops them instead.
        index_from: the shift added to every word index.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints and integer
        topic labels 0-45 (8,982 and 2,246 with the defaults).

    Example:
        >>> (x_train, y_train), _ = load_data(num_words=10000)  # doctest: +SKIP
        >>> len(x_train)  # doctest: +SKIP
        8982
    """
    path = get_file(fname=path, origin=f"{_BASE}reuters.npz", file_hash=_FILE_HASH)
    f = _readers.load_npz(path)
    xs, labels = f["x"], f["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    xs = _readers.encode_sequences(xs, start_char, index_from)
    if maxlen:
        xs, labels = _readers.remove_long_seq(maxlen, xs, labels)
    xs = _readers.limit_vocabulary(xs, num_words, skip_top, oov_char)
    idx = int(len(xs) * (1 - test_split))
    return ((np.array(xs[:idx], dtype="object"), np.array(labels[:idx])),
            (np.array(xs[idx:], dtype="object"), np.array(labels[idx:])))


def get_word_index(path: str = "reuters_word_index.json") -> dict[str, int]:
    """The word -> index dictionary of the Reuters dataset (indices before ``index_from``).

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).

    Returns:
        The dictionary: words are keys, their frequency ranks are values.

    Example:
        >>> word_index = get_word_index()  # doctest: +SKIP
    """
    path = get_file(path, origin=f"{_BASE}reuters_word_index.json",
                    file_hash=_WORD_INDEX_HASH)
    with open(path) as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names of the Reuters dataset, by label.

    Returns:
        A tuple of strings: ``get_label_names()[y]`` names label ``y``.

    Example:
        >>> len(get_label_names()), get_label_names()[3]
        (46, 'earn')
    """
    return _LABEL_NAMES
