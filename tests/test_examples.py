"""Every example runs to the end and prints its result (each asserts its own target)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs(path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.strip(), "the example printed nothing"


def test_hello_world_predicts_about_19():
    path = next(p for p in EXAMPLES if p.stem == "hello_world")
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=300).stdout
    value = float(out.split("model.predict(10.0) = ")[1].split()[0])
    assert abs(value - 19.0) < 0.1
