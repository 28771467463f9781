"""Masking: marks timesteps whose features all equal ``mask_value`` as padding.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.layers.masking import Masking
    >>> x = jnp.array([[[1.0, 2.0], [0.0, 0.0]]])
    >>> Masking().compute_mask(x, None).tolist()
    [[True, False]]
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp

from jnet import errors
from jnet.layers.base import Layer, cast_inputs

__all__ = ["Masking"]


class Masking(Layer):
    """Masks timesteps whose features all equal ``mask_value`` (Keras's ``Masking``).

    The output is the input with masked timesteps set to 0; the mask
    (``any(inputs != mask_value, axis=-1)``, shape (batch, timesteps)) is passed to the
    layers downstream (recurrent layers skip those steps).

    Args:
        mask_value: the padding value, default 0.0.

    Example:
        >>> import jnet
        >>> from jnet.layers.recurrent import LSTM
        >>> model = jnet.Sequential([jnet.layers.Input((6, 3)), Masking(-1.0), LSTM(2)])
        >>> model.output_shape
        (None, 2)
    """

    mask_value: Any = 0.0

    SUPPORTS_MASKING: ClassVar[bool] = True

    def __post_init__(self):
        try:
            float(self.mask_value)
        except (TypeError, ValueError):
            raise errors.JnetValueError(
                f"Masking: mask_value must be a number, received {self.mask_value!r}."
            ) from None
        super().__post_init__()

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        """``any(inputs != mask_value, axis=-1)``."""
        inputs = cast_inputs(inputs)
        return jnp.any(jnp.not_equal(inputs, jnp.float32(self.mask_value)), axis=-1)

    def __call__(self, inputs, training: bool = False):
        inputs = cast_inputs(inputs)
        keep = jnp.any(jnp.not_equal(inputs, jnp.float32(self.mask_value)), axis=-1,
                       keepdims=True)
        return jnp.where(keep, inputs, jnp.zeros_like(inputs))
