"""``STFTSpectrogram``: the short-time Fourier transform of 1-D signals as a (trainable)
convolution, as ``keras.layers.STFTSpectrogram``.

The real and imaginary parts of the DFT of each windowed frame are two ``Conv1D`` kernels
``(frame_length, 1, fft_length // 2 + 1)`` (Keras's ``real_kernel`` and ``imag_kernel``,
initialized by :class:`jnet.initializers.STFT`), applied to each input channel on its own
with stride ``frame_step``; ``mode`` picks what is returned from them.

Example:
    >>> import numpy as np, jnet
    >>> layer = jnet.layers.STFTSpectrogram(frame_length=8, frame_step=4, mode="magnitude")
    >>> layer(np.ones((2, 32, 1), "float32")).shape
    (2, 7, 5)
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import config, errors
from jnet.initializers import STFT
from jnet.layers._image_transform import check_choice
from jnet.layers.base import Layer, WeightPath

__all__ = ["STFTSpectrogram"]

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
_EPSILON = 1e-7  # keras.config.epsilon()


def _positive_int(owner: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise errors.JnetValueError(
            f"{owner}: {name} must be a positive integer, received {name}={value!r}."
        )
    return int(value)


class STFTSpectrogram(Layer):
    """Spectrograms of 1-D signals through STFT convolution kernels, as Keras's layer.

    Weights (Keras's order): ``real_kernel`` (absent when ``mode='imag'``) and
    ``imag_kernel`` (absent when ``mode='real'``), each ``(frame_length, 1, fft_length // 2 +
    1)``.

    Args:
        mode: ``'log'`` (default; the log magnitude), ``'magnitude'``, ``'psd'`` (the power,
            its inner bins doubled), ``'real'``, ``'imag'``, ``'angle'`` or ``'stft'`` (real
            and imaginary parts concatenated along the frequencies).
        frame_length: each frame's length in samples. Default 256.
        frame_step: the hop between frames, in ``[1, frame_length]``; default
            ``frame_length // 2``.
        fft_length: the FFT size, at least ``frame_length``; default the smallest power of two
            not below ``frame_length``.
        window: ``'hann'`` (default), ``'hamming'`` or an array of ``frame_length`` values.
        periodic: whether the window is periodic. Default False.
        scaling: ``'density'`` (default), ``'spectrum'`` or None: the window's scaling.
        padding: ``'valid'`` (default) or ``'same'``.
        expand_dims: return ``(batch, time, freq, channels)`` (channels last) instead of
            ``(batch, time, channels * freq)``. Default False.
        data_format: ``'channels_last'`` (inputs ``(batch, time, channels)``) or
            ``'channels_first'``; defaults to ``jnet.config.image_data_format()``.

    Example:
        >>> import numpy as np
        >>> layer = STFTSpectrogram(frame_length=4, frame_step=4, mode="real",
        ...                         window=np.ones(4, "float32"), scaling=None)
        >>> (layer(np.ones((1, 8, 1), "float32"))[0].round(3) + 0.0).tolist()  # the DC bin is 4
        [[4.0, 0.0, 0.0], [4.0, 0.0, 0.0]]
    """

    mode: str = "log"
    frame_length: int = 256
    frame_step: Any = None
    fft_length: Any = None
    window: Any = "hann"
    periodic: bool = False
    scaling: Any = "density"
    padding: str = "valid"
    expand_dims: bool = False
    data_format: Any = None

    KERAS_WEIGHTS: ClassVar[tuple[WeightPath, ...]] = (
        ("params", "real_kernel"), ("params", "imag_kernel"))

    def __post_init__(self):
        owner = "STFTSpectrogram"
        length = _positive_int(owner, "frame_length", self.frame_length)
        if self.frame_step is not None and (
            _positive_int(owner, "frame_step", self.frame_step) > length
        ):
            raise errors.JnetValueError(
                f"STFTSpectrogram: frame_step should be a positive integer not greater than "
                f"frame_length, received frame_step={self.frame_step}, frame_length={length}."
            )
        if self.fft_length is not None and (
            _positive_int(owner, "fft_length", self.fft_length) < length
        ):
            raise errors.JnetValueError(
                f"STFTSpectrogram: fft_length should be not less than frame_length, received "
                f"fft_length={self.fft_length}, frame_length={length}."
            )
        check_choice(owner, "mode", self.mode, _MODES)
        if self.scaling is not None:
            check_choice(owner, "scaling", self.scaling, ("density", "spectrum"))
        check_choice(owner, "padding", self.padding, ("valid", "same"))
        check_choice(owner, "data_format", self._data_format())
        if isinstance(self.window, str):
            check_choice(owner, "window", self.window, ("hann", "hamming"))
        super().__post_init__()

    @nn.nowrap
    def _data_format(self) -> str:
        return self.data_format or config.image_data_format()

    @nn.nowrap
    def _step(self) -> int:
        return int(self.frame_step or self.frame_length // 2)

    @nn.nowrap
    def _fft(self) -> int:
        return int(self.fft_length or 2 ** int(math.ceil(math.log2(self.frame_length))))

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``data_format`` resolved)."""
        return {**super().get_config(), "data_format": self._data_format()}

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """Keras's output shape (see the class docstring)."""
        last = self._data_format() == "channels_last"
        batch, time, channels = (
            input_shape if last else (input_shape[0], input_shape[2], input_shape[1]))
        freq = (self._fft() // 2 + 1) * (2 if self.mode == "stft" else 1)
        if time is not None:
            time = (-(-time // self._step()) if self.padding == "same"
                    else (time - self.frame_length) // self._step() + 1)
        if self.expand_dims:
            return (batch, time, freq, channels) if last else (batch, channels, time, freq)
        return (batch, time, freq * channels) if last else (batch, freq * channels, time)

    @nn.nowrap
    def _conv(self, signals: jnp.ndarray, kernel: jnp.ndarray) -> jnp.ndarray:
        # signals (batch * channels, time, 1) -> (batch * channels, time', freq)
        return jax.lax.conv_general_dilated(
            signals, kernel.astype(signals.dtype), window_strides=(self._step(),),
            padding=self.padding.upper(), dimension_numbers=("NWC", "WIO", "NWC"))

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        x = jnp.asarray(inputs)
        if x.dtype not in (jnp.float16, jnp.float32, jnp.float64):
            raise errors.JnetTypeError(
                f"STFTSpectrogram: inputs must be float16, float32 or float64, received "
                f"dtype {x.dtype}.")
        if x.ndim != 3:
            raise errors.JnetValueError(
                f"STFTSpectrogram expects inputs of rank 3 (batch, time, channels), received "
                f"shape {tuple(x.shape)}.")
        if self._data_format() == "channels_last":
            x = jnp.swapaxes(x, 1, 2)
        batch, channels, time = x.shape
        signals = x.reshape(batch * channels, time, 1)
        shape = (self.frame_length, 1, self._fft() // 2 + 1)
        parts = {}
        for side in ("real", "imag"):
            if self.mode != ("imag" if side == "real" else "real"):
                kernel = self.param(f"{side}_kernel", STFT(side, self.window, self.scaling,
                                                           self.periodic), shape, jnp.float32)
                out = self._conv(signals, kernel)  # (batch * channels, t, f)
                parts[side] = jnp.swapaxes(out.reshape(batch, channels, *out.shape[1:]), 2, 3)
        real, imag = parts.get("real"), parts.get("imag")
        if self.mode == "real":
            return self._arrange(real)
        if self.mode == "imag":
            return self._arrange(imag)
        if self.mode == "angle":
            return self._arrange(jnp.arctan2(imag, real))
        if self.mode == "stft":
            return self._arrange(jnp.concatenate([real, imag], axis=2))
        power = jnp.square(real) + jnp.square(imag)
        if self.mode == "psd":
            inner = jnp.pad(power[:, :, 1:-1, :], ((0, 0), (0, 0), (1, 1), (0, 0)))
            return self._arrange(power + inner)
        magnitude = self._arrange(jnp.sqrt(jnp.maximum(power, _EPSILON)))
        if self.mode == "magnitude":
            return magnitude
        return jnp.log(jnp.maximum(magnitude, _EPSILON))

    @nn.nowrap
    def _arrange(self, outputs: jnp.ndarray) -> jnp.ndarray:
        # (batch, channels, freq, time) -> Keras's output layout
        batch, channels, freq, time = outputs.shape
        if self._data_format() == "channels_last":
            if self.expand_dims:
                return jnp.transpose(outputs, (0, 3, 2, 1))
            return jnp.swapaxes(outputs.reshape(batch, channels * freq, time), 1, 2)
        if self.expand_dims:
            return jnp.transpose(outputs, (0, 1, 3, 2))
        return outputs.reshape(batch, channels * freq, time)
