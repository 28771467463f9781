"""Keras's convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable convs.

Each layer takes Keras's arguments (names, positional order, defaults) and keeps its weights in
Keras's layout, so ``set_keras_weights`` copies Keras arrays unchanged:

=======================  ======================================================================
layer                    weights (``KERAS_WEIGHTS`` order)
=======================  ======================================================================
Conv1D/2D/3D             ``kernel`` ``(*kernel_size, in_channels // groups, filters)``, ``bias``
Conv1D/2D/3DTranspose    ``kernel`` ``(*kernel_size, filters, in_channels)``, ``bias``
DepthwiseConv1D/2D       ``kernel`` ``(*kernel_size, in_channels, depth_multiplier)``, ``bias``
                         ``(in_channels * depth_multiplier,)``
SeparableConv1D/2D       ``depthwise_kernel`` ``(*kernel_size, in_channels, depth_multiplier)``,
                         ``pointwise_kernel`` ``(*(1,) * rank, in_channels * depth_multiplier,
                         filters)``, ``bias``
=======================  ======================================================================

Padding is TensorFlow's: ``'same'`` puts the odd extra row/column at the bottom/right, and
``Conv1D(padding='causal')`` left-pads ``(kernel_size - 1) * dilation_rate``. The computation is
``jax.lax.conv_general_dilated`` on channels-last arrays; ``data_format='channels_first'`` is
handled by transposing to channels-last and back.

Example:
    >>> import jax, jax.numpy as jnp
    >>> from jnet.layers.convolutional import Conv2D
    >>> layer = Conv2D(8, 3, strides=2, padding="same", activation="relu")
    >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 9, 9, 3)))
    >>> variables["params"]["kernel"].shape
    (3, 3, 3, 8)
    >>> layer.apply(variables, jnp.ones((2, 9, 9, 3))).shape
    (2, 5, 5, 8)

One concept, one file (about 760 lines): the convolution family shares one argument
checker, one weight layout table and one forward (``_conv_utils``, ``_fast_conv``); each layer
class is its fields and docstring.
"""

from __future__ import annotations

from typing import Any, ClassVar

import flax.linen as nn
import jax.numpy as jnp

from jnet import _typing, activations, errors, initializers
from jnet.layers import _conv_utils as cu
from jnet.layers.base import Layer, WeightPath, cast_inputs

__all__ = [
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
]


class _ConvLayer(Layer):
    """What every convolution layer shares: argument checks, normalised arguments, config."""

    #: Number of spatial axes.
    _RANK: ClassVar[int] = 2
    #: Whether 'causal' padding is allowed (Conv1D only).
    _ALLOW_CAUSAL: ClassVar[bool] = False
    #: Whether Keras rejects strides > 1 together with dilation_rate > 1.
    _STRIDES_XOR_DILATION: ClassVar[bool] = True
    #: Initializer fields, checked at construction.
    _INITIALIZERS: ClassVar[tuple[str, ...]] = ()

    @nn.nowrap
    def _cls(self) -> str:
        return type(self).__name__

    @nn.nowrap
    def _tuple(self, name: str, allow_zero: bool = False) -> tuple[int, ...]:
        return cu.int_tuple(getattr(self, name), self._RANK, name, self._cls(), allow_zero)

    @nn.nowrap
    def _padding(self) -> str:
        return cu.padding_mode(self.padding, self._cls(), self._ALLOW_CAUSAL)

    @nn.nowrap
    def _data_format(self) -> str:
        return cu.data_format(self.data_format, self._cls())

    @nn.nowrap
    def _validate(self) -> None:
        owner = self._cls()
        for name in ("filters", "depth_multiplier"):
            if hasattr(self, name):
                cu.positive_int(getattr(self, name), name, owner)
        self._tuple("kernel_size")
        strides = self._tuple("strides")
        dilation = self._tuple("dilation_rate")
        self._padding()
        self._data_format()
        if self._STRIDES_XOR_DILATION:
            cu.reject_strides_with_dilation(strides, dilation, owner)
        errors.require_bool(self.use_bias, "use_bias", owner)
        activations.get(self.activation)
        for name in (*self._INITIALIZERS, "bias_initializer"):
            initializers.get(getattr(self, name))
        self._check_penalty_arguments()

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as Keras's ``get_config`` returns them (tuples, lower-case
        padding, data_format resolved)."""
        config = super().get_config()
        for name in ("kernel_size", "strides", "dilation_rate"):
            config[name] = self._tuple(name)
        config["padding"] = self._padding()
        config["data_format"] = self._data_format()
        return config

    @nn.nowrap
    def _prepare(self, inputs: Any):
        """Casts, checks the rank, moves channels last. Returns (inputs, channels-last x)."""
        inputs = cast_inputs(inputs)
        fmt = self._data_format()
        cu.check_input_rank(inputs, self._RANK, self._cls(), fmt)
        return inputs, cu.to_channels_last(inputs, fmt)

    @nn.nowrap
    def _finish(self, outputs):
        """Moves channels back to ``data_format`` and applies the activation (last, as Keras)."""
        outputs = cu.from_channels_last(outputs, self._data_format())
        return activations.get(self.activation)(outputs)

    @nn.nowrap
    def _forward_pads(self, inputs, x) -> list[tuple[int, int]]:
        """The padding of a forward (not transposed) conv, with Keras's empty-output check."""
        kernel_size, strides = self._tuple("kernel_size"), self._tuple("strides")
        dilation = self._tuple("dilation_rate")
        spatial = tuple(x.shape[1:-1])
        pads = cu.conv_pads(spatial, kernel_size, strides, dilation, self._padding())
        cu.check_output_size(
            inputs.shape, spatial, kernel_size, strides, dilation, pads, self._cls()
        )
        return pads


