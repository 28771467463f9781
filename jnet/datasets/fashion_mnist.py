"""Fashion-MNIST: Zalando's article images (``keras.datasets.fashion_mnist``).

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
8 Bag, 9 Ankle boot.

Example:
    >>> from jnet.datasets import fashion_mnist
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_test.shape  # doctest: +SKIP
    ((60000, 28, 28), (10000,))
"""

from __future__ import annotations

import os

import numpy as np

from jnet import errors
from jnet.datasets import _readers
from jnet.utils.file_utils import get_file

__all__ = ["load_data"]

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def _labels_and_images(labels_path: str, images_path: str) -> tuple[np.ndarray, np.ndarray]:
    labels = _readers.load_idx_gz(labels_path, header_bytes=8)
    pixels = _readers.load_idx_gz(images_path, header_bytes=16)
    if pixels.size != len(labels) * 28 * 28:
        raise errors.JnetValueError(
            f"{images_path} holds {pixels.size} pixels, expected {len(labels)} images of 28x28 "
            f"for the {len(labels)} labels of {labels_path}: a corrupted download? Delete both "
            "files to download them again."
        )
    return pixels.reshape(len(labels), 28, 28), labels


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads Fashion-MNIST: 60,000 28x28 grayscale images of 10 kinds of clothing for training,
    10,000 for testing.

    The four gzipped idx files are downloaded once into Keras's cache
    (``~/.keras/datasets/fashion-mnist/``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(60000, 28, 28)`` and
        ``(10000, 28, 28)`` with values 0-255, uint8 labels 0-9 ``(60000,)`` and ``(10000,)``.

    Example:
        >>> (x_train, y_train), _ = load_data()  # doctest: +SKIP
        >>> int(y_train.max())  # doctest: +SKIP
        9

    License: the copyright of Fashion-MNIST is held by Zalando SE, under the MIT license.
    """
    cache_subdir = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(name, origin=_BASE + name, cache_subdir=cache_subdir) for name in _FILES]
    x_train, y_train = _labels_and_images(paths[0], paths[1])
    x_test, y_test = _labels_and_images(paths[2], paths[3])
    return (x_train, y_train), (x_test, y_test)
