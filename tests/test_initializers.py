"""jnet.initializers: Keras's names, configs and formulas; statistics, not TF's random draws.

TensorFlow and JAX random streams differ, so random initializers are checked against Keras's
formulas (keras/src/initializers/random_initializers.py) and against Keras samples' moments;
deterministic ones (Zeros, Ones, Constant, Identity, STFT) against Keras's exact output.
"""

import math

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import initializers as I
from jnet.errors import JnetTypeError, JnetValueError, UnknownIdentifierError

KEY = jax.random.key(0)
TRUNC = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2]


def _keras_class(name):
    # Not keras.initializers.get(name): Keras's get("Constant") fails (from_config needs "value").
    from keras.src.initializers import ALL_OBJECTS_DICT

    return ALL_OBJECTS_DICT[name]


def _shape_for(cls):
    return (16, 1, 9) if cls is I.STFT else (6, 4)


def _samples(init, shape, n_min=100_000):
    """At least n_min values from independent calls (vmapped over keys), flattened."""
    n_calls = max(1, math.ceil(n_min / max(1, math.prod(shape))))
    keys = jax.random.split(jax.random.key(42), n_calls)
    return np.asarray(jax.vmap(lambda k: init(k, shape))(keys), dtype=np.float64).ravel()


# ------------------------------------------------------------------------------------------
# Registry.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", I.INITIALIZERS.names())
def test_every_name_resolves_and_initializes(name):
    init = I.get(name)
    assert isinstance(init, I.Initializer)
    if type(init) is I.Initializer:
        with pytest.raises(NotImplementedError):
            init(KEY, (2, 2))
        return
    shape = _shape_for(type(init))
    for dtype in (jnp.float32, jnp.bfloat16):
        w = init(KEY, shape, dtype)
        assert w.shape == shape and w.dtype == dtype
        assert bool(jnp.all(jnp.isfinite(w.astype(jnp.float32))))
    assert init(KEY, shape).dtype == jnp.float32  # Flax's default dtype
    assert init(KEY, shape, None).dtype == jnp.float32  # Keras's floatx


def test_names_equal_keras_registry(keras):
    from keras.src.initializers import ALL_OBJECTS_DICT

    assert set(I.INITIALIZERS.names()) == set(ALL_OBJECTS_DICT)
    for name, cls in ALL_OBJECTS_DICT.items():
        assert I.INITIALIZERS.lookup(name).__name__ == cls.__name__, name
    assert type(I.get("uniform")) is I.RandomUniform
    assert type(I.get("normal")) is I.RandomNormal
    assert type(I.get("zero")) is I.Zeros and type(I.get("one")) is I.Ones


def test_constructor_defaults_match_keras(keras):
    import inspect

    from keras.src.initializers import ALL_OBJECTS_DICT

    for name in {cls.__name__ for cls in ALL_OBJECTS_DICT.values()}:
        theirs = inspect.signature(ALL_OBJECTS_DICT[name]).parameters
        ours = inspect.signature(I.INITIALIZERS.lookup(name)).parameters
        assert list(ours) == list(theirs), name
        for p in theirs:
            assert ours[p].default == theirs[p].default, (name, p)


