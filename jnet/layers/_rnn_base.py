"""What SimpleRNN, LSTM and GRU share: argument checks, dropout masks, masking, the scan.

The recurrence is written for speed: the input projection ``x @ kernel + bias`` of *all*
timesteps is one matmul before the loop; ``jax.lax.scan`` then runs over time (time-major)
doing only ``h @ recurrent_kernel`` and the gate arithmetic. Nothing depends on the batch
size, so a layer compiles once per sequence shape.

Keras's masked semantics (``keras/src/backend/tensorflow/rnn.py``): at a masked step the
state is carried over unchanged; the output there is the previous step's output (zeros
before the first unmasked step), or zeros when ``zero_output_for_mask`` (which Bidirectional
sets for sequences). The last output is the last unmasked step's. With ``go_backwards`` the
sequence (and mask) is reversed first and the output sequence is returned in that reversed
order, as Keras does.

LSTM, GRU (``reset_after``) and SimpleRNN with Keras's default activations run the
recurrence through :mod:`jnet.layers._fast_rnn` (hand-written gradients), masked or not;
recurrent dropout, ``unroll`` and other activations take ``_scan`` and JAX's autodiff of the
layer's ``_step_fn``. Both give the same forward numbers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import activations, errors, initializers
from jnet.layers import _autocast, _fast_rnn
from jnet.layers._rnn_steps import project
from jnet.layers.base import Layer, WeightPath, cast_inputs

KERAS_RNN_WEIGHTS: tuple[WeightPath, ...] = (
    ("params", "kernel"),
    ("params", "recurrent_kernel"),
    ("params", "bias"),
)


# -- argument checks ------------------------------------------------------------------------


def check_units(value: Any, owner: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise errors.JnetValueError(
            f"{owner}: units must be a positive integer, received {value!r}."
        )


def check_rate(value: Any, name: str, owner: str) -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float | np.integer | np.floating)
        and math.isfinite(float(value))
        and 0.0 <= float(value) < 1.0
    )
    if not ok:
        raise errors.JnetValueError(
            f"{owner}: {name} must be a float in [0, 1), received {value!r}."
        )


# -- the shared layer -----------------------------------------------------------------------


class RNNBase(Layer):
    """Base of SimpleRNN/LSTM/GRU. Subclasses declare the fields (in Keras's order) and define
    ``GATES``, ``N_STATES``, ``_make_weights(in_dim, units) -> (kernel, recurrent_kernel,
    bias)`` and ``_step_fn(recurrent_kernel, bias, rec_mask, units) -> step``, where
    ``step(states, projected_x_t) -> new_states`` (the output is ``new_states[0]``)."""

    GATES: ClassVar[int] = 1
    N_STATES: ClassVar[int] = 1
    ACCEPTS_MASK: ClassVar[bool] = True
    SUPPORTS_MASKING: ClassVar[bool] = True
    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = KERAS_RNN_WEIGHTS
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "kernel_regularizer", "kernel_constraint"),
        (("recurrent_kernel",), "recurrent_regularizer", "recurrent_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )

    #: Keras's RNN keyword: outputs at masked steps are zeros instead of the previous output
    #: (Bidirectional sets it to ``return_sequences``).
    zero_output_for_mask: bool = dataclasses.field(default=False, kw_only=True)

    def _check_common(self) -> None:
        owner = type(self).__name__
        check_units(self.units, owner)
        activations.get(self.activation)
        if hasattr(self, "recurrent_activation"):
            activations.get(self.recurrent_activation)
        for name in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
            initializers.get(getattr(self, name))
        self._check_penalty_arguments()
        for name in ("use_bias", "return_sequences", "return_state", "go_backwards", "unroll",
                     "zero_output_for_mask", "unit_forget_bias", "reset_after"):
            if hasattr(self, name):
                errors.require_bool(getattr(self, name), name, owner)
        check_rate(self.dropout, "dropout", owner)
        check_rate(self.recurrent_dropout, "recurrent_dropout", owner)
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer)
            or self.seed < 0
        ):
            raise errors.JnetValueError(
                f"{owner}: seed must be None or a non-negative integer, received {self.seed!r}."
            )
        if self.stateful:
            raise errors.JnetValueError(
                f"{owner}: stateful=True is not supported by jnet: its layers are pure "
                f"functions and keep no state between batches. Pass the final states of one "
                f"call as initial_state= of the next (return_state=True gives them)."
            )
        if getattr(self, "use_cudnn", "auto") not in ("auto", True, False):
            raise errors.JnetValueError(
                f"{owner}: use_cudnn must be 'auto', True or False, received "
                f"{self.use_cudnn!r}."
            )

    # -- Keras's view ---------------------------------------------------------------------

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """The input mask when ``return_sequences``, else None (Keras's ``RNN.compute_mask``)."""
        return mask if self.return_sequences else None

    @nn.nowrap
    def check_in_sequential(self) -> None:
        """A Sequential passes one tensor between layers: ``return_state`` cannot be used."""
        if self.return_state:
            raise errors.JnetValueError(
                f"{type(self).__name__}(return_state=True) returns [output, *states], which a "
                f"Sequential model cannot pass on. Call the layer directly to get the states, "
                f"or drop return_state."
            )

    # -- the computation ----------------------------------------------------------------

    @nn.compact
    def __call__(self, inputs, training: bool = False, mask=None, initial_state=None):
        owner = type(self).__name__
        inputs = cast_inputs(inputs)
        if inputs.ndim != 3:
            raise errors.JnetValueError(
                f"{owner} expects inputs of rank 3 (batch, timesteps, features), received "
                f"shape {tuple(inputs.shape)}. Add a feature axis (x[..., None]) or use "
                f"Reshape((timesteps, features))."
            )
        batch, _, in_dim = inputs.shape
        units = int(self.units)
        kernel, recurrent_kernel, bias = self._make_weights(in_dim, units)

        dp_mask = rec_mask = None
        if training and (self.dropout > 0 or self.recurrent_dropout > 0):
            dp_mask, rec_mask = self._dropout_masks(batch, in_dim, units)

        x = jnp.swapaxes(inputs, 0, 1)  # time-major (T, B, in)
        if self.go_backwards:
            x = x[::-1]
        xp = self._input_projection(x, kernel, bias, dp_mask)  # (T, B, G*units)

        if initial_state is None:
            state = tuple(jnp.zeros((batch, units), inputs.dtype) for _ in range(self.N_STATES))
        else:
            state = self._initial_state(initial_state, batch, units)

        if mask is not None:
            mask = _time_major_mask(mask, xp, go_backwards=self.go_backwards)

        fast = self._fast_kind() if rec_mask is None and not self.unroll else None
        if fast is not None:
            ys, last, state = _fast_rnn.run(
                fast, recurrent_kernel, self._recurrent_bias(bias), xp, state,
                return_sequences=self.return_sequences, mask=mask,
                zero_output_for_mask=self.zero_output_for_mask,
            )
            output = jnp.swapaxes(ys, 0, 1) if self.return_sequences else last
            return (output, *state) if self.return_state else output

        step = self._step_fn(recurrent_kernel, bias, rec_mask, units)
        outputs, last, state = _scan(
            step, xp, state, mask, return_sequences=self.return_sequences,
            zero_output_for_mask=self.zero_output_for_mask,
            # Partial unrolling measured slower on CPU (XLA); unroll=True unrolls fully.
            unroll=True if self.unroll else 1,
        )
        output = outputs if self.return_sequences else last
        if self.return_state:
            return (output, *state)
        return output

    @nn.nowrap
    def _initial_state(self, initial_state: Any, batch: int, units: int) -> tuple:
        owner = type(self).__name__
        states = list(initial_state) if isinstance(initial_state, list | tuple) else [
            initial_state
        ]
        if len(states) != self.N_STATES:
            raise errors.JnetValueError(
                f"{owner} expects {self.N_STATES} initial state(s), received {len(states)}."
            )
        out = []
        for s in states:
            s = cast_inputs(s)
            if tuple(s.shape) != (batch, units):
                raise errors.JnetValueError(
                    f"{owner}: each initial state must have shape (batch, units) = "
                    f"{(batch, units)}, received {tuple(s.shape)}."
                )
            out.append(s)
        return tuple(out)

    @nn.nowrap
    def _mask_count(self) -> int | None:
        """How many distinct dropout masks Keras draws: one per gate (its implementation 1,
        used whenever recurrent_dropout > 0) for LSTM/GRU, else a single mask."""
        return self.GATES if self.GATES > 1 and self.recurrent_dropout > 0 else None

    @nn.nowrap
    def _dropout_masks(self, batch: int, in_dim: int, units: int):
        """Masks drawn once per sequence (the same at every timestep), values 0 or
        1 / (1 - rate); shape (batch, n) or (gates, batch, n)."""
        key = self.make_rng("dropout")
        k_in, k_rec = jax.random.split(key)
        count = self._mask_count()

        def draw(k, rate, n):
            if rate <= 0:
                return None
            shape = (batch, n) if count is None else (count, batch, n)
            keep = jax.random.bernoulli(k, 1.0 - rate, shape)
            scale = jnp.asarray(1.0 / (1.0 - rate), _autocast.compute_dtype())
            return jnp.where(keep, scale, jnp.zeros((), scale.dtype))

        return draw(k_in, float(self.dropout), in_dim), draw(
            k_rec, float(self.recurrent_dropout), units
        )

    @nn.nowrap
    def _input_projection(self, x, kernel, bias, dp_mask):
        """``(x * mask) @ kernel + input_bias`` for every timestep at once: (T, B, G*units)."""
        return project(x, kernel, self._input_bias(bias), dp_mask)

    @nn.nowrap
    def _input_bias(self, bias):
        return bias

    @nn.nowrap
    def _fast_kind(self) -> str | None:
        """The :mod:`jnet.layers._fast_rnn` cell computing this layer's step with a
        hand-written gradient, or None (the autodiff of ``_step_fn``). Only asked when there
        is no recurrent dropout and no ``unroll``; masks take the fast path too."""
        return None

    @nn.nowrap
    def _recurrent_bias(self, bias):
        """The bias added to ``h @ recurrent_kernel`` inside the step (GRU's), or None."""
        return None

    @nn.nowrap
    def _bias(self, name_shape: tuple[int, ...], init: Callable | None = None):
        if not self.use_bias:
            return None
        return self.param(
            "bias", init or initializers.get(self.bias_initializer), name_shape, jnp.float32
        )

    @nn.nowrap
    def _kernels(self, in_dim: int, units: int):
        g = self.GATES
        kernel = self.param(
            "kernel", initializers.get(self.kernel_initializer), (in_dim, g * units),
            jnp.float32,
        )
        recurrent_kernel = self.param(
            "recurrent_kernel", initializers.get(self.recurrent_initializer),
            (units, g * units), jnp.float32,
        )
        return kernel, recurrent_kernel


def _time_major_mask(mask, xp, *, go_backwards):
    """The (batch, timesteps) mask as a time-major bool (T, B, 1), reversed with
    ``go_backwards`` (``xp`` already is)."""
    m = jnp.asarray(mask).astype(jnp.bool_)
    if m.ndim != 2 or m.shape != xp.shape[:2][::-1]:
        raise errors.JnetValueError(
            f"The mask of a recurrent layer must have shape (batch, timesteps) = "
            f"{tuple(xp.shape[:2][::-1])}, received {tuple(m.shape)}."
        )
    m = jnp.swapaxes(m, 0, 1)[..., None]  # (T, B, 1)
    return m[::-1] if go_backwards else m


def _scan(step, xp, state, mask, *, return_sequences, zero_output_for_mask, unroll):
    """Runs ``step(state, x_t) -> new_state`` (output = new_state[0]) over time-major ``xp``;
    ``mask`` is None or the time-major (T, B, 1) bool from :func:`_time_major_mask`.

    Returns ``(outputs (B, T, units) or None, last_output, final_state)``.
    """
    if mask is None:
        def body(carry, x_t):
            new = step(carry, x_t)
            return new, (new[0] if return_sequences else None)

        final, ys = jax.lax.scan(body, state, xp, unroll=unroll)
        last = final[0]
    else:
        def body(carry, inputs):
            states, prev = carry
            x_t, m_t = inputs
            new = step(states, x_t)
            held = tuple(jnp.where(m_t, n, o) for n, o in zip(new, states, strict=True))
            # Keras: a masked step outputs the previous output (zeros before the first
            # unmasked step), or zeros with zero_output_for_mask.
            out = jnp.where(m_t, new[0], jnp.zeros_like(prev) if zero_output_for_mask else prev)
            return (held, out), (out if return_sequences else None)

        init = (state, jnp.zeros_like(state[0]))
        (final, last), ys = jax.lax.scan(body, init, (xp, mask), unroll=unroll)
    outputs = jnp.swapaxes(ys, 0, 1) if return_sequences else None
    return outputs, last, final
