"""``jnet.ops`` against ``keras.ops`` (TensorFlow backend): one table of every op name.

The rows live in ``tests/ops_table/`` (a module per family, see its ``__init__``). For each
row the same inputs go to ``jnet.ops.<name>`` and ``keras.ops.<name>``; values, result dtypes
and structure must agree, and the first row of each calling form (see ``_jit_sample``) must
give the same result under ``jax.jit``.

``jax.vmap`` is checked on a deterministic sample, to keep the file fast: the first row of
each op name that takes arrays and has ``vmap=True``. Measured on 2 shared CPU cores: vmap on
every row, eagerly, took longer than the rest of the file together; one row per name, jitted,
adds about 13% (24 s to 175 s). The row's array arguments (inside lists and tuples too)
get a new leading axis of size 2: the row's own values, then the floats halved; each slice
of the vmapped result (under ``jax.jit`` where the row has ``jit=True``) must equal the eager
result of that slice. Rows with data-dependent output shapes or non-array results say
``vmap=False`` and why.

A coverage test holds every public name of the installed ``keras.ops`` to either a row, a
reason in a family's ``LEFT_OUT``, or its ``PENDING`` (names issue 19 has not delivered yet;
the lists empty as they land).
"""

from __future__ import annotations

import importlib
import pkgutil

import jax
import jax.numpy as jnp
import numpy as np
import ops_table
import pytest

import jnet

FAMILIES = [
    importlib.import_module(f"ops_table.{m.name}")
    for m in pkgutil.iter_modules(ops_table.__path__)
]
CASES = [case for family in FAMILIES for case in family.CASES]
LEFT_OUT = {name: reason for family in FAMILIES for name, reason in family.LEFT_OUT.items()}
# keras.ops names not delivered yet (issue 19 stays open while a family lists any).
PENDING = {name for family in FAMILIES for name in family.PENDING}

# Keras's TensorFlow backend computes 64-bit where its JAX backend (and jnet) use 32 bits.
_TO_32 = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


def _op(namespace, name):
    # a row's op: `name` at the namespace, or in a family for a dotted name ("image.resize")
    for part in name.split("."):
        namespace = getattr(namespace, part)
    return namespace


def _leaves(tree):
    return jax.tree_util.tree_leaves(tree)


def _to_numpy(value, keras_side: bool):
    if keras_side:
        import keras

        return jax.tree_util.tree_map(
            lambda v: np.asarray(keras.ops.convert_to_numpy(v)), value,
            is_leaf=lambda v: hasattr(v, "numpy"),
        )
    return jax.tree_util.tree_map(np.asarray, value)


def _dtype_name(value) -> str:
    name = str(np.asarray(value).dtype) if not hasattr(value, "dtype") else str(value.dtype)
    name = name.replace("<dtype: '", "").replace("'>", "")
    return _TO_32.get(name, name)


def _assert_close(got, want, case) -> None:
    got_leaves, want_leaves = _leaves(got), _leaves(want)
    assert len(got_leaves) == len(want_leaves), (
        f"{case.test_id}: {len(got_leaves)} outputs, Keras gives {len(want_leaves)}"
    )
    for g, w in zip(got_leaves, want_leaves, strict=True):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape, f"{case.test_id}: shape {g.shape}, Keras {w.shape}"
        if g.dtype.kind in "biu" and w.dtype.kind in "biu":
            np.testing.assert_array_equal(g, w, err_msg=case.test_id)
        else:
            np.testing.assert_allclose(
                g.astype(np.complex128 if g.dtype.kind == "c" else np.float64),
                w.astype(np.complex128 if w.dtype.kind == "c" else np.float64),
                rtol=case.rtol, atol=case.atol, err_msg=case.test_id,
            )


def _is_array(value) -> bool:
    return isinstance(value, np.ndarray)


def _jitted(fn, args, kwargs):
    positions = [i for i, a in enumerate(args) if _is_array(a)]

    def run(*arrays):
        full = list(args)
        for i, a in zip(positions, arrays, strict=True):
            full[i] = a
        return fn(*full, **kwargs)

    return jax.jit(run)(*[args[i] for i in positions])


def _jit_sample(cases) -> set[str]:
    """The rows whose op is also checked under ``jax.jit``: the first row of each calling form
    (op name, keyword names, string-valued keywords such as modes, number of positional
    arguments). Rows that repeat a form with other numbers trace the same code; jitting every
    row cost about a minute of the suite for no new failure."""
    seen: set[tuple] = set()
    chosen: set[str] = set()
    for case in cases:
        if not case.jit:
            continue
        modes = tuple(sorted((k, v) for k, v in case.kwargs.items() if isinstance(v, str)))
        form = (case.name, tuple(sorted(case.kwargs)), modes, len(case.args))
        if form not in seen:
            seen.add(form)
            chosen.add(case.test_id)
    return chosen


