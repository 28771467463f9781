"""Shared pieces of the convolution layers: argument checks, Keras/TF padding, lax calls.

Everything here is private to :mod:`jnet.layers.convolutional`. The functions are plain
Python over static shapes (padding amounts, output sizes) or pure JAX over arrays.

Padding follows TensorFlow, Keras's judge:

* ``'valid'``: no padding.
* ``'same'``: output size ``ceil(n / s)``; total padding
  ``max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)``, with ``total // 2`` before and the
  rest after (the extra row/column goes at the bottom/right).
* ``'causal'`` (1-D only): ``(k - 1) * d`` zeros on the left, then ``'valid'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers import _fast_conv

__all__: list[str] = []

_SPATIAL_LETTERS = {1: "W", 2: "HW", 3: "DHW"}
_SPATIAL_NAMES = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}
DATA_FORMATS = ("channels_last", "channels_first")


# -- argument checks --------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def positive_int(value: Any, name: str, owner: str) -> int:
    """``value`` as an int, or a JnetValueError when it is not a positive integer."""
    if not _is_int(value) or value <= 0:
        raise errors.JnetValueError(
            f"{owner}: {name} must be a positive integer, received {value!r}."
        )
    return int(value)


def int_tuple(value: Any, n: int, name: str, owner: str, allow_zero: bool = False) -> tuple:
    """Keras's ``standardize_tuple``: an int -> ``(int,) * n``; a sequence of ``n`` ints kept.

    Raises a JnetValueError naming ``owner`` and ``name`` when the value is not a positive
    (non-negative with ``allow_zero``) integer or a tuple/list of ``n`` of them.
    """
    kind = "non-negative" if allow_zero else "positive"
    plural = "integer" if n == 1 else "integers"
    expected = f"a {kind} integer or a tuple of {n} {kind} {plural}"
    if _is_int(value):
        values: tuple = (value,) * n
    elif isinstance(value, tuple | list):
        values = tuple(value)
        if len(values) != n or not all(_is_int(v) for v in values):
            raise errors.JnetValueError(f"{owner}: {name} must be {expected}, received {value!r}.")
    else:
        raise errors.JnetValueError(f"{owner}: {name} must be {expected}, received {value!r}.")
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in values):
        raise errors.JnetValueError(f"{owner}: {name} must be {expected}, received {value!r}.")
    return tuple(int(v) for v in values)


def padding_mode(value: Any, owner: str, allow_causal: bool = False) -> str:
    """The lower-cased padding mode (case-insensitive, as Keras); unknown ones list the valid."""
    valid = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    choices = ", ".join(repr(v) for v in valid)
    if not isinstance(value, str):
        raise errors.JnetTypeError(
            f"{owner}: padding must be one of {choices}, received {errors.describe(value)}."
        )
    mode = value.lower()
    if mode not in valid:
        message = f"{owner}: unknown padding {value!r}; expected one of {choices}."
        if mode == "causal":
            message += " 'causal' padding is only available in Conv1D."
        else:
            hint = errors.nearest(mode, valid)
            if hint is not None:
                message += f" Did you mean {hint!r}?"
        raise errors.JnetValueError(message)
    return mode


def data_format(value: Any, owner: str) -> str:
    """None -> 'channels_last' (Keras's default image_data_format); else one of the two."""
    if value is None:
        return "channels_last"
    mode = str(value).lower() if isinstance(value, str) else None
    if mode not in DATA_FORMATS:
        raise errors.JnetValueError(
            f"{owner}: data_format must be 'channels_last', 'channels_first' or None, "
            f"received {value!r}."
        )
    return mode


def reject_strides_with_dilation(strides: tuple, dilation: tuple, owner: str) -> None:
    """Keras's rule for Conv and ConvTranspose layers: not both strides > 1 and dilation > 1."""
    if max(strides) > 1 and max(dilation) > 1:
        raise errors.JnetValueError(
            f"{owner}: strides > 1 is not supported together with dilation_rate > 1, received "
            f"strides={strides} and dilation_rate={dilation}. Use one of them."
        )


# -- layouts and shapes -------------------------------------------------------------------------


def dimension_numbers(rank: int) -> tuple[str, str, str]:
    """lax's channels-last specs: ('NHWC', 'HWIO', 'NHWC') for rank 2, and alike."""
    letters = _SPATIAL_LETTERS[rank]
    return f"N{letters}C", f"{letters}IO", f"N{letters}C"


def check_input_rank(inputs: jax.Array, rank: int, owner: str, fmt: str) -> None:
    """Inputs must be (batch, *spatial, channels) (or channels first): rank ``rank + 2``."""
    expected = rank + 2
    if inputs.ndim == expected:
        return
    names = _SPATIAL_NAMES[rank]
    axes = ("batch", *names, "channels") if fmt == "channels_last" else (
        "batch", "channels", *names)
    shape = tuple(inputs.shape)
    message = (
        f"{owner} expects inputs of rank {expected} ({', '.join(axes)}), received shape "
        f"{shape}."
    )
    if inputs.ndim == expected - 1:
        sample = tuple(int(d) for d in shape[1:])
        if fmt == "channels_last":
            message += (
                f" Add a channel axis: x[..., None] or Reshape({(*sample, 1)})."
            )
        else:
            message += f" Add a channel axis: x[:, None] or Reshape({(1, *sample)})."
    raise errors.JnetValueError(message)


def to_channels_last(x: jax.Array, fmt: str) -> jax.Array:
    """(N, C, *spatial) -> (N, *spatial, C) when ``fmt`` is channels_first."""
    if fmt == "channels_last":
        return x
    return jnp.moveaxis(x, 1, -1)


def from_channels_last(x: jax.Array, fmt: str) -> jax.Array:
    """(N, *spatial, C) -> (N, C, *spatial) when ``fmt`` is channels_first."""
    if fmt == "channels_last":
        return x
    return jnp.moveaxis(x, -1, 1)


def effective_size(kernel: int, dilation: int) -> int:
    """Size of a dilated kernel window: ``(k - 1) * d + 1``."""
    return (kernel - 1) * dilation + 1


def conv_pads(
    spatial: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
    dilation: Sequence[int], mode: str,
) -> list[tuple[int, int]]:
    """(before, after) padding per spatial axis, as TensorFlow pads a convolution."""
    pads = []
    for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True):
        k_eff = effective_size(k, d)
        if mode == "valid":
            pads.append((0, 0))
        elif mode == "causal":
            pads.append((k_eff - 1, 0))
        else:
            out = -(-n // s)
            total = max((out - 1) * s + k_eff - n, 0)
            pads.append((total // 2, total - total // 2))
    return pads


def check_output_size(
    inputs_shape: Sequence[int], spatial: Sequence[int], kernel: Sequence[int],
    strides: Sequence[int], dilation: Sequence[int], pads: Sequence[tuple[int, int]],
    owner: str,
) -> None:
    """Keras refuses a convolution whose output would be empty; so does jnet."""
    for n, k, d, (lo, hi) in zip(spatial, kernel, dilation, pads, strict=True):
        if n + lo + hi < effective_size(k, d):
            raise errors.JnetValueError(
                f"{owner}: inputs of shape {tuple(inputs_shape)} are too small for "
                f"kernel_size={tuple(kernel)}, strides={tuple(strides)}, "
                f"dilation_rate={tuple(dilation)} with this padding: the output would be "
                f"empty. Use padding='same', a smaller kernel, or larger inputs."
            )


def check_groups(channels: int, groups: int, inputs_shape: Sequence[int], owner: str) -> None:
    """Input channels must split evenly into ``groups``."""
    if channels % groups != 0:
        raise errors.JnetValueError(
            f"{owner}: the number of input channels ({channels}) must be divisible by "
            f"groups={groups}; received inputs of shape {tuple(inputs_shape)}."
        )


def transpose_output_size(
    n: int, kernel: int, stride: int, mode: str, output_padding: int | None, dilation: int
) -> int:
    """Keras's ``_get_output_shape_given_tf_padding``: the size a transposed conv produces."""
    k_eff = effective_size(kernel, dilation)
    if mode == "valid":
        extra = max(k_eff, stride) - k_eff if output_padding is None else output_padding
        return (n - 1) * stride + k_eff + extra
    if output_padding is None:
        return n * stride
    return (n - 1) * stride + k_eff % 2 + output_padding


def transpose_pads(
    n: int, out: int, kernel: int, stride: int, mode: str, dilation: int
) -> tuple[int, int]:
    """Padding of the stride-1 convolution over the ``stride``-dilated input that computes
    TensorFlow's ``conv_transpose`` (the gradient of a conv from size ``out`` to ``n``).

    TF pads that forward conv by ``before = total // 2`` ('same') or 0 ('valid'); its
    transpose then pads the dilated input with ``k_eff - 1 - before`` on the left and
    whatever makes the output ``out`` long on the right.
    """
    k_eff = effective_size(kernel, dilation)
    before = 0
    if mode == "same":
        before = max((n - 1) * stride + k_eff - out, 0) // 2
    left = k_eff - 1 - before
    right = out - 1 - (n - 1) * stride + before
    return left, right


# -- the computations (channels-last arrays) -----------------------------------------------------


def conv(
    x: jax.Array, kernel: jax.Array, strides: Sequence[int], pads: Sequence[tuple[int, int]],
    dilation: Sequence[int], groups: int = 1,
) -> jax.Array:
    """``lax.conv_general_dilated`` on channels-last ``x`` with an HWIO-style ``kernel``, with
    a kernel gradient that stays fast inside ``lax.scan`` (see ``_fast_conv``)."""
    return _fast_conv.conv(
        x, kernel, tuple(strides), [tuple(p) for p in pads], tuple(dilation), groups
    )


def conv_transpose(
    x: jax.Array, kernel: jax.Array, strides: Sequence[int], pads: Sequence[tuple[int, int]],
    dilation: Sequence[int],
) -> jax.Array:
    """TF's ``conv_transpose`` for a Keras kernel ``(*k, filters, in_channels)``.

    Computed as a stride-1 convolution over the input dilated by ``strides``, with the kernel
    flipped in space and its channel axes swapped to ``(*k, in_channels, filters)``.
    """
    rank = x.ndim - 2
    flipped = jnp.flip(kernel, axis=tuple(range(rank)))
    flipped = jnp.swapaxes(flipped, -1, -2)
    return _fast_conv.conv_transpose(x, flipped, strides, pads, dilation)


def depthwise_conv(
    x: jax.Array, kernel: jax.Array, strides: Sequence[int], pads: Sequence[tuple[int, int]],
    dilation: Sequence[int],
) -> jax.Array:
    """TF's ``depthwise_conv2d`` for a Keras kernel ``(*k, in_channels, depth_multiplier)``.

    Output channel ``c * depth_multiplier + m`` is input channel ``c`` filtered by
    ``kernel[..., c, m]``: a grouped convolution with one group per input channel.
    """
    channels, multiplier = kernel.shape[-2], kernel.shape[-1]
    grouped = jnp.reshape(kernel, (*kernel.shape[:-2], 1, channels * multiplier))
    return conv(x, grouped, strides, pads, dilation, groups=channels)


def add_bias(outputs: jax.Array, bias: jax.Array) -> jax.Array:
    """Adds a per-channel bias to channels-last ``outputs`` (explicit rank, no broadcasting)."""
    return outputs + jnp.reshape(bias, (1,) * (outputs.ndim - 1) + (-1,))
