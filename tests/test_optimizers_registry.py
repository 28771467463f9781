"""Every optimizer registry entry (name, alias, class) against Keras, and argument errors.

The sweep resolves each entry, compares its config (keys, order, defaults) with Keras's
class of the same name, round-trips it through serialize/deserialize and Keras's serialized
form, and runs three jitted steps that compile once while the learning rate is changed.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
import pytest

from jnet import errors
from jnet import optimizers as jo

# ------------------------------------------------------------------------------------------
# One sweep over every registry entry: every name, alias and class
# ------------------------------------------------------------------------------------------

ENTRIES = [pytest.param(name, id=f"name-{name}") for name in jo.REGISTRY.names()] + [
    pytest.param(cls, id=f"class-{name}") for name, cls in jo.REGISTRY.items()
]


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_registry_entry(keras, entry):
    if isinstance(entry, str):
        opt = jo.get(entry)
        assert jo.get(entry) is not opt  # a new instance each call
        assert type(opt) is jo.REGISTRY.lookup(entry)
    else:
        opt = jo.get(entry())
        assert type(opt) is entry
    keras_opt = getattr(keras.optimizers, type(opt).__name__)()
    config, keras_config = opt.get_config(), keras_opt.get_config()
    assert list(config) == list(keras_config)
    assert keras_config["name"].startswith(config["name"])
    for key in set(config) - {"name", "learning_rate"}:
        assert config[key] == keras_config[key], key
    assert jo.deserialize(jo.serialize(opt)).get_config() == config
    assert type(jo.get(keras.optimizers.serialize(keras_opt))) is type(opt)

    tx = opt.build()
    params = {"k": jnp.ones((2, 3)), "b": jnp.full((3,), 0.5, jnp.float32), "s": jnp.ones(())}
    grads = jax.tree.map(lambda p: jnp.full_like(p, 0.1), params)
    state = tx.init(params)
    traces = []

    @jax.jit
    def step(grads, state, params):
        traces.append(1)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    for _ in range(3):
        params, state = step(grads, state, params)
        state = jo.set_learning_rate(state, 0.01)
    assert len(traces) == 1
    assert int(jo.get_iterations(state)) == 3
    assert all(bool(jnp.all(jnp.isfinite(p))) for p in jax.tree.leaves(params))
    assert float(params["b"][0]) != 0.5  # the step moved the weights


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,error,fragments",
    [
        (lambda: jo.Adagrad(initial_accumulator_value=-1.0), errors.JnetValueError, ["-1.0"]),
        (lambda: jo.Adamax(beta_1=1.0), errors.JnetValueError, ["beta_1", "[0, 1)"]),
        (lambda: jo.Nadam(beta_2=2.0), errors.JnetValueError, ["beta_2", "2.0"]),
        (lambda: jo.Adadelta(rho=1.5), errors.JnetValueError, ["rho", "1.5"]),
        (lambda: jo.Ftrl(learning_rate_power=0.5), errors.JnetValueError, ["<= 0", "0.5"]),
        (
            lambda: jo.Ftrl(l1_regularization_strength=-0.1),
            errors.JnetValueError,
            ["l1_regularization_strength"],
        ),
        (lambda: jo.Lion(beta_1=0.0), errors.JnetValueError, ["beta_1", "SignSGD"]),
        (lambda: jo.Lion(beta_1=1.5), errors.JnetValueError, ["beta_1", "1.5"]),
        (lambda: jo.Lamb(epsilon="x"), errors.JnetTypeError, ["epsilon", "'x'"]),
        (lambda: jo.Adafactor(clip_threshold=0.0), errors.JnetValueError, ["clip_threshold"]),
        (lambda: jo.Adafactor(relative_step=1), errors.JnetTypeError, ["relative_step"]),
        (lambda: jo.Adagrad(foo=1), errors.JnetValueError, ["not recognized", "foo"]),
        (lambda: jo.keras_nadam(beta_1=-0.5), errors.JnetValueError, ["beta_1"]),
    ],
)
def test_argument_errors(make, error, fragments):
    with pytest.raises(error) as info:
        make()
    for fragment in fragments:
        assert fragment in str(info.value)


def test_unknown_name_suggests_the_nearest():
    with pytest.raises(errors.UnknownIdentifierError, match="Did you mean 'nadam'"):
        jo.get("nadamm")
