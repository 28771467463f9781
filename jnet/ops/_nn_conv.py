"""Keras's convolution ops: ``conv``, ``depthwise_conv``, ``separable_conv``,
``conv_transpose``, on ``jax.lax.conv_general_dilated`` / ``jax.lax.conv_transpose``.

Inputs are ``(batch, *spatial, channels)`` (``data_format='channels_last'``) or
``(batch, channels, *spatial)``, with 1, 2 or 3 spatial axes; ``data_format=None`` means
``jnet.config.image_data_format()``. Kernels have Keras's layouts: ``(*spatial, in, out)`` for
``conv``, ``(*spatial, in, multiplier)`` for ``depthwise_conv`` and
``(*spatial, out, in)`` for ``conv_transpose``. Inputs and kernels are cast to Keras's
promoted dtype.

Example:
    >>> x = np.ones((1, 5, 1), "float32")
    >>> conv(x, np.ones((3, 1, 2), "float32")).shape
    (1, 3, 2)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
from jax import lax

from jnet import _dtypes, errors
from jnet.ops._nn_utils import check_rank, padding_mode, spatial_tuple
from jnet.ops._nn_utils import data_format as standard_format
from jnet.ops._op import keras_op, promote

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


def _dimension_numbers(ndim: int, fmt: str) -> lax.ConvDimensionNumbers:
    spatial = tuple(range(1, ndim - 1)) if fmt == "channels_last" else tuple(range(2, ndim))
    channels = ndim - 1 if fmt == "channels_last" else 1
    lhs = (0, channels, *spatial)
    rhs = (ndim - 1, ndim - 2, *range(ndim - 2))  # kernel (*spatial, in, out)
    return lax.ConvDimensionNumbers(lhs_spec=lhs, rhs_spec=rhs, out_spec=lhs)


def _float_operands(*arrays: Any) -> list[jax.Array]:
    dtype = _dtypes.result_type(*(_dtypes.dtype_of(a) for a in arrays))
    if not _dtypes.is_float(dtype):
        dtype = _dtypes.standardize_dtype(None)
    return promote(*arrays, dtype=dtype)


def _check_operands(inputs: jax.Array, kernel: jax.Array, op: str, kernel_name: str) -> int:
    check_rank(inputs, (3, 4, 5), op, "inputs",
               "batch, 1 to 3 spatial axes and channels")
    if kernel.ndim != inputs.ndim:
        raise errors.JnetValueError(
            f"{op}: {kernel_name} must have the rank of inputs ({inputs.ndim}: "
            f"{inputs.ndim - 2} spatial axes, then in and out channels), received "
            f"{kernel_name}.shape={kernel.shape} for inputs.shape={inputs.shape}."
        )
    return inputs.ndim - 2


def _channels(inputs: jax.Array, fmt: str) -> int:
    return inputs.shape[-1] if fmt == "channels_last" else inputs.shape[1]


def _check_not_empty(result: jax.Array, inputs: jax.Array, op: str) -> jax.Array:
    if result.size == 0 and inputs.size != 0:
        raise errors.JnetValueError(
            f"{op}: the convolution resulted in an empty output (shape {result.shape}) for "
            f"inputs.shape={inputs.shape}: the input is too small for the kernel size, "
            "strides, dilation rate and padding."
        )
    return result


def _conv(inputs, kernel, strides, padding, fmt, dilation_rate, groups, op):
    n = inputs.ndim - 2
    strides = spatial_tuple(strides, n, "strides", op)
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", op)
    result = lax.conv_general_dilated(
        inputs, kernel, strides, padding.upper(), rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(inputs.ndim, fmt), feature_group_count=groups,
    )
    return _check_not_empty(result, inputs, op)


@keras_op
def conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid",
         data_format: str | None = None, dilation_rate: Any = 1) -> jax.Array:
    """N-D convolution (1D, 2D or 3D, from the rank of ``inputs``).

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        kernel: ``(*kernel_spatial, in_channels, out_channels)``; ``channels`` must be a
            multiple of ``in_channels`` (a multiple > 1 is a grouped convolution).
        strides: an int or a tuple of one int per spatial axis (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).
        dilation_rate: an int or a tuple of one int per spatial axis (default 1).

    Returns:
        The convolved array, in ``data_format``.

    Example:
        >>> conv(np.ones((1, 4, 4, 1), "float32"), np.ones((2, 2, 1, 1), "float32"),
        ...      strides=2)[0, :, :, 0].tolist()
        [[4.0, 4.0], [4.0, 4.0]]
    """
    fmt = standard_format(data_format, "conv")
    padding = padding_mode(padding, "conv")
    inputs, kernel = _float_operands(inputs, kernel)
    _check_operands(inputs, kernel, "conv", "kernel")
    channels, kernel_in = _channels(inputs, fmt), kernel.shape[-2]
    if kernel_in == 0 or channels % kernel_in:
        raise errors.JnetValueError(
            "conv: the number of input channels must be evenly divisible by the kernel's "
            f"in_channels. Received input channels {channels} and kernel in_channels "
            f"{kernel_in} (inputs.shape={inputs.shape}, kernel.shape={kernel.shape}, "
            f"data_format='{fmt}')."
        )
    return _conv(inputs, kernel, strides, padding, fmt, dilation_rate, channels // kernel_in,
                 "conv")


def _check_same_channels(inputs: jax.Array, kernel: jax.Array, fmt: str, op: str,
                         kernel_name: str, position: int) -> None:
    channels, kernel_in = _channels(inputs, fmt), kernel.shape[position]
    if channels != kernel_in:
        raise errors.JnetValueError(
            f"{op}: the number of input channels must match the kernel's input channels. "
            f"Received: input channels={channels}, kernel input channels={kernel_in} "
            f"(inputs.shape={inputs.shape}, {kernel_name}.shape={kernel.shape}, "
            f"data_format='{fmt}')."
        )


def _depthwise(inputs, kernel, strides, padding, fmt, dilation_rate, op, kernel_name):
    _check_operands(inputs, kernel, op, kernel_name)
    _check_same_channels(inputs, kernel, fmt, op, kernel_name, -2)
    channels = _channels(inputs, fmt)
    kernel = jnp.reshape(kernel, (*kernel.shape[:-2], 1, channels * kernel.shape[-1]))
    return _conv(inputs, kernel, strides, padding, fmt, dilation_rate, channels, op)


@keras_op
def depthwise_conv(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid",
                   data_format: str | None = None, dilation_rate: Any = 1) -> jax.Array:
    """Depthwise N-D convolution: each input channel convolved with its own filters.

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        kernel: ``(*kernel_spatial, channels, channel_multiplier)``.
        strides: an int or a tuple of one int per spatial axis (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).
        dilation_rate: an int or a tuple of one int per spatial axis (default 1).

    Returns:
        An array with ``channels * channel_multiplier`` channels.

    Example:
        >>> depthwise_conv(np.ones((1, 3, 2), "float32"), np.ones((3, 2, 2), "float32")).shape
        (1, 1, 4)
    """
    fmt = standard_format(data_format, "depthwise_conv")
    padding = padding_mode(padding, "depthwise_conv")
    inputs, kernel = _float_operands(inputs, kernel)
    return _depthwise(inputs, kernel, strides, padding, fmt, dilation_rate, "depthwise_conv",
                      "kernel")


@keras_op
def separable_conv(inputs: Any, depthwise_kernel: Any, pointwise_kernel: Any, strides: Any = 1,
                   padding: str = "valid", data_format: str | None = None,
                   dilation_rate: Any = 1) -> jax.Array:
    """Separable N-D convolution: a depthwise convolution, then a 1x1 (pointwise) one.

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        depthwise_kernel: ``(*kernel_spatial, channels, channel_multiplier)``.
        pointwise_kernel: ``(*ones, channels * channel_multiplier, out_channels)``.
        strides: an int or a tuple of one int per spatial axis (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).
        dilation_rate: an int or a tuple of one int per spatial axis (default 1).

    Returns:
        An array with ``out_channels`` channels.

    Example:
        >>> separable_conv(np.ones((1, 3, 2), "float32"), np.ones((3, 2, 1), "float32"),
        ...                np.ones((1, 2, 4), "float32")).shape
        (1, 1, 4)
    """
    fmt = standard_format(data_format, "separable_conv")
    padding = padding_mode(padding, "separable_conv")
    inputs, depthwise_kernel, pointwise_kernel = _float_operands(
        inputs, depthwise_kernel, pointwise_kernel)
    hidden = _depthwise(inputs, depthwise_kernel, strides, padding, fmt, dilation_rate,
                        "separable_conv", "depthwise_kernel")
    _check_operands(hidden, pointwise_kernel, "separable_conv", "pointwise_kernel")
    _check_same_channels(hidden, pointwise_kernel, fmt, "separable_conv", "pointwise_kernel", -2)
    return _conv(hidden, pointwise_kernel, 1, "valid", fmt, dilation_rate, 1, "separable_conv")


def _transpose_pads(kernel_size: int, stride: int, dilation: int, padding: str,
                    output_padding: int | None) -> tuple[int, int]:
    # Keras's arithmetic (backend_utils): the padding of the dilated input that gives
    # TensorFlow's output size for conv_transpose.
    effective = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return effective - 1, effective - 1 + extra
    if output_padding is None:
        total = stride + effective - 2
    else:
        total = effective + effective % 2 - 2 + output_padding
    left = min(total // 2 + total % 2, effective - 1)
    return left, total - left


@keras_op
def conv_transpose(inputs: Any, kernel: Any, strides: Any = 1, padding: str = "valid",
                   output_padding: Any = None, data_format: str | None = None,
                   dilation_rate: Any = 1) -> jax.Array:
    """N-D transposed convolution (the gradient of ``conv``, a.k.a. deconvolution).

    Args:
        inputs: ``(batch, *spatial, channels)`` or ``(batch, channels, *spatial)``.
        kernel: ``(*kernel_spatial, out_channels, channels)``.
        strides: an int or a tuple of one int per spatial axis (default 1).
        padding: ``'valid'`` (default) or ``'same'``.
        output_padding: None (default: inferred) or an int or tuple of ints: the extra size
            added to one side of each spatial output axis.
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default: the
            configured image data format).
        dilation_rate: an int or a tuple of one int per spatial axis (default 1).

    Returns:
        An array with ``out_channels`` channels; with ``'same'`` padding, each spatial size
        is the input's times the stride.

    Example:
        >>> conv_transpose(np.ones((1, 3, 1), "float32"), np.ones((2, 4, 1), "float32"),
        ...                strides=2, padding="same").shape
        (1, 6, 4)
    """
    fmt = standard_format(data_format, "conv_transpose")
    padding = padding_mode(padding, "conv_transpose")
    inputs, kernel = _float_operands(inputs, kernel)
    n = _check_operands(inputs, kernel, "conv_transpose", "kernel")
    _check_same_channels(inputs, kernel, fmt, "conv_transpose", "kernel", -1)
    strides = spatial_tuple(strides, n, "strides", "conv_transpose")
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", "conv_transpose")
    extra = ((None,) * n if output_padding is None
             else spatial_tuple(output_padding, n, "output_padding", "conv_transpose", 0))
    pads = [_transpose_pads(kernel.shape[i], strides[i], dilation[i], padding, extra[i])
            for i in range(n)]
    result = lax.conv_transpose(
        inputs, kernel, strides, padding=pads, rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(inputs.ndim, fmt), transpose_kernel=True,
    )
    return _check_not_empty(result, inputs, "conv_transpose")
