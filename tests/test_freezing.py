"""Freezing (``layer.trainable = False``), as Keras 3 on TensorFlow does it.

A frozen layer's weights get no gradient and no optimizer update (weight decay included), a
frozen BatchNormalization runs in inference mode, the summary counts frozen weights as
non-trainable, and a change of ``trainable`` takes effect at the next ``compile()``.
"""

import types

import jax
import numpy as np
import pytest

import jnet
from jnet.training.state import trainable_mask

N, D, EPOCHS, BATCH = 64, 5, 3, 16


def _data(rng):
    x = rng.normal(size=(N, D)).astype(np.float32)
    y = (x @ rng.normal(size=(D, 1)) + 0.1 * rng.normal(size=(N, 1))).astype(np.float32)
    return x, y


def _mlp(lib, batch_norm=False):
    layers = [lib.Input((D,)), lib.layers.Dense(8, activation="relu")]
    if batch_norm:
        layers.append(lib.layers.BatchNormalization())
    layers += [lib.layers.Dense(6, activation="tanh"), lib.layers.Dense(1)]
    return lib.Sequential(layers)


# -- the flag ------------------------------------------------------------------------------------


def test_trainable_can_be_set_on_constructed_and_built_layers():
    layer = jnet.layers.Dense(3)
    layer.trainable = False
    assert layer.trainable is False
    assert jnet.layers.Dense(3, trainable=False).get_config()["trainable"] is False
    model = _mlp(jnet)
    model.build((None, D))
    model.layers[1].trainable = 0
    assert model.layers[1].trainable is False
    model.trainable = False
    assert not model.trainable and not any(lay.trainable for lay in model.layers)
    model.trainable = True
    assert all(lay.trainable for lay in model.layers)


def test_trainable_and_non_trainable_weights_follow_keras_order(keras, rng):
    kmodel, jmodel = _mlp(keras, batch_norm=True), _mlp(jnet, batch_norm=True)
    jmodel.set_weights(kmodel.get_weights())
    for k, j in ((kmodel, jmodel), (kmodel.layers[0], jmodel.layers[0])):
        assert len(j.trainable_weights) == len(k.trainable_weights)
    kmodel.layers[0].trainable = False
    jmodel.layers[0].trainable = False
    for kl, jl in zip(kmodel.layers, jmodel.layers, strict=True):
        for kw, jw in ((kl.trainable_weights, jl.trainable_weights),
                       (kl.non_trainable_weights, jl.non_trainable_weights)):
            assert len(kw) == len(jw)
            for a, b in zip(kw, jw, strict=True):
                np.testing.assert_array_equal(np.asarray(a), b)
    for kw, jw in ((kmodel.trainable_weights, jmodel.trainable_weights),
                   (kmodel.non_trainable_weights, jmodel.non_trainable_weights)):
        assert [tuple(w.shape) for w in kw] == [w.shape for w in jw]
        for a, b in zip(kw, jw, strict=True):
            np.testing.assert_array_equal(np.asarray(a), b)
    kmodel.trainable = False
    jmodel.trainable = False
    assert jmodel.trainable_weights == [] and kmodel.trainable_weights == []
    assert len(jmodel.non_trainable_weights) == len(kmodel.non_trainable_weights)


# -- the optimizer does not move frozen weights --------------------------------------------------


@pytest.mark.parametrize(
    "optimizer",
    [
        jnet.optimizers.Adam(learning_rate=0.01),
        jnet.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1),
        jnet.optimizers.SGD(learning_rate=0.01, momentum=0.9, weight_decay=0.05),
    ],
    ids=["adam", "adamw", "sgd_wd"],
)
def test_a_frozen_dense_keeps_bit_identical_weights(rng, optimizer):
    x, y = _data(rng)
    model = _mlp(jnet)
    model.layers[1].trainable = False
    model.compile(optimizer=optimizer, loss="mse")
    before = [w.copy() for w in model.get_weights()]
    reference = jax.tree_util.tree_structure(
        optimizer.build().init(model.variables["params"])
    )
    model.fit(x, y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[2], before[2])  # the frozen kernel
    np.testing.assert_array_equal(after[3], before[3])  # and bias
    for i in (0, 1, 4, 5):
        assert not np.array_equal(after[i], before[i]), i
    # The optimizer state keeps its structure (LR callbacks and checkpoints read it).
    assert jax.tree_util.tree_structure(model._train_state.opt_state) == reference


def test_the_pure_train_step_honours_the_mask(rng):
    x, y = _data(rng)
    model = _mlp(jnet)
    model.build((None, D))
    model.layers[0].trainable = False
    state = jnet.training.TrainState.create(
        model, optimizer=jnet.optimizers.AdamW(0.01, weight_decay=0.5), loss="mse"
    )
    assert state.spec.trainable_mask["dense"] == {"bias": False, "kernel": False}
    assert state.spec.trainable_mask["dense_1"] == {"bias": True, "kernel": True}
    step = jax.jit(jnet.training.train_step)
    new, _ = step(state, (x[:BATCH], y[:BATCH]))
    new, _ = step(new, (x[BATCH:2 * BATCH], y[BATCH:2 * BATCH]))
    before = model.variables["params"]
    np.testing.assert_array_equal(new.params["dense"]["kernel"], before["dense"]["kernel"])
    assert not np.array_equal(new.params["dense_1"]["kernel"], before["dense_1"]["kernel"])


