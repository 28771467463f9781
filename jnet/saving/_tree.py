"""Pytrees <-> flat ``{'path/to/leaf': array}`` dicts, restored against a template.

Saving flattens a pytree (variables, optimizer state) into named numpy arrays. Loading never
trusts the file for structure: it takes a *template* pytree built by jnet's own code (the
model's fresh variables, the optimizer's fresh state), and fills each leaf from the file by
name, checking that every name is present, none is extra, and shapes and dtypes agree.
PRNG key leaves are stored as their raw ``key_data`` and re-wrapped with the template's
implementation.

Example:
    >>> import jax.numpy as jnp
    >>> from jnet.saving._tree import flatten, restore
    >>> tree = {"dense": {"kernel": jnp.ones((2, 1)), "bias": jnp.zeros(1)}}
    >>> flat = flatten(tree, "params")
    >>> sorted(flat)
    ['params/dense/bias', 'params/dense/kernel']
    >>> restore(tree, flat, "params", "m.jnet")["dense"]["kernel"].shape
    (2, 1)
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet.saving._file import FileFormatError

__all__ = ["flatten", "restore"]


def _key_name(entry: Any) -> str:
    for attr in ("key", "name", "idx"):
        if hasattr(entry, attr):
            return str(getattr(entry, attr))
    return str(entry)


def _is_key(leaf: Any) -> bool:
    return hasattr(leaf, "dtype") and jnp.issubdtype(leaf.dtype, jax.dtypes.prng_key)


def _named_leaves(tree: Any, prefix: str) -> list[tuple[str, Any]]:
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    named = []
    seen: set[str] = set()
    for path, leaf in leaves:
        name = "/".join([prefix, *(_key_name(p) for p in path)]) if prefix or path else ""
        if name in seen:
            raise FileFormatError(f"Two leaves of the state share the name {name!r}.")
        seen.add(name)
        named.append((name, leaf))
    return named


def flatten(tree: Any, prefix: str) -> dict[str, np.ndarray]:
    """``{'prefix/a/b': numpy array}`` for every leaf of ``tree`` (keys as raw key data)."""
    out = {}
    for name, leaf in _named_leaves(tree, prefix):
        if _is_key(leaf):
            leaf = jax.random.key_data(leaf)
        out[name] = np.asarray(jax.device_get(leaf))
    return out


def restore(
    template: Any, flat: dict[str, np.ndarray], prefix: str, source: str, what: str = "weights"
) -> Any:
    """``template`` with every leaf replaced by ``flat[name]`` (fresh device arrays).

    Args:
        template: a pytree of arrays with the expected structure, shapes and dtypes.
        flat: the file's arrays.
        prefix: the names' prefix in ``flat`` (``'params'``, ``'opt_state'``).
        source: the file, for error messages.
        what: what is being restored, for error messages.

    Raises:
        FileFormatError: a name is missing or extra, or a shape or dtype disagrees.
    """
    named = _named_leaves(template, prefix)
    expected = {name for name, _ in named}
    start = f"{prefix}/" if prefix else ""
    present = {k for k in flat if k == prefix or k.startswith(start)}
    missing = sorted(expected - present)
    extra = sorted(present - expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {_few(missing)}")
        if extra:
            parts.append(f"has unexpected {_few(extra)}")
        raise FileFormatError(
            f"{source!r} does not match the model's {what}: the file is {' and '.join(parts)}. "
            f"Was it saved from a different architecture?"
        )
    leaves = []
    for name, leaf in named:
        value = flat[name]
        want = jax.random.key_data(leaf) if _is_key(leaf) else leaf
        want_shape, want_dtype = tuple(np.shape(want)), np.dtype(want.dtype)
        if tuple(value.shape) != want_shape or value.dtype != want_dtype:
            raise FileFormatError(
                f"{source!r}: {name} has shape {tuple(value.shape)} and dtype {value.dtype}, "
                f"but the model's {what} expect shape {want_shape} and dtype {want_dtype}."
            )
        array = jnp.array(value, copy=True)  # a buffer of its own (training donates it)
        if _is_key(leaf):
            array = jax.random.wrap_key_data(array, impl=jax.random.key_impl(leaf))
        leaves.append(array)
    treedef = jax.tree_util.tree_structure(template)
    return jax.tree_util.tree_unflatten(treedef, leaves)


def _few(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
