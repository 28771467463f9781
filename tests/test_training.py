"""The pure level: TrainState, train/eval/predict steps, no recompilation, determinism."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers import Dense
from jnet.training import TrainState, eval_step, loop, predict_step, train_step


def _model():
    return jnet.Sequential([Dense(8, activation="relu", input_shape=(3,)), Dense(1)])


def _batch(rng, n=16):
    x = rng.normal(size=(n, 3)).astype(np.float32)
    return x, (x.sum(axis=1, keepdims=True) > 0).astype(np.float32)


def test_train_step_is_pure_and_updates(rng):
    model = _model()
    state = TrainState.create(model, optimizer="sgd", loss="mse", metrics=["mae"])
    batch = _batch(rng)
    new_state, logs = jax.jit(train_step)(state, batch)
    assert int(new_state.step) == 1 and int(state.step) == 0
    assert set(logs) == {"loss", "mae"}
    changed = jax.tree_util.tree_map(lambda a, b: bool((a != b).any()), state.params,
                                     new_state.params)
    assert all(jax.tree_util.tree_leaves(changed))


def test_train_step_loss_equals_direct_computation(rng):
    model = _model()
    state = TrainState.create(model, optimizer="sgd", loss="mse")
    x, y = _batch(rng)
    expected = float(np.mean((np.asarray(model.apply(state.variables, x)) - y) ** 2))
    _, logs = train_step(state, (x, y))
    assert float(logs["loss"]) == pytest.approx(expected, rel=1e-6)


def test_train_step_does_not_recompile(rng):
    traces = []

    def counted(state, batch):
        traces.append(1)
        return train_step(state, batch)

    step = jax.jit(counted, donate_argnums=0)
    state = TrainState.create(_model(), optimizer="adam", loss="mse", metrics=["mae"])
    for _ in range(3):
        state, _ = step(state, _batch(rng))
    assert len(traces) == 1


def test_fit_compiles_each_chunk_shape_once(rng):
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    x, y = _batch(rng, 50)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    before = loop.train_chunk._cache_size()
    model.fit(x, y, batch_size=16, epochs=3, verbose=0, validation_split=0.2)
    middle = loop.train_chunk._cache_size()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, validation_split=0.2)
    # epoch 1 of the second fit compiled the (2, 16) and (1, 8) chunks of the 40-row split
    # (fewer when another test in this process compiled the same model's chunks already);
    # nothing after it compiled again.
    assert middle - before <= 2
    assert loop.train_chunk._cache_size() == middle


def test_eval_and_predict_steps(rng):
    model = _model()
    state = TrainState.create(model, optimizer="sgd", loss="mse")
    x, y = _batch(rng)
    state2, logs = eval_step(state, (x, y))
    np.testing.assert_array_equal(
        np.asarray(jax.tree_util.tree_leaves(state2.params)[0]),
        np.asarray(jax.tree_util.tree_leaves(state.params)[0]),
    )
    assert float(logs["loss"]) > 0
    assert predict_step(state, x).shape == (16, 1)


def test_low_level_loop_matches_fit(rng):
    """fit is only a shell: a hand-written loop of train_step gives the same losses."""
    x, y = _batch(rng, 64)
    jnet.utils.set_random_seed(0)
    model = _model()
    weights = model.get_weights()
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)

    other = _model()
    other.set_weights(weights)
    state = TrainState.create(other, optimizer="adam", loss="mse")
    step = jax.jit(train_step)
    losses = []
    for _ in range(2):
        state = state.reset_metrics()
        for i in range(0, 64, 16):
            state, logs = step(state, (x[i:i + 16], y[i:i + 16]))
        losses.append(float(logs["loss"]))
    np.testing.assert_allclose(losses, history.history["loss"], rtol=1e-5)


def test_same_seed_same_losses(rng):
    x, y = _batch(rng, 40)
    runs = []
    for _ in range(2):
        jnet.utils.set_random_seed(42)
        model = _model()
        model.compile(optimizer="adam", loss="mse")
        runs.append(model.fit(x, y, batch_size=8, epochs=3, verbose=0).history["loss"])
    assert runs[0] == runs[1]


def test_steps_per_execution_does_not_change_numbers(rng):
    x, y = _batch(rng, 50)
    results = []
    for spe in (1, 3, "auto"):
        model = _model()
        model.set_weights([np.full_like(w, 0.1) for w in model.get_weights()])
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=spe)
        results.append(model.fit(x, y, batch_size=8, epochs=2, shuffle=False,
                                 verbose=0).history["loss"])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
    np.testing.assert_allclose(results[0], results[2], rtol=1e-6)


def test_plan_batches_keeps_partial_batch_and_shuffles_everything():
    chunks = loop.plan_batches(10, 4, 8, shuffle=True, rng=np.random.default_rng(0))
    assert [c.shape for c in chunks] == [(2, 4), (1, 2)]
    assert sorted(np.concatenate([c.reshape(-1) for c in chunks]).tolist()) == list(range(10))
    chunks = loop.plan_batches(10, 4, 1, shuffle=False, rng=None)
    assert [c.shape for c in chunks] == [(1, 4), (1, 4), (1, 2)]
    assert loop.plan_batches(10, 4, 8, False, None, max_steps=1)[0].shape == (1, 4)


def _random_cnn():
    L = jnet.layers
    return jnet.Sequential([
        jnet.Input(shape=(6, 6, 1)),
        L.RandomFlip("horizontal"),
        L.Conv2D(3, 3, activation="relu"),
        L.BatchNormalization(),
        L.Flatten(),
        L.Dropout(0.5),
        L.Dense(1),
    ])


def _fit_random_cnn(seed, x, y, steps_per_execution="auto"):
    jnet.utils.set_random_seed(seed)
    model = _random_cnn()
    model.compile(optimizer="adam", loss="mse", steps_per_execution=steps_per_execution)
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0).history["loss"]
    return history, model.get_weights()


def test_dropout_and_augmentation_are_deterministic_per_seed(rng):
    x = rng.normal(size=(30, 6, 6, 1)).astype(np.float32)
    y = rng.normal(size=(30, 1)).astype(np.float32)
    losses_a, weights_a = _fit_random_cnn(7, x, y)
    losses_b, weights_b = _fit_random_cnn(7, x, y)
    assert losses_a == losses_b
    for a, b in zip(weights_a, weights_b, strict=True):
        np.testing.assert_array_equal(a, b)
    # Each step's key is fold_in(rng, step): how steps are grouped per dispatch is irrelevant.
    losses_c, _ = _fit_random_cnn(7, x, y, steps_per_execution=1)
    np.testing.assert_allclose(losses_c, losses_a, rtol=1e-5)
    losses_d, _ = _fit_random_cnn(8, x, y)
    assert losses_d != losses_a


def test_predict_and_evaluate_run_in_inference_mode(rng):
    x = rng.normal(size=(16, 6, 6, 1)).astype(np.float32)
    y = rng.normal(size=(16, 1)).astype(np.float32)
    jnet.utils.set_random_seed(0)
    model = _random_cnn()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, second)  # no dropout, no flips, moving statistics
    mse = float(np.mean((first - y) ** 2))
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), mse, rtol=1e-5)