# Non-default arguments for every class that takes any.
NON_DEFAULT = {
    "Constant": {"value": 3.5},
    "Identity": {"gain": 2.0},
    "RandomNormal": {"mean": 1.0, "stddev": 2.0, "seed": 7},
    "RandomUniform": {"minval": -1.0, "maxval": 3.0, "seed": 7},
    "TruncatedNormal": {"mean": 1.0, "stddev": 2.0, "seed": 7},
    "VarianceScaling": {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 7},
    "GlorotUniform": {"seed": 7},
    "GlorotNormal": {"seed": 7},
    "HeNormal": {"seed": 7, "input_axes": [0], "output_axes": [1]},
    "HeUniform": {"seed": 7},
    "LecunNormal": {"seed": 7},
    "LecunUniform": {"seed": 7},
    "Orthogonal": {"gain": 2.0, "seed": 7},
    "STFT": {"side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True},
    "Zeros": {},
    "Ones": {},
}


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_configs_round_trip_with_keras(keras, name):
    kwargs = NON_DEFAULT[name]
    ours = I.INITIALIZERS.lookup(name)(**kwargs)
    theirs = _keras_class(name)(**kwargs)
    config = I.serialize(ours)
    if name != "Identity":  # Keras 3 drops Identity's gain from its config; jnet keeps it.
        assert config == keras.initializers.serialize(theirs)
    # Keras can read jnet's config, and jnet can read Keras's.
    assert keras.initializers.get(config).get_config() == theirs.get_config()
    back = I.get(keras.initializers.serialize(theirs))
    assert type(back) is type(ours)
    if name != "Identity":
        assert back == ours
    assert I.deserialize(config) == ours
    assert type(ours).from_config(ours.get_config()) == ours == ours.clone()
    assert hash(ours) == hash(ours.clone())


# ------------------------------------------------------------------------------------------
# Fans and variance scaling.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, axes",
    [((), None), ((7,), None), ((784, 128), None), ((3, 16, 32), None), ((3, 3, 16, 32), None),
     ((2, 3, 3, 8, 4), None), ((4, 5, 6), ([0, 1], [2])), ((4, 5, 6), ([2], [0]))],
)
def test_compute_fans_equals_keras(shape, axes):
    from keras.src.initializers.random_initializers import compute_fans

    kwargs = {} if axes is None else {"input_axes": axes[0], "output_axes": axes[1]}
    assert I.compute_fans(shape, **kwargs) == compute_fans(shape, **kwargs)


# (initializer, scale, mode, distribution) per Keras's class definitions.
VARIANCE_SCALING = [
    (I.GlorotUniform(), 1.0, "fan_avg", "uniform"),
    (I.GlorotNormal(), 1.0, "fan_avg", "truncated_normal"),
    (I.HeNormal(), 2.0, "fan_in", "truncated_normal"),
    (I.HeUniform(), 2.0, "fan_in", "uniform"),
    (I.LecunNormal(), 1.0, "fan_in", "truncated_normal"),
    (I.LecunUniform(), 1.0, "fan_in", "uniform"),
    (I.VarianceScaling(), 1.0, "fan_in", "truncated_normal"),
    (I.VarianceScaling(0.5, "fan_out", "untruncated_normal"), 0.5, "fan_out",
     "untruncated_normal"),
    (I.VarianceScaling(3.0, "fan_avg", "normal"), 3.0, "fan_avg", "truncated_normal"),
]
SHAPES = [(784, 128), (3, 3, 16, 32), (64,), (1, 1)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "init, scale, mode, distribution", VARIANCE_SCALING,
    ids=[f"{type(v[0]).__name__}-{v[2]}-{v[3]}" for v in VARIANCE_SCALING],
)
def test_variance_scaling_statistics_follow_keras_formula(init, scale, mode, distribution, shape):
    from keras.src.initializers.random_initializers import compute_fans

    fan_in, fan_out = compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / max(1.0, n)  # Keras divides by max(1, fan)
    w = _samples(init, shape)
    tol = 4 / math.sqrt(len(w))
    target_std = math.sqrt(variance)  # every distribution is scaled to this std
    assert abs(w.mean()) < tol * target_std * 1.5
    assert abs(w.std() / target_std - 1) < 3 * tol
    if distribution == "uniform":
        limit = math.sqrt(3 * variance)
        assert np.abs(w).max() <= limit
        assert np.abs(w).max() > 0.999 * limit
    elif distribution == "truncated_normal":
        bound = 2 * math.sqrt(variance) / TRUNC  # truncation at 2 stddev of the parent normal
        assert np.abs(w).max() <= bound * (1 + 1e-6)
        assert np.abs(w).max() > 0.99 * bound
    else:
        assert np.abs(w).max() > 3.5 * target_std  # untruncated tails


