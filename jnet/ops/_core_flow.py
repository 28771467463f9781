"""Keras's control-flow and gradient ops (``keras.ops.cond``, ``scan``, ``while_loop``, ...):
``jax.lax`` control flow with Keras's signatures, as Keras's JAX backend runs them.

The callables (``f``, ``body``, branches) receive and return jax arrays and run traced (once,
not per iteration): write them with ``jnet.ops`` or ``jax.numpy``. Every op here is jit-,
grad- and vmap-able like the ``jax.lax`` primitive it calls.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.ops import _core_flow as flow
    >>> flow.fori_loop(0, 4, lambda i, s: s + i, 0).tolist()
    6
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax

from jnet import errors
from jnet.ops._op import convert, keras_op

__all__ = [
    "associative_scan",
    "cond",
    "custom_gradient",
    "fori_loop",
    "map",
    "scan",
    "stop_gradient",
    "switch",
    "vectorized_map",
    "while_loop",
]


def _unwrap(tree: Any) -> Any:
    """A pytree with every jnet ``Variable`` replaced by its value."""
    return jax.tree_util.tree_map(
        lambda v: v.value if getattr(v, "_JNET_IS_VARIABLE", False) else v, tree,
        is_leaf=lambda v: getattr(v, "_JNET_IS_VARIABLE", False),
    )


def _require_callable(argument: str, value: Any, op: str) -> None:
    if not callable(value):
        raise errors.JnetTypeError(
            f"{op}: `{argument}` must be a callable, received {errors.describe(value)}."
        )


@keras_op
def cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """Runs ``true_fn()`` when ``pred`` holds, else ``false_fn()`` (``keras.ops.cond``).

    Args:
        pred: a boolean scalar (array or Python bool).
        true_fn: a callable of no argument, the result when ``pred`` is True.
        false_fn: a callable of no argument with a result of the same structure, shapes and
            dtypes, the result when ``pred`` is False.

    Returns:
        The result of the branch taken.

    Example:
        >>> import jax.numpy as jnp
        >>> cond(jnp.asarray(3) > 2, lambda: jnp.ones(2), lambda: jnp.zeros(2)).tolist()
        [1.0, 1.0]
    """
    _require_callable("true_fn", true_fn, "cond")
    _require_callable("false_fn", false_fn, "cond")
    return jax.lax.cond(_unwrap(pred), true_fn, false_fn)


@keras_op
def switch(index: Any, branches: Sequence[Callable[..., Any]], *operands: Any) -> Any:
    """Applies ``branches[index]`` to ``operands`` (``keras.ops.switch``); an out-of-range
    ``index`` is clamped to the first or last branch.

    Args:
        index: an integer scalar.
        branches: a sequence of callables taking ``*operands``, with results of one
            structure, shapes and dtypes.
        *operands: the branch's arguments.

    Returns:
        ``branches[index](*operands)``.

    Example:
        >>> import jax.numpy as jnp
        >>> add, sub = (lambda x, y: x + y), (lambda x, y: x - y)
        >>> switch(1, [add, sub], jnp.asarray(2.0), jnp.asarray(0.5)).tolist()
        1.5
    """
    if not isinstance(branches, Sequence) or not branches:
        raise errors.JnetValueError(
            f"switch: `branches` must be a non-empty list of callables, received "
            f"{errors.describe(branches)}."
        )
    for k, branch in enumerate(branches):
        _require_callable(f"branches[{k}]", branch, "switch")
    return jax.lax.switch(_unwrap(index), list(branches), *_unwrap(operands))


@keras_op
def scan(f: Callable[[Any, Any], tuple[Any, Any]], init: Any, xs: Any = None,
         length: int | None = None, reverse: bool = False, unroll: int | bool = 1) -> Any:
    """Loops ``f`` over the leading axis of ``xs`` carrying a state (``keras.ops.scan``).

    Args:
        f: ``(carry, x) -> (new_carry, y)``; the carry keeps its structure, shapes and dtypes.
        init: the first carry (an array, scalar or pytree of them).
        xs: the values scanned along their leading axis (a pytree), or None (then give
            ``length``). Default None.
        length: the number of iterations (default: the leading size of ``xs``).
        reverse: scan from the end (default False).
        unroll: iterations unrolled per loop step, a positive int, or a bool (True: all).
            Default 1.

    Returns:
        ``(final_carry, ys)``: ``ys`` stacks the ``y`` of every iteration.

    Example:
        >>> import jax.numpy as jnp
        >>> carry, ys = scan(lambda c, x: (c + x, c + x), jnp.asarray(0), jnp.arange(1, 6))
        >>> carry.tolist(), ys.tolist()
        (15, [1, 3, 6, 10, 15])
    """
    _require_callable("f", f, "scan")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise errors.JnetValueError(
            f"`unroll` must be an positive integer or boolean. Received: unroll={unroll!r}"
        )
    if xs is None and length is None:
        raise errors.JnetValueError("scan: give `xs`, or `length` when `xs` is None.")
    return jax.lax.scan(f, _unwrap(init), _unwrap(xs), length=length, reverse=reverse,
                        unroll=unroll)


@keras_op
def associative_scan(f: Callable[[Any, Any], Any], elems: Any, reverse: bool = False,
                     axis: int = 0) -> Any:
    """A parallel scan of an associative ``f`` along ``axis`` (``keras.ops.associative_scan``).

    Args:
        f: an associative binary function ``(a, b) -> r`` on pytrees shaped like ``elems``,
            elementwise along ``axis``.
        elems: an array or pytree of arrays, all with the same size along ``axis``.
        reverse: scan from the end (default False).
        axis: the scanned axis (default 0).

    Returns:
        ``[e0, f(e0, e1), f(f(e0, e1), e2), ...]`` along ``axis``, the structure of ``elems``.

    Example:
        >>> import jax.numpy as jnp
        >>> associative_scan(lambda a, b: a + b, jnp.arange(5)).tolist()
        [0, 1, 3, 6, 10]
    """
    _require_callable("f", f, "associative_scan")
    elems = jax.tree_util.tree_map(convert, _unwrap(elems))
    leaves = jax.tree_util.tree_leaves(elems)
    if not leaves:
        raise errors.JnetValueError("associative_scan: `elems` holds no array.")
    ndim = leaves[0].ndim
    if not isinstance(axis, int) or not -ndim <= axis < max(ndim, 1):
        raise errors.JnetValueError(
            f"associative_scan: `axis` {axis!r} is out of bounds for arrays of rank {ndim}."
        )
    sizes = {leaf.shape[axis] for leaf in leaves}
    if len(sizes) != 1:
        raise errors.JnetValueError(
            f"Array inputs to associative_scan must have the same size along axis {axis}; "
            f"received shapes {[leaf.shape for leaf in leaves]}."
        )
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


@keras_op
def fori_loop(lower: Any, upper: Any, body_fun: Callable[[Any, Any], Any],
              init_val: Any) -> Any:
    """``for i in range(lower, upper): val = body_fun(i, val)`` (``keras.ops.fori_loop``).

    Args:
        lower: the first value of the loop index.
        upper: the bound (excluded) of the loop index.
        body_fun: ``(i, val) -> new_val``, keeping ``val``'s structure, shapes and dtypes.
        init_val: the initial state.

    Returns:
        The final state.

    Example:
        >>> fori_loop(0, 10, lambda i, s: s + i, 0).tolist()
        45
    """
    _require_callable("body_fun", body_fun, "fori_loop")
    return jax.lax.fori_loop(_unwrap(lower), _unwrap(upper), body_fun, _unwrap(init_val))


@keras_op
def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               maximum_iterations: int | None = None) -> Any:
    """``while cond(*loop_vars): loop_vars = body(*loop_vars)`` (``keras.ops.while_loop``).

    Args:
        cond: the condition; a tuple or list ``loop_vars`` is passed as positional
            arguments, anything else as the one argument.
        body: the update, called like ``cond``, returning new loop variables of the same
            structure, shapes and dtypes.
        loop_vars: the initial loop variables (a pytree).
        maximum_iterations: at most this many iterations (default None: no bound).

    Returns:
        The final loop variables: a tuple when ``loop_vars`` is a tuple or list.

    Example:
        >>> while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 1), (0, 1))
        (Array(10, dtype=int32, weak_type=True), Array(11, dtype=int32, weak_type=True))
    """
    _require_callable("cond", cond, "while_loop")
    _require_callable("body", body, "while_loop")
    is_tuple = isinstance(loop_vars, tuple | list)
    state = tuple(_unwrap(loop_vars)) if is_tuple else (_unwrap(loop_vars),)

    def step(values: tuple) -> tuple:
        out = body(*values)
        return tuple(out) if is_tuple else (out,)

    if maximum_iterations is None:
        out = jax.lax.while_loop(lambda values: cond(*values), step, state)
    else:
        def bounded_cond(carry: tuple) -> Any:
            values, count = carry
            return jax.numpy.logical_and(cond(*values), count < maximum_iterations)

        def bounded_step(carry: tuple) -> tuple:
            values, count = carry
            return step(values), count + 1

        out, _ = jax.lax.while_loop(bounded_cond, bounded_step, (state, 0))
    return out if is_tuple else out[0]


@keras_op
def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001 (Keras's name)
    """``f`` applied to each slice of ``xs`` along its leading axis, results stacked
    (``keras.ops.map``; one at a time, unlike :func:`vectorized_map`).

    Args:
        f: the function of one slice (a pytree like ``xs`` without its leading axis).
        xs: an array or pytree of arrays with one leading size.

    Returns:
        The stacked results (a pytree when ``f`` returns one).

    Example:
        >>> import jax.numpy as jnp
        >>> map(lambda x: x ** 2, jnp.arange(5)).tolist()
        [0, 1, 4, 9, 16]
    """
    _require_callable("f", f, "map")
    return jax.lax.map(f, _unwrap(xs))


@keras_op
def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """``function`` mapped in parallel over axis 0 of ``elements`` (``keras.ops.vectorized_map``,
    ``jax.vmap``); a list of arrays reaches ``function`` as a list of slices.

    Args:
        function: the function of one slice.
        elements: an array, or a list/pytree of arrays with one leading size.

    Returns:
        The stacked results.

    Example:
        >>> import jax.numpy as jnp
        >>> vectorized_map(lambda row: row.sum(), jnp.ones((3, 2))).tolist()
        [2.0, 2.0, 2.0]
    """
    _require_callable("function", function, "vectorized_map")
    return jax.vmap(function)(_unwrap(elements))


@keras_op
def stop_gradient(variable: Any) -> jax.Array:
    """``variable`` with no gradient flowing back through it (``keras.ops.stop_gradient``).

    Args:
        variable: an array or a jnet ``Variable``.

    Returns:
        The same values, as a constant for differentiation.

    Example:
        >>> import jax
        >>> jax.grad(lambda x: stop_gradient(x) * x)(3.0).tolist()
        3.0
    """
    return jax.lax.stop_gradient(convert(variable))


def custom_gradient(f: Callable[..., tuple[Any, Callable[..., Any]]]) -> Callable[..., Any]:
    """A decorator giving ``f`` its own gradient (``keras.ops.custom_gradient``, the contract of
    Keras's JAX and TensorFlow backends).

    Args:
        f: ``f(*args) -> (output, grad_fn)``; ``grad_fn(upstream)`` returns the gradient with
            respect to each argument of ``f`` (one array for one argument, else a tuple).

    Returns:
        ``h(*args)``: ``f(*args)[0]``, differentiated with ``grad_fn``. jnet ``Variable``
        arguments are passed as their values.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> @custom_gradient
        ... def log1pexp(x):
        ...     e = jnp.exp(x)
        ...     return jnp.log1p(e), lambda upstream: upstream * (1.0 - 1.0 / (1.0 + e))
        >>> float(jax.grad(log1pexp)(100.0))
        1.0
    """
    _require_callable("f", f, "custom_gradient")
    with_gradient = jax.custom_gradient(f)

    def h(*args: Any, **kwargs: Any) -> Any:
        return with_gradient(*_unwrap(args), **_unwrap(kwargs))

    h.__name__ = getattr(f, "__name__", "custom_gradient")
    h.__doc__ = getattr(f, "__doc__", None)
    return h
