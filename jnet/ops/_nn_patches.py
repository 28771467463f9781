"""Keras's patch ops: ``unfold``/``fold`` (sliding blocks to columns and back, as PyTorch's
``nn.Unfold``/``nn.Fold``, on ``(N, C, H, W)`` inputs) and ``depth_to_space``/
``space_to_depth`` (channels to spatial blocks and back).

``fold`` is ``unfold``'s transpose (overlapping values are summed), computed with
``jax.linear_transpose``. The channels-first layouts of ``depth_to_space``/``space_to_depth``
follow Keras's JAX backend (channel ``c * block**2 + i * block + j`` goes to block position
``(i, j)`` of output channel ``c``, as PyTorch's pixel shuffle).

Example:
    >>> unfold(np.arange(4.0).reshape(1, 1, 2, 2), 2).tolist()
    [[[0.0], [1.0], [2.0], [3.0]]]
"""

from __future__ import annotations

from typing import Any

import jax
from jax import lax

from jnet import errors
from jnet.ops._nn_utils import check_rank, spatial_tuple
from jnet.ops._nn_utils import data_format as standard_format
from jnet.ops._op import convert, keras_op

__all__ = ["depth_to_space", "fold", "space_to_depth", "unfold"]


def _unfold_args(kernel_size, dilation, padding, stride, op):
    return (spatial_tuple(kernel_size, 2, "kernel_size", op),
            spatial_tuple(dilation, 2, "dilation", op),
            spatial_tuple(padding, 2, "padding", op, minimum=0),
            spatial_tuple(stride, 2, "stride", op))


def _unfold(x: jax.Array, kernel, dilation, padding, stride) -> jax.Array:
    n, _, _, _ = x.shape
    patches = lax.conv_general_dilated_patches(
        x, filter_shape=kernel, window_strides=stride,
        padding=[(padding[0], padding[0]), (padding[1], padding[1])], rhs_dilation=dilation,
        dimension_numbers=("NCHW", "OIHW", "NCHW"),
    )
    return patches.reshape(n, patches.shape[1], -1)


@keras_op
def unfold(x: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> jax.Array:
    """Extracts sliding blocks of a batch of images as columns (PyTorch's ``nn.Unfold``).

    Args:
        x: ``(N, C, H, W)`` images.
        kernel_size: the block size, an int or ``(kH, kW)``.
        dilation: the spacing of block elements, int or pair (default 1).
        padding: zero padding added on both sides, int or pair (default 0).
        stride: the step between blocks, int or pair (default 1).

    Returns:
        ``(N, C * kH * kW, L)``, ``L`` the number of blocks.

    Example:
        >>> unfold(np.ones((1, 2, 3, 3), "float32"), 2).shape
        (1, 8, 4)
    """
    x = convert(x)
    check_rank(x, (4,), "unfold", "x", "(N, C, H, W)")
    return _unfold(x, *_unfold_args(kernel_size, dilation, padding, stride, "unfold"))


@keras_op
def fold(x: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> jax.Array:
    """Combines columns of sliding blocks into images, summing overlaps (PyTorch's
    ``nn.Fold``, the transpose of :func:`unfold`).

    Args:
        x: ``(N, C * kH * kW, L)`` columns.
        output_size: the image size, int or ``(H, W)``.
        kernel_size: the block size, int or ``(kH, kW)``.
        dilation: the spacing of block elements, int or pair (default 1).
        padding: the padding that ``unfold`` added, int or pair (default 0).
        stride: the step between blocks, int or pair (default 1).

    Returns:
        ``(N, C, H, W)`` images.

    Example:
        >>> fold(np.ones((1, 4, 4), "float32"), 3, 2)[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    x = convert(x)
    check_rank(x, (3,), "fold", "x", "(N, C * kH * kW, L)")
    size = spatial_tuple(output_size, 2, "output_size", "fold")
    kernel, dilation, padding, stride = _unfold_args(kernel_size, dilation, padding, stride,
                                                     "fold")
    n, ckk, length = x.shape
    if ckk % (kernel[0] * kernel[1]):
        raise errors.JnetValueError(
            f"fold: the second dimension of the input ({ckk}) must be divisible by the "
            f"kernel_size product ({kernel[0] * kernel[1]}); received x.shape={x.shape}."
        )
    blocks = [(size[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) // stride[i] + 1
              for i in range(2)]
    if length != blocks[0] * blocks[1]:
        raise errors.JnetValueError(
            f"fold: x.shape[2] must be the number of blocks, {blocks[0] * blocks[1]} for "
            f"output_size={size}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={padding}, stride={stride}; received x.shape={x.shape}."
        )
    image = jax.ShapeDtypeStruct((n, ckk // (kernel[0] * kernel[1]), *size), x.dtype)
    transposed = jax.linear_transpose(
        lambda images: _unfold(images, kernel, dilation, padding, stride), image)
    (result,) = transposed(x)
    return result


def _block(block_size: Any, op: str) -> int:
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
        raise errors.JnetValueError(
            f"{op}: `block_size` must be an integer of at least 2. Received: "
            f"block_size={block_size!r}"
        )
    return block_size


@keras_op
def depth_to_space(x: Any, block_size: int, data_format: str = "channels_last") -> jax.Array:
    """Moves blocks of channels to spatial ``block_size x block_size`` blocks.

    Args:
        x: 4D images, ``(N, H, W, C)`` or ``(N, C, H, W)``.
        block_size: the block side, at least 2; ``C`` must be a multiple of its square.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Returns:
        ``(N, H * b, W * b, C / b**2)`` (or channels first).

    Example:
        >>> depth_to_space(np.arange(4.0).reshape(1, 1, 1, 4), 2)[0, :, :, 0].tolist()
        [[0.0, 1.0], [2.0, 3.0]]
    """
    fmt = standard_format(data_format, "depth_to_space")
    b = _block(block_size, "depth_to_space")
    x = convert(x)
    check_rank(x, (4,), "depth_to_space", "x", "a batch of images")
    c = x.shape[-1] if fmt == "channels_last" else x.shape[1]
    if c % (b * b):
        raise errors.JnetValueError(
            f"depth_to_space: the number of channels ({c}) must be divisible by "
            f"block_size**2 ({b * b}); received x.shape={x.shape}."
        )
    if fmt == "channels_last":
        n, h, w, _ = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, _, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


@keras_op
def space_to_depth(x: Any, block_size: int, data_format: str = "channels_last") -> jax.Array:
    """Moves spatial ``block_size x block_size`` blocks to channels (inverse of
    :func:`depth_to_space`).

    Args:
        x: 4D images, ``(N, H, W, C)`` or ``(N, C, H, W)``; ``H`` and ``W`` multiples of
            ``block_size``.
        block_size: the block side, at least 2.
        data_format: ``'channels_last'`` (default) or ``'channels_first'``.

    Returns:
        ``(N, H / b, W / b, C * b**2)`` (or channels first).

    Example:
        >>> space_to_depth(np.arange(4.0).reshape(1, 2, 2, 1), 2)[0, 0, 0].tolist()
        [0.0, 1.0, 2.0, 3.0]
    """
    fmt = standard_format(data_format, "space_to_depth")
    b = _block(block_size, "space_to_depth")
    x = convert(x)
    check_rank(x, (4,), "space_to_depth", "x", "a batch of images")
    if fmt == "channels_last":
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if h % b or w % b:
        raise errors.JnetValueError(
            f"space_to_depth: height ({h}) and width ({w}) must be divisible by block_size "
            f"({b}); received x.shape={x.shape}."
        )
    if fmt == "channels_last":
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)
