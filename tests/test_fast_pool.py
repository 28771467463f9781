"""The tiled max pool: Keras's numbers (TF's gradient on ties), no select_and_scatter."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

import jnet
from jnet.layers import _fast_pool


def _reduce_window_pool(x, pool):
    dims, init = (1, *pool, 1), np.array(-np.inf, np.float32)
    return lax.reduce_window(x, init, lax.max, dims, dims, "VALID")


@pytest.mark.parametrize("shape,pool", [
    ((2, 7, 9, 3), (2, 2)), ((2, 6, 6, 2), (3, 2)), ((2, 9, 4), (2,)), ((1, 4, 5, 4, 2), (2, 2, 2)),
])
def test_matches_reduce_window_without_ties(shape, pool, rng):
    x = jnp.asarray(rng.normal(size=shape).astype(np.float32))
    weights = rng.normal(size=_reduce_window_pool(x, pool).shape).astype(np.float32)
    np.testing.assert_array_equal(_fast_pool.max_pool(x, pool), _reduce_window_pool(x, pool))
    fast = jax.grad(lambda v: (_fast_pool.max_pool(v, pool) * weights).sum())(x)
    slow = jax.grad(lambda v: (_reduce_window_pool(v, pool) * weights).sum())(x)
    np.testing.assert_array_equal(fast, slow)


@pytest.mark.parametrize("shape,pool", [((2, 7, 9, 3), (2, 2)), ((2, 6, 6, 2), (3, 2)),
                                        ((2, 9, 4), (2,))])
def test_ties_send_the_gradient_where_tensorflow_does(shape, pool, rng, keras):
    import tensorflow as tf

    x = rng.integers(0, 3, size=shape).astype(np.float32)  # many tied windows
    weights = rng.normal(size=_fast_pool.max_pool(jnp.asarray(x), pool).shape)
    weights = weights.astype(np.float32)
    ours = jax.grad(lambda v: (_fast_pool.max_pool(v, pool) * weights).sum())(jnp.asarray(x))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        total = tf.reduce_sum(tf.nn.max_pool(xt, pool, pool, "VALID") * weights)
    np.testing.assert_array_equal(np.asarray(ours), tape.gradient(total, xt).numpy())


def test_tiles_only_for_valid_padding_and_strides_equal_to_the_pool():
    assert _fast_pool.tiles((2, 2), (2, 2), "valid")
    assert not _fast_pool.tiles((1, 1), (2, 2), "valid")
    assert not _fast_pool.tiles((2, 2), (2, 2), "same")


def test_a_scanned_cnn_step_has_no_select_and_scatter():
    model = jnet.Sequential([
        jnet.layers.Conv2D(4, 3, activation="relu", input_shape=(8, 8, 1)),
        jnet.layers.MaxPooling2D(), jnet.layers.Flatten(), jnet.layers.Dense(2),
    ])
    variables = model.init(jax.random.key(0))
    x = jnp.ones((4, 8, 8, 1))

    def epoch(params):
        def body(p, _):
            grads = jax.grad(lambda q: model.apply({"params": q}, x).sum())(p)
            return jax.tree_util.tree_map(lambda a, g: a - 0.1 * g, p, grads), None

        return lax.scan(body, params, None, length=3)[0]

    lowered = jax.jit(epoch).lower(variables["params"]).as_text()
    assert "reduce_window" not in lowered and "select_and_scatter" not in lowered
    # ... which is what autodiff of reduce_window produces (XLA:CPU then runs a scatter loop).
    slow = jax.jit(jax.grad(lambda v: _reduce_window_pool(v, (2, 2)).sum())).lower(x)
    assert "select_and_scatter" in slow.as_text()
