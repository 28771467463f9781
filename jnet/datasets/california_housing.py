"""California housing prices from the 1990 census (``keras.datasets.california_housing``).

Example:
    >>> from jnet.datasets import california_housing
    >>> (x_train, y_train), _ = california_housing.load_data(version="small")  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (480, 8)
"""

from __future__ import annotations

import numpy as np

from jnet import errors
from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz"
_FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
_VERSIONS = ("small", "large")


def load_data(version: str = "large", path: str = "california_housing.npz",
              test_split: float = 0.2, seed: int = 113) -> tuple[tuple[np.ndarray, np.ndarray],
                                                                 tuple[np.ndarray, np.ndarray]]:
    """Loads the California housing dataset: 8 attributes of census block groups (median
    income, house age, rooms, bedrooms, population, occupancy, latitude, longitude) and their
    median house value in dollars.

    Samples are shuffled with ``np.random.RandomState(seed)`` and split as Keras does.

    Args:
        version: ``'large'`` (all 20,640 samples) or ``'small'`` (the first 600).
        path: the file's name in the cache (relative to ``~/.keras/datasets``).
        test_split: the fraction of the data kept as test set, in [0, 1).
        seed: the shuffling seed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float32 features ``(n, 8)`` and targets
        ``(n,)``.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, x_test.shape  # doctest: +SKIP
        ((16512, 8), (4128, 8))
    """
    _readers.check_test_split(test_split)
    if version not in _VERSIONS:
        raise errors.JnetValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version!r}"
        )
    path = get_file(path, origin=_ORIGIN, file_hash=_FILE_HASH)
    x, y = _readers.load_arrays(path, "x", "y")
    if version == "small":
        x, y = x[:600], y[:600]
    return _readers.shuffle_split(x, y, test_split, seed)
