"""Muon, ScheduleFreeAdamW and MultiOptimizer against real Keras (TensorFlow backend).

One table drives the same optimizer over the same weights (Keras's variable paths, the same
initial values and gradients) in Keras and in jnet for 6 steps; every weight must agree to
1e-5 (float32). One ``fit`` compares a compiled model's losses and weights with Keras's.

Embeddings are absent from the fit on purpose: Keras's TensorFlow backend feeds an embedding's
gradient to the optimizer as ``IndexedSlices`` with repeated rows, and an update that is not
linear in the gradient (Adam's ``g**2``) then differs from Keras's own JAX backend, which
jnet follows (dense gradients).
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jnet
import jnet.optimizers as jo

# Keras's variable paths: an embedding, a hidden and an output Dense, and a 3-D kernel, so
# that Muon sends the embedding, the biases, the 3-D kernel and the excluded output layer to
# AdamW and only the hidden kernel to Newton-Schulz.
SHAPES = {
    "token_embedding/embeddings": (10, 3), "hidden/kernel": (12, 8), "hidden/bias": (8,),
    "out/kernel": (8, 1), "out/bias": (1,), "conv/kernel": (3, 2, 4),
}
STEPS = 6  # 3 steps x 2 epochs


def _multi(lib, by_callable):
    if by_callable:
        return lib.optimizers.MultiOptimizer(
            lambda v: lib.optimizers.Adam(0.01) if "hidden" in v.path
            else lib.optimizers.SGD(0.05, momentum=0.5))
    optimizer_map = lib.optimizers.OptimizerMap(lib.optimizers.SGD(0.05))
    optimizer_map["hidden/.*"] = lib.optimizers.Adam(0.01)
    optimizer_map["out/kernel"] = lib.optimizers.Lion(0.003)
    return lib.optimizers.MultiOptimizer(optimizer_map, loss_scale_factor=2.0)


OPTIMIZERS = {
    "muon": lambda lib: lib.optimizers.Muon(learning_rate=0.02, exclude_layers=["out"]),
    "muon-variant": lambda lib: lib.optimizers.Muon(
        learning_rate=lib.optimizers.schedules.ExponentialDecay(0.02, 2, 0.5), clipnorm=0.5,
        rms_rate=None, nesterov=False, weight_decay=0.1, adam_weight_decay=None,
        adam_lr_ratio=0.5, exclude_embeddings=False, ns_steps=3),
    "multi-map": lambda lib: _multi(lib, False),
    "multi-callable": lambda lib: _multi(lib, True),
}


@pytest.fixture(scope="module")
def trajectory_data():
    rng = np.random.default_rng(0)
    initial = {k: rng.normal(size=s).astype(np.float32) for k, s in SHAPES.items()}
    grads = [{k: rng.normal(size=s).astype(np.float32) for k, s in SHAPES.items()}
             for _ in range(STEPS)]
    return initial, grads


def _keras_variables(keras, initial):
    variables = {}
    for path, value in initial.items():
        scope, name = path.split("/")
        with keras.name_scope(scope):
            variables[path] = keras.Variable(value, name=name)
        assert variables[path].path == path
    return variables


@pytest.mark.parametrize("case", list(OPTIMIZERS))
def test_trajectory_matches_keras(keras, trajectory_data, case):
    """6 steps on Keras's variable paths: every weight within 1e-5 of Keras's (float32)."""
    initial, grads = trajectory_data
    kvars = _keras_variables(keras, initial)
    kopt = OPTIMIZERS[case](keras)
    tx = OPTIMIZERS[case](jnet).build()
    params = {scope: {} for scope in {p.split("/")[0] for p in SHAPES}}
    for path, value in initial.items():
        scope, name = path.split("/")
        params[scope][name] = jnp.asarray(value)
    state = tx.init(params)
    update = jax.jit(tx.update)
    for g in grads:
        kopt.apply([g[p] for p in kvars], list(kvars.values()))
        jgrads = jax.tree.map(lambda x: x, params)
        for path, value in g.items():
            scope, name = path.split("/")
            jgrads[scope][name] = jnp.asarray(value)
        updates, state = update(jgrads, state, params)
        params = optax.apply_updates(params, updates)
    for path, kvar in kvars.items():
        scope, name = path.split("/")
        moved = np.abs(np.asarray(kvar) - initial[path]).max()
        assert moved > 1e-3, path  # every weight trained: a group left out would not compare
        np.testing.assert_allclose(params[scope][name], np.asarray(kvar), rtol=1e-5, atol=1e-6,
                                   err_msg=path)


def _schedule_free_reference(initial, grads, lr, warmup_steps, weight_decay, aliased):
    """Schedule-Free AdamW in numpy, in Keras's order of operations. ``aliased``: the
    TensorFlow backend's reading of ``momentum.value`` after the momentum's update."""
    f = np.float32
    out = {}
    for path, y in initial.items():
        z, v = y.copy(), np.zeros_like(y)
        for t, g in enumerate((step[path] for step in grads), 1):
            t, lr_t = f(t), f(lr)
            if weight_decay:
                y = y - y * f(weight_decay) * lr_t
            if warmup_steps:
                lr_t = lr_t * np.minimum(t / f(warmup_steps), f(1))
            v = v + (g * g - v) * (f(1) - f(0.999))
            z_new = z - lr_t * g / (np.sqrt(v / (f(1) - f(0.999) ** t)) + f(1e-8))
            x = (y - (f(1) - f(0.9)) * (z_new if aliased else z)) / f(0.9)
            x = (f(1) - f(1) / t) * x + (f(1) / t) * z_new
            y, z = (f(1) - f(0.9)) * z_new + f(0.9) * x, z_new
        out[path] = y
    return out


@pytest.mark.parametrize("lr,warmup_steps,weight_decay", [(0.01, 0, None), (0.01, 4, 0.05)])
def test_schedule_free_follows_the_algorithm(keras, trajectory_data, lr, warmup_steps,
                                             weight_decay):
    """jnet follows the algorithm (Keras's JAX backend); Keras's TensorFlow backend reads the
    momentum after updating it, and the same reference with that one change gives its
    numbers: that is the only difference."""
    initial, grads = trajectory_data
    kwargs = {"learning_rate": lr, "warmup_steps": warmup_steps, "weight_decay": weight_decay}
    kvars = _keras_variables(keras, initial)
    kopt = keras.optimizers.ScheduleFreeAdamW(**kwargs)
    for g in grads:
        kopt.apply([g[p] for p in kvars], list(kvars.values()))
    tx = jnet.optimizers.ScheduleFreeAdamW(**kwargs).build()
    params = {p: jnp.asarray(v) for p, v in initial.items()}
    state, update = tx.init(params), jax.jit(tx.update)
    for g in grads:
        updates, state = update(g, state, params)
        params = optax.apply_updates(params, updates)
    reference = _schedule_free_reference(initial, grads, lr, warmup_steps, weight_decay, False)
    tf_reference = _schedule_free_reference(initial, grads, lr, warmup_steps, weight_decay, True)
    for path, kvar in kvars.items():
        np.testing.assert_allclose(params[path], reference[path], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(tf_reference[path], np.asarray(kvar), rtol=1e-5, atol=1e-6)
        assert np.abs(reference[path] - tf_reference[path]).max() > 1e-4


def test_compile_and_fit_match_keras(keras):
    """``compile(optimizer=Muon(...))`` and by string: Keras's losses in ``fit``, 3 x 2."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(48, 5)).astype(np.float32)
    y = x[:, :1] * 0.5 - x[:, 1:2]

    def model(lib):
        return lib.Sequential([lib.Input((5,)), lib.layers.Dense(6, name="hidden"),
                               lib.layers.Dense(1, name="out")])

    keras.utils.set_random_seed(0)
    kmodel, jmodel, jstring = model(keras), model(jnet), model(jnet)
    kmodel.compile(optimizer=keras.optimizers.Muon(0.02, exclude_layers=["out"]), loss="mse")
    jmodel.compile(optimizer=jnet.optimizers.Muon(0.02, exclude_layers=["out"]), loss="mse")
    jstring.compile(optimizer="schedulefreeadamw", loss="mse")
    assert isinstance(jstring.optimizer, jnet.optimizers.ScheduleFreeAdamW)
    jmodel.set_weights(kmodel.get_weights())
    kh = kmodel.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-5, atol=1e-6)
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", ["muon", "multi-map"])
def test_config_round_trip(keras, case):
    jopt = OPTIMIZERS[case](jnet)
    config = jo.serialize(jopt)
    again = jo.deserialize(config)
    assert type(again) is type(jopt)
    assert jo.serialize(again) == config
    kconfig = OPTIMIZERS[case](keras).get_config()
    if case == "multi-map":  # Keras's keys, the sub-optimizers by class and rate
        assert set(config["config"]) == set(kconfig)
        kmap = kconfig["optimizer_map"]["config"]
        jmap = config["config"]["optimizer_map"]["config"]
        assert set(jmap["optimizer_map"]) == set(kmap["optimizer_map"])
        assert jmap["default_optimizer"]["class_name"] == "SGD"
        return
    kconfig.pop("name")
    jconfig = dict(config["config"])
    jconfig.pop("name")
    assert jconfig.pop("learning_rate") == pytest.approx(kconfig.pop("learning_rate"))
    assert jconfig == {k: kconfig[k] for k in jconfig}
    assert set(jconfig) == set(kconfig)