# -- Conv1D / Conv2D / Conv3D ---------------------------------------------------------------------


class _Conv(_ConvLayer):
    filters: int
    kernel_size: Any
    strides: Any = 1
    padding: str = "valid"
    data_format: str | None = None
    dilation_rate: Any = 1
    groups: int = 1
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
    _INITIALIZERS: ClassVar[tuple[str, ...]] = ("kernel_initializer",)
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "kernel_regularizer", "kernel_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )

    def __post_init__(self):
        self._validate()
        owner = self._cls()
        groups = cu.positive_int(self.groups, "groups", owner)
        if self.filters % groups != 0:
            raise errors.JnetValueError(
                f"{owner}: filters must be divisible by groups, received filters="
                f"{self.filters} and groups={groups}."
            )
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs, x = self._prepare(inputs)
        channels = int(x.shape[-1])
        cu.check_groups(channels, int(self.groups), inputs.shape, self._cls())
        pads = self._forward_pads(inputs, x)
        kernel = self.param(
            "kernel",
            initializers.get(self.kernel_initializer),
            (*self._tuple("kernel_size"), channels // int(self.groups), int(self.filters)),
            jnp.float32,
        )
        outputs = cu.conv(
            x, kernel, self._tuple("strides"), pads, self._tuple("dilation_rate"),
            groups=int(self.groups),
        )
        if self.use_bias:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer), (int(self.filters),),
                jnp.float32,
            )
            outputs = cu.add_bias(outputs, bias)
        return self._finish(outputs)


_CONV_ARGS = """
    Args:
        filters: positive integer, the number of output channels.
        kernel_size: integer or tuple of {rank} integers, the window size.
        strides: integer or tuple of {rank} integers. Default {strides}. Strides > 1 cannot be
            combined with dilation_rate > 1.
        padding: {padding} (case-insensitive). Default ``'valid'``.
        data_format: ``'channels_last'`` (``(batch, {spatial}, channels)``) or
            ``'channels_first'``; None means ``'channels_last'``.
        dilation_rate: integer or tuple of {rank} integers. Default {strides}.
        groups: positive integer dividing both the input channels and ``filters``; each group
            of input channels is convolved with ``filters // groups`` filters. Default 1.
        activation: name, callable or None (linear). Default None.
        use_bias: whether to add a bias. Default True.
        kernel_initializer: default ``'glorot_uniform'``; kernel shape
            ``(*kernel_size, in_channels // groups, filters)``.
        bias_initializer: default ``'zeros'``; bias shape ``(filters,)``.
        kernel_regularizer, bias_regularizer: penalties on the weights (a name such as
            ``'l2'``, a :mod:`jnet.regularizers` object or a callable), added to the loss.
        activity_regularizer: penalty on the output, divided by the batch size.
        kernel_constraint, bias_constraint: projections (:mod:`jnet.constraints`) applied
            to the weights after each optimizer update.
"""


