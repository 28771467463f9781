"""Keras's Fourier ops: ``fft``, ``fft2``, ``ifft2``, ``rfft``, ``irfft``, ``stft``, ``istft``
and ``extract_sequences`` (re-exported by :mod:`jnet.ops.math`).

As in Keras, complex values travel as a pair ``(real, imag)`` of float arrays of one shape; the
transforms run along the last axis (the last two for ``fft2``/``ifft2``), with numpy's
``"backward"`` normalization. ``stft`` frames the signal, multiplies each frame by the window
(a periodic Hann or Hamming window, as ``scipy.signal.get_window``, padded to ``fft_length``)
and takes the real FFT of each: no scaling; ``istft`` inverts it by windowed overlap-add.

Example:
    >>> from jnet.ops import _math_fft
    >>> real, imag = _math_fft.fft((np.array([1.0, 2.0]), np.array([0.0, 1.0])))
    >>> real.tolist(), imag.tolist()
    ([3.0, -1.0], [1.0, -1.0])
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op

__all__ = ["extract_sequences", "fft", "fft2", "ifft2", "irfft", "istft", "rfft", "stft"]


def _complex(x: Any, op: str, min_rank: int) -> jax.Array:
    if not isinstance(x, tuple | list) or len(x) != 2:
        raise errors.JnetValueError(
            f"{op}: `x` must be a tuple of two arrays (real, imaginary), received "
            f"{errors.describe(x)}."
        )
    real, imag = convert(x[0]), convert(x[1])
    if real.shape != imag.shape:
        raise errors.JnetValueError(
            f"{op}: the real and imaginary parts must have one shape, received "
            f"x[0].shape={tuple(real.shape)}, x[1].shape={tuple(imag.shape)}."
        )
    for part in (real, imag):
        if not jnp.issubdtype(part.dtype, jnp.floating):
            raise errors.JnetValueError(
                f"{op}: the real and imaginary parts must be float arrays, received dtypes "
                f"{real.dtype} and {imag.dtype}."
            )
    if real.ndim < min_rank:
        raise errors.JnetValueError(
            f"{op}: `x` must have rank >= {min_rank}, received shape {tuple(real.shape)}."
        )
    dtype = _dtypes.result_type(_dtypes.dtype_of(real), _dtypes.dtype_of(imag))
    return jax.lax.complex(real.astype(dtype), imag.astype(dtype))


def _pair(z: jax.Array) -> tuple[jax.Array, jax.Array]:
    return jnp.real(z), jnp.imag(z)


@keras_op
def fft(x: Any):
    """The fast Fourier transform along the last axis.

    Args:
        x: a tuple ``(real, imag)`` of float arrays of one shape.

    Returns:
        A tuple ``(real, imag)`` of the transform.

    Example:
        >>> real, imag = fft((np.array([1.0, 0.0]), np.array([0.0, 0.0])))
        >>> real.tolist(), imag.tolist()
        ([1.0, 1.0], [0.0, 0.0])
    """
    return _pair(jnp.fft.fft(_complex(x, "fft", 1)))


@keras_op
def fft2(x: Any):
    """The 2D fast Fourier transform along the last two axes.

    Args:
        x: a tuple ``(real, imag)`` of float arrays of one shape, rank >= 2.

    Returns:
        A tuple ``(real, imag)`` of the transform.

    Example:
        >>> real, imag = fft2((np.ones((2, 2)), np.zeros((2, 2))))
        >>> real.tolist()
        [[4.0, 0.0], [0.0, 0.0]]
    """
    return _pair(jnp.fft.fft2(_complex(x, "fft2", 2)))


@keras_op
def ifft2(x: Any):
    """The inverse 2D fast Fourier transform along the last two axes.

    Args:
        x: a tuple ``(real, imag)`` of float arrays of one shape, rank >= 2.

    Returns:
        A tuple ``(real, imag)`` of the inverse transform.

    Example:
        >>> real, imag = ifft2((np.array([[4.0, 0.0], [0.0, 0.0]]), np.zeros((2, 2))))
        >>> real.tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    return _pair(jnp.fft.ifft2(_complex(x, "ifft2", 2)))


