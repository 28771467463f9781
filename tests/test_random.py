"""jnet.random: Keras's seed semantics, shapes and dtypes, loose moments, pure use under jit,
and bit-identical draws to Keras's JAX backend for the same seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jnet
from jnet import random as jr
from jnet.errors import JnetValueError

SHAPE = (4000,)


def test_int_seed_repeats_and_generator_advances():
    assert np.array_equal(jr.normal((5,), seed=3), jr.normal((5,), seed=3))
    assert not np.array_equal(jr.normal((5,), seed=3), jr.normal((5,), seed=4))
    gen = jr.SeedGenerator(42)
    assert gen.state.dtype == jnp.uint32 and gen.state.tolist() == [42, 0]
    a, b = jr.uniform((5,), seed=gen), jr.uniform((5,), seed=gen)
    assert gen.state.tolist() == [42, 2]
    assert not np.array_equal(a, b)
    again = jr.SeedGenerator(42)
    assert np.array_equal(a, jr.uniform((5,), seed=again))


def test_set_random_seed_makes_unseeded_draws_bit_identical():
    jnet.utils.set_random_seed(7)
    first = [jr.normal((3,)), jr.randint((3,), 0, 100), jr.SeedGenerator().state]
    jnet.utils.set_random_seed(7)
    second = [jr.normal((3,)), jr.randint((3,), 0, 100), jr.SeedGenerator().state]
    for x, y in zip(first, second, strict=True):
        assert np.array_equal(x, y)
    assert not np.array_equal(jr.normal((3,)), first[0])  # the global generator advances


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_float_draws_shapes_and_dtypes(dtype):
    for draw in (
        lambda: jr.normal((2, 3), dtype=dtype, seed=1),
        lambda: jr.uniform((2, 3), dtype=dtype, seed=1),
        lambda: jr.truncated_normal((2, 3), dtype=dtype, seed=1),
        lambda: jr.gamma((2, 3), 2.0, dtype=dtype, seed=1),
        lambda: jr.binomial((2, 3), 5, 0.5, dtype=dtype, seed=1),
        lambda: jr.beta((2, 3), 2.0, 3.0, dtype=dtype, seed=1),
    ):
        x = draw()
        assert x.shape == (2, 3) and str(x.dtype) == dtype


def test_default_dtypes_and_64_bits_become_32():
    assert str(jr.normal((2,), seed=0).dtype) == "float32"
    assert str(jr.normal((2,), dtype="float64", seed=0).dtype) == "float32"
    assert str(jr.randint((2,), 0, 5, seed=0).dtype) == "int32"
    assert str(jr.randint((2,), 0, 5, dtype="int64", seed=0).dtype) == "int32"
    assert str(jr.randint((2,), 0, 5, dtype="uint8", seed=0).dtype) == "uint8"
    assert str(jr.categorical(np.zeros((2, 3)), 4, seed=0).dtype) == "int32"
    jnet.config.set_floatx("float16")
    try:
        assert str(jr.uniform((2,), seed=0).dtype) == "float16"
    finally:
        jnet.config.set_floatx("float32")


def test_moments():
    x = np.asarray(jr.normal(SHAPE, mean=2.0, stddev=3.0, seed=0))
    assert abs(x.mean() - 2) < 0.2 and abs(x.std() - 3) < 0.2
    u = np.asarray(jr.uniform(SHAPE, -1.0, 3.0, seed=0))
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1) < 0.1
    t = np.asarray(jr.truncated_normal(SHAPE, mean=1.0, stddev=2.0, seed=0))
    assert t.min() >= -3 and t.max() <= 5 and abs(t.mean() - 1) < 0.15
    g = np.asarray(jr.gamma(SHAPE, 3.0, seed=0))
    assert abs(g.mean() - 3) < 0.2
    b = np.asarray(jr.binomial(SHAPE, 10, 0.3, seed=0))
    assert abs(b.mean() - 3) < 0.2 and np.array_equal(b, np.round(b))
    be = np.asarray(jr.beta(SHAPE, 2.0, 6.0, seed=0))
    assert abs(be.mean() - 0.25) < 0.02
    r = np.asarray(jr.randint(SHAPE, 3, 7, seed=0))
    assert set(np.unique(r).tolist()) == {3, 4, 5, 6}
    c = np.asarray(jr.categorical(np.log([[0.2, 0.8], [0.9, 0.1]]), 2000, seed=0))
    assert c.shape == (2, 2000) and abs(c[0].mean() - 0.8) < 0.05 and abs(c[1].mean() - 0.1) < 0.05


def test_dropout():
    x = np.ones((200, 50), "float32")
    y = np.asarray(jr.dropout(x, 0.25, seed=0))
    assert set(np.unique(y).tolist()) <= {0.0, float(np.float32(1) / np.float32(0.75))}
    assert abs((y == 0).mean() - 0.25) < 0.03
    assert np.array_equal(jr.dropout(x, 0.0, seed=0), x)
    assert not np.asarray(jr.dropout(x, 1.0, seed=0)).any()
    cols = np.asarray(jr.dropout(x, 0.5, noise_shape=(1, None), seed=0))
    assert (cols == cols[:1]).all()  # one mask per column, shared by every row
    with pytest.raises(JnetValueError, match="rate"):
        jr.dropout(x, 1.5)
    with pytest.raises(JnetValueError, match="noise_shape"):
        jr.dropout(x, 0.5, noise_shape=(1,))


def test_shuffle_is_a_permutation_along_the_axis():
    x = np.arange(12).reshape(3, 4)
    y = np.asarray(jr.shuffle(x, axis=1, seed=0))
    assert (np.sort(y, axis=1) == x).all()
    assert np.array_equal(jr.shuffle(x, seed=3), jr.shuffle(x, seed=3))
    with pytest.raises(JnetValueError, match="axis"):
        jr.shuffle(x, axis=2)


def test_bad_arguments():
    with pytest.raises(JnetValueError, match="floating point"):
        jr.uniform((2,), dtype="int32")
    with pytest.raises(JnetValueError, match="integer"):
        jr.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(JnetValueError, match="2-D"):
        jr.categorical(np.zeros(3), 2)
    with pytest.raises(JnetValueError, match="seed"):
        jr.normal((2,), seed="x")
    with pytest.raises(JnetValueError, match="integer"):
        jr.SeedGenerator(seed=1.5)
    with pytest.raises(JnetValueError, match="Unrecognized"):
        jr.SeedGenerator(1, foo=2)


def test_jit_with_explicit_seed_state():
    @jax.jit
    def step(state, x):
        seed, state = jr.advance(state)
        return jr.dropout(x, 0.5, seed=seed), state

    gen = jr.SeedGenerator(5)
    x = jnp.ones((4, 4))
    y1, s1 = step(gen.state, x)
    y2, s2 = step(s1, x)
    assert s1.tolist() == [5, 1] and s2.tolist() == [5, 2]
    # the same draws as the stateful generator, eagerly
    assert np.array_equal(y1, jr.dropout(x, 0.5, seed=gen))
    assert np.array_equal(y2, jr.dropout(x, 0.5, seed=gen))


def test_scoped_state_carries_the_generator_through_jit():
    gen = jr.SeedGenerator(11)

    @jax.jit
    def f(state):
        with gen.scoped_state(state) as scope:
            a = jr.normal((3,), seed=gen)
            b = jr.normal((3,), seed=gen)
        return a, b, scope.state

    a, b, state = f(gen.state)
    assert state.tolist() == [11, 2] and gen.state.tolist() == [11, 0]
    assert np.array_equal(a, jr.normal((3,), seed=gen))
    assert np.array_equal(b, jr.normal((3,), seed=gen))


def test_traced_draws_without_passed_state_raise():
    gen = jr.SeedGenerator(1)
    with pytest.raises(JnetValueError, match="leak"):
        jax.jit(lambda: jr.normal((2,), seed=gen))()
    assert gen.state.tolist() == [1, 0]
    with pytest.raises(JnetValueError, match="seed=None"):
        jax.jit(lambda: jr.normal((2,)))()
    # grad and vmap of eager code are fine: nothing is traced into the state
    g = jax.grad(lambda x: jr.dropout(x, 0.5, seed=gen).sum())(jnp.ones(4))
    assert set(np.asarray(g).tolist()) <= {0.0, 2.0}


def test_config_round_trip():
    gen = jr.SeedGenerator(3, name="g")
    clone = jr.SeedGenerator.from_config(gen.get_config())
    assert clone.name == "g" and clone.state.tolist() == [3, 0]


_KERAS_JAX = """
import json, numpy as np, keras
r = keras.random
g = r.SeedGenerator(9)
out = {
    "normal": r.normal((3,), mean=1.0, stddev=2.0, seed=3),
    "uniform": r.uniform((3,), 2.0, 3.0, seed=4),
    "randint": r.randint((5,), 0, 10, seed=5),
    "truncated_normal": r.truncated_normal((3,), seed=6),
    "dropout": r.dropout(np.ones((2, 3), "float32"), 0.5, seed=7),
    "shuffle": r.shuffle(np.arange(8).reshape(4, 2), seed=8),
    "categorical": r.categorical(np.log([[0.3, 0.7], [0.5, 0.5]]), 4, seed=9),
    "gamma": r.gamma((3,), 2.0, seed=10),
    "binomial": r.binomial((3,), 10, 0.4, seed=11),
    "beta": r.beta((3,), 2.0, 3.0, seed=12),
    "gen": [r.normal((2,), seed=g), r.normal((2,), seed=g)],
}
print(json.dumps({k: np.asarray(v).tolist() for k, v in out.items()}))
"""


# What _KERAS_JAX printed with the Keras of constraints.txt (3.15, JAX backend); regenerate
# with `python tests/test_random.py` after a Keras upgrade. Frozen: a Keras-on-JAX subprocess
# cost the suite about 15 s for numbers that change only with Keras's version.
KERAS_JAX_DRAWS = {
    'normal': [3.125290632247925, 0.9198997616767883, 1.5988564491271973],
    'uniform': [2.6717405319213867, 2.1039962768554688, 2.597412109375],
    'randint': [0, 0, 3, 5, 3],
    'truncated_normal': [-0.5428955554962158, 1.2045725584030151, 0.26267191767692566],
    'dropout': [[2.0, 2.0, 0.0], [0.0, 2.0, 2.0]],
    'shuffle': [[2, 5], [0, 3], [6, 7], [4, 1]],
    'categorical': [[0, 1, 1, 1], [1, 0, 1, 1]],
    'gamma': [0.9503982067108154, 2.0308992862701416, 1.2950174808502197],
    'binomial': [3.0, 5.0, 6.0],
    'beta': [0.3375970423221588, 0.6113631725311279, 0.3149990737438202],
    'gen': [[0.6825169920921326, -1.5649057626724243], [1.4635415077209473, 0.9872809648513794]],
}


def test_bit_identical_to_keras_jax_backend():
    theirs = KERAS_JAX_DRAWS
    g = jr.SeedGenerator(9)
    ours = {
        "normal": jr.normal((3,), mean=1.0, stddev=2.0, seed=3),
        "uniform": jr.uniform((3,), 2.0, 3.0, seed=4),
        "randint": jr.randint((5,), 0, 10, seed=5),
        "truncated_normal": jr.truncated_normal((3,), seed=6),
        "dropout": jr.dropout(np.ones((2, 3), "float32"), 0.5, seed=7),
        "shuffle": jr.shuffle(np.arange(8).reshape(4, 2), seed=8),
        "categorical": jr.categorical(np.log([[0.3, 0.7], [0.5, 0.5]]), 4, seed=9),
        "gamma": jr.gamma((3,), 2.0, seed=10),
        "binomial": jr.binomial((3,), 10, 0.4, seed=11),
        "beta": jr.beta((3,), 2.0, 3.0, seed=12),
        "gen": [jr.normal((2,), seed=g), jr.normal((2,), seed=g)],
    }
    for name, value in ours.items():
        assert np.asarray(value).tolist() == theirs[name], name


if __name__ == "__main__":
    # Prints KERAS_JAX_DRAWS afresh from the installed Keras on its JAX backend.
    env = dict(os.environ, KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", _KERAS_JAX], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    print(json.loads(done.stdout.strip().splitlines()[-1]))