class Conv1D(_Conv):
    """1-D convolution (temporal convolution), as ``keras.layers.Conv1D``.

    Inputs ``(batch, steps, channels)``; outputs ``(batch, new_steps, filters)``.
    ``padding='causal'`` left-pads ``(kernel_size - 1) * dilation_rate`` zeros so that output
    ``t`` depends only on inputs ``<= t``.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv1D
        >>> layer = Conv1D(4, 3, padding="causal", dilation_rate=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 10, 2)))
        >>> layer.apply(variables, jnp.ones((3, 10, 2))).shape
        (3, 10, 4)
    """

    _RANK: ClassVar[int] = 1
    _ALLOW_CAUSAL: ClassVar[bool] = True


class Conv2D(_Conv):
    """2-D convolution over images, as ``keras.layers.Conv2D``.

    Inputs ``(batch, height, width, channels)``; outputs ``(batch, new_height, new_width,
    filters)``. With ``padding='same'`` the output is ``ceil(size / strides)`` and the odd
    padding row/column goes at the bottom/right, as in TensorFlow.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv2D
        >>> layer = Conv2D(32, 3, activation="relu")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 28, 28, 1)))
        >>> layer.apply(variables, jnp.ones((2, 28, 28, 1))).shape
        (2, 26, 26, 32)
    """

    strides: Any = (1, 1)
    dilation_rate: Any = (1, 1)

    _RANK: ClassVar[int] = 2


class Conv3D(_Conv):
    """3-D convolution over volumes, as ``keras.layers.Conv3D``.

    Inputs ``(batch, depth, height, width, channels)``.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv3D
        >>> layer = Conv3D(2, (2, 3, 3), padding="same")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 4, 5, 5, 1)))
        >>> layer.apply(variables, jnp.ones((1, 4, 5, 5, 1))).shape
        (1, 4, 5, 5, 2)
    """

    strides: Any = (1, 1, 1)
    dilation_rate: Any = (1, 1, 1)

    _RANK: ClassVar[int] = 3


# -- Conv1DTranspose / Conv2DTranspose / Conv3DTranspose ------------------------------------------


class _ConvTranspose(_ConvLayer):
    # The fields live in the subclasses: Keras's Conv3DTranspose puts data_format before
    # output_padding, Conv1DTranspose/Conv2DTranspose after.

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "kernel"), ("params", "bias"))
    _INITIALIZERS: ClassVar[tuple[str, ...]] = ("kernel_initializer",)
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "kernel_regularizer", "kernel_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )

    def __post_init__(self):
        self._validate()
        output_padding = self._output_padding()
        if output_padding is not None:
            strides = self._tuple("strides")
            for i, (op, s) in enumerate(zip(output_padding, strides, strict=True)):
                if op >= s:
                    raise errors.JnetValueError(
                        f"{self._cls()}: output_padding must be strictly less than strides on "
                        f"every axis; at axis {i} output_padding is {op} and strides is {s} "
                        f"(received output_padding={self.output_padding!r}, "
                        f"strides={self.strides!r})."
                    )
        super().__post_init__()

    @nn.nowrap
    def _output_padding(self) -> tuple[int, ...] | None:
        if self.output_padding is None:
            return None
        return self._tuple("output_padding", allow_zero=True)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["output_padding"] = self._output_padding()
        return config

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs, x = self._prepare(inputs)
        channels = int(x.shape[-1])
        kernel_size, strides = self._tuple("kernel_size"), self._tuple("strides")
        dilation, mode = self._tuple("dilation_rate"), self._padding()
        output_padding = self._output_padding() or (None,) * self._RANK
        pads = []
        for n, k, s, d, op in zip(
            x.shape[1:-1], kernel_size, strides, dilation, output_padding, strict=True
        ):
            out = cu.transpose_output_size(int(n), k, s, mode, op, d)
            pads.append(cu.transpose_pads(int(n), out, k, s, mode, d))
        kernel = self.param(
            "kernel",
            initializers.get(self.kernel_initializer),
            (*kernel_size, int(self.filters), channels),
            jnp.float32,
        )
        outputs = cu.conv_transpose(x, kernel, strides, pads, dilation)
        if self.use_bias:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer), (int(self.filters),),
                jnp.float32,
            )
            outputs = cu.add_bias(outputs, bias)
        return self._finish(outputs)


