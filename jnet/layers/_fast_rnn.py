"""Hand-written gradients for the LSTM, GRU and SimpleRNN recurrences (the common case).

Why: JAX differentiates ``lax.scan`` step by step, so the backward loop computes, per
timestep, both ``dz @ R.T`` (the gradient flowing to the previous state) and ``h.T @ dz``
(the recurrent kernel's gradient, accumulated in the loop carry), and differentiates the
gate slicing into pads and adds that XLA:CPU compiles to scalar loops. Here the backward
loop does only the first matmul and the gate arithmetic, in a few whole-array operations;
the kernel's gradient is one ``(units, T*B) @ (T*B, G*units)`` matmul after the loop. On 2
CPU cores this trains the benchmark's LSTM(64) about 15% faster than the autodiff of the
same step (``benchmarks/run.py --workloads lstm``).

The forward computation is the one the layers' own step functions do (Keras's
formulation, the same numbers); only the gradient is written by hand, and
``tests/test_layers_fast_rnn.py`` checks it against JAX's autodiff of the plain step.

Used by :class:`~jnet.layers.recurrent.LSTM`, :class:`~jnet.layers.recurrent.GRU`
(``reset_after=True``) and :class:`~jnet.layers.recurrent.SimpleRNN` when the activations
are Keras's defaults (tanh, sigmoid) and there is no recurrent dropout and no ``unroll``,
with or without a mask (Keras's masked semantics, ``Embedding(mask_zero=True)`` -> LSTM);
the layers fall back to the autodiff of their step otherwise.

Example:
    >>> import jax, jax.numpy as jnp
    >>> xp = jnp.ones((5, 2, 12))          # (time, batch, 4 * units): x @ kernel + bias
    >>> R = jnp.zeros((3, 12))             # recurrent kernel
    >>> state = (jnp.zeros((2, 3)), jnp.zeros((2, 3)))
    >>> ys, last, (h, c) = run("lstm", R, None, xp, state, return_sequences=True)
    >>> ys.shape, h.shape
    ((5, 2, 3), (2, 3))
    >>> mask = jnp.broadcast_to(jnp.arange(5)[:, None, None] < 3, (5, 2, 1))  # 3 steps
    >>> _, last, _ = run("lstm", R, None, xp, state, return_sequences=False, mask=mask)
    >>> bool(jnp.allclose(last, ys[2]))  # the last unmasked step's output
    True
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

__all__ = ["CELLS", "run"]


@dataclasses.dataclass(frozen=True)
class Cell:
    """One recurrence, split where the hand-written gradient needs it.

    ``step(inner, state, x_t) -> (new_state, residual)`` where ``inner = h @ R (+ b_rec)``;
    ``back(residual, state, dstate) -> (dstate_prev, dx_t, dinner_t)``: the gradient of
    everything but the matmul (``dinner_t`` None when it equals ``dx_t``).
    """

    step: Callable[..., tuple[tuple[jax.Array, ...], Any]]
    back: Callable[..., tuple[tuple[jax.Array, ...], jax.Array, jax.Array | None]]


# -- LSTM: z = x_t + h @ R split into [i, f, c, o] ------------------------------------------


def _lstm_step(inner, state, x_t):
    h, c = state
    u = h.shape[-1]
    z = (x_t + inner).reshape(h.shape[0], 4, u)
    gates = jax.nn.sigmoid(z)  # one op over every gate; the c-gate's sigmoid is unused
    tg = jnp.tanh(z[:, 2])
    c_new = gates[:, 1] * c + gates[:, 0] * tg
    tc = jnp.tanh(c_new)
    return (gates[:, 3] * tc, c_new), (gates, tg, tc)


def _lstm_back(residual, state, dstate):
    gates, tg, tc = residual
    _, c = state
    dh, dc = dstate
    a_i, a_f, a_o = gates[:, 0], gates[:, 1], gates[:, 3]
    dc_new = dc + dh * a_o * (1.0 - tc * tc)
    dz = jnp.concatenate(
        [
            dc_new * tg * a_i * (1.0 - a_i),
            dc_new * c * a_f * (1.0 - a_f),
            dc_new * a_i * (1.0 - tg * tg),
            dh * tc * a_o * (1.0 - a_o),
        ],
        axis=-1,
    )
    return (jnp.zeros_like(dh), dc_new * a_f), dz, None


# -- GRU (reset_after=True): inner = h @ R + b_rec, split into [z, r, h] --------------------


def _gru_step(inner, state, x_t):
    (h,) = state
    u = h.shape[-1]
    zr = jax.nn.sigmoid(x_t[:, : 2 * u] + inner[:, : 2 * u])
    z, r = zr[:, :u], zr[:, u:]
    inner_h = inner[:, 2 * u :]
    hh = jnp.tanh(x_t[:, 2 * u :] + r * inner_h)
    return (z * h + (1.0 - z) * hh,), (zr, hh, inner_h)


def _gru_back(residual, state, dstate):
    zr, hh, inner_h = residual
    (h,) = state
    (dh,) = dstate
    u = h.shape[-1]
    z, r = zr[:, :u], zr[:, u:]
    dz = dh * (h - hh) * z * (1.0 - z)
    dhh = dh * (1.0 - z) * (1.0 - hh * hh)
    dr = dhh * inner_h * r * (1.0 - r)
    dx = jnp.concatenate([dz, dr, dhh], axis=-1)
    dinner = jnp.concatenate([dz, dr, dhh * r], axis=-1)
    return (dh * z,), dx, dinner


# -- SimpleRNN: h' = tanh(x_t + h @ R) ------------------------------------------------------


def _simple_step(inner, state, x_t):
    h_new = jnp.tanh(x_t + inner)
    return (h_new,), h_new


def _simple_back(residual, state, dstate):
    (dh,) = dstate
    return (jnp.zeros_like(dh),), dh * (1.0 - residual * residual), None


CELLS: dict[str, Cell] = {
    "lstm": Cell(_lstm_step, _lstm_back),
    "gru": Cell(_gru_step, _gru_back),
    "simple": Cell(_simple_step, _simple_back),
}


def _inner(h, kernel, bias):
    inner = jnp.matmul(h, kernel)
    return inner if bias is None else inner + bias.reshape(1, -1)


# -- the recurrence with its gradient -------------------------------------------------------


def _forward(kind, kernel, bias, xp, state, return_sequences, keep):
    """The scan; with ``keep`` also each step's input state and the cell's residual."""
    cell = CELLS[kind]

    def body(s, x_t):
        new, residual = cell.step(_inner(s[0], kernel, bias), s, x_t)
        y = new[0] if return_sequences else None
        return new, ((y, s, residual) if keep else (y, None, None))

    final, (ys, states, residuals) = jax.lax.scan(body, state, xp)
    return ys, final, states, residuals


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 5))
def _recurrence(kind, kernel, bias, xp, state, return_sequences):
    ys, final, _, _ = _forward(kind, kernel, bias, xp, state, return_sequences, keep=False)
    return ys, final


def _recurrence_fwd(kind, kernel, bias, xp, state, return_sequences):
    ys, final, states, residuals = _forward(
        kind, kernel, bias, xp, state, return_sequences, keep=True
    )
    return (ys, final), (kernel, bias, states, residuals)


def _parameter_grads(states, dxs, dinners, bias):
    """The recurrent kernel's gradient (one matmul over every step) and the recurrent bias's."""
    if dinners is None:
        dinners = dxs
    dkernel = jnp.einsum("tbu,tbv->uv", states[0], dinners)
    dbias = None if bias is None else jnp.sum(dinners, axis=(0, 1)).reshape(bias.shape)
    return dkernel, dbias


def _recurrence_bwd(kind, return_sequences, saved, cotangent):
    cell = CELLS[kind]
    kernel, bias, states, residuals = saved
    dys, dfinal = cotangent
    kernel_t = kernel.T

    def body(dstate, inputs):
        state, residual, dy = inputs
        if dy is not None:
            dstate = (dstate[0] + dy, *dstate[1:])
        dprev, dx, dinner = cell.back(residual, state, dstate)
        dinner_t = dx if dinner is None else dinner
        dprev = (dprev[0] + jnp.matmul(dinner_t, kernel_t), *dprev[1:])
        return dprev, (dx, dinner)

    dstate0, (dxs, dinners) = jax.lax.scan(
        body, tuple(dfinal), (states, residuals, dys if return_sequences else None),
        reverse=True,
    )
    return (*_parameter_grads(states, dxs, dinners, bias), dxs, dstate0)


_recurrence.defvjp(_recurrence_fwd, _recurrence_bwd)


# -- the masked recurrence with its gradient -----------------------------------------------
#
# Keras's masked step (``_rnn_base._scan``): with ``new = step(s)``,
#     s' = where(m, new, s)                     every state carried over at a masked step
#     p' = where(m, new[0], 0 if zero_output else p)   the output (p: the previous output)
# Its transpose selects the cotangents: ``new`` gets ``where(m, ds' (+ dp' for new[0]), 0)``,
# ``s`` gets ``where(m, 0, ds')`` and ``p`` gets ``where(m, 0, dp')`` (0 with zero_output).
# The cells' backs are linear in ``dstate``, so a masked row's ``dx``/``dinner`` (hence its
# share of the kernel's gradient) is exactly 0 and its ``dprev`` is 0: the state's cotangent
# there is the select ``where(m, dprev, ds')``.


def _masked_select(m_t, new, state, prev, zero_output):
    held = tuple(jnp.where(m_t, n, o) for n, o in zip(new, state, strict=True))
    out = jnp.where(m_t, new[0], jnp.zeros_like(prev) if zero_output else prev)
    return held, out


def _masked_forward(kind, kernel, bias, xp, state, mask, return_sequences, zero_output, keep):
    """The masked scan; with ``keep`` also each step's input state and residual."""
    cell = CELLS[kind]

    def body(carry, inputs):
        s, prev = carry
        x_t, m_t = inputs
        new, residual = cell.step(_inner(s[0], kernel, bias), s, x_t)
        held, out = _masked_select(m_t, new, s, prev, zero_output)
        y = out if return_sequences else None
        return (held, out), ((y, s, residual) if keep else (y, None, None))

    (final, last), (ys, states, residuals) = jax.lax.scan(
        body, (state, jnp.zeros_like(state[0])), (xp, mask)
    )
    return ys, last, final, states, residuals


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 6, 7))
def _masked_recurrence(kind, kernel, bias, xp, state, mask, return_sequences, zero_output):
    ys, last, final, _, _ = _masked_forward(
        kind, kernel, bias, xp, state, mask, return_sequences, zero_output, keep=False
    )
    return ys, last, final


