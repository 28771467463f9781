"""StringLookup and IntegerLookup against Keras (TF backend): adapted vocabularies, OOV
buckets, masks, every output mode, invert, vocabulary files, config, errors."""

import numpy as np
import pytest

import jnet
from jnet.layers.lookup import IntegerLookup, StringLookup

S_DATA = np.array([["a", "b", "c"], ["c", "d", "a"], ["e", "a", "x"]])
S_QUERY = np.array([["a", "zz", "c"], ["", "d", "qq"]])
I_DATA = np.array([[1, 2, 3], [3, 4, 1], [5, 1, 100]])
I_QUERY = np.array([[1, -5, 3], [0, 4, 77]])

STRING_ADAPT = [
    dict(), dict(num_oov_indices=3), dict(mask_token=""), dict(num_oov_indices=2, salt=7),
    dict(max_tokens=4), dict(output_mode="multi_hot"), dict(output_mode="count", mask_token=""),
    dict(output_mode="one_hot"), dict(output_mode="tf_idf"),
    dict(output_mode="multi_hot", pad_to_max_tokens=True, max_tokens=10),
    dict(output_mode="tf_idf", pad_to_max_tokens=True, max_tokens=9),
]
INTEGER_ADAPT = [
    dict(), dict(num_oov_indices=3), dict(mask_token=0),
    dict(num_oov_indices=3, oov_method="farmhash"),
    dict(num_oov_indices=2, oov_method="farmhash", salt=[1, 2]),
    dict(output_mode="count"), dict(output_mode="tf_idf"),
]
VOCAB = ["x", "y", "z"]
STRING_GIVEN = [
    dict(vocabulary=VOCAB), dict(vocabulary=["[UNK]", *VOCAB]),
    dict(vocabulary=VOCAB, mask_token="m", num_oov_indices=2),
    dict(vocabulary=VOCAB, invert=True), dict(vocabulary=VOCAB, invert=True, mask_token="m"),
    dict(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1.0, 2.0, 3.0]),
]


def _same(got, expected):
    expected = np.asarray(expected)
    if expected.dtype.kind in "SO":
        expected = expected.astype(str)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    else:
        np.testing.assert_array_equal(got, expected)


def test_string_lookup_adapt_matches_keras(keras):
    for kwargs in STRING_ADAPT:
        klayer, layer = keras.layers.StringLookup(**kwargs), StringLookup(**kwargs)
        klayer.adapt(S_DATA)
        layer.adapt(S_DATA)
        assert layer.get_vocabulary() == klayer.get_vocabulary(), kwargs
        query = S_QUERY[:, :1] if kwargs.get("output_mode") == "one_hot" else S_QUERY
        _same(layer(query), klayer(query))


def test_string_lookup_given_vocabulary_matches_keras(keras):
    for kwargs in STRING_GIVEN:
        klayer, layer = keras.layers.StringLookup(**kwargs), StringLookup(**kwargs)
        query = (np.array([[0, 1, 2, 3], [4, -1, 3, 9]]) if kwargs.get("invert")
                 else np.array([["x", "m", "q"], ["z", "y", "w"]]))
        _same(layer(query), klayer(query))
        assert layer.vocabulary_size() == klayer.vocabulary_size()
    _same(StringLookup(vocabulary=VOCAB)("y"), keras.layers.StringLookup(vocabulary=VOCAB)("y"))


def test_integer_lookup_matches_keras(keras):
    for kwargs in INTEGER_ADAPT:
        klayer, layer = keras.layers.IntegerLookup(**kwargs), IntegerLookup(**kwargs)
        klayer.adapt(I_DATA)
        layer.adapt(I_DATA)
        assert layer.get_vocabulary() == [int(v) for v in klayer.get_vocabulary()], kwargs
        _same(layer(I_QUERY), klayer(I_QUERY))
    indices = np.array([0, 1, 2, 3, 4])
    _same(IntegerLookup(vocabulary=[7, 8, 9], invert=True)(indices),
          keras.layers.IntegerLookup(vocabulary=[7, 8, 9], invert=True)(indices))