_CONV_TRANSPOSE_ARGS = """
    Args:
        filters: positive integer, the number of output channels.
        kernel_size: integer or tuple of {rank} integers, the window size.
        strides: integer or tuple of {rank} integers, the upsampling factor. Default {strides}.
            Strides > 1 cannot be combined with dilation_rate > 1.
        padding: ``'valid'`` or ``'same'`` (case-insensitive). Default ``'valid'``.
        output_padding: None, or an integer or tuple of {rank} integers, each strictly less
            than the stride: the amount added along each axis (see the size formula above).
        data_format: ``'channels_last'`` or ``'channels_first'``; None means ``'channels_last'``.
        dilation_rate: integer or tuple of {rank} integers. Default {strides}.
        activation: name, callable or None (linear). Default None.
        use_bias: whether to add a bias. Default True.
        kernel_initializer: default ``'glorot_uniform'``; kernel shape
            ``(*kernel_size, filters, in_channels)`` (Keras's layout: output channels before
            input channels).
        bias_initializer: default ``'zeros'``; bias shape ``(filters,)``.
        kernel_regularizer, bias_regularizer: penalties on the weights (a name such as
            ``'l2'``, a :mod:`jnet.regularizers` object or a callable), added to the loss.
        activity_regularizer: penalty on the output, divided by the batch size.
        kernel_constraint, bias_constraint: projections (:mod:`jnet.constraints`) applied
            to the weights after each optimizer update.
"""

_TRANSPOSE_SIZE = """
    Output size per spatial axis, for input size ``n``, ``k' = (k - 1) * dilation + 1``:
    ``'valid'``: ``(n - 1) * s + k' + output_padding`` (default ``max(k', s) - k'``);
    ``'same'``: ``n * s`` when ``output_padding`` is None, else
    ``(n - 1) * s + k' % 2 + output_padding``. The values are TensorFlow's
    ``conv_transpose`` (the gradient of the matching convolution).
"""


class _ConvTransposeArgs(_ConvTranspose):
    filters: int
    kernel_size: Any
    strides: Any = 1
    padding: str = "valid"
    output_padding: Any = None
    data_format: str | None = None
    dilation_rate: Any = 1
    activation: _typing.Activation = None
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    bias_initializer: _typing.Initializer = "zeros"
    kernel_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None


class Conv1DTranspose(_ConvTransposeArgs):
    """Transposed 1-D convolution (upsampling), as ``keras.layers.Conv1DTranspose``.
    {size}{args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv1DTranspose
        >>> layer = Conv1DTranspose(3, 4, strides=2, padding="same")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 5, 2)))
        >>> layer.apply(variables, jnp.ones((1, 5, 2))).shape
        (1, 10, 3)
    """

    _RANK: ClassVar[int] = 1


