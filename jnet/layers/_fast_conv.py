"""Channels-last convolutions written for XLA:CPU training loops.

Two measured problems, two forms:

* ``jax.grad`` of ``lax.conv_general_dilated`` computes the kernel gradient as a convolution
  with the batch and feature axes swapped (``dim_labels=f01b_i01o->01bf``). Inside a
  ``while`` loop (``lax.scan``, which ``fit`` uses to run a whole epoch per dispatch) XLA:CPU
  keeps that layout and falls back to a naive loop: a small CNN trained 4x slower than one
  dispatch per step. ``_conv`` writes the gradients as ordinary NHWC/HWIO convolutions
  (scanned epoch 413 -> 1835 samples/s on the benchmark CNN, 2 CPU cores) or, while the
  patch matrix is small, the kernel gradient as one matmul of the input's patches.
* A deep window (``prod(window) * in >= PATCH_MIN_DEPTH``) runs faster as matmuls than as
  XLA:CPU's convolution: ``_patch_conv`` gathers the patches once (``im2col``), computes
  the output as ``patches @ kernel``, the kernel gradient as ``patches.T @ g`` from the same
  patches, and the input gradient as ``g @ kernel.T`` folded back onto the input. The
  benchmark CNN's epoch: 2.2 s -> 1.45 s; a 32x32x3 four-convolution CNN: unchanged.

The numbers are autodiff's, up to the order of float32 sums.

Example:
    >>> import jax, jax.numpy as jnp
    >>> x, k = jnp.ones((2, 5, 5, 3)), jnp.ones((3, 3, 3, 4))
    >>> conv(x, k, strides=(1, 1), padding="VALID").shape
    (2, 3, 3, 4)
    >>> jax.grad(lambda k: conv(x, k, (1, 1), "VALID").sum())(k).shape
    (3, 3, 3, 4)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import partial

import jax
import jax.numpy as jnp
from jax import lax

__all__ = ["conv", "conv_transpose"]

_SPECS = {1: ("NWC", "WIO", "NWC"), 2: ("NHWC", "HWIO", "NHWC"), 3: ("NDHWC", "DHWIO", "NDHWC")}


def conv(
    x: jax.Array,
    kernel: jax.Array,
    strides: Sequence[int],
    padding: str | Sequence[tuple[int, int]],
    dilation: Sequence[int] | None = None,
    groups: int = 1,
) -> jax.Array:
    """``lax.conv_general_dilated`` for channels-last ``x`` and a ``(*window, in, out)`` kernel.

    Args:
        x: ``(batch, *spatial, channels)``.
        kernel: ``(*window, channels // groups, filters)``.
        strides: one stride per spatial axis.
        padding: ``'VALID'``, ``'SAME'`` or one ``(low, high)`` pair per spatial axis.
        dilation: the kernel dilation per spatial axis (default 1).
        groups: feature groups (``channels`` and ``filters`` divisible by it).
    """
    n = x.ndim - 2
    strides = tuple(int(s) for s in strides)
    dilation = tuple(int(d) for d in (dilation or (1,) * n))
    pads = _explicit_pads(x.shape[1:-1], kernel.shape[:n], strides, dilation, padding)
    if groups != 1:  # the grouped kernel gradient has no such problem to fix
        return _plain(x, kernel, strides, pads, dilation, groups)
    if _use_patches(x, kernel, strides, pads, dilation):
        return _patch_conv(x, kernel, strides, pads, dilation)
    return _conv(x, kernel, strides, pads, dilation)


def conv_transpose(
    x: jax.Array,
    kernel: jax.Array,
    strides: Sequence[int],
    pads: Sequence[tuple[int, int]],
    dilation: Sequence[int],
) -> jax.Array:
    """A transposed convolution: a stride-1 convolution of ``x`` dilated by ``strides`` with a
    ``(*window, in, out)`` kernel (already flipped and swapped by the caller).

    ``lax.conv_general_dilated(..., lhs_dilation=strides)`` is the textbook form, and XLA:GPU
    runs it well; on XLA:CPU its autodiff kernel gradient takes the naive-loop layout inside a
    scanned epoch (the Conv1DTranspose autoencoder of Keras's anomaly-detection example: a
    scanned gradient step 14x slower). On CPU the zeros are inserted explicitly (``lax.pad``
    with interior padding; its gradient is a strided slice) and the convolution is
    :func:`conv`, with its hand-written gradients.

    Args:
        x: ``(batch, *spatial, channels)``.
        kernel: ``(*window, channels, filters)``.
        strides: the upsampling factor per spatial axis.
        pads: one ``(low, high)`` pair per spatial axis (may be negative: a crop).
        dilation: the kernel dilation per spatial axis.

    Example:
        >>> import jax.numpy as jnp
        >>> conv_transpose(jnp.ones((1, 3, 2)), jnp.ones((2, 2, 4)), (2,), [(1, 1)], (1,)).shape
        (1, 6, 4)
    """
    n = x.ndim - 2
    strides = tuple(int(s) for s in strides)
    if not _on_cpu() or all(s == 1 for s in strides):
        return lax.conv_general_dilated(
            x, kernel, window_strides=(1,) * n, padding=[tuple(p) for p in pads],
            lhs_dilation=strides, rhs_dilation=tuple(dilation), dimension_numbers=_SPECS[n],
        )
    interior = [(0, 0, 0), *((0, 0, s - 1) for s in strides), (0, 0, 0)]
    dilated = lax.pad(x, jnp.zeros((), x.dtype), interior)
    return conv(dilated, kernel, (1,) * n, [tuple(p) for p in pads], dilation)


#: The patch form is used when a window holds at least this many values (``prod(window) *
#: in``): a 3x3x32 window (288) ran 1.2x faster as a matmul than XLA:CPU's convolution, a
#: 3x3x1 window (9) 2x slower.
PATCH_MIN_DEPTH = 64

#: Largest patch matrix (bytes) either patch form builds; above it, the convolution forms.
#: The matmul form keeps its patches for the backward pass (one such matrix per layer).
IM2COL_LIMIT_BYTES = 64 * 2**20


def _out_spatial(x_shape, window, strides, pads, dilation):
    n = len(window)
    out = []
    for i in range(n):
        padded = x_shape[1 + i] + pads[i][0] + pads[i][1]
        span = (window[i] - 1) * dilation[i] + 1
        out.append(max(0, (padded - span) // strides[i] + 1))
    return tuple(out)


def _on_cpu() -> bool:
    """The patch forms were measured on XLA:CPU only; GPUs keep their convolution kernels."""
    return jax.default_backend() == "cpu"


def _use_patches(x, kernel, strides, pads, dilation):
    n = x.ndim - 2
    if not _on_cpu() or any(lo < 0 or hi < 0 for lo, hi in pads):
        return False
    out = _out_spatial(x.shape, kernel.shape[:n], strides, pads, dilation)
    depth = math.prod(kernel.shape[:-1])
    patch_bytes = x.shape[0] * math.prod(out) * depth * x.dtype.itemsize
    return depth >= PATCH_MIN_DEPTH and 0 < patch_bytes <= IM2COL_LIMIT_BYTES


@partial(jax.custom_vjp, nondiff_argnums=(2, 3, 4))
def _patch_conv(x, kernel, strides, pads, dilation):
    return _patch_conv_fwd(x, kernel, strides, pads, dilation)[0]


def _patch_conv_fwd(x, kernel, strides, pads, dilation):
    n = x.ndim - 2
    out = _out_spatial(x.shape, kernel.shape[:n], strides, pads, dilation)
    patches = _patches(x, kernel.shape[:n], out, strides, pads, dilation)
    rows = patches.reshape(-1, patches.shape[-1])
    y = jnp.matmul(rows, kernel.reshape(-1, kernel.shape[-1]))
    return y.reshape(*patches.shape[:-1], kernel.shape[-1]), (rows, kernel, x.shape)


def _patch_conv_bwd(strides, pads, dilation, residuals, g):
    rows, kernel, x_shape = residuals
    n = len(x_shape) - 2
    g_rows = g.reshape(-1, g.shape[-1])
    dk = jnp.matmul(rows.T, g_rows).reshape(kernel.shape)
    window, channels = kernel.shape[:n], kernel.shape[n]
    d_patches = jnp.matmul(g_rows, kernel.reshape(-1, kernel.shape[-1]).T)
    d_patches = d_patches.reshape(*g.shape[:-1], math.prod(window), channels)
    return _fold(d_patches, x_shape, window, strides, pads, dilation), dk


def _fold(d_patches, x_shape, window, strides, pads, dilation):
    """The transpose of :func:`_patches`: each window offset's slice of ``d_patches`` added
    back where it was read from (zero-interleaved by the strides), the padding cropped."""
    n = len(window)
    padded = [x_shape[1 + i] + pads[i][0] + pads[i][1] for i in range(n)]
    out = d_patches.shape[1 : 1 + n]
    total = None
    zero = jnp.zeros((), d_patches.dtype)
    for k, offsets in enumerate(itertools.product(*(range(w) for w in window))):
        config = [(0, 0, 0)]
        for i in range(n):
            lo = offsets[i] * dilation[i]
            covered = (out[i] - 1) * strides[i] + 1
            config.append((lo, padded[i] - lo - covered, strides[i] - 1))
        config.append((0, 0, 0))
        piece = lax.pad(d_patches[..., k, :], zero, config)
        total = piece if total is None else total + piece
    crop = tuple(slice(lo, lo + x_shape[1 + i]) for i, (lo, _) in enumerate(pads))
    return total[(slice(None), *crop, slice(None))]


_patch_conv.defvjp(_patch_conv_fwd, _patch_conv_bwd)


def _plain(x, kernel, strides, pads, dilation, groups=1):
    return lax.conv_general_dilated(
        x, kernel, strides, pads, rhs_dilation=dilation,
        dimension_numbers=_SPECS[x.ndim - 2], feature_group_count=groups,
    )


def _explicit_pads(spatial, window, strides, dilation, padding):
    if isinstance(padding, str):
        dilated = tuple((w - 1) * d + 1 for w, d in zip(window, dilation, strict=True))
        return tuple(lax.padtype_to_pads(spatial, dilated, strides, padding))
    return tuple((int(lo), int(hi)) for lo, hi in padding)


@partial(jax.custom_vjp, nondiff_argnums=(2, 3, 4))
def _conv(x, kernel, strides, pads, dilation):
    return _plain(x, kernel, strides, pads, dilation)


def _conv_fwd(x, kernel, strides, pads, dilation):
    return _plain(x, kernel, strides, pads, dilation), (x, kernel)


def _conv_bwd(strides, pads, dilation, residuals, g):
    x, kernel = residuals
    return (
        _input_grad(g, kernel, x.shape, strides, pads, dilation),
        _kernel_grad(x, g, kernel.shape, strides, pads, dilation),
    )


def _input_grad(g, kernel, x_shape, strides, pads, dilation):
    """The input gradient as an ordinary convolution of the output gradient (dilated by the
    strides) with the kernel flipped in space and its in/out axes swapped physically."""
    n = g.ndim - 2
    flipped = jnp.swapaxes(jnp.flip(kernel, tuple(range(n))), -1, -2)
    vjp_pads = []
    for i in range(n):
        dilated_in = x_shape[1 + i]
        dilated_win = (kernel.shape[i] - 1) * dilation[i] + 1
        dilated_out = (g.shape[1 + i] - 1) * strides[i] + 1 if g.shape[1 + i] else 0
        before = dilated_win - pads[i][0] - 1
        after = dilated_in + dilated_win - 1 - dilated_out - before
        vjp_pads.append((before, after))
    return lax.conv_general_dilated(
        g, flipped, window_strides=(1,) * n, padding=vjp_pads, lhs_dilation=strides,
        rhs_dilation=dilation, dimension_numbers=_SPECS[n],
    )


def _kernel_grad(x, g, kernel_shape, strides, pads, dilation):
    """The kernel gradient: one matmul of the input's patches with the output gradient when
    the patch matrix is at most :data:`IM2COL_LIMIT_BYTES` (measured 1.75x faster than the
    convolution form on the benchmark CNN's second layer, 2 CPU cores), else
    :func:`_kernel_grad_conv`."""
    window = kernel_shape[: x.ndim - 2]
    patch_bytes = math.prod(g.shape[:-1]) * math.prod(kernel_shape[:-1]) * x.dtype.itemsize
    if patch_bytes == 0 or patch_bytes > IM2COL_LIMIT_BYTES or not _on_cpu():
        return _kernel_grad_conv(x, g, kernel_shape, strides, pads, dilation)
    patches = _patches(x, window, g.shape[1:-1], strides, pads, dilation)
    rows = patches.reshape(-1, patches.shape[-1])
    dk = jnp.matmul(rows.T, g.reshape(-1, g.shape[-1]))
    return dk.reshape(kernel_shape)


def _patches(x, window, out_spatial, strides, pads, dilation):
    """``(batch, *out_spatial, prod(window) * channels)``: for each output position, the input
    values its kernel window covers, window-major as the ``(*window, in, out)`` kernel."""
    n = x.ndim - 2
    config = [(0, 0, 0), *((lo, hi, 0) for lo, hi in pads), (0, 0, 0)]
    x = lax.pad(x, jnp.zeros((), x.dtype), config)
    pieces = []
    for offsets in itertools.product(*(range(w) for w in window)):
        start = [0, *(o * d for o, d in zip(offsets, dilation, strict=True)), 0]
        limit = [x.shape[0]]
        limit += [start[1 + i] + (out_spatial[i] - 1) * strides[i] + 1 for i in range(n)]
        limit.append(x.shape[-1])
        pieces.append(lax.slice(x, start, limit, (1, *strides, 1)))
    return jnp.concatenate(pieces, axis=-1)


def _kernel_grad_conv(x, g, kernel_shape, strides, pads, dilation):
    """The kernel gradient as an ordinary convolution: x's channels as the batch, x's batch as
    the features, the output gradient as the kernel (strides and dilation swap roles)."""
    n = x.ndim - 2
    spatial = tuple(range(1, n + 1))
    xt = x.transpose((n + 1, *spatial, 0))  # (in, *spatial, batch)
    gt = g.transpose((*spatial, 0, n + 1))  # (*out_spatial, batch, out)
    window = kernel_shape[:n]
    out_spatial = g.shape[1:-1]
    vjp_pads = []
    for i in range(n):
        lo = pads[i][0]
        dilated_out = (out_spatial[i] - 1) * strides[i] + 1 if out_spatial[i] else 0
        dilated_win = (window[i] - 1) * dilation[i] + 1
        hi = (dilated_out - x.shape[1 + i]) + (dilated_win - lo - 1)
        vjp_pads.append((lo, hi))
    dk = lax.conv_general_dilated(
        xt, gt, window_strides=dilation, padding=vjp_pads, rhs_dilation=strides,
        dimension_numbers=_SPECS[n],
    )  # (in, *window, out)
    return dk.transpose((*spatial, 0, n + 1))


_conv.defvjp(_conv_fwd, _conv_bwd)
