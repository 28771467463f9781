"""Keras's numpy array creation, shape manipulation, indexing and products
(``keras.ops.numpy``), in private modules by concept, re-exported here:

* :mod:`jnet.ops._numpy_creation`: ``zeros``, ``ones``, ``full``, ``eye``, ``arange``,
  ``linspace``, ``meshgrid``, ``tri``, ``vander``, ...;
* :mod:`jnet.ops._numpy_windows`: ``bartlett``, ``blackman``, ``hamming``, ``hanning``,
  ``kaiser``;
* :mod:`jnet.ops._numpy_shape`: ``reshape``, ``transpose``, ``moveaxis``, ``flip``,
  ``pad``, ``tile``, ...;
* :mod:`jnet.ops._numpy_join`: ``concatenate``, ``stack``, ``append``, ``split``, ...;
* :mod:`jnet.ops._numpy_indexing`: ``get_item``, ``take``, ``take_along_axis``,
  ``diagonal``, ``tril``, ...;
* :mod:`jnet.ops._numpy_products`: ``matmul``, ``dot``, ``einsum``, ``tensordot``,
  ``trace``, ``slogdet``, ...;
* :mod:`jnet.ops._numpy_vectorize`: ``vectorize``.
"""

from jnet.ops import (
    _numpy_creation,
    _numpy_indexing,
    _numpy_join,
    _numpy_products,
    _numpy_shape,
    _numpy_vectorize,
    _numpy_windows,
)
from jnet.ops._numpy_creation import *  # noqa: F403
from jnet.ops._numpy_indexing import *  # noqa: F403
from jnet.ops._numpy_join import *  # noqa: F403
from jnet.ops._numpy_products import *  # noqa: F403
from jnet.ops._numpy_shape import *  # noqa: F403
from jnet.ops._numpy_vectorize import *  # noqa: F403
from jnet.ops._numpy_windows import *  # noqa: F403

__all__ = sorted([
    *_numpy_creation.__all__,
    *_numpy_indexing.__all__,
    *_numpy_join.__all__,
    *_numpy_products.__all__,
    *_numpy_shape.__all__,
    *_numpy_vectorize.__all__,
    *_numpy_windows.__all__,
])
