"""CIFAR-10 small images in 10 classes (``keras.datasets.cifar10``).

Classes: 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship,
9 truck.

Example:
    >>> from jnet.datasets import cifar10
    >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
"""

from __future__ import annotations

import os

import numpy as np

from jnet.datasets import _cifar, _readers

__all__ = ["load_data"]

_DIRNAME = "cifar-10-batches-py-target"
_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads CIFAR-10: 50,000 32x32 color training images and 10,000 test images, 10 classes.

    The archive is downloaded once into Keras's cache (``~/.keras/datasets``, checksum
    verified) and extracted there; its batches are read without arbitrary unpickling.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)`` (channels first when ``jnet.config.image_data_format()`` is
        ``'channels_first'``), uint8 labels 0-9 ``(50000, 1)`` and ``(10000, 1)``.

    Example:
        >>> (x_train, y_train), _ = load_data()  # doctest: +SKIP
        >>> x_train.dtype, y_train.dtype  # doctest: +SKIP
        (dtype('uint8'), dtype('uint8'))
    """
    folder = _cifar.batches_folder(_DIRNAME, _ORIGIN, _FILE_HASH, "cifar-10-batches-py")
    parts = [_readers.load_cifar_batch(os.path.join(folder, f"data_batch_{i}"))
             for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts]).astype("uint8")
    y_train = np.concatenate([np.asarray(y) for _, y in parts]).astype("uint8")
    x_test, y_test = _readers.load_cifar_batch(os.path.join(folder, "test_batch"))
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1)).astype(y_train.dtype)
    x_train, x_test = _cifar.to_image_layout(x_train), _cifar.to_image_layout(x_test)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
