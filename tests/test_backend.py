"""jnet.backend: keras.backend's names, against Keras where the answer is Keras's."""

from __future__ import annotations

import numpy as np
import pytest

import jnet
from jnet import backend


def test_has_every_keras_backend_name(keras):
    missing = [n for n in dir(keras.backend) if not n.startswith("_") and not hasattr(backend, n)]
    assert not missing


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "int8", "uint32", "bool",
                                   "int64", "complex64", "string"])
def test_dtype_predicates_and_names_match_keras(keras, dtype):
    assert backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)
    assert backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)


def test_result_type_matches_keras_jax_rules():
    assert backend.result_type("int8", "uint8") == "int16"
    assert backend.result_type("int32", float) == "float32"
    assert backend.result_type("bfloat16", "float16") == "float32"


def test_settings_are_config():
    assert backend.backend() == "jax"
    assert backend.floatx() == jnet.config.floatx()
    assert backend.epsilon() == jnet.config.epsilon()
    assert backend.image_data_format() == "channels_last"
    backend.set_epsilon(1e-5)
    try:
        assert jnet.config.epsilon() == 1e-5
    finally:
        backend.set_epsilon(1e-7)


def test_is_keras_tensor():
    assert backend.is_keras_tensor(jnet.Input((2,)))
    assert not backend.is_keras_tensor(np.zeros(2))


def test_clear_session_resets_uids_global_generator_and_session_switches():
    backend.get_uid("thing")
    assert backend.get_uid("thing") >= 2
    jnet.config.set_dtype_policy("mixed_float16")
    jnet.config.disable_interactive_logging()
    jnet.utils.set_random_seed(3)
    a = jnet.random.normal((2,))
    backend.clear_session(free_memory=False)
    assert backend.get_uid("thing") == 1
    assert jnet.config.dtype_policy().name == "float32"
    assert jnet.config.is_interactive_logging_enabled()
    assert not np.array_equal(jnet.random.normal((2,)), a)  # a new global generator
    backend.clear_session()
    assert backend.get_uid("thing") == 1
