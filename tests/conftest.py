"""Test settings shared by every test file.

* TensorFlow is the reference for parity tests: Keras runs on its TensorFlow backend, quietly.
* JAX runs with strict dtype promotion and rank promotion that raises, so an accidental
  broadcast (labels (N,) against predictions (N, 1) becoming (N, N)) fails instead of
  producing a silently wrong number.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
# Tests never write compiled programs into the user's home (test_compilation_cache turns the
# cache on in subprocesses of its own, in a temporary folder).
os.environ.setdefault("JNET_COMPILATION_CACHE", "0")

import jax  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

jax.config.update("jax_numpy_dtype_promotion", "strict")
jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_default_matmul_precision", "highest")

from jnet.symbolic import naming  # noqa: E402  (after JAX's settings above)


@pytest.fixture(scope="session")
def keras():
    """Real Keras 3 on the TensorFlow backend: the judge of every parity test."""
    import keras as keras_module
    import tensorflow as tf

    tf.config.experimental.enable_tensor_float_32_execution(False)
    assert keras_module.backend.backend() == "tensorflow"
    return keras_module


@pytest.fixture
def rng():
    """A seeded numpy generator, fresh per test."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _fresh_model_names():
    """Each test starts a fresh naming session, as Keras's own tests do (``clear_session`` in
    their ``setUp``): the first unnamed ``Sequential`` of a test is ``'sequential'``."""
    naming.clear_uids()
