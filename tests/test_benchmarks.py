"""Smoke test of benchmarks/run.py: the orchestrator, two workers, the JSON and the table.

Runs only the jnet and flax-scan workers on the ``hello`` workload in ``--quick`` mode, each in
its own process, as ``make bench`` does. No timing thresholds: timings only need to exist and
be positive.
"""

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import jax
import numpy as np
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


# -- benchmarks/ops.py: the logic only (what is compared, the tables), never the timings --------


@pytest.fixture(scope="module")
def ops_bench():
    """benchmarks/ops.py as a module (under a name that cannot shadow anything)."""
    sys.path.insert(0, str(BENCHMARKS))  # it imports workloads
    spec = importlib.util.spec_from_file_location("bench_ops", BENCHMARKS / "ops.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ops"] = module  # dataclasses (Flax modules) look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("bench_ops", None)
        sys.path.remove(str(BENCHMARKS))


def test_ops_cases_compare_like_with_like(ops_bench):
    names = [case.name for case in ops_bench.CASES]
    assert len(names) == len(set(names)) == 20
    for name in ("conv", "max_pool", "top_k", "layer_normalization", "image.resize",
                 "linalg.solve", "einsum", "one_hot"):
        assert name in names
    # The reference layer norm broadcasts gamma as a user would: allow rank promotion here.
    with jax.numpy_rank_promotion("allow"):
        for case in ops_bench.CASES:
            args = ops_bench.case_inputs(case)
            mine, theirs = case.jnet(*args), case.jax(*args)
            mine_leaves, theirs_leaves = jax.tree.leaves(mine), jax.tree.leaves(theirs)
            assert len(mine_leaves) == len(theirs_leaves), case.name
            for a, b in zip(mine_leaves, theirs_leaves, strict=True):
                assert a.shape == b.shape and a.dtype == b.dtype, case.name
                np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=2e-5, atol=2e-5,
                                           err_msg=case.name)


def test_ops_worker_reports_both_sides_of_each_op(ops_bench):
    with jax.numpy_rank_promotion("allow"):  # JnpDense adds its bias as users write it
        result = ops_bench.run_ops_worker(quick=True, names=["add", "top_k"])
    assert result["ok"] and [r["op"] for r in result["rows"]] == ["add", "top_k"]
    for row in result["rows"]:
        for key in ("jnet_eager_us", "jax_eager_us", "jnet_jit_us", "jax_jit_us",
                    "jnet_compile_ms", "jax_compile_ms"):
            assert row[key] > 0, key
        assert row["eager_ratio"] == pytest.approx(row["jnet_eager_us"] / row["jax_eager_us"])
        assert row["jit_ratio"] == pytest.approx(row["jnet_jit_us"] / row["jax_jit_us"])
        # jnet.ops adds nothing to the compiled program
        assert row["same_program"] is True, row["op"]
    # the hidden layers' forward programs are the same; jnp.maximum's gradient differs
    assert result["layer_same_program"] == {"forward": True, "gradient": False}


def test_layer_written_with_ops_is_the_jax_numpy_layer(ops_bench):
    x = np.random.default_rng(0).random((64, 784), dtype=np.float32)
    y = np.arange(64, dtype=np.int32) % 10
    predictions, losses = {}, {}
    with jax.numpy_rank_promotion("allow"):  # JnpDense adds its bias as users write it
        for side in ops_bench.TRAIN_SIDES:
            model = ops_bench.build_model(side)
            model.set_weights(ops_bench.initial_weights())
            assert [w.shape for w in model.get_weights()] == [(784, 256), (256,), (256, 10),
                                                              (10,)]
            predictions[side] = model.predict(x, verbose=0)
            if side != "train-dense":
                history = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
                losses[side] = history.history["loss"][-1]
    for side in ("train-jnp", "train-dense"):
        np.testing.assert_allclose(predictions[side], predictions["train-ops"], rtol=1e-5)
    assert losses["train-jnp"] == pytest.approx(losses["train-ops"], rel=1e-5)
    with pytest.raises(ValueError, match="unknown training side"):
        ops_bench.build_model("train-torch")


