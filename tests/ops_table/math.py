"""Rows for Keras's math ops (jnet/ops/math.py, jnet/ops/_math_fft.py)."""

import numpy as np

from ops_table import Case, floats, ints, positive

_IDS = np.array([0, 0, 1, 2, 2, 2, 3], "int32")
_SORTED = {"sorted": True}
_A = floats(3, 3)
# logdet is for Hermitian positive-definite matrices (Keras's TF backend uses Cholesky)
_SPD = (_A @ _A.T + 3 * np.eye(3)).astype("float32")


_ISTFT_ENDS = (
    "at the ends, where fewer frames overlap, Keras's JAX backend (and jnet) divide by the "
    "windows' actual overlap (scipy's istft), its TF backend by the full overlap: compared "
    "away from the ends (the docstring's stft/istft round trip checks the ends)"
)


def _interior(margin):
    def compare(got, want):
        got, want = np.asarray(got), np.asarray(want)
        assert got.shape == want.shape and got.dtype == np.float32
        np.testing.assert_allclose(got[..., margin:-margin], want[..., margin:-margin],
                                   rtol=1e-4, atol=1e-5)
    return compare


def _cdist(x, y):
    diff = x[:, None, :].astype(np.float32) - y[None, :, :].astype(np.float32)
    return np.sqrt(np.sum(diff * diff, axis=-1))


def _segment_rows(name, grad):
    return [
        Case(name, (floats(7, 3), _IDS, 4), grad=grad),
        Case(name, (ints(7), _IDS), {"num_segments": 4}, id="int"),
        Case(name, (floats(7), _IDS), _SORTED, id="sorted-inferred", jit=False,
             vmap=False,
             note="num_segments None: inferred as max(ids) + 1 (Keras's TF backend does; "
                  "its JAX backend raises); needs concrete ids, so no jit nor vmap"),
        Case(name, (floats(5, 2), np.array([3, 0, 1, 0, 2], "int32"), 4), id="unsorted"),
    ]


CASES = [
    Case("cdist", (floats(4, 3), floats(5, 3)), grad=True, rtol=1e-5),
    Case("cdist", (floats(2, 4, 3), floats(1, 5, 3)), id="batch-broadcast", rtol=1e-5),
    Case("cdist", (ints(3, 2), ints(4, 2)), id="int", rtol=1e-5, reference=_cdist,
         note="Keras's TF backend fails on int inputs (tf.sqrt of int32); its JAX backend "
              "gives float32 distances, as the formula"),
    Case("erf", (floats(10),), grad=True),
    Case("erf", (floats(6, dtype="float16"),), id="float16", rtol=1e-3, atol=1e-3),
    Case("erfc", (floats(10),), grad=True, rtol=1e-5),
    Case("erfinv", (floats(10, low=-0.99, high=0.99),), grad=True, rtol=1e-5, atol=1e-5),
    Case("extract_sequences", (floats(2, 10), 4, 2)),
    Case("extract_sequences", (ints(11), 3, 3), id="int"),
    Case("extract_sequences", (floats(2, 3, 8), 8, 1), id="whole", grad=True),
    Case("fft", ((floats(2, 8), floats(2, 8)),), rtol=1e-5, atol=1e-5),
    Case("fft2", ((floats(2, 4, 6), floats(2, 4, 6)),), rtol=1e-5, atol=1e-5),
    Case("ifft2", ((floats(4, 6), floats(4, 6)),), rtol=1e-5, atol=1e-5),
    Case("in_top_k", (np.array([0, 3, 1, 2], "int32"), floats(4, 5), 2)),
    Case("in_top_k", (np.array([0, 1, 2], "int32"),
                      np.array([[1.0, 1.0, 0.5], [0.2, 0.2, 0.2], [3.0, 2.0, 2.0]], "float32"),
                      1), id="ties"),
    Case("irfft", ((floats(3, 5), floats(3, 5)),), rtol=1e-5, atol=1e-5),
    Case("irfft", ((floats(3, 5), floats(3, 5)), 6), id="fft-length", rtol=1e-5, atol=1e-5),
    Case("istft", ((floats(2, 7, 9), floats(2, 7, 9)), 16, 4, 16), compare=_interior(8),
         note=_ISTFT_ENDS),
    Case("istft", ((floats(9, 5), floats(9, 5)), 6, 2, 8),
         {"window": "hamming", "center": False}, id="hamming-uncentered",
         compare=_interior(8), note=_ISTFT_ENDS),
    Case("istft", ((floats(5, 5), floats(5, 5)), 8, 4, 8),
         {"window": None, "length": 12}, id="no-window-length", rtol=1e-4, atol=1e-5),
    Case("logdet", (_SPD,), grad=True, rtol=1e-5),
    Case("logdet", (np.stack([_SPD, 2 * _SPD]),), id="batch", rtol=1e-5),
    Case("logsumexp", (floats(3, 4),), grad=True),
    Case("logsumexp", (floats(3, 4),), {"axis": -1, "keepdims": True}, id="axis-keepdims"),
    Case("logsumexp", (floats(2, 3, 4),), {"axis": (0, 2)}, id="tuple-axis"),
    Case("rfft", (floats(3, 8),), rtol=1e-5, atol=1e-5, grad=True),
    Case("rfft", (floats(3, 8), 5), id="fft-length-crop", rtol=1e-5, atol=1e-5),
    Case("rfft", (floats(7), 12), id="fft-length-pad", rtol=1e-5, atol=1e-5),
    Case("rsqrt", (positive(10),), grad=True, rtol=1e-5),
    Case("rsqrt", (positive(6, dtype="float16"),), id="float16", rtol=1e-3, atol=1e-3),
    *_segment_rows("segment_max", True),
    *_segment_rows("segment_min", False),
    *_segment_rows("segment_prod", False),
    *_segment_rows("segment_sum", True),
    Case("stft", (floats(2, 64), 16, 4, 16), rtol=1e-5, atol=1e-5, grad=True),
    Case("stft", (floats(33), 10, 3, 16), {"window": "hamming", "center": False},
         id="hamming-uncentered-padded", rtol=1e-5, atol=1e-5),
    Case("stft", (floats(20), 8, 2, 8), {"window": None}, id="no-window", rtol=1e-5,
         atol=1e-5),
    Case("stft", (floats(20), 4, 2, 4), {"window": np.array([0.1, 0.5, 1.0, 0.5], "float32")},
         id="array-window", rtol=1e-5, atol=1e-5),
    Case("top_k", (floats(3, 6), 3), grad=True),
    Case("top_k", (np.array([[1, 3, 3, 2, 3]], "int32"), 2), id="int-ties"),
    Case("top_k", (floats(5), 5), {"sorted": False}, id="unsorted-all",
         note="jax always sorts; Keras's JAX backend too"),
    Case("view_as_complex", (floats(3, 2),)),
    Case("view_as_real", (floats(3) + 1j * floats(3),)),
]

LEFT_OUT: dict[str, str] = {}

PENDING: set = set()
