"""Max pooling over non-overlapping windows with a gradient XLA:CPU runs fast.

``lax.reduce_window(max)`` differentiates to ``select_and_scatter``, which XLA:CPU runs as a
scalar loop: in the benchmark CNN (two 2x2 max pools) it is the largest single cost of the
backward pass. When the windows tile the input (strides equal to the pool size, the Keras
default, and 'valid' padding), the pool is a reshape and a ``max`` over the window axes, and
its gradient is a mask multiply that XLA fuses with its neighbours.

The gradient goes to the first maximum of each window in row-major order, as TensorFlow's
``MaxPoolGrad`` sends it (``jnp.max``'s own gradient would split it between ties, which
happen after a ReLU: every window of zeros is a tie).

Example:
    >>> import jax, jax.numpy as jnp
    >>> x = jnp.array([[1.0, 3.0, 3.0, 0.0]]).reshape(1, 4, 1)
    >>> max_pool(x, (2,))[0, :, 0]
    Array([3., 3.], dtype=float32)
    >>> jax.grad(lambda v: max_pool(v, (2,)).sum())(x)[0, :, 0]
    Array([0., 1., 1., 0.], dtype=float32)
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["max_pool", "tiles", "window_axes", "windows"]


def tiles(strides: tuple[int, ...], pool: tuple[int, ...], padding: str) -> bool:
    """Whether a pool with these arguments is a tiling that :func:`max_pool` computes."""
    return padding == "valid" and tuple(strides) == tuple(pool)


def windows(x: jax.Array, pool: tuple[int, ...]) -> jax.Array:
    """``(N, *S, C)`` cropped to whole windows and shaped ``(N, S1/p1, p1, ..., C)``."""
    n, *spatial, c = x.shape
    whole = [s // p for s, p in zip(spatial, pool, strict=True)]
    x = x[(slice(None), *(slice(0, w * p) for w, p in zip(whole, pool, strict=True)))]
    shape = [n]
    for w, p in zip(whole, pool, strict=True):
        shape += [w, p]
    return x.reshape((*shape, c))


def window_axes(rank: int) -> tuple[int, ...]:
    return tuple(2 + 2 * i for i in range(rank))


@partial(jax.custom_vjp, nondiff_argnums=(1,))
def max_pool(x: jax.Array, pool: tuple[int, ...]) -> jax.Array:
    """Max over non-overlapping ``pool`` windows of channels-last ``x`` ('valid' padding).

    Args:
        x: ``(batch, *spatial, channels)``.
        pool: the window size per spatial axis (also the stride).
    """
    return jnp.max(windows(x, pool), axis=window_axes(len(pool)))


def _forward(x, pool):
    return max_pool(x, pool), x


def _backward(pool, x, g):
    tiled = windows(x, pool)
    axes = window_axes(len(pool))
    top = jnp.max(tiled, axis=axes, keepdims=True)
    # Each element's row-major position inside its window; the first maximum wins ties.
    position = np.zeros([1] * tiled.ndim, np.int32)
    stride = 1
    for axis, p in reversed(list(zip(axes, pool, strict=True))):
        shape = [1] * tiled.ndim
        shape[axis] = p
        position = position + (np.arange(p, dtype=np.int32) * stride).reshape(shape)
        stride *= p
    position = jnp.asarray(position)
    candidate = jnp.where(tiled == top, position, np.int32(stride))
    first = jnp.min(candidate, axis=axes, keepdims=True)
    g = jnp.expand_dims(g, axes)
    grad = jnp.where(position == first, g, jnp.zeros((), g.dtype)).reshape(
        (x.shape[0], *(w * p for w, p in zip(g.shape[1:-1:2], pool, strict=True)), x.shape[-1])
    )
    pads = [(0, 0)] + [(0, s - c) for s, c in zip(x.shape[1:-1], grad.shape[1:-1], strict=True)]
    return (jnp.pad(grad, pads + [(0, 0)]),)


max_pool.defvjp(_forward, _backward)
