"""save_checkpoint / load_checkpoint: the live training state, restored so fit continues exactly."""

import numpy as np
import pytest

import jnet
from jnet.saving import FileFormatError, load_checkpoint, save_checkpoint

L = jnet.layers


def _model():
    model = jnet.Sequential([
        L.Dense(8, activation="relu", input_shape=(4,)),
        L.BatchNormalization(),
        L.Dropout(0.5),
        L.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


def test_resume_from_a_checkpoint_matches_the_uninterrupted_run(tmp_path, rng):
    x = rng.normal(size=(32, 4)).astype(np.float32)
    y = rng.normal(size=(32, 1)).astype(np.float32)
    jnet.utils.set_random_seed(3)
    model = _model()
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    gen = np.random.default_rng(7)
    gen.random(3)
    path = tmp_path / "ckpt.safetensors"
    save_checkpoint(path, model, {"epoch": 2, "shuffle": gen.bit_generator.state})
    expected = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history

    jnet.utils.set_random_seed(99)  # a fresh process: other initial weights, other keys
    resumed = _model()
    extra = load_checkpoint(path, resumed)
    assert extra["epoch"] == 2
    restored = np.random.default_rng()
    restored.bit_generator.state = extra["shuffle"]
    np.testing.assert_array_equal(restored.random(4), gen.random(4))
    assert int(resumed._train_state.step) == 8
    got = resumed.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False).history
    assert got == expected  # dropout masks, Adam moments and batch statistics all continue
    for a, b in zip(resumed.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_errors(tmp_path):
    model = _model()
    path = tmp_path / "ckpt.safetensors"
    with pytest.raises(jnet.errors.JnetTypeError, match="JSON"):
        save_checkpoint(path, model, {"gen": np.random.default_rng()})
    assert not path.exists()
    save_checkpoint(path, model, None)
    uncompiled = jnet.Sequential([L.Dense(1, input_shape=(4,))])
    with pytest.raises(jnet.errors.NotCompiledError):
        load_checkpoint(path, uncompiled)
    other = jnet.Sequential([L.Dense(3, input_shape=(4,)), L.Dense(1)])
    other.compile(optimizer="adam", loss="mse")
    with pytest.raises(FileFormatError, match="does not match"):
        load_checkpoint(path, other)
    sgd = _model()
    sgd.compile(optimizer="sgd", loss="mse")
    with pytest.raises(FileFormatError, match="optimizer state"):
        load_checkpoint(path, sgd)
    model.save(tmp_path / "m.jnet")
    with pytest.raises(FileFormatError, match="'jnet.model' file"):
        load_checkpoint(tmp_path / "m.jnet", model)
    assert load_checkpoint(path, model) == {}
