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


def _reference(layer, variables, x, initial_state=None, mask=None):
    """The layer's output through the autodiff of ``_step_fn`` (the non-fast path)."""
    original = type(layer)._fast_kind
    try:
        type(layer)._fast_kind = lambda self: None
        return layer.apply(variables, x, initial_state=initial_state, mask=mask)
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
    ys, last, (h,) = _fast_rnn.run("gru", jnp.zeros((3, 9)), jnp.zeros(9), xp,
                                   (jnp.zeros((2, 3)),), return_sequences=False)
    assert ys is None and h.shape == (2, 3)
    assert last is h
    # zr = sigmoid(1) and hh = tanh(1), from h = 0: h' = (1 - z) * hh at every step.
    z = jax.nn.sigmoid(1.0)
    expected = 0.0
    for _ in range(5):
        expected = z * expected + (1 - z) * np.tanh(1.0 + 0.0)
    np.testing.assert_allclose(np.asarray(h), expected, rtol=1e-6)


# -- masks ---------------------------------------------------------------------------------

# One row per masked pattern: leading masked steps, trailing masked steps, gaps in the
# middle, a fully masked row, and no masked step.
MASK = np.array(
    [
        [0, 0, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 0, 0],
        [1, 0, 1, 1, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 1, 1],
    ],
    dtype=bool,
)
MB = MASK.shape[0]

# (kind, layer keywords, with an initial_state): each kind meets every option at least once.
MASKED_CASES = [
    ("lstm", {}, False),
    ("lstm", {"return_sequences": True}, True),
    ("lstm", {"return_state": True, "go_backwards": True}, True),
    ("lstm", {"return_sequences": True, "zero_output_for_mask": True, "go_backwards": True},
     False),
    ("lstm", {"zero_output_for_mask": True, "return_state": True}, True),
    ("lstm", {"use_bias": False, "return_sequences": True, "return_state": True}, False),
    ("gru", {}, True),
    ("gru", {"return_sequences": True, "return_state": True}, False),
    ("gru", {"return_sequences": True, "zero_output_for_mask": True, "go_backwards": True},
     True),
    ("gru", {"zero_output_for_mask": True, "return_state": True, "use_bias": False}, False),
    ("gru", {"go_backwards": True, "return_state": True}, True),
    ("simple", {"return_state": True}, True),
    ("simple", {"return_sequences": True, "go_backwards": True}, False),
    ("simple", {"return_sequences": True, "zero_output_for_mask": True, "return_state": True},
     True),
]


def _masked_setup(kind, kw, rng, units=4):
    layer = _layer(kind, units, **kw)
    x = jnp.asarray(rng.normal(size=(MB, T, F)), jnp.float32)
    variables = layer.init(jax.random.key(0), x)
    variables = jax.tree_util.tree_map(
        lambda a: a + 0.1 * jnp.asarray(rng.normal(size=a.shape), a.dtype), variables
    )
    n_states = 2 if kind == "lstm" else 1
    states = [jnp.asarray(rng.normal(size=(MB, units)), jnp.float32) for _ in range(n_states)]
    return layer, x, variables, states