class Conv2DTranspose(_ConvTransposeArgs):
    """Transposed 2-D convolution (upsampling), as ``keras.layers.Conv2DTranspose``.
    {size}{args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv2DTranspose
        >>> layer = Conv2DTranspose(16, 3, strides=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 7, 7, 8)))
        >>> variables["params"]["kernel"].shape
        (3, 3, 16, 8)
        >>> layer.apply(variables, jnp.ones((1, 7, 7, 8))).shape
        (1, 15, 15, 16)
    """

    strides: Any = (1, 1)
    dilation_rate: Any = (1, 1)

    _RANK: ClassVar[int] = 2


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3-D convolution (upsampling), as ``keras.layers.Conv3DTranspose``.

    Keras's positional order differs from Conv2DTranspose here: ``data_format`` comes before
    ``output_padding``.
    {size}{args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import Conv3DTranspose
        >>> layer = Conv3DTranspose(2, 2, strides=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 2, 3, 3, 1)))
        >>> layer.apply(variables, jnp.ones((1, 2, 3, 3, 1))).shape
        (1, 4, 6, 6, 2)
    """

    filters: int
    kernel_size: Any
    strides: Any = (1, 1, 1)
    padding: str = "valid"
    data_format: str | None = None
    output_padding: Any = None
    dilation_rate: Any = (1, 1, 1)
    activation: _typing.Activation = None
    use_bias: bool = True
    kernel_initializer: _typing.Initializer = "glorot_uniform"
    bias_initializer: _typing.Initializer = "zeros"
    kernel_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    kernel_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None

    _RANK: ClassVar[int] = 3


# -- DepthwiseConv1D / DepthwiseConv2D -------------------------------------------------------------


class _DepthwiseConv(_ConvLayer):
    kernel_size: Any
    strides: Any = 1
    padding: str = "valid"
    depth_multiplier: int = 1
    data_format: str | None = None
    dilation_rate: Any = 1
    activation: _typing.Activation = None
    use_bias: bool = True
    depthwise_initializer: _typing.Initializer = "glorot_uniform"
    bias_initializer: _typing.Initializer = "zeros"
    depthwise_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    depthwise_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None

    # Keras 3 names the depthwise layers' kernel 'kernel' (tf_keras: 'depthwise_kernel').
    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (("params", "kernel"), ("params", "bias"))
    _INITIALIZERS: ClassVar[tuple[str, ...]] = ("depthwise_initializer",)
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("kernel",), "depthwise_regularizer", "depthwise_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )
    _STRIDES_XOR_DILATION: ClassVar[bool] = False

    def __post_init__(self):
        self._validate()
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs, x = self._prepare(inputs)
        channels = int(x.shape[-1])
        multiplier = int(self.depth_multiplier)
        pads = self._forward_pads(inputs, x)
        kernel = self.param(
            "kernel",
            initializers.get(self.depthwise_initializer),
            (*self._tuple("kernel_size"), channels, multiplier),
            jnp.float32,
        )
        outputs = cu.depthwise_conv(
            x, kernel, self._tuple("strides"), pads, self._tuple("dilation_rate")
        )
        if self.use_bias:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer), (channels * multiplier,),
                jnp.float32,
            )
            outputs = cu.add_bias(outputs, bias)
        return self._finish(outputs)


_DEPTHWISE_ARGS = """
    Args:
        kernel_size: integer or tuple of {rank} integers, the window size.
        strides: integer or tuple of {rank} integers. Default {strides}.
        padding: ``'valid'`` or ``'same'`` (case-insensitive). Default ``'valid'``.
        depth_multiplier: positive integer, output channels per input channel. Default 1.
        data_format: ``'channels_last'`` or ``'channels_first'``; None means ``'channels_last'``.
        dilation_rate: integer or tuple of {rank} integers. Default {strides}. Unlike Conv,
            Keras 3 allows strides > 1 together with dilation_rate > 1 here.
        activation: name, callable or None (linear). Default None.
        use_bias: whether to add a bias. Default True.
        depthwise_initializer: default ``'glorot_uniform'``; the weight is named ``kernel``
            (as in Keras 3), shape ``(*kernel_size, in_channels, depth_multiplier)``.
        bias_initializer: default ``'zeros'``; bias shape ``(in_channels * depth_multiplier,)``.
        depthwise_regularizer, bias_regularizer: penalties on the weights (a name such as
            ``'l2'``, a :mod:`jnet.regularizers` object or a callable), added to the loss.
        activity_regularizer: penalty on the output, divided by the batch size.
        depthwise_constraint, bias_constraint: projections (:mod:`jnet.constraints`)
            applied to the weights after each optimizer update.
