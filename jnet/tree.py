"""Nested structures, as ``keras.tree``: flatten, map and repack lists, tuples, namedtuples and
dicts, on ``jax.tree_util``.

Keras's conventions, which differ from raw ``jax.tree_util`` in three ways:

* ``None`` is a leaf (jax treats it as an empty node): ``flatten(None) == [None]``.
* Dicts flatten in sorted key order (``OrderedDict`` in insertion order), and a rebuilt dict
  keeps the key order of the structure it was built from (jax would sort it); paths are tuples
  of plain indices and keys, and a namedtuple's path entries are indices, not field names.
* Mapping several structures requires them to match exactly (jax would accept a structure
  that only has the first as a prefix).

Any other pytree jax knows (a registered class) is a node too; an unregistered object is a
leaf.

Example:
    >>> import jnet
    >>> jnet.tree.flatten({"b": [1, None], "a": 0})
    [0, 1, None]
    >>> jnet.tree.map_structure(lambda v: v * 2, [(1, 2), {"x": 3}])
    [(2, 4), {'x': 6}]
    >>> jnet.tree.pack_sequence_as(((0, 0), 0), [1, 2, 3])
    ((1, 2), 3)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from jax import tree_util

from jnet import errors

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]


class MAP_TO_NONE:  # noqa: N801 (Keras's name)
    """Special value for :func:`traverse`: a ``func`` returning it replaces the sub-tree with
    ``None``."""


def _none_leaf(x: Any) -> bool:
    return x is None


def _structure(x: Any) -> Any:
    return tree_util.tree_structure(x, is_leaf=_none_leaf)


def _unflatten(like: Any, treedef: Any, leaves: list[Any]) -> Any:
    return _keep_order(tree_util.tree_unflatten(treedef, leaves), like)


def _keep_order(result: Any, like: Any) -> Any:
    """``result`` with each plain dict's keys in the order of ``like``'s dict at that place."""
    if type(like) is dict and type(result) is dict:
        return {k: _keep_order(result[k], like[k]) for k in like}
    if isinstance(like, list | tuple) and type(result) is type(like) and len(result) == len(like):
        items = [_keep_order(r, x) for r, x in zip(result, like, strict=True)]
        if isinstance(result, list):
            return items
        return type(result)(*items) if hasattr(result, "_fields") else tuple(items)
    if isinstance(like, dict) and isinstance(result, dict):  # OrderedDict, defaultdict: as jax
        for k in result:
            if k in like:
                result[k] = _keep_order(result[k], like[k])
    return result


def _mismatch(detail: str = "") -> errors.JnetValueError:
    return errors.JnetValueError(
        "The two structures don't have the same nested structure." + (f" {detail}" if detail
                                                                      else "")
    )


def is_nested(structure: Any) -> bool:
    """Whether ``structure`` is a sequence, mapping, namedtuple or other pytree node (not a
    leaf).

    Example:
        >>> is_nested(42), is_nested({"foo": 42}), is_nested([])
        (False, True, True)
    """
    treedef = _structure(structure)
    return not (treedef.num_nodes == 1 and treedef.num_leaves == 1)


def flatten(structure: Any) -> list[Any]:
    """The leaves of ``structure`` as a list (dicts by sorted key, ``None`` a leaf).

    Example:
        >>> flatten([[1, 2, 3], [4, [5], [[6]]]]), flatten(None), flatten({100: "b", 6: "a"})
        ([1, 2, 3, 4, 5, 6], [None], ['a', 'b'])
    """
    return tree_util.tree_leaves(structure, is_leaf=_none_leaf)


def _key(entry: Any, node: Any) -> Any:
    if isinstance(entry, tree_util.SequenceKey):
        return entry.idx
    if isinstance(entry, tree_util.DictKey):
        return entry.key
    if isinstance(entry, tree_util.GetAttrKey):
        fields = getattr(node, "_fields", None)
        return fields.index(entry.name) if fields is not None else entry.name
    if isinstance(entry, tree_util.FlattenedIndexKey):
        return entry.key
    return entry


def _child(node: Any, entry: Any) -> Any:
    if isinstance(entry, tree_util.GetAttrKey):
        return getattr(node, entry.name)
    if isinstance(entry, tree_util.SequenceKey | tree_util.DictKey):
        return node[entry.idx if isinstance(entry, tree_util.SequenceKey) else entry.key]
    return None


def _plain_path(structure: Any, path: tuple) -> tuple:
    out, node = [], structure
    for entry in path:
        out.append(_key(entry, node))
        node = _child(node, entry)
    return tuple(out)


def flatten_with_path(structure: Any) -> list[tuple[tuple, Any]]:
    """``(path, leaf)`` pairs: a path is the tuple of indices and keys leading to the leaf.

    Example:
        >>> flatten_with_path([{"foo": 42}])
        [((0, 'foo'), 42)]
    """
    pairs = tree_util.tree_flatten_with_path(structure, is_leaf=_none_leaf)[0]
    return [(_plain_path(structure, path), leaf) for path, leaf in pairs]


def _check_callable(func: Any, fn: str) -> None:
    if not callable(func):
        raise errors.JnetTypeError(f"{fn}: func must be callable, received {func!r}.")


def map_structure(func: Callable, *structures: Any, none_is_leaf: bool = True) -> Any:
    """Applies ``func`` to the leaves of ``structures`` (all the same layout), keeping it.

    Args:
        func: a callable taking one argument per structure.
        *structures: nested structures of the same layout.
        none_is_leaf: if True (default), ``func`` is called on ``None`` leaves; if False,
            ``None`` stays ``None``.

    Returns:
        A structure of the same layout holding ``func``'s results.

    Raises:
        JnetValueError: when the structures do not match.

    Example:
        >>> map_structure(lambda x, y: x * y, [[1], [2]], [[3], [4]])
        [[3], [8]]
    """
    if not structures:
        raise errors.JnetValueError("map_structure: must provide at least one structure.")
    _check_callable(func, "map_structure")
    is_leaf = _none_leaf if none_is_leaf else None
    if len(structures) > 1:
        first = tree_util.tree_structure(structures[0], is_leaf=is_leaf)
        for other in structures[1:]:
            if tree_util.tree_structure(other, is_leaf=is_leaf) != first:
                raise _mismatch()
    return _keep_order(tree_util.tree_map(func, *structures, is_leaf=is_leaf), structures[0])


def map_structure_up_to(shallow_structure: Any, func: Callable, *structures: Any) -> Any:
    """Applies ``func`` to the sub-trees of ``structures`` found at the leaves of
    ``shallow_structure``; deeper parts are passed whole.

    Example:
        >>> map_structure_up_to([None, None], len, [[1, 1], [2, 2]])
        [2, 2]
        >>> map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
        ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise errors.JnetValueError("map_structure_up_to: must provide at least one structure.")
    _check_callable(func, "map_structure_up_to")
    shallow = _structure(shallow_structure)
    columns = []
    for structure in structures:
        try:
            columns.append(shallow.flatten_up_to(structure))
        except (ValueError, TypeError) as e:
            raise _mismatch(str(e).splitlines()[0]) from None
    return _unflatten(shallow_structure, shallow,
                      [func(*args) for args in zip(*columns, strict=True)])


