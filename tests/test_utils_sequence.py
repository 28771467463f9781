"""pad_sequences against keras.utils.pad_sequences (TF backend), and its errors."""

import numpy as np
import pytest

import jnet
from jnet.errors import JnetValueError
from jnet.utils import pad_sequences

SEQS = [[1], [2, 3], [4, 5, 6], [], [7, 8, 9, 10]]

CASES = [
    {},
    {"maxlen": 2},
    {"maxlen": 6},
    {"padding": "post"},
    {"truncating": "post", "maxlen": 3},
    {"padding": "post", "truncating": "post", "maxlen": 2},
    {"value": -1},
    {"value": 0.5, "dtype": "float32"},
    {"dtype": "int64", "maxlen": 1},
]


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_pad_sequences_matches_keras(keras, kwargs):
    expected = keras.utils.pad_sequences(SEQS, **kwargs)
    out = pad_sequences(SEQS, **kwargs)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)


def test_float_sequences_and_numpy_rows_match_keras(keras, rng):
    seqs = [rng.normal(size=n).astype(np.float32) for n in (3, 0, 5, 1)]
    for kwargs in ({"dtype": "float32"}, {"dtype": "float32", "maxlen": 2, "padding": "post"}):
        np.testing.assert_array_equal(
            pad_sequences(seqs, **kwargs), keras.utils.pad_sequences(seqs, **kwargs)
        )
    # the default int32 dtype truncates floats, as Keras does
    floats = [[1.7, -2.2]]
    np.testing.assert_array_equal(pad_sequences(floats), keras.utils.pad_sequences(floats))


def test_vector_samples_give_a_3d_array_like_keras(keras, rng):
    seqs = [rng.normal(size=(n, 2)) for n in (1, 3)] + [[]]
    out = pad_sequences(seqs, dtype="float64", maxlen=2)
    expected = keras.utils.pad_sequences(seqs, dtype="float64", maxlen=2)
    assert out.shape == (3, 2, 2)
    np.testing.assert_array_equal(out, expected)


def test_string_padding_like_keras(keras):
    seqs = [["a"], ["b", "cc"]]
    out = pad_sequences(seqs, dtype=object, value="<pad>")
    np.testing.assert_array_equal(out, keras.utils.pad_sequences(seqs, dtype=object, value="<pad>"))
    out = pad_sequences(seqs, dtype="<U5", value="")
    np.testing.assert_array_equal(out, keras.utils.pad_sequences(seqs, dtype="<U5", value=""))
    with pytest.raises(JnetValueError, match="dtype=object"):
        pad_sequences(seqs, value="<pad>")
    with pytest.raises(ValueError):
        keras.utils.pad_sequences(seqs, value="<pad>")


def test_all_empty_and_no_sequences():
    assert pad_sequences([[], []]).shape == (2, 0)
    np.testing.assert_array_equal(pad_sequences([[], []], maxlen=2), np.zeros((2, 2), np.int32))
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences([[1, 2]], maxlen=0).shape == (1, 0)


def test_docstring_example_and_export():
    assert jnet.utils.pad_sequences is pad_sequences
    np.testing.assert_array_equal(
        pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2), [[0, 1], [2, 3], [5, 6]]
    )


@pytest.mark.parametrize(
    "args,kwargs,match",
    [
        ((iter([[1]]),), {}, "len"),
        (([1, [2]],), {}, "non-iterable"),
        ((SEQS,), {"padding": "mid"}, "padding.*'pre' or 'post'"),
        ((SEQS,), {"truncating": "both"}, "truncating"),
        ((SEQS,), {"maxlen": -1}, "maxlen"),
        (([[[1, 2]], [[1, 2, 3]]],), {}, r"sequence 1 have shape \(3,\)"),
    ],
)
def test_pad_sequences_errors(args, kwargs, match):
    with pytest.raises(JnetValueError, match=match):
        pad_sequences(*args, **kwargs)