def test_no_mask_when_everything_trains():
    model = _mlp(jnet)
    model.build((None, D))
    assert trainable_mask(model) is None
    model.trainable = False
    mask = trainable_mask(model)
    assert not any(jax.tree_util.tree_leaves(mask))


def test_the_mask_nests_for_a_model_used_as_a_layer():
    inner = jnet.Sequential([jnet.layers.Dense(4, input_shape=(3,)), jnet.layers.Dense(2)],
                            name="base")
    inner.build((None, 3))
    inner.layers[0].trainable = False
    head = jnet.layers.Dense(1, name="head")
    params = {"base": inner.variables["params"], "head": {"kernel": 0, "bias": 0}}
    outer = types.SimpleNamespace(
        layers=[inner, head], trainable=True, variables={"params": params}
    )
    mask = trainable_mask(outer)
    assert mask == {
        "base": {"dense": {"bias": False, "kernel": False}, "dense_1": {"bias": True,
                                                                    "kernel": True}},
        "head": {"bias": True, "kernel": True},
    }
    inner.trainable = False
    assert not any(jax.tree_util.tree_leaves(trainable_mask(outer)["base"]))
    outer.trainable = False
    assert not any(jax.tree_util.tree_leaves(trainable_mask(outer)))


def test_a_change_of_trainable_takes_effect_at_the_next_compile(rng):
    x, y = _data(rng)
    model = _mlp(jnet)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    model.layers[1].trainable = False
    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()
    model.fit(x, y, epochs=2, batch_size=BATCH, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[2], before[2])
    assert not np.array_equal(after[0], before[0])


def test_sequential_trainable_false_freezes_everything(rng):
    x, y = _data(rng)
    model = jnet.Sequential([jnet.Input((D,)), jnet.layers.Dense(2), jnet.layers.Dense(1)],
                            trainable=False)
    assert all(lay.trainable for lay in model.layers)  # Keras: the layers keep their flags
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()
    model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


# -- Keras parity --------------------------------------------------------------------------------


def _fit_pair(keras, rng, batch_norm, frozen, optimizer):
    x, y = _data(rng)
    keras.utils.set_random_seed(0)
    kmodel, jmodel = _mlp(keras, batch_norm), _mlp(jnet, batch_norm)
    jmodel.set_weights(kmodel.get_weights())
    for i in frozen:
        kmodel.layers[i].trainable = False
        jmodel.layers[i].trainable = False
    name, kwargs = optimizer
    kmodel.compile(optimizer=getattr(keras.optimizers, name)(**kwargs), loss="mse")
    jmodel.compile(optimizer=getattr(jnet.optimizers, name)(**kwargs), loss="mse")
    start = jmodel.get_weights()
    kh = kmodel.fit(x, y, epochs=EPOCHS, batch_size=BATCH, shuffle=False, verbose=0)
    jh = jmodel.fit(x, y, epochs=EPOCHS, batch_size=BATCH, shuffle=False, verbose=0)
    np.testing.assert_allclose(jh.history["loss"], kh.history["loss"], rtol=1e-4)
    for kw, jw in zip(kmodel.get_weights(), jmodel.get_weights(), strict=True):
        np.testing.assert_allclose(jw, kw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        jmodel.predict(x, verbose=0), kmodel.predict(x, verbose=0), rtol=1e-4, atol=1e-5
    )
    return start, kmodel, jmodel


@pytest.mark.parametrize(
    "optimizer",
    [("Adam", {"learning_rate": 0.01}), ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1})],
    ids=["adam", "adamw"],
)
def test_frozen_first_layer_matches_keras_losses(keras, rng, optimizer):
    start, _, jmodel = _fit_pair(keras, rng, batch_norm=False, frozen=[0], optimizer=optimizer)
    np.testing.assert_array_equal(jmodel.get_weights()[0], start[0])


def test_frozen_batch_normalization_keeps_moving_stats_and_matches_keras(keras, rng):
    start, kmodel, jmodel = _fit_pair(
        keras, rng, batch_norm=True, frozen=[1], optimizer=("Adam", {"learning_rate": 0.01})
    )
    # gamma, beta, moving_mean, moving_variance: all unchanged (inference mode in training).
    for i in range(2, 6):
        np.testing.assert_array_equal(jmodel.get_weights()[i], start[i])
        np.testing.assert_array_equal(kmodel.get_weights()[i], start[i])


def test_unfrozen_batch_normalization_updates_moving_stats(rng):
    x, y = _data(rng)
    model = _mlp(jnet, batch_norm=True)
    model.compile(optimizer="adam", loss="mse")
    before = model.get_weights()
    model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0)
    assert not np.array_equal(model.get_weights()[4], before[4])


def _totals(text):
    return [line.strip() for line in text.splitlines() if "params:" in line]


@pytest.mark.parametrize("frozen", [[0], [1], [0, 2], "model"], ids=str)
def test_summary_totals_match_keras(keras, frozen):
    kmodel, jmodel = _mlp(keras, batch_norm=True), _mlp(jnet, batch_norm=True)
    if frozen == "model":
        kmodel.trainable = False
        jmodel.trainable = False
    else:
        for i in frozen:
            kmodel.layers[i].trainable = False
            jmodel.layers[i].trainable = False
    klines, jlines = [], []
    kmodel.summary(print_fn=lambda line, **_: klines.append(line))
    jmodel.summary(print_fn=jlines.append)
    totals = _totals("\n".join(klines))
    assert len(totals) == 3  # Total, Trainable, Non-trainable
    assert _totals("\n".join(jlines)) == totals
    assert jmodel.count_params() == kmodel.count_params()
