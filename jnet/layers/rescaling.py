"""Rescaling: ``inputs * scale + offset`` in float32 (Keras's ``Rescaling`` preprocessing layer).

Example:
    >>> import jax.numpy as jnp, jnet
    >>> jnet.layers.Rescaling(1.0 / 127.5, offset=-1.0).apply({}, jnp.array([0, 255]))
    Array([-1.,  1.], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer, cast_inputs

__all__ = ["Rescaling"]


class Rescaling(Layer):
    """Multiplies inputs by ``scale`` and adds ``offset``, in Keras's order of operations.

    Inputs of any dtype (e.g. uint8 images) are cast to float32 first. The layer has no
    weights and behaves the same in training and inference.

    Args:
        scale: a number, or a list/array broadcast against the trailing input axes (e.g. one
            value per channel of channels_last images).
        offset: a number or list/array, as ``scale``. Default 0.0.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.full((1, 2, 2, 3), 10.0)
        >>> jnet.layers.Rescaling([1.0, 0.5, 0.1], offset=1.0).apply({}, x)[0, 0, 0]
        Array([11.,  6.,  2.], dtype=float32)
    """

    scale: Any
    offset: Any = 0.0

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        for argument in ("scale", "offset"):
            _as_float_array(getattr(self, argument), argument)
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``scale`` and ``offset`` as given (lists for arrays)."""
        config = super().get_config()
        for argument in ("scale", "offset"):
            value = getattr(self, argument)
            config[argument] = value.tolist() if isinstance(value, np.ndarray) else value
        return config

    def __call__(self, inputs, training: bool = False):
        inputs = cast_inputs(inputs)
        scale = _broadcastable(_as_float_array(self.scale, "scale"), inputs, "scale")
        offset = _broadcastable(_as_float_array(self.offset, "offset"), inputs, "offset")
        return inputs * scale + offset


def _as_float_array(value: Any, argument: str) -> np.ndarray:
    try:
        with np.errstate(over="ignore"):  # a value past float32's range: refused below
            array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise errors.JnetValueError(
            f"Rescaling: {argument} must be a number or a list/array of numbers, received "
            f"{errors.describe(value)}."
        ) from None
    if value is None or isinstance(value, bool) or array.dtype == object:
        raise errors.JnetValueError(
            f"Rescaling: {argument} must be a number or a list/array of numbers, received "
            f"{errors.describe(value)}."
        )
    if not np.isfinite(array).all():  # NaN, infinity, or a value past float32's range
        raise errors.JnetValueError(
            f"Rescaling: {argument} must be finite (as float32), received {value!r}: every "
            f"output would be NaN or infinite. Pass a finite number (e.g. scale=1 / 255)."
        )
    return array


def _broadcastable(value: np.ndarray, inputs: jnp.ndarray, argument: str) -> jnp.ndarray:
    """``value`` reshaped to the inputs' rank (numpy broadcasting made explicit)."""
    try:
        np.broadcast_shapes(value.shape, inputs.shape)
        if value.ndim > inputs.ndim:
            raise ValueError
    except ValueError:
        raise errors.JnetValueError(
            f"Rescaling: {argument} of shape {value.shape} does not broadcast against inputs of "
            f"shape {tuple(inputs.shape)} (it applies to the trailing axes, e.g. one value per "
            f"channel)."
        ) from None
    return jnp.asarray(value.reshape((1,) * (inputs.ndim - value.ndim) + value.shape),
                       inputs.dtype)