def _masked_recurrence_fwd(kind, kernel, bias, xp, state, mask, return_sequences,
                           zero_output):
    ys, last, final, states, residuals = _masked_forward(
        kind, kernel, bias, xp, state, mask, return_sequences, zero_output, keep=True
    )
    return (ys, last, final), (kernel, bias, states, residuals, mask)


def _masked_recurrence_bwd(kind, return_sequences, zero_output, saved, cotangent):
    cell = CELLS[kind]
    kernel, bias, states, residuals, mask = saved
    dys, dlast, dfinal = cotangent
    kernel_t = kernel.T

    def body(carry, inputs):
        dstate, dprev_out = carry
        state, residual, m_t, dy = inputs
        dout = dprev_out if dy is None else dprev_out + dy
        dnew = (
            jnp.where(m_t, dstate[0] + dout, 0.0),
            *(jnp.where(m_t, d, 0.0) for d in dstate[1:]),
        )
        dprev, dx, dinner = cell.back(residual, state, dnew)
        dinner_t = dx if dinner is None else dinner
        dprev = (dprev[0] + jnp.matmul(dinner_t, kernel_t), *dprev[1:])
        dstate = tuple(jnp.where(m_t, a, d) for a, d in zip(dprev, dstate, strict=True))
        dprev_out = jnp.zeros_like(dout) if zero_output else jnp.where(m_t, 0.0, dout)
        return (dstate, dprev_out), (dx, dinner)

    (dstate0, _), (dxs, dinners) = jax.lax.scan(
        body, (tuple(dfinal), dlast),
        (states, residuals, mask, dys if return_sequences else None), reverse=True,
    )
    return (*_parameter_grads(states, dxs, dinners, bias), dxs, dstate0, None)


