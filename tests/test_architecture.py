"""jnet's floors, written once as data, and the checker that holds the package to them.

``FLOORS`` places every top-level module and folder of ``jnet/`` on a floor. A module may import
only floors below its own: not a higher floor (``upward``), not another name on its own floor
(``sideways``), and never the package face (``import jnet``, or ``from jnet import X`` where X is
not a submodule). Imports count wherever they are written: at module level, or inside a
function, method or class. Every top-level name must be placed (``unplaced``), and there is no
import cycle between folders (``folder-cycle``) or between modules (``module-cycle``; an edge goes
to the module named, not to its parent packages' ``__init__``, which Python runs first anyway).
An import of the package written inside a function is reported even when it points down
(``in-function``): with the floors right it has no reason to hide there, and hidden imports are
how the old knots grew.

:func:`check_floors` is plain ``ast`` over the files, so it also runs on the small fake packages
below, which show each kind of violation being caught. README.md's Layout section shows the same
floors (checked by the last test).
"""

from __future__ import annotations

import ast
import itertools
import re
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

# Top-level name under jnet/ -> floor. "__init__" is the package face (jnet/__init__.py).
# tree, variables, random and backend do not exist yet: their floor is reserved for them.
FLOORS: dict[str, int] = {
    "errors": 1,
    "compilation_cache": 1,
    "_typing": 1,
    "_registry": 2,
    "config": 2,
    "utils": 3,
    "distribution": 3,
    "export": 3,
    "_dtypes": 3,
    "dtype_policies": 3,
    "tree": 3,
    "symbolic": 4,
    "datasets": 4,
    "variables": 4,
    "preprocessing": 4,
    "ops": 5,
    "random": 5,
    "backend": 5,
    "activations": 6,
    "initializers": 6,
    "regularizers": 6,
    "constraints": 6,
    "losses": 6,
    "optimizers": 6,
    "metrics": 7,
    "mixed_precision": 7,
    "layers": 8,
    "training": 9,
    "saving": 9,
    "callbacks": 10,
    "models": 11,
    "applications": 12,
    "__init__": 13,
}


class Violation(NamedTuple):
    """One broken rule: where (``file`` relative to the package's parent, ``line``), which rule
    (``kind``), and a sentence saying what was imported and the floors involved."""

    file: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.kind}] {self.message}"


class _Import(NamedTuple):
    target: str  # the module imported (dotted), or the package itself for its face
    line: int
    in_function: bool
    face: bool  # imports a name of the package face (`import pkg`, `from pkg import Name`)


class _Module(NamedTuple):
    name: str  # dotted module name
    file: str  # path relative to the package's parent
    top: str  # top-level name under the package ("__init__" for the face): its folder


def _modules(root: Path, package: str) -> dict[str, _Module]:
    modules = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "__pycache__" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join([package, *parts])
        top = parts[0] if parts else "__init__"
        file = (Path(package) / rel).as_posix()
        modules[name] = _Module(name, file, top)
    return modules


def _imports(tree: ast.AST, module: str, is_package: bool, package: str,
             known: Mapping[str, _Module]) -> Iterator[_Import]:
    """The package's modules that ``tree`` imports, wherever the import statement stands."""

    def resolve(dotted: str) -> str:
        # The longest prefix that is a module of the package (``import pkg.a.b`` -> pkg.a.b).
        parts = dotted.split(".")
        while parts and ".".join(parts) not in known:
            parts.pop()
        return ".".join(parts) if parts else dotted

    def visit(node: ast.AST, in_function: bool) -> Iterator[_Import]:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name == package or alias.name.startswith(package + "."):
                        target = resolve(alias.name)
                        face = alias.name == package
                        yield _Import(target, child.lineno, in_function, face)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")
                    if not is_package:
                        anchor = anchor[:-1]
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if base != package and not base.startswith(package + "."):
                    continue
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    if sub in known:
                        yield _Import(sub, child.lineno, in_function, False)
                    else:
                        target = resolve(base)
                        yield _Import(target, child.lineno, in_function, target == package)
            yield from visit(child, nested)

    yield from visit(tree, False)


