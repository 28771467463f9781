"""Hashing and HashedCrossing against Keras (TF backend), and the hashes under them
(FarmHash Fingerprint64, SipHash-2-4, FingerprintCat64) against TensorFlow's own ops."""

import random

import numpy as np
import pytest

import jnet
from jnet.layers import _fingerprint
from jnet.layers.hashing import HashedCrossing, Hashing

STRINGS = np.array([["A"], ["B"], ["C"], ["D"], ["E"], [""]])
INTS = np.array([[1, 2], [-3, 40000000000], [0, 7]])
FLOATS = np.array([[1.7, -2.2], [3.0, 9.9]], np.float32)
HASHING = [
    dict(num_bins=3), dict(num_bins=5, salt=133), dict(num_bins=5, salt=(1, 2)),
    dict(num_bins=4, output_mode="one_hot"), dict(num_bins=4, output_mode="multi_hot"),
    dict(num_bins=4, output_mode="count"), dict(num_bins=4, dtype="int32"),
]


def test_fingerprints_match_tensorflow(keras):
    import tensorflow as tf

    rnd = random.Random(0)
    lengths = [*range(0, 70), 100, 128, 129, 200, 1000]  # every FarmHash length branch
    strings = [bytes(rnd.randrange(256) for _ in range(n)) for n in lengths]
    buckets = 2**62
    fast = tf.strings.to_hash_bucket_fast(strings, buckets).numpy()
    assert [_fingerprint.fingerprint64(s) % buckets for s in strings] == fast.tolist()
    strong = tf.strings.to_hash_bucket_strong(strings, buckets, key=[123, 456]).numpy()
    assert [_fingerprint.siphash((123, 456), s) % buckets for s in strings] == strong.tolist()


def _same(got, expected):
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_hashing_matches_keras(keras):
    for kwargs in HASHING:
        for x in (STRINGS, INTS, FLOATS):
            _same(Hashing(**kwargs)(x), keras.layers.Hashing(**kwargs)(x))
    masked = dict(num_bins=3, mask_value="")
    _same(Hashing(**masked)(STRINGS), keras.layers.Hashing(**masked)(STRINGS))


def test_hashed_crossing_matches_keras(keras):
    a, b = np.array(["A", "B", "C"]), np.array([101, 102, 103])
    for kwargs in (dict(num_bins=5), dict(num_bins=7, output_mode="one_hot")):
        for inputs in ((a, b), (a[:, None], b[:, None], a[:, None]),
                       (np.array("A"), np.array(3))):
            _same(HashedCrossing(**kwargs)(inputs), keras.layers.HashedCrossing(**kwargs)(inputs))


def test_config_round_trips_and_matches_keras(keras):
    for cls, kwargs in [(Hashing, dict(num_bins=5, salt=3, mask_value="")),
                        (HashedCrossing, dict(num_bins=4))]:
        expected = getattr(keras.layers, cls.__name__)(**kwargs).get_config()
        config = cls(**kwargs).get_config()
        for key in set(expected) - {"dtype", "name"}:
            assert config[key] == expected[key], (cls.__name__, key)
        rebuilt = cls.from_config(expected).get_config()
        assert {**rebuilt, "name": None} == {**config, "name": None}


@pytest.mark.parametrize("make,error,message", [
    (lambda: Hashing(0), "JnetValueError", "num_bins must be a positive integer, received 0"),
    (lambda: Hashing(3, output_mode="tf_idf"), "JnetValueError", "output_mode must be one of"),
    (lambda: Hashing(3, dtype="float32"), "JnetValueError", "needs an integer dtype"),
    (lambda: Hashing(3, salt="x"), "JnetValueError", "salt must be an integer"),
    (lambda: Hashing(3)([[None]]), "JnetTypeError", "expects strings or numbers"),
    (lambda: HashedCrossing(3, output_mode="count"), "JnetValueError", "'int' or 'one_hot'"),
    (lambda: HashedCrossing(3)(np.array([1])), "JnetValueError", "at least two inputs"),
    (lambda: HashedCrossing(3)((np.ones((2, 2), int), np.ones((2, 2), int))), "JnetValueError",
     "shape \\(\\), \\(batch,\\) or \\(batch, 1\\)"),
    (lambda: HashedCrossing(3)((np.ones(2, int), np.ones(3, int))), "JnetValueError",
     "same shape"),
])
def test_errors(make, error, message):
    with pytest.raises(getattr(jnet.errors, error), match=message):
        make()
