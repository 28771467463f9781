"""jnet.optimizers against real Keras (TensorFlow backend).

Reference numbers come from Keras's own ``optimizer.apply_gradients`` on ``keras.Variable``s,
run step by step next to jnet's jitted ``tx.update`` + ``optax.apply_updates``. jnet follows
Keras's order of operations and keeps XLA from fusing multiply-adds, so most trajectories are
bit-exact; the few that cannot be (reductions in clipping, decoupled weight decay expressed
as ``p + u``) are compared within rtol 1e-6.
"""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from jnet import errors
from jnet import optimizers as jo

SHAPES = [(3, 4), (4,), (1,)]
STEPS = 20

# (id, class name shared by keras.optimizers and jnet.optimizers, kwargs, bit-exact?)
PARITY_CASES = [
    ("sgd", "SGD", {"learning_rate": 0.1}, True),
    ("sgd_momentum", "SGD", {"learning_rate": 0.1, "momentum": 0.9}, True),
    ("sgd_nesterov", "SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}, True),
    ("sgd_nesterov_no_momentum", "SGD", {"learning_rate": 0.1, "nesterov": True}, True),
    ("adam", "Adam", {"learning_rate": 0.01}, True),
    ("adam_amsgrad", "Adam", {"learning_rate": 0.01, "amsgrad": True}, True),
    (
        "adam_betas_eps",
        "Adam",
        {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4},
        True,
    ),
    ("adam_defaults", "Adam", {}, True),
    ("rmsprop", "RMSprop", {"learning_rate": 0.01}, True),
    ("rmsprop_momentum", "RMSprop", {"learning_rate": 0.01, "momentum": 0.9}, True),
    ("rmsprop_centered", "RMSprop", {"learning_rate": 0.01, "centered": True}, True),
    (
        "rmsprop_centered_momentum",
        "RMSprop",
        {"learning_rate": 0.01, "momentum": 0.9, "centered": True, "rho": 0.8},
        True,
    ),
    ("adam_clipvalue", "Adam", {"learning_rate": 0.01, "clipvalue": 0.5}, True),
    ("sgd_loss_scale", "SGD", {"learning_rate": 0.1, "loss_scale_factor": 8.0}, True),
    # Reductions: TF's Eigen and XLA sum the squares in different orders.
    ("adam_clipnorm", "Adam", {"learning_rate": 0.01, "clipnorm": 1.0}, False),
    ("adam_global_clipnorm", "Adam", {"learning_rate": 0.01, "global_clipnorm": 1.0}, False),
    # Keras decays w first, then steps; p + u can only round to that when |u| is small vs |p|.
    (
        "sgd_weight_decay",
        "SGD",
        {"learning_rate": 0.1, "momentum": 0.5, "weight_decay": 0.1},
        False,
    ),
    ("adamw", "AdamW", {"learning_rate": 0.01, "weight_decay": 0.1}, False),
    ("rmsprop_weight_decay", "RMSprop", {"learning_rate": 0.01, "weight_decay": 0.05}, False),
]


def _data(rng, steps=STEPS):
    init = [rng.normal(size=s).astype(np.float32) for s in SHAPES]
    grads = [[rng.normal(size=s).astype(np.float32) for s in SHAPES] for _ in range(steps)]
    return init, grads


def _keras_trajectory(keras, optimizer, init, grads, before_step=None):
    """Weights after every step of Keras's apply_gradients."""
    import tensorflow as tf

    variables = [keras.Variable(x) for x in init]
    out = []
    for t, step_grads in enumerate(grads):
        if before_step is not None:
            before_step(t, optimizer)
        optimizer.apply_gradients(zip([tf.constant(g) for g in step_grads], variables, strict=True))
        out.append([v.numpy() for v in variables])
    return out


def _jitted_step(tx):
    def step(grads, state, params):
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    return jax.jit(step)


def _jnet_trajectory(tx, init, grads, before_step=None):
    """Params after every step of jnet's jitted update + optax.apply_updates."""
    params = [jnp.asarray(x) for x in init]
    state = tx.init(params)
    step = _jitted_step(tx)
    out = []
    for t, step_grads in enumerate(grads):
        if before_step is not None:
            state = before_step(t, state)
        params, state = step([jnp.asarray(g) for g in step_grads], state, params)
        out.append([np.asarray(p) for p in params])
    return out, state


def _assert_trajectories(expected, actual, exact):
    for t, (k_step, j_step) in enumerate(zip(expected, actual, strict=True)):
        for i, (k, j) in enumerate(zip(k_step, j_step, strict=True)):
            assert j.dtype == k.dtype and j.shape == k.shape
            message = f"step {t + 1}, variable {i}"
            if exact:
                np.testing.assert_array_equal(j, k, err_msg=message)
            else:
                np.testing.assert_allclose(j, k, rtol=1e-6, atol=1e-7, err_msg=message)


# ------------------------------------------------------------------------------------------
# Parity with Keras, step by step
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "class_name,kwargs,exact",
    [c[1:] for c in PARITY_CASES],
    ids=[c[0] for c in PARITY_CASES],
)
def test_parity_with_keras(keras, rng, class_name, kwargs, exact):
    init, grads = _data(rng)
    keras_opt = getattr(keras.optimizers, class_name)(**kwargs)
    expected = _keras_trajectory(keras, keras_opt, init, grads)
    actual, state = _jnet_trajectory(getattr(jo, class_name)(**kwargs).build(), init, grads)
    _assert_trajectories(expected, actual, exact)
    assert int(jo.get_iterations(state)) == STEPS


