"""Smoke test of benchmarks/run.py: the orchestrator, two workers, the JSON and the table.

Runs only the jnet and flax-scan workers on the ``hello`` workload in ``--quick`` mode, each in
its own process, as ``make bench`` does. No timing thresholds: timings only need to exist and
be positive.
"""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
RUN = BENCHMARKS / "run.py"


@pytest.fixture(scope="module")
def run_module():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("run")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def quick_hello(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--only", "jnet,flax-scan", "--workloads", "hello",
         "--output-dir", str(out), "--timeout", "120"],
        capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_workers_report_positive_timings(quick_hello):
    out, _ = quick_hello
    report = json.loads((out / "hello.json").read_text())
    results = {r["side"]: r for r in report["results"]}
    assert sorted(results) == ["flax-scan", "jnet"]
    for side, r in results.items():
        assert r["ok"], (side, r.get("error"), r.get("traceback"))
        assert r["workload"] == "hello" and r["quick"] is True
        assert len(r["times_s"]) == r["repeats"] == 2
        assert all(t > 0 for t in r["times_s"])
        assert r["compile_s"] > 0 and r["median_s"] > 0 and r["samples_per_s"] > 0
        assert r["median_epoch_s"] == pytest.approx(r["median_s"] / r["epochs_per_fit"])
    # Same data, same initial weights, full-batch SGD: both sides train to the same loss.
    assert results["jnet"]["final_loss"] == pytest.approx(
        results["flax-scan"]["final_loss"], rel=1e-3
    )
    # ... and the unshuffled run from the same weights agrees to float32 round-off.
    assert results["jnet"]["agreement_loss"] == pytest.approx(
        results["flax-scan"]["agreement_loss"], rel=1e-5
    )
    assert all(r["peak_rss_mb"] > 10 for r in results.values())
    assert (out / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert report["machine"]["cpu_count"] >= 1
    assert "jax" in report["machine"]["versions"]


def test_orchestrator_prints_and_writes_the_table(quick_hello):
    out, proc = quick_hello
    table = (out / "latest.md").read_text()
    assert table.strip() in proc.stdout
    assert "## Summary" in table
    assert "## hello" in table and "## mlp" not in table
    assert "| jnet |" in table and "| flax-scan |" in table and "1.00x" in table
    assert "CPUs" in table


def test_worker_prints_one_json_line_and_fails_soft(run_module):
    ok = {"side": "jnet", "workload": "hello", "ok": True, "samples": 6, "warmup_epochs": 5,
          "epochs_per_fit": 100, "times_s": [0.2, 0.1], "median_s": 0.15,
          "median_epoch_s": 0.0015, "samples_per_s": 4000.0, "compile_s": 1.0,
          "final_loss": 0.5, "agreement_loss": 0.25, "peak_rss_mb": 300.0}
    failed = {"side": "tf-keras", "workload": "hello", "ok": False,
              "error": "ModuleNotFoundError: No module named 'tensorflow'"}
    lines = run_module.render_table("hello", [ok, failed])
    assert lines[2].startswith("| jnet | 1 s | 0.15 s | 0.2, 0.1 s | 1.5 ms |")
    assert "| 0.25 | 300 MB | 1.00x |" in lines[2]
    assert "**failed**: ModuleNotFoundError" in lines[3]
    assert lines[3].count("|") == lines[0].count("|")
    assert run_module._last_json_line('noise\n{"a": 1}\nmore noise\n') == {"a": 1}
    assert run_module._last_json_line("no json here") is None


def test_unknown_side_is_rejected():
    proc = subprocess.run(
        [sys.executable, str(RUN), "--only", "jnet,pytorch"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "unknown side" in proc.stderr and "flax-scan" in proc.stderr
