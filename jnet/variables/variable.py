"""``jnet.Variable``: Keras's ``keras.Variable``, a named, mutable holder of one jax array.

A Variable holds a value (a jax array of a fixed shape and dtype) that ``assign``,
``assign_add`` and ``assign_sub`` replace. It is made from an array-like, or from a callable
``initializer(shape, dtype)`` (Keras's initializers) or ``initializer(key, shape, dtype)``
(jnet's and ``jax.nn.initializers``; the key comes from jnet's seed stream,
:func:`jnet.utils.set_random_seed`), or from an initializer's name (``'zeros'``) once
``jnet.initializers`` is imported (it registers itself through
:func:`register_initializer_resolver`; ``import jnet`` does that).

It behaves as its value wherever Keras's Variable does: every ``jnet.ops`` function takes it
(``jnet.ops`` converts it to its value), and its arithmetic, comparison and unary operators,
indexing, ``numpy()``, ``np.asarray``, ``int``/``float``, ``round``, iteration and ``len`` give
what Keras gives (operators with Keras's dtype promotion; ``&``, ``|``, ``^`` are logical). As
Keras's, a Variable is not hashable (``==`` is elementwise) and cannot be used as a bool.

**With jax** (jax 0.10 no longer calls ``__jax_array__`` while it abstracts an argument):

* accepted, eagerly and under ``jax.jit`` (as a closure constant, or through a
  :class:`~jnet.variables.StatelessScope` mapping): ``jnp.asarray(v)``, ``jnp.array(v)``,
  ``jnp.stack``/``jnp.concatenate`` of a list of Variables, ``jnp.shape(v)``/``jnp.ndim(v)``,
  and a jax array's operators with a Variable on the right (``x + v``: jax's own promotion,
  not Keras's). NumPy takes it too (``np.asarray(v)``, ``np.sum(v)``: NumPy results), and a
  NumPy array's operators hand over to the Variable's (``np_array + v`` is a jax array);
* refused, eagerly as well as under tracing: any other ``jax.numpy``, ``jax.nn``, ``jax.lax``
  function given the Variable itself (``jnp.sin(v)``, ``jnp.sum(v)``, ``jnp.where(c, v, 0)``,
  ``jax.nn.relu(v)``) and a Variable as an index of a jax array (``x[v]``). ``jnp.zeros_like(v)``
  and the other ``*_like`` raise ``ValueError: Could not convert <Variable ...> to a NumPy
  dtype`` (the Variable's dtype is Keras's string, which jax does not read there);
* a pytree (:mod:`jnet.variables._pytree`): a Variable passed to ``jax.jit``, ``jax.grad``,
  ``jax.vmap`` or ``jax.device_put`` is its value, and comes back (in the outputs, the
  gradients) as a plain Variable holding the new leaf; read it with ``.value``.

The workaround is ``v.value`` (or ``jnp.asarray(v)``): ``jnp.sin(v.value)``, or
``jax.jit(f)(v.value)``. ``jnet.ops`` functions need none of it: ``jnet.ops.sin(v)`` works.

For compiled code a Variable stays pure through :class:`~jnet.variables.StatelessScope`:
inside it ``v.value`` reads a given value (a tracer under ``jax.jit``) and ``assign`` writes
into the scope instead of the Variable. Outside a scope, assigning a traced value is refused
(it would leak the tracer out of the trace).

One concept, one file (about 630 lines): the Variable, its value (own, scoped, or bound to
a model's state) and the operator surface Keras gives it, which must live on the class.

Example:
    >>> import numpy as np
    >>> from jnet.variables import Variable
    >>> v = Variable(np.ones((2, 2), "float32"), name="w")
    >>> v
    <Variable path=w, shape=(2, 2), dtype=float32, value=[[1. 1.]
     [1. 1.]]>
    >>> _ = v.assign_add(np.ones((2, 2)))
    >>> (v * 2).tolist(), (v + 1).dtype, v[0].tolist()
    ([[4.0, 4.0], [4.0, 4.0]], dtype('float32'), [2.0, 2.0])
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.utils import random as jnet_random
from jnet.variables._arrays import binary, is_operand, round_value, to_array, unwrap
from jnet.variables.scope import (
    get_autocast_scope,
    get_stateless_scope,
    register_uninitialized,
)

__all__ = ["Variable", "register_initializer_resolver", "reset_names"]

_AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")
_SYNCHRONIZATIONS = (None, "none", "on_read", "on_write", "auto")
_NAME_UIDS: dict[str, int] = {}
_RESOLVER: list[Callable[[str], Any]] = []


def register_initializer_resolver(resolver: Callable[[str], Any] | None) -> None:
    """Sets the function that turns an initializer's name into an initializer for
    ``Variable('zeros', shape=...)`` (``jnet.initializers`` registers its ``get``; the
    Variable sits below it and cannot import it). None removes it.

    Example:
        >>> import jnet  # jnet.initializers registers its get() here
        >>> Variable("ones", shape=(2,)).numpy()
        array([1., 1.], dtype=float32)
    """
    _RESOLVER[:] = [] if resolver is None else [resolver]


def reset_names() -> None:
    """Restarts Keras's automatic names (``variable``, ``variable_1``, ...) from the start,
    as ``keras.backend.clear_session`` does."""
    _NAME_UIDS.clear()


def _auto_name(cls: type) -> str:
    base = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls.__name__)
    base = re.sub(r"([a-z])([A-Z])", r"\1_\2", base).lower()
    count = _NAME_UIDS.get(base, 0)
    _NAME_UIDS[base] = count + 1
    return f"{base}_{count}" if count else base


def _standardize_shape(shape: Any) -> tuple[int, ...]:
    # Keras's standardize_shape, with no unknown (None) dimension allowed
    if not isinstance(shape, tuple | list):
        if shape is None:
            raise errors.JnetValueError("Undefined shapes are not supported.")
        if not hasattr(shape, "__iter__"):
            raise errors.JnetValueError(
                f"Cannot convert '{shape}' to a shape: `shape` must be a tuple of "
                "non-negative integers, such as (3,) or (2, 4)."
            )
    dims = []
    for d in shape:
        if d is None:
            raise errors.JnetValueError(
                "Shapes used to initialize variables must be fully-defined (no `None` "
                f"dimensions). Received: shape={tuple(shape)}"
            )
        if isinstance(d, str | float | bool):
            raise errors.JnetValueError(
                f"Cannot convert '{tuple(shape)}' to a shape. Found invalid dimension "
                f"'{d}' of type '{type(d)}'."
            )
        try:
            d = int(d)
        except (TypeError, ValueError) as e:
            raise errors.JnetValueError(
                f"Cannot convert '{tuple(shape)}' to a shape. Found invalid dimension "
                f"'{d}' of type '{type(d)}'."
            ) from e
        if d < 0:
            raise errors.JnetValueError(
                f"Cannot convert '{tuple(shape)}' to a shape. Negative dimensions are not "
                "allowed."
            )
        dims.append(d)
    return tuple(dims)


def _takes_key(initializer: Callable[..., Any]) -> bool:
    try:
        return "key" in inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        return False


def _is_tracer(x: Any) -> bool:
    return isinstance(x, jax.core.Tracer)


def _binary_operator(name: str, reflected: bool = False) -> Callable[[Variable, Any], Any]:
    def operator(self: Variable, other: Any) -> Any:
        if not is_operand(other):
            return NotImplemented
        return binary(name, other, self) if reflected else binary(name, self, other)

    operator.__doc__ = (f"``keras.ops.{name}(other, self)``" if reflected
                        else f"``keras.ops.{name}(self, other)``")
    return operator


class Variable:
    """A named, mutable holder of one array (``keras.Variable``).

    Args:
        initializer: the initial value: an array-like (its dtype is the Variable's unless
            ``dtype`` is given), a callable ``initializer(shape, dtype)`` or
            ``initializer(key, shape, dtype)`` (jnet's and ``jax.nn``'s initializers), or an
            initializer's name such as ``'zeros'``.
        shape: the shape (a tuple of non-negative ints). Required with a callable
            initializer; with an array it must be the array's shape. Defaults to None.
        dtype: the dtype. Defaults to None: the array's dtype, or ``floatx()`` for a
            callable (64-bit dtypes are held as 32-bit, as on Keras's JAX backend).
        trainable: whether an optimizer should train it. Defaults to True.
        autocast: whether a mixed-precision layer may cast it to its compute dtype when
            read. Defaults to True.
        aggregation: how a distributed variable is aggregated: ``'none'``, ``'mean'``,
            ``'sum'``, ``'only_first_replica'`` (or None). Defaults to ``'none'``.
        synchronization: ``'auto'``, ``'none'``, ``'on_read'``, ``'on_write'`` (or None).
            Defaults to ``'auto'``.
        name: the name, without ``/``. Defaults to None: ``variable``, ``variable_1``, ...
        layout: a sharding layout, kept for Keras compatibility. Defaults to None.

    Raises:
        JnetValueError: for a callable initializer without ``shape``, a bad shape, name,
            aggregation or synchronization, or an array initializer inside a
            :class:`~jnet.variables.StatelessScope`.

    Example:
        >>> import numpy as np
        >>> v = Variable(lambda shape, dtype: np.full(shape, 0.5), shape=(3,), name="bias")
        >>> v.shape, v.dtype, v.name, v.trainable
        ((3,), 'float32', 'bias', True)
        >>> v.assign([1.0, 2.0, 3.0])
        Array([1., 2., 3.], dtype=float32)
        >>> float(v[1]), (v > 1.5).tolist()
        (2.0, [False, True, True])
    """

    _JNET_IS_VARIABLE = True
    __array_priority__ = 100  # numpy defers `np_array + v` to the Variable's __radd__
    __hash__ = None  # as Keras's: == is elementwise

    def __init__(self, initializer: Any, shape: Any = None, dtype: Any = None,
                 trainable: bool = True, autocast: bool = True, aggregation: str = "none",
                 synchronization: str = "auto", name: str | None = None, layout: Any = None,
                 **kwargs: Any):
        if kwargs:
            raise errors.JnetTypeError(
                f"Variable() got unexpected keyword argument(s) {sorted(kwargs)}. Its "
                "arguments are initializer, shape, dtype, trainable, autocast, aggregation, "
                "synchronization, name, layout."
            )
        name = name or _auto_name(type(self))
        if not isinstance(name, str) or "/" in name:
            raise errors.JnetValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        if aggregation not in _AGGREGATIONS:
            raise errors.JnetValueError(
                "Invalid value for argument `aggregation`. Expected one of `None`, `'none'`, "
                f"`'mean'`, `'sum'`, `'only_first_replica'`. Received: aggregation={aggregation}"
            )
        if synchronization not in _SYNCHRONIZATIONS:
            raise errors.JnetValueError(
                "Invalid value for argument `synchronization`. Expected one of `None`, "
                "`'none'`, `'on_read'`, `'on_write'`, `'auto'`. "
                f"Received: synchronization={synchronization}"
            )
        self._name = name
        self._path = name
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._aggregation = aggregation or "none"
        self._synchronization = synchronization or "none"
        self._layout = layout
        self._regularizer = None
        self._constraint = None
        self._overwrite_with_gradient = False
        self._initializer = None
        self._value: jax.Array | None = None
        self._source: Any = None  # see bind_source

        if isinstance(initializer, str):
            initializer = self._resolve(initializer)
        if callable(initializer):
            if shape is None:
                raise errors.JnetValueError(
                    "When creating a Variable from an initializer, the `shape` argument "
                    f"should be specified. Received: initializer={initializer} and shape=None"
                )
            self._shape = _standardize_shape(shape)
            self._dtype = _dtypes.result_type(_dtypes.standardize_dtype(dtype))
            if get_stateless_scope() is not None:
                self._initializer = initializer
                register_uninitialized(self)
            else:
                self._value = self._initial_value(initializer)
        else:
            if get_stateless_scope() is not None:
                raise errors.JnetValueError(
                    "You are attempting to create a variable while in a stateless scope. "
                    "This is disallowed. Make sure that all variables are created before you "
                    "start using your layer/model objects (or create it from a callable "
                    "initializer and a `shape`, which is initialized when the scope exits)."
                )
            value = to_array(initializer, dtype)
            if _is_tracer(value):
                raise errors.JnetValueError(
                    f"Variable {name!r} was given a traced value (inside jax.jit, grad or "
                    "vmap) as its initializer: the Variable would outlive the trace. Create "
                    "it outside the compiled function."
                )
            if shape is not None and _standardize_shape(shape) != tuple(value.shape):
                raise errors.JnetValueError(
                    f"Variable {name!r}: the initial value has shape {tuple(value.shape)}, "
                    f"but shape={tuple(shape)} was given. Drop `shape` or pass a value of "
                    "that shape."
                )
            self._value = value
            self._shape = tuple(value.shape)
            self._dtype = _dtypes.standardize_dtype(value.dtype)
        self._ndim = len(self._shape)

    # -- creation ------------------------------------------------------------------------

    def _resolve(self, identifier: str) -> Any:
        if not _RESOLVER:
            raise errors.JnetValueError(
                f"Variable {self._name!r}: the initializer name {identifier!r} needs "
                "jnet.initializers, which is not imported yet: `import jnet` first, or pass "
                "an initializer object or a callable (shape, dtype)."
            )
        return _RESOLVER[0](identifier)

    def _initial_value(self, initializer: Callable[..., Any]) -> jax.Array:
        if _takes_key(initializer):
            value = initializer(jnet_random.next_key(), self._shape, self._dtype)
        else:
            value = initializer(self._shape, dtype=self._dtype)
        value = to_array(value, self._dtype)
        if tuple(value.shape) != self._shape:
            raise errors.JnetValueError(
                f"The initializer of Variable {self._name!r} returned an array of shape "
                f"{tuple(value.shape)}; expected shape={self._shape}."
            )
        return value

    def _deferred_initialize(self) -> None:
        if self._value is not None:
            raise errors.JnetValueError(f"Variable {self.path} is already initialized.")
        if get_stateless_scope() is not None:
            raise errors.JnetValueError(
                "You are attempting to initialize a variable while in a stateless scope. "
                "This is disallowed. Make sure that all variables are initialized before you "
                "start using your layer/model objects."
            )
        with jax.ensure_compile_time_eval():  # the scope may exit inside a trace
            self._value = self._initial_value(self._initializer)
        self._initializer = None

    # -- value and updates ---------------------------------------------------------------

    def bind_source(self, source: Any) -> None:
        """Makes ``source`` the holder of this Variable's value while it has one (a model
        holding the layer of this Variable: the model's state is the truth).

        ``source.read()`` returns the value, or None when the source holds none (the
        Variable then reads its own); ``source.write(value)`` stores an assigned value and
        returns whether it did. Outside a :class:`~jnet.variables.StatelessScope`, reads and
        assignments go through the source (assignments are kept in the Variable too). None
        unbinds.

        Example:
            >>> import numpy as np
            >>> class Box:
            ...     held = np.float32(7.0)
            ...     def read(self):
            ...         return self.held
            ...     def write(self, value):
            ...         self.held = value
            ...         return True
            >>> v, box = Variable(0.0), Box()
            >>> v.bind_source(box)
            >>> float(v), float(v.assign(3.0)), float(box.held)
            (7.0, 3.0, 3.0)
        """
        self._source = source

    @property
    def value(self) -> jax.Array:
        """The current value: the :class:`~jnet.variables.StatelessScope`'s when one maps
        this Variable, else its source's (:meth:`bind_source`) when it holds one, else the
        Variable's own; inside an :class:`~jnet.variables.AutocastScope`, a float Variable
        with ``autocast`` reads in the scope's dtype."""
        value = self._uncast_value()
        autocast = get_autocast_scope()
        if autocast is not None and self._autocast and value.dtype != autocast.dtype and (
            jnp.issubdtype(value.dtype, jnp.floating)
        ):
            value = value.astype(autocast.dtype)
        return value

    def _uncast_value(self) -> jax.Array:
        scope = get_stateless_scope()
        if scope is not None:
            value = scope.get_current_value(self)
            if value is not None:
                return value
        if self._source is not None:
            value = self._source.read()
            if value is not None:
                return value
        if self._value is None:  # created in a stateless scope: a stand-in while tracing
            return self._initial_value(self._initializer)
        return self._value

    def assign(self, value: Any) -> jax.Array:
        """Replaces the value with ``value`` (cast to the Variable's dtype; same shape).

        Inside a :class:`~jnet.variables.StatelessScope` the new value goes into the scope
        and the Variable keeps its own.

        Args:
            value: an array-like (or Variable) of the Variable's shape.

        Returns:
            The new value (a jax array), as Keras's ``assign`` returns.

        Raises:
            JnetValueError: for a value of another shape, or a traced value outside a
                stateless scope.

        Example:
            >>> v = Variable([1, 2])
            >>> v.assign([3.7, 4.2])  # cast to the Variable's int32
            Array([3, 4], dtype=int32)
        """
        value = to_array(value, self._dtype)
        if tuple(value.shape) != self._shape:
            raise errors.JnetValueError(
                "The shape of the target variable and the shape of the target value in "
                "`variable.assign(value)` must match. "
                f"variable.shape={self._shape}, Received: value.shape={tuple(value.shape)}. "
                f"Target variable: {self!r}"
            )
        scope = get_stateless_scope()
        if scope is not None:
            scope.add_update((self, value))
        elif _is_tracer(value):
            raise errors.JnetValueError(
                f"Variable {self.path!r} was assigned a traced value (inside jax.jit, grad or "
                "vmap) outside a StatelessScope: the Variable would keep the tracer after the "
                "trace. Assign inside `with jnet.variables.StatelessScope([(v, value)]) as "
                "scope:` and return `scope.get_current_value(v)`, or assign the compiled "
                "function's result after it returns."
            )
        else:
            self._value = value
            if self._source is not None:
                self._source.write(value)
        return value

    def assign_add(self, value: Any) -> jax.Array:
        """``assign(self + value)``; returns the new value.

        Example:
            >>> Variable([1.0, 2.0]).assign_add(1.0)
            Array([2., 3.], dtype=float32)
        """
        return self.assign(self + value)

    def assign_sub(self, value: Any) -> jax.Array:
        """``assign(self - value)``; returns the new value.

        Example:
            >>> Variable([1.0, 2.0]).assign_sub([1.0, 1.0])
            Array([0., 1.], dtype=float32)
        """
        return self.assign(self - value)

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array.

        Example:
            >>> Variable(2.5).numpy()
            array(2.5, dtype=float32)
        """
        return np.array(self)

    # -- attributes ----------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape (a tuple of ints)."""
        return self._shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._ndim

    @property
    def dtype(self) -> str:
        """The dtype's name, such as ``'float32'``."""
        return self._dtype

    @property
    def trainable(self) -> bool:
        """Whether an optimizer should train the Variable (settable)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def name(self) -> str:
        """The name."""
        return self._name

    @property
    def path(self) -> str:
        """The path within its layer or model (the name, for a free Variable)."""
        return self._path

    @property
    def aggregation(self) -> str:
        """How a distributed variable is aggregated."""
        return self._aggregation

    @property
    def synchronization(self) -> str:
        """How a distributed variable is synchronized."""
        return self._synchronization

    @property
    def regularizer(self) -> Any:
        """The regularizer (a callable or None; settable)."""
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value: Any) -> None:
        if value is not None and not callable(value):
            raise errors.JnetValueError(
                "Invalid value for attribute `regularizer`. Expected a callable (such as a "
                "`jnet.regularizers.Regularizer` instance) or `None`. "
                f"Received: regularizer={value}"
            )
        self._regularizer = value

    @property
    def constraint(self) -> Any:
        """The constraint (a callable or None; settable)."""
        return self._constraint

    @constraint.setter
    def constraint(self, value: Any) -> None:
        if value is not None and not callable(value):
            raise errors.JnetValueError(
                "Invalid value for attribute `constraint`. Expected a callable (such as a "
                "`jnet.constraints.Constraint` instance) or `None`. "
                f"Received: constraint={value}"
            )
        self._constraint = value

    @property
    def overwrite_with_gradient(self) -> bool:
        """Whether training overwrites the Variable with its gradient (float8 training)."""
        return self._overwrite_with_gradient

    @overwrite_with_gradient.setter
    def overwrite_with_gradient(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise errors.JnetTypeError(
                f"`overwrite_with_gradient` must be a boolean. Received: {value}"
            )
        self._overwrite_with_gradient = value

    def __repr__(self) -> str:
        value = ""
        held = self._source.read() if self._source is not None else None
        held = self._value if held is None else held
        if held is not None and not _is_tracer(held):
            value = f", value={np.asarray(held)}"
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}{value}>"

    # -- conversions ---------------------------------------------------------------------

    def __jax_array__(self) -> jax.Array:
        return self.value

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = np.asarray(self.value, dtype=dtype)
        return array.copy() if copy else array

    def __format__(self, format_spec: str) -> str:
        if not format_spec:
            return repr(self)
        return format(self.value, format_spec)

    def __int__(self) -> int:
        self._check_scalar()
        return int(self.value)

    def __float__(self) -> float:
        self._check_scalar()
        return float(self.value)

    def _check_scalar(self) -> None:
        if self._ndim > 0:
            raise errors.JnetTypeError(
                "Only scalar arrays can be converted to Python scalars. "
                f"Got: shape={self._shape}"
            )

    def __bool__(self) -> bool:
        raise errors.JnetTypeError("A Keras Variable cannot be used as a boolean.")

    def __getitem__(self, idx: Any) -> jax.Array:
        if isinstance(idx, tuple):
            idx = tuple(unwrap(i) for i in idx)
        return self.value[unwrap(idx)]

    def __len__(self) -> int:
        if self._ndim == 0:
            raise errors.JnetTypeError("len() of unsized object (a 0-d Variable)")
        return self._shape[0]

    def __iter__(self) -> Iterator[jax.Array]:
        if self._ndim == 0:
            raise errors.JnetTypeError("iteration over a 0-d Variable")
        value = self.value
        return (value[i] for i in range(self._shape[0]))

    # -- operators: Keras's ops on the value ---------------------------------------------

    def __neg__(self) -> jax.Array:
        return jnp.negative(self.value)

    def __pos__(self) -> jax.Array:
        return self.value

    def __abs__(self) -> jax.Array:
        return jnp.abs(self.value)

    def __invert__(self) -> jax.Array:
        return jnp.invert(self.value)

    def __round__(self, ndigits: int | None = None) -> jax.Array:
        return round_value(self.value, ndigits or 0)

    __eq__ = _binary_operator("equal")  # type: ignore[assignment]
    __ne__ = _binary_operator("not_equal")  # type: ignore[assignment]
    __lt__ = _binary_operator("less")
    __le__ = _binary_operator("less_equal")
    __gt__ = _binary_operator("greater")
    __ge__ = _binary_operator("greater_equal")
    __add__ = _binary_operator("add")
    __radd__ = _binary_operator("add", reflected=True)
    __sub__ = _binary_operator("subtract")
    __rsub__ = _binary_operator("subtract", reflected=True)
    __mul__ = _binary_operator("multiply")
    __rmul__ = _binary_operator("multiply", reflected=True)
    __truediv__ = _binary_operator("divide")
    __rtruediv__ = _binary_operator("divide", reflected=True)
    __floordiv__ = _binary_operator("floor_divide")
    __rfloordiv__ = _binary_operator("floor_divide", reflected=True)
    __mod__ = _binary_operator("mod")
    __rmod__ = _binary_operator("mod", reflected=True)
    __pow__ = _binary_operator("power")
    __rpow__ = _binary_operator("power", reflected=True)
    __matmul__ = _binary_operator("matmul")
    __rmatmul__ = _binary_operator("matmul", reflected=True)
    __and__ = _binary_operator("logical_and")
    __rand__ = _binary_operator("logical_and", reflected=True)
    __or__ = _binary_operator("logical_or")
    __ror__ = _binary_operator("logical_or", reflected=True)
    __xor__ = _binary_operator("logical_xor")
    __rxor__ = _binary_operator("logical_xor", reflected=True)
