"""The loop-friendly convolution: autodiff's exact gradients, in an ordinary layout."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

from jnet.layers import _fast_conv
from jnet.layers._fast_conv import _SPECS, conv

CASES = [
    (n, s, d, p, w)
    for n, s, d, p, w in itertools.product(
        (1, 2), (1, 2, 3), (1, 2), ("VALID", "SAME", "pads"), (1, 3)
    )
    if not (s > 1 and d > 1)
] + [(3, 1, 1, "SAME", 3), (3, 2, 1, "VALID", 3)]


def _reference(x, k, s, pad, d):
    n = x.ndim - 2
    return lax.conv_general_dilated(
        x, k, (s,) * n, pad, rhs_dilation=(d,) * n, dimension_numbers=_SPECS[n]
    )


@pytest.mark.parametrize("form", ["matmul", "patch-gradient", "convolution"])
@pytest.mark.parametrize(("n", "s", "d", "p", "w"), CASES)
def test_gradients_equal_autodiff(n, s, d, p, w, form, monkeypatch):
    if form == "matmul":  # the whole convolution as patch matmuls (deep windows)
        monkeypatch.setattr(_fast_conv, "PATCH_MIN_DEPTH", 0)
    if form == "convolution":  # every part a convolution (patch matrices over the limit)
        monkeypatch.setattr(_fast_conv, "IM2COL_LIMIT_BYTES", 0)
    x = jax.random.normal(jax.random.key(0), (3, *(8,) * n, 2))
    k = jax.random.normal(jax.random.key(1), (*(w,) * n, 2, 4))
    pad = [(1, 2)] * n if p == "pads" else p

    def loss(f):
        return lambda x, k: jnp.sum(f(x, k) ** 2)

    ref = jax.grad(loss(lambda x, k: _reference(x, k, s, pad, d)), (0, 1))(x, k)
    mine = jax.grad(loss(lambda x, k: conv(x, k, (s,) * n, pad, (d,) * n)), (0, 1))(x, k)
    expected = _reference(x, k, s, pad, d)
    np.testing.assert_allclose(conv(x, k, (s,) * n, pad, (d,) * n), expected, rtol=1e-5,
                               atol=1e-6 * float(np.max(np.abs(expected))))
    for a, b in zip(ref, mine, strict=True):
        # The patch form sums in another order: equal to float32 rounding of the largest term.
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6 * float(np.max(np.abs(a))))


def test_grouped_convolution_falls_back_to_autodiff():
    x = jax.random.normal(jax.random.key(0), (2, 6, 6, 4))
    k = jax.random.normal(jax.random.key(1), (3, 3, 2, 6))
    out = conv(x, k, (1, 1), "SAME", groups=2)
    ref = lax.conv_general_dilated(
        x, k, (1, 1), "SAME", dimension_numbers=_SPECS[2], feature_group_count=2
    )
    np.testing.assert_allclose(out, ref)


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="an XLA:CPU layout property")
def test_kernel_gradient_inside_scan_keeps_an_ordinary_layout():
    """Autodiff's swapped-axes kernel gradient (f01b_i01o) runs as a naive loop in XLA:CPU
    while bodies; jnet's must compile to ordinary convolutions only."""
    x = jnp.ones((4, 2, 10, 10, 1))
    k = jnp.ones((3, 3, 1, 8))

    def epoch(k, f):
        def body(k, xb):
            return k - 0.1 * jax.grad(lambda k: jnp.sum(f(xb, k) ** 2))(k), None

        return lax.scan(body, k, x)[0]

    def hlo(f):
        return jax.jit(lambda k: epoch(k, f)).lower(k).compile().as_text()

    autodiff = hlo(lambda xb, k: _reference(xb, k, 1, "VALID", 1))
    mine = hlo(lambda xb, k: conv(xb, k, (1, 1), "VALID"))
    # When upstream XLA stops emitting the swapped layout here, _fast_conv can go.
    print("autodiff still swapped:", "f01b_i01o" in autodiff)
    assert "f01b_i01o" not in mine  # kernel gradient
    assert "01oi" not in mine  # input gradient: kernel in/out swapped by layout, not by a copy


@pytest.mark.parametrize(("depth", "expected"), [(4, False), (32, True)])
def test_deep_windows_take_the_matmul_form(depth, expected):
    x = jnp.ones((2, 6, 6, depth))
    k = jnp.ones((3, 3, depth, 4))
    hlo = jax.jit(lambda x, k: conv(x, k, (1, 1), "SAME")).lower(x, k).as_text()
    assert ("convolution" not in hlo) is expected
    np.testing.assert_allclose(conv(x, k, (1, 1), "SAME"), _reference(x, k, 1, "SAME", 1))
