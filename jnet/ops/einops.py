"""``keras.ops.rearrange``: einops-style axis rearrangement (a reshape, a transpose, a reshape).

A pattern names the input's axes on the left of ``->`` and the result's on the right; a group
in parentheses is several axes merged into one (``(b h)``), on the left an axis split into
several, whose sizes come from ``**axes_lengths`` (one size in a group may be left out: it is
inferred). As in Keras, axis names are words (no ``...`` or ``1``).

Example:
    >>> import jax.numpy as jnp
    >>> rearrange(jnp.zeros((2, 4, 6, 3)), "b (h1 h) w c -> (b h1) h w c", h1=2).shape
    (4, 2, 6, 3)
"""

from __future__ import annotations

import math
import re
from typing import Any

import jax
import jax.numpy as jnp

from jnet import errors
from jnet.ops._op import convert, keras_op

__all__ = ["rearrange"]

_TOKEN = re.compile(r"\(([^()]*)\)|(\S+)")
_NAME = re.compile(r"^\w+$")


def _groups(side: str, pattern: str) -> list[list[str]]:
    """``'b (h w) c'`` -> ``[['b'], ['h', 'w'], ['c']]``."""
    groups = []
    for match in _TOKEN.finditer(side):
        names = match.group(1).split() if match.group(1) is not None else [match.group(2)]
        for name in names:
            if not _NAME.match(name):
                raise errors.JnetValueError(
                    f"rearrange: axis names in the pattern must be words, received {name!r} "
                    f"in pattern={pattern!r}."
                )
        groups.append(names)
    return groups


def _parse(pattern: str) -> tuple[list[list[str]], list[list[str]]]:
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise errors.JnetValueError(
            f"rearrange: `pattern` must be a string 'input axes -> output axes', received "
            f"pattern={pattern!r}."
        )
    left, right = (_groups(side, pattern) for side in pattern.split("->"))
    in_names = [n for g in left for n in g]
    out_names = [n for g in right for n in g]
    for names, side in ((in_names, "input"), (out_names, "output")):
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise errors.JnetValueError(
                f"rearrange: the {side} side of pattern={pattern!r} repeats {repeated}."
            )
    if set(in_names) != set(out_names):
        raise errors.JnetValueError(
            f"rearrange: both sides of pattern={pattern!r} must name the same axes; only on "
            f"one side: {sorted(set(in_names) ^ set(out_names))}."
        )
    return left, right


def _sizes(left: list[list[str]], shape: tuple[int, ...], lengths: dict[str, int],
           pattern: str) -> dict[str, int]:
    if len(left) != len(shape):
        raise errors.JnetValueError(
            f"rearrange: pattern={pattern!r} describes {len(left)} input axes, the tensor has "
            f"shape {shape}."
        )
    sizes: dict[str, int] = {}
    for group, dim in zip(left, shape, strict=True):
        unknown = [n for n in group if n not in lengths]
        if len(group) == 1 and not unknown:
            known = int(lengths[group[0]])
            if known != dim:
                raise errors.JnetValueError(
                    f"rearrange: axis {group[0]!r} has size {dim}, received "
                    f"{group[0]}={known}."
                )
        if len(group) > 1 and len(unknown) > 1:
            raise errors.JnetValueError(
                f"rearrange: give the sizes of all but one axis of the group "
                f"({' '.join(group)}) in pattern={pattern!r}; unknown: {unknown}."
            )
        known_product = math.prod(int(lengths[n]) for n in group if n in lengths)
        if unknown:
            if known_product == 0 or dim % known_product:
                raise errors.JnetValueError(
                    f"rearrange: axis of size {dim} cannot be split into ({' '.join(group)}) "
                    f"with {({n: lengths[n] for n in group if n in lengths})}."
                )
            sizes[unknown[0]] = dim // known_product
        elif known_product != dim:
            raise errors.JnetValueError(
                f"rearrange: axis of size {dim} cannot be split into ({' '.join(group)}) "
                f"with {({n: lengths[n] for n in group})}."
            )
        sizes.update({n: int(lengths[n]) for n in group if n in lengths})
    return sizes


@keras_op
def rearrange(tensor: Any, pattern: str, **axes_lengths: int) -> jax.Array:
    """Rearranges the axes of ``tensor`` as an einops ``pattern`` says
    (``keras.ops.rearrange``).

    Args:
        tensor: the array.
        pattern: ``'input axes -> output axes'``, e.g. ``'b h w c -> b c h w'`` (a
            transpose), ``'b h w c -> b (h w c)'`` (merging), ``'b (h1 h) w c -> ...'``
            (splitting, with ``h1=`` given).
        **axes_lengths: the sizes of split axes.

    Returns:
        The rearranged array, of ``tensor``'s dtype.

    Example:
        >>> import jax.numpy as jnp
        >>> rearrange(jnp.arange(6).reshape(2, 3), "a b -> b a").tolist()
        [[0, 3], [1, 4], [2, 5]]
    """
    tensor = convert(tensor)
    left, right = _parse(pattern)
    sizes = _sizes(left, tensor.shape, dict(axes_lengths), pattern)
    in_names = [n for g in left for n in g]
    out_names = [n for g in right for n in g]
    split = tuple(sizes[n] for n in in_names)
    if split != tensor.shape:
        tensor = jnp.reshape(tensor, split)
    order = tuple(in_names.index(n) for n in out_names)
    if order != tuple(range(len(order))):
        tensor = jnp.transpose(tensor, order)
    merged = tuple(math.prod(sizes[n] for n in g) for g in right)
    if merged != tensor.shape:
        tensor = jnp.reshape(tensor, merged)
    return tensor
