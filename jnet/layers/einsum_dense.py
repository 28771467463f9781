"""EinsumDense: a dense layer whose contraction is an einsum equation (Keras 3's layer).

The kernel's shape comes from the equation, the input shape and ``output_shape`` the way
Keras's ``_analyze_einsum_string`` computes it, so Keras's ``get_weights()`` loads unchanged.
``MultiHeadAttention`` is built from four of these.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.einsum_dense import EinsumDense
    >>> layer = EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
    >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 5, 3)))
    >>> [w.shape for w in layer.keras_weights(variables)]
    [(3, 2, 4), (2, 4)]
    >>> layer.apply(variables, jnp.ones((6, 5, 3))).shape
    (6, 5, 2, 4)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import activations, errors, initializers
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = ["EinsumDense", "analyze_einsum"]

_FORMS = (
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), False),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$"), True),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$"), False),
)


def _split(equation: str, owner: str) -> tuple[str, str, str, bool]:
    if not isinstance(equation, str):
        raise errors.JnetTypeError(
            f"{owner}: equation must be a string such as 'ab,bc->ac', received "
            f"{errors.describe(equation)}."
        )
    replaced = equation.replace("...", "0")
    for pattern, left_elided in _FORMS:
        match = pattern.match(replaced)
        if match:
            return match.group(1), match.group(2), match.group(3), left_elided
    raise errors.JnetValueError(
        f"{owner}: invalid einsum equation {equation!r}. Equations must be in the form "
        f"[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]... (letters only)."
    )


def analyze_einsum(
    equation: str,
    bias_axes: str | None,
    input_shape: Sequence[int | None],
    output_shape: Sequence[int | None],
    owner: str = "EinsumDense",
) -> tuple[list[Any], list[Any] | None, list[Any], list[int], list[int]]:
    """Keras's ``_analyze_einsum_string``: the shapes an einsum layer needs.

    Args:
        equation: ``'ab,bc->ac'``, ``'...ab,bc->...ac'`` or ``'ab...,bc->ac...'``.
        bias_axes: output letters that get a bias, or None.
        input_shape: the full input shape (batch first).
        output_shape: the output shape without the batch axis and the elided axes.
        owner: the name errors start with.

    Returns:
        ``(kernel_shape, bias_shape or None, full_output_shape, input_axes, output_axes)``,
        the last two being the kernel axes that count as fan-in and fan-out.

    Example:
        >>> analyze_einsum("ab,bc->ac", "c", (None, 4), (3,))[:3]
        ([4, 3], [3], [None, 3])
    """
    input_spec, weight_spec, output_spec, left_elided = _split(equation, owner)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    output_shape = list(output_shape)
    output_shape.insert(0, input_shape[0])
    if elided > 0 and left_elided:
        for i in range(1, elided):
            output_shape.insert(1, input_shape[i])
    elif elided > 0:
        output_shape.extend(input_shape[len(input_shape) - elided:])
    if left_elided:
        input_map = {d: (i + elided) - len(input_shape) for i, d in enumerate(input_spec)}
        output_map = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        input_map = {d: i for i, d in enumerate(input_spec)}
        output_map = {d: i for i, d in enumerate(output_spec)}
    if elided < 0 or (elided > 0 and not _has_ellipsis(equation)):
        raise errors.JnetValueError(
            f"{owner}: the equation {equation!r} expects inputs of rank {len(input_spec)}, "
            f"received shape {tuple(input_shape)}."
        )
    if len(output_shape) != len(output_spec) + max(elided, 0):
        raise errors.JnetValueError(
            f"{owner}: output_shape has the wrong length for the equation {equation!r}: "
            f"give one size (or None) per output letter after the batch axis, received "
            f"output_shape={tuple(output_shape[1:])!r} for inputs of shape "
            f"{tuple(input_shape)}."
        )
    for dim in input_spec:
        if dim in output_map:
            want, got = output_shape[output_map[dim]], input_shape[input_map[dim]]
            if want is not None and got is not None and want != got:
                raise errors.JnetValueError(
                    f"{owner}: input shape and output shape do not match at shared dimension "
                    f"{dim!r}. Input shape is {got}, and output shape is {want}."
                )
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise errors.JnetValueError(
                f"{owner}: dimension {dim!r} was specified in the output {output_spec!r} but "
                f"has no corresponding dim in the input spec {input_spec!r} or weight spec "
                f"{weight_spec!r}."
            )
    kernel_shape: list[Any] = []
    input_axes, output_axes = [], []
    for i, dim in enumerate(weight_spec):
        if dim in output_map:
            kernel_shape.append(output_shape[output_map[dim]])
            output_axes.append(i)
        elif dim in input_map:
            kernel_shape.append(input_shape[input_map[dim]])
            input_axes.append(i)
        else:
            raise errors.JnetValueError(
                f"{owner}: weight dimension {dim!r} did not have a match in either the input "
                f"spec {input_spec!r} or the output spec {output_spec!r}. For this layer, "
                f"the weight must be fully specified."
            )
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left_elided else 0
        sizes = {c: output_shape[i + offset] for i, c in enumerate(output_spec)}
        for char in bias_axes:
            if char not in output_spec:
                raise errors.JnetValueError(
                    f"{owner}: bias dimension {char!r} was requested, but is not part of the "
                    f"output spec {output_spec!r}."
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if not left_elided:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, output_shape, input_axes, output_axes


def _has_ellipsis(equation: str) -> bool:
    return "..." in equation


def _fan_aware(initializer: Any, input_axes: list[int], output_axes: list[int]) -> Any:
    """Keras gives a VarianceScaling kernel initializer the kernel's fan axes."""
    init = initializers.get(initializer)
    if isinstance(init, initializers.VarianceScaling) and (
        init.input_axes is None or init.output_axes is None
    ):
        config = {**init.get_config(), "input_axes": input_axes, "output_axes": output_axes}
        return type(init).from_config(config)
    return init