def test_muon_assignment_follows_keras():
    uses_adamw = jo._muon.muon_uses_adamw
    assert not uses_adamw("hidden/kernel", (3, 4))
    assert uses_adamw("hidden/bias", (4,))
    assert uses_adamw("conv/kernel", (3, 3, 1, 2))  # Keras: only rank 2 goes to Muon
    assert uses_adamw("token_Embedding/embeddings", (10, 3))
    assert not uses_adamw("token_embedding/embeddings", (10, 3), exclude_embeddings=False)
    assert uses_adamw("block_1/out/kernel", (3, 1), exclude_layers=["out"])
    state = jo.Muon().build().init({"hidden": {"kernel": np.ones((3, 4), np.float32)},
                                    "out": {"bias": np.ones(1, np.float32)}})
    assert state.slots.velocities["hidden"]["kernel"] is None  # as Keras: Muon has no velocity
    assert state.slots.velocities["out"]["bias"].shape == (1,)


def test_multi_optimizer_rules():
    sgd, adam = jo.SGD(), jo.Adam()
    optimizer_map = jo.OptimizerMap(sgd, {"a/.*": adam, "a/b.*": jo.Lion()})
    with pytest.raises(ValueError, match="Multiple optimizers assigned"):
        optimizer_map["a/bias"]
    with pytest.raises(ValueError, match="duplicated keys"):
        optimizer_map["a/.*"] = sgd
    with pytest.raises(ValueError, match="LossScaleOptimizer cannot be used inside"):
        optimizer_map["c"] = jo.LossScaleOptimizer(jo.SGD())
    with pytest.raises(TypeError, match="default_optimizer"):
        jo.OptimizerMap("sgd")
    multi = jo.MultiOptimizer(jo.OptimizerMap(sgd, {"x": adam}), loss_scale_factor=2.0)
    assert multi.optimizers == [adam, sgd] and sgd.loss_scale_factor == 2.0
    with pytest.raises(AttributeError, match="individual sub-optimizers"):
        _ = multi.learning_rate
    with pytest.raises(TypeError, match="optimizer_map"):
        jo.MultiOptimizer("sgd")
    tx = jo.MultiOptimizer(lambda v: "adam").build()
    with pytest.raises(TypeError, match="must be a jnet optimizer"):
        tx.init({"w": np.ones(2, np.float32)})


@pytest.mark.parametrize("kwargs,match", [
    ({"ns_steps": -1}, "ns_steps"),
    ({"exclude_layers": "out"}, "exclude_layers"),
    ({"momentum": 1.0}, "momentum"),
])
def test_muon_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        jo.Muon(**kwargs)


def test_schedule_free_bad_arguments():
    with pytest.raises(ValueError, match="warmup_steps"):
        jo.ScheduleFreeAdamW(warmup_steps=-2)
    with pytest.raises(ValueError, match="beta_1"):
        jo.ScheduleFreeAdamW(beta_1=0.0)
