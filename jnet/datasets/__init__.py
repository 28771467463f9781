"""Keras's small datasets (``keras.datasets``), read from and downloaded into Keras's cache.

Each ``load_data()`` returns the arrays Keras returns (dtypes, shapes, order), from the same
cache files (``$KERAS_HOME`` or ``~/.keras/datasets``: a machine that ran Keras downloads
nothing) or from the addresses Keras uses, with Keras's checksums, through
:func:`jnet.utils.get_file`. Pickled formats (CIFAR batches, IMDB and Reuters object arrays)
are read by a restricted unpickler that rebuilds numpy arrays and nothing else.

Example:
    >>> from jnet import datasets
    >>> (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()  # doctest: +SKIP
    >>> sorted(datasets.__all__)[:3]
    ['boston_housing', 'california_housing', 'cifar10']
"""

from jnet.datasets import boston_housing as boston_housing
from jnet.datasets import california_housing as california_housing
from jnet.datasets import cifar10 as cifar10
from jnet.datasets import cifar100 as cifar100
from jnet.datasets import fashion_mnist as fashion_mnist
from jnet.datasets import imdb as imdb
from jnet.datasets import mnist as mnist
from jnet.datasets import reuters as reuters

__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
