"""Dense, Activation and Identity: the layers of a Keras user's first model.

Example:
    >>> import jax, jax.numpy as jnp
    >>> import jnet
    >>> layer = jnet.layers.Dense(2, activation="relu")
    >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 3)))
    >>> layer.apply(variables, jnp.ones((5, 3))).shape
    (5, 2)
"""

from __future__ import annotations

from typing import ClassVar

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import _typing, activations, errors, initializers
from jnet.layers.base import Layer, WeightPath, cast_inputs


class Dense(Layer):
    """Keras's densely connected layer: ``activation(inputs @ kernel + bias)``.

    Applies to the last axis of inputs of any rank, as Keras does. The kernel has shape
    ``(input_features, units)``, Keras's layout.

    Args:
        units: positive integer, the number of outputs.
        activation: name, callable or None (linear). Default None.
        use_bias: whether to add a bias. Default True.
        kernel_initializer: default ``'glorot_uniform'`` (Keras's, not Flax's lecun_normal).
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer: penalties on the weights (a name such as
            ``'l2'``, a :mod:`jnet.regularizers` object or a callable), added to the loss.
        activity_regularizer: penalty on the output, divided by the batch size.
        kernel_constraint, bias_constraint: projections (:mod:`jnet.constraints`) applied
            to the weights after each optimizer update.

    Example:
        >>> import jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(units=1, input_shape=[1])])
        >>> model.count_params()
        2
    """

    units: int
    activation: _typing.Activation = None
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    bias_initializer: _typing.Initializer = "zeros"
    kernel_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "kernel"), ("params", "bias"))
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "kernel_regularizer", "kernel_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        if isinstance(self.units, bool) or not isinstance(self.units, int | np.integer) or (
            self.units <= 0
        ):
            raise errors.JnetValueError(
                f"Dense: units must be a positive integer, received {self.units!r}."
            )
        errors.require_bool(self.use_bias, "use_bias", "Dense")
        activations.get(self.activation)
        initializers.get(self.kernel_initializer)
        initializers.get(self.bias_initializer)
        self._check_penalty_arguments()
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs = cast_inputs(inputs)
        if inputs.ndim == 0:
            raise errors.JnetValueError(
                f"Dense layer {self.name!r} needs inputs of rank >= 1, received a scalar."
            )
        kernel = self.param(
            "kernel",
            initializers.get(self.kernel_initializer),
            (inputs.shape[-1], int(self.units)),
            jnp.float32,
        )
        outputs = jnp.matmul(inputs, kernel)
        if self.use_bias:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer), (int(self.units),), jnp.float32
            )
            outputs = outputs + jnp.reshape(bias, (1,) * (outputs.ndim - 1) + (-1,))
        return activations.get(self.activation)(outputs)


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: a name (``'relu'``, ``'softmax'``, ...) or a callable.

    Example:
        >>> import jax.numpy as jnp, jnet
        >>> jnet.layers.Activation("relu").apply({}, jnp.array([-1.0, 2.0]))
        Array([0., 2.], dtype=float32)
    """

    activation: _typing.Activation = None

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __post_init__(self):
        activations.get(self.activation)
        super().__post_init__()

    def __call__(self, inputs, training: bool = False):
        return activations.get(self.activation)(cast_inputs(inputs))


class Identity(Layer):
    """Returns its input unchanged (Keras's ``Identity``).

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet
        >>> jnet.layers.Identity()(jnp.array([1.0, 2.0])).tolist()
        [1.0, 2.0]
    """

    SUPPORTS_MASKING = True  # Keras: supports_masking=True (the mask passes through)

    def __call__(self, inputs, training: bool = False):
        return inputs
