"""The STFT initializer: DFT kernels for Conv1D, as Keras's ``STFTSpectrogram`` layer uses them.

It holds the signal windows it needs (Hann, Hamming, Blackman, Bartlett, triangular, cosine,
boxcar and scipy's aliases of them), computed with scipy's formulas so scipy is not needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.initializers._base import Initializer, _check_call, _dtype, _shape


def _general_cosine(m: int, coefficients: Sequence[float]) -> np.ndarray:
    fac = np.linspace(-np.pi, np.pi, m)
    w = np.zeros(m)
    for k, a in enumerate(coefficients):
        w += a * np.cos(k * fac)
    return w


def _bartlett(m: int) -> np.ndarray:
    n = np.arange(0, m, dtype=np.float64)
    return np.where(n <= (m - 1) / 2.0, 2.0 * n / (m - 1), 2.0 - 2.0 * n / (m - 1))


def _triang(m: int) -> np.ndarray:
    n = np.arange(1, (m + 1) // 2 + 1, dtype=np.float64)
    if m % 2 == 0:
        w = (2 * n - 1.0) / m
        return np.concatenate([w, w[::-1]])
    w = 2 * n / (m + 1.0)
    return np.concatenate([w, w[-2::-1]])


# Window name -> symmetric window of length m >= 2 (formulas of scipy.signal.windows).
_WINDOWS: dict[str, Callable[[int], np.ndarray]] = {
    "hann": lambda m: _general_cosine(m, [0.5, 0.5]),
    "hamming": lambda m: _general_cosine(m, [0.54, 0.46]),
    "blackman": lambda m: _general_cosine(m, [0.42, 0.50, 0.08]),
    "bartlett": _bartlett,
    "triang": _triang,
    "cosine": lambda m: np.sin(np.pi / m * (np.arange(m) + 0.5)),
    "boxcar": np.ones,
}
_WINDOW_ALIASES = {
    "han": "hann", "hamm": "hamming", "ham": "hamming", "black": "blackman", "blk": "blackman",
    "bart": "bartlett", "brt": "bartlett", "triangle": "triang", "tri": "triang",
    "halfcosine": "cosine", "box": "boxcar", "ones": "boxcar", "rect": "boxcar",
    "rectangular": "boxcar",
}


def _window(name: str, length: int, periodic: bool) -> np.ndarray:
    """``scipy.signal.get_window(name, length, fftbins=periodic)`` for the windows above."""
    fn = _WINDOWS[_WINDOW_ALIASES.get(name, name)]
    if length <= 1:
        return np.ones(length)
    if periodic:
        return fn(length + 1)[:-1]
    return fn(length)


class STFT(Initializer):
    """Initializer of Conv1D kernels computing a short-time Fourier transform.

    Returns the real (cosine) or imaginary (sine) part of the DFT basis for a kernel of shape
    ``(frame_length, input_channels, fft_length // 2 + 1)``, optionally windowed and
    normalised, as Keras's ``STFTSpectrogram`` layer uses it.

    Args:
        side: ``'real'`` or ``'imag'``. Defaults to ``'real'``.
        window: a window name (``'hann'``, ``'hamming'``, ``'blackman'``, ``'bartlett'``,
            ``'triang'``, ``'cosine'``, ``'boxcar'`` and scipy's aliases of them), an array of
            ``frame_length`` values, or None. Defaults to ``'hann'``.
        scaling: ``'density'`` (divide by the window's L2 norm), ``'spectrum'`` (by its L1
            norm) or None. Defaults to ``'density'``.
        periodic: whether the named window is periodic (scipy's ``fftbins``).
            Defaults to False.

    Example:
        >>> STFT()(None, (16, 1, 9)).shape
        (16, 1, 9)
    """

    def __init__(self, side: str = "real", window: Any = "hann", scaling: str | None = "density",
                 periodic: bool = False):
        if side not in ("real", "imag"):
            raise errors.JnetValueError(
                f"STFT needs `side` to be 'real' or 'imag'; received side={side!r}."
            )
        if isinstance(window, str) and window not in _WINDOWS and window not in _WINDOW_ALIASES:
            raise errors.JnetValueError(
                f"STFT received an unknown `window`: {window!r}. jnet computes the windows "
                f"{sorted(_WINDOWS)} (and scipy's aliases of them); pass any other window as an "
                "array of frame_length values."
            )
        if scaling not in (None, "density", "spectrum"):
            raise errors.JnetValueError(
                "STFT needs `scaling` to be None, 'density' or 'spectrum'; received "
                f"scaling={scaling!r}."
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, key: Any = None, shape: Sequence[int] | None = None,
                 dtype: Any = jnp.float32) -> jax.Array:
        _check_call("STFT", key, shape)
        shape = _shape(shape, "STFT")
        if len(shape) != 3:
            raise errors.JnetValueError(
                "STFT needs a shape (frame_length, input_channels, fft_length // 2 + 1); "
                f"received shape={shape}."
            )
        dt = _dtype(dtype, "STFT", floating=True)
        frame_length, _, fft_length = shape
        win = None
        scaling: Any = 1
        if self.window is not None:
            values = self.window
            if isinstance(values, str):
                values = _window(values, frame_length, bool(self.periodic))
            win = jnp.asarray(values, dt)
            if win.shape != (frame_length,):
                raise errors.JnetValueError(
                    f"STFT needs `window` of shape ({frame_length},) = (frame_length,); "
                    f"received shape {tuple(win.shape)}."
                )
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scaling = jnp.sqrt(jnp.sum(jnp.square(win)))
            elif self.scaling == "spectrum":
                scaling = jnp.sum(jnp.abs(win))
        dft_length = (fft_length - 1) * 2
        freq = jnp.arange(fft_length, dtype=dt).reshape(1, 1, fft_length) / jnp.asarray(
            dft_length, dt
        )
        time = jnp.arange(frame_length, dtype=dt).reshape(frame_length, 1, 1)
        args = (jnp.asarray(-2, dt) * time) * freq * jnp.arccos(jnp.asarray(-1, dt))
        kernel = jnp.cos(args) if self.side == "real" else jnp.sin(args)
        if win is not None:
            kernel = kernel * win / jnp.asarray(scaling, dt)
        return jnp.broadcast_to(kernel, shape)

    def get_config(self) -> dict:
        return {
            "side": self.side,
            "window": self.window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


# Keras's lower-case and compatibility names for the class.
stft = STFTInitializer = STFT