class EinsumDense(Layer):
    """Keras's ``EinsumDense``: ``activation(einsum(equation, inputs, kernel) + bias)``.

    Weights, in Keras's order: ``kernel`` (shape from the equation) and ``bias`` (when
    ``bias_axes`` is given).

    Args:
        equation: an einsum equation ``'ab,bc->ac'``, ``'...ab,bc->...ac'`` or
            ``'ab...,bc->ac...'``.
        output_shape: the output shape without the batch axis and the elided axes; an int
            for one axis; None for an axis taken from the input.
        activation: name, callable or None (linear). Default None.
        bias_axes: output letters that get a bias, or None (no bias). Default None.
        kernel_initializer: default ``'glorot_uniform'`` (fans from the equation's axes).
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections after each update.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> layer = EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((2, 4)))
        >>> layer.apply(variables, jnp.ones((2, 4))).shape
        (2, 3)
    """

    equation: str
    output_shape: Any
    activation: Any = None
    bias_axes: str | None = None
    kernel_initializer: Any = "glorot_uniform"
    bias_initializer: Any = "zeros"
    kernel_regularizer: Any = None
    bias_regularizer: Any = None
    activity_regularizer: Any = None
    kernel_constraint: Any = None
    bias_constraint: Any = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "kernel"), ("params", "bias"))
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "kernel_regularizer", "kernel_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )

    def __post_init__(self):
        owner = "EinsumDense"
        _split(self.equation, owner)
        partial = self.partial_output_shape()
        for d in partial:
            if d is not None and (
                isinstance(d, bool) or not isinstance(d, int | np.integer) or d <= 0
            ):
                raise errors.JnetValueError(
                    f"{owner}: output_shape must hold positive integers or None, received "
                    f"output_shape={self.output_shape!r}."
                )
        if self.bias_axes is not None and not isinstance(self.bias_axes, str):
            raise errors.JnetTypeError(
                f"{owner}: bias_axes must be a string of output letters or None, received "
                f"{errors.describe(self.bias_axes)}."
            )
        activations.get(self.activation)
        initializers.get(self.kernel_initializer)
        initializers.get(self.bias_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    @nn.nowrap
    def partial_output_shape(self) -> tuple[Any, ...]:
        """``output_shape`` as a tuple (an int becomes a 1-tuple)."""
        shape = self.output_shape
        if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
            return (int(shape),)
        if isinstance(shape, list | tuple):
            return tuple(shape)
        raise errors.JnetTypeError(
            f"EinsumDense: output_shape must be an int or a tuple of ints/None, received "
            f"{errors.describe(shape)}."
        )

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``output_shape`` as a tuple)."""
        return {**super().get_config(), "output_shape": self.partial_output_shape()}

    @nn.nowrap
    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[Any, ...]:
        """The output shape for inputs of ``input_shape`` (batch axis included).

        Example:
            >>> EinsumDense("ab,bc->ac", 3).compute_output_shape((None, 4))
            (None, 3)
        """
        return tuple(analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape()
        )[2])

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = cast_inputs(inputs)
        kernel_shape, bias_shape, _, in_axes, out_axes = analyze_einsum(
            self.equation, self.bias_axes, x.shape, self.partial_output_shape()
        )
        if any(d is None for d in kernel_shape):
            raise errors.JnetValueError(
                f"EinsumDense {self.name!r}: the kernel shape {kernel_shape} is not fully "
                f"defined; give every output axis of the kernel in output_shape."
            )
        kernel = self.param(
            "kernel",
            _fan_aware(self.kernel_initializer, in_axes, out_axes),
            tuple(int(d) for d in kernel_shape),
            jnp.float32,
        )
        y = jnp.einsum(self.equation, x, kernel)
        if bias_shape is not None:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer),
                tuple(int(d) for d in bias_shape), jnp.float32,
            )
            y = y + jnp.reshape(bias, (1,) * (y.ndim - bias.ndim) + bias.shape)
        return activations.get(self.activation)(y)
