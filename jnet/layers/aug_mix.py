"""``AugMix``: mixes ``num_chains`` chains of random augmentations with the original image
during training, as ``keras.layers.AugMix`` (Hendrycks et al., 2020).

Per call: chain weights ``w ~ Dirichlet(alpha)`` (normalized Gammas, as Keras), a mixing
weight ``m ~ Beta(alpha, alpha)``; each chain applies ``chain_depth`` steps, each step one of
the operations or none (uniformly, as Keras's ``random.choice(ops + [None])``), each
operation with its own draws. The output is ``m * x + (1 - m) * sum_i w_i chain_i(x)``,
clipped to ``value_range``. Keras picks the chain steps with Python's ``random`` when the call
is traced (so a compiled Keras model repeats them); jnet draws them from the key each call.

Example:
    >>> import jax, numpy as np
    >>> x = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
    >>> out = AugMix().apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
    >>> out.shape, bool((out >= 0).all() and (out <= 255).all())
    ((2, 8, 8, 3), True)
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
from jnet.layers.augmentation import _base_factor, _ImageAugmentation, _is_number
from jnet.layers.color_augmentation import _value_range
from jnet.layers.rand_augment import check_count

__all__ = ["AugMix"]

AUGMENT_LAYERS = (
    "random_shear", "random_translation", "random_rotation", "random_posterization",
    "solarization", "auto_contrast", "equalization",
)
AUGMENT_LAYERS_ALL = (
    *AUGMENT_LAYERS, "random_brightness", "random_color_degeneration", "random_contrast",
    "random_sharpness",
)


class AugMix(_ImageAugmentation):
    """Mixes chains of random augmentations with the image during training, as Keras's.

    Args:
        value_range: the range of the pixels; outputs are clipped to it. Default
            ``(0, 255)``.
        num_chains: how many chains are mixed. Default 3.
        chain_depth: how many steps each chain takes (each an operation or none). Default 3.
        factor: the operations' strength: a number f in [0, 1] means ``(0, f)``, a tuple the
            bounds. Default 0.3.
        alpha: the Beta and Dirichlet concentration. Default 1.0.
        all_ops: also use brightness, colour degeneration, contrast and sharpness (eleven
            operations instead of seven). Default True.
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import numpy as np
        >>> x = np.ones((1, 4, 4, 3), "float32")
        >>> bool((AugMix().apply({}, x) == x).all())  # inference: unchanged
        True
    """

    value_range: Any = (0, 255)
    num_chains: int = 3
    chain_depth: int = 3
    factor: Any = 0.3
    alpha: float = 1.0
    all_ops: bool = True
    interpolation: str = "bilinear"
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        _value_range("AugMix", self.value_range)
        check_count("AugMix", "num_chains", self.num_chains)
        check_count("AugMix", "chain_depth", self.chain_depth, 0)
        _base_factor("AugMix", self.factor, 0.0, 1.0)
        if not _is_number(self.alpha) or self.alpha <= 0:
            raise errors.JnetValueError(
                f"AugMix: alpha must be a positive number, received alpha={self.alpha!r}.")
        image_transform.check_choice("AugMix", "interpolation", self.interpolation)
        super().__post_init__()

    @nn.nowrap
    def _names(self) -> tuple[str, ...]:
        return AUGMENT_LAYERS_ALL if self.all_ops else AUGMENT_LAYERS

    @nn.nowrap
    def _draw(self, key, batch, height, width):
        w_key, m_key, c_key, o_key = jax.random.split(key, 4)
        alpha = float(self.alpha)
        gammas = jax.random.gamma(w_key, alpha, (int(self.num_chains),))
        steps = (int(self.num_chains), int(self.chain_depth))
        return {
            "chain_mixing_weights": gammas / jnp.sum(gammas),
            "weight_sample": jax.random.beta(m_key, alpha, alpha),
            "chain_ops": jax.random.randint(c_key, steps, 0, len(self._names()) + 1),
            "keys": jax.random.split(o_key, int(np.prod(steps)) or 1),
        }

    @nn.nowrap
    def _transform(self, images, draws):
        layers = _augment_ops.augment_layers(
            self._names(), _base_factor("AugMix", self.factor, 0.0, 1.0), self.value_range,
            self.interpolation, self.seed)
        images = images.astype(jnp.float32)
        depth = int(self.chain_depth)

        def step(i, chained):  # step i of all chains: one traced switch
            return _augment_ops.switch(layers, draws["chain_ops"].reshape(-1)[i], chained,
                                       draws["keys"][i], identity=True)

        def chain(c, mixed):
            chained = jax.lax.fori_loop(c * depth, (c + 1) * depth, step, images)
            return mixed + chained * draws["chain_mixing_weights"][c]

        mixed = jax.lax.fori_loop(0, int(self.num_chains), chain, jnp.zeros_like(images))
        weight = draws["weight_sample"]
        out = weight * images + (1.0 - weight) * mixed
        return jnp.clip(out, *_value_range("AugMix", self.value_range))