@pytest.mark.parametrize("name", ["glorot_uniform", "glorot_normal", "he_normal", "lecun_uniform"])
def test_variance_scaling_moments_match_keras_samples(keras, name):
    shape = (784, 128)
    ours = np.asarray(I.get(name)(KEY, shape))
    theirs = np.asarray(keras.initializers.get({"class_name": name, "config": {"seed": 1}})(shape))
    assert abs(ours.std() / theirs.std() - 1) < 0.02
    assert abs(np.abs(ours).max() / np.abs(theirs).max() - 1) < 0.02


def test_variance_scaling_with_axes():
    init = I.VarianceScaling(distribution="uniform", input_axes=[0, 1], output_axes=[2])
    w = _samples(init, (4, 5, 6))
    assert np.abs(w).max() <= math.sqrt(3 / 20) and np.abs(w).max() > 0.99 * math.sqrt(3 / 20)


# ------------------------------------------------------------------------------------------
# Plain random initializers.
# ------------------------------------------------------------------------------------------


def test_random_normal_statistics():
    w = _samples(I.RandomNormal(mean=1.0, stddev=2.0), (100, 10))
    assert abs(w.mean() - 1.0) < 0.03 and abs(w.std() - 2.0) < 0.03
    w = _samples(I.RandomNormal(), (100, 10))
    assert abs(w.std() - 0.05) < 0.001


def test_truncated_normal_statistics():
    w = _samples(I.TruncatedNormal(mean=1.0, stddev=2.0), (100, 10))
    assert w.min() >= 1.0 - 4.0 - 1e-6 and w.max() <= 1.0 + 4.0 + 1e-6
    assert w.min() < -2.9 and w.max() > 4.9
    assert abs(w.mean() - 1.0) < 0.03 and abs(w.std() - 2.0 * TRUNC) < 0.03


def test_random_uniform_statistics():
    w = _samples(I.RandomUniform(minval=-1.0, maxval=3.0), (100, 10))
    assert w.min() >= -1.0 and w.max() < 3.0
    assert w.min() < -0.999 and w.max() > 2.999
    assert abs(w.mean() - 1.0) < 0.02 and abs(w.std() - 4 / math.sqrt(12)) < 0.02
    w = np.asarray(I.get("uniform")(KEY, (1000,)))
    assert w.min() >= -0.05 and w.max() < 0.05


# ------------------------------------------------------------------------------------------
# Orthogonal.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(8, 3), (3, 8), (5, 5), (3, 3, 4, 8), (2, 2, 2, 16)])
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_orthogonal_is_orthogonal(shape, gain):
    w = I.Orthogonal(gain=gain)(KEY, shape)
    assert w.shape == shape
    flat = np.asarray(w, np.float64).reshape(-1, shape[-1])
    rows, cols = flat.shape
    gram = flat.T @ flat if rows >= cols else flat @ flat.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-5)


def test_orthogonal_is_keras_construction():
    # QR of a normal (max, min) matrix, columns' signs fixed by diag(R), transposed when wide.
    for shape in [(6, 3), (3, 6)]:
        w = I.Orthogonal(gain=2.0, seed=3)(None, shape)
        a = jax.random.normal(jax.random.key(3), (6, 3), jnp.float32)
        q, r = np.linalg.qr(np.asarray(a, np.float64))
        q = q * np.sign(np.diag(r))[None, :]
        expected = 2.0 * (q if shape == (6, 3) else q.T)
        np.testing.assert_allclose(np.asarray(w), expected, atol=1e-5)


def test_orthogonal_needs_rank_two():
    with pytest.raises(JnetValueError, match="shape"):
        I.Orthogonal()(KEY, (5,))


