"""jnet.config: every name of keras.config, and what each switch does in jnet."""

from __future__ import annotations

import logging
import warnings

import jax
import numpy as np
import pytest

import jnet
from jnet import config
from jnet.errors import JnetValueError


def test_has_every_keras_config_name(keras):
    missing = [n for n in dir(keras.config) if not n.startswith("_") and not hasattr(config, n)]
    assert not missing


def test_backend():
    assert config.backend() == "jax"
    config.set_backend("jax")
    with pytest.raises(JnetValueError, match="JAX only"):
        config.set_backend("tensorflow")


def test_dtype_policy():
    assert config.dtype_policy() == jnet.DTypePolicy("float32")
    try:
        for name in ("mixed_float16", "mixed_bfloat16", "bfloat16", "float32"):
            config.set_dtype_policy(name)
            assert config.dtype_policy().name == name

        policy = jnet.DTypePolicy("mixed_float16")
        config.set_dtype_policy(policy)
        assert config.dtype_policy() is policy
        with pytest.raises(JnetValueError, match="mixed_float16"):
            config.set_dtype_policy("mixed_int8")
        with pytest.raises(JnetValueError, match="policy"):
            config.set_dtype_policy(3)
        with pytest.raises(JnetValueError, match="DTypePolicy"):
            config.set_dtype_policy(type("Policy", (), {"name": "mixed_float16"})())
    finally:
        config.set_dtype_policy("float32")


def test_switches_round_trip():
    config.enable_unsafe_deserialization()
    assert config.is_unsafe_deserialization_enabled()
    config.disable_unsafe_deserialization()
    assert not config.is_unsafe_deserialization_enabled()
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    assert config.is_nnx_enabled() is False


def test_traceback_filtering_is_jax_switch():
    assert config.is_traceback_filtering_enabled()
    config.disable_traceback_filtering()
    try:
        assert jax.config.jax_traceback_filtering == "off"
        assert not config.is_traceback_filtering_enabled()
    finally:
        config.enable_traceback_filtering()
    assert jax.config.jax_traceback_filtering == "auto"


def _model():
    model = jnet.Sequential([jnet.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_interactive_logging_sends_progress_to_logging(capsys, caplog):
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    config.disable_interactive_logging()
    try:
        with caplog.at_level(logging.INFO, logger="jnet"):
            _model().fit(x, y, epochs=2, batch_size=4, verbose=1)
    finally:
        config.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    lines = [r.getMessage() for r in caplog.records if r.name == "jnet"]
    assert "Epoch 1/2" in lines and any("2/2" in line for line in lines)
    _model().fit(x, y, epochs=1, batch_size=4, verbose=2)
    assert "2/2" in capsys.readouterr().out


def test_max_epochs_and_steps_cap_fit():
    x, y = np.ones((40, 2), "float32"), np.ones((40, 1), "float32")
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    seen = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = _model().fit(
                x, y, epochs=5, batch_size=4, verbose=0,
                callbacks=[jnet.callbacks.LambdaCallback(
                    on_train_batch_end=lambda batch, logs: seen.append(batch))],
            )
    finally:
        config.set_max_epochs(None)
        config.set_max_steps_per_epoch(None)
    assert len(history.history["loss"]) == 2
    assert len(seen) == 6
    messages = [str(w.message) for w in caught]
    assert "Limiting epochs to 2" in messages and "Limiting steps_per_epoch to 3" in messages
    assert config.max_epochs() is None and config.max_steps_per_epoch() is None
    with pytest.raises(JnetValueError, match="positive"):
        config.set_max_epochs(0)
