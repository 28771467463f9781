"""The augmentation operations that ``RandAugment`` and ``AugMix`` choose from, built as
Keras builds them from the policy's ``factor``, ``value_range`` and ``interpolation``.

Each operation is a jnet layer on ``(batch, height, width, channels)`` float32 images (channels
last), applied in training mode with its own PRNG key; :func:`switch` applies the one an index
picks (``jax.lax.switch``: only that branch runs).

Example:
    >>> import jax, numpy as np
    >>> layers = augment_layers(("equalization", "auto_contrast"), (0.0, 0.5), (0, 255),
    ...                         "bilinear", None)
    >>> x = np.linspace(10, 20, 16, dtype="float32").reshape(1, 4, 4, 1)
    >>> out = switch(layers, 1, x, jax.random.key(0))  # auto_contrast
    >>> float(out.min()), float(out.max())
    (0.0, 255.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jnet.layers.augmentation import RandomContrast, RandomRotation, RandomTranslation
from jnet.layers.auto_contrast import AutoContrast
from jnet.layers.color_augmentation import (
    RandomBrightness,
    RandomColorDegeneration,
    RandomPosterization,
    RandomSharpness,
    Solarization,
)
from jnet.layers.equalization import Equalization
from jnet.layers.random_shear import RandomShear

__all__ = ["augment_layers", "switch"]

FORMAT = "channels_last"


def augment_layers(names: Sequence[str], factor: tuple[float, float], value_range: Any,
                   interpolation: str, seed: Any) -> list[Any]:
    """The operations ``names`` (Keras's attribute names), in order, as unbound layers."""
    common = {"seed": seed, "data_format": FORMAT, "parent": None}
    colour = {**common, "value_range": value_range}
    build = {
        "random_shear": lambda: RandomShear(
            x_factor=factor, y_factor=factor, interpolation=interpolation, **common),
        "random_translation": lambda: RandomTranslation(
            height_factor=factor, width_factor=factor, interpolation=interpolation, **common),
        "random_rotation": lambda: RandomRotation(
            factor=factor, interpolation=interpolation, **common),
        "random_brightness": lambda: RandomBrightness(factor=factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor=factor, **colour),
        "random_contrast": lambda: RandomContrast(factor=factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor=factor, **colour),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), **colour),
        "solarization": lambda: Solarization(
            addition_factor=factor, threshold_factor=factor, **colour),
        "auto_contrast": lambda: AutoContrast(
            value_range=value_range, data_format=FORMAT, parent=None),
        "equalization": lambda: Equalization(
            value_range=value_range, data_format=FORMAT, parent=None),
    }
    return [build[name]() for name in names]


def apply(layer: Any, images: jnp.ndarray, key: Any) -> jnp.ndarray:
    """One operation in training mode on float32 channels-last images."""
    out = layer.apply({}, images, training=True, rngs={"dropout": key})
    return jnp.asarray(out, jnp.float32)


def switch(layers: Sequence[Any], index: Any, images: jnp.ndarray, key: Any,
           identity: bool = False) -> jnp.ndarray:
    """``layers[index]`` applied to ``images``; with ``identity``, ``index == len(layers)``
    leaves them unchanged."""
    images = jnp.asarray(images, jnp.float32)
    branches = [lambda x, k, layer=layer: apply(layer, x, k) for layer in layers]
    if identity:
        branches.append(lambda x, k: x)
    return jax.lax.switch(index, branches, images, key)
