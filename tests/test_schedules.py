"""jnet.optimizers.schedules against Keras's (TensorFlow backend), step by step.

Keras's schedules are evaluated by TensorFlow at every step 0..1000 (int64 steps, as Keras's
``iterations``); jnet's are jitted and vmapped over int32 steps. The comparison is rtol 1e-6,
with an absolute floor of 1e-7 of the schedule's scale for values that decay to 0 (there one
ulp of ``cos`` is a large relative difference).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from jnet import errors
from jnet import optimizers as jo
from jnet.optimizers import schedules

STEPS = 1001

# (class name, kwargs): every schedule, with its options.
CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 100, "decay_rate": 0.9}),
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.5, "decay_steps": 37, "decay_rate": 0.5, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [100, 250, 600], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("PiecewiseConstantDecay", {"boundaries": [0], "values": [0.3, 0.2]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 400}),
    (
        "PolynomialDecay",
        {
            "initial_learning_rate": 0.1,
            "decay_steps": 300,
            "end_learning_rate": 0.01,
            "power": 0.5,
            "cycle": True,
        },
    ),
    ("PolynomialDecay", {"initial_learning_rate": 1.0, "decay_steps": 700, "power": 2.0}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5}),
    (
        "InverseTimeDecay",
        {"initial_learning_rate": 0.2, "decay_steps": 50, "decay_rate": 2.0, "staircase": True},
    ),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 800}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 500, "alpha": 0.1}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 600,
            "warmup_target": 0.1,
            "warmup_steps": 200,
        },
    ),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.01,
            "decay_steps": 300,
            "alpha": 0.05,
            "warmup_target": 0.2,
            "warmup_steps": 150,
        },
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 100}),
    (
        "CosineDecayRestarts",
        {
            "initial_learning_rate": 0.1,
            "first_decay_steps": 90,
            "t_mul": 1.0,
            "m_mul": 0.8,
            "alpha": 0.1,
        },
    ),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.5, "first_decay_steps": 64, "t_mul": 1.5, "m_mul": 0.9},
    ),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


def _scale(kwargs):
    values = [abs(v) for k, v in kwargs.items() if k in ("initial_learning_rate", "warmup_target")]
    values += [abs(v) for v in kwargs.get("values", [])]
    return max(values)


def _keras_values(keras, class_name, kwargs):
    import tensorflow as tf

    schedule = getattr(keras.optimizers.schedules, class_name)(**kwargs)
    steps = tf.range(STEPS, dtype=tf.int64)  # Keras's `iterations` is int64
    values = tf.function(lambda s: tf.map_fn(schedule, s, fn_output_signature=tf.float32))(steps)
    return values.numpy()


@pytest.mark.parametrize("class_name,kwargs", CASES, ids=IDS)
def test_schedule_matches_keras_at_every_step(keras, class_name, kwargs):
    expected = _keras_values(keras, class_name, kwargs)
    schedule = getattr(schedules, class_name)(**kwargs)
    actual = jax.jit(jax.vmap(schedule))(jnp.arange(STEPS, dtype=jnp.int32))
    assert actual.dtype == jnp.float32 and actual.shape == (STEPS,)
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-7 * _scale(kwargs))
    for step in (0, 1, 137, 1000):  # plain (unjitted) scalar calls agree with the jitted map
        np.testing.assert_allclose(schedule(step), actual[step], rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("class_name,kwargs", CASES, ids=IDS)
def test_config_matches_keras_and_roundtrips(keras, class_name, kwargs):
    schedule = getattr(schedules, class_name)(**kwargs)
    keras_schedule = getattr(keras.optimizers.schedules, class_name)(**kwargs)
    assert schedule.get_config() == keras_schedule.get_config()
    assert type(schedule).from_config(schedule.get_config()) == schedule
    serialized = schedules.serialize(schedule)
    assert serialized == keras.optimizers.schedules.serialize(keras_schedule)
    assert schedules.deserialize(serialized) == schedule
    from_keras = keras.optimizers.schedules.deserialize(serialized)
    assert from_keras.get_config() == keras_schedule.get_config()


def test_default_names_match_keras(keras):
    for cls, args in [
        (schedules.ExponentialDecay, (0.1, 10, 0.9)),
        (schedules.PiecewiseConstantDecay, ([1], [0.1, 0.2])),
        (schedules.PolynomialDecay, (0.1, 10)),
        (schedules.InverseTimeDecay, (0.1, 10, 0.9)),
        (schedules.CosineDecay, (0.1, 10)),
        (schedules.CosineDecayRestarts, (0.1, 10)),
    ]:
        keras_cls = getattr(keras.optimizers.schedules, cls.__name__)
        assert cls(*args).get_config() == keras_cls(*args).get_config()


# ------------------------------------------------------------------------------------------
# As an optimizer's learning rate
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "class_name,kwargs",
    [CASES[0], CASES[2], CASES[5], CASES[8], CASES[12], CASES[15]],
    ids=lambda c: c if isinstance(c, str) else "",
)
@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "Nadam", "Lamb"])
def test_optimizer_follows_schedule_of_iterations_like_keras(
    keras, rng, class_name, kwargs, optimizer
):
    import tensorflow as tf

    init = [rng.normal(size=(3, 2)).astype(np.float32), rng.normal(size=(2,)).astype(np.float32)]
    grads = [[rng.normal(size=x.shape).astype(np.float32) for x in init] for _ in range(6)]
    # Let every step land somewhere interesting: start the schedule late in its course.
    keras_opt = getattr(keras.optimizers, optimizer)(
        learning_rate=getattr(keras.optimizers.schedules, class_name)(**kwargs)
    )
    variables = [keras.Variable(x) for x in init]
    keras_lrs, expected = [], []
    for step_grads in grads:
        keras_lrs.append(float(keras_opt.learning_rate))
        keras_opt.apply_gradients(zip([tf.constant(g) for g in step_grads], variables, strict=True))
        expected.append([v.numpy() for v in variables])

    tx = getattr(jo, optimizer)(learning_rate=getattr(schedules, class_name)(**kwargs)).build()
    params = [jnp.asarray(x) for x in init]
    state = tx.init(params)
    step = jax.jit(lambda g, s, p: tx.update(g, s, p))
    for t, step_grads in enumerate(grads):
        np.testing.assert_allclose(float(jo.get_learning_rate(state)), keras_lrs[t], rtol=1e-6)
        updates, state = step([jnp.asarray(g) for g in step_grads], state, params)
        params = optax.apply_updates(params, updates)
        for k, j in zip(expected[t], params, strict=True):
            # Learning rates up to 1 move O(1) weights by O(1): an ulp of the step is ~1e-7.
            np.testing.assert_allclose(np.asarray(j), k, rtol=1e-6, atol=1e-6)
    assert int(jo.get_iterations(state)) == len(grads)


def test_optimizer_config_serializes_schedule_like_keras(keras):
    lr = schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10)
    opt = jo.Adam(learning_rate=lr)
    keras_opt = keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.CosineDecay(
            0.1, 100, warmup_target=0.2, warmup_steps=10
        )
    )
    assert opt.get_config()["learning_rate"] == keras_opt.get_config()["learning_rate"]
    rebuilt = jo.Adam.from_config(opt.get_config())
    assert rebuilt.learning_rate == lr
    assert jo.get(keras.optimizers.serialize(keras_opt)).learning_rate == lr


def test_schedule_set_learning_rate_is_refused():
    state = (
        jo.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5)).build().init(jnp.zeros(2))
    )
    with pytest.raises(errors.JnetTypeError, match="schedule"):
        jo.set_learning_rate(state, 0.5)


@pytest.mark.parametrize(
    "schedule",
    [
        optax.exponential_decay(0.1, transition_steps=2, decay_rate=0.5),
        optax.warmup_cosine_decay_schedule(0.0, 0.1, 3, 10),
        optax.constant_schedule(0.05),
    ],
    ids=["exponential", "warmup_cosine", "constant"],
)
def test_optax_schedules_are_accepted_as_they_are(schedule):
    # Some optax schedules mix the int32 step with Python floats, which the strict dtype
    # promotion of these tests forbids; users run with JAX's default (standard) promotion.
    with jax.numpy_dtype_promotion("standard"):
        _check_optax_schedule(schedule)


def _check_optax_schedule(schedule):
    tx = jo.SGD(learning_rate=schedule).build()
    params = jnp.zeros(2)
    state = tx.init(params)
    for t in range(4):
        np.testing.assert_allclose(jo.get_learning_rate(state), schedule(t), rtol=1e-7)
        updates, state = tx.update(jnp.ones(2), state, params)
        np.testing.assert_allclose(updates, -np.full(2, schedule(t)), rtol=1e-6)


def test_schedules_compile_once_in_an_optimizer_step():
    tx = jo.Adam(learning_rate=schedules.CosineDecayRestarts(0.1, 3)).build()
    traces = []

    @jax.jit
    def step(grads, state, params):
        traces.append(1)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    params = jnp.ones(3)
    state = tx.init(params)
    for _ in range(5):
        params, state = step(jnp.ones(3), state, params)
    assert len(traces) == 1


@pytest.mark.parametrize(
    "make,error,fragments",
    [
        (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), errors.JnetValueError, ["decay_steps"]),
        (lambda: schedules.PolynomialDecay(0.1, -5), errors.JnetValueError, ["decay_steps", "-5"]),
        (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), errors.JnetValueError, ["decay_steps"]),
        (lambda: schedules.CosineDecay(0.1, 0), errors.JnetValueError, ["decay_steps"]),
        (
            lambda: schedules.CosineDecayRestarts(0.1, 0),
            errors.JnetValueError,
            ["first_decay_steps"],
        ),
        (
            lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]),
            errors.JnetValueError,
            ["boundaries", "values", "length"],
        ),
        (
            lambda: schedules.PiecewiseConstantDecay(5, [0.1]),
            errors.JnetTypeError,
            ["boundaries"],
        ),
        (
            lambda: schedules.ExponentialDecay("a", 10, 0.5),
            errors.JnetTypeError,
            ["initial_learning_rate", "'a'"],
        ),
        (
            lambda: schedules.ExponentialDecay(0.1, 10, 0.5, staircase="yes"),
            errors.JnetTypeError,
            ["staircase"],
        ),
        (
            lambda: schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=-1),
            errors.JnetValueError,
            ["warmup_steps"],
        ),
        (lambda: schedules.deserialize({"class_name": "Nope"}), ValueError, ["Nope"]),
        (lambda: schedules.serialize(lambda step: 0.1), errors.JnetTypeError, ["Schedule"]),
    ],
)
def test_schedule_argument_errors(make, error, fragments):
    with pytest.raises(error) as info:
        make()
    for fragment in fragments:
        assert fragment in str(info.value)


def test_base_class_must_be_subclassed():
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        schedules.LearningRateSchedule().get_config()
