"""Keras's elementwise numpy ops (``keras.ops.numpy``), in private modules by concept:

* :mod:`jnet.ops._numpy_math`: float functions of one array (``sin``, ``exp``, ``log``,
  ``sqrt``, ``floor``...), integers giving ``floatx()``;
* :mod:`jnet.ops._numpy_unary`: dtype-keeping ops of one array (``abs``, ``sign``,
  ``round``, ``clip``, ``real``, ``nan_to_num``...);
* :mod:`jnet.ops._numpy_arithmetic`: arithmetic of two arrays (``add`` to ``power``,
  division, remainders, ``maximum``, ``arctan2``, ``hypot``, ``gcd``...);
* :mod:`jnet.ops._numpy_compare`: comparisons, ``isclose``/``allclose`` and the predicates
  (``isnan``, ``isfinite``...);
* :mod:`jnet.ops._numpy_logic`: ``logical_*``, ``where`` and ``select``;
* :mod:`jnet.ops._numpy_bitwise`: bitwise ops and shifts on integers.

What they share (Keras's result dtypes, broadcasting) is :mod:`jnet.ops._numpy_ufunc`. Each
module's ``__all__`` lists its names; they are all re-exported here.

Example:
    >>> import numpy as np
    >>> from jnet.ops import _numpy_elementwise as ew
    >>> ew.add(np.array([1, 2]), 0.5).tolist()
    [1.5, 2.5]
"""

from jnet.ops import (
    _numpy_arithmetic,
    _numpy_bitwise,
    _numpy_compare,
    _numpy_logic,
    _numpy_math,
    _numpy_unary,
)
from jnet.ops._numpy_arithmetic import *  # noqa: F403
from jnet.ops._numpy_bitwise import *  # noqa: F403
from jnet.ops._numpy_compare import *  # noqa: F403
from jnet.ops._numpy_logic import *  # noqa: F403
from jnet.ops._numpy_math import *  # noqa: F403
from jnet.ops._numpy_unary import *  # noqa: F403

__all__ = [
    *_numpy_math.__all__,
    *_numpy_unary.__all__,
    *_numpy_arithmetic.__all__,
    *_numpy_compare.__all__,
    *_numpy_logic.__all__,
    *_numpy_bitwise.__all__,
]
