"""Shared by tests/test_distribution_*.py: run tests/distribution_worker.py in a subprocess
(JAX fixes its device count when it starts, and this process has one device) and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

WORKER = Path(__file__).with_name("distribution_worker.py")
ROOT = WORKER.parent.parent


def worker_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env["JAX_PLATFORMS"] = "cpu"
    env.pop("XLA_FLAGS", None)
    env.update(extra)
    return env


def parse(stdout: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise AssertionError(f"the worker printed no result:\n{stdout[-3000:]}")


def run_worker(*args: str, timeout: float = 240) -> dict:
    result = subprocess.run(
        [sys.executable, str(WORKER), *args], capture_output=True, text=True,
        timeout=timeout, env=worker_env(), cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return parse(result.stdout)


def assert_same_numbers(actual: dict, expected: dict, what: str, rtol: float = 1e-5) -> None:
    """Histories, evaluate results, predictions and weights equal within ``rtol`` (weights and
    outputs also within 1e-7 absolute, for entries near zero)."""
    assert set(actual["history"]) == set(expected["history"]), what
    for key, values in expected["history"].items():
        np.testing.assert_allclose(actual["history"][key], values, rtol=rtol, atol=1e-7,
                                   err_msg=f"{what}: history[{key!r}]")
    for key in ("evaluate", "predict"):
        if key in expected:
            got, want = actual[key], expected[key]
            if isinstance(want, dict):
                assert set(got) == set(want), what
                got, want = [got[k] for k in sorted(want)], [want[k] for k in sorted(want)]
            np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-7, err_msg=f"{what}: {key}")
    assert len(actual["weights"]) == len(expected["weights"]), what
    for i, (got, want) in enumerate(zip(actual["weights"], expected["weights"], strict=True)):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-7,
                                   err_msg=f"{what}: weight {i}")
