"""Wrapper, JaxLayer and FlaxLayer: user wrappers, a pure JAX function and a Flax module as
layers that train in fit (params trainable, state not), seed-deterministic, whose numbers
equal the same computation by hand, and whose weights save and load."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet.layers import FlaxLayer, JaxLayer, Wrapper


class MLP(nn.Module):
    @nn.compact
    def __call__(self, inputs, training=False):
        x = nn.relu(nn.Dense(4)(inputs))
        x = nn.BatchNorm(use_running_average=not training, momentum=0.9)(x)
        return nn.Dense(1)(x)


def jax_init(rng, inputs):
    k1, k2 = jax.random.split(rng)
    params = {"w": jax.random.normal(k1, (inputs.shape[-1], 1)) * 0.5, "b": jnp.zeros(1)}
    return params, {"count": jnp.zeros(())}


def jax_call(params, state, rng, inputs, training):
    y = inputs @ params["w"] + params["b"][None, :]
    if training:  # noise in training only: rng is None in inference
        y = y + 0.0 * jax.random.normal(rng, y.shape)
    return y, {"count": state["count"] + 1.0}


def _flax(seed):
    return FlaxLayer(MLP(), seed=seed)


def _jax(seed):
    return JaxLayer(jax_call, jax_init, seed=seed)


def _data():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(16, 3)).astype("float32"),
            rng.normal(size=(16, 1)).astype("float32"))


def _by_hand(kind, layer_weights, x, steps, lr=0.1):
    """The model's SGD steps on MSE written by hand (batch 8, no shuffle): the flax module's
    apply or the jax function, with the trainable weights as jax.grad's arguments."""
    if kind == "flax":
        bn_bias, bn_scale, b0, k0, b1, k1, mean, var = layer_weights
        params = {"BatchNorm_0": {"bias": bn_bias, "scale": bn_scale},
                  "Dense_0": {"bias": b0, "kernel": k0}, "Dense_1": {"bias": b1, "kernel": k1}}
        state = {"batch_stats": {"BatchNorm_0": {"mean": mean, "var": var}}}

        def forward(p, s, xb):
            y, new = MLP().apply({"params": p, **s}, xb, training=True, mutable=["batch_stats"])
            return y, dict(new)
    else:
        b, w, count = layer_weights
        params, state = {"b": b, "w": w}, {"count": count}

        def forward(p, s, xb):
            return jax_call(p, s, jax.random.key(0), xb, True)

    @jax.jit
    def step(params, state, xb, yb):
        def loss_fn(p):
            y, new = forward(p, state, xb)
            return jnp.mean((y - yb) ** 2), new

        (loss, state), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
        return loss, state, jax.tree_util.tree_map(lambda p, g: p - lr * g, params, grads)

    losses = []
    for _ in range(steps):
        for i in range(0, len(x[0]), 8):
            loss, state, params = step(params, state, x[0][i:i + 8], x[1][i:i + 8])
            losses.append(float(loss))
    return losses, params, state


@pytest.mark.parametrize("kind", ["flax", "jax"])
def test_trains_in_fit_as_by_hand_and_saves(kind, tmp_path):
    x, y = _data()
    make = _flax if kind == "flax" else _jax
    model = jnet.Sequential([jnet.Input((3,)), make(seed=3)])
    again = jnet.Sequential([jnet.Input((3,)), make(seed=3)])
    other = jnet.Sequential([jnet.Input((3,)), make(seed=4)])
    start = model.get_weights()
    for a, b in zip(start, again.get_weights(), strict=True):  # same seed, same weights
        np.testing.assert_array_equal(a, b)
    assert not all(np.array_equal(a, b) for a, b in zip(start, other.get_weights(),
                                                         strict=True))
    n_trainable, n_state = (6, 2) if kind == "flax" else (2, 1)
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (
        n_trainable, n_state)
    model.compile(jnet.optimizers.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0).history
    losses, params, state = _by_hand(kind, start, (x, y), steps=2)
    epoch_losses = [np.mean(losses[:2]), np.mean(losses[2:])]
    np.testing.assert_allclose(history["loss"], epoch_losses, rtol=1e-5)
    expected = jax.tree_util.tree_leaves(params) + jax.tree_util.tree_leaves(state)
    for got, want in zip(model.get_weights(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_jax_layer_given_params_and_stateless_function():
    def call(inputs, params):
        return jnp.tanh(inputs @ params["w"])

    w = np.arange(6, dtype="float32").reshape(3, 2) / 10
    layer = JaxLayer(call, params={"w": w})
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(layer(x), np.tanh(x @ w), rtol=1e-6)
    assert layer.built and [tuple(v.shape) for v in layer.weights] == [(3, 2)]
    assert JaxLayer(lambda inputs: inputs * 2)(x).tolist() == (x * 2).tolist()


@pytest.mark.parametrize("make, match", [
    (lambda: JaxLayer(lambda params, inputs: inputs), "cannot all be `None`"),
    (lambda: JaxLayer(lambda x: x), "missing required argument"),
    (lambda: JaxLayer(lambda inputs, key: inputs), "unsupported argument in `call_fn`: `key`"),
    (lambda: JaxLayer(lambda inputs: inputs, init_fn=lambda seed, inputs: 0),
     "unsupported argument in `init_fn`"),
    (lambda: FlaxLayer("mlp"), "flax.linen.Module"),
    (lambda: Wrapper("dense"), "isn't a supported layer"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(jnet.errors.JnetError, match=match):
        make()


class Scaled(Wrapper):
    """Keras's documented pattern: a wrapper with a weight of its own."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, inputs):
        return self.scale * self.layer(inputs)


def test_user_wrapper_trains_in_functional_and_sequential_models():
    x, y = _data()
    inputs = jnet.Input((3,))
    wrapped = Scaled(jnet.layers.Dense(2, kernel_initializer="ones"), name="scaled")
    model = jnet.Model(inputs, jnet.layers.Dense(1)(wrapped(inputs)))
    assert [w.shape for w in wrapped.get_weights()] == [(), (3, 2), (2,)]
    model.compile("sgd", "mse")
    history = model.fit(x, y, epochs=2, verbose=0).history
    assert history["loss"][1] < history["loss"][0]
    assert float(wrapped.get_weights()[0]) != 1.0  # the wrapper's own weight trains
    seq = jnet.Sequential([jnet.Input((3,)), Scaled(jnet.layers.Dense(2))])
    assert seq.predict(x, verbose=0).shape == (16, 2)
    config = wrapped.get_config()
    assert config["name"] == "scaled" and isinstance(config["layer"], jnet.layers.Dense)
    rebuilt = Scaled.from_config(config)
    assert rebuilt.layer is wrapped.layer and rebuilt.name == "scaled"