def _cycles(edges: Mapping[str, Mapping[str, int]]) -> list[tuple[list[str], int]]:
    """One cycle (a closed path of nodes) per strongly connected component of the graph, with
    the number of nodes in that component (the whole knot the cycle is part of)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)

    cycles = []
    for component in sorted(components):
        members = set(component)
        start = component[0]
        # Shortest way back to `start` inside the component (breadth first).
        previous = {start: ""}
        queue = [start]
        while queue:
            v = queue.pop(0)
            for w in sorted(edges.get(v, {})):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    cycles.append(([*reversed(path), start], len(component)))
                    queue = []
                    break
                if w in members and w not in previous:
                    previous[w] = v
                    queue.append(w)
    return cycles


def check_floors(root: Path | str, package: str, floors: Mapping[str, int]) -> list[Violation]:
    """Every way the package under ``root`` breaks its floors, sorted by file and line.

    Args:
        root: the package's folder (the one holding its ``__init__.py``).
        package: the package's import name.
        floors: top-level name under the package -> floor; ``"__init__"`` is the package face.

    Returns:
        The violations; an empty list for a package that keeps to its floors.
    """
    root = Path(root)
    modules = _modules(root, package)
    found: list[Violation] = []
    module_edges: dict[str, dict[str, int]] = {}
    folder_edges: dict[str, dict[str, int]] = {}
    folder_file: dict[tuple[str, str], tuple[str, int]] = {}

    placed = set()
    for mod in modules.values():
        if mod.top not in floors and mod.top not in placed:
            placed.add(mod.top)
            found.append(Violation(
                mod.file, 1, "unplaced",
                f"{package}.{mod.top} has no floor: add it to the floors table",
            ))

    for mod in modules.values():
        tree = ast.parse((root.parent / mod.file).read_text(), mod.file)
        is_package = mod.file.endswith("__init__.py")
        for imp in _imports(tree, mod.name, is_package, package, modules):
            where = " (inside a function)" if imp.in_function else ""
            if imp.face and mod.top != "__init__":
                found.append(Violation(
                    mod.file, imp.line, "package-face",
                    f"{mod.name} imports the package face `{package}`{where}: import the "
                    "module that defines the name",
                ))
                continue
            target = modules.get(imp.target)
            if target is None or target.name == mod.name:
                continue
            if imp.in_function:
                found.append(Violation(
                    mod.file, imp.line, "in-function",
                    f"{mod.name} imports {target.name} inside a function: import it at "
                    "module level",
                ))
            module_edges.setdefault(mod.name, {}).setdefault(target.name, imp.line)
            if target.top == mod.top or mod.top not in floors or target.top not in floors:
                continue
            folder_edges.setdefault(mod.top, {}).setdefault(target.top, imp.line)
            folder_file.setdefault((mod.top, target.top), (mod.file, imp.line))
            low, high = floors[mod.top], floors[target.top]
            if high >= low:
                kind = "upward" if high > low else "sideways"
                found.append(Violation(
                    mod.file, imp.line, kind,
                    f"{mod.top} (floor {low}) imports {target.name} ({target.top}, floor "
                    f"{high}){where}",
                ))

    for cycle, size in _cycles(folder_edges):
        file, line = folder_file[(cycle[0], cycle[1])]
        found.append(Violation(
            file, line, "folder-cycle",
            f"folders import each other ({size} in the knot): " + " -> ".join(cycle),
        ))
    for cycle, size in _cycles(module_edges):
        hops = [f"{modules[a].file}:{module_edges[a][b]}" for a, b in itertools.pairwise(cycle)]
        first = modules[cycle[0]].file
        found.append(Violation(
            first, module_edges[cycle[0]][cycle[1]], "module-cycle",
            f"modules import each other ({size} in the knot): {' -> '.join(hops)} -> {first}",
        ))
    return sorted(found, key=lambda v: (v.file, v.line, v.kind))


# --------------------------------------------------------------------------------------------
# The checker on small fake packages: each kind of violation is caught, at the right line.
# --------------------------------------------------------------------------------------------

FAKE_FLOORS = {"errors": 1, "util": 2, "fmt": 2, "leaf": 3, "top": 4, "app": 4, "__init__": 5}

CLEAN = {
    "__init__.py": "from fakepkg import top as top\nfrom fakepkg.leaf import Leaf as Leaf\n",
    "errors.py": "class Oops(Exception):\n    pass\n",
    "util/__init__.py": "from fakepkg.util._core import helper as helper\n",
    "util/_core.py": "from fakepkg import errors\n\n\ndef helper():\n    return errors.Oops\n",
    "leaf/__init__.py": "from ._base import Leaf as Leaf\n",
    "leaf/_base.py": "from fakepkg.util import helper\n\n\nclass Leaf:\n    kind = helper\n",
    "leaf/_more.py": (
        "from fakepkg.leaf._base import Leaf\nfrom .. import errors\n\n\n"
        "class More(Leaf):\n    pass\n"
    ),
    "fmt.py": "from fakepkg import errors\n",
    "app.py": "from fakepkg.util import helper\n\n\ndef run():\n    return helper()\n",
    "top.py": (
        "import fakepkg.leaf\nfrom fakepkg.leaf import _more\nfrom fakepkg.util import _core\n\n\n"
        "def build():\n    return _core, fakepkg.leaf\n"
    ),
}


def _write(root: Path, files: Mapping[str, str]) -> Path:
    pkg = root / "fakepkg"
    for name, text in files.items():
        path = pkg / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return pkg


def _found(root: Path, changes: Mapping[str, str]) -> list[tuple[str, int, str]]:
    pkg = _write(root, {**CLEAN, **changes})
    return [v[:3] for v in check_floors(pkg, "fakepkg", FAKE_FLOORS)]


def test_clean_fake_package_has_no_violations(tmp_path):
    assert _found(tmp_path, {}) == []


def test_upward_import_at_module_level_is_reported(tmp_path):
    found = _found(tmp_path, {"fmt.py": CLEAN["fmt.py"] + "from fakepkg.leaf import Leaf\n"})
    assert found == [("fakepkg/fmt.py", 2, "upward")]
    message = check_floors(tmp_path / "fakepkg", "fakepkg", FAKE_FLOORS)[0].message
    assert message == "fmt (floor 2) imports fakepkg.leaf (leaf, floor 3)"


def test_upward_import_inside_a_function_is_reported(tmp_path):
    bad = CLEAN["leaf/_base.py"] + "\n    def grow(self):\n        from fakepkg import app\n"
    found = _found(tmp_path, {"leaf/_base.py": bad})
    assert found == [
        ("fakepkg/leaf/_base.py", 8, "in-function"),
        ("fakepkg/leaf/_base.py", 8, "upward"),
    ]
    message = check_floors(tmp_path / "fakepkg", "fakepkg", FAKE_FLOORS)[1].message
    assert message == "leaf (floor 3) imports fakepkg.app (app, floor 4) (inside a function)"


def test_importing_the_package_face_is_reported(tmp_path):
    bad = CLEAN["leaf/_more.py"] + "\n\ndef make():\n    import fakepkg\n\n    return fakepkg\n"
    bad2 = "from fakepkg import errors, Leaf\n\n\ndef helper():\n    return errors, Leaf\n"
    found = _found(tmp_path, {"leaf/_more.py": bad, "util/_core.py": bad2})
    assert found == [
        ("fakepkg/leaf/_more.py", 10, "package-face"),
        ("fakepkg/util/_core.py", 1, "package-face"),
    ]


def test_module_cycle_inside_one_folder_is_reported(tmp_path):
    more = "\n    def more(self):\n        from fakepkg.leaf import _more\n"
    found = _found(tmp_path, {"leaf/_base.py": CLEAN["leaf/_base.py"] + more})
    assert found == [
        ("fakepkg/leaf/_base.py", 8, "in-function"),
        ("fakepkg/leaf/_base.py", 8, "module-cycle"),
    ]


def test_downward_import_inside_a_function_is_reported(tmp_path):
    bad = "from fakepkg import errors\n\n\ndef helper():\n    from fakepkg import errors\n"
    found = _found(tmp_path, {"fmt.py": bad})
    assert found == [("fakepkg/fmt.py", 5, "in-function")]
    message = check_floors(tmp_path / "fakepkg", "fakepkg", FAKE_FLOORS)[0].message
    assert message == (
        "fakepkg.fmt imports fakepkg.errors inside a function: import it at module level"
    )


def test_relative_imports_are_resolved(tmp_path):
    bad = "from ..app import run\nfrom . import _base\nfrom .. import errors\n"
    found = _found(tmp_path, {"leaf/extra.py": bad})
    assert found == [("fakepkg/leaf/extra.py", 1, "upward")]


def test_unlisted_top_level_module_is_reported(tmp_path):
    found = _found(tmp_path, {"stray.py": "from fakepkg import errors\n"})
    assert found == [("fakepkg/stray.py", 1, "unplaced")]


def test_sideways_import_and_folder_cycle_are_reported(tmp_path):
    floors = {**FAKE_FLOORS, "other": 3}
    pkg = _write(tmp_path, {
        **CLEAN,
        "other.py": "from fakepkg.leaf import _more\n",
        "leaf/_more.py": CLEAN["leaf/_more.py"] + "\n\ndef f():\n    from fakepkg import other\n",
    })
    found = [v[:3] for v in check_floors(pkg, "fakepkg", floors)]
    assert found == [
        ("fakepkg/leaf/_more.py", 10, "folder-cycle"),
        ("fakepkg/leaf/_more.py", 10, "in-function"),
        ("fakepkg/leaf/_more.py", 10, "module-cycle"),
        ("fakepkg/leaf/_more.py", 10, "sideways"),
        ("fakepkg/other.py", 1, "sideways"),
    ]


# --------------------------------------------------------------------------------------------
# jnet itself.
# --------------------------------------------------------------------------------------------


def test_jnet_keeps_to_its_floors():
    found = check_floors(ROOT / "jnet", "jnet", FLOORS)
    assert not found, f"{len(found)} violations:\n" + "\n".join(map(str, found))


def _readme_floors(text: str) -> list[tuple[int, list[str]]]:
    section = text.split("\n## Layout", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "README.md's Layout section has no fenced block"
    rows = []
    for line in block.group(1).splitlines():
        match = re.match(r"floor\s+(\d+)\s+([^:]+):", line)
        if match:
            names = [n.strip().removesuffix("/").removesuffix(".py")
                     for n in match.group(2).split(",")]
            rows.append((int(match.group(1)), names))
    return rows


def test_readme_layout_shows_the_floors():
    text = (ROOT / "README.md").read_text()
    rows = _readme_floors(text)
    numbers = [n for n, _ in rows]
    assert numbers == sorted(set(numbers), reverse=True), "one line per floor, top floor first"
    shown = {name: n for n, names in rows for name in names}
    assert shown == FLOORS
    assert "tests/test_architecture.py enforces it" in " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Files of one concept: a long file says why it is one.
# --------------------------------------------------------------------------------------------

LONG_FILE_LINES = 600


def test_long_files_say_why_they_are_one_concept():
    """A module over ~600 lines must say in its docstring why it is one concept (the phrase
    "One concept, one file"), or be split."""
    unexplained = []
    for path in sorted((ROOT / "jnet").rglob("*.py")):
        text = path.read_text()
        if text.count("\n") <= LONG_FILE_LINES:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "One concept, one file" not in docstring:
            unexplained.append(f"{path.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    assert not unexplained, "split these files or say why each is one concept: " + ", ".join(
        unexplained
    )
