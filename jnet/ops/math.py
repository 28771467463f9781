"""Keras's math ops (``keras.ops`` names from ``keras/src/ops/math.py``): segments, top-k,
FFTs and STFT, special functions."""

__all__: list[str] = []
