"""Functional-API parity with real TensorFlow Keras: a residual CNN (outputs and 3 epochs of
training from the same weights) and the Keras course's intermediate-activations model."""

import numpy as np
import pytest

import jnet

N, BATCH = 70, 16  # a partial last batch every epoch


def _residual(lib):
    L = lib.layers
    inputs = lib.Input(shape=(8, 8, 2))
    shortcut = L.Conv2D(4, 1, padding="same")(inputs)
    x = L.Conv2D(4, 3, padding="same", use_bias=False)(inputs)  # BN follows
    x = L.BatchNormalization()(x)
    x = L.Activation("relu")(x)
    x = L.Conv2D(4, 3, padding="same")(x)
    x = L.Add()([x, shortcut])
    x = L.GlobalAveragePooling2D()(x)
    outputs = L.Dense(3, activation="softmax")(x)
    return lib.Model(inputs, outputs)


def _data(rng):
    x = rng.normal(size=(N, 8, 8, 2)).astype(np.float32)
    y = (x[:, :4, :, 0].mean(axis=(1, 2)) > 0).astype(np.int32) + (
        x[:, :, :4, 1].mean(axis=(1, 2)) > 0.1
    ).astype(np.int32)
    return x, y


@pytest.fixture
def residual_pair(keras):
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _residual(keras), _residual(jnet)
    assert [w.shape for w in jmodel.get_weights()] == [w.shape for w in kmodel.get_weights()]
    jmodel.set_weights(kmodel.get_weights())
    return kmodel, jmodel


def test_residual_cnn_predicts_as_keras(residual_pair, rng):
    kmodel, jmodel = residual_pair
    x, _ = _data(rng)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert [type(lay).__name__ for lay in jmodel.layers] == [
        type(lay).__name__ for lay in kmodel.layers
    ]


def test_residual_cnn_trains_as_keras(keras, residual_pair, rng):
    kmodel, jmodel = residual_pair
    x, y = _data(rng)
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(
            optimizer=lib.optimizers.Adam(learning_rate=0.01),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    fit = {"batch_size": BATCH, "epochs": 3, "shuffle": False, "verbose": 0}
    khist = kmodel.fit(x, y, **fit).history
    jhist = jmodel.fit(x, y, **fit).history
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-4, atol=1e-6, err_msg=key)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-3, atol=1e-5)


def _cnn_layers(lib):
    L = lib.layers
    return [
        L.Conv2D(4, 3, activation="relu"),
        L.MaxPooling2D(),
        L.Conv2D(6, 3, activation="relu"),
        L.Flatten(),
        L.Dense(3, activation="softmax"),
    ]


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_intermediate_activations_model_is_keras(keras, rng, kind):
    keras.utils.set_random_seed(1)
    models = []
    for lib in (keras, jnet):
        if kind == "sequential":
            models.append(lib.Sequential([lib.Input((10, 10, 1)), *_cnn_layers(lib)]))
        else:
            x = inputs = lib.Input(shape=(10, 10, 1))
            for layer in _cnn_layers(lib):
                x = layer(x)
            models.append(lib.Model(inputs, x))
    kmodel, jmodel = models
    jmodel.set_weights(kmodel.get_weights())
    # The Keras course: a model whose outputs are every layer's output.
    kprobe = keras.Model(inputs=kmodel.inputs, outputs=[lay.output for lay in kmodel.layers])
    jprobe = jnet.Model(inputs=jmodel.inputs, outputs=[lay.output for lay in jmodel.layers])
    assert len(jprobe.outputs) == len(kprobe.outputs)
    x = rng.normal(size=(5, 10, 10, 1)).astype(np.float32)
    kouts, jouts = kprobe.predict(x, verbose=0), jprobe.predict(x, verbose=0)
    assert len(jouts) == len(kouts)
    for j, k in zip(jouts, kouts, strict=True):
        np.testing.assert_allclose(j, k, rtol=1e-5, atol=1e-5)


# -- transfer learning: a frozen pretrained base inside a new model ------------------------------


def _base(lib):
    L = lib.layers
    return lib.Sequential(
        [
            lib.Input((8, 8, 2)),
            L.Conv2D(4, 3, activation="relu"),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Flatten(),
            L.Dense(6, activation="relu"),
        ],
        name="base",
    )