def assert_same_structure(a: Any, b: Any, check_types: Any = None) -> None:
    """Raises unless ``a`` and ``b`` are nested the same way (same node types, lengths and
    keys; dict kinds are interchangeable, as in Keras).

    Args:
        a, b: nested structures.
        check_types: deprecated in Keras, no effect (a warning when given).

    Raises:
        JnetValueError: when they differ.

    Example:
        >>> assert_same_structure([(0, 1)], [(2, 3)])
        >>> assert_same_structure([0, 1], (2, 3))
        Traceback (most recent call last):
            ...
        jnet.errors.JnetValueError: The two structures don't have the same nested structure. ...
    """
    if check_types is not None:
        warnings.warn("The `check_types` argument is deprecated and no longer has any effect.",
                      DeprecationWarning, stacklevel=2)
    if _normalized(_structure(a)) != _normalized(_structure(b)):
        raise _mismatch(f"First structure: {a!r}; second structure: {b!r}.")


def _normalized(treedef: Any) -> Any:
    # Keras treats dict, OrderedDict and defaultdict alike: compare them as sorted dicts.
    node = treedef.node_data()
    children = [_normalized(c) for c in treedef.children()]
    if node is None:
        return "*"
    kind, data = node
    if isinstance(kind, type) and issubclass(kind, dict):
        keys = list(data[1] if kind.__name__ == "defaultdict" else data)
        order = sorted(range(len(keys)), key=lambda i: repr(keys[i]))
        return ("dict", tuple(keys[i] for i in order), tuple(children[i] for i in order))
    return (kind, repr(data), tuple(children))