# ------------------------------------------------------------------------------------------
# Deterministic initializers: exact against Keras.
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kwargs, shape, dtype",
    [
        ("Zeros", {}, (3, 4), "float32"),
        ("Zeros", {}, (5,), "int32"),
        ("Ones", {}, (2, 3, 4), "float32"),
        ("Ones", {}, (), "float32"),
        ("Constant", {}, (2, 2), "float32"),
        ("Constant", {"value": 3.25}, (4, 2), "float32"),
        ("Constant", {"value": 7}, (3,), "int32"),
        ("Identity", {}, (4, 4), "float32"),
        ("Identity", {"gain": 3.0}, (2, 5), "float32"),
        ("Identity", {"gain": 0.5}, (5, 2), "float32"),
    ],
)
def test_deterministic_initializers_equal_keras(keras, name, kwargs, shape, dtype):
    theirs = np.asarray(_keras_class(name)(**kwargs)(shape, dtype=dtype))
    ours = I.INITIALIZERS.lookup(name)(**kwargs)(KEY, shape, dtype)
    assert ours.dtype == jnp.dtype(dtype) and ours.shape == shape
    np.testing.assert_array_equal(np.asarray(ours), theirs)


@pytest.mark.parametrize(
    "window", ["hann", "hamming", "blackman", "bartlett", "triang", "cosine", "boxcar", "han",
               None, "array"]
)
@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("scaling", [None, "density", "spectrum"])
def test_stft_equals_keras(keras, window, periodic, scaling):
    if window == "array":
        window = list(np.linspace(0.1, 1.0, 32))
    for side in ("real", "imag"):
        kwargs = {"side": side, "window": window, "scaling": scaling, "periodic": periodic}
        theirs = np.asarray(keras.initializers.STFT(**kwargs)((32, 1, 17)))
        ours = I.STFT(**kwargs)(None, (32, 1, 17))
        np.testing.assert_allclose(np.asarray(ours), theirs, rtol=1e-5, atol=1e-6)


def test_stft_errors():
    with pytest.raises(JnetValueError, match="window"):
        I.STFT(window="kaiser_unknown")
    with pytest.raises(JnetValueError, match="side"):
        I.STFT(side="both")
    with pytest.raises(JnetValueError, match="scaling"):
        I.STFT(scaling="l2")
    with pytest.raises(JnetValueError, match="window"):
        I.STFT(window=[1.0, 2.0])(None, (4, 1, 3))


# ------------------------------------------------------------------------------------------
# Seeds, keys, Flax and jit.
# ------------------------------------------------------------------------------------------

RANDOM_CLASSES = [I.RandomNormal, I.RandomUniform, I.TruncatedNormal, I.VarianceScaling,
                  I.GlorotUniform, I.GlorotNormal, I.HeNormal, I.HeUniform, I.LecunNormal,
                  I.LecunUniform, I.Orthogonal]


@pytest.mark.parametrize("cls", RANDOM_CLASSES, ids=lambda c: c.__name__)
def test_seeded_initializers_are_deterministic(cls):
    seeded = cls(seed=5)
    a = seeded(jax.random.key(1), (8, 6))
    b = seeded(jax.random.key(2), (8, 6))
    c = cls(seed=5)(None, (8, 6))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, cls(seed=6)(None, (8, 6)))
    unseeded = cls()
    np.testing.assert_array_equal(unseeded(KEY, (8, 6)), unseeded(KEY, (8, 6)))
    assert not np.array_equal(unseeded(jax.random.key(1), (8, 6)),
                              unseeded(jax.random.key(2), (8, 6)))
    assert unseeded(jax.random.PRNGKey(0), (8, 6)).shape == (8, 6)  # raw uint32 keys work too
    with pytest.raises(JnetValueError, match="PRNG key"):
        unseeded(None, (8, 6))


