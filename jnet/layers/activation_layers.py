"""Activation layers: ReLU, LeakyReLU, PReLU, ELU and Softmax, as Keras's ``layers/activations``.

Each applies its activation elementwise (Softmax along ``axis``) and keeps the shape; each passes
a Keras mask on (``supports_masking``). PReLU learns its negative slope ``alpha`` (one weight per
input element, shared along ``shared_axes``), in Keras's layout so ``set_weights`` moves it
across. Softmax takes a mask: masked positions get ``-1e9`` before the softmax and 0 after, as
Keras does.

Example:
    >>> import jax.numpy as jnp, jnet
    >>> x = jnp.array([[-2.0, 0.5, 8.0]])
    >>> jnet.layers.ReLU(max_value=6.0).apply({}, x)
    Array([[0. , 0.5, 6. ]], dtype=float32)
    >>> jnet.layers.LeakyReLU().apply({}, x)
    Array([[-0.6,  0.5,  8. ]], dtype=float32)
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import activations, errors, initializers
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]

_LARGE_NEGATIVE = -1e9  # Keras's _large_negative_number for float32


def _real(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float | np.number)
            and math.isfinite(float(value)))


def _non_negative(value: Any, argument: str, owner: str, none_ok: bool = False) -> None:
    if none_ok and value is None:
        return
    if not _real(value) or float(value) < 0:
        allowed = " or None" if none_ok else ""
        raise errors.JnetValueError(
            f"{owner}: {argument} must be a non-negative number{allowed}, received {value!r}."
        )


class _Elementwise(Layer):
    """An activation layer: same output shape, the mask passes through."""

    SUPPORTS_MASKING = True

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape: activations keep it."""
        return tuple(input_shape)


class ReLU(_Elementwise):
    """Rectified linear unit with Keras's options (Keras's ``ReLU`` layer).

    ``f(x) = max_value`` for ``x >= max_value``, ``x`` for ``threshold <= x < max_value``,
    ``negative_slope * (x - threshold)`` otherwise.

    Args:
        max_value: non-negative cap, or None (default) for none.
        negative_slope: non-negative slope below ``threshold``. Default 0.
        threshold: non-negative threshold. Default 0.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.ReLU(negative_slope=0.1, threshold=1.0).apply({}, jnp.array([0.0, 2.0]))
        Array([-0.1,  2. ], dtype=float32)
    """

    max_value: Any = None
    negative_slope: Any = 0.0
    threshold: Any = 0.0

    def __post_init__(self):
        _non_negative(self.max_value, "max_value", "ReLU", none_ok=True)
        _non_negative(self.negative_slope, "negative_slope", "ReLU")
        _non_negative(self.threshold, "threshold", "ReLU")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        return activations.relu(
            cast_inputs(inputs), negative_slope=float(self.negative_slope),
            max_value=None if self.max_value is None else float(self.max_value),
            threshold=float(self.threshold),
        )


class LeakyReLU(_Elementwise):
    """Leaky ReLU: ``x`` where positive, ``negative_slope * x`` elsewhere (Keras's
    ``LeakyReLU``; note the layer's default slope, 0.3, differs from the function's 0.2).

    Args:
        negative_slope: non-negative slope below 0. Default 0.3.
        alpha: Keras 2's name of ``negative_slope`` (keyword-only); as in Keras 3 it still
            works, with a warning, and takes precedence.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.LeakyReLU(0.1).apply({}, jnp.array([-1.0, 2.0]))
        Array([-0.1,  2. ], dtype=float32)
    """

    negative_slope: Any = 0.3
    alpha: Any = dataclasses.field(default=None, kw_only=True)

    def __post_init__(self):
        if self.alpha is not None:
            warnings.warn("LeakyReLU: argument `alpha` is deprecated. Use `negative_slope` "
                          "instead.", stacklevel=3)
            # Folded in once, so that Flax's clones of the layer neither warn nor differ.
            object.__setattr__(self, "negative_slope", self.alpha)
            object.__setattr__(self, "alpha", None)
        _non_negative(self.negative_slope, "negative_slope", "LeakyReLU")
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``negative_slope`` (``alpha`` is folded into it)."""
        config = super().get_config()
        config.pop("alpha", None)
        return config

    def __call__(self, inputs, training: bool = False):
        return activations.leaky_relu(cast_inputs(inputs), float(self.negative_slope))


class ELU(_Elementwise):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)`` (Keras's
    ``ELU``).

    Args:
        alpha: scale of the negative part. Default 1.0. (Keras's ``ELU.get_config()`` leaves
            ``alpha`` out, so a Keras file loses it; jnet's config keeps it.)

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.ELU(2.0).apply({}, jnp.array([0.0, 3.0]))
        Array([0., 3.], dtype=float32)
    """

    alpha: Any = 1.0

    def __post_init__(self):
        if not _real(self.alpha):
            raise errors.JnetValueError(f"ELU: alpha must be a number, received {self.alpha!r}.")
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        return activations.elu(cast_inputs(inputs), float(self.alpha))


