"""Rows for Keras's math ops (jnet/ops/math.py)."""

from ops_table import Case  # noqa: F401

CASES: list = []

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "cdist",
    "erf",
    "erfc",
    "erfinv",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "in_top_k",
    "irfft",
    "istft",
    "logdet",
    "logsumexp",
    "rfft",
    "rsqrt",
    "segment_max",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "stft",
    "top_k",
    "view_as_complex",
    "view_as_real",
}
