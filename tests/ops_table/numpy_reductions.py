"""Rows for Keras's numpy reductions, statistics, sorting and searching
(jnet/ops/_numpy_reductions.py and the private modules it re-exports).

Rows with ``reference=`` are those where Keras's TensorFlow backend differs from its JAX
backend (which jnet follows); the row's ``note`` says how.
"""

import numpy as np

from ops_table import Case, bools, floats, ints, positive

# float16 rows: Keras computes some of these in float16 on TensorFlow, jnet in float32 and
# casts back, so they may differ by an ulp of float16.
F16 = {"rtol": 2e-3, "atol": 2e-3}


def _with_nans(x, every=4):
    x = np.array(x, copy=True)
    x.reshape(-1)[::every] = np.nan
    return x


def _partitioned(x, kth, axis=-1):
    """Checks an ``argpartition`` result against its definition (Keras's TF backend casts
    ``x`` to int32 and gives wrong indices for 2-D input): a permutation along ``axis`` whose
    ``kth`` element is the ``kth`` smallest, no larger element before it, none smaller after."""
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis %= x.ndim

    def check(got, want):
        got = np.asarray(got)
        assert got.shape == x.shape and got.dtype == np.int32, (got.shape, got.dtype)
        np.testing.assert_array_equal(
            np.sort(got, axis=axis),
            np.broadcast_to(np.expand_dims(np.arange(x.shape[axis]),
                                           [a for a in range(x.ndim) if a != axis]), x.shape))
        values = np.take_along_axis(x, got, axis=axis)
        pivot = np.take(np.sort(x, axis=axis), [kth], axis=axis)
        np.testing.assert_array_equal(np.take(values, [kth], axis=axis), pivot)
        head = np.take(values, np.arange(kth), axis=axis)
        tail = np.take(values, np.arange(kth + 1, x.shape[axis]), axis=axis)
        assert np.all(head <= pivot) and np.all(tail >= pivot)

    return check


def _same_set(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.sort(got), np.sort(want))


SIGNED_ZEROS = ("-0.0 below 0.0 is Keras's JAX backend's rule on CPU (where the tests run), "
                "its TF backend's everywhere; on GPU jnet, like Keras's JAX backend, uses jnp's")

X34 = floats(3, 4)
X234 = floats(2, 3, 4)
I34 = ints(3, 4)
ARGP = floats(4, 6)
ARGP_FLAT = floats(3, 4)
INT4 = np.array([5, 1, 4, 2], "int32")
SORTED = np.sort(floats(7))
TIES = np.array([[3, 1, 3, 1], [2, 2, 0, 2]], "int32")
ZEROS = np.array([[-0.0, 0.0, -0.0], [0.0, -0.0, 0.0]], "float32")
NAN34 = _with_nans(floats(3, 4))
NAN_ROW = np.array([[np.nan, np.nan, np.nan], [1.0, np.nan, 2.0]], "float32")
_NO_VMAP_DATA = "the output's shape depends on the values: no vmap (nor jit) by nature"