def test_adapt_on_batches_and_one_dimensional_documents(keras):
    words = np.array(["b", "a", "b", "c"])
    klayer, layer = keras.layers.StringLookup(output_mode="tf_idf"), StringLookup(
        output_mode="tf_idf")
    klayer.adapt(words)
    layer.adapt(words)  # 1-D: every string is one document, as Keras
    query = np.array([["a", "b", "b"]])
    _same(layer(query), klayer(query))
    layer = StringLookup(max_tokens=3)
    layer.adapt(iter([np.array(["q", "r", "r"]), np.array(["s", "r", "q"])]))
    assert layer.get_vocabulary() == ["[UNK]", "r", "q"]


def test_vocabulary_file_and_config_round_trip(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("cat\ndog\nbird\n", encoding="utf-8")
    layer = StringLookup(vocabulary=str(path), mask_token="")
    assert layer.get_vocabulary() == ["", "[UNK]", "cat", "dog", "bird"]
    np.testing.assert_array_equal(layer(["dog", "", "fish"]), [3, 0, 1])
    adapted = IntegerLookup(output_mode="tf_idf")
    adapted.adapt(I_DATA)
    config = adapted.get_config()
    assert config["vocabulary"][0] == -1 and config["vocabulary_size"] == 7
    rebuilt = IntegerLookup.from_config(config)
    np.testing.assert_allclose(rebuilt(I_QUERY), adapted(I_QUERY))


def test_config_keys_match_keras(keras):
    for cls, kcls in [(StringLookup, keras.layers.StringLookup),
                      (IntegerLookup, keras.layers.IntegerLookup)]:
        expected = kcls(vocabulary=["1", "2"] if cls is StringLookup else [1, 2]).get_config()
        config = cls(vocabulary=["1", "2"] if cls is StringLookup else [1, 2]).get_config()
        assert set(expected) - set(config) == {"dtype"}
        for key in set(expected) - {"dtype", "name", "vocabulary", "vocabulary_size"}:
            assert config[key] == expected[key], (cls.__name__, key)
        assert cls.from_config(expected).get_vocabulary() == cls.from_config(
            config).get_vocabulary()


@pytest.mark.parametrize("make,error,message", [
    (lambda: StringLookup(max_tokens=1), "JnetValueError", "greater than 1, received 1"),
    (lambda: StringLookup(num_oov_indices=-1), "JnetValueError", "num_oov_indices must be"),
    (lambda: StringLookup(output_mode="bag"), "JnetValueError", "output_mode must be one of"),
    (lambda: StringLookup(invert=True, output_mode="count"), "JnetValueError",
     "invert=True needs output_mode='int'"),
    (lambda: StringLookup(vocabulary=["a", "a"]), "JnetValueError", "repeated tokens \\['a'\\]"),
    (lambda: StringLookup(vocabulary=["a", ""], mask_token=""), "JnetValueError",
     "reserved mask token"),
    (lambda: StringLookup(vocabulary=["a", "b", "c"], max_tokens=3), "JnetValueError",
     "more than max_tokens=3"),
    (lambda: StringLookup(pad_to_max_tokens=True), "JnetValueError", "needs max_tokens"),
    (lambda: StringLookup(vocabulary="/nonexistent/vocab.txt"), "JnetValueError",
     "does not exist"),
    (lambda: StringLookup(output_mode="multi_hot")(["a"]), "JnetValueError",
     "set the vocabulary"),
    (lambda: StringLookup(vocabulary=["a"], num_oov_indices=0)(["b"]), "JnetValueError",
     "num_oov_indices=0"),
    (lambda: StringLookup(vocabulary=["a"]).adapt(["a"]), "JnetValueError", "cannot adapt"),
    (lambda: StringLookup()([1, 2]), "JnetTypeError", "expects strings"),
    (lambda: IntegerLookup(salt=3), "JnetValueError", "oov_method='farmhash'"),
    (lambda: IntegerLookup(vocabulary_dtype="int32"), "JnetValueError", "int64"),
    (lambda: IntegerLookup()(["a"]), "JnetTypeError", "expects integers"),
    (lambda: IntegerLookup(vocabulary=[1], invert=True)(np.array([0.5])), "JnetTypeError",
     "integer indices"),
])
def test_errors(make, error, message):
    with pytest.raises(getattr(jnet.errors, error), match=message):
        make()
