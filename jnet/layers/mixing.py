"""Keras's batch-mixing augmentations: ``MixUp`` and ``CutMix``.

Both mix each image of a batch with another image of the same batch (a random permutation)
during training: ``MixUp`` blends whole images with a ``Beta(alpha, alpha)`` weight,
``CutMix`` pastes a random box of the partner image. Called on ``{"images": ..., "labels":
...}`` they mix the (one-hot) labels with the same weights and return the dict, as Keras
does; called on images alone they return images. With ``training=False`` (the default) they
are the identity. Draws come from the ``'dropout'`` PRNG stream.

Example:
    >>> import jax, numpy as np
    >>> from jnet.layers.mixing import MixUp
    >>> batch = {"images": np.ones((4, 2, 2, 1), "float32"), "labels": np.eye(4, dtype="float32")}
    >>> out = MixUp().apply({}, batch, training=True, rngs={"dropout": jax.random.key(0)})
    >>> np.allclose(np.asarray(out["labels"]).sum(axis=1), 1.0)
    True
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp

from jnet import config, errors
from jnet.layers import _image_transform as image_transform
from jnet.layers.augmentation import _base_factor, _check_seed, _is_number
from jnet.layers.base import Layer

__all__ = ["CutMix", "MixUp"]


class _BatchMixing(Layer):
    """Shared call: dict or images, the training switch, the key; subclasses define
    ``_mix(key, images) -> (images, weights)`` on ``(batch, h, w, c)`` float32 images."""

    EAGER_TRAINING: ClassVar[bool] = True  # Keras: call(..., training=True)

    def __post_init__(self):
        owner = type(self).__name__
        _check_seed(owner, self.seed)
        image_transform.check_choice(owner, "data_format", self._data_format())
        super().__post_init__()

    @nn.nowrap
    def _data_format(self) -> str:
        return config.image_data_format() if self.data_format is None else self.data_format

    def __call__(self, inputs, training: bool = False):
        owner = type(self).__name__
        is_dict = isinstance(inputs, dict)
        if is_dict and "images" not in inputs:
            raise errors.JnetValueError(
                f"{owner}: a dict input needs an 'images' entry, received keys "
                f"{sorted(inputs)}."
            )
        images = jnp.asarray(inputs["images"] if is_dict else inputs)
        if images.ndim not in (3, 4):
            raise errors.JnetValueError(
                f"{owner} expects images of rank 4 (batch, height, width, channels) or rank 3, "
                f"received shape {tuple(images.shape)}."
            )
        images = images.astype(jnp.float32)
        if not training or images.ndim == 3:  # one image: nothing to mix with
            return {**inputs, "images": images} if is_dict else images
        if not self.has_rng("dropout"):
            raise errors.JnetValueError(
                f"{owner} layer {self.name!r}: training=True needs a 'dropout' PRNG key, e.g. "
                f"layer.apply(variables, x, training=True, rngs={{'dropout': jax.random.key(0)}})."
            )
        key = self.make_rng("dropout")
        if self.seed is not None:
            key = jax.random.fold_in(key, int(self.seed) % 2**32)
        channels_first = self._data_format() == "channels_first"
        if channels_first:
            images = jnp.transpose(images, (0, 2, 3, 1))
        mixed, order, weights = self._mix(key, images)
        if channels_first:
            mixed = jnp.transpose(mixed, (0, 3, 1, 2))
        if not is_dict:
            return mixed
        out = {**inputs, "images": mixed}
        if inputs.get("labels") is not None:
            labels = jnp.asarray(inputs["labels"], jnp.float32)
            weights = weights.reshape(-1, 1)
            out["labels"] = weights * labels + (1.0 - weights) * jnp.take(labels, order, axis=0)
        return out


class MixUp(_BatchMixing):
    """Blends pairs of images (and labels) during training, as ``keras.layers.MixUp``.

    Each image becomes ``w x + (1 - w) x[perm]`` with ``w ~ Beta(alpha, alpha)`` per image
    and ``perm`` a random permutation of the batch.

    Args:
        alpha: the Beta distribution's parameter. Default 0.2.
        data_format: ``'channels_last'`` or ``'channels_first'``.
        seed: optional non-negative integer folded into the ``'dropout'`` key.

    Example:
        >>> import jax, numpy as np
        >>> x = np.stack([np.zeros((2, 2, 1)), np.ones((2, 2, 1))]).astype("float32")
        >>> out = MixUp(alpha=1.0).apply({}, x, training=True, rngs={"dropout": jax.random.key(1)})
        >>> bool(((out >= 0) & (out <= 1)).all())
        True
    """

    alpha: float = 0.2
    data_format: Any = None
    seed: Any = None

    def __post_init__(self):
        if not _is_number(self.alpha) or self.alpha <= 0:
            raise errors.JnetValueError(
                f"MixUp: alpha must be a positive number, received {self.alpha!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def _mix(self, key, images):
        batch = images.shape[0]
        p_key, w_key = jax.random.split(key)
        order = jax.random.permutation(p_key, batch)
        weights = jax.random.beta(w_key, self.alpha, self.alpha, (batch,))
        w = weights.reshape(-1, 1, 1, 1)
        return w * images + (1.0 - w) * jnp.take(images, order, axis=0), order, weights


class CutMix(_BatchMixing):
    """Pastes a random box of another image of the batch into each image during training, as
    ``keras.layers.CutMix``; labels mix by the pasted area.

    Per batch ``alpha ~ U(lower, upper) + 1e-6``; per image ``w ~ Beta(alpha, alpha)`` and a
    box of ``sqrt(1 - w)`` times the height and width at a uniform position. The label
    weight is the share of the image left unchanged.

    Args:
        factor: a number f in [0, 1] means ``(0, f)``; a tuple ``(lower, upper)`` the bounds
            of ``alpha``. Default 1.0.
        seed: optional non-negative integer folded into the ``'dropout'`` key.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> import jax, numpy as np
        >>> x = np.stack([np.zeros((4, 4, 1)), np.ones((4, 4, 1))]).astype("float32")
        >>> out = CutMix().apply({}, x, training=True, rngs={"dropout": jax.random.key(0)})
        >>> sorted(set(np.asarray(out).ravel().tolist())) in ([0.0], [1.0], [0.0, 1.0])
        True
    """

    factor: Any = 1.0
    seed: Any = None
    data_format: Any = None

    def __post_init__(self):
        self._bounds()
        super().__post_init__()

    @nn.nowrap
    def _bounds(self) -> tuple[float, float]:
        return _base_factor("CutMix", self.factor, 0.0, 1.0)

    @nn.nowrap
    def _mix(self, key, images):
        batch, height, width, _ = images.shape
        a_key, w_key, x_key, y_key, p_key = jax.random.split(key, 5)
        alpha = jax.random.uniform(a_key, (), minval=self._bounds()[0],
                                   maxval=self._bounds()[1]) + 1e-6
        weights = jax.random.beta(w_key, alpha, alpha, (batch,))
        ratio = jnp.sqrt(1.0 - weights)

        def bounds(k, length):
            crop = ratio * length
            start = jax.random.uniform(k, (batch,)) * (length - crop)
            return start, start + crop

        x0, x1 = bounds(x_key, width)
        y0, y1 = bounds(y_key, height)
        grid_y, grid_x = jnp.meshgrid(jnp.arange(height, dtype=jnp.float32),
                                      jnp.arange(width, dtype=jnp.float32), indexing="ij")
        gx, gy = grid_x[None, :, :, None], grid_y[None, :, :, None]
        x0, x1, y0, y1 = (v[:, None, None, None] for v in (x0, x1, y0, y1))
        masks = (gx >= x0) & (gx < x1) & (gy >= y0) & (gy < y1)
        order = jax.random.permutation(p_key, batch)
        mixed = jnp.where(masks, jnp.take(images, order, axis=0), images)
        label_weights = 1.0 - ((x1 - x0) * (y1 - y0)).reshape(-1) / (width * height)
        return mixed, order, label_weights
