"""The rest of Keras's optimizers against real Keras (TensorFlow backend), step by step.

Adagrad, Adamax, Nadam, Adadelta, Ftrl, Lion, Lamb and Adafactor (and AdamW's decoupled
decay): from the same weights and the same gradients, 5 steps of jnet's jitted update +
``optax.apply_updates`` equal Keras's ``optimizer.apply_gradients`` (bit for bit where
stated by EXACT_RULES, otherwise within rtol 1e-6), plain,
with each kind of clipping, with weight decay (Keras decays the weights before the update, and
Ftrl, Lamb and Adafactor read the decayed weights), with a loss scale and with a schedule.
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

SHAPES = [(3, 4), (4,), (1,), (2, 3, 5)]  # rank 3: Adafactor factors the last two axes
STEPS = 5

# (class name, the optimizer's own kwargs): learning rates that move the weights visibly.
BASES = [
    ("Adagrad", {"learning_rate": 0.1}),
    ("Adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.5, "epsilon": 1e-4}),
    ("Adamax", {"learning_rate": 0.02}),
    ("Adamax", {"learning_rate": 0.02, "beta_1": 0.7, "beta_2": 0.9, "epsilon": 1e-3}),
    ("Nadam", {"learning_rate": 0.02}),
    ("Nadam", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adadelta", {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-5}),
    ("Ftrl", {"learning_rate": 0.1}),
    (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "learning_rate_power": -0.3,
            "initial_accumulator_value": 0.5,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.03,
            "beta": 0.1,
        },
    ),
    ("Lion", {"learning_rate": 0.01}),
    ("Lion", {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9}),
    ("Lamb", {"learning_rate": 0.02}),
    ("Lamb", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-4}),
    ("Adafactor", {"learning_rate": 0.05}),
    (
        "Adafactor",
        {
            "learning_rate": 0.05,
            "beta_2_decay": -0.5,
            "epsilon_1": 1e-20,
            "epsilon_2": 0.01,
            "clip_threshold": 0.5,
            "relative_step": False,
        },
    ),
    ("AdamW", {"learning_rate": 0.02, "weight_decay": 0.1}),
]

EXTRAS = {
    "plain": {},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.3},
    "global_clipnorm": {"global_clipnorm": 1.0},
    "weight_decay": {"weight_decay": 0.2},
}
LOSS_SCALED = ("Nadam", "Ftrl", "Adafactor")  # loss_scale_factor is base-class code

# Bit-exact: these rules are elementwise and jnet rounds every operation as TensorFlow does.
# Not bit-exact, within rtol 1e-6: clipnorm / global_clipnorm (Eigen and XLA sum squares in
# different orders), weight decay (folded into one increment), Lamb and Adafactor (norms and
# means: reductions), Ftrl (TF's pow(x, 0.5) is Eigen's, not a correctly rounded sqrt).
EXACT_RULES = ("Adagrad", "Adamax", "Nadam", "Adadelta", "Lion")
EXACT_EXTRAS = ("plain", "clipvalue", "loss_scale")


def _cases():
    seen, cases = {}, []
    for class_name, kwargs in BASES:
        seen[class_name] = seen.get(class_name, -1) + 1
        extras = dict(EXTRAS) if seen[class_name] == 0 else {"plain": {}}
        if seen[class_name] == 0 and class_name in LOSS_SCALED:
            extras["loss_scale"] = {"loss_scale_factor": 4.0}
        for extra_name, extra in extras.items():
            if class_name == "AdamW" and extra_name == "weight_decay":
                continue
            case_id = f"{class_name}{seen[class_name] or ''}-{extra_name}"
            exact = class_name in EXACT_RULES and extra_name in EXACT_EXTRAS
            cases.append(pytest.param(class_name, {**kwargs, **extra}, exact, id=case_id))
    return cases


def _data(rng, steps=STEPS):
    init = [rng.normal(size=s).astype(np.float32) for s in SHAPES]
    grads = [[rng.normal(size=s).astype(np.float32) for s in SHAPES] for _ in range(steps)]
    return init, grads


def _keras_trajectory(keras, optimizer, init, grads):
    import tensorflow as tf

    variables = [keras.Variable(x) for x in init]
    out = []
    for step_grads in grads:
        optimizer.apply_gradients(zip([tf.constant(g) for g in step_grads], variables, strict=True))
        out.append([v.numpy() for v in variables])
    return out


def _jnet_trajectory(tx, init, grads):
    @jax.jit
    def step(grads, state, params):
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    params = [jnp.asarray(x) for x in init]
    state = tx.init(params)
    out = []
    for step_grads in grads:
        params, state = step([jnp.asarray(g) for g in step_grads], state, params)
        out.append([np.asarray(p) for p in params])
    return out, state


def _assert_close(expected, actual, rtol=1e-6, atol=1e-7):
    for t, (k_step, j_step) in enumerate(zip(expected, actual, strict=True)):
        for i, (k, j) in enumerate(zip(k_step, j_step, strict=True)):
            assert j.dtype == k.dtype and j.shape == k.shape
            np.testing.assert_allclose(
                j, k, rtol=rtol, atol=atol, err_msg=f"step {t + 1}, variable {i}"
            )


def _atol(class_name):
    """Ftrl steps by ``n_new**0.5 - n**0.5``: TF's (Eigen's) pow and XLA's differ by an ulp
    in a quarter of the cases, and that cancellation turns it into ~1e-7 absolute on O(1)
    weights. Elsewhere differences are an ulp or a few (reductions, pow)."""
    return 1e-6 if class_name == "Ftrl" else 1e-7


@pytest.mark.parametrize("class_name,kwargs,exact", _cases())
def test_update_rule_matches_keras(keras, rng, class_name, kwargs, exact):
    init, grads = _data(rng)
    expected = _keras_trajectory(
        keras, getattr(keras.optimizers, class_name)(**kwargs), init, grads
    )
    actual, state = _jnet_trajectory(getattr(jo, class_name)(**kwargs).build(), init, grads)
    if exact:
        _assert_close(expected, actual, rtol=0, atol=0)
    else:
        _assert_close(expected, actual, atol=_atol(class_name))
    assert int(jo.get_iterations(state)) == STEPS


SCHEDULED = ["Adagrad", "Adamax", "Nadam", "Adadelta", "Ftrl", "Lion", "Lamb", "Adafactor", "AdamW"]


@pytest.mark.parametrize("class_name", SCHEDULED)
def test_update_rule_with_schedule_matches_keras(keras, rng, class_name):
    init, grads = _data(rng)
    kwargs = dict(next(kw for name, kw in BASES if name == class_name))
    lr = kwargs.pop("learning_rate")
    args = {"initial_learning_rate": lr, "decay_steps": 3, "decay_rate": 0.5}
    keras_opt = getattr(keras.optimizers, class_name)(
        learning_rate=keras.optimizers.schedules.ExponentialDecay(**args), **kwargs
    )
    expected = _keras_trajectory(keras, keras_opt, init, grads)
    tx = getattr(jo, class_name)(learning_rate=schedules.ExponentialDecay(**args), **kwargs)
    actual, state = _jnet_trajectory(tx.build(), init, grads)
    _assert_close(expected, actual, atol=_atol(class_name))
    np.testing.assert_allclose(
        float(jo.get_learning_rate(state)), float(keras_opt.learning_rate), rtol=1e-6
    )


def test_adamw_decays_before_the_adam_step_like_keras(keras):
    """With zero gradients Adam's step is 0: only Keras's w - w * wd * lr remains."""
    init = [np.array([1.0, -2.0, 4.0], np.float32)]
    grads = [[np.zeros(3, np.float32)]] * 3
    expected = _keras_trajectory(keras, keras.optimizers.AdamW(0.1, weight_decay=0.5), init, grads)
    actual, _ = _jnet_trajectory(jo.AdamW(0.1, weight_decay=0.5).build(), init, grads)
    _assert_close(expected, actual, rtol=0, atol=0)
    np.testing.assert_allclose(actual[-1][0], np.array([1.0, -2.0, 4.0]) * 0.95**3, rtol=1e-6)


def test_nadam_keeps_keras_u_product():
    tx = jo.Nadam(0.01, beta_1=0.9).build()
    params = jnp.ones(2)
    state = tx.init(params)
    assert state.slots.u_product.shape == () and float(state.slots.u_product) == 1.0
    expected = 1.0
    for t in range(1, 4):
        _, state = tx.update(jnp.ones(2), state, params)
        expected *= 0.9 * (1 - 0.5 * 0.96**t)
        np.testing.assert_allclose(float(state.slots.u_product), expected, rtol=1e-6)


def test_adafactor_slots_are_factored():
    tx = jo.Adafactor().build()
    params = {"k": jnp.ones((2, 3, 5)), "b": jnp.ones(5), "s": jnp.ones(())}
    state = tx.init(params)
    assert state.slots.r["k"].shape == (2, 3) and state.slots.c["k"].shape == (2, 5)
    assert state.slots.r["b"].shape == () and state.slots.v["b"].shape == (5,)
    updates, _ = jax.jit(tx.update)(jax.tree.map(jnp.ones_like, params), state, params)
    assert all(bool(jnp.all(jnp.isfinite(u))) for u in jax.tree.leaves(updates))


@pytest.mark.parametrize("name", ["ftrl", "lamb", "adafactor"])
def test_rules_that_read_the_weights_need_params(name):
    tx = jo.get(name).build()
    with pytest.raises(errors.JnetValueError, match="params"):
        tx.update(jnp.ones(2), tx.init(jnp.zeros(2)))