@pytest.mark.parametrize(
    "raw,optimizer",
    [
        (lambda: jo.keras_sgd(0.1, 0.9, True), lambda: jo.SGD(0.1, 0.9, True)),
        (
            lambda: jo.keras_adam(0.01, 0.8, 0.9, 1e-5, True),
            lambda: jo.Adam(0.01, 0.8, 0.9, 1e-5, True),
        ),
        (lambda: jo.keras_adamw(0.01, 0.1), lambda: jo.AdamW(0.01, 0.1)),
        (
            lambda: jo.keras_rmsprop(0.01, 0.8, 0.5, 1e-6, True),
            lambda: jo.RMSprop(0.01, 0.8, 0.5, 1e-6, True),
        ),
        (lambda: jo.keras_sgd(0.1, clipnorm=0.5), lambda: jo.SGD(0.1, clipnorm=0.5)),
    ],
    ids=["sgd", "adam", "adamw", "rmsprop", "sgd_clipnorm"],
)
def test_raw_transformations_equal_build(rng, raw, optimizer):
    init, grads = _data(rng, steps=5)
    expected, _ = _jnet_trajectory(optimizer().build(), init, grads)
    actual, _ = _jnet_trajectory(raw(), init, grads)
    _assert_trajectories(expected, actual, exact=True)


def test_exact_without_jit_too(keras, rng):
    """Eager (op by op) updates are Keras's as well."""
    init, grads = _data(rng, steps=5)
    expected = _keras_trajectory(keras, keras.optimizers.RMSprop(0.01, momentum=0.9), init, grads)
    tx = jo.RMSprop(0.01, momentum=0.9).build()
    params = [jnp.asarray(x) for x in init]
    state = tx.init(params)
    for t, step_grads in enumerate(grads):
        updates, state = tx.update([jnp.asarray(g) for g in step_grads], state, params)
        params = optax.apply_updates(params, updates)
        for k, p in zip(expected[t], params, strict=True):
            np.testing.assert_array_equal(np.asarray(p), k)


# ------------------------------------------------------------------------------------------
# The learning rate: held in the state, settable, scheduled
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "rmsprop"])
def test_learning_rate_lives_in_state(name):
    opt = jo.get(name)
    opt.learning_rate = 0.25
    tx = opt.build()
    params = {"w": jnp.ones((2, 2))}
    state = tx.init(params)
    assert isinstance(state, jo.OptimizerState)
    lr = jo.get_learning_rate(state)
    assert lr.dtype == jnp.float32 and lr.shape == () and float(lr) == 0.25
    assert int(jo.get_iterations(state)) == 0
    _, state = tx.update({"w": jnp.ones((2, 2))}, state, params)
    assert float(jo.get_learning_rate(state)) == 0.25
    assert int(jo.get_iterations(state)) == 1
    state = jo.set_learning_rate(state, 0.5)
    assert float(jo.get_learning_rate(state)) == 0.5
    assert jo.get_learning_rate(state).dtype == jnp.float32


