"""``RandAugment``: ``num_ops`` augmentations drawn from Keras's list of eleven, applied in
turn during training, as ``keras.layers.RandAugment`` (Cubuk et al., 2019).

Per call one operation index is drawn for each of the ``num_ops`` steps (the whole batch
shares it, as in Keras), and each operation draws its own parameters once per call (an
operation chosen twice applies the same draws twice, as Keras's). The operations are
``RandomShear``, ``RandomTranslation``, ``RandomRotation``, ``RandomBrightness``,
``RandomColorDegeneration``, ``RandomContrast``, ``RandomSharpness``, ``RandomPosterization``,
``Solarization``, ``AutoContrast`` and ``Equalization``, built with ``factor`` as Keras builds
them. Only the chosen operation runs (``jax.lax.switch``), where Keras computes all eleven.

Example:
    >>> import jax, numpy as np
    >>> x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
    >>> layer = RandAugment(num_ops=2, factor=0.5)
    >>> out = layer.apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> out.shape, out.dtype
    ((2, 8, 8, 3), dtype('float32'))
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers import _augment_ops
from jnet.layers import _image_transform as image_transform
from jnet.layers.augmentation import _base_factor, _ImageAugmentation
from jnet.layers.color_augmentation import _value_range

__all__ = ["RandAugment"]

AUGMENT_LAYERS = (
    "random_shear", "random_translation", "random_rotation", "random_brightness",
    "random_color_degeneration", "random_contrast", "random_sharpness",
    "random_posterization", "solarization", "auto_contrast", "equalization",
)


def check_count(owner: str, name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise errors.JnetValueError(
            f"{owner}: {name} must be an integer >= {minimum}, received {name}={value!r}.")
    return int(value)


class RandAugment(_ImageAugmentation):
    """Applies ``num_ops`` random augmentations during training, as Keras's layer.

    Args:
        value_range: the range of the pixels. Default ``(0, 255)``.
        num_ops: how many operations are applied in turn. Default 2.
        factor: the operations' strength: a number f in [0, 1] means ``(0, f)``, a tuple the
            bounds. Default 0.5.
        interpolation: ``'bilinear'`` (default) or ``'nearest'`` (the geometric operations).
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.ones((1, 4, 4, 3), "float32")
        >>> bool((RandAugment().apply({}, x) == x).all())  # inference: unchanged
        True
    """

    value_range: Any = (0, 255)
    num_ops: int = 2
    factor: Any = 0.5
    interpolation: str = "bilinear"
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        _value_range("RandAugment", self.value_range)
        check_count("RandAugment", "num_ops", self.num_ops, 0)
        _base_factor("RandAugment", self.factor, 0.0, 1.0)
        image_transform.check_choice("RandAugment", "interpolation", self.interpolation)
        super().__post_init__()

    @nn.nowrap
    def _layers(self) -> list[Any]:
        return _augment_ops.augment_layers(
            AUGMENT_LAYERS, _base_factor("RandAugment", self.factor, 0.0, 1.0),
            self.value_range, self.interpolation, self.seed)

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        index_key, op_key = jax.random.split(key)
        indices = jax.random.randint(index_key, (int(self.num_ops),), 0, len(AUGMENT_LAYERS))
        return {"layer_idxes": indices,
                "keys": jax.random.split(op_key, len(AUGMENT_LAYERS))}

    @nn.nowrap
    def _transform(self, images, draws):
        layers = self._layers()

        def step(i, x):  # one traced switch, however many operations
            index = draws["layer_idxes"][i]
            return _augment_ops.switch(layers, index, x, draws["keys"][index])

        return jax.lax.fori_loop(0, int(self.num_ops), step, images.astype(jnp.float32))