"""


class DepthwiseConv1D(_DepthwiseConv):
    """Depthwise 1-D convolution, as ``keras.layers.DepthwiseConv1D``.

    Each input channel is convolved with its own ``depth_multiplier`` filters; output channel
    ``c * depth_multiplier + m`` comes from input channel ``c``.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import DepthwiseConv1D
        >>> layer = DepthwiseConv1D(3, depth_multiplier=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 8, 4)))
        >>> layer.apply(variables, jnp.ones((1, 8, 4))).shape
        (1, 6, 8)
    """

    _RANK: ClassVar[int] = 1


class DepthwiseConv2D(_DepthwiseConv):
    """Depthwise 2-D convolution, as ``keras.layers.DepthwiseConv2D``.

    Each input channel is convolved with its own ``depth_multiplier`` filters; output channel
    ``c * depth_multiplier + m`` comes from input channel ``c``.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import DepthwiseConv2D
        >>> layer = DepthwiseConv2D(3, depth_multiplier=2, padding="same")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 8, 8, 3)))
        >>> variables["params"]["kernel"].shape
        (3, 3, 3, 2)
        >>> layer.apply(variables, jnp.ones((1, 8, 8, 3))).shape
        (1, 8, 8, 6)
    """

    strides: Any = (1, 1)
    dilation_rate: Any = (1, 1)

    _RANK: ClassVar[int] = 2


# -- SeparableConv1D / SeparableConv2D -------------------------------------------------------------


class _SeparableConv(_ConvLayer):
    filters: int
    kernel_size: Any
    strides: Any = 1
    padding: str = "valid"
    data_format: str | None = None
    dilation_rate: Any = 1
    depth_multiplier: int = 1
    activation: _typing.Activation = None
    use_bias: bool = True
    depthwise_initializer: _typing.Initializer = "glorot_uniform"
    pointwise_initializer: _typing.Initializer = "glorot_uniform"
    bias_initializer: _typing.Initializer = "zeros"
    depthwise_regularizer: _typing.Regularizer = None
    pointwise_regularizer: _typing.Regularizer = None
    bias_regularizer: _typing.Regularizer = None
    activity_regularizer: _typing.Regularizer = None
    depthwise_constraint: _typing.Constraint = None
    pointwise_constraint: _typing.Constraint = None
    bias_constraint: _typing.Constraint = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (
        ("params", "depthwise_kernel"),
        ("params", "pointwise_kernel"),
        ("params", "bias"),
    )
    _INITIALIZERS: ClassVar[tuple[str, ...]] = ("depthwise_initializer", "pointwise_initializer")
    WEIGHT_PENALTIES: ClassVar[tuple[tuple[WeightPath, str | None, str | None], ...]] = (
        (("depthwise_kernel",), "depthwise_regularizer", "depthwise_constraint"),
        (("pointwise_kernel",), "pointwise_regularizer", "pointwise_constraint"),
        (("bias",), "bias_regularizer", "bias_constraint"),
    )
    _STRIDES_XOR_DILATION: ClassVar[bool] = False

    def __post_init__(self):
        self._validate()
        super().__post_init__()

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inputs, x = self._prepare(inputs)
        channels = int(x.shape[-1])
        multiplier, filters = int(self.depth_multiplier), int(self.filters)
        pads = self._forward_pads(inputs, x)
        depthwise = self.param(
            "depthwise_kernel",
            initializers.get(self.depthwise_initializer),
            (*self._tuple("kernel_size"), channels, multiplier),
            jnp.float32,
        )
        pointwise = self.param(
            "pointwise_kernel",
            initializers.get(self.pointwise_initializer),
            ((1,) * self._RANK + (channels * multiplier, filters)),
            jnp.float32,
        )
        outputs = cu.depthwise_conv(
            x, depthwise, self._tuple("strides"), pads, self._tuple("dilation_rate")
        )
        ones = (1,) * self._RANK
        outputs = cu.conv(outputs, pointwise, ones, [(0, 0)] * self._RANK, ones)
        if self.use_bias:
            bias = self.param(
                "bias", initializers.get(self.bias_initializer), (filters,), jnp.float32
            )
            outputs = cu.add_bias(outputs, bias)
        return self._finish(outputs)


_SEPARABLE_ARGS = """
    Args:
        filters: positive integer, the number of output channels.
        kernel_size: integer or tuple of {rank} integers, the depthwise window size.
        strides: integer or tuple of {rank} integers. Default {strides}.
        padding: ``'valid'`` or ``'same'`` (case-insensitive). Default ``'valid'``.
        data_format: ``'channels_last'`` or ``'channels_first'``; None means ``'channels_last'``.
        dilation_rate: integer or tuple of {rank} integers. Default {strides}.
        depth_multiplier: positive integer, depthwise output channels per input channel.
            Default 1.
        activation: name, callable or None (linear). Default None.
        use_bias: whether to add a bias. Default True.
        depthwise_initializer: default ``'glorot_uniform'``; ``depthwise_kernel`` shape
            ``(*kernel_size, in_channels, depth_multiplier)``.
        pointwise_initializer: default ``'glorot_uniform'``; ``pointwise_kernel`` shape
            ``(*(1,) * {rank}, in_channels * depth_multiplier, filters)``.
        bias_initializer: default ``'zeros'``; bias shape ``(filters,)``.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: penalties on the
            weights (a name such as ``'l2'``, a :mod:`jnet.regularizers` object or a
            callable), added to the loss.
        activity_regularizer: penalty on the output, divided by the batch size.
        depthwise_constraint, pointwise_constraint, bias_constraint: projections
            (:mod:`jnet.constraints`) applied to the weights after each optimizer update.
