"""The persistent compilation cache: a second run of the same script loads its train step."""

import json
import os
import subprocess
import sys

import jax

import jnet

SCRIPT = r"""
import json, jax, numpy as np
hits = []
jax.monitoring.register_event_listener(
    lambda event, **kw: hits.append(event) if event.endswith("cache_hits") else None)
import jnet
model = jnet.Sequential([jnet.layers.Dense(8, activation="relu", input_shape=(4,)),
                         jnet.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
x = np.linspace(0, 1, 64 * 4, dtype=np.float32).reshape(64, 4)
model.fit(x, x.sum(1), epochs=2, batch_size=16, verbose=0)
print(json.dumps({"dir": jnet.compilation_cache.cache_dir(), "hits": len(hits)}))
"""


def _run(env):
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("JNET_COMPILATION_CACHE", "JAX_COMPILATION_CACHE_DIR")}
    env.update(extra)
    return env


def test_second_run_loads_the_train_step_from_the_cache(tmp_path):
    env = _env(JNET_COMPILATION_CACHE_DIR=str(tmp_path),
               JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0")
    first = _run(env)
    assert first["dir"] == str(tmp_path)
    stored = [p.name for p in tmp_path.iterdir()]
    assert any(name.startswith("jit_train_chunk") for name in stored), stored
    second = _run(env)
    assert second["hits"] >= 1


def test_switched_off_by_environment(tmp_path):
    out = _run(_env(JNET_COMPILATION_CACHE="0", JNET_COMPILATION_CACHE_DIR=str(tmp_path)))
    assert out["dir"] is None
    assert list(tmp_path.iterdir()) == []


def test_a_cache_chosen_by_the_program_is_kept(tmp_path):
    out = _run(_env(JAX_COMPILATION_CACHE_DIR=str(tmp_path / "mine"),
                    JNET_COMPILATION_CACHE_DIR=str(tmp_path / "jnet")))
    assert out["dir"] == str(tmp_path / "mine")


def test_enable_and_disable_in_process(tmp_path):
    before = jax.config.jax_compilation_cache_dir
    try:
        assert jnet.compilation_cache.enable(tmp_path / "c") == str(tmp_path / "c")
        assert jnet.compilation_cache.cache_dir() == str(tmp_path / "c")
        jnet.compilation_cache.disable()
        assert jnet.compilation_cache.cache_dir() is None
    finally:
        jax.config.update("jax_compilation_cache_dir", before)