def assert_same_paths(a: Any, b: Any) -> None:
    """Raises unless ``a`` and ``b`` have the same leaf paths (node types are ignored: a list
    matches a tuple).

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
    """
    a_paths = {path for path, _ in flatten_with_path(a)}
    b_paths = {path for path, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        msg = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            msg += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            msg += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise errors.JnetValueError(msg)


def pack_sequence_as(structure: Any, flat_sequence: Any) -> Any:
    """Packs the leaves ``flat_sequence`` into the layout of ``structure`` (inverse of
    :func:`flatten`).

    Raises:
        JnetValueError: when the number of leaves differs.

    Example:
        >>> pack_sequence_as({"key3": "", "key1": "", "key2": ""}, ["v1", "v2", "v3"])
        {'key3': 'v3', 'key1': 'v1', 'key2': 'v2'}
    """
    treedef = _structure(structure)
    try:
        flat = list(flat_sequence)
    except TypeError:
        raise errors.JnetTypeError(
            f"pack_sequence_as: flat_sequence must be iterable, received {flat_sequence!r}."
        ) from None
    if len(flat) != treedef.num_leaves:
        raise errors.JnetValueError(
            f"pack_sequence_as: the structure has {treedef.num_leaves} leaves but "
            f"flat_sequence has {len(flat)} elements."
        )
    return _unflatten(structure, treedef, flat)


def traverse(func: Callable, structure: Any, top_down: bool = True) -> Any:
    """Visits every sub-structure depth-first, applying ``func``.

    Top-down (default), a parent is visited before its children: ``func(sub) is None`` goes
    on into ``sub``; any other value replaces ``sub`` (``MAP_TO_NONE`` gives ``None``).
    Bottom-up, ``func`` sees the traversed children first and a non-None result replaces the
    sub-structure.

    Example:
        >>> v = []
        >>> traverse(v.append, [(1, 2), [3], {"a": 4}])
        [(1, 2), [3], {'a': 4}]
        >>> v
        [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    """
    _check_callable(func, "traverse")

    def children() -> Any:
        if not is_nested(structure):
            return structure
        leaves, treedef = tree_util.tree_flatten(structure, is_leaf=lambda x: x is not structure)
        children = [traverse(func, c, top_down=top_down) for c in leaves]
        return _unflatten(structure, treedef, children)

    if top_down:
        result = func(structure)
        if result is None:
            return children()
    else:
        done = children()
        result = func(done)
        if result is None:
            return done
    return None if result is MAP_TO_NONE else result


def lists_to_tuples(structure: Any) -> Any:
    """The structure with every list turned into a tuple.

    Example:
        >>> lists_to_tuples([1, [2, {"a": [3]}]])
        (1, (2, {'a': (3,)}))
    """
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure,
                    top_down=False)


def _is_shape(x: Any) -> bool:
    return isinstance(x, list | tuple) and all(
        isinstance(e, int | type(None)) and not isinstance(e, bool) for e in x
    )


def map_shape_structure(func: Callable, structure: Any) -> Any:
    """:func:`map_structure` where a list or tuple of ints and ``None`` (a shape) is a leaf.

    Example:
        >>> map_shape_structure(lambda s: s[1:], {"a": (None, 3), "b": [(2, 4, 5)]})
        {'a': (3,), 'b': [(4, 5)]}
    """
    out = tree_util.tree_map(func, structure, is_leaf=lambda x: x is None or _is_shape(x))
    return _keep_order(out, structure)