def test_ops_report_tables(ops_bench):
    row = {"op": "add", "reference": "jnp.add", "ok": True, "shapes": [[2, 3], []],
           "jnet_eager_us": 30.0, "jax_eager_us": 20.0, "eager_ratio": 1.5,
           "jnet_jit_us": 10.0, "jax_jit_us": 10.0, "jit_ratio": 1.0, "same_program": True,
           "jnet_compile_ms": 5.0, "jax_compile_ms": 4.0}
    failed = {"op": "sort", "reference": "jnp.sort", "ok": False, "error": "ValueError: no"}
    slow = {**row, "op": "sum", "eager_ratio": 3.0, "jnet_eager_us": 60.0, "same_program": False}
    ops_result = {"worker": "ops", "rows": [row, failed, slow]}
    lines = ops_bench.render_ops(ops_result)
    assert lines[2] == ("| `add` | `jnp.add` | 2x3, scalar | 30.0 | 20.0 | 1.50x | 10.0 | 10.0 "
                        "| 1.00x | yes | 5.0 / 4.0 |")
    assert "**failed**: ValueError: no" in lines[3]
    assert lines[3].count("|") == lines[0].count("|")
    summary = ops_bench.summarize_ops(ops_result)
    assert summary == {"ops": 2, "same_program_jit_ratio_range": [1.0, 1.0],
                       "median_eager_ratio": 2.25, "median_jit_ratio": 1.0,
                       "median_eager_overhead_us": 25.0, "same_program": 1,
                       "slowest_eager": "sum"}
    train = {"worker": "train-jnp", "ok": True, "compile_s": 2.0, "times_s": [1.0, 2.0, 1.5],
             "median_s": 1.5, "samples_per_s": 40000.0, "final_loss": 2.3, "samples": 60000,
             "dispatch": ["scan"]}
    lines = ops_bench.render_training([{**train, "worker": "train-ops", "median_s": 1.65},
                                       train])
    assert lines[2].endswith("| 1.100x |") and "jnet.ops" in lines[2]
    assert lines[3].endswith("| 40,000 | 2.3 | scan | 1.000x |")
    report = {"command": "python benchmarks/ops.py", "date": "today",
              "machine": {"cpu_model": "cpu", "cpu_count": 2, "platform": "linux",
                          "python": "3.11", "jax": "0.10", "load_average_start": 1.0,
                          "load_average_end": 2.0},
              "results": [ops_result, train]}
    text = ops_bench.render(report)
    assert "median eager ratio 2.25x" in text and "1 of 2 compile to the same" in text
    assert "identical programs range from 1.00x to 1.00x" in text
    assert "load average: 1.00 before the run, 2.00 after" in text
    with pytest.raises(SystemExit):
        ops_bench.main(["--ops", "add,nope"])


def test_training_sides_alternate_and_merge(ops_bench):
    assert ops_bench.training_order(2) == ["train-ops", "train-jnp", "train-dense",
                                           "train-dense", "train-jnp", "train-ops"]
    run = {"worker": "train-ops", "ok": True, "samples": 600, "repeats": 2, "final_loss": 2.0,
           "dispatch": ["scan"], "process_s": 5.0}
    merged = ops_bench.merge_runs([{**run, "times_s": [1.0, 4.0], "compile_s": 3.0},
                                   {**run, "times_s": [2.0, 3.0], "compile_s": 5.0,
                                    "dispatch": ["step"]}])
    assert merged["times_s"] == [1.0, 4.0, 2.0, 3.0] and merged["median_s"] == 2.5
    assert merged["samples_per_s"] == 240.0 and merged["compile_s"] == 4.0
    assert merged["processes"] == 2 and merged["dispatch"] == ["scan", "step"]
    assert merged["process_s"] == 10.0 and merged["final_losses"] == [2.0, 2.0]
    failed = ops_bench.merge_runs([{**run, "times_s": [1.0], "compile_s": 1.0},
                                   {"worker": "train-ops", "ok": False, "error": "boom"}])
    assert failed["ok"] is False and failed["error"] == "boom"


def test_subclassing_bench_variants_train_alike():
    """benchmarks/subclassing.py --quick: the custom Layer and the custom JAX train_step
    train exactly as the Dense model with the built-in step (same weights in, same loss out),
    so the bench compares like with like."""
    spec = importlib.util.spec_from_file_location("bench_subclassing",
                                                  BENCHMARKS / "subclassing.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report = module.run(quick=True)
    rows = {r["variant"]: r for r in report["rows"]}
    assert list(rows) == ["dense", "custom-layer", "custom-step"]
    assert all(len(r["times_s"]) == 2 and r["median_s"] > 0 for r in rows.values())
    for name in ("custom-layer", "custom-step"):
        assert rows[name]["final_loss"] == pytest.approx(rows["dense"]["final_loss"], rel=1e-5)
    assert "| custom-step |" in module.table(report)



def test_time_to_result_programs_and_table():
    """benchmarks/time_to_result.py: every program is one source for every side (only the
    import differs) that compiles, and the table reports jnet against the fastest other side."""
    spec = importlib.util.spec_from_file_location("bench_ttr", BENCHMARKS / "time_to_result.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for program in module.PROGRAMS:
        sources = {lib: module.program_source(program, lib)
                   for lib in ("jnet", "tf-keras", "keras-jax")}
        assert len({s.split("\n", 2)[2] for s in sources.values()}) == 1, program
        for source in sources.values():
            compile(source, program, "exec")
    sides = ["jnet cold", "jnet warm", "tf-keras", "keras-jax"]
    results = {"hello": {"jnet cold": (3.0, "1"), "jnet warm": (2.0, "1"),
                         "tf-keras": (20.0, "1"), "keras-jax": (4.0, "1")}}
    text = module.table(results, sides, repeats=3)
    assert "| hello | 3.0 | 2.0 | 20.0 | 4.0 | 0.75 | 0.50 |" in text
