"""Lambda: wraps any JAX function of the inputs as a weightless layer (Keras's ``Lambda``).

Example:
    >>> import jax.numpy as jnp, jnet
    >>> jnet.layers.Lambda(lambda x: x ** 2).apply({}, jnp.array([[1.0, 2.0]]))
    Array([[1., 4.]], dtype=float32)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import flax.linen as nn
import numpy as np

from jnet import errors
from jnet.layers.base import Layer

__all__ = ["Lambda"]


class Lambda(Layer):
    """Calls ``function(inputs, **arguments)``; has no weights.

    The function must be written with ``jax.numpy`` (it is traced and jitted with the model).
    As in Keras, it also receives ``training=`` when its signature has a ``training``
    parameter, and ``mask=`` when it has a ``mask`` parameter.

    Args:
        function: a callable taking the input array first.
        output_shape: optional; a tuple without the batch axis, or a callable mapping the
            full input shape to the full output shape. jnet infers output shapes itself; when
            given, the function's actual output is checked against it.
        mask: optional; None, a callable ``mask(inputs, mask) -> mask`` or a fixed mask,
            returned by :meth:`compute_mask`, as Keras's.
        arguments: optional dict of keyword arguments passed to ``function``.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> def scale(x, factor):
        ...     return x * factor
        >>> layer = jnet.layers.Lambda(scale, arguments={"factor": 3.0})
        >>> layer.apply({}, jnp.ones((1, 2)))
        Array([[3., 3.]], dtype=float32)
        >>> layer.get_config()["function"]
        'scale'
    """

    function: Callable[..., Any]
    output_shape: Any = None
    mask: Any = None
    arguments: Any = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)
    ACCEPTS_MASK = True  # __call__ takes mask= (passed to the function)

    def __post_init__(self):
        if not callable(self.function):
            raise errors.JnetTypeError(
                f"Lambda: function must be callable (a function of the inputs), received "
                f"{errors.describe(self.function)}. Write Lambda(lambda x: ...)."
            )
        if self.arguments is not None and not isinstance(self.arguments, Mapping):
            raise errors.JnetTypeError(
                f"Lambda: arguments must be a dict of keyword arguments for the function, "
                f"received {errors.describe(self.arguments)}."
            )
        if self.output_shape is not None and not callable(self.output_shape):
            _check_output_shape(self.output_shape)
        super().__post_init__()

    @nn.nowrap
    def _parameters(self) -> set[str]:
        try:
            signature = inspect.signature(self.function)
        except (TypeError, ValueError):  # builtins without a signature
            return set()
        return set(signature.parameters)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's keys; ``function`` (and callable ``output_shape``/``mask``) by name."""
        config = super().get_config()
        for key in ("output_shape", "mask"):
            config.pop(key)
        config["function"] = _function_name(self.function)
        if self.output_shape is not None:
            config["output_shape"] = (
                _function_name(self.output_shape)
                if callable(self.output_shape)
                else tuple(self.output_shape)
            )
        if self.mask is not None:
            config["mask"] = _function_name(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = dict(self.arguments or {})
        return config

    @nn.nowrap
    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """Keras's ``compute_mask``: ``mask(inputs, mask)`` if callable, else ``self.mask``."""
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    @nn.nowrap
    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> Any:
        """The declared output shape (batch axis first), or None when not declared."""
        if self.output_shape is None:
            return None
        if callable(self.output_shape):
            return tuple(self.output_shape(tuple(input_shape)))
        return (input_shape[0], *tuple(self.output_shape))

    def __call__(self, inputs, training: bool = False, *, mask=None):
        kwargs = dict(self.arguments or {})
        parameters = self._parameters()
        if "mask" in parameters:
            kwargs["mask"] = mask
        if "training" in parameters:
            kwargs["training"] = training
        outputs = self.function(inputs, **kwargs)
        declared = self.compute_output_shape(tuple(np.shape(inputs)))
        if declared is not None and hasattr(outputs, "shape"):
            actual = tuple(outputs.shape)
            if len(actual) != len(declared) or any(
                d is not None and d != a for d, a in zip(declared, actual, strict=False)
            ):
                raise errors.JnetValueError(
                    f"Lambda: function {_function_name(self.function)!r} returned shape "
                    f"{actual} for inputs of shape {tuple(np.shape(inputs))}, but output_shape "
                    f"declares {declared}."
                )
        return outputs


def _function_name(fn: Any) -> str:
    return getattr(fn, "__name__", None) or type(fn).__name__


def _check_output_shape(shape: Any) -> None:
    valid = isinstance(shape, list | tuple) and all(
        d is None or (isinstance(d, int | np.integer) and not isinstance(d, bool) and d >= 0)
        for d in shape
    )
    if not valid:
        raise errors.JnetValueError(
            f"Lambda: output_shape must be None, a callable, or a tuple of non-negative integers "
            f"(None for a free axis) without the batch axis, received {shape!r}."
        )
