"""Keras's ``apply`` sequence as an optax transformation around one optimizer's rule.

Keras's ``BaseOptimizer.apply`` does, per step and in this order: unscale the gradients
(``loss_scale_factor``), clip them (``clipnorm`` / ``global_clipnorm`` / ``clipvalue``), decay
the weights (``w - w * weight_decay * lr``), run the optimizer's ``update_step`` with the
current learning rate, and increment ``iterations``. :func:`keras_transformation` is that
sequence around an :class:`UpdateRule` (one optimizer's ``update_step`` as a pure function).

Bit parity with Keras needs two things beyond Keras's order of operations: every product
that feeds an addition must be rounded on its own (XLA would fuse it into a multiply-add),
and ``x / sqrt(y)`` must stay a division (XLA would use ``rsqrt``). :func:`_unfused` does both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import (
    LearningRate,
    _check_clipping,
    _check_learning_rate,
    _check_loss_scale_factor,
    _check_non_negative,
)
from jnet.optimizers._state import OptimizerState

__all__ = ["UpdateRule", "keras_transformation"]


class UpdateRule(NamedTuple):
    """One optimizer's Keras ``build`` and ``update_step`` as pure functions.

    Attributes:
        init: ``params -> slots``, the optimizer variables (a NamedTuple of pytrees).
        step: ``(grads, slots, learning_rate, iterations) -> (increments, slots)``. The
            gradients are already cast to the parameters' dtype; ``learning_rate`` is a
            float32 scalar and ``iterations`` the int32 step count before this step. The
            increments ``u`` are such that Keras's new weight is exactly ``w + u`` (a Keras
            ``w -= x`` is returned as ``-x``, which gives the same bits).
        reads_params: False (the default) for rules whose ``update_step`` never reads the
            weights. True for rules that do (Ftrl, Lamb, Adafactor): ``step`` then takes the
            weights as a fifth argument, ``(grads, slots, lr, iterations, params)``, already
            decayed by ``weight_decay`` as Keras decays them before its ``update_step``, and
            its increments are relative to those decayed weights.
    """

    init: Callable[[optax.Params], Any]
    step: Callable[..., tuple[optax.Updates, Any]]
    reads_params: bool = False


def _unfused(x: jax.Array) -> jax.Array:
    """``x`` unchanged, but XLA can no longer fuse it into a multiply-add.

    XLA's CPU and GPU backends contract ``a * b + c`` into one fused multiply-add (one
    rounding instead of two); TensorFlow's kernels round the product first. Keras's numbers
    are only reproduced bit for bit if every product that feeds an addition is rounded on
    its own. A select on a runtime predicate is opaque to that contraction (an
    ``optimization_barrier`` is not: XLA's CPU pipeline removes it before fusion). It also
    hides a ``sqrt`` from XLA's ``x / sqrt(y) -> x * rsqrt(y)`` rewrite. Costs one compare and
    select per element, inside the same fused loop.
    """
    return jnp.where(jnp.isnan(x), jnp.asarray(jnp.nan, x.dtype), x)


def _divide(x: jax.Array, divisor: jax.Array) -> jax.Array:
    """``x / divisor`` rounded as TensorFlow rounds it, also for a scalar ``divisor``.

    XLA rewrites ``x / broadcast(d)`` into ``x * broadcast(1 / d)``: two roundings instead of
    one. Selecting the divisor on a predicate that depends on ``x`` (NaN where ``x`` is NaN,
    where the quotient is NaN anyway) keeps the division elementwise.
    """
    divisor = jnp.broadcast_to(jnp.asarray(divisor, x.dtype), x.shape)
    return x / jnp.where(jnp.isnan(x), jnp.asarray(jnp.nan, x.dtype), divisor)


def _map_leaves(
    fn: Callable[..., tuple[jax.Array, ...]], grads: optax.Updates, *slots: Any
) -> tuple[optax.Updates, ...]:
    """Applies ``fn(g, *slot_leaves) -> (increment, *new_slot_leaves)`` per gradient leaf.

    Returns the trees ``(increments, *new_slots)``, shaped like ``grads``. A slot tree given
    as None passes None to ``fn`` for every leaf (callers put None back in the state, so that
    its structure, and hence the compiled step, stays the same).
    """
    treedef = jax.tree.structure(grads)
    columns = [
        [None] * treedef.num_leaves if s is None else treedef.flatten_up_to(s) for s in slots
    ]
    results = [fn(g, *row) for g, *row in zip(treedef.flatten_up_to(grads), *columns, strict=True)]
    if not results:
        return tuple(treedef.unflatten([]) for _ in range(len(slots) + 1))
    return tuple(treedef.unflatten(list(column)) for column in zip(*results, strict=True))


def _learning_rate_at(learning_rate: LearningRate, step: jax.Array) -> jax.Array:
    """The learning rate for ``step`` as a float32 scalar (evaluating a schedule)."""
    value = learning_rate(step) if callable(learning_rate) else learning_rate
    value = jnp.asarray(value, dtype=jnp.float32)
    if value.shape != ():
        raise errors.JnetValueError(
            f"A learning-rate schedule must return a scalar; {learning_rate!r} returned an "
            f"array of shape {value.shape}."
        )
    return value


def _clip_by_norm(g: jax.Array, clipnorm: float) -> jax.Array:
    """Per-tensor norm clipping, as ``tf.clip_by_norm`` computes it (Keras TF backend)."""
    l2sum = jnp.sum(g * g, keepdims=True)
    positive = l2sum > 0
    l2sum_safe = jnp.where(positive, l2sum, jnp.ones_like(l2sum))
    l2norm = jnp.where(positive, jnp.sqrt(l2sum_safe), l2sum)
    return (g * clipnorm) / jnp.maximum(l2norm, clipnorm)


def _clip_by_global_norm(grads: optax.Updates, clipnorm: float) -> optax.Updates:
    """Keras's ``clip_by_global_norm``: ``g * clipnorm * min(1/norm, 1/clipnorm)``."""
    leaves = jax.tree.leaves(grads)
    if not leaves:
        return grads
    squares = [jnp.sum(jnp.square(g)) for g in leaves]
    dtype = max((s.dtype for s in squares), key=lambda d: jnp.dtype(d).itemsize)
    norm = jnp.sqrt(jnp.sum(jnp.stack([s.astype(dtype) for s in squares])))
    scale = clipnorm * jnp.minimum(1.0 / norm, 1.0 / clipnorm)
    scale = scale + (norm - norm)  # NaN for a non-finite norm, as in Keras
    return jax.tree.map(lambda g: _unfused(g * scale.astype(g.dtype)), grads)


def _preprocess_gradients(
    grads: optax.Updates,
    *,
    loss_scale_factor: float | None,
    clipnorm: float | None,
    clipvalue: float | None,
    global_clipnorm: float | None,
) -> optax.Updates:
    """Unscales, then clips, exactly as Keras's ``apply`` / ``_clip_gradients`` do."""
    if loss_scale_factor is not None:
        grads = jax.tree.map(lambda g: g / loss_scale_factor, grads)
    if clipnorm:
        return jax.tree.map(lambda g: _clip_by_norm(g, clipnorm), grads)
    if global_clipnorm:
        return _clip_by_global_norm(grads, global_clipnorm)
    if clipvalue:
        return jax.tree.map(lambda g: jnp.clip(g, -clipvalue, clipvalue), grads)
    return grads


def keras_transformation(
    rule: UpdateRule,
    learning_rate: LearningRate,
    *,
    weight_decay: float | None = None,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
    global_clipnorm: float | None = None,
    loss_scale_factor: float | None = None,
) -> optax.GradientTransformation:
    """Wraps an :class:`UpdateRule` in Keras's ``apply`` sequence, as an optax transformation.

    Per step, in Keras's order: divide the gradients by ``loss_scale_factor``; clip them;
    decay the weights (``w - w * weight_decay * lr``); run the rule with the current learning
    rate; increment ``iterations``. A schedule is evaluated at ``iterations`` before the
    increment, so the first step uses ``schedule(0)``.

    Args:
        rule: the optimizer's ``update_step`` (see :class:`UpdateRule`).
        learning_rate: a float >= 0, or a schedule ``step -> learning rate``.
        weight_decay: decoupled weight decay applied to every parameter, or None.
        clipnorm: clip each gradient tensor to this L2 norm, or None.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``, or None.
        global_clipnorm: clip all gradients together to this global L2 norm, or None.
        loss_scale_factor: divide the gradients by this before anything else, or None.

    Returns:
        An ``optax.GradientTransformation`` whose state is an :class:`OptimizerState`. With
        ``weight_decay`` its ``update`` needs ``params``.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import UpdateRule, keras_transformation
        >>> plain = UpdateRule(
        ...     init=lambda params: (),
        ...     step=lambda g, slots, lr, it: (-(g * lr), slots))
        >>> tx = keras_transformation(plain, 0.1, clipvalue=1.0)
        >>> updates, _ = tx.update(jnp.array([5.0]), tx.init(jnp.zeros(1)))
        >>> updates.tolist()
        [-0.10000000149011612]
    """
    learning_rate = _check_learning_rate(learning_rate)
    weight_decay = _check_non_negative("weight_decay", weight_decay, allow_none=True)
    clipnorm, clipvalue, global_clipnorm = _check_clipping(clipnorm, clipvalue, global_clipnorm)
    loss_scale_factor = _check_loss_scale_factor(loss_scale_factor)
    scheduled = callable(learning_rate)

    def init_fn(params: optax.Params) -> OptimizerState:
        iterations = jnp.zeros([], jnp.int32)
        return OptimizerState(
            iterations=iterations,
            learning_rate=_learning_rate_at(learning_rate, iterations),
            slots=rule.init(params),
            scheduled=scheduled,
        )

    def update_fn(
        grads: optax.Updates, state: OptimizerState, params: optax.Params | None = None
    ) -> tuple[optax.Updates, OptimizerState]:
        if not isinstance(state, OptimizerState):
            raise errors.JnetTypeError(
                f"This optimizer's update expects the OptimizerState its init() returned; "
                f"received {errors.describe(state)}."
            )
        iterations = state.iterations
        lr = _learning_rate_at(learning_rate, iterations) if scheduled else state.learning_rate
        grads = jax.tree.map(_unfused, grads)  # the backward pass's last product
        grads = _preprocess_gradients(
            grads,
            loss_scale_factor=loss_scale_factor,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
        )
        if params is not None:  # Keras casts each gradient to its variable's dtype
            grads = jax.tree.map(lambda g, p: g.astype(p.dtype), grads, params)
        if (weight_decay or rule.reads_params) and params is None:
            needs = "weight_decay" if weight_decay else "This optimizer's update rule"
            raise errors.JnetValueError(
                f"{needs} needs the parameters: call `tx.update(grads, state, params)`."
            )
        if rule.reads_params:
            # Keras decays the weights, then its update_step reads the decayed weights.
            decayed_params = params
            if weight_decay:
                decayed_params = jax.tree.map(
                    lambda p: p - _unfused(p * weight_decay * lr.astype(p.dtype)), params
                )
            increments, slots = rule.step(grads, state.slots, lr, iterations, decayed_params)
            if weight_decay:
                increments = jax.tree.map(
                    lambda p, d, u: (d + u) - p, params, decayed_params, increments
                )
        else:
            increments, slots = rule.step(grads, state.slots, lr, iterations)
        # Keras decays the weights before its update_step; the step does not read them, so the
        # decay is folded in afterwards. Later per-variable extras (EMA) would go here too.
        if weight_decay and not rule.reads_params:

            def decayed(p: jax.Array, u: jax.Array) -> jax.Array:
                # Keras: w <- w - w * wd * lr, then w <- w + u. Returning new - w makes
                # p + (new - p) == new exactly whenever new and p are within a factor 2.
                new = (p - _unfused(p * weight_decay * lr.astype(p.dtype))) + u
                return new - p

            increments = jax.tree.map(decayed, params, increments)
        next_iterations = optax.safe_increment(iterations)
        next_lr = _learning_rate_at(learning_rate, next_iterations) if scheduled else lr
        return increments, OptimizerState(
            iterations=next_iterations, learning_rate=next_lr, slots=slots, scheduled=scheduled
        )

    return optax.GradientTransformation(init_fn, update_fn)
