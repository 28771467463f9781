"""The step math of SimpleRNN, LSTM and GRU: one source for the layers and the cells.

A step is ``step(states, xp_t) -> new_states`` where ``xp_t`` is the input already projected
(``x_t @ kernel + input_bias``, see :func:`project`) and the output is ``new_states[0]``.
:mod:`jnet.layers.recurrent` (``LSTM``...) scans it over time with the projection of every
timestep done in one matmul; :mod:`jnet.layers.rnn_cells` (``LSTMCell``...) runs it once per
call, as Keras's cells do.

Dropout masks are ``(batch, n)`` (one mask) or ``(gates, batch, n)`` (one per gate, Keras's
implementation 1, used whenever ``recurrent_dropout > 0``).

Example:
    >>> import jax.numpy as jnp
    >>> step = simple_step(jnp.tanh, jnp.zeros((2, 2)), None)
    >>> step((jnp.ones((1, 2)),), jnp.zeros((1, 2)))[0].tolist()
    [[0.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp

__all__ = ["gru_step", "lstm_step", "project", "recurrent_matmul", "simple_step"]


def recurrent_matmul(h, recurrent_kernel, rec_mask):
    """``h @ R``, or with one recurrent dropout mask per gate ``[(h*m_g) @ R_g]_g``."""
    if rec_mask is None:
        return jnp.matmul(h, recurrent_kernel)
    if rec_mask.ndim == 2:
        return jnp.matmul(h * rec_mask, recurrent_kernel)
    gates = rec_mask.shape[0]
    r = recurrent_kernel.reshape(recurrent_kernel.shape[0], gates, -1)
    out = jnp.einsum("gbu,ugv->bgv", h[None] * rec_mask, r)
    return out.reshape(h.shape[0], -1)


def project(x, kernel, input_bias, dp_mask):
    """``(x * mask) @ kernel + input_bias`` for time-major ``x`` (T, B, in) at once:
    (T, B, G*units)."""
    if dp_mask is None:
        xp = jnp.matmul(x, kernel)
    elif dp_mask.ndim == 2:
        xp = jnp.matmul(x * dp_mask[None], kernel)
    else:  # one mask per gate
        gates = dp_mask.shape[0]
        k = kernel.reshape(kernel.shape[0], gates, -1)
        xp = jnp.einsum("gtbi,igu->tbgu", x[None] * dp_mask[:, None], k)
        xp = xp.reshape(x.shape[0], x.shape[1], -1)
    if input_bias is not None:
        xp = xp + input_bias.reshape(1, 1, -1)
    return xp


def simple_step(act: Callable, recurrent_kernel: Any, rec_mask: Any) -> Callable:
    """SimpleRNN: ``h' = act(xp + h @ R)``; states ``(h,)``."""

    def step(state, x_t):
        (h,) = state
        return (act(x_t + recurrent_matmul(h, recurrent_kernel, rec_mask)),)

    return step


def lstm_step(act: Callable, rec_act: Callable, recurrent_kernel: Any, rec_mask: Any,
              units: int) -> Callable:
    """LSTM, gates [i, f, c, o]: ``c' = f*c + i*act(z_c)``, ``h' = o*act(c')``; states
    ``(h, c)``."""
    u = units

    def step(state, x_t):
        h, c = state
        z = x_t + recurrent_matmul(h, recurrent_kernel, rec_mask)
        # One elementwise op over every gate (fewer, larger ops run faster in the scan on
        # CPU); the c-gate's recurrent activation is computed and unused.
        z = z.reshape(z.shape[0], 4, u)
        gates = rec_act(z)
        c = gates[:, 1] * c + gates[:, 0] * act(z[:, 2])
        return gates[:, 3] * act(c), c

    return step


def gru_step(act: Callable, rec_act: Callable, recurrent_kernel: Any, rec_bias: Any,
             rec_mask: Any, units: int, reset_after: bool) -> Callable:
    """GRU, gates [z, r, h]; ``rec_bias`` is the recurrent bias (``reset_after``) or None;
    states ``(h,)``."""
    u = units
    if reset_after:
        rb = None if rec_bias is None else rec_bias.reshape(1, -1)

        def step(state, x_t):
            (h,) = state
            inner = recurrent_matmul(h, recurrent_kernel, rec_mask)
            if rb is not None:
                inner = inner + rb
            zr = rec_act(x_t[:, :2 * u] + inner[:, :2 * u])
            z, r = zr[:, :u], zr[:, u:]
            hh = act(x_t[:, 2 * u:] + r * inner[:, 2 * u:])
            return (z * h + (1.0 - z) * hh,)

        return step

    r_zr, r_h = recurrent_kernel[:, :2 * u], recurrent_kernel[:, 2 * u:]
    m_zr = m_h = None
    if rec_mask is not None and rec_mask.ndim == 3:
        m_zr, m_h = rec_mask[:2], rec_mask[2]
    elif rec_mask is not None:
        m_zr = m_h = rec_mask

    def step(state, x_t):
        (h,) = state
        inner = recurrent_matmul(h, r_zr, m_zr)
        zr = rec_act(x_t[:, :2 * u] + inner)
        z, r = zr[:, :u], zr[:, u:]
        h_h = h if m_h is None else h * m_h
        hh = act(x_t[:, 2 * u:] + jnp.matmul(r * h_h, r_h))
        return (z * h + (1.0 - z) * hh,)

    return step
