"""Mixed precision, as ``keras.mixed_precision``: the global policy's setters and getters
under their legacy names, the policy class (``DTypePolicy``, also ``Policy``) and
``LossScaleOptimizer``.

Under ``'mixed_float16'`` or ``'mixed_bfloat16'`` layers keep float32 variables and compute
in float16 / bfloat16; ``compile`` wraps the optimizer in a ``LossScaleOptimizer`` under
``'mixed_float16'``. Keras's advice holds: give the last layer ``dtype='float32'`` (an
``Activation('softmax', dtype='float32')``) so the outputs the loss reads are float32.

Example:
    >>> import jnet
    >>> jnet.mixed_precision.set_global_policy("mixed_bfloat16")
    >>> jnet.layers.Dense(4).compute_dtype
    'bfloat16'
    >>> jnet.mixed_precision.set_global_policy("float32")
"""

from jnet.config import dtype_policy as dtype_policy
from jnet.config import dtype_policy as global_policy
from jnet.config import set_dtype_policy as set_dtype_policy
from jnet.config import set_dtype_policy as set_global_policy
from jnet.dtype_policies import DTypePolicy as DTypePolicy
from jnet.dtype_policies import DTypePolicy as Policy
from jnet.optimizers import LossScaleOptimizer as LossScaleOptimizer

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
