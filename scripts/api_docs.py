"""Writes the API reference pages of the documentation site, one per public namespace.

Each public namespace of jnet (``jnet``, ``jnet.layers``, ``jnet.ops.nn``, ...: ``jnet`` and the
modules its ``__all__`` lists, recursively) gets ``docs/api/<namespace>.md``, with one
mkdocstrings block (``::: jnet.layers.Dense``) per public class and function, rendered from
its docstring; the ``nav`` of ``mkdocs.yml`` between the ``# api:`` markers lists the pages.
``make docs`` runs this, then ``mkdocs build --strict``.

Run ``python scripts/api_docs.py`` to write the pages, ``--check`` to fail when the pages or the
nav are out of date (``tests/test_api_docstrings.py`` runs the check).
"""

from __future__ import annotations

import inspect
import sys
import types
from pathlib import Path

import jnet

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "api"
MKDOCS = ROOT / "mkdocs.yml"
BEGIN, END = "  # api: begin (scripts/api_docs.py writes these lines)", "  # api: end"


def namespaces() -> dict[str, types.ModuleType]:
    """``{path: module}``: ``jnet`` and the jnet modules its ``__all__`` lists, recursively."""
    found = {"jnet": jnet}

    def walk(module: types.ModuleType, path: str) -> None:
        for name in sorted(getattr(module, "__all__", ())):
            obj = getattr(module, name, None)
            if isinstance(obj, types.ModuleType) and obj.__name__.startswith("jnet"):
                if f"{path}.{name}" not in found and obj not in found.values():
                    found[f"{path}.{name}"] = obj
                    walk(obj, f"{path}.{name}")

    walk(jnet, "jnet")
    return dict(sorted(found.items()))


def _members(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n[0] == "_"]
    return [
        name for name in sorted(names)
        if (inspect.isclass(obj := getattr(module, name, None)) or inspect.isfunction(obj))
        and getattr(obj, "__module__", "").startswith("jnet")
    ]


def page(path: str, module: types.ModuleType) -> str:
    """The Markdown of one namespace's page."""
    summary = (inspect.getdoc(module) or "").split("\n\n")[0].replace("\n", " ")
    lines = [f"# {path}", "", summary, ""]
    for name in _members(module):
        lines += [f"::: {module.__name__}.{name}", ""]  # where griffe finds the object
    return "\n".join(lines).rstrip() + "\n"


def pages() -> dict[Path, str]:
    """``{file: text}`` of every page."""
    return {API / f"{path}.md": page(path, module) for path, module in namespaces().items()}


def nav_lines() -> list[str]:
    """The ``nav`` entries of the API pages (between the markers in mkdocs.yml)."""
    return [f"      - {path}: api/{path}.md" for path in namespaces()]


def _mkdocs_text() -> str:
    text = MKDOCS.read_text()
    head, rest = text.split(BEGIN + "\n")
    _, tail = rest.split(END + "\n")
    return head + BEGIN + "\n" + "\n".join(nav_lines()) + "\n" + END + "\n" + tail


def main(argv: list[str]) -> int:
    expected = pages()
    if "--check" in argv:
        stale = [str(f.relative_to(ROOT)) for f, text in expected.items()
                 if not f.exists() or f.read_text() != text]
        extra = sorted(str(f.relative_to(ROOT)) for f in API.glob("*.md") if f not in expected)
        if MKDOCS.read_text() != _mkdocs_text():
            stale.append("mkdocs.yml (nav)")
        if stale or extra:
            print("out of date (run python scripts/api_docs.py):", *stale, *extra, sep="\n  ")
            return 1
        return 0
    API.mkdir(parents=True, exist_ok=True)
    for file in API.glob("*.md"):
        if file not in expected:
            file.unlink()
    for file, text in expected.items():
        file.write_text(text)
    MKDOCS.write_text(_mkdocs_text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