"""


class SeparableConv1D(_SeparableConv):
    """Depthwise-separable 1-D convolution, as ``keras.layers.SeparableConv1D``.

    A depthwise convolution (each input channel on its own) followed by a pointwise
    (kernel size 1) convolution that mixes channels, then the bias and activation.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import SeparableConv1D
        >>> layer = SeparableConv1D(4, 3, padding="same")
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 8, 2)))
        >>> layer.apply(variables, jnp.ones((1, 8, 2))).shape
        (1, 8, 4)
    """

    _RANK: ClassVar[int] = 1


class SeparableConv2D(_SeparableConv):
    """Depthwise-separable 2-D convolution, as ``keras.layers.SeparableConv2D``.

    A depthwise convolution (each input channel on its own) followed by a pointwise (1x1)
    convolution that mixes channels, then the bias and activation.
    {args}
    Example:
        >>> import jax, jax.numpy as jnp
        >>> from jnet.layers.convolutional import SeparableConv2D
        >>> layer = SeparableConv2D(16, 3, depth_multiplier=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 8, 8, 3)))
        >>> [variables["params"][n].shape for n in ("depthwise_kernel", "pointwise_kernel")]
        [(3, 3, 3, 2), (1, 1, 6, 16)]
    """

    strides: Any = (1, 1)
    dilation_rate: Any = (1, 1)

    _RANK: ClassVar[int] = 2


def _fill_docs() -> None:
    """Writes each family's shared Args section into its public classes' docstrings."""
    spatial = {1: "steps", 2: "height, width", 3: "depth, height, width"}
    for cls, args in [
        (Conv1D, _CONV_ARGS), (Conv2D, _CONV_ARGS), (Conv3D, _CONV_ARGS),
        (Conv1DTranspose, _CONV_TRANSPOSE_ARGS), (Conv2DTranspose, _CONV_TRANSPOSE_ARGS),
        (Conv3DTranspose, _CONV_TRANSPOSE_ARGS), (DepthwiseConv1D, _DEPTHWISE_ARGS),
        (DepthwiseConv2D, _DEPTHWISE_ARGS), (SeparableConv1D, _SEPARABLE_ARGS),
        (SeparableConv2D, _SEPARABLE_ARGS),
    ]:
        rank = cls._RANK
        strides = "1" if rank == 1 else f"``{(1,) * rank}``"
        padding = (
            "``'valid'``, ``'same'`` or ``'causal'``" if cls._ALLOW_CAUSAL
            else "``'valid'`` or ``'same'``"
        )
        text = args.format(rank=rank, strides=strides, padding=padding, spatial=spatial[rank])
        if cls.__doc__:  # None under python -OO
            cls.__doc__ = cls.__doc__.replace("{args}", text).replace("{size}", _TRANSPOSE_SIZE)


_fill_docs()

# Keras's aliases.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
