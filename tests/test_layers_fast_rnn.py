"""The hand-written recurrence gradients (jnet/layers/_fast_rnn.py) against JAX's autodiff.

The reference is the autodiff of the layers' own step functions (``_step_fn``, the path
masks and recurrent dropout take), run through the same scan; outputs must be identical and
gradients equal to float rounding.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet.layers import _fast_rnn
from jnet.layers import recurrent as rnn

T, B, F = 7, 3, 5


def _layer(kind, units, **kw):
    return {"lstm": rnn.LSTM, "gru": rnn.GRU, "simple": rnn.SimpleRNN}[kind](units, **kw)


def _reference(layer, variables, x, initial_state=None):
    """The layer's output through the autodiff of ``_step_fn`` (the non-fast path)."""
    original = type(layer)._fast_kind
    try:
        type(layer)._fast_kind = lambda self: None
        return layer.apply(variables, x, initial_state=initial_state)
    finally:
        type(layer)._fast_kind = original


def _loss(out):
    outs = out if isinstance(out, tuple | list) else (out,)
    return sum(jnp.sum(jnp.sin(o) * (i + 1.0)) for i, o in enumerate(outs))


CASES = [
    ("lstm", {}),
    ("lstm", {"return_sequences": True}),
    ("lstm", {"return_state": True, "go_backwards": True}),
    ("lstm", {"use_bias": False, "return_sequences": True, "return_state": True}),
    ("gru", {}),
    ("gru", {"return_sequences": True, "return_state": True}),
    ("gru", {"go_backwards": True, "use_bias": False}),
    ("simple", {}),
    ("simple", {"return_sequences": True, "go_backwards": True}),
]


@pytest.mark.parametrize(("kind", "kw"), CASES, ids=[f"{k}-{sorted(v)}" for k, v in CASES])
def test_fast_path_matches_autodiff(kind, kw, rng):
    layer = _layer(kind, 4, **kw)
    x = jnp.asarray(rng.normal(size=(B, T, F)), jnp.float32)
    variables = layer.init(jax.random.key(0), x)
    # Non-trivial biases, so every gradient term is exercised.
    variables = jax.tree_util.tree_map(
        lambda a: a + 0.1 * jnp.asarray(rng.normal(size=a.shape), a.dtype), variables
    )
    assert layer._fast_kind() == kind

    fast_out = layer.apply(variables, x)
    ref_out = _reference(layer, variables, x)
    for f, r in zip(jax.tree_util.tree_leaves(fast_out), jax.tree_util.tree_leaves(ref_out),
                    strict=True):
        np.testing.assert_array_equal(np.asarray(f), np.asarray(r))

    def fast(v, x):
        return _loss(layer.apply(v, x))

    def ref(v, x):
        return _loss(_reference(layer, v, x))

    g_fast = jax.grad(fast, argnums=(0, 1))(variables, x)
    g_ref = jax.grad(ref, argnums=(0, 1))(variables, x)
    for f, r in zip(jax.tree_util.tree_leaves(g_fast), jax.tree_util.tree_leaves(g_ref),
                    strict=True):
        np.testing.assert_allclose(np.asarray(f), np.asarray(r), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_initial_state_gradient(kind, rng):
    layer = _layer(kind, 3)
    x = jnp.asarray(rng.normal(size=(B, T, F)), jnp.float32)
    n_states = 2 if kind == "lstm" else 1
    states = [jnp.asarray(rng.normal(size=(B, 3)), jnp.float32) for _ in range(n_states)]
    variables = layer.init(jax.random.key(1), x)

    def fast(s):
        return _loss(layer.apply(variables, x, initial_state=s))

    def ref(s):
        return _loss(_reference(layer, variables, x, initial_state=s))

    for f, r in zip(jax.grad(fast)(states), jax.grad(ref)(states), strict=True):
        assert float(jnp.max(jnp.abs(r))) > 1e-3  # the state's gradient is not trivially 0
        np.testing.assert_allclose(np.asarray(f), np.asarray(r), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize(
    ("layer", "expected"),
    [
        (rnn.LSTM(2), "lstm"),
        (rnn.LSTM(2, activation="relu"), None),
        (rnn.LSTM(2, recurrent_activation="hard_sigmoid"), None),
        (rnn.GRU(2), "gru"),
        (rnn.GRU(2, reset_after=False), None),
        (rnn.SimpleRNN(2), "simple"),
        (rnn.SimpleRNN(2, activation="relu"), None),
    ],
)
def test_fast_kind_only_for_default_activations(layer, expected):
    assert layer._fast_kind() == expected


def test_run_shapes_and_no_sequences():
    xp = jnp.ones((5, 2, 9))
    ys, (h,) = _fast_rnn.run("gru", jnp.zeros((3, 9)), jnp.zeros(9), xp, (jnp.zeros((2, 3)),),
                             return_sequences=False)
    assert ys is None and h.shape == (2, 3)
    # zr = sigmoid(1) and hh = tanh(1), from h = 0: h' = (1 - z) * hh at every step.
    z = jax.nn.sigmoid(1.0)
    expected = 0.0
    for _ in range(5):
        expected = z * expected + (1 - z) * np.tanh(1.0 + 0.0)
    np.testing.assert_allclose(np.asarray(h), expected, rtol=1e-6)
