"""TextVectorization against keras.layers.TextVectorization (TF backend) on the same corpus."""

import numpy as np
import pytest

from jnet.errors import JnetTypeError, JnetValueError
from jnet.layers.text_vectorization import TextVectorization

CORPUS = [
    "The cat sat on the mat!",
    "The dog; the DOG? ate my homework.",
    "A cat, a dog, a bird.",
    "zebra Zebra apple   banana\tcherry\nkiwi",
    "Ünïcode café CAFÉ naïve — «quoted» don't stop-words",
    "hello\u00a0world\u2003x",  # non-ASCII spaces do not split (TensorFlow splits ASCII only)
    "",
    "!!! ...",
]
QUERIES = ["the cat and the unknownword", "", "DOG dog dog, a zebra!", "café naïve ünïcode x y z"]

CONFIGS = [
    {},
    {"max_tokens": 6},
    {"output_sequence_length": 4},
    {"output_sequence_length": 12},
    {"standardize": "lower"},
    {"standardize": "strip_punctuation"},
    {"standardize": None},
    {"split": "character", "max_tokens": 20},
    {"ngrams": 2},
    {"ngrams": (3, 1), "max_tokens": 15},
    {"output_mode": "multi_hot"},
    {"output_mode": "multi_hot", "max_tokens": 5},
    {"output_mode": "binary", "max_tokens": 40, "pad_to_max_tokens": True},
    {"output_mode": "count", "ngrams": 2},
    {"output_mode": "tf_idf"},
    {"output_mode": "tf_idf", "max_tokens": 50, "pad_to_max_tokens": True},
    {"split": None},
    {"split": None, "output_mode": "multi_hot"},
    {"split": None, "output_mode": "one_hot"},
]


def _check_same(layer, klayer, inputs):
    out = layer(inputs)
    expected = np.asarray(klayer(inputs))
    assert isinstance(out, np.ndarray)
    assert out.shape == expected.shape and out.dtype == expected.dtype, (out, expected)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_adapt_and_call_match_keras(keras, kwargs):
    klayer = keras.layers.TextVectorization(**kwargs)
    klayer.adapt(CORPUS)
    layer = TextVectorization(**kwargs)
    layer.adapt(CORPUS)
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]
    assert layer.get_vocabulary(False) == [str(t) for t in klayer.get_vocabulary(False)]
    assert layer.vocabulary_size() == klayer.vocabulary_size()
    _check_same(layer, klayer, QUERIES)
    _check_same(layer, klayer, np.array(QUERIES)[:, None])  # (N, 1) strings
    _check_same(layer, klayer, QUERIES[0])  # a single string
    if kwargs.get("split", "whitespace") is None:
        _check_same(layer, klayer, [["a", "cat"], ["dog", ""]])  # (N, k): k tokens per row


def test_vocabulary_order_counts_then_descending_token(keras):
    # ties in count are broken by the token, highest first (UTF-8 byte order)
    corpus = ["b a c", "c a b", "d", "B", "é e z"]
    klayer = keras.layers.TextVectorization(standardize=None)
    klayer.adapt(corpus)
    layer = TextVectorization(standardize=None)
    layer.adapt(corpus)
    assert layer.get_vocabulary() == ["", "[UNK]", "c", "b", "a", "é", "z", "e", "d", "B"]
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]


def test_standardize_matches_tensorflow_ascii_rules():
    layer = TextVectorization(split=None, vocabulary=["x"])
    strings = np.array(["ÀB Ǆ", "a—b…c «d» it's, [x]_y"], dtype=object)
    assert layer._standardize(strings).tolist() == ["Àb Ǆ", "a—b…c «d» its xy"]


def test_adapt_from_batches_and_datasets_match_keras(keras):
    import tensorflow as tf

    batches = [CORPUS[:3], CORPUS[3:5], np.array(CORPUS[5:])]
    klayer = keras.layers.TextVectorization(output_mode="tf_idf")
    klayer.adapt(iter(batches))
    layer = TextVectorization(output_mode="tf_idf")
    layer.adapt(iter(batches))
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]
    _check_same(layer, klayer, QUERIES)

    dataset = tf.data.Dataset.from_tensor_slices(CORPUS).batch(3)
    klayer = keras.layers.TextVectorization(max_tokens=8)
    klayer.adapt(dataset, steps=2)
    layer = TextVectorization(max_tokens=8)
    layer.adapt(dataset, steps=2)
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]
    _check_same(layer, klayer, tf.constant(QUERIES))  # TensorFlow string tensors as input
    _check_same(layer, klayer, [q.encode() for q in QUERIES])  # bytes


@pytest.mark.parametrize(
    "kwargs,vocabulary,idf",
    [
        ({}, ["earth", "wind", "and", "fire"], None),
        ({}, ["", "[UNK]", "earth", "wind"], None),
        ({"output_mode": "count"}, ["[UNK]", "earth", "wind"], None),
        ({"output_mode": "tf_idf"}, ["earth", "wind"], [0.5, 1.5]),
        ({"output_mode": "tf_idf"}, ["[UNK]", "earth", "wind"], [0.1, 0.5, 1.5]),
        ({"output_mode": "tf_idf", "max_tokens": 6, "pad_to_max_tokens": True},
         ["earth", "wind"], [0.5, 1.5]),
    ],
    ids=str,
)
def test_given_vocabulary_matches_keras(keras, kwargs, vocabulary, idf):
    extra = {} if idf is None else {"idf_weights": idf}
    klayer = keras.layers.TextVectorization(vocabulary=vocabulary, **kwargs, **extra)
    layer = TextVectorization(vocabulary=vocabulary, **kwargs, **extra)
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]
    _check_same(layer, klayer, ["Earth, wind and fire!", "wind wind sea"])
    later = TextVectorization(**kwargs)
    later.set_vocabulary(vocabulary, **extra)
    assert later.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(later(["wind earth x"]), layer(["wind earth x"]))


