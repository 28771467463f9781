"""The public names of the installed Keras against jnet's, namespace by namespace.

Every public name of every Keras namespace (``keras``, ``keras.layers``, ``keras.ops.nn``,
``keras.applications.resnet``, ...: the namespaces are found by walking the installed Keras)
must exist in jnet under the same path, or be listed here: in ``LEFT_OUT`` with the reason jnet
leaves it out, or in ``PENDING`` under the title of the open issue that delivers it. A whole
namespace can be listed (``LEFT_OUT_NAMESPACES``, ``PENDING_NAMESPACES``): it and the
namespaces under it. For ``keras.ops`` and its families the pending and left-out names are the
``PENDING``/``LEFT_OUT`` sets of ``tests/ops_table/*.py`` (issue 19), not repeated here.

The test fails on a missing name that is not listed, and on a listed name that jnet now has (the
list is stale: remove the entry). As issues land, they empty their lists.

Run ``python tests/test_api_coverage.py`` for the figure per namespace; when this file was
written (issue 19, before the ops families were merged) jnet had 434 of Keras 3.15's 1504
public names (29%) counted per namespace, ops families included.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import types

import ops_table
import pytest

import jnet

I19 = "19: jnet.ops, jnet.random, jnet.Variable, jnet.config, jnet.backend"
I20 = "20: Subclassing the Keras 3 way: custom layers, models, train steps, metrics and losses"
I21 = "21: Every Keras layer, loss, metric and optimizer, and preprocessing layers in tf.data"
I22 = ("22: Keras's data, file and model utilities: datasets, image and text loading, "
       "applications, .keras files")
I23 = "23: Mixed precision and model parallelism, as Keras 3 has them"

_NO_ISSUE = "not asked for by any open issue: "
_LEGACY = "Keras 2 (tf.keras) compatibility shims; jnet starts from Keras 3's API"
_QUANT = _NO_ISSUE + "post-training quantization (int8/int4/float8, GPTQ, AWQ) is out of scope"

# Whole namespaces: the namespace and every namespace under it.
PENDING_NAMESPACES: dict[str, str] = {}
LEFT_OUT_NAMESPACES: dict[str, str] = {
    "keras.legacy": _LEGACY,
    "keras.optimizers.legacy": _LEGACY,
    "keras.utils.legacy": _LEGACY,
    "keras.quantizers": _QUANT,
    "keras.distillation": _NO_ISSUE + "knowledge distillation (Distiller) is a training recipe "
                          "built on subclassing (issue 20); not planned yet",
    "keras.visualization": _NO_ISSUE + "bounding-box and segmentation-mask plotting (KerasCV's "
                           "object-detection tooling)",
    "keras.utils.bounding_boxes": _NO_ISSUE + "bounding-box format utilities (KerasCV's "
                                  "object-detection tooling)",
    "keras.wrappers": _NO_ISSUE + "scikit-learn estimator wrappers (scikit-learn is no "
                      "dependency of jnet)",
}

# namespace -> {issue title: names that issue delivers}
PENDING: dict[str, dict[str, set[str]]] = {
    "keras.callbacks": {I21: {"OrbaxCheckpoint", "SwapEMAWeights"}},
}

# namespace -> {name: why jnet leaves it out}
LEFT_OUT: dict[str, dict[str, str]] = {
    "keras.dtype_policies": {
        name: _QUANT for name in (
            "AWQDTypePolicy", "GPTQDTypePolicy", "Int4DTypePolicy", "QuantizedDTypePolicy",
            "QuantizedFloat8DTypePolicy",
        )
    },
    "keras": {
        "legacy": _LEGACY,
        "quantizers": _QUANT,
        "Quantizer": _QUANT,
        "distillation": LEFT_OUT_NAMESPACES["keras.distillation"],
        "visualization": LEFT_OUT_NAMESPACES["keras.visualization"],
        "wrappers": LEFT_OUT_NAMESPACES["keras.wrappers"],
        "RematScope": _NO_ISSUE + "rematerialization scopes; jax.checkpoint does this in JAX",
        "remat": _NO_ISSUE + "rematerialization; jax.checkpoint does this in JAX",
        "device": _NO_ISSUE + "a device-placement scope; JAX places arrays with "
                  "jax.default_device / jax.device_put",
        "name_scope": _NO_ISSUE + "Keras's variable-path scopes; jnet names variables by layer "
                      "path",
    },
    "keras.layers": {
        "TFSMLayer": "wraps a TensorFlow SavedModel: needs TensorFlow at run time",
        "TorchModuleWrapper": "wraps a torch.nn.Module: needs the torch backend",
    },
    "keras.optimizers": {"legacy": _LEGACY},
    "keras.utils": {
        "legacy": _LEGACY,
        "bounding_boxes": LEFT_OUT_NAMESPACES["keras.utils.bounding_boxes"],
    },
}


def _ops_tables() -> tuple[set[str], dict[str, str]]:
    pending: set[str] = set()
    left_out: dict[str, str] = {}
    for info in pkgutil.iter_modules(ops_table.__path__):
        family = importlib.import_module(f"ops_table.{info.name}")
        pending |= set(getattr(family, "PENDING", ()))
        left_out.update(getattr(family, "LEFT_OUT", {}))
    return pending, left_out


def keras_namespaces(keras) -> dict[str, list[str]]:
    """``{'keras.layers': [its public names], ...}`` for every namespace of the installed Keras
    (its public submodules, walked; ``keras.src`` is private)."""
    out: dict[str, list[str]] = {}

    def walk(module: types.ModuleType, path: str) -> None:
        names = sorted(n for n in dir(module) if not n.startswith("_"))
        if path == "keras":
            names = [n for n in names if n != "src"]
        out[path] = names
        for name in names:
            value = getattr(module, name)
            if (isinstance(value, types.ModuleType) and value.__name__.startswith("keras.")
                    and not value.__name__.startswith("keras.src")):
                walk(value, f"{path}.{name}")

    walk(keras, "keras")
    return out


def _jnet_namespace(path: str):
    obj = jnet
    for part in path.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _covering(path: str, table: dict[str, str]) -> str | None:
    parts = path.split(".")
    for k in range(len(parts), 1, -1):
        key = ".".join(parts[:k])
        if key in table:
            return key
    return None


def _is_ops(path: str) -> bool:
    return path == "keras.ops" or path.startswith("keras.ops.")


def coverage(keras) -> dict[str, tuple[int, int]]:
    """``{namespace: (names jnet has, Keras's names)}``."""
    result = {}
    for path, names in keras_namespaces(keras).items():
        ours = _jnet_namespace(path)
        have = sum(1 for n in names if ours is not None and hasattr(ours, n))
        result[path] = (have, len(names))
    return result


def _report(keras) -> str:
    figures = coverage(keras)
    have = sum(h for h, _ in figures.values())
    total = sum(t for _, t in figures.values())
    lines = [f"{path}: {h}/{t}" for path, (h, t) in figures.items()]
    lines.append(f"jnet has {have} of Keras {keras.__version__}'s {total} public names "
                 f"({100 * have / total:.0f}%)")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def namespaces(keras):
    return keras_namespaces(keras)


def test_every_keras_name_is_in_jnet_or_listed(namespaces):
    ops_pending, ops_left_out = _ops_tables()
    unexplained: list[str] = []
    for path, names in namespaces.items():
        if _covering(path, PENDING_NAMESPACES) or _covering(path, LEFT_OUT_NAMESPACES):
            continue
        ours = _jnet_namespace(path)
        listed = set(LEFT_OUT.get(path, {}))
        for issue_names in PENDING.get(path, {}).values():
            listed |= issue_names
        if _is_ops(path):
            listed |= ops_pending | set(ops_left_out)
        for name in names:
            if (ours is None or not hasattr(ours, name)) and name not in listed:
                unexplained.append(f"{path}.{name}")
    assert not unexplained, (
        f"{len(unexplained)} Keras names are missing from jnet and listed nowhere (add them to "
        f"jnet, or to PENDING/LEFT_OUT here with the issue or the reason): {unexplained}"
    )


def test_no_stale_entries(namespaces):
    stale = []
    for table in (PENDING_NAMESPACES, LEFT_OUT_NAMESPACES):
        for path in table:
            assert path in namespaces, f"{path} is not a namespace of the installed Keras"
            if _jnet_namespace(path) is not None:
                stale.append(f"{path} (jnet has this namespace now: list its missing names)")
    listed = {path: {n for names in issues.values() for n in names}
              for path, issues in PENDING.items()}
    for path, reasons in LEFT_OUT.items():
        listed.setdefault(path, set()).update(reasons)
    for path, names in listed.items():
        assert path in namespaces, f"{path} is not a namespace of the installed Keras"
        ours = _jnet_namespace(path)
        for name in sorted(names):
            if name not in namespaces[path]:
                stale.append(f"{path}.{name} (not a Keras name)")
            elif ours is not None and hasattr(ours, name):
                stale.append(f"{path}.{name} (jnet has it now)")
    assert not stale, f"entries to remove from the coverage tables: {stale}"


def test_issue_19_namespaces_are_complete(namespaces):
    """Issue 19's own namespaces: nothing pending but the ops names of its ops tables."""
    for path in ("keras.random", "keras.config", "keras.backend", "keras.tree"):
        ours = _jnet_namespace(path)
        missing = [n for n in namespaces[path] if not hasattr(ours, n)]
        assert not missing, f"{path}: {missing}"
    assert I19 not in PENDING.get("keras", {})


def test_coverage_figure(keras, capsys):
    with capsys.disabled():
        print("\n" + _report(keras).splitlines()[-1])


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras as _keras

    print(_report(_keras))