@keras_op
def rfft(x: Any, fft_length: int | None = None):
    """The real-valued fast Fourier transform along the last axis.

    Args:
        x: a float array.
        fft_length: the FFT length: the last axis is cropped or zero-padded to it. Defaults
            to the last axis's length.

    Returns:
        A tuple ``(real, imag)``, last axis ``fft_length // 2 + 1``.

    Example:
        >>> real, imag = rfft(np.array([0.0, 1.0, 2.0, 3.0]))
        >>> real.tolist(), imag.tolist()
        ([6.0, -2.0, -2.0], [0.0, 2.0, 0.0])
    """
    x = convert(x)
    if x.ndim < 1:
        raise errors.JnetValueError("rfft: `x` must have rank >= 1, received a scalar.")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(_dtypes.result_type(_dtypes.dtype_of(x), float))
    return _pair(jnp.fft.rfft(x, n=fft_length, axis=-1))


@keras_op
def irfft(x: Any, fft_length: int | None = None):
    """The inverse of :func:`rfft` along the last axis.

    Args:
        x: a tuple ``(real, imag)`` of float arrays of one shape.
        fft_length: the length of the output's last axis. Defaults to
            ``2 * (x[0].shape[-1] - 1)``.

    Returns:
        The real signal.

    Example:
        >>> irfft((np.array([6.0, -2.0, -2.0]), np.array([0.0, 2.0, 0.0]))).tolist()
        [0.0, 1.0, 2.0, 3.0]
    """
    return jnp.fft.irfft(_complex(x, "irfft", 1), n=fft_length, axis=-1)