def test_vocabulary_file_and_config_round_trip(tmp_path):
    layer = TextVectorization(max_tokens=10, output_sequence_length=3)
    layer.adapt(CORPUS)
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(layer.get_vocabulary()), encoding="utf-8")
    restored = TextVectorization(max_tokens=10, output_sequence_length=3, vocabulary=str(path))
    assert restored.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(restored(QUERIES), layer(QUERIES))
    clone = TextVectorization.from_config(restored.get_config())
    assert clone.get_vocabulary() == layer.get_vocabulary()
    np.testing.assert_array_equal(clone(QUERIES), layer(QUERIES))
    tfidf = TextVectorization(output_mode="tf_idf", max_tokens=30, pad_to_max_tokens=True)
    tfidf.adapt(CORPUS)
    clone = TextVectorization.from_config(tfidf.get_config())
    np.testing.assert_array_equal(clone(QUERIES), tfidf(QUERIES))


def test_set_vocabulary_replaces_adapted_one_and_adapt_replaces_it_back():
    layer = TextVectorization()
    layer.set_vocabulary(["a", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b"]
    layer.adapt(["x x y"])  # allowed, as in Keras: only a constructor vocabulary is static
    assert layer.get_vocabulary() == ["", "[UNK]", "x", "y"]


def test_callable_standardize_and_split_match_keras(keras):
    import tensorflow as tf

    klayer = keras.layers.TextVectorization(
        standardize=lambda x: tf.strings.regex_replace(tf.strings.lower(x), "o", "0"),
        split=lambda x: tf.strings.split(x, sep="-"),
    )
    layer = TextVectorization(
        standardize=lambda x: np.char.replace(np.char.lower(x), "o", "0"),
        split=lambda x: [s.split("-") for s in x],
    )
    corpus = ["foo-bar", "o-o", "Oo-X-o"]
    klayer.adapt(corpus)
    layer.adapt(corpus)
    assert layer.get_vocabulary() == [str(t) for t in klayer.get_vocabulary()]
    _check_same(layer, klayer, ["boo-o-q", "x"])
    # a TensorFlow-style callable works too: jnet turns the tensors it returns into strings
    tf_style = TextVectorization(
        standardize=lambda x: tf.strings.regex_replace(tf.strings.lower(x), "o", "0"),
        split=lambda x: tf.strings.split(x, sep="-"),
    )
    tf_style.adapt(corpus)
    assert tf_style.get_vocabulary() == layer.get_vocabulary()


def test_empty_batches_and_defaults():
    layer = TextVectorization()
    layer.adapt(["a b"])
    assert layer([]).shape == (0, 0)
    assert layer(["", "!!"]).shape == (2, 0)
    assert layer(["b"]).dtype == np.int64
    assert TextVectorization(output_sequence_length=3, vocabulary=["a"])([]).shape == (0, 3)


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"max_tokens": 1}, JnetValueError, "max_tokens"),
        ({"pad_to_max_tokens": True}, JnetValueError, "max_tokens"),
        ({"standardize": "upper"}, JnetValueError, "Valid TextVectorization standardize"),
        ({"standardize": "lowr"}, JnetValueError, "Did you mean 'lower'"),
        ({"split": "comma"}, JnetValueError, "split"),
        ({"output_mode": "ints"}, JnetValueError, "Did you mean 'int'"),
        ({"output_mode": 3}, JnetTypeError, "output_mode"),
        ({"ngrams": [1, 2]}, JnetValueError, "ngrams"),
        ({"ngrams": 0}, JnetValueError, "ngrams"),
        ({"ngrams": 2, "split": None}, JnetValueError, "ngrams"),
        ({"output_sequence_length": 2.0}, JnetValueError, "output_sequence_length"),
        ({"output_mode": "count", "output_sequence_length": 3}, JnetValueError, "only valid"),
        ({"output_mode": "one_hot"}, JnetValueError, "split=None"),
        ({"max_tokens": 3, "vocabulary": ["a", "b"]}, JnetValueError, "max_tokens=3"),
        ({"vocabulary": ["a", "a"]}, JnetValueError, "repeats"),
        ({"vocabulary": ["a", ""]}, JnetValueError, "padding token"),
        ({"vocabulary": []}, JnetValueError, "empty"),
        ({"output_mode": "tf_idf", "vocabulary": ["a"]}, JnetValueError, "idf_weights"),
        ({"idf_weights": [1.0]}, JnetValueError, "idf_weights"),
        ({"ragged": True}, JnetValueError, "ragged"),
        ({"sparse": True, "output_mode": "count"}, JnetValueError, "sparse"),
        ({"bogus": 1}, JnetTypeError, "bogus"),
    ],
    ids=str,
)
def test_constructor_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        TextVectorization(**kwargs)


def test_call_and_adapt_errors():
    with pytest.raises(JnetValueError, match="adapt"):
        TextVectorization()(["a"])
    with pytest.raises(JnetValueError, match="cannot adapt"):
        TextVectorization(vocabulary=["a"]).adapt(["b"])
    layer = TextVectorization(vocabulary=["a"])
    with pytest.raises(JnetValueError, match=r"\(N,\) or \(N, 1\)"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(JnetTypeError, match="strings"):
        layer([1, 2])
    with pytest.raises(JnetValueError, match="rectangular"):
        layer([["a"], ["b", "c"]])
    with pytest.raises(JnetValueError, match=r"shape \(N, 1\)"):
        TextVectorization(split=None, output_sequence_length=2, vocabulary=["a"])(["a", "b"])
    with pytest.raises(JnetTypeError, match="iterable"):
        TextVectorization().adapt(3)
