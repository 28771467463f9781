"""README.md and docs/*.md: every ```python block runs, and every link stays in the repository.

The blocks of one file run in order in one namespace, as one program (a later block uses the
model an earlier one built), in a fresh temporary folder, under the test suite's strict dtype
and rank promotion. A block that must not run would need a reason; there is none today.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _blocks(path: Path) -> list[str]:
    return BLOCK.findall(path.read_text())


WITH_CODE = [p for p in DOCUMENTS if _blocks(p)]


@pytest.mark.parametrize("path", WITH_CODE, ids=[_name(p) for p in WITH_CODE])
def test_python_blocks_run(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": f"{_name(path)}"}
    for number, block in enumerate(_blocks(path), 1):
        code = compile(block, f"{_name(path)}, python block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - the README's own code


def test_readme_has_runnable_blocks():
    assert len(_blocks(ROOT / "README.md")) >= 5


@pytest.mark.parametrize("path", DOCUMENTS, ids=[_name(p) for p in DOCUMENTS])
def test_links_point_inside_the_repository(path):
    for target in LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://", "#")):
            pytest.fail(f"{_name(path)} links outside the repository: {target}")
        file = (path.parent / target.split("#")[0]).resolve()
        assert file.is_relative_to(ROOT), f"{_name(path)}: {target} leaves the repository"
        assert file.exists(), f"{_name(path)}: {target} does not exist"