class PReLU(_Elementwise):
    """Parametric ReLU: ``x`` where positive, ``alpha * x`` elsewhere, ``alpha`` learned
    (Keras's ``PReLU``).

    ``alpha`` has the per-sample input shape, with 1 along each of ``shared_axes`` (Keras's
    layout: ``shared_axes=[1, 2]`` on images gives one slope per channel, shape ``(1, 1, C)``).

    Args:
        alpha_initializer: initializer of ``alpha``. Default ``'Zeros'``.
        alpha_regularizer: penalty on ``alpha``, added to the loss. Default None.
        alpha_constraint: projection of ``alpha`` after each update. Default None.
        shared_axes: an axis or a list of axes (counted from 1; the batch axis is 0) along
            which ``alpha`` is shared. Default None.

    Example:
        >>> import jax, jax.numpy as jnp, jnet
        >>> layer = jnet.layers.PReLU(alpha_initializer="ones", shared_axes=[1])
        >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 5, 3)))
        >>> variables["params"]["alpha"].shape
        (1, 3)
        >>> layer.apply(variables, -jnp.ones((1, 5, 3)))[0, 0]
        Array([-1., -1., -1.], dtype=float32)
    """

    alpha_initializer: Any = "Zeros"
    alpha_regularizer: Any = None
    alpha_constraint: Any = None
    shared_axes: Any = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "alpha"),)
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("alpha",), "alpha_regularizer", "alpha_constraint"),
    )

    def __post_init__(self):
        initializers.get(self.alpha_initializer)
        self._check_penalty_arguments()
        self._shared_axes()
        super().__post_init__()

    @nn.nowrap
    def _shared_axes(self) -> list[int] | None:
        axes = self.shared_axes
        if axes is None:
            return None
        axes = list(axes) if isinstance(axes, list | tuple) else [axes]
        if not all(isinstance(a, int | np.integer) and not isinstance(a, bool) and a >= 1
                   for a in axes):
            raise errors.JnetValueError(
                f"PReLU: shared_axes must be None, an axis or a list of axes counted from 1 "
                f"(the batch axis 0 cannot be shared), received {self.shared_axes!r}."
            )
        return [int(a) for a in axes]

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``shared_axes`` as a list (or None)."""
        config = super().get_config()
        config["shared_axes"] = self._shared_axes()
        return config

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        shape = list(x.shape[1:])
        for axis in self._shared_axes() or []:
            if axis > len(shape):
                raise errors.JnetValueError(
                    f"PReLU: shared_axes={self.shared_axes!r} names axis {axis}, but inputs of "
                    f"shape {tuple(x.shape)} have axes 1 .. {len(shape)} only."
                )
            shape[axis - 1] = 1
        alpha = self.param("alpha", initializers.get(self.alpha_initializer), tuple(shape),
                           jnp.float32)
        return jax.nn.relu(x) - alpha[None] * jax.nn.relu(-x)


class Softmax(_Elementwise):
    """Softmax along ``axis`` (Keras's ``Softmax`` layer), optionally masked.

    Args:
        axis: an integer or a tuple of integers, the axes to normalize over. Default -1.

    Call arguments:
        inputs: the logits.
        mask: optional boolean (or 0/1) array broadcastable to ``inputs`` (keyword-only):
            False positions get ``-1e9`` before the softmax (they take no probability) and 0
            after (a fully masked row gives zeros), as in Keras.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> layer = jnet.layers.Softmax()
        >>> layer.apply({}, jnp.zeros((1, 3)), mask=jnp.array([[True, True, False]]))
        Array([[0.5, 0.5, 0. ]], dtype=float32)
    """

    axis: Any = -1

    ACCEPTS_MASK = True

    def __post_init__(self):
        axes = self.axis if isinstance(self.axis, list | tuple) else [self.axis]
        if not axes or not all(
            isinstance(a, int | np.integer) and not isinstance(a, bool) for a in axes
        ):
            raise errors.JnetValueError(
                f"Softmax: axis must be an integer or a tuple of integers, received "
                f"{self.axis!r}."
            )
        super().__post_init__()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config: ``axis`` an int, or a list for several axes (as a Keras file
        holds it)."""
        config = super().get_config()
        config["axis"] = list(self.axis) if isinstance(self.axis, list | tuple) else self.axis
        return config

    def __call__(self, inputs, training: bool = False, *, mask=None):
        x = cast_inputs(inputs)
        axis = tuple(int(a) for a in self.axis) if isinstance(self.axis, list | tuple) else int(
            self.axis)
        for a in axis if isinstance(axis, tuple) else (axis,):
            if not -x.ndim <= a < x.ndim:
                raise errors.JnetValueError(
                    f"Softmax: axis={self.axis!r} is out of range for inputs of shape "
                    f"{tuple(x.shape)} (rank {x.ndim})."
                )
        if mask is None:
            return jax.nn.softmax(x, axis=axis)
        mask = jnp.asarray(mask)
        shape, mshape = tuple(x.shape), tuple(mask.shape)
        if len(mshape) > len(shape) or any(
            m not in (1, i) for m, i in zip(mshape[::-1], shape[::-1], strict=False)
        ):
            raise errors.JnetValueError(
                f"Softmax: the mask must broadcast to the inputs (each of its axes, aligned "
                f"from the last, 1 or the input's size), received inputs of shape {shape} "
                f"and a mask of shape {mshape}."
            )
        keep = mask if mask.dtype == jnp.bool_ else mask > jnp.asarray(0.5, mask.dtype)
        keep = jnp.broadcast_to(keep, shape)
        x = jnp.where(keep, x, jnp.asarray(_LARGE_NEGATIVE, x.dtype))
        return jnp.where(keep, jax.nn.softmax(x, axis=axis), jnp.zeros((), x.dtype))