@pytest.mark.parametrize(
    "class_name,kwargs",
    [
        ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
        ("Adam", {"learning_rate": 0.01}),
        ("RMSprop", {"learning_rate": 0.01, "momentum": 0.9, "centered": True}),
    ],
    ids=["sgd", "adam", "rmsprop"],
)
def test_set_learning_rate_midway_matches_keras_assignment(keras, rng, class_name, kwargs):
    init, grads = _data(rng)
    new_lr = {5: 0.05, 12: 0.003}

    def keras_change(t, optimizer):
        if t in new_lr:
            optimizer.learning_rate = new_lr[t]

    def jnet_change(t, state):
        return jo.set_learning_rate(state, new_lr[t]) if t in new_lr else state

    expected = _keras_trajectory(
        keras, getattr(keras.optimizers, class_name)(**kwargs), init, grads, keras_change
    )
    actual, state = _jnet_trajectory(
        getattr(jo, class_name)(**kwargs).build(), init, grads, jnet_change
    )
    _assert_trajectories(expected, actual, exact=True)
    assert float(jo.get_learning_rate(state)) == np.float32(0.003)


def _keras_schedules(keras):
    ops = keras.ops

    class Halving(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * ops.power(0.5, ops.cast(step, "float32"))

    class InverseTime(keras.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.05 / (1.0 + 0.3 * ops.cast(step, "float32"))

    return {"halving": Halving(), "inverse_time": InverseTime()}


# The step is an int32 array (Keras passes its int64 `iterations`); the tests run with strict
# dtype promotion, so the schedules cast it explicitly, as Keras schedules do.
JNET_SCHEDULES = {
    "halving": lambda step: 0.1 * 0.5 ** step.astype(jnp.float32),
    "inverse_time": lambda step: 0.05 / (1.0 + 0.3 * step.astype(jnp.float32)),
}


@pytest.mark.parametrize("schedule", sorted(JNET_SCHEDULES))
@pytest.mark.parametrize(
    "class_name,kwargs",
    [("SGD", {"momentum": 0.9}), ("Adam", {}), ("RMSprop", {"momentum": 0.5})],
    ids=["sgd", "adam", "rmsprop"],
)
def test_schedule_matches_keras_learning_rate_schedule(keras, rng, schedule, class_name, kwargs):
    init, grads = _data(rng, steps=10)
    keras_opt = getattr(keras.optimizers, class_name)(
        learning_rate=_keras_schedules(keras)[schedule], **kwargs
    )
    keras_lrs = []
    expected = _keras_trajectory(
        keras, keras_opt, init, grads, lambda t, o: keras_lrs.append(float(o.learning_rate))
    )
    jnet_lrs = []

    def record(t, state):
        jnet_lrs.append(float(jo.get_learning_rate(state)))
        return state

    tx = getattr(jo, class_name)(learning_rate=JNET_SCHEDULES[schedule], **kwargs).build()
    actual, state = _jnet_trajectory(tx, init, grads, record)
    _assert_trajectories(expected, actual, exact=True)
    assert jnet_lrs == keras_lrs  # what optimizer.learning_rate reads before each step
    assert float(jo.get_learning_rate(state)) == float(keras_opt.learning_rate)


def test_schedule_first_step_uses_schedule_at_zero():
    seen = []

    def schedule(step):
        seen.append(step)
        return jnp.where(step == 0, 1.0, 0.0)

    tx = jo.keras_sgd(schedule)
    updates, state = tx.update(jnp.ones(2), tx.init(jnp.zeros(2)))
    np.testing.assert_array_equal(updates, [-1.0, -1.0])
    assert float(jo.get_learning_rate(state)) == 0.0  # schedule(1), the next step's


def test_set_learning_rate_works_on_optax_inject_hyperparams_state():
    tx = optax.chain(optax.clip(1.0), optax.inject_hyperparams(optax.sgd)(learning_rate=0.1))
    state = tx.init(jnp.zeros(2))
    np.testing.assert_allclose(jo.get_learning_rate(state), 0.1)
    state = jo.set_learning_rate(state, 0.5)
    updates, _ = tx.update(jnp.ones(2), state)
    np.testing.assert_allclose(updates, [-0.5, -0.5])


# ------------------------------------------------------------------------------------------
# Compilation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", jo.REGISTRY.names())
@pytest.mark.parametrize("scheduled", [False, True], ids=["constant", "schedule"])
def test_jitted_update_compiles_once(name, scheduled):
    opt = jo.get(name)
    if scheduled:
        opt = type(opt)(learning_rate=lambda step: 0.01 / (1.0 + step.astype(jnp.float32)))
    tx = opt.build()
    traces = []

    @jax.jit
    def step(grads, state, params):
        traces.append(1)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    params = {"w": jnp.ones((3, 2)), "b": jnp.zeros((2,))}
    grads = {"w": jnp.full((3, 2), 0.5), "b": jnp.ones((2,))}
    state = tx.init(params)
    for t in range(3):
        params, state = step(grads, state, params)
        if t == 0 and not scheduled:
            state = jo.set_learning_rate(state, 0.123)
    assert len(traces) == 1
    assert step._cache_size() == 1


def test_update_runs_under_scan():
    tx = jo.RMSprop(0.01, momentum=0.9, centered=True).build()
    params = jnp.ones(3)

    def body(carry, g):
        params, state = carry
        updates, state = tx.update(g, state, params)
        return (optax.apply_updates(params, updates), state), None

    grads = jnp.arange(12.0, dtype=jnp.float32).reshape(4, 3)
    (scanned, _), _ = jax.lax.scan(body, (params, tx.init(params)), grads)
    state, looped = tx.init(params), params
    for g in grads:
        updates, state = tx.update(g, state, looped)
        looped = optax.apply_updates(looped, updates)
    np.testing.assert_array_equal(scanned, looped)


# ------------------------------------------------------------------------------------------
# get(), names, configs
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", jo.REGISTRY.names())
def test_get_every_name_matches_keras_defaults(keras, name):
    opt = jo.get(name)
    # keras.optimizers.get('lamb') fails (Keras leaves Lamb out of its name table); jnet
    # resolves it, so compare with Keras's class of the same name.
    keras_opt = getattr(keras.optimizers, type(opt).__name__)()
    if name.lower() != "lamb":
        assert type(keras.optimizers.get(name)) is type(keras_opt)
    assert jo.get(name) is not opt  # a new instance each call
    config, keras_config = opt.get_config(), keras_opt.get_config()
    assert list(config) == list(keras_config)
    assert keras_config["name"].startswith(config["name"])  # Keras appends _1, _2, ...
    assert np.float32(config["learning_rate"]) == np.float32(keras_config["learning_rate"])
    for key in set(config) - {"name", "learning_rate"}:
        assert config[key] == keras_config[key], key


@pytest.mark.parametrize(
    "identifier,cls",
    [("ADAM", jo.Adam), ("Sgd", jo.SGD), ("rmsProp", jo.RMSprop), ("ADAMW", jo.AdamW)],
)
def test_get_is_case_insensitive_like_keras(identifier, cls):
    assert type(jo.get(identifier)) is cls


def test_get_instance_config_optax_and_none(keras):
    opt = jo.Adam(0.01)
    assert jo.get(opt) is opt
    assert jo.get(None) is None

    from_dict = jo.get({"class_name": "Adam", "config": {"learning_rate": 0.02, "beta_1": 0.5}})
    assert isinstance(from_dict, jo.Adam)
    assert (from_dict.learning_rate, from_dict.beta_1) == (0.02, 0.5)

    keras_config = keras.optimizers.serialize(keras.optimizers.RMSprop(0.01, centered=True))
    from_keras = jo.get(keras_config)
    assert isinstance(from_keras, jo.RMSprop) and from_keras.centered is True
    np.testing.assert_allclose(from_keras.learning_rate, 0.01)

    roundtrip = jo.deserialize(jo.serialize(jo.SGD(0.3, momentum=0.2, nesterov=True)))
    assert roundtrip.get_config() == jo.SGD(0.3, momentum=0.2, nesterov=True).get_config()

    tx = optax.adam(1e-3)
    wrapped = jo.get(tx)
    assert isinstance(wrapped, jo.OptaxOptimizer)
    assert wrapped.build() is tx
    state = wrapped.build().init(jnp.zeros(2))
    with pytest.raises(errors.JnetTypeError, match="inject_hyperparams"):
        jo.get_learning_rate(state)
    with pytest.raises(errors.JnetTypeError, match="inject_hyperparams"):
        jo.set_learning_rate(state, 0.1)
    with pytest.raises(errors.JnetTypeError, match="raw optax"):
        _ = wrapped.learning_rate


def test_default_names_and_repr():
    assert [jo.SGD().name, jo.Adam().name, jo.AdamW().name, jo.RMSprop().name] == [
        "sgd",
        "adam",
        "adam_w",
        "rm_sprop",
    ]
    assert jo.Adam(name="mine").name == "mine"
    assert repr(jo.SGD(0.5)).startswith("SGD(name='sgd', learning_rate=0.5")


def test_from_config_roundtrip_and_decay_warning():
    opt = jo.RMSprop(0.02, rho=0.8, momentum=0.3, epsilon=1e-5, centered=True, clipnorm=2.0)
    assert jo.RMSprop.from_config(opt.get_config()).get_config() == opt.get_config()
    with pytest.warns(UserWarning, match="decay"):
        jo.SGD(decay=0.1)


def test_slots_follow_parameter_dtype():
    tx = jo.Adam(0.01, amsgrad=True).build()
    params = {"w": jnp.ones((2,), jnp.float16)}
    state = tx.init(params)
    assert state.slots.velocity_hats["w"].dtype == jnp.float16
    updates, state = tx.update({"w": jnp.ones((2,), jnp.float32)}, state, params)
    assert updates["w"].dtype == jnp.float16 and state.slots.momentums["w"].dtype == jnp.float16
    assert jo.get_learning_rate(state).dtype == jnp.float32


def test_empty_slots_stay_none():
    assert jo.SGD().build().init(jnp.zeros(2)).slots.momentums is None
    state = jo.RMSprop().build().init(jnp.zeros(2))
    assert state.slots.momentums is None and state.slots.average_gradients is None
    tx = jo.Adam().build()
    _, state = tx.update(jnp.ones(2), tx.init(jnp.zeros(2)))
    assert state.slots.velocity_hats is None


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,error,fragments",
    [
        (lambda: jo.SGD(momentum=1.5), errors.JnetValueError, ["momentum", "1.5", "[0, 1]"]),
        (lambda: jo.SGD(momentum=-0.1), errors.JnetValueError, ["momentum", "-0.1"]),
        (lambda: jo.SGD(nesterov="yes"), errors.JnetTypeError, ["nesterov", "'yes'"]),
        (lambda: jo.Adam(beta_1=1.0), errors.JnetValueError, ["beta_1", "1.0", "[0, 1)"]),
        (lambda: jo.Adam(beta_2=-0.5), errors.JnetValueError, ["beta_2", "-0.5"]),
        (lambda: jo.Adam(epsilon=-1e-7), errors.JnetValueError, ["epsilon", ">= 0"]),
        (lambda: jo.Adam(amsgrad=1), errors.JnetTypeError, ["amsgrad", "True or False"]),
        (lambda: jo.RMSprop(rho=1.0), errors.JnetValueError, ["rho", "[0, 1)"]),
        (lambda: jo.RMSprop(momentum=2), errors.JnetValueError, ["momentum", "2"]),
        (lambda: jo.RMSprop(centered="no"), errors.JnetTypeError, ["centered"]),
        (lambda: jo.SGD(learning_rate="fast"), errors.JnetTypeError, ["learning_rate", "'fast'"]),
        (lambda: jo.SGD(learning_rate=-0.1), errors.JnetValueError, ["learning_rate", "-0.1"]),
        (lambda: jo.SGD(learning_rate=None), errors.JnetTypeError, ["learning_rate", "None"]),
        (lambda: jo.SGD(learning_rate=lambda: 0.1), errors.JnetTypeError, ["step"]),
        (lambda: jo.SGD(clipnorm=1.0, clipvalue=1.0), errors.JnetValueError, ["Only one of"]),
        (lambda: jo.SGD(clipnorm=-1.0), errors.JnetValueError, ["clipnorm", "-1.0"]),
        (lambda: jo.SGD(weight_decay="x"), errors.JnetTypeError, ["weight_decay"]),
        (lambda: jo.SGD(foo=1), errors.JnetValueError, ["not recognized", "foo"]),
        (lambda: jo.SGD(use_ema=True), errors.JnetValueError, ["use_ema"]),
        (
            lambda: jo.Adam(gradient_accumulation_steps=4),
            errors.JnetValueError,
            ["gradient_accumulation_steps", "4"],
        ),
        (lambda: jo.AdamW(weight_decay=None), errors.JnetValueError, ["weight_decay", "None"]),
        (lambda: jo.keras_adam(beta_1=1.5), errors.JnetValueError, ["beta_1", "1.5"]),
        (lambda: jo.keras_sgd(momentum="a"), errors.JnetTypeError, ["momentum", "'a'"]),
        (lambda: jo.OptaxOptimizer("adam"), errors.JnetTypeError, ["GradientTransformation"]),
    ],
)
def test_argument_errors(make, error, fragments):
    with pytest.raises(error) as info:
        make()
    for fragment in fragments:
        assert fragment in str(info.value)


def test_get_errors():
    with pytest.raises(errors.UnknownIdentifierError, match="Did you mean 'adam'"):
        jo.get("adamm")
    with pytest.raises(ValueError, match="'rmsprop'"):  # lists the valid names
        jo.get("nope")
    with pytest.raises(errors.JnetTypeError, match="Could not interpret optimizer identifier"):
        jo.get(42)
    with pytest.raises(errors.JnetTypeError, match=r"Pass an instance, e\.g\. Adam\(\)"):
        jo.get(jo.Adam)
    with pytest.raises(errors.JnetValueError, match="class_name"):
        jo.get({"config": {}})


def test_learning_rate_errors():
    scheduled = jo.SGD(learning_rate=lambda step: 0.1)
    with pytest.raises(errors.JnetTypeError, match="schedule"):
        scheduled.learning_rate = 0.5
    state = scheduled.build().init(jnp.zeros(2))
    with pytest.raises(errors.JnetTypeError, match="schedule"):
        jo.set_learning_rate(state, 0.5)

    state = jo.SGD().build().init(jnp.zeros(2))
    with pytest.raises(errors.JnetValueError, match="-1.0"):
        jo.set_learning_rate(state, -1.0)
    with pytest.raises(errors.JnetTypeError, match="scalar"):
        jo.set_learning_rate(state, jnp.ones(2))
    with pytest.raises(errors.JnetTypeError, match="no adjustable learning rate"):
        jo.get_learning_rate({"not": "a state"})

    tx = jo.keras_sgd(lambda step: jnp.ones(2))
    with pytest.raises(errors.JnetValueError, match="scalar"):
        tx.init(jnp.zeros(2))


def test_weight_decay_needs_params():
    tx = jo.AdamW().build()
    with pytest.raises(errors.JnetValueError, match="params"):
        tx.update(jnp.ones(2), tx.init(jnp.zeros(2)))


def test_set_learning_rate_is_pure_and_jittable():
    tx = jo.Adam(0.01).build()
    state = tx.init(jnp.zeros(2))
    new = jax.jit(jo.set_learning_rate)(state, jnp.float32(0.5))
    assert float(jo.get_learning_rate(new)) == 0.5
    assert float(jo.get_learning_rate(state)) == np.float32(0.01)  # the input is unchanged


def test_errors_subclass_builtin_exceptions():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            jo.SGD(momentum=3.0)
        with pytest.raises(TypeError):
            jo.get(3.0)
