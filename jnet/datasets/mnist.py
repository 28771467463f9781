"""MNIST handwritten digits (``keras.datasets.mnist``).

Example:
    >>> from jnet.datasets import mnist
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, x_train.dtype, y_test.shape  # doctest: +SKIP
    ((60000, 28, 28), dtype('uint8'), (10000,))
"""

from __future__ import annotations

import numpy as np

from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["load_data"]

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
_FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path: str = "mnist.npz") -> tuple[tuple[np.ndarray, np.ndarray],
                                                 tuple[np.ndarray, np.ndarray]]:
    """Loads MNIST: 60,000 28x28 grayscale digit images for training and 10,000 for testing.

    Downloaded once into Keras's cache (``~/.keras/datasets/mnist.npz``, checksum verified).

    Args:
        path: the file's name in the cache (relative to ``~/.keras/datasets``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` and
        ``(10000, 28, 28)`` with values 0-255, uint8 labels 0-9 ``(60000,)`` and ``(10000,)``.

    Example:
        >>> (x_train, y_train), _ = load_data()  # doctest: +SKIP
        >>> y_train[:5]  # doctest: +SKIP
        array([5, 0, 4, 1, 9], dtype=uint8)

    License: Yann LeCun and Corinna Cortes hold the copyright of MNIST, a derivative of NIST's
    data, available under the Creative Commons Attribution-Share Alike 3.0 license.
    """
    path = get_file(fname=path, origin=_ORIGIN, file_hash=_FILE_HASH)
    x_train, y_train, x_test, y_test = _readers.load_arrays(
        path, "x_train", "y_train", "x_test", "y_test"
    )
    return (x_train, y_train), (x_test, y_test)
