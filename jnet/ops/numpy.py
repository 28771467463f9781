"""``keras.ops.numpy``: Keras's NumPy-like ops on jax, in three private modules by concept.

* :mod:`jnet.ops._numpy_elementwise`: arithmetic, comparisons, logic, bitwise, math functions;
* :mod:`jnet.ops._numpy_reductions`: reductions, statistics, sorting and searching;
* :mod:`jnet.ops._numpy_arrays`: creation, shape manipulation, indexing and products.

Each module's ``__all__`` lists its names; they are all re-exported here and at ``jnet.ops``.
"""

from jnet.ops import _numpy_arrays, _numpy_elementwise, _numpy_reductions
from jnet.ops._numpy_arrays import *  # noqa: F403
from jnet.ops._numpy_elementwise import *  # noqa: F403
from jnet.ops._numpy_reductions import *  # noqa: F403

__all__ = [*_numpy_elementwise.__all__, *_numpy_reductions.__all__, *_numpy_arrays.__all__]
