"""The type aliases of jnet's public signatures: what a Keras argument accepts, by name.

Keras's arguments take several forms (``activation='relu'`` or a callable, an initializer's
name, config dict or object, ...); these aliases say so in one word in ``help()``, in the
documentation site and to a type checker. They import nothing from jnet (the objects that an
argument may be are written as ``Any`` where naming their class would point up the floors).

Example:
    >>> from jnet import _typing
    >>> _typing.Activation
    str | collections.abc.Callable[..., typing.Any] | None
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = [
    "Activation",
    "ArrayLike",
    "Constraint",
    "Initializer",
    "LossArgument",
    "MetricsArgument",
    "OptimizerArgument",
    "Regularizer",
    "Shape",
]

#: An activation: its name (``'relu'``), a callable ``x -> y``, or None (linear).
Activation = str | Callable[..., Any] | None
#: An initializer: its name (``'glorot_uniform'``), its config dict, an
#: :class:`jnet.initializers.Initializer` or a callable ``(shape, dtype) -> array``.
Initializer = str | Mapping[str, Any] | Callable[..., Any]
#: A weight penalty: its name (``'l2'``), config dict, a :class:`jnet.regularizers.Regularizer`,
#: a callable ``weights -> scalar``, or None.
Regularizer = str | Mapping[str, Any] | Callable[..., Any] | None
#: A weight constraint: its name (``'non_neg'``), config dict, a
#: :class:`jnet.constraints.Constraint`, a callable ``weights -> weights``, or None.
Constraint = str | Mapping[str, Any] | Callable[..., Any] | None
#: An array: numpy, JAX, or anything ``np.asarray`` takes (nested lists, scalars).
ArrayLike = Any
#: A shape without the batch axis; None for a size known only at call time.
Shape = Sequence[int | None]
#: ``compile(optimizer=)``: a name (``'adam'``), a :class:`jnet.optimizers.Optimizer`, its
#: config dict, or an optax ``GradientTransformation``.
OptimizerArgument = str | Mapping[str, Any] | Any
#: ``compile(loss=)``: a name, a :class:`jnet.losses.Loss`, a callable
#: ``(y_true, y_pred) -> losses``, or, for several outputs, a list or dict of those.
LossArgument = str | Callable[..., Any] | Sequence[Any] | Mapping[str, Any] | None
#: ``compile(metrics=)``: a list of metric names, :class:`jnet.metrics.Metric` objects or
#: callables; for several outputs, a list or dict of such lists.
MetricsArgument = Sequence[Any] | Mapping[str, Any] | None
