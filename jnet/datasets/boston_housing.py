"""Boston housing prices (``keras.datasets.boston_housing``).

Example:
    >>> from jnet.datasets import boston_housing
    >>> (x_train, y_train), (x_test, y_test) = boston_housing.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_test.shape  # doctest: +SKIP
    ((404, 13), (102, 13))
"""

from __future__ import annotations

import numpy as np

from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
_FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2,
              seed: int = 113) -> tuple[tuple[np.ndarray, np.ndarray],
                                        tuple[np.ndarray, np.ndarray]]:
    """Loads the Boston housing dataset: 13 attributes of houses in the late 1970s, and their
    median value in thousands of dollars.

    Samples are shuffled with ``np.random.RandomState(seed)`` and split as Keras does.

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).
        test_split: the fraction of the data kept as test set, in [0, 1).
        seed: the shuffling seed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: features ``(n, 13)`` and targets
        ``(n,)``.

    Example:
        >>> (x_train, y_train), _ = load_data(test_split=0.1)  # doctest: +SKIP

    The dataset has an ethical problem (a feature built on the assumption that racial
    self-segregation affects house prices); Keras keeps it for reproducing old results only.
    """
    _readers.check_test_split(test_split)
    path = get_file(path, origin=_ORIGIN, file_hash=_FILE_HASH)
    x, y = _readers.load_arrays(path, "x", "y")
    return _readers.shuffle_split(x, y, test_split, seed)
