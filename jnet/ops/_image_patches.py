"""Keras's patch extraction: ``extract_patches`` (2D, or 3D for a 3-tuple ``size``) and
``extract_patches_3d`` (re-exported by :mod:`jnet.ops.image`).

Each output position holds its patch flattened in (rows, columns, channels) order: Keras's
convolution with an identity kernel, here ``jax.lax.conv_general_dilated_patches`` with its
(channels, rows, columns) features reordered.

Example:
    >>> from jnet.ops import _image_patches
    >>> _image_patches.extract_patches(np.ones((4, 4, 3)), 2).shape
    (2, 2, 12)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._image_common import data_format as _format
from jnet.ops._op import convert, keras_op

__all__ = ["extract_patches", "extract_patches_3d"]


def _tuple(value: Any, n: int, name: str, op: str) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if not isinstance(value, tuple | list) or len(value) != n:
        raise errors.JnetValueError(
            f"{op}: `{name}` must be an int or a tuple of {n} ints, received {name}={value!r}."
        )
    return tuple(int(v) for v in value)


def _patches(x: Any, size: Any, strides: Any, dilation_rate: Any, padding: str,
             data_format: Any, spatial: int, op: str) -> jax.Array:
    fmt = _format(data_format)
    x = convert(x)
    if x.ndim not in (spatial + 1, spatial + 2):
        raise errors.JnetValueError(
            f"{op}: expected rank {spatial + 1} (one input) or {spatial + 2} (a batch), "
            f"received shape {tuple(x.shape)}."
        )
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise errors.JnetValueError(
            f"{op}: `padding` must be 'valid' or 'same', received padding={padding!r}."
        )
    size = _tuple(size, spatial, "size", op)
    strides = size if strides is None else _tuple(strides, spatial, "strides", op)
    dilation = _tuple(dilation_rate, spatial, "dilation_rate", op)
    single = x.ndim == spatial + 1
    if single:
        x = x[None]
    if fmt == "channels_first":
        x = jnp.moveaxis(x, 1, -1)
    letters = "DHW"[-spatial:]
    spec = f"N{letters}C"
    patches = jax.lax.conv_general_dilated_patches(
        x, size, strides, padding.upper(), rhs_dilation=dilation,
        dimension_numbers=(spec, f"OI{letters}", spec),
        precision=jax.lax.Precision.HIGHEST,
    )
    channels = x.shape[-1]
    grid = patches.shape[:-1]
    patches = patches.reshape(*grid, channels, *size)
    order = (*range(len(grid)), *range(len(grid) + 1, len(grid) + 1 + spatial), len(grid))
    patches = jnp.transpose(patches, order).reshape(*grid, -1).astype(x.dtype)
    if fmt == "channels_first":
        patches = jnp.moveaxis(patches, -1, 1)
    return patches[0] if single else patches


@keras_op
def extract_patches(images: Any, size: Any, strides: Any = None, dilation_rate: Any = 1,
                    padding: str = "valid", data_format: str | None = None):
    """Extracts patches from images (or, with a 3-tuple ``size``, from volumes).

    Args:
        images: an image ``(H, W, C)`` or a batch ``(N, H, W, C)`` (channels first with
            ``data_format='channels_first'``); volumes for a 3-tuple ``size``.
        size: the patch size: an int or ``(rows, columns)`` (``(depth, rows, columns)`` for
            volumes).
        strides: the step between patches (default: ``size``, patches that do not overlap).
        dilation_rate: the spacing of a patch's pixels. Defaults to 1.
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The patches: ``(..., rows_out, cols_out, rows * cols * C)`` for channels last.

    Example:
        >>> image = np.arange(16.0).reshape(4, 4, 1)
        >>> extract_patches(image, 2)[0, 1].tolist()
        [2.0, 3.0, 6.0, 7.0]
    """
    if not isinstance(size, int):
        if not isinstance(size, tuple | list):
            raise errors.JnetTypeError(
                f"extract_patches: `size` must be an int or a tuple, received "
                f"{errors.describe(size)}."
            )
        if len(size) not in (2, 3):
            raise errors.JnetValueError(
                f"extract_patches: `size` must be a tuple of length 2 or 3, received "
                f"size={size!r}."
            )
        if len(size) == 3:
            return _patches(images, size, strides, dilation_rate, padding, data_format, 3,
                            "extract_patches")
    return _patches(images, size, strides, dilation_rate, padding, data_format, 2,
                    "extract_patches")


@keras_op
def extract_patches_3d(volumes: Any, size: Any, strides: Any = None, dilation_rate: Any = 1,
                       padding: str = "valid", data_format: str | None = None):
    """Extracts 3D patches from volumes.

    Args:
        volumes: a volume ``(D, H, W, C)`` or a batch ``(N, D, H, W, C)`` (channels first
            with ``data_format='channels_first'``).
        size: the patch size: an int or ``(depth, rows, columns)``.
        strides: the step between patches (default: ``size``).
        dilation_rate: the spacing of a patch's voxels. Defaults to 1.
        padding: ``'valid'`` (default) or ``'same'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; defaults to
            ``jnet.config.image_data_format()``.

    Returns:
        The patches: ``(..., d_out, rows_out, cols_out, depth * rows * cols * C)`` for
        channels last.

    Example:
        >>> extract_patches_3d(np.ones((4, 4, 4, 2)), 2).shape
        (2, 2, 2, 16)
    """
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3,
                    "extract_patches_3d")
