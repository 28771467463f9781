"""Flatten, Reshape, Permute and RepeatVector: change the per-sample shape, never the batch
axis.

Both are row-major (C order) reshapes, as in Keras, so with channels_last data the weights of a
Dense after Flatten need no permutation. ``Flatten(data_format='channels_first')`` first moves
the channel axis last, as Keras does.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.ones((2, 3, 4))
    >>> jnet.layers.Flatten().apply({}, x).shape, jnet.layers.Reshape((-1, 2)).apply({}, x).shape
    ((2, 12), (2, 6, 2))
"""

from __future__ import annotations

import math
from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers.base import Layer

__all__ = ["Flatten", "Permute", "RepeatVector", "Reshape"]

_DATA_FORMATS = ("channels_last", "channels_first")


def _data_format(value: Any, owner: str) -> str:
    if value is None:
        return "channels_last"
    if isinstance(value, str) and value.lower() in _DATA_FORMATS:
        return value.lower()
    raise errors.JnetValueError(
        f"{owner}: data_format must be one of 'channels_last', 'channels_first' (or None for "
        f"'channels_last'), received {value!r}."
    )


class Flatten(Layer):
    """Flattens each sample to one axis: ``(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)``.

    Inputs of shape ``(batch,)`` become ``(batch, 1)``, as in Keras. The input dtype is kept.

    Args:
        data_format: ``'channels_last'``, ``'channels_first'`` or None (default,
            ``'channels_last'``). With ``'channels_first'`` the channel axis (axis 1) is moved
            last before flattening, so the result equals flattening the channels_last layout.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> x = jnp.arange(8.0).reshape(1, 2, 2, 2)
        >>> jnet.layers.Flatten().apply({}, x)
        Array([[0., 1., 2., 3., 4., 5., 6., 7.]], dtype=float32)
        >>> jnet.layers.Flatten("channels_first").apply({}, x)
        Array([[0., 4., 1., 5., 2., 6., 3., 7.]], dtype=float32)
    """

    data_format: Any = None

    def __post_init__(self):
        _data_format(self.data_format, "Flatten")
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config, with ``data_format`` resolved."""
        config = super().get_config()
        config["data_format"] = _data_format(self.data_format, "Flatten")
        return config

    def __call__(self, inputs, training: bool = False):
        inputs = jnp.asarray(inputs)
        if inputs.ndim == 0:
            raise errors.JnetValueError(
                "Flatten expects inputs of rank >= 1 (batch, ...), received a scalar (shape ())."
            )
        if _data_format(self.data_format, "Flatten") == "channels_first" and inputs.ndim > 2:
            inputs = jnp.transpose(inputs, (0, *range(2, inputs.ndim), 1))
        return jnp.reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (Keras's ``Reshape``); the batch axis is kept.

    Args:
        target_shape: tuple (or list) of positive integers, without the batch axis. One entry
            may be -1: it is inferred from the input size.

    Raises:
        JnetValueError: at construction for a bad ``target_shape``; when called, if a sample's
            size does not fit ``target_shape``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Reshape((3, 4)).apply({}, jnp.ones((5, 12))).shape
        (5, 3, 4)
        >>> jnet.layers.Reshape((-1, 2, 2)).apply({}, jnp.ones((5, 12))).shape
        (5, 3, 2, 2)
    """

    target_shape: Any

    def __post_init__(self):
        _check_target_shape(self.target_shape)
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``target_shape`` as a tuple."""
        config = super().get_config()
        config["target_shape"] = tuple(int(d) for d in self.target_shape)
        return config

    @nn.nowrap
    def resolved_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The per-sample output shape for per-sample ``input_shape`` (-1 filled in)."""
        target = tuple(int(d) for d in self.target_shape)
        size = math.prod(input_shape)
        known = math.prod(d for d in target if d != -1)
        received = (
            f"inputs of shape {(None, *input_shape)} ({size} values per sample) into "
            f"target_shape={target}"
        )
        if -1 not in target:
            if known != size:
                raise errors.JnetValueError(
                    f"Reshape: cannot reshape {received} ({known} values per sample). The "
                    f"total size must be unchanged."
                )
            return target
        if size % known != 0:
            raise errors.JnetValueError(
                f"Reshape: cannot reshape {received}: {size} is not divisible by the product "
                f"of the other dimensions ({known}), so -1 cannot be inferred."
            )
        return tuple(size // known if d == -1 else d for d in target)

    def __call__(self, inputs, training: bool = False):
        inputs = jnp.asarray(inputs)
        if inputs.ndim == 0:
            raise errors.JnetValueError(
                "Reshape expects inputs of rank >= 1 (batch, ...), received a scalar (shape ())."
            )
        shape = self.resolved_shape(tuple(inputs.shape[1:]))
        return jnp.reshape(inputs, (inputs.shape[0], *shape))


class Permute(Layer):
    """Permutes the per-sample axes (Keras's ``Permute``): ``dims`` indexes them from 1.

    Args:
        dims: tuple holding each of ``1 .. rank - 1`` once, the new order of the per-sample
            axes (the batch axis stays first). ``(2, 1)`` swaps the two axes of a rank-3 input.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Permute((2, 1)).apply({}, jnp.ones((4, 10, 64))).shape
        (4, 64, 10)
    """

    dims: Any

    def __post_init__(self):
        self._dims()
        super().__post_init__()

    @nn.nowrap
    def _dims(self) -> tuple[int, ...]:
        dims = self.dims
        ok = isinstance(dims, list | tuple) and all(
            isinstance(d, int | np.integer) and not isinstance(d, bool) for d in dims
        )
        if not ok or sorted(int(d) for d in dims) != list(range(1, len(dims) + 1)):
            raise errors.JnetValueError(
                f"Permute: dims must hold each of 1 .. n once (the per-sample axes, counted "
                f"from 1; the batch axis 0 is not permuted), received dims={dims!r}. E.g. "
                f"dims=(2, 1) swaps the two axes of (batch, steps, features)."
            )
        return tuple(int(d) for d in dims)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``dims`` as a tuple."""
        config = super().get_config()
        config["dims"] = self._dims()
        return config

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """``(batch, *(input_shape[d] for d in dims))``."""
        return (input_shape[0], *(input_shape[d] for d in self._dims()))

    def __call__(self, inputs, training: bool = False):
        dims = self._dims()
        inputs = jnp.asarray(inputs)
        if inputs.ndim != len(dims) + 1:
            raise errors.JnetValueError(
                f"Permute(dims={dims}) expects inputs of rank {len(dims) + 1} (batch and "
                f"{len(dims)} axes), received shape {tuple(inputs.shape)}."
            )
        return jnp.transpose(inputs, (0, *dims))


class RepeatVector(Layer):
    """Repeats each sample's vector ``n`` times: ``(batch, features) -> (batch, n, features)``
    (Keras's ``RepeatVector``), e.g. to feed an encoder's state to every decoder step.

    Args:
        n: positive integer, the number of repetitions.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.RepeatVector(3).apply({}, jnp.array([[1.0, 2.0]]))
        Array([[[1., 2.],
                [1., 2.],
                [1., 2.]]], dtype=float32)
    """

    n: Any

    def __post_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, int | np.integer):
            raise errors.JnetTypeError(
                f"RepeatVector: n must be a positive integer, received {errors.describe(self.n)}."
            )
        if self.n <= 0:
            raise errors.JnetValueError(
                f"RepeatVector: n must be a positive integer, received n={self.n}."
            )
        super().__post_init__()

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """``(batch, n, features)``."""
        return (input_shape[0], int(self.n), input_shape[1])

    def __call__(self, inputs, training: bool = False):
        inputs = jnp.asarray(inputs)
        if inputs.ndim != 2:
            raise errors.JnetValueError(
                f"RepeatVector expects inputs of rank 2 (batch, features), received shape "
                f"{tuple(inputs.shape)}. Flatten() or a pooling layer before it gives rank 2."
            )
        return jnp.repeat(inputs[:, None, :], int(self.n), axis=1)


def _check_target_shape(target_shape: Any) -> None:
    if isinstance(target_shape, int | np.integer):
        raise errors.JnetTypeError(
            f"Reshape: target_shape must be a tuple, received the integer {target_shape}. "
            f"Write target_shape=({target_shape},)."
        )
    if not isinstance(target_shape, list | tuple):
        raise errors.JnetTypeError(
            f"Reshape: target_shape must be a tuple of positive integers (one may be -1), "
            f"received {errors.describe(target_shape)}."
        )

    def ok(d: Any) -> bool:
        return isinstance(d, int | np.integer) and not isinstance(d, bool) and (d > 0 or d == -1)

    if not all(ok(d) for d in target_shape):
        raise errors.JnetValueError(
            f"Reshape: target_shape must be a tuple of positive integers (one may be -1 to "
            f"infer it), received {tuple(target_shape)!r}. It excludes the batch axis."
        )
    if sum(1 for d in target_shape if d == -1) > 1:
        raise errors.JnetValueError(
            f"Reshape: target_shape may contain at most one -1 (the inferred dimension), "
            f"received {tuple(target_shape)!r}."
        )
