"""The docstring contract of jnet's public API, as data: what each public object lacks.

Every class and function exported by a public namespace of jnet (``jnet``, ``jnet.layers``,
``jnet.ops.nn``, ...: the namespaces are found by following ``__all__`` from ``jnet``), and the
most used methods (:data:`METHODS`), must have, as Keras's docs do:

* a summary line;
* an ``Args:`` section naming every parameter of its signature (``self``, ``*args`` and
  ``**kwargs`` excepted; for a layer, the keyword-only base arguments ``trainable``, ``dtype``,
  ``name``, ``input_shape`` and ``input_dim``, which :class:`jnet.layers.Layer` documents);
  several parameters may share an entry (``kernel_regularizer, bias_regularizer: ...``);
* an ``Example:`` (or ``Examples:``) section.

:func:`problems_by_name` returns ``{qualified name: [problem, ...]}`` for the objects that
break it; ``tests/test_api_docstrings.py`` compares it with its allow-list.
"""

from __future__ import annotations

import inspect
import re
import types
from typing import Any

import jnet

#: Methods checked like public functions: the Keras workflow's most used.
METHODS = (
    "jnet.Model.compile",
    "jnet.Model.evaluate",
    "jnet.Model.fit",
    "jnet.Model.predict",
)

#: A layer's keyword-only base arguments, documented once on ``jnet.layers.Layer``.
LAYER_BASE_ARGUMENTS = frozenset({"trainable", "dtype", "name", "input_shape", "input_dim"})

_SECTION = re.compile(r"^(\s*)([A-Z][A-Za-z ]*):\s*$")
_ENTRY = re.compile(r"^([\w*][\w*, ]*?)\s*(\([^)]*\))?\s*:")


def namespaces() -> dict[str, types.ModuleType]:
    """``{path: module}`` of jnet's public namespaces (``jnet`` and those its ``__all__``
    lists, recursively)."""
    found = {"jnet": jnet}

    def walk(module: types.ModuleType, path: str) -> None:
        for name in _exported(module):
            obj = getattr(module, name, None)
            child = f"{path}.{name}"
            if isinstance(obj, types.ModuleType) and obj.__name__.startswith("jnet"):
                if child not in found and obj not in found.values():
                    found[child] = obj
                    walk(obj, child)

    walk(jnet, "jnet")
    return found


def _exported(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return sorted(names)


def public_objects() -> dict[str, Any]:
    """``{qualified name: object}``: every public class and function, each once (under the
    first namespace, in sorted order, that exports it), and :data:`METHODS`."""
    objects: dict[str, Any] = {}
    seen: set[int] = set()
    for path, module in sorted(namespaces().items()):
        for name in _exported(module):
            obj = getattr(module, name, None)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if not getattr(obj, "__module__", "").startswith("jnet") or id(obj) in seen:
                continue
            seen.add(id(obj))
            objects[f"{path}.{name}"] = obj
    for qualified in METHODS:
        owner, method = qualified.rsplit(".", 1)
        objects[qualified] = getattr(objects[owner], method)
    return objects


def sections(doc: str) -> dict[str, list[str]]:
    """The docstring's Google-style sections, ``{title: lines}`` (``''``: the text above)."""
    lines = inspect.cleandoc(doc).splitlines()
    result: dict[str, list[str]] = {"": []}
    current = ""
    for line in lines:
        match = _SECTION.match(line)
        if match and not match.group(1):
            current = match.group(2)
            result[current] = []
        elif current and line.strip() and not line[0].isspace():  # the section has ended
            current = ""
            result[current].append(line)
        else:
            result[current].append(line)
    return result


def documented_arguments(lines: list[str]) -> set[str]:
    """The names the entries of an ``Args:`` section describe."""
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    if not indents:
        return set()
    entry_indent = min(indents)
    entries: list[str] = []
    for line in lines:
        if line.strip() and len(line) - len(line.lstrip()) == entry_indent:
            entries.append(line.strip())
        elif entries and line.strip():
            entries[-1] += " " + line.strip()  # an entry's continuation lines
    names: set[str] = set()
    for entry in entries:
        match = _ENTRY.match(entry)
        if match:
            names.update(n.strip().lstrip("*") for n in match.group(1).split(","))
    return names


def expected_arguments(obj: Any) -> list[str]:
    """The parameters ``obj``'s ``Args:`` must name."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    skipped = set()
    if inspect.isclass(obj) and issubclass(obj, jnet.layers.Layer):
        skipped = LAYER_BASE_ARGUMENTS
    return [
        name
        for name, p in signature.parameters.items()
        if name not in ("self", "cls")
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and name not in skipped
    ]


def problems(obj: Any) -> list[str]:
    """What ``obj``'s docstring lacks (empty: it keeps the contract)."""
    doc = obj.__doc__  # cleaned once, by sections()
    if not doc or not doc.strip():
        return ["no docstring"]
    found = sections(doc)
    result = []
    if not found[""] or not found[""][0].strip():
        result.append("no summary line")
    arguments = expected_arguments(obj)
    if arguments:
        if "Args" not in found:
            result.append("no Args section")
        else:
            missing = [a for a in arguments if a not in documented_arguments(found["Args"])]
            if missing:
                result.append(f"Args lacks {', '.join(missing)}")
    if "Example" not in found and "Examples" not in found:
        result.append("no Example section")
    return result


def problems_by_name() -> dict[str, list[str]]:
    """``{qualified name: problems}`` over :func:`public_objects`, for those with any."""
    return {name: p for name, obj in public_objects().items() if (p := problems(obj))}
