"""``MelSpectrogram``: mel-scaled (decibel) spectrograms of audio signals, as
``keras.layers.MelSpectrogram``.

The magnitude of :func:`jnet.ops.math.stft` (centred frames), raised to ``mag_exp``, is
projected on ``num_mel_bins`` triangular HTK mel filters and, with ``power_to_db``, turned into
decibels relative to ``ref_power`` and clipped ``top_db`` below the maximum (over the whole
batch, as Keras). Outputs are ``(batch, num_mel_bins, frames)``.

Example:
    >>> import numpy as np, jnet
    >>> layer = jnet.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    >>> layer(np.zeros((2, 128), "float32")).shape
    (2, 8, 9)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.layers._autocast import compute_dtype
from jnet.layers.base import Layer
from jnet.ops import math as ops_math

__all__ = ["MelSpectrogram", "linear_to_mel_weight_matrix"]

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(hertz: Any) -> jnp.ndarray:
    return _MEL_HIGH_FREQUENCY_Q * jnp.log(1.0 + hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins: int = 20,
    num_spectrogram_bins: int = 129,
    sampling_rate: float = 8000,
    lower_edge_hertz: float = 125.0,
    upper_edge_hertz: float = 3800.0,
) -> jnp.ndarray:
    """The ``(num_spectrogram_bins, num_mel_bins)`` float32 matrix warping linear-frequency
    bins ``[0, sampling_rate / 2]`` to HTK mel bands (triangles peaking at 1; the DC bin
    zero), as Keras's ``MelSpectrogram.linear_to_mel_weight_matrix``.

    Args:
        num_mel_bins: how many mel bands.
        num_spectrogram_bins: how many linear bins (``fft_length // 2 + 1``).
        sampling_rate: the signal's samples per second.
        lower_edge_hertz: the lowest band's lower edge.
        upper_edge_hertz: the highest band's upper edge.

    Returns:
        The weight matrix.

    Example:
        >>> linear_to_mel_weight_matrix(4, 9, 8000, 0.0, 4000.0).shape
        (9, 4)
    """
    f32 = jnp.float32
    nyquist = jnp.asarray(sampling_rate, f32) / 2.0
    linear = jnp.linspace(jnp.asarray(0.0, f32), nyquist, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = jnp.linspace(_hertz_to_mel(jnp.asarray(lower_edge_hertz, f32)),
                         _hertz_to_mel(jnp.asarray(upper_edge_hertz, f32)), num_mel_bins + 2)
    lower, center, upper = edges[None, :-2], edges[None, 1:-1], edges[None, 2:]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = jnp.maximum(0.0, jnp.minimum(lower_slopes, upper_slopes))
    return jnp.pad(weights, ((1, 0), (0, 0)))


def _positive(owner: str, name: str, value: Any, integer: bool = True) -> None:
    kind = int | np.integer if integer else int | float | np.integer | np.floating
    if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
        what = "a positive integer" if integer else "a positive number"
        raise errors.JnetValueError(f"{owner}: {name} must be {what}, received {value!r}.")


class MelSpectrogram(Layer):
    """Mel spectrograms of signals ``(batch, samples)`` or ``(samples,)``, as Keras's layer.

    Args:
        fft_length: the FFT size. Default 2048.
        sequence_stride: the hop between frames. Default 512.
        sequence_length: each frame's (window's) length, at most ``fft_length``; default
            ``fft_length``.
        window: ``'hann'`` (default), ``'hamming'`` or None.
        sampling_rate: the signal's samples per second. Default 16000.
        num_mel_bins: how many mel bands. Default 128.
        min_freq: the lowest band's lower edge in Hz. Default 20.0.
        max_freq: the highest band's upper edge in Hz; default ``sampling_rate / 2``.
        power_to_db: convert the power to decibels. Default True.
        top_db: the decibel range kept below the maximum. Default 80.0.
        mag_exp: the exponent of the magnitude (2 for power). Default 2.0.
        min_power: the floor of the power before the logarithm. Default 1e-10.
        ref_power: the power that is 0 dB. Default 1.0.

    Example:
        >>> import numpy as np
        >>> t = np.arange(1024, dtype="float32") / 8000
        >>> tone = np.sin(2 * np.pi * 1000 * t)[None]
        >>> layer = MelSpectrogram(fft_length=256, sequence_stride=128, sampling_rate=8000,
        ...                        num_mel_bins=16)
        >>> int(layer(tone)[0, :, 4].argmax())  # the band holding 1 kHz
        7
    """

    fft_length: int = 2048
    sequence_stride: int = 512
    sequence_length: Any = None
    window: Any = "hann"
    sampling_rate: Any = 16000
    num_mel_bins: int = 128
    min_freq: float = 20.0
    max_freq: Any = None
    power_to_db: bool = True
    top_db: float = 80.0
    mag_exp: float = 2.0
    min_power: float = 1e-10
    ref_power: float = 1.0

    def __post_init__(self):
        owner = "MelSpectrogram"
        for name in ("fft_length", "sequence_stride", "num_mel_bins"):
            _positive(owner, name, getattr(self, name))
        if self.sequence_length is not None:
            _positive(owner, "sequence_length", self.sequence_length)
        _positive(owner, "sampling_rate", self.sampling_rate, integer=False)
        if self.fft_length < self._length():
            raise errors.JnetValueError(
                f"MelSpectrogram: fft_length must be greater than or equal to "
                f"sequence_length, received sequence_length={self._length()}, "
                f"fft_length={self.fft_length}.")
        super().__post_init__()

    @nn.nowrap
    def _length(self) -> int:
        return int(self.sequence_length or self.fft_length)

    @nn.nowrap
    def _max_freq(self) -> float:
        return self.max_freq or int(self.sampling_rate / 2)

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        """Keras's config (``sequence_length`` and ``max_freq`` resolved)."""
        return {**super().get_config(), "sequence_length": self._length(),
                "max_freq": self._max_freq()}

    @nn.nowrap
    def compute_output_shape(self, input_shape: Any) -> tuple:
        """``(batch, num_mel_bins, frames)`` (``(num_mel_bins, frames)`` for one signal)."""
        samples = input_shape[-1]
        frames = None if samples is None else (
            samples + self.sequence_stride + 1) // self.sequence_stride
        return (*tuple(input_shape)[:-1], self.num_mel_bins, frames)

    def __call__(self, inputs, training: bool = False):
        out_dtype = compute_dtype()
        dtype = out_dtype if out_dtype in ("float32", "float64") else "float32"
        x = jnp.asarray(inputs, dtype)
        if x.ndim not in (1, 2):
            raise errors.JnetValueError(
                f"MelSpectrogram expects signals of shape (batch, samples) or (samples,), "
                f"received shape {tuple(x.shape)}.")
        real, imag = ops_math.stft(x, self._length(), self.sequence_stride, self.fft_length,
                                   window=self.window, center=True)
        spec = jnp.power(jnp.sqrt(jnp.square(real) + jnp.square(imag)), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(
            self.num_mel_bins, spec.shape[-1], self.sampling_rate, self.min_freq,
            self._max_freq()).astype(spec.dtype)
        out = jnp.tensordot(spec, matrix, axes=1)
        if self.power_to_db:
            log_spec = 10.0 * jnp.log10(jnp.maximum(out, self.min_power))
            ref = jnp.abs(jnp.asarray(self.ref_power, out.dtype))
            log_spec = log_spec - 10.0 * jnp.log10(jnp.maximum(ref, self.min_power))
            out = jnp.maximum(log_spec, jnp.max(log_spec) - self.top_db)
        return jnp.swapaxes(out, -1, -2).astype(out_dtype)
