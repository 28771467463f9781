"""Training parity for the rest of Keras's optimizers: ``model.fit`` against real Keras.

As in tests/test_fit_parity.py: the same small Dense model in both, Keras's initial weights
copied into jnet, 5 epochs with shuffle=False, per-epoch losses compared within 1e-4 relative,
for every optimizer plain and with clipping and weight decay.
"""

import numpy as np
import pytest

import jnet

N, D, EPOCHS, BATCH = 100, 6, 5, 16  # 100 % 16 = 4: a partial last batch every epoch


def _data(rng):
    x = rng.normal(size=(N, D)).astype(np.float32)
    y = (x @ rng.normal(size=(D, 1)) + 0.1 * rng.normal(size=(N, 1))).astype(np.float32)
    return x, y


def _pair(keras, name, kwargs):
    keras.utils.set_random_seed(0)  # Keras's initial weights, the same every run
    kmodel = keras.Sequential(
        [
            keras.Input((D,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    jmodel = jnet.Sequential(
        [
            jnet.Input(shape=(D,)),
            jnet.layers.Dense(8, activation="relu"),
            jnet.layers.Dense(1),
        ]
    )
    kmodel.compile(optimizer=getattr(keras.optimizers, name)(**kwargs), loss="mse")
    jmodel.compile(optimizer=getattr(jnet.optimizers, name)(**kwargs), loss="mse")
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


# Learning rates that converge (a diverging run amplifies rounding past any tolerance).
# The same runs with clipping and weight decay are in test_optimizers_fit_parity_regularized.py.
OPTIMIZERS = [
    ("Adagrad", {"learning_rate": 0.05}),
    ("Adamax", {"learning_rate": 0.02}),
    ("Nadam", {"learning_rate": 0.01}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Ftrl", {"learning_rate": 0.05}),
    ("Lion", {"learning_rate": 0.002}),
    ("Lamb", {"learning_rate": 0.02}),
    ("Adafactor", {"learning_rate": 0.02}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1}),
]


def case_id(name, kwargs):
    return f"{name}-{'-'.join(k for k in kwargs if k != 'learning_rate') or 'plain'}"


def fit_and_compare(keras, rng, name, kwargs):
    """Fits both models 5 epochs; per-epoch losses within 1e-4 relative, weights close."""
    x, y = _data(rng)
    kmodel, jmodel = _pair(keras, name, kwargs)
    kh = kmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-4, atol=1e-6)
    assert kh.history["loss"][-1] < kh.history["loss"][0]  # the run converges
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=5e-5)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=[case_id(n, kw) for n, kw in OPTIMIZERS])
def test_fit_losses_match_keras(keras, rng, name, kwargs):
    fit_and_compare(keras, rng, name, kwargs)
