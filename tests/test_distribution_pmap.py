"""jnet.distribution's pieces: the pmap helpers, the pmapped steps' reductions, and the
DataParallel / set_distribution / scope API.

The cross-device numbers need several devices, so the reduction cases run in a subprocess
with 8 simulated CPU devices (tests/distribution_worker.py); the rest run here on one.
"""

import jax
import numpy as np
import pytest
from _distribution import run_worker

import jnet
from jnet import distribution as dist_lib
from jnet.training import TrainState, eval_step, train_step


def _state():
    jnet.utils.set_random_seed(0)
    model = jnet.Sequential([jnet.layers.Dense(3, input_shape=(4,)), jnet.layers.Dense(1)])
    return model, TrainState.create(model, optimizer="sgd", loss="mse", metrics=["mae"],
                                    rng=jax.random.key(0))


def _batch(rng, n=8):
    return (rng.normal(size=(n, 4)).astype(np.float32),
            rng.normal(size=(n, 1)).astype(np.float32))


def test_replicate_shard_unreplicate_shapes():
    devices = jax.local_devices()
    n = len(devices)
    tree = {"w": np.ones((2, 3), np.float32), "b": np.zeros(3, np.float32)}
    replicated = dist_lib.replicate(tree)
    assert replicated["w"].shape == (n, 2, 3)
    assert dist_lib.unreplicate(replicated)["w"].shape == (2, 3)
    x = np.arange(4 * n * 2, dtype=np.float32).reshape(4 * n, 2)
    sharded = dist_lib.shard_batch((x, None))
    assert sharded[0].shape == (n, 4, 2) and sharded[1] is None
    np.testing.assert_array_equal(np.asarray(sharded[0]).reshape(4 * n, 2), x)


def test_shard_batch_rejects_ragged_arrays():
    with pytest.raises(ValueError, match="leading"):
        dist_lib.shard_batch((np.zeros((4, 2)), np.zeros((3, 1))))


def test_pmapped_steps_on_one_device_equal_the_plain_steps(rng):
    _, state = _state()
    batch = _batch(rng)
    single, logs = jax.jit(train_step)(state, batch)
    step = jax.pmap(lambda s, b: train_step(s, b, axis_name="batch"), axis_name="batch")
    states, plogs = step(dist_lib.replicate(state), dist_lib.shard_batch(batch))
    for a, b in zip(jax.tree_util.tree_leaves(single.params),
                    jax.tree_util.tree_leaves(dist_lib.unreplicate(states).params), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-6)
    assert float(plogs["loss"][0]) == pytest.approx(float(logs["loss"]), rel=1e-6)
    evaluate = jax.pmap(lambda s, b: eval_step(s, b, axis_name="batch"), axis_name="batch")
    _, elogs = evaluate(states, dist_lib.shard_batch(batch))
    _, single_elogs = jax.jit(eval_step)(single, batch)
    assert float(elogs["mae"][0]) == pytest.approx(float(single_elogs["mae"]), rel=1e-6)


def test_pmapped_step_matches_one_device_for_every_loss_reduction():
    """8 devices: 'sum' adds the devices' losses, 'mean_with_sample_weight' weighs each by
    its sum of weights, 'sum_over_batch_size' by its rows."""
    result = run_worker("reductions")
    assert set(result) == {"sum_over_batch_size", "sum", "mean_with_sample_weight"}
    for reduction, numbers in result.items():
        for key, value in numbers["single"].items():
            assert numbers["pmap"][key] == pytest.approx(value, rel=1e-5), (reduction, key)
        for a, b in zip(numbers["params_single"], numbers["params_pmap"], strict=True):
            np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-7, err_msg=reduction)


def test_shard_batch_uneven_error_names_the_fix():
    result = run_worker("errors")
    assert result["type"] == "JnetValueError"
    message = result["error"]
    assert "12 rows" in message and "8 devices" in message
    assert "multiple of 8" in message and "DataParallel" in message


def test_set_distribution_scope_and_getter():
    assert dist_lib.distribution() is None
    dist = dist_lib.DataParallel()
    assert dist.num_devices == len(jax.devices()) and dist.batch_axis == "batch"
    with dist.scope() as active:
        assert active is dist and dist_lib.distribution() is dist
    assert dist_lib.distribution() is None
    dist_lib.set_distribution(dist)
    try:
        assert dist_lib.distribution() is dist
    finally:
        dist_lib.set_distribution(None)
    assert dist_lib.distribution() is None


def test_bad_arguments_raise_jnet_errors():
    with pytest.raises(TypeError, match="DataParallel, ModelParallel or None"):
        dist_lib.set_distribution("data_parallel")
    with pytest.raises(ValueError, match="at least one device"):
        dist_lib.DataParallel(devices=[])
    with pytest.raises(TypeError, match="device_mesh"):
        dist_lib.DataParallel(device_mesh="mesh")
    with pytest.raises(ValueError, match="holds 4 devices"):
        dist_lib.DeviceMesh((4,), ["batch"], jax.devices()[:1])
    with pytest.raises(ValueError, match="same"):
        dist_lib.DeviceMesh((1,), ["batch", "model"])


def test_device_mesh_drives_data_parallel():
    mesh = dist_lib.DeviceMesh((1,), ["data"], jax.devices()[:1])
    dist = dist_lib.DataParallel(device_mesh=mesh)
    assert dist.batch_axis == "data" and dist.num_devices == 1


def test_fit_under_data_parallel_on_one_device_equals_plain_fit(rng):
    x, y = _batch(rng, 30)

    def train(distribution):
        jnet.utils.set_random_seed(0)
        model = jnet.Sequential([jnet.layers.Dense(3, input_shape=(4,)), jnet.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        if distribution is None:
            history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
            return history.history, model.get_weights(), model.predict(x, verbose=0)
        with distribution.scope():
            history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
            return history.history, model.get_weights(), model.predict(x, verbose=0)

    plain = train(None)
    parallel = train(dist_lib.DataParallel())
    for key in plain[0]:
        np.testing.assert_allclose(parallel[0][key], plain[0][key], rtol=1e-6)
    for a, b in zip(parallel[1], plain[1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(parallel[2], plain[2], rtol=1e-6, atol=1e-7)


def test_public_surface():
    assert jnet.distribution is dist_lib
    assert set(dist_lib.__all__) == {
        "DataParallel", "DeviceMesh", "Distribution", "LayoutMap", "ModelParallel",
        "TensorLayout", "distribute_tensor", "distribution", "get_device_count", "initialize",
        "list_devices", "replicate", "set_distribution", "shard_batch", "unreplicate",
    }
    assert dist_lib.list_devices() == jax.devices()
