"""pyproject.toml against constraints.txt and the code: every floor is a version the tests ran
with (the pin in constraints.txt, which `make test` installs), and every extra that an
``errors.require`` call names exists."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?(.*)$")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_key(name)] = version.strip()
    return pins


def _requirements() -> list[str]:
    listed = list(PROJECT["dependencies"])
    for extra in PROJECT["optional-dependencies"].values():
        listed += [r for r in extra if not r.startswith("jnet[")]
    return listed


@pytest.mark.parametrize("requirement", _requirements())
def test_floor_is_the_tested_version(requirement):
    name, _, spec = REQUIREMENT.match(requirement).groups()
    floor = re.search(r">=\s*([^,\s]+)", spec)
    assert floor, f"{requirement}: give a floor (>=), the version constraints.txt pins"
    assert _pins().get(_key(name)) == floor.group(1), (
        f"{requirement}: the floor is not the version the tests ran with "
        f"({_pins().get(_key(name))} in constraints.txt)"
    )


def test_every_required_extra_exists():
    used = set()
    for path in (ROOT / "jnet").rglob("*.py"):
        code = "\n".join(line for line in path.read_text().splitlines() if ">>>" not in line)
        used |= set(re.findall(r"require\(\s*\"[\w.]+\",\s*\"(\w+)\"", code))
    assert used, "no errors.require call found"
    extras = set(PROJECT["optional-dependencies"])
    assert used <= extras, f"extras named in jnet but missing from pyproject: {used - extras}"
    assert {"plot", "h5", "tensorboard", "images", "all"} <= extras
