"""``keras.distribution``'s layout API on one device: ``DeviceMesh``, ``TensorLayout``,
``LayoutMap`` (Keras 3's matching rules), ``ModelParallel``, ``distribute_tensor``,
``get_device_count`` and their errors. The sharded runs on 8 devices are in
tests/test_distribution_devices.py.
"""

import jax
import numpy as np
import pytest
from jax.sharding import PartitionSpec as P

import jnet
from jnet import distribution as dist_lib
from jnet import errors


@pytest.fixture(scope="module")
def mesh():
    return dist_lib.DeviceMesh((1, 1), ["batch", "model"], jax.devices()[:1])


def test_layout_map_matches_as_keras(mesh):
    layout_map = dist_lib.LayoutMap(mesh)
    layout_map[".*dense.*kernel"] = (None, "model")
    layout_map[".*dense.*bias"] = ["model"]
    layout_map["multi_head_attention/query/kernel"] = dist_lib.TensorLayout((None, "model", None))
    assert len(layout_map) == 3 and list(layout_map)[0] == ".*dense.*kernel"
    # Keras's own examples (LayoutMap docstring): the whole path must match (re.fullmatch).
    assert layout_map["sequential/dense_1/kernel"].axes == (None, "model")
    assert layout_map["dense_1/bias"].axes == ("model",)
    assert layout_map["my_model/conv3d_1/kernel"] is None
    assert layout_map["sequential/dense/kernel_x"] is None  # fullmatch, not search
    assert layout_map["multi_head_attention/query/kernel"].device_mesh is mesh
    assert isinstance(layout_map["dense/bias"], dist_lib.TensorLayout)
    layout_map["dense/kernel"] = ("model", None)  # an exact key wins over the regexes
    assert layout_map["dense/kernel"].axes == ("model", None)
    layout_map["sequential/.*"] = (None,)
    with pytest.raises(errors.JnetValueError, match="matches several keys"):
        layout_map["sequential/dense_1/bias"]
    del layout_map["sequential/.*"]
    with pytest.raises(errors.JnetValueError, match="already set"):
        layout_map[".*dense.*bias"] = ("model",)


@pytest.mark.parametrize("make, error, match", [
    (lambda m: dist_lib.TensorLayout((None, "modle"), m), errors.JnetValueError,
     r"name \['modle'\].*its axes are \['batch', 'model'\]"),
    (lambda m: dist_lib.TensorLayout("model", m), errors.JnetTypeError, "tuple of mesh axis"),
    (lambda m: dist_lib.LayoutMap(m.jax_mesh), errors.JnetTypeError,
     "device_mesh must be a jnet.distribution.DeviceMesh, received"),
    (lambda m: dist_lib.TensorLayout((None,), "mesh"), errors.JnetTypeError, "DeviceMesh"),
    (lambda m: dist_lib.ModelParallel(), errors.JnetValueError, "needs layout_map"),
    (lambda m: dist_lib.ModelParallel(layout_map={"dense": (None,)}), errors.JnetTypeError,
     "layout_map must be a jnet.distribution.LayoutMap, received"),
    (lambda m: dist_lib.ModelParallel(layout_map=dist_lib.LayoutMap(m), batch_dim_name="x"),
     errors.JnetValueError, r"batch_dim_name must name an axis.*received 'x'"),
    (lambda m: dist_lib.ModelParallel(layout_map=dist_lib.LayoutMap(m), devices=[1]),
     errors.JnetTypeError, "unknown keyword"),
    (lambda m: dist_lib.ModelParallel(
        layout_map=dist_lib.LayoutMap(m),
        device_mesh=dist_lib.DeviceMesh((1,), ["b"], jax.devices()[:1])),
     errors.JnetValueError, "not the layout map's mesh"),
    (lambda m: dist_lib.distribute_tensor(np.ones(3), (None,)), errors.JnetTypeError,
     "layout must be"),
    (lambda m: dist_lib.distribute_tensor(np.ones(3), dist_lib.TensorLayout((None,))),
     errors.JnetValueError, "has no device mesh"),
    (lambda m: dist_lib.DeviceMesh((1, 1), ["a", "a"], jax.devices()[:1]),
     errors.JnetValueError, "distinct"),
])
def test_bad_arguments_are_named(mesh, make, error, match):
    with pytest.raises(error, match=match):
        make(mesh)


def test_model_parallel_places_weights_and_slots_and_equals_plain_fit(mesh):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 3)).astype(np.float32)
    y = rng.normal(size=(20, 4)).astype(np.float32)

    def train(distribution):
        jnet.utils.set_random_seed(0)
        model = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,), name="dense"),
                                 jnet.layers.Dense(4, name="out")], name="sequential")
        model.compile(optimizer="adam", loss="mse")
        if distribution is None:
            history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
            return history.history["loss"], model.get_weights(), model.predict(x, verbose=0)
        with distribution.scope():
            history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
            out = history.history["loss"], model.get_weights(), model.predict(x, verbose=0)
            evaluated = model.evaluate(x, y, verbose=0)
            state = model._train_state
        np.testing.assert_allclose(evaluated, model.evaluate(x, y, verbose=0), rtol=1e-6)
        return (*out, state)

    layout_map = dist_lib.LayoutMap(mesh)
    layout_map["sequential/dense/kernel"] = ("model", None)  # Keras's variable.path
    plain = train(None)
    dist = dist_lib.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    assert (dist.batch_dim_name, dist.num_model_replicas, dist.device_mesh) == ("batch", 1, mesh)
    parallel = train(dist)
    np.testing.assert_allclose(parallel[0], plain[0], rtol=1e-6)
    for a, b in zip(parallel[1], plain[1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(parallel[2], plain[2], rtol=1e-6, atol=1e-7)
    # On one device JAX reports every sharding as P(); the layouts themselves, and the mesh
    # every weight and slot was put on (the 8-device specs: tests/test_distribution_devices.py):
    assert dist.variable_sharding("sequential/dense/kernel", (3, 4)).spec == P("model", None)
    assert dist.variable_sharding("sequential/out/kernel", (4, 4)).spec == P()
    state = parallel[3]
    for leaf in jax.tree_util.tree_leaves((state.params, state.opt_state)):
        assert leaf.sharding.mesh.axis_names == ("batch", "model")


def test_distribute_tensor_outside_and_inside_jit(mesh):
    layout = dist_lib.TensorLayout((None, "model"), mesh)
    out = dist_lib.distribute_tensor(np.ones((2, 4), np.float32), layout)
    assert out.sharding.spec == jax.sharding.PartitionSpec(None, "model")
    inside = jax.jit(lambda a: dist_lib.distribute_tensor(a * 2, layout.sharding))(out)
    np.testing.assert_array_equal(inside, 2 * np.ones((2, 4)))
    assert dist_lib.get_device_count() == len(jax.devices())
    assert dist_lib.get_device_count("cpu") == len(jax.devices("cpu"))