def test_initializers_work_in_flax_and_jit():
    class Layer(nn.Module):
        @nn.compact
        def __call__(self, x):
            kernel = self.param("kernel", I.get("glorot_uniform"), (x.shape[-1], 4))
            recurrent = self.param("recurrent", I.Orthogonal(), (4, 8))
            bias = self.param("bias", I.get("zeros"), (4,))
            return x @ kernel + bias.reshape(1, -1) + jnp.sum(recurrent)

    params = jax.jit(Layer().init)(KEY, jnp.ones((2, 3)))["params"]
    assert params["kernel"].shape == (3, 4) and params["recurrent"].shape == (4, 8)
    np.testing.assert_array_equal(params["bias"], np.zeros(4))
    assert np.abs(np.asarray(params["kernel"])).max() <= math.sqrt(6 / 7)


# ------------------------------------------------------------------------------------------
# get / serialize and errors.
# ------------------------------------------------------------------------------------------


def test_get_accepts_objects_callables_classes_arrays_and_none():
    init = I.HeNormal(seed=1)
    assert I.get(init) is init
    assert I.get(jax.nn.initializers.zeros) is jax.nn.initializers.zeros

    def custom(key, shape, dtype=jnp.float32):
        return jnp.full(shape, 2.0, dtype)

    assert I.get(custom) is custom
    assert type(I.get(I.GlorotUniform)) is I.GlorotUniform
    assert I.get(None) is None
    fixed = I.get(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(fixed(KEY, (2, 3)), np.arange(6.0).reshape(2, 3))
    with pytest.raises(JnetValueError, match="shape"):
        fixed(KEY, (3, 2))
    assert I.get({"class_name": "Constant", "config": {"value": 2.0}}) == I.Constant(2.0)
    assert I.get({"class_name": "Zeros"}) == I.Zeros()


def test_serialize_recognises_jax_zeros_ones_and_not_others():
    assert I.serialize(jax.nn.initializers.zeros)["class_name"] == "Zeros"
    assert I.serialize(jax.nn.initializers.ones)["class_name"] == "Ones"
    assert I.serialize(jax.nn.initializers.lecun_normal()) is None
    assert I.serialize(None) is None


def test_unknown_name_suggests_nearest():
    with pytest.raises(UnknownIdentifierError, match="Did you mean 'glorot_uniform'") as info:
        I.get("glorot_unifrom")
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", [5, 1.5, ["zeros"]])
def test_get_rejects_other_types(bad):
    with pytest.raises(JnetTypeError, match="initializer identifier"):
        I.get(bad)


@pytest.mark.parametrize(
    "build, argument",
    [
        (lambda: I.RandomNormal(stddev=-1.0), "stddev"),
        (lambda: I.TruncatedNormal(stddev=-0.1), "stddev"),
        (lambda: I.RandomUniform(minval=1.0, maxval=0.0), "minval"),
        (lambda: I.VarianceScaling(mode="fan_x"), "mode"),
        (lambda: I.VarianceScaling(distribution="gamma"), "distribution"),
        (lambda: I.VarianceScaling(scale=0.0), "scale"),
        (lambda: I.VarianceScaling(scale=-2.0), "scale"),
        (lambda: I.GlorotUniform(seed="abc"), "seed"),
        (lambda: I.Identity()(KEY, (2, 3, 4)), "shape"),
        (lambda: I.GlorotUniform()(KEY, (2, 3), jnp.int32), "dtype"),
        (lambda: I.Zeros()(KEY, (2, -1)), "shape"),
    ],
)
def test_bad_arguments_name_the_argument(build, argument):
    with pytest.raises(JnetValueError, match=f"`?{argument}`?") as info:
        build()
    assert isinstance(info.value, ValueError)


def test_bad_argument_types():
    with pytest.raises(JnetTypeError, match="stddev"):
        I.RandomNormal(stddev="big")
    # Keras-style call init(shape) gets a hint about Flax's (key, shape, dtype) order.
    with pytest.raises(JnetTypeError, match=r"init\(jax.random.key\(0\), \(2, 2\)\)"):
        I.GlorotUniform()((2, 2))
