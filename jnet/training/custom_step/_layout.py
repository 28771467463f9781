"""Keras's variable lists over jnet's variable trees: a pure flatten/unflatten.

Keras's JAX trainer hands a step ``trainable_variables`` and ``non_trainable_variables`` as
flat lists in the model's weight order (``model.trainable_weights``, then the others: frozen
layers' weights and moving statistics). jnet keeps ``{'params': ..., 'batch_stats': ...}``
trees. A :class:`Layout` is computed once per compiled model, on the host; :meth:`Layout.split`
and :meth:`Layout.join` are index shuffles over the tree's leaves, free under ``jax.jit``.

The arrays keep jnet's layouts (a kernel is the array ``model.variables`` holds); only their
order is Keras's.

Example:
    >>> import numpy as np
    >>> variables = {"params": {"d": {"kernel": np.ones((2, 1)), "bias": np.zeros(1)}}}
    >>> layout = Layout.build(variables, [(("params", "d", "kernel"), True),
    ...                                   (("params", "d", "bias"), True)])
    >>> [a.shape for a in layout.split(variables)[0]]
    [(2, 1), (1,)]
    >>> sorted(layout.join(*layout.split(variables))["params"]["d"])
    ['bias', 'kernel']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax

from jnet import errors
from jnet.variables import Variable

__all__ = ["Layout", "key_path", "values"]


def values(variables: Sequence[Any]) -> list[Any]:
    """A list of arrays or :class:`jnet.Variable`\\ s (Keras's guides pass
    ``model.trainable_variables`` itself) as a list of arrays."""
    return [v.value if isinstance(v, Variable) else v for v in variables]


def key_path(path: Sequence[Any]) -> tuple[Any, ...]:
    """A ``jax.tree_util`` key path as a tuple of plain keys (dict keys, indices, names)."""
    out = []
    for entry in path:
        for attr in ("key", "idx", "name"):
            if hasattr(entry, attr):
                out.append(getattr(entry, attr))
                break
    return tuple(out)


class Layout:
    """Where each Keras-ordered variable sits among the leaves of a variables tree.

    Args:
        treedef: the structure of the variables tree.
        trainable: leaf indices of the trainable variables, in Keras's order.
        non_trainable: leaf indices of the other variables, in Keras's order.
    """

    def __init__(self, treedef: Any, trainable: Sequence[int], non_trainable: Sequence[int]):
        self.treedef = treedef
        self.trainable = tuple(trainable)
        self.non_trainable = tuple(non_trainable)

    @classmethod
    def build(cls, variables: Any, ordered: Sequence[tuple[tuple[Any, ...], bool]]) -> Layout:
        """The layout of ``variables`` given the model's Keras-ordered ``(path, trainable)``
        pairs; a leaf the model does not list comes last (trainable when under ``'params'``)."""
        leaves, treedef = jax.tree_util.tree_flatten_with_path(variables)
        index = {key_path(path): i for i, (path, _) in enumerate(leaves)}
        trainable: list[int] = []
        non_trainable: list[int] = []
        seen: set[int] = set()
        for path, train in ordered:
            i = index.get(tuple(path))
            if i is None or i in seen:
                continue
            seen.add(i)
            (trainable if train else non_trainable).append(i)
        for path, i in index.items():
            if i not in seen:
                (trainable if path[:1] == ("params",) else non_trainable).append(i)
        return cls(treedef, trainable, non_trainable)

    def split(self, variables: Any) -> tuple[list[Any], list[Any]]:
        """``(trainable_variables, non_trainable_variables)`` of a variables tree."""
        leaves = self.treedef.flatten_up_to(variables)
        return [leaves[i] for i in self.trainable], [leaves[i] for i in self.non_trainable]

    def join(self, trainable: Sequence[Any], non_trainable: Sequence[Any]) -> Any:
        """The variables tree holding these Keras-ordered lists (the inverse of :meth:`split`)."""
        trainable, non_trainable = list(trainable), list(non_trainable)
        if len(trainable) != len(self.trainable) or len(non_trainable) != len(
            self.non_trainable
        ):
            raise _count_error(len(trainable), len(non_trainable), self)
        leaves: list[Any] = [None] * (len(self.trainable) + len(self.non_trainable))
        for i, value in zip(self.trainable, trainable, strict=True):
            leaves[i] = value
        for i, value in zip(self.non_trainable, non_trainable, strict=True):
            leaves[i] = value
        return jax.tree_util.tree_unflatten(self.treedef, leaves)


def _count_error(trainable: int, non_trainable: int, layout: Layout) -> errors.JnetValueError:
    return errors.JnetValueError(
        f"Expected {len(layout.trainable)} trainable and {len(layout.non_trainable)} "
        f"non-trainable variables (the model's, in Keras's order), received {trainable} and "
        f"{non_trainable}."
    )