def _transfer(lib, base, style):
    """The Keras course's transfer learning: the frozen base called with training=False under
    a new head (functional), or the base as the first entry of a Sequential."""
    L = lib.layers
    if style == "sequential":
        return lib.Sequential(
            [base, L.Dense(5, activation="relu"), L.Dense(3, activation="softmax")]
        )
    inputs = lib.Input(shape=(8, 8, 2))
    x = base(inputs, training=False)
    x = L.Dense(5, activation="relu")(x)
    return lib.Model(inputs, L.Dense(3, activation="softmax")(x))


@pytest.fixture
def pretrained_pair(keras, rng):
    """A Keras base trained for an epoch (moving statistics moved too), and the same in jnet."""
    keras.utils.set_random_seed(2)
    kbase = _base(keras)
    x, y = _data(rng)
    kbase.compile(optimizer="adam", loss="mse")
    kbase.fit(x, rng.normal(size=(N, 6)), epochs=1, batch_size=BATCH, verbose=0)
    jbase = _base(jnet)
    jbase.set_weights(kbase.get_weights())
    return kbase, jbase, x, y


@pytest.mark.parametrize("style", ["functional", "sequential"])
def test_a_frozen_pretrained_base_trains_as_in_keras(keras, pretrained_pair, style):
    kbase, jbase, x, y = pretrained_pair
    pretrained = kbase.get_weights()
    for base in (kbase, jbase):
        base.trainable = False
    kmodel, jmodel = _transfer(keras, kbase, style), _transfer(jnet, jbase, style)
    assert [type(lay).__name__ for lay in jmodel.layers] == [
        type(lay).__name__ for lay in kmodel.layers
    ]
    # Keras's order: the nested model's weights (in its own order), then the head's.
    assert [w.shape for w in jmodel.get_weights()] == [w.shape for w in kmodel.get_weights()]
    assert len(jmodel.trainable_weights) == len(kmodel.trainable_weights) == 4
    jmodel.set_weights(kmodel.get_weights())
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-5, atol=1e-5
    )
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(
            optimizer=lib.optimizers.Adam(learning_rate=0.01),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    fit = {"batch_size": BATCH, "epochs": 3, "shuffle": False, "verbose": 0}
    khist = kmodel.fit(x, y, **fit).history
    jhist = jmodel.fit(x, y, **fit).history
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(jhist[key], khist[key], rtol=1e-4, atol=1e-6, err_msg=key)
    # The base did not move (moving statistics included: a frozen BatchNormalization runs in
    # inference mode), in the outer model and in the base model itself.
    for weights in (jmodel.get_weights()[: len(pretrained)], jbase.get_weights()):
        for w, p in zip(weights, pretrained, strict=True):
            np.testing.assert_allclose(w, p, rtol=1e-6, atol=1e-7)
    for jw, kw in zip(jmodel.get_weights(), kmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-4, atol=1e-5
    )


def test_fine_tuning_the_base_updates_the_base_model_as_in_keras(keras, pretrained_pair):
    """Unfrozen (fine-tuning), the base's weights train in the outer model, and the base model
    itself sees them (Keras shares the variables)."""
    kbase, jbase, x, y = pretrained_pair
    kmodel, jmodel = _transfer(keras, kbase, "sequential"), _transfer(jnet, jbase, "sequential")
    jmodel.set_weights(kmodel.get_weights())
    for model, lib in ((kmodel, keras), (jmodel, jnet)):
        model.compile(optimizer=lib.optimizers.Adam(learning_rate=0.01),
                      loss="sparse_categorical_crossentropy")
    fit = {"batch_size": BATCH, "epochs": 2, "shuffle": False, "verbose": 0}
    khist = kmodel.fit(x, y, **fit).history
    jhist = jmodel.fit(x, y, **fit).history
    np.testing.assert_allclose(jhist["loss"], khist["loss"], rtol=1e-4, atol=1e-6)
    for jw, kw in zip(jbase.get_weights(), kbase.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(
        jbase.predict(x, verbose=0), kbase.predict(x, verbose=0), rtol=1e-3, atol=1e-4
    )
