"""``jnet.ops``: Keras 3's ``keras.ops`` on jax, every op jit-, grad- and vmap-able.

The families are modules of their own, as in Keras: :mod:`jnet.ops.numpy`, :mod:`jnet.ops.nn`,
:mod:`jnet.ops.linalg`, :mod:`jnet.ops.image`, and :mod:`jnet.ops.math` and
:mod:`jnet.ops.core` (whose names Keras exposes only at ``keras.ops``). Every name of
``numpy``, ``nn``, ``math`` and ``core`` is also here, at ``jnet.ops.<name>``, as in Keras
(``linalg`` names are also at ``jnet.ops.<name>``, as Keras exports them; ``image``
names are only in :mod:`jnet.ops.image`, as in Keras). An op called on
arrays computes; called on KerasTensors (between the layers of a functional model) it records
a node (see :mod:`jnet.ops._op`).

Example:
    >>> import jnet
    >>> jnet.ops.convert_to_tensor([1, 2]).dtype
    dtype('int32')
"""

from jnet.ops import _operators  # noqa: F401 - fills KerasTensor's operators
from jnet.ops import core as core
from jnet.ops import image as image
from jnet.ops import linalg as linalg
from jnet.ops import math as math
from jnet.ops import nn as nn
from jnet.ops import numpy as numpy
from jnet.ops.core import *  # noqa: F403
from jnet.ops.linalg import *  # noqa: F403
from jnet.ops.math import *  # noqa: F403
from jnet.ops.nn import *  # noqa: F403
from jnet.ops.numpy import *  # noqa: F403

__all__ = [
    "core", "image", "linalg", "math", "nn", "numpy",
    *core.__all__, *linalg.__all__, *numpy.__all__, *nn.__all__, *math.__all__,
]
