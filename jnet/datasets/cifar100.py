"""CIFAR-100 small images in 100 fine classes grouped in 20 coarse ones
(``keras.datasets.cifar100``).

Example:
    >>> from jnet.datasets import cifar100
    >>> (x_train, y_train), _ = cifar100.load_data(label_mode="coarse")  # doctest: +SKIP
    >>> x_train.shape, int(y_train.max())  # doctest: +SKIP
    ((50000, 32, 32, 3), 19)
"""

from __future__ import annotations

import os

import numpy as np

from jnet import errors
from jnet.datasets import _cifar, _readers

__all__ = ["load_data"]

_DIRNAME = "cifar-100-python-target"
_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode: str = "fine") -> tuple[tuple[np.ndarray, np.ndarray],
                                                  tuple[np.ndarray, np.ndarray]]:
    """Loads CIFAR-100: 50,000 32x32 color training images and 10,000 test images.

    The archive is downloaded once into Keras's cache (``~/.keras/datasets``, checksum
    verified) and extracted there; its batches are read without arbitrary unpickling.

    Args:
        label_mode: ``'fine'`` (100 classes) or ``'coarse'`` (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images ``(50000, 32, 32, 3)`` and
        ``(10000, 32, 32, 3)`` (channels first when ``jnet.config.image_data_format()`` is
        ``'channels_first'``), int64 labels ``(50000, 1)`` and ``(10000, 1)`` (as Keras's).

    Example:
        >>> _, (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> y_test.shape  # doctest: +SKIP
        (10000, 1)
    """
    if label_mode not in ("fine", "coarse"):
        raise errors.JnetValueError(
            '`label_mode` must be one of `"fine"`, `"coarse"`. '
            f"Received: label_mode={label_mode!r}."
        )
    folder = _cifar.batches_folder(_DIRNAME, _ORIGIN, _FILE_HASH, "cifar-100-python")
    key = f"{label_mode}_labels"
    x_train, y_train = _readers.load_cifar_batch(os.path.join(folder, "train"), key)
    x_test, y_test = _readers.load_cifar_batch(os.path.join(folder, "test"), key)
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    return ((_cifar.to_image_layout(x_train), y_train),
            (_cifar.to_image_layout(x_test), y_test))
