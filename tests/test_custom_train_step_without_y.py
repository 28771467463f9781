"""``fit(x)`` and ``evaluate(x)`` without ``y`` for models whose own step reads the batch.

Keras's GAN and VAE examples call ``model.fit(data)``: the model's ``train_step(state, data)``
unpacks ``data`` itself. The GAN here is written in Keras's JAX form (the "customizing what
happens in fit() with JAX" guide's state tuple, ``stateless_call`` on each part,
``optimizer.stateless_apply``): a model without ``call`` made of a generator and a
discriminator, two optimizers built on the parts' ``trainable_variables`` (their variables
follow the compiled optimizer's in ``optimizer_variables``), latent draws from a
``SeedGenerator`` attribute. jnet's built-in step still refuses data without targets.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import errors
from jnet.training import data_adapters as adapters

keras = jnet

LATENT = 4


class GAN(keras.Model):
    def __init__(self, discriminator, generator, seed=1337):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(seed)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def train_step(self, state, data):
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        real = data
        n_d = len(self.discriminator.trainable_variables)
        d_vars, g_vars = trainable[:n_d], trainable[n_d:]
        n_dn = len(self.discriminator.non_trainable_variables)
        d_nt, g_nt = non_trainable[:n_dn], non_trainable[n_dn:]
        n_do, n_go = len(self.d_optimizer.variables), len(self.g_optimizer.variables)
        n_main = len(optimizer_variables) - n_do - n_go
        main = optimizer_variables[:n_main]
        d_opt = optimizer_variables[n_main:n_main + n_do]
        g_opt = optimizer_variables[n_main + n_do:]
        batch = real.shape[0]

        z = keras.random.normal((batch, LATENT), seed=self.seed_generator)
        fake, g_nt = self.generator.stateless_call(g_vars, g_nt, z, training=True)
        x = jnp.concatenate([fake, real], axis=0)
        labels = jnp.concatenate([jnp.ones((batch, 1)), jnp.zeros((batch, 1))], axis=0)

        def d_loss_fn(d_vars):
            pred, _ = self.discriminator.stateless_call(d_vars, d_nt, x, training=True)
            return self.loss_fn(labels, pred)

        d_loss, d_grads = jax.value_and_grad(d_loss_fn)(d_vars)
        d_vars, d_opt = self.d_optimizer.stateless_apply(d_opt, d_grads, d_vars)

        z = keras.random.normal((batch, LATENT), seed=self.seed_generator)

        def g_loss_fn(g_vars):
            fake, _ = self.generator.stateless_call(g_vars, g_nt, z, training=True)
            pred, _ = self.discriminator.stateless_call(d_vars, d_nt, fake, training=True)
            return self.loss_fn(jnp.zeros((batch, 1)), pred)

        g_loss, g_grads = jax.value_and_grad(g_loss_fn)(g_vars)
        g_vars, g_opt = self.g_optimizer.stateless_apply(g_opt, g_grads, g_vars)

        n_m = len(self.d_loss_tracker.variables)
        d_m = self.d_loss_tracker.stateless_update_state(metrics_variables[:n_m], d_loss)
        g_m = self.g_loss_tracker.stateless_update_state(metrics_variables[n_m:], g_loss)
        logs = {"d_loss": self.d_loss_tracker.stateless_result(d_m),
                "g_loss": self.g_loss_tracker.stateless_result(g_m)}
        return logs, ([*d_vars, *g_vars], [*d_nt, *g_nt], [*main, *d_opt, *g_opt],
                      [*d_m, *g_m])

    def test_step(self, state, data):
        trainable, non_trainable, metrics_variables = state
        n_d = len(self.discriminator.trainable_variables)
        n_dn = len(self.discriminator.non_trainable_variables)
        pred, _ = self.discriminator.stateless_call(trainable[:n_d], non_trainable[:n_dn],
                                                    data)
        d_loss = self.loss_fn(jnp.zeros((data.shape[0], 1)), pred)
        n_m = len(self.d_loss_tracker.variables)
        d_m = self.d_loss_tracker.stateless_update_state(metrics_variables[:n_m], d_loss)
        logs = {"d_loss": self.d_loss_tracker.stateless_result(d_m)}
        return logs, (trainable, non_trainable, [*d_m, *metrics_variables[n_m:]])


def _gan():
    jnet.utils.set_random_seed(3)
    discriminator = keras.Sequential([keras.Input(shape=(2,)),
                                      keras.layers.Dense(16, activation="relu"),
                                      keras.layers.Dense(1)], name="discriminator")
    generator = keras.Sequential([keras.Input(shape=(LATENT,)),
                                  keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(2)], name="generator")
    gan = GAN(discriminator, generator)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2),
                g_optimizer=keras.optimizers.Adam(1e-2),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    return gan


@pytest.fixture(scope="module")
def real():
    return np.random.default_rng(0).normal([2.0, -1.0], 0.5, (64, 2)).astype("float32")


@pytest.fixture(scope="module")
def trained(real):
    gan = _gan()
    before = [gan.discriminator.get_weights(), gan.generator.get_weights()]
    history = gan.fit(real, batch_size=16, epochs=3, verbose=0)
    return gan, before, history.history


def test_gan_fit_without_y_trains_both_parts(trained):
    gan, (d_before, g_before), history = trained
    assert sorted(history) == ["d_loss", "g_loss"]
    assert all(len(v) == 3 and np.all(np.isfinite(v)) for v in history.values())
    for before, part in ((d_before, gan.discriminator), (g_before, gan.generator)):
        after = part.get_weights()
        assert all(not np.allclose(a, b) for a, b in zip(after, before, strict=True))
    # the parts' trained weights are the GAN's own
    n_d = len(gan.discriminator.trainable_variables)
    for view, weight in zip(gan.trainable_variables[:n_d], gan.discriminator.get_weights(),
                            strict=True):
        np.testing.assert_array_equal(np.asarray(view), weight)


def test_gan_fit_is_deterministic_with_a_seed(trained, real):
    gan, _, history = trained
    again = _gan()
    assert again.fit(real, batch_size=16, epochs=3, verbose=0).history == history
    for a, b in zip(again.generator.get_weights(), gan.generator.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_evaluate_without_y_runs_the_custom_test_step(trained, real):
    gan, _, _ = trained
    logs = gan.evaluate(real, batch_size=64, verbose=0, return_dict=True)
    pred = gan.discriminator.predict(real, verbose=0)
    expected = keras.losses.BinaryCrossentropy(from_logits=True)(np.zeros((64, 1)), pred)
    np.testing.assert_allclose(logs["d_loss"], float(expected), rtol=1e-5)


def test_batches_without_y_pass_through_when_targets_are_optional(real):
    spec = jnet.training.inputs.InputSpec(input_shapes=(None, 2), layer_name="d", built=True)
    optional = adapters.BatchChecker(spec, targets=adapters.OPTIONAL)
    assert [a.shape for a in optional(real[:4], 0)] == [(4, 2)]
    with_y = optional((real[:4], np.ones((4, 1))), 0)
    assert [getattr(a, "shape", None) for a in with_y] == [(4, 2), (4, 1), None]
    with pytest.raises(errors.JnetValueError, match="Batch 0 .* no targets"):
        adapters.BatchChecker(spec, targets=True)(real[:4], 0)


@pytest.mark.parametrize("call", ["fit", "evaluate"])
def test_the_builtin_step_still_needs_y(call):
    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(errors.JnetValueError, match="y is None"):
        getattr(model, call)(np.ones((4, 2), "float32"), verbose=0)
