"""The metric base: pure ``init``/``update``/``compute`` over a state, or Keras's variables.

:class:`Metric` is the protocol every metric follows (Keras's ``keras/src/metrics/metric.py``).
A metric is written one of two ways, and both run standalone and inside ``fit``:

* **pure** (jnet's built-in metrics): ``init()``, ``update(state, ...)`` and
  ``compute(state)`` over a state pytree;
* **the Keras way**: ``self.add_variable(...)`` in ``__init__``, ``update_state(...)`` with
  ``variable.assign``/``assign_add``, ``result()`` and optionally ``reset_state()``. The base
  derives the pure functions from them (:mod:`jnet.metrics._stateful`): the state is the tuple
  of the variables' values, and ``update``/``compute`` run the subclass's code under a
  :class:`~jnet.variables.StatelessScope`, so ``fit`` compiles it.

Either way the state lives in :attr:`Metric.variables` (``jnet.Variable``\\ s) for the stateful
API, and ``stateless_update_state``/``stateless_result``/``stateless_reset_state`` (Keras's
JAX-backend names) take and return the variables' values. The reductions built on the base
are in :mod:`jnet.metrics._reduction`; see :mod:`jnet.metrics` for the overview.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors, initializers
from jnet.metrics import _stateful
from jnet.metrics._utils import _snake_case, _standardize_dtype
from jnet.variables import StatelessScope, Variable

__all__ = ["Metric"]

Array = jax.Array


class Metric:
    """Base class of metrics: a pure state (``init``/``update``/``compute``) or Keras's
    variables (``add_variable``/``update_state``/``result``).

    Written the Keras way, a subclass creates its variables in ``__init__`` with
    :meth:`add_variable`, accumulates in ``update_state(y_true, y_pred, sample_weight=None)``
    with ``variable.assign``/``assign_add``, and returns the value from ``result()``
    (:meth:`reset_state` zeroes every variable unless overridden). Written the pure way, it
    implements :meth:`init`, :meth:`update` and :meth:`compute`. Both are used alike:
    ``update_state``/``result``/``reset_state`` eagerly, ``compile(metrics=[...])`` in ``fit``.

    Args:
        name: the metric's name (its key in the training logs). Defaults to the snake-cased
            class name.
        dtype: the metric's computation dtype. Defaults to float32.

    Example:
        >>> import numpy as np
        >>> from jnet import ops
        >>> class Count(Metric):
        ...     def __init__(self, name="count", dtype=None):
        ...         super().__init__(name=name, dtype=dtype)
        ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.n.assign_add(ops.cast(ops.shape(y_true)[0], "float32"))
        ...     def result(self):
        ...         return self.n.value
        >>> m = Count()
        >>> m.update_state(np.zeros(3), np.zeros(3))
        >>> float(m.result()), float(m.result(m.update(m.init(), np.zeros(2), np.zeros(2))))
        (3.0, 2.0)
    """

    _pure_update: Any = None  # the update/compute a class implements itself (pure metrics)
    _pure_compute: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        if "update" in own:
            cls._pure_update = own["update"]
        elif "update_state" in own:
            cls.update = _stateful.update_through_hooks
        if "compute" in own:
            cls._pure_compute = own["compute"]
        elif "result" in own:
            cls.compute = _stateful.compute_through_hooks
        if "result" in own and not hasattr(own["result"], "_jnet_keras_result"):
            cls.result = _stateful.result_taking_state(own["result"])

    def __init__(self, name: str | None = None, dtype: Any = None):
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string; received {errors.describe(name)}."
            )
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = _standardize_dtype(dtype)
        self._variables: list[Variable] = []
        self._metrics: list[Metric] = []
        self._state_treedef: Any = None  # pure metrics: the state's structure, once stored

    def __setattr__(self, name: str, value: Any) -> None:
        # Keras tracks the metrics a metric holds: their variables are part of its own
        if isinstance(value, Metric) and "_metrics" in self.__dict__ and not self._is_pure():
            if not any(m is value for m in self._metrics):
                self._metrics.append(value)
        super().__setattr__(name, value)

    @classmethod
    def _is_pure(cls) -> bool:
        return cls._pure_update is not None

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise errors.JnetValueError(
                f"{type(self).__name__}: you forgot to call `super().__init__()` in the "
                "`__init__()` method of your Metric subclass. Go add it!"
            )

    def check_implemented(self) -> None:
        """Raises a clear error when the class implements no way to update or read itself
        (``compile`` calls this).

        Raises:
            JnetTypeError: for a subclass without ``update_state`` (or ``update``) or
                without ``result`` (or ``compute``).
        """
        self._check_super_called()
        cls = type(self)
        missing = []
        if cls._pure_update is None and cls.update is Metric.update:
            missing.append("update_state(self, y_true, y_pred, sample_weight=None)")
        if cls._pure_compute is None and cls.compute is Metric.compute:
            missing.append("result(self)")
        if missing:
            raise errors.JnetTypeError(
                f"Metric {self.name!r} ({cls.__name__}) does not implement "
                f"{' nor '.join(missing)}. A Metric subclass creates its variables with "
                "self.add_variable(...) in __init__, updates them in update_state() with "
                "variable.assign(...)/assign_add(...), and returns its value from result()."
            )

    # Keras's variables ----------------------------------------------------------------------

    def add_variable(self, shape: Any, initializer: Any, dtype: Any = None,
                     aggregation: str = "sum", name: str | None = None) -> Variable:
        """Creates a state variable, as Keras's ``Metric.add_variable``.

        Args:
            shape: the variable's shape (a tuple of ints; ``()`` for a scalar).
            initializer: an initializer, its name (``'zeros'``) or a callable.
            dtype: the variable's dtype. Defaults to None: ``floatx()``.
            aggregation: how it is combined across devices: ``'sum'`` (default), ``'mean'``,
                ``'none'``, ``'only_first_replica'``.
            name: the variable's name. Defaults to None: ``variable``, ``variable_1``, ...

        Returns:
            The non-trainable :class:`jnet.Variable`, tracked in :attr:`variables`.

        Example:
            >>> class Total(Metric):
            ...     def __init__(self):
            ...         super().__init__()
            ...         self.total = self.add_variable((), "zeros", name="total")
            >>> [v.name for v in Total().variables]
            ['total']
        """
        self._check_super_called()
        if self._is_pure():
            raise errors.JnetTypeError(
                f"{type(self).__name__} keeps a pure state (it implements update()); "
                "add_variable() is for metrics written the Keras way, with update_state() and "
                "result(). Subclass jnet.metrics.Metric directly."
            )
        variable = Variable(initializers.get(initializer), shape=shape, dtype=dtype,
                            trainable=False, aggregation=aggregation,
                            synchronization="on_read", name=name)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape: Any = (), initializer: Any = None, dtype: Any = None,
                   name: str | None = None) -> Variable:
        """Keras's older name for :meth:`add_variable` (``initializer`` None: zeros).

        Example:
            >>> class Total(Metric):
            ...     def __init__(self):
            ...         super().__init__()
            ...         self.total = self.add_weight(name="total")
            >>> Total().total.shape
            ()
        """
        return self.add_variable(shape=shape, initializer=initializer or "zeros", dtype=dtype,
                                 name=name)

    @property
    def variables(self) -> list[Variable]:
        """The state's Variables (with those of the metrics this one holds), in order."""
        if self._is_pure() and self._state_treedef is None:
            try:
                self.state = self.init()
            except errors.JnetValueError:  # a state that needs the data's shapes
                return []
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    def ensure_state_variables(self, state: Any) -> None:
        """Makes sure :attr:`variables` can hold ``state`` (a pure metric's Variables are made
        from its first state's shapes).

        Raises:
            JnetValueError: when ``state`` has another number of leaves than the variables.
        """
        leaves, treedef = jax.tree_util.tree_flatten(state)
        if self._is_pure():
            if self._state_treedef is None or treedef != self._state_treedef or any(
                np.shape(leaf) != v.shape for leaf, v in zip(leaves, self._variables, strict=True)
            ):
                self._variables, self._state_treedef = _stateful.state_variables(state)
            return
        if len(leaves) != len(self.variables):
            raise errors.JnetValueError(
                f"Metric {self.name!r} has {len(self.variables)} variables; received a state "
                f"of {len(leaves)} arrays. Pass the state its init() returned."
            )

    # Pure API -------------------------------------------------------------------------------

    def init(self) -> Any:
        """A fresh state (a pytree of arrays); needs no shapes (see :meth:`init_for`).

        For a metric written the Keras way: the variables' values after
        :meth:`reset_state`, as a tuple.
        """
        if self._is_pure():
            raise NotImplementedError(f"{type(self).__name__} must implement init().")
        self._check_super_called()
        return tuple(self.stateless_reset_state())

    def init_for(self, y_true: Any, y_pred: Any) -> Any:
        """A fresh state for batches shaped like these (static shapes only, never values).

        The same as :meth:`init` except for metrics whose state has one entry per class
        (:class:`R2Score`, :class:`FBetaScore`, multi-label :class:`AUC`) built without a
        class count; a training engine should call this with the first batch's shapes.
        """
        del y_true, y_pred
        return self.init()

    def update(self, state: Any, *args, **kwargs) -> Any:
        """The state after one batch. Pure and jit-able."""
        raise NotImplementedError(f"{type(self).__name__} must implement update(state, ...).")

    def compute(self, state: Any) -> Array:
        """The metric's value for ``state``."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute(state).")

    def merge(self, state_a: Any, state_b: Any) -> Any:
        """Combines two states (e.g. from two devices): the sum of their accumulators."""
        return jax.tree_util.tree_map(jnp.add, state_a, state_b)

    # Stateful (Keras) API -------------------------------------------------------------------

    @property
    def state(self) -> Any:
        """The state held in :attr:`variables` (read through a StatelessScope when one maps
        them); setting it assigns them."""
        if not self._is_pure():
            return tuple(v.value for v in self.variables)
        if self._state_treedef is None:
            self.state = self.init()
        return jax.tree_util.tree_unflatten(
            self._state_treedef, [v.value for v in self._variables]
        )

    @state.setter
    def state(self, value: Any) -> None:
        self.ensure_state_variables(value)
        for variable, leaf in zip(self.variables, jax.tree_util.tree_leaves(value), strict=True):
            variable.assign(leaf)

    def update_state(self, *args, **kwargs) -> None:
        """Accumulates one batch into the variables (Keras's ``update_state``)."""
        pure = type(self)._pure_update
        if pure is None:
            self.check_implemented()
            raise errors.JnetTypeError(
                f"{type(self).__name__}: Metric.update_state has nothing to update; the "
                "subclass's update_state() should assign its variables itself."
            )
        if self._state_treedef is None and len(args) >= 2:
            self.state = self.init_for(args[0], args[1])
        self.state = pure(self, self.state, *args, **kwargs)

    def result(self, state: Any = None) -> Array:
        """The value for ``state``, or for the variables' values when ``state`` is None."""
        if state is not None:
            return self.compute(state)
        pure = type(self)._pure_compute
        if pure is None:
            self.check_implemented()
            raise errors.JnetTypeError(
                f"{type(self).__name__}: Metric.result has nothing to read; the subclass's "
                "result() should compute the value from its variables."
            )
        return pure(self, self.state)

    def reset_state(self) -> None:
        """Zeroes every variable (keeping its shape), as Keras's ``reset_state``."""
        if self._is_pure() and self._state_treedef is None:
            return
        for variable in self.variables:
            variable.assign(jnp.zeros(variable.shape, variable.dtype))

    def stateless_update_state(self, metric_variables: Sequence[Any], *args, **kwargs) -> list:
        """Keras's JAX-backend ``stateless_update_state``: the variables' new values.

        Args:
            metric_variables: the values of :attr:`variables`, in order.
            *args, **kwargs: :meth:`update_state`'s arguments.

        Returns:
            A list of new values, one per variable; the Variables are unchanged.

        Example:
            >>> from jnet.metrics import Mean
            >>> m = Mean()
            >>> values = m.stateless_update_state(m.stateless_reset_state(), np.ones(4))
            >>> float(m.stateless_result(values)), float(m.result())
            (1.0, 0.0)
        """
        values = _stateful.check_length(self, metric_variables)
        state = self._state_from(values)
        return jax.tree_util.tree_leaves(self.update(state, *args, **kwargs))

    def stateless_result(self, metric_variables: Sequence[Any]) -> Any:
        """Keras's ``stateless_result``: :meth:`result` for the given variable values."""
        values = _stateful.check_length(self, metric_variables)
        return self.compute(self._state_from(values))

    def stateless_reset_state(self) -> list:
        """Keras's ``stateless_reset_state``: the variables' values after :meth:`reset_state`,
        the Variables unchanged."""
        if self._is_pure() and type(self).reset_state is Metric.reset_state:
            return [jnp.zeros(v.shape, v.dtype) for v in self.variables]
        variables = self.variables
        with StatelessScope() as scope:
            self.reset_state()
        new = [scope.get_current_value(v) for v in variables]
        return [v.value if n is None else n for v, n in zip(variables, new, strict=True)]

    def _state_from(self, values: list) -> Any:
        if self._is_pure():
            return jax.tree_util.tree_unflatten(self._state_treedef, values)
        return tuple(values)

    def __call__(self, *args, **kwargs) -> Array:
        """Keras's ``metric(...)``: :meth:`update_state`, then :meth:`result`."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        """The constructor arguments, as Keras serialises them."""
        return {"name": self.name, "dtype": str(self.dtype)}

    @classmethod
    def from_config(cls, config: Mapping) -> Metric:
        """Builds the metric from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