def _assert_same(fast, ref, exact):
    leaves_f, leaves_r = jax.tree_util.tree_leaves(fast), jax.tree_util.tree_leaves(ref)
    assert len(leaves_f) == len(leaves_r)
    for f, r in zip(leaves_f, leaves_r, strict=True):
        if exact:
            np.testing.assert_array_equal(np.asarray(f), np.asarray(r))
        else:
            np.testing.assert_allclose(np.asarray(f), np.asarray(r), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize(
    ("kind", "kw", "with_state"), MASKED_CASES,
    ids=[f"{k}-{sorted(v)}{'-initial_state' if w else ''}" for k, v, w in MASKED_CASES],
)
def test_masked_fast_path_matches_autodiff(kind, kw, with_state, rng):
    layer, x, variables, states = _masked_setup(kind, kw, rng)
    mask = jnp.asarray(MASK)
    init = states if with_state else None
    assert layer._fast_kind() == kind

    _assert_same(layer.apply(variables, x, mask=mask, initial_state=init),
                 _reference(layer, variables, x, initial_state=init, mask=mask), exact=True)

    def fast(v, x, s):
        return _loss(layer.apply(v, x, mask=mask, initial_state=s if with_state else None))

    def ref(v, x, s):
        return _loss(_reference(layer, v, x, initial_state=s if with_state else None,
                                mask=mask))

    g_fast = jax.grad(fast, argnums=(0, 1, 2))(variables, x, states)
    g_ref = jax.grad(ref, argnums=(0, 1, 2))(variables, x, states)
    _assert_same(g_fast, g_ref, exact=False)
    # A masked step contributes nothing: its input gets exactly zero gradient.
    dx = np.asarray(g_fast[1])
    assert np.all(dx[~MASK] == 0.0)
    if with_state:
        assert all(float(jnp.max(jnp.abs(d))) > 1e-3 for d in g_fast[2])
    if with_state and kw.get("return_state"):
        # The fully masked row carries its initial state to the returned states.
        assert all(float(jnp.max(jnp.abs(d[3]))) > 1e-3 for d in g_fast[2])


@pytest.mark.parametrize("kind", ["lstm", "gru", "simple"])
def test_masked_last_output_is_not_the_final_state(kind, rng):
    """A fully masked row keeps its initial state but outputs zeros (Keras's semantics)."""
    layer, x, variables, states = _masked_setup(kind, {"return_state": True}, rng)
    out, *final = layer.apply(variables, x, mask=jnp.asarray(MASK), initial_state=states)
    np.testing.assert_array_equal(np.asarray(out[3]), 0.0)
    for f, s in zip(final, states, strict=True):
        np.testing.assert_array_equal(np.asarray(f[3]), np.asarray(s[3]))
    # The row without masked steps: the last output is the final h (to a rounding: XLA
    # fuses the step into each of the two selects, in both paths, and may round them apart).
    np.testing.assert_allclose(np.asarray(out[4]), np.asarray(final[0][4]), rtol=1e-6)


def test_masked_run_under_jit_matches_reference(rng):
    """The training path: a jitted gradient of a masked LSTM."""
    layer, x, variables, _ = _masked_setup("lstm", {"return_sequences": True}, rng)
    mask = jnp.asarray(MASK)

    g_fast = jax.jit(jax.grad(lambda v: _loss(layer.apply(v, x, mask=mask))))(variables)
    g_ref = jax.jit(jax.grad(lambda v: _loss(_reference(layer, v, x, mask=mask))))(variables)
    _assert_same(g_fast, g_ref, exact=False)


def test_unmasked_path_traces_no_select(rng):
    """Without a mask the fast recurrence and its gradient contain no mask selects."""
    layer = _layer("lstm", 3, return_sequences=True)
    x = jnp.asarray(rng.normal(size=(B, T, F)), jnp.float32)
    variables = layer.init(jax.random.key(0), x)
    jaxpr = jax.make_jaxpr(jax.grad(lambda v: _loss(layer.apply(v, x))))(variables)
    assert "select_n" not in str(jaxpr)
    masked = jax.make_jaxpr(
        jax.grad(lambda v: _loss(layer.apply(v, x, mask=jnp.ones((B, T), bool))))
    )(variables)
    assert "select_n" in str(masked)


def test_mask_shape_error(rng):
    layer = _layer("gru", 2)
    x = jnp.asarray(rng.normal(size=(B, T, F)), jnp.float32)
    variables = layer.init(jax.random.key(0), x)
    with pytest.raises(ValueError, match=r"mask of a recurrent layer must have shape"):
        layer.apply(variables, x, mask=jnp.ones((B, T + 1), bool))
