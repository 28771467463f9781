"""The vocabulary assets of StringLookup, IntegerLookup and TextVectorization in Keras's
format: Keras's save_assets folder loads into jnet's layer and jnet's into Keras's, with the
same outputs; a vocabulary given as an argument writes nothing (it is in the config)."""

import os

import numpy as np
import pytest

import jnet
from jnet.errors import JnetValueError

TEXTS = np.array(["the cat sat on the mat", "the dog ate", "a cat and a dog"])
CASES = [
    ("TextVectorization", dict(max_tokens=12, output_sequence_length=5), TEXTS,
     np.array(["the cat ate a fish", "dog"])),
    ("StringLookup", dict(mask_token="", num_oov_indices=2),
     np.array([["b", "a", "b"], ["c", "a", "b"]]), np.array([["a", "z", "c"]])),
    ("IntegerLookup", dict(output_mode="multi_hot"), np.array([[7, 3, 7], [3, 9, 7]]),
     np.array([[9, 4], [7, 7]])),
]


@pytest.mark.parametrize(("cls", "kwargs", "data", "query"), CASES, ids=[c[0] for c in CASES])
def test_assets_cross_between_keras_and_jnet(keras, tmp_path, cls, kwargs, data, query):
    theirs, ours = getattr(keras.layers, cls)(**kwargs), getattr(jnet.layers, cls)(**kwargs)
    theirs.adapt(data)
    ours.adapt(data)
    expected = np.asarray(theirs(query))
    for source, target, folder in ((theirs, getattr(jnet.layers, cls)(**kwargs), "k"),
                                   (ours, getattr(keras.layers, cls)(**kwargs), "j")):
        os.makedirs(tmp_path / folder)
        source.save_assets(str(tmp_path / folder))
        target.load_assets(str(tmp_path / folder))
        assert list(target.get_vocabulary()) == list(theirs.get_vocabulary())
        np.testing.assert_array_equal(np.asarray(target(query)), expected)
    assert (tmp_path / "k" / "vocabulary.txt").read_bytes() == (
        tmp_path / "j" / "vocabulary.txt").read_bytes()


def test_given_vocabulary_writes_no_asset_and_errors(tmp_path):
    jnet.layers.StringLookup(vocabulary=["a"]).save_assets(str(tmp_path))
    assert os.listdir(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        jnet.layers.StringLookup().load_assets(str(tmp_path))
    (tmp_path / "vocabulary.txt").write_text("-1\nseven\n")
    with pytest.raises(JnetValueError, match="one integer a line"):
        jnet.layers.IntegerLookup().load_assets(str(tmp_path))
    with pytest.raises(JnetValueError, match="tf_idf"):
        jnet.layers.StringLookup(output_mode="tf_idf").load_assets(str(tmp_path))
