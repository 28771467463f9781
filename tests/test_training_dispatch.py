"""steps_per_execution='auto': the probe picks the faster dispatch, and remembers it."""

import time

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.training import dispatch


@pytest.fixture(autouse=True)
def fresh_decisions():
    dispatch.forget()
    before = jax.config.jax_compilation_cache_dir
    yield
    dispatch.forget()
    jax.config.update("jax_compilation_cache_dir", before)


def fake_chunk(cost_per_call, cost_per_step, calls):
    """A chunk function that sleeps: a fixed cost per dispatch plus a cost per step."""

    def run(state, data, idx):
        calls.append(int(idx.shape[0]))
        time.sleep(cost_per_call + cost_per_step * idx.shape[0])
        return state + 1.0, {}

    return run


def test_small_epochs_are_scanned_without_probing():
    calls = []
    chunk = fake_chunk(0.0, 0.0, calls)
    k = dispatch.choose("key", dispatch.MIN_BATCHES - 1, chunk, jnp.zeros(()), None, 4)
    assert k == dispatch.MIN_BATCHES - 1 and calls == []


@pytest.mark.parametrize("per_call,per_step,expected", [
    (0.004, 0.0, "scan"),    # dispatch overhead dominates: scan the epoch
    (0.0, 0.004, "scan"),    # equal work per step: the tie goes to the scan
])
def test_probe_prefers_the_scan_when_it_is_not_slower(per_call, per_step, expected):
    calls = []
    k = dispatch.choose("k1", 100, fake_chunk(per_call, per_step, calls), jnp.zeros(()),
                        None, 4)
    assert k == (100 if expected == "scan" else 1)
    assert dispatch.PROBE_STEPS in calls and 1 in calls


def test_probe_picks_single_steps_when_the_scan_is_slower():
    calls = []

    def chunk(state, data, idx):  # a scan that costs 3x per step (XLA:CPU's old conv case)
        calls.append(int(idx.shape[0]))
        time.sleep(0.002 * idx.shape[0] * (3 if idx.shape[0] > 1 else 1))
        return state + 1.0, {}

    assert dispatch.choose("k2", 100, chunk, jnp.zeros(()), None, 4) == 1
    calls.clear()
    assert dispatch.choose("k2", 100, chunk, jnp.zeros(()), None, 4) == 1
    assert calls == []  # remembered: no second probe


def test_the_real_state_is_not_touched_and_the_decision_is_persisted(tmp_path):
    jax.config.update("jax_compilation_cache_dir", str(tmp_path))
    calls = []
    state = jnp.zeros(3)
    dispatch.choose("k3", 100, fake_chunk(0.001, 0.0, calls), state, None, 4)
    np.testing.assert_array_equal(state, np.zeros(3))
    assert "k3" in (tmp_path / "dispatch.json").read_text()
    dispatch.forget()  # a new process: the decision comes from the file
    calls.clear()
    assert dispatch.choose("k3", 100, fake_chunk(0.001, 0.0, calls), state, None, 4) == 100
    assert calls == []


def test_fit_with_auto_probe_trains_like_one_step_per_dispatch(rng):
    x = rng.normal(size=(dispatch.MIN_BATCHES * 8 + 3, 5)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)

    def run(steps_per_execution):
        jnet.utils.set_random_seed(1)
        model = jnet.Sequential([jnet.layers.Dense(4, activation="relu", input_shape=(5,)),
                                 jnet.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      steps_per_execution=steps_per_execution)
        return model.fit(x, y, batch_size=8, epochs=2, verbose=0).history["loss"]

    auto = run("auto")
    assert len(dispatch.decisions()) == 1  # the probe ran
    np.testing.assert_allclose(auto, run(1), rtol=1e-6)
