"""jnet.tree against keras.tree (its optree implementation), structure by structure."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from jnet import tree
from jnet.errors import JnetValueError

Foo = collections.namedtuple("Foo", ["a", "b"])
AlsoFoo = collections.namedtuple("Foo", ["a", "b"])

STRUCTURES = [
    1,
    None,
    [],
    (),
    {},
    [None],
    [[1, 2, 3], [4, [5], [[6]]]],
    {100: "world!", 6: "Hello"},
    {"b": [1, None], "a": (2, {"z": 3, "y": None})},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    Foo(a=1, b=[2, 3]),
    [(1, 2), [3], {"a": 4}],
    [np.zeros(2), "s", 3.0],
]


def _same(x, y):
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        return np.array_equal(x, y)
    if isinstance(x, list | tuple) and isinstance(y, list | tuple):
        return type(x) is type(y) and len(x) == len(y) and all(map(_same, x, y))
    return x == y


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_matches_keras(keras, structure):
    kt = keras.tree
    assert tree.is_nested(structure) == kt.is_nested(structure)
    assert _same(tree.flatten(structure), kt.flatten(structure))
    ours, theirs = tree.flatten_with_path(structure), kt.flatten_with_path(structure)
    assert [p for p, _ in ours] == [p for p, _ in theirs]
    assert repr(tree.map_structure(repr, structure)) == repr(kt.map_structure(repr, structure))
    flat = list(range(len(kt.flatten(structure))))
    ours, theirs = tree.pack_sequence_as(structure, flat), kt.pack_sequence_as(structure, flat)
    assert repr(ours) == repr(theirs)  # key order too
    assert tree.lists_to_tuples(structure) == kt.lists_to_tuples(structure) or isinstance(
        structure, list) and any(isinstance(v, np.ndarray) for v in structure)
    seen_ours, seen_theirs = [], []
    tree.traverse(lambda x: seen_ours.append(repr(x)), structure, top_down=False)
    kt.traverse(lambda x: seen_theirs.append(repr(x)), structure, top_down=False)
    assert seen_ours == seen_theirs


def test_traverse_top_down_and_map_to_none():
    v = []
    assert tree.traverse(v.append, [(1, 2), [3], {"a": 4}]) == [(1, 2), [3], {"a": 4}]
    assert v == [[(1, 2), [3], {"a": 4}], (1, 2), 1, 2, [3], 3, {"a": 4}, 4]
    out = tree.traverse(lambda x: tree.MAP_TO_NONE if x == (1, 2) else None, [(1, 2), 3])
    assert out == [None, 3]


def test_map_structure_several_and_none_is_leaf():
    assert tree.map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]]) == [[3], [8]]
    assert tree.map_structure(lambda x: 1, [None, 2], none_is_leaf=False) == [None, 1]
    assert tree.map_structure(lambda x: 1, [None, 2]) == [1, 1]
    with pytest.raises(JnetValueError, match="same nested structure"):
        tree.map_structure(lambda x, y: x, [1, [2]], [1, 2])
    with pytest.raises(JnetValueError, match="same nested structure"):
        tree.map_structure(lambda x, y: x, [1, 2], [1, [2]])
    with pytest.raises(JnetValueError, match="at least one"):
        tree.map_structure(len)


def test_map_structure_up_to_and_shapes():
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == [
        "[1, 1]", ["2", "2"]]
    with pytest.raises(JnetValueError):
        tree.map_structure_up_to([None, [None]], str, [1, 2])
    out = tree.map_shape_structure(lambda s: s[1:], {"a": (None, 3), "b": [(2, 4, 5)]})
    assert out == {"a": (3,), "b": [(4, 5)]}


def test_assert_same_structure_and_paths(keras):
    tree.assert_same_structure([(0, 1)], [(2, 3)])
    tree.assert_same_structure({"a": 1, "b": 2}, collections.OrderedDict(b=3, a=4))
    tree.assert_same_structure(Foo(0, 1), Foo(2, 3))
    for a, b in [(Foo(0, 1), AlsoFoo(2, 3)), ([0, 1], (0, 1)), ([0], [0, 1]), ([0], [[0]]),
                 ({"a": 1}, {"b": 1})]:
        with pytest.raises(ValueError):
            keras.tree.assert_same_structure(a, b)
        with pytest.raises(JnetValueError):
            tree.assert_same_structure(a, b)
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Foo(0, 1), AlsoFoo(2, 3))
    with pytest.raises(JnetValueError, match="missing"):
        tree.assert_same_paths([0, 1], [0])


def test_pack_sequence_as_errors():
    with pytest.raises(JnetValueError, match="leaves"):
        tree.pack_sequence_as([0, 0], [1])
    with pytest.raises(TypeError):
        tree.pack_sequence_as([0], 5)