_masked_recurrence.defvjp(_masked_recurrence_fwd, _masked_recurrence_bwd)


def run(kind: str, kernel: jax.Array, bias: jax.Array | None, xp: jax.Array,
        state: tuple[jax.Array, ...], *, return_sequences: bool,
        mask: jax.Array | None = None, zero_output_for_mask: bool = False):
    """Runs the ``kind`` recurrence (``'lstm'``, ``'gru'`` or ``'simple'``) over time-major
    ``xp`` (the input projection ``x @ kernel + input_bias``, shape (T, B, G*units)).

    Args:
        kind: a key of :data:`CELLS`.
        kernel: the recurrent kernel, (units, G*units).
        bias: the recurrent bias added to ``h @ kernel`` (GRU's ``reset_after`` row), or None.
        xp: (T, B, G*units).
        state: the initial states, each (B, units): ``(h,)``, or ``(h, c)`` for the LSTM.
        return_sequences: also return every step's output.
        mask: None (default), or a time-major bool mask (T, B, 1), already reversed for
            ``go_backwards``. Keras's masked semantics: at a masked step every state is
            carried over and the output is the previous output (zeros before the first
            unmasked step).
        zero_output_for_mask: with a mask, output zeros at masked steps instead of the
            previous output. Default False.

    Returns:
        ``(outputs (T, B, units) or None, last_output (B, units), final_states)``. Without
        a mask the last output is ``final_states[0]``; with one it is the last step's
        output (the last unmasked step's, or zeros), which may differ from the final state.
    """
    if mask is None:
        ys, final = _recurrence(kind, kernel, bias, xp, tuple(state), return_sequences)
        return ys, final[0], final
    return _masked_recurrence(kind, kernel, bias, xp, tuple(state), mask, return_sequences,
                              bool(zero_output_for_mask))