CASES = [
    # sums, products, means, spreads
    Case("sum", (X34,), grad=True),
    Case("sum", (X234,), {"axis": (0, -1), "keepdims": True}, id="axes-keepdims"),
    Case("sum", (ints(3, 4, dtype="int8"),), {"axis": 1}, id="int8"),
    Case("sum", (ints(5, dtype="uint8", low=0),), id="uint8"),
    Case("sum", (bools(3, 4),), {"axis": 0}, id="bool"),
    Case("sum", (floats(0, 3),), {"axis": 0}, id="empty"),
    Case("sum", (floats(4, 5, dtype="float16"),), {"axis": -1}, id="float16", **F16),
    Case("prod", (positive(3, 4),), {"axis": 0}, grad=True),
    Case("prod", (ints(3, 4, dtype="int16"),), {"axis": 1}, id="int16"),
    Case("prod", (ints(3, 4),), {"dtype": "float32"}, id="dtype",
         reference=lambda x, dtype: np.prod(x, dtype=dtype),
         note="Keras's TF backend ignores `dtype` here; its JAX backend (and the spec) use it"),
    Case("prod", (bools(2, 3),), {"axis": -1, "keepdims": True}, id="bool"),
    Case("mean", (X34,), grad=True),
    Case("mean", (X234,), {"axis": [0, 2]}, id="axis-list"),
    Case("mean", (I34,), {"axis": 0}, id="int32"),
    Case("mean", (bools(4, 3),), {"axis": -1, "keepdims": True}, id="bool"),
    Case("mean", (floats(4, 5, dtype="float16"),), {"axis": 1}, id="float16", **F16),
    Case("mean", (floats(4, 5, dtype="bfloat16"),), {"axis": 0}, id="bfloat16",
         rtol=1e-2, atol=1e-2),
    Case("mean", (floats(0, 3),), {"axis": 0}, id="empty"),
    Case("var", (X34,), {"axis": 0}, grad=True, rtol=1e-5),
    Case("var", (I34,), id="int32", rtol=1e-5),
    Case("var", (floats(4, 5, dtype="float16"),), {"axis": -1}, id="float16", **F16),
    Case("std", (X34,), {"axis": 1, "keepdims": True}, grad=True, rtol=1e-5),
    Case("std", (I34,), {"axis": -1}, id="int32", rtol=1e-5),
    Case("std", (bools(3, 4),), id="bool", rtol=1e-5),
    Case("average", (X34,), id="no-weights"),
    Case("average", (X34,), {"axis": 1, "weights": positive(4)}, id="1d-weights", grad=True,
         rtol=1e-5),
    Case("average", (X34,), {"axis": 0, "weights": positive(3, 4)}, id="full-weights",
         rtol=1e-5),
    Case("average", (I34,), {"weights": positive(3, 4)}, id="int-axis-none", rtol=1e-5),
    Case("average", (I34,), {"axis": -1}, id="int-no-weights"),
    # extrema and truth tests
    Case("max", (X34,), {"axis": 1}, grad=True),
    Case("max", (I34,), {"initial": 3}, id="initial"),
    Case("max", (X234,), {"axis": (0, 1), "keepdims": True}, id="axes"),
    Case("max", (floats(0, 3),), {"axis": 0, "initial": -1.0}, id="empty-initial"),
    Case("max", (ints(3, 4, dtype="uint8", low=0),), {"axis": -1}, id="uint8"),
    Case("min", (X34,), {"axis": 0}, grad=True),
    Case("min", (I34,), {"axis": -1, "keepdims": True, "initial": -1}, id="initial"),
    Case("min", (floats(4, dtype="float16"),), id="float16"),
    Case("amax", (X34,), {"axis": -1}),
    Case("amax", (I34,), {"keepdims": True}, id="int-keepdims"),
    Case("amin", (X34,), {"axis": -2}),
    Case("amin", (ints(3, 4, dtype="int8"),), id="int8"),
    Case("ptp", (X34,), {"axis": 0}),
    Case("ptp", (I34,), {"axis": 1, "keepdims": True}, id="int"),
    Case("all", (bools(3, 4),), {"axis": 1}),
    Case("all", (I34,), {"axis": (0, 1), "keepdims": True}, id="int"),
    Case("all", (np.ones((0, 2), bool),), {"axis": 0}, id="empty"),
    Case("any", (bools(3, 4),), {"axis": 0}),
    Case("any", (X34 > 1.5,), id="axis-none"),
    Case("any", (floats(2, 3),), {"axis": -1, "keepdims": True}, id="float"),
    Case("count_nonzero", (I34,)),
    Case("count_nonzero", (ints(2, 3, 4, low=-1, high=2),), {"axis": (0, 2)}, id="axes"),
    Case("count_nonzero", (bools(3, 4),), {"axis": -1}, id="bool"),
    Case("argmax", (X34,), {"axis": -1}),
    Case("argmax", (TIES,), {"axis": 1}, id="ties"),
    Case("argmax", (TIES,), id="flat"),
    Case("argmax", (X234,), {"axis": 1, "keepdims": True}, id="keepdims"),
    Case("argmax", (ZEROS,), {"axis": 1}, id="signed-zeros", note=SIGNED_ZEROS),
    Case("argmax", (floats(3, 5, dtype="float16"),), {"axis": 0}, id="float16"),
    Case("argmax", (np.array([1.0, np.nan, 3.0], "float32"),), id="nan",
         reference=lambda x: np.argmax(x).astype("int32"),
         note="Keras's JAX backend (and NumPy) give the NaN's index; its TF backend skips it"),
    Case("argmin", (X34,), {"axis": 0}),
    Case("argmin", (TIES,), {"axis": -1}, id="ties"),
    Case("argmin", (ZEROS,), {"axis": 1}, id="signed-zeros", note=SIGNED_ZEROS),
    Case("argmin", (I34,), {"keepdims": True}, id="flat-keepdims"),
    # cumulative ops
    Case("cumsum", (X34,), {"axis": 1}, grad=True, rtol=1e-5),
    Case("cumsum", (ints(3, 4, dtype="int8"),), id="int8-flat"),
    Case("cumsum", (bools(3, 4),), {"axis": 0}, id="bool"),
    Case("cumsum", (I34,), {"axis": -1, "dtype": "float32"}, id="dtype"),
    Case("cumsum", (floats(0, 2),), {"axis": 0}, id="empty"),
    Case("cumprod", (positive(3, 4),), {"axis": 0}, grad=True, rtol=1e-5),
    Case("cumprod", (ints(2, 3),), id="int-flat"),
    Case("cumprod", (bools(2, 3),), {"axis": 1}, id="bool"),
    Case("nancumsum", (NAN34,), {"axis": 1}, grad=True, rtol=1e-5),
    Case("nancumsum", (I34,), id="int-flat"),
    Case("nancumsum", (bools(2, 3),), {"axis": 0}, id="bool"),
    Case("nancumprod", (_with_nans(positive(3, 4)),), {"axis": -1}, rtol=1e-5),
    Case("nancumprod", (ints(2, 3),), {"axis": 0, "dtype": "float32"}, id="int-dtype"),
    Case("diff", (X34,), grad=True),
    Case("diff", (X34,), {"n": 2, "axis": 0}, id="n2-axis0"),
    Case("diff", (I34,), {"n": 0}, id="n0"),
    Case("diff", (bools(3, 5),), id="bool"),
    Case("diff", (ints(6, dtype="uint8", low=0),), {"n": 3}, id="uint8"),
    Case("trapezoid", (X34,), grad=True, rtol=1e-5),
    Case("trapezoid", (X34,), {"x": np.sort(floats(3)), "axis": 0}, id="x", rtol=1e-5),
    Case("trapezoid", (I34,), {"dx": 0.5}, id="int-dx"),
    Case("trapezoid", (X234,), {"x": np.cumsum(positive(2, 3, 4), axis=1), "axis": 1},
         id="x-full", rtol=1e-5),
    # order statistics
    Case("median", (X34,), {"axis": 1}, grad=True),
    Case("median", (I34,), id="int"),
    Case("median", (X234,), {"axis": (0, 2), "keepdims": True}, id="axes-keepdims"),
    Case("median", (floats(5, 3, dtype="float16"),), {"axis": 0}, id="float16", **F16),
    Case("quantile", (X34, 0.3), {"axis": 1}, grad=True, rtol=1e-5),
    Case("quantile", (X34, np.array([0.1, 0.5, 0.9], "float32")), {"axis": 0},
         id="q-array", rtol=1e-5),
    Case("quantile", (I34, [0.25, 0.75]), {"method": "lower"}, id="int-lower"),
    Case("quantile", (X34, 0.4), {"method": "higher", "keepdims": True}, id="higher"),
    Case("quantile", (X34, 0.35), {"axis": -1, "method": "nearest"}, id="nearest"),
    Case("quantile", (X34, 0.35), {"axis": -1, "method": "midpoint"}, id="midpoint"),
    Case("percentile", (X34, 30.0), {"axis": 0}, rtol=1e-5),
    Case("percentile", (I34, [25, 50, 90]), {"axis": 1}, id="int", rtol=1e-5),
    Case("percentile", (X234, 50), {"axis": -1, "keepdims": True, "method": "lower"},
         id="lower"),
    Case("nanmedian", (NAN34,), {"axis": 1}),
    Case("nanmedian", (I34,), id="int"),
    Case("nanquantile", (NAN34, 0.3), {"axis": 1}, rtol=1e-5),
    Case("nanquantile", (NAN34, [0.2, 0.8]), {"method": "midpoint"}, id="midpoint"),
    Case("nanpercentile", (NAN34, 40.0), {"axis": 0}, rtol=1e-5),
    Case("nanpercentile", (I34, [10, 90]), {"axis": -1}, id="int", rtol=1e-5,
         reference=lambda x, q, axis: np.nanpercentile(x, q, axis=axis).astype("float32"),
         note="Keras's TF backend fails on int input (TensorArray dtype); NumPy's values"),
    Case("corrcoef", (floats(3, 6),), rtol=1e-5, atol=1e-5),
    Case("corrcoef", (ints(2, 5),), id="int", rtol=1e-5, atol=1e-5),
    # NaN-ignoring reductions
    Case("nansum", (NAN34,), {"axis": 1}, grad=True),
    Case("nansum", (ints(3, 4, dtype="int8"),), id="int8"),
    Case("nansum", (bools(3, 4),), {"axis": 0}, id="bool"),
    Case("nanprod", (_with_nans(positive(3, 4)),), {"axis": 0}, rtol=1e-5),
    Case("nanprod", (ints(2, 3, dtype="uint8", low=0),), id="uint8"),
    Case("nanmean", (NAN34,), {"axis": -1}, grad=True),
    Case("nanmean", (I34,), id="int"),
    Case("nanmean", (_with_nans(floats(4, 4, dtype="float16")),), {"axis": 0},
         id="float16", **F16),
    Case("nanvar", (NAN34,), {"axis": 1, "keepdims": True}, rtol=1e-5),
    Case("nanvar", (I34,), id="int", rtol=1e-5),
    Case("nanstd", (NAN34,), {"axis": 0}, rtol=1e-5),
    Case("nanstd", (I34,), {"axis": (0, 1)}, id="int", rtol=1e-5),
    Case("nanmax", (NAN34,), {"axis": 1}),
    Case("nanmax", (I34,), {"keepdims": True}, id="int"),
    Case("nanmin", (NAN34,), {"axis": 0}),
    Case("nanmin", (ints(3, 4, dtype="int16"),), {"axis": -1}, id="int16"),
    Case("nanargmax", (NAN34,), {"axis": 1}),
    Case("nanargmax", (NAN_ROW,), {"axis": 1}, id="all-nan-row"),
    Case("nanargmax", (TIES,), id="int-flat"),
    Case("nanargmin", (NAN34,), {"axis": 0, "keepdims": True}),
    Case("nanargmin", (NAN_ROW,), {"axis": -1}, id="all-nan-row"),
    # binning
    Case("bincount", (ints(8, low=0, high=5),), jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("bincount", (ints(8, low=0, high=5),), {"weights": positive(8), "minlength": 7},
         id="weights-minlength", jit=False, rtol=1e-5, vmap=False, note=_NO_VMAP_DATA),
    Case("bincount", (ints(3, 6, low=0, high=4),), id="2d", jit=False,
         vmap=False, note=_NO_VMAP_DATA),
    Case("bincount", (ints(6, low=0, high=4),), {"weights": ints(6, dtype="int8")},
         id="int8-weights", jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("histogram", (floats(20),), {"bins": 5}, rtol=1e-5, atol=1e-5),
    Case("histogram", (floats(20),), {"bins": 4, "range": (-1.0, 1.0)}, id="range",
         rtol=1e-5, atol=1e-5),
    Case("histogram", (np.array([0, 1, 2, 3, 4, 4], "int32"),), {"bins": 4}, id="int",
         reference=lambda x, bins: tuple(a.astype("float32")
                                         for a in np.histogram(x, bins=bins)),
         note="Keras's JAX backend gives float32 counts and edges for int input; its TF "
              "backend keeps int32 (edges truncated)"),
    Case("digitize", (floats(3, 4), np.array([-1.0, 0.0, 0.5, 1.0], "float32"))),
    Case("digitize", (I34, np.array([-2.0, 0.0, 3.0], "float32")), id="int-x"),
    # sorting and searching
    Case("sort", (X34,), grad=True),
    Case("sort", (I34,), {"axis": 0}, id="int-axis0"),
    Case("sort", (X234,), {"axis": None}, id="flat"),
    Case("sort", (bools(3, 4),), id="bool"),
    Case("argsort", (X34,)),
    Case("argsort", (TIES,), id="ties-stable"),
    Case("argsort", (X234,), {"axis": 1}, id="axis1"),
    Case("argsort", (X34,), {"axis": None}, id="flat"),
    Case("argsort", (np.float32(2.0),), id="scalar"),
    Case("argsort", (floats(0),), id="empty"),
    Case("sort", (floats(2, 0),), {"axis": 0}, id="empty"),
    Case("argpartition", (ARGP, 2), compare=_partitioned(ARGP, 2)),
    Case("argpartition", (ARGP, 1), {"axis": 0}, id="axis0", compare=_partitioned(ARGP, 1, 0)),
    Case("argpartition", (ARGP, -2), id="negative-kth", compare=_partitioned(ARGP, 4)),
    Case("argpartition", (ARGP_FLAT, 5), {"axis": None}, id="flat",
         compare=_partitioned(ARGP_FLAT, 5, None)),
    Case("argpartition", (INT4, 1), id="int-1d", compare=_partitioned(INT4, 1)),
    Case("searchsorted", (SORTED, floats(5))),
    Case("searchsorted", (SORTED, floats(3, 2)), id="2d-values",
         reference=lambda s, v: np.searchsorted(s, v).astype("int32"),
         note="Keras's TF backend needs values of the sequence's rank; its JAX backend not"),
    Case("searchsorted", (SORTED, SORTED[[0, 3, 6]]), {"side": "right"}, id="right"),
    Case("searchsorted", (np.array([1, 3, 3, 7], "int32"), I34[0]), id="int"),
    Case("isin", (I34, np.array([0, 2, 4], "int32"))),
    Case("isin", (I34, np.array([[1, -1]], "int32")), {"invert": True}, id="invert"),
    Case("isin", (np.array([0.5, 1.0, 2.0], "float32"), np.array([1.0, 3.0], "float32")),
         id="float"),
    Case("nonzero", (ints(3, 4, low=-1, high=2),), jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("nonzero", (bools(5),), id="bool-1d", jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("unique", (ints(10),), jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("unique", (ints(10),), {"return_index": True, "return_inverse": True,
                                 "return_counts": True}, id="all-returns", jit=False,
         vmap=False, note=_NO_VMAP_DATA),
    Case("unique", (np.array([[1, 2], [3, 4], [1, 2]], "int32"),), {"axis": 0}, id="axis0",
         jit=False, vmap=False, note=_NO_VMAP_DATA),
    Case("unique", (np.array([3, 1, 3, 2], "int32"),), {"sorted": False}, id="unsorted",
         jit=False, compare=_same_set,
         vmap=False,
         note="Keras's TF backend gives first-occurrence order, its JAX backend sorted; "
              "no vmap: " + _NO_VMAP_DATA),
    Case("unique", (np.array([3, 1, 3, 2], "int32"),), {"size": 5, "fill_value": 0},
         id="size", reference=lambda x, size, fill_value: np.array([1, 2, 3, 0, 0], "int32"),
         note="size/fill_value: Keras's TF backend pads the same way"),
]

LEFT_OUT: dict[str, str] = {}

PENDING: set[str] = set()