JIT_IDS = _jit_sample(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.test_id)
def test_op_matches_keras(case, keras):
    fn = _op(jnet.ops, case.name)
    got = fn(*case.args, **case.kwargs)
    if case.reference is not None:
        want = case.reference(*case.args, **case.kwargs)
    else:
        want = _to_numpy(_op(keras.ops, case.name)(*case.args, **case.kwargs), True)
    if case.compare is not None:
        case.compare(got, want)
    else:
        _assert_close(_to_numpy(got, False), want, case)
    if case.dtype and case.compare is None:
        got_dtypes = [_dtype_name(v) for v in _leaves(got)]
        want_dtypes = [_dtype_name(v) for v in _leaves(want)]
        assert got_dtypes == want_dtypes, (
            f"{case.test_id}: dtypes {got_dtypes}, Keras {want_dtypes}"
        )
    if case.test_id in JIT_IDS:
        jitted = _jitted(fn, case.args, case.kwargs)
        if case.compare is None:
            _assert_close(_to_numpy(jitted, False), _to_numpy(got, False), case)
    if case.grad:
        position = next(i for i, a in enumerate(case.args)
                        if _is_array(a) and a.dtype.kind == "f")

        def total(x):
            args = list(case.args)
            args[position] = x
            out = _leaves(fn(*args, **case.kwargs))[0]
            return jnp.sum(out.astype(jnp.float32))

        g = jax.grad(total)(jnp.asarray(case.args[position]))
        assert np.all(np.isfinite(np.asarray(g))), f"{case.test_id}: gradient not finite"


def _array_leaves(args) -> list:
    return [leaf for leaf in jax.tree_util.tree_leaves(args) if _is_array(leaf)]


def _with_arrays(args, arrays):
    # `args` with its NumPy array leaves (lists and tuples of arrays included) replaced, in order
    leaves, treedef = jax.tree_util.tree_flatten(args)
    arrays = iter(arrays)
    return treedef.unflatten([next(arrays) if _is_array(leaf) else leaf for leaf in leaves])


def _second_slice(case):
    """The row's arguments for the second slice of a vmapped batch: float and complex arrays
    halved (exact in every float dtype; keeps signs, order, positivity, (-1, 1), positive
    definiteness), the rest as they are. Rows with ``compare=`` keep their arguments: their
    comparisons are written for the row's own inputs."""
    def half(value):
        if case.compare is None and value.dtype.kind in "fc":
            return (value * value.dtype.type(0.5)).astype(value.dtype)
        return value

    return _with_arrays(case.args, [half(a) for a in _array_leaves(case.args)])


def _vmap_sample(cases) -> list:
    # the first row of each op name that takes arrays and can be vmapped
    first = {}
    for case in cases:
        if case.vmap and _array_leaves(case.args):
            first.setdefault(case.name, case)
    return list(first.values())


VMAP_CASES = _vmap_sample(CASES)


@pytest.mark.parametrize("case", VMAP_CASES, ids=lambda c: c.test_id)
def test_op_vmaps(case):
    """``jax.vmap`` of the op over a new leading axis of its array arguments gives, slice by
    slice, the eager result of that slice (values, dtypes and structure)."""
    fn = _op(jnet.ops, case.name)
    slices = [case.args, _second_slice(case)]
    stacked = [np.stack(pair) for pair in zip(*map(_array_leaves, slices), strict=True)]
    vmapped = jax.vmap(lambda *arrays: fn(*_with_arrays(case.args, arrays), **case.kwargs))
    if case.jit:  # one compiled program instead of a compile per batched primitive
        vmapped = jax.jit(vmapped)
    batched = vmapped(*stacked)
    for i, args in enumerate(slices):
        want = _to_numpy(fn(*args, **case.kwargs), False)
        got = jax.tree_util.tree_map(lambda v, i=i: np.asarray(v)[i], batched)
        if case.compare is not None:
            case.compare(got, want)
        else:
            _assert_close(got, want, case)
        got_dtypes = [str(v.dtype) for v in _leaves(got)]
        want_dtypes = [str(v.dtype) for v in _leaves(want)]
        assert got_dtypes == want_dtypes, f"{case.test_id}: vmap dtypes {got_dtypes}"


def test_rows_without_vmap_say_why():
    silent = [case.test_id for case in CASES if not case.vmap and not case.note]
    assert not silent, f"rows with vmap=False and no note: {silent}"


def _op_or_none(namespace, name):
    try:
        return _op(namespace, name)
    except AttributeError:
        return None


def _public(module) -> set[str]:
    return {n for n in dir(module) if not n.startswith("_")}


def test_every_keras_op_has_a_row_or_a_reason(keras):
    covered = {case.name.rsplit(".", 1)[-1] for case in CASES}
    keras_names = _public(keras.ops) - {"image", "linalg", "nn", "numpy"}
    missing = sorted(keras_names - covered - set(LEFT_OUT) - PENDING)
    assert not missing, f"keras.ops names with no row, reason or pending mark: {missing}"
    done = sorted(PENDING & (covered | set(LEFT_OUT)))
    assert not done, f"names marked PENDING that now have rows or reasons: {done}"


def test_every_row_names_a_jnet_op():
    unknown = sorted(name for name in {case.name for case in CASES}
                     if not callable(_op_or_none(jnet.ops, name)))
    assert not unknown, f"rows for names jnet.ops lacks: {unknown}"


@pytest.mark.parametrize("family", ["numpy", "nn", "linalg", "image"])
def test_keras_submodules_match(family, keras):
    """``jnet.ops.<family>`` has the names of ``keras.ops.<family>`` that jnet delivers."""
    theirs = _public(getattr(keras.ops, family))
    ours = _public(getattr(jnet.ops, family, None)) if hasattr(jnet.ops, family) else set()
    missing = sorted(theirs - ours - set(LEFT_OUT) - PENDING)
    assert not missing, f"jnet.ops.{family} lacks {missing}"
