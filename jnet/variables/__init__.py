"""Keras's ``keras.Variable`` and ``keras.StatelessScope`` (see :mod:`jnet.variables.variable`
for what a Variable does with ``jnet.ops`` and with ``jax.numpy``).

* :mod:`~jnet.variables.variable`: :class:`Variable`, the initializer-name hook;
* :mod:`~jnet.variables.scope`: :class:`StatelessScope`, the pure path for compiled code;
* :mod:`~jnet.variables._arrays`: conversions and Keras's operator arithmetic;
* :mod:`~jnet.variables._pytree`: a Variable as a pytree (its value the leaf), so a state of
  Variables goes through ``jax.jit`` and ``jax.grad`` as in Keras's JAX guides.

The package sits on floor 4: it imports ``jnet.errors``, ``jnet.config``, ``jnet._dtypes``
and ``jnet.utils`` only, so ``jnet.ops`` and everything above can use Variables.

Example:
    >>> from jnet.variables import Variable
    >>> v = Variable([1.0, 2.0], trainable=False)
    >>> v.trainable, (v + 1).tolist()
    (False, [2.0, 3.0])
"""

from jnet.variables import _pytree
from jnet.variables.scope import (
    AutocastScope,
    StatelessScope,
    get_autocast_scope,
    get_stateless_scope,
    in_stateless_scope,
)
from jnet.variables.variable import Variable, register_initializer_resolver, reset_names

_pytree.register(Variable)

__all__ = [
    "AutocastScope",
    "StatelessScope",
    "Variable",
    "get_autocast_scope",
    "get_stateless_scope",
    "in_stateless_scope",
    "register_initializer_resolver",
    "reset_names",
]