def _frame_indices(length: int, frame: int, stride: int) -> np.ndarray:
    # (frames, frame) indices of the windows of `frame` samples every `stride` samples
    count = max(1 + (length - frame) // stride, 0)
    return (np.arange(count)[:, None] * stride + np.arange(frame)[None, :]).astype(np.int32)


@keras_op
def extract_sequences(x: Any, sequence_length: int, sequence_stride: int):
    """Slides a window along the last axis: ``(..., L)`` -> ``(..., n, sequence_length)``.

    Args:
        x: an array of rank >= 1.
        sequence_length: the window's length.
        sequence_stride: the step between windows.

    Returns:
        The windows, ``n = 1 + (L - sequence_length) // sequence_stride``; ``x``'s dtype.

    Example:
        >>> extract_sequences(np.array([1, 2, 3, 4, 5, 6]), 3, 2).tolist()
        [[1, 2, 3], [3, 4, 5]]
    """
    x = convert(x)
    if x.ndim < 1:
        raise errors.JnetValueError(
            "extract_sequences: `x` must have rank >= 1, received a scalar."
        )
    for name, value in (("sequence_length", sequence_length),
                        ("sequence_stride", sequence_stride)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise errors.must_be_positive_int(name, value, "extract_sequences")
    return x[..., _frame_indices(x.shape[-1], sequence_length, sequence_stride)]


def _window(window: Any, sequence_length: int, fft_length: int, dtype: Any, op: str):
    if window is None:
        return jnp.ones((fft_length,), dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise errors.JnetValueError(
                f"{op}: a string `window` must be 'hann' or 'hamming', received "
                f"window={window!r}."
            )
        alpha = 0.5 if window == "hann" else 0.54
        # scipy.signal.get_window's periodic ("fftbins") windows, computed in float64 numpy
        n = np.arange(sequence_length)
        win = jnp.asarray(alpha - (1 - alpha) * np.cos(2 * np.pi * n / sequence_length), dtype)
    else:
        win = convert(window).astype(dtype)
    if win.ndim != 1 or win.shape[0] != sequence_length:
        raise errors.JnetValueError(
            f"{op}: `window` must have shape ({sequence_length},) (sequence_length), "
            f"received shape {tuple(win.shape)}."
        )
    left = (fft_length - sequence_length) // 2
    return jnp.pad(win, (left, fft_length - sequence_length - left))


def _last_axis(win: jax.Array, ndim: int) -> jax.Array:
    # the window shaped to multiply the last axis of a rank-`ndim` array
    return win.reshape((1,) * (ndim - 1) + win.shape)


def _check_lengths(op: str, sequence_length: int, sequence_stride: int, fft_length: int):
    if isinstance(sequence_stride, bool) or not isinstance(sequence_stride, int) or (
            sequence_stride <= 0):
        raise errors.must_be_positive_int("sequence_stride", sequence_stride, op)
    if fft_length < sequence_length:
        raise errors.JnetValueError(
            f"{op}: `fft_length` must be >= `sequence_length`, received "
            f"sequence_length={sequence_length}, fft_length={fft_length}."
        )


@keras_op
def stft(x: Any, sequence_length: int, sequence_stride: int, fft_length: int,
         window: Any = "hann", center: bool = True):
    """The short-time Fourier transform along the last axis.

    Args:
        x: a float32 signal ``(..., L)``.
        sequence_length: each frame's length.
        sequence_stride: the hop between frames (a positive int).
        fft_length: the FFT size (>= ``sequence_length``; the window is zero-padded to it,
            centred).
        window: ``'hann'`` (default), ``'hamming'``, an array of ``sequence_length`` values,
            or None (no windowing).
        center: pad ``x`` by ``fft_length // 2`` on both sides (reflecting) so frame ``t`` is
            centred at ``t * sequence_stride``. Defaults to True.

    Returns:
        A tuple ``(real, imag)``, shape ``(..., frames, fft_length // 2 + 1)``.

    Example:
        >>> real, imag = stft(np.array([0.0, 1.0, 2.0, 3.0, 4.0], "float32"), 3, 2, 3)
        >>> real.round(4).tolist()
        [[0.75, -0.375], [3.75, -1.875], [5.25, -2.625]]
    """
    _check_lengths("stft", sequence_length, sequence_stride, fft_length)
    x = convert(x)
    if _dtypes.standardize_dtype(x.dtype) not in ("float32", "float64"):
        raise errors.JnetTypeError(
            f"stft: `x` must be float32 (or float64), received dtype {x.dtype}."
        )
    if x.ndim < 1:
        raise errors.JnetValueError(
            f"stft: `x` must have at least 1 dimension (..., samples), received shape "
            f"{tuple(x.shape)}."
        )
    if center:
        pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        x = jnp.pad(x, pad, mode="reflect")
    win = _window(window, sequence_length, fft_length, x.dtype, "stft")
    frames = x[..., _frame_indices(x.shape[-1], fft_length, sequence_stride)]
    frames = frames * _last_axis(win, frames.ndim)
    return _pair(jnp.fft.rfft(frames, n=fft_length, axis=-1))


@keras_op
def istft(x: Any, sequence_length: int, sequence_stride: int, fft_length: int,
          length: int | None = None, window: Any = "hann", center: bool = True):
    """The inverse short-time Fourier transform (windowed overlap-add).

    Args:
        x: a tuple ``(real, imag)`` of shape ``(..., frames, fft_length // 2 + 1)``.
        sequence_length: each frame's length.
        sequence_stride: the hop between frames (a positive int).
        fft_length: the FFT size used by :func:`stft`.
        length: crop the output to this many samples (after the centre padding is removed).
            Defaults to None (no cropping).
        window: the window used by :func:`stft`: ``'hann'`` (default), ``'hamming'``, an
            array of ``sequence_length`` values, or None.
        center: whether :func:`stft` padded the signal; the padding is removed. Defaults to
            True.

    Returns:
        The signal, shape ``(..., samples)``.

    Example:
        >>> signal = np.arange(8, dtype="float32")
        >>> back = istft(stft(signal, 4, 1, 4), 4, 1, 4)
        >>> np.allclose(back, signal, atol=1e-4)
        True
    """
    _check_lengths("istft", sequence_length, sequence_stride, fft_length)
    z = _complex(x, "istft", 2)
    dtype = jnp.real(z).dtype
    win = _window(window, sequence_length, fft_length, dtype, "istft")
    frames = jnp.fft.irfft(z, n=fft_length, axis=-1)[..., :fft_length]
    frames = frames * _last_axis(win, frames.ndim)
    count = frames.shape[-2]
    total = fft_length + sequence_stride * (count - 1)
    index = _frame_indices(total, fft_length, sequence_stride)
    batch = frames.shape[:-2]
    signal = jnp.zeros((*batch, total), dtype).at[..., index].add(frames)
    norm = jnp.zeros((total,), dtype).at[index].add(jnp.broadcast_to(win * win, index.shape))
    norm = _last_axis(jnp.where(norm > 1e-10, norm, 1.0), signal.ndim)
    signal = signal * jnp.sum(win) / norm
    signal = signal / (jnp.sum(win) if window is not None else sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = total - fft_length // 2
    else:
        end = total
    return signal[..., start:end]

