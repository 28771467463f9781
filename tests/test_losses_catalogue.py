"""The full loss catalogue (issue 5) against Keras 3 on the TensorFlow backend.

Every reference number is ``keras.losses.X(...)`` evaluated on the same numpy inputs. The
inputs reach the edges of each formula: zeros under MAPE's ``max(|y|, 1e-7)``, negatives under
MSLE's ``max(y, 1e-7)``, zero vectors under cosine similarity, errors beyond the softplus
thresholds of log-cosh, values outside ``[1e-7, 1]`` for KL, probabilities beyond the clip.
"""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import errors
from jnet import losses as L

RTOL, ATOL = 1e-6, 1e-7
# log_cosh = x + softplus(-2x) - log(2) cancels for small errors: a value of 4e-3 comes from
# terms near log(2) = 0.69, whose float32 ulp is 6e-8, and TensorFlow's exp/log1p (Eigen) and
# XLA's differ in the last bit on ~30% of inputs. So its absolute error is a few ulps of
# log(2), not of the result: atol 2.5e-7 (4 ulps of log 2), rtol unchanged.
LOG_COSH_ATOL = 2.5e-7
N, C = 8, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def _close(actual, expected, msg="", rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(
        np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol, err_msg=msg
    )


def _f32(*arrays):
    return tuple(
        np.asarray(a, np.float32) if np.asarray(a).dtype.kind == "f" else np.asarray(a)
        for a in arrays
    )


def _probs(r, shape):
    p = r.uniform(0.02, 0.98, size=shape)
    flat = p.reshape(-1)
    flat[:4] = [0.0, 1.0, 1e-9, 1.0 - 1e-9]  # beyond the 1e-7 clip on both sides
    return p


def _one_hot(r, n=N, c=C):
    return np.eye(c)[r.integers(0, c, size=n)]


def _softmax_rows(r, shape):
    p = r.uniform(0.01, 1.0, size=shape)
    p[0] = 0.0
    p[0, 0] = 1.0
    p[1, 1] = 1e-9
    return p / p.sum(-1, keepdims=True)


def _logits(r, shape):
    z = r.normal(0.0, 3.0, size=shape)
    z.reshape(-1)[:2] = [40.0, -40.0]
    return z


def _real_with_zeros(r, shape):
    y = r.normal(size=shape)
    y.reshape(-1)[:3] = [0.0, 1e-9, -1e-9]
    return y


def _big_errors(r, shape):
    """Errors spanning log-cosh's regimes: tiny, moderate, beyond |2x| > 13.9 and |x| > 40."""
    y_true = r.normal(size=shape)
    err = r.normal(0.0, 3.0, size=shape)
    err.reshape(-1)[:6] = [1e-4, -1e-3, 8.0, -9.0, 50.0, -60.0]
    return y_true, y_true + err


def _zero_vectors(r, shape):
    y_true, y_pred = r.normal(size=shape), r.normal(size=shape)
    y_true[0] = 0.0
    y_pred[1] = 0.0
    return y_true, y_pred


DATA = {
    "real": lambda r: (r.normal(size=(N, 3)), 2 * r.normal(size=(N, 3))),
    "real_3d": lambda r: (r.normal(size=(N, 2, 3)), r.normal(size=(N, 2, 3))),
    "real_rank1_vs_col": lambda r: (r.normal(size=(N,)), r.normal(size=(N, 1))),
    "real_col": lambda r: (r.normal(size=(N, 1)), r.normal(size=(N, 1))),
    "mape": lambda r: (_real_with_zeros(r, (N, 3)), r.normal(size=(N, 3))),
    "msle": lambda r: (
        np.abs(r.normal(size=(N, 3))) * np.where(r.uniform(size=(N, 3)) < 0.2, -1, 1),
        r.normal(size=(N, 3)) * 2,
    ),
    "log_cosh": lambda r: _big_errors(r, (N, 3)),
    "cosine": lambda r: _zero_vectors(r, (N, 3)),
    "cosine_3d": lambda r: _zero_vectors(r, (N, 2, 3)),
    "hinge_pm1": lambda r: (r.choice([-1.0, 1.0], size=(N, 3)), r.normal(size=(N, 3))),
    "hinge_01": lambda r: (r.integers(0, 2, size=(N, 3)).astype(float), r.normal(size=(N, 3))),
    "hinge_mixed": lambda r: (r.choice([-1.0, 0.0, 1.0], size=(N, 3)), r.normal(size=(N, 3))),
    "hinge_01_col": lambda r: (r.integers(0, 2, size=(N, 1)).astype(float), r.normal(size=(N, 1))),
    "hinge_rank1_vs_col": lambda r: (
        r.integers(0, 2, size=(N,)).astype(float),
        r.normal(size=(N, 1)),
    ),
    "one_hot_scores": lambda r: (_one_hot(r), r.normal(size=(N, C))),
    "pm1_one_hot_scores": lambda r: (2 * _one_hot(r) - 1, r.normal(size=(N, C))),
    "kld": lambda r: (
        _softmax_rows(r, (N, C)) * np.where(r.uniform(size=(N, C)) < 0.2, -1, 1),
        r.uniform(-0.2, 1.3, size=(N, C)),
    ),
    "kld_probs": lambda r: (_softmax_rows(r, (N, C)), _softmax_rows(r, (N, C))),
    "poisson": lambda r: (
        r.poisson(2.0, size=(N, 3)).astype(float),
        np.concatenate([np.zeros((1, 3)), r.uniform(0.1, 4.0, size=(N - 1, 3))]),
    ),
    "binary_probs": lambda r: (r.integers(0, 2, size=(N, 3)), _probs(r, (N, 3))),
    "binary_probs_col": lambda r: (r.integers(0, 2, size=(N, 1)), _probs(r, (N, 1))),
    "binary_rank1_vs_col": lambda r: (r.integers(0, 2, size=(N,)), _probs(r, (N, 1))),
    "binary_soft": lambda r: (r.uniform(size=(N, 3)), _probs(r, (N, 3))),
    "binary_logits": lambda r: (r.integers(0, 2, size=(N, 3)), _logits(r, (N, 3))),
    "one_hot_probs": lambda r: (_one_hot(r), _softmax_rows(r, (N, C))),
    "one_hot_unnormalised": lambda r: (_one_hot(r), 3 * r.uniform(0.1, 1, size=(N, C))),
    "one_hot_3d": lambda r: (
        np.eye(C)[r.integers(0, C, size=(2, 3))],
        r.uniform(0.01, 1, size=(2, 3, C)),
    ),
    "one_hot_logits": lambda r: (_one_hot(r), _logits(r, (N, C))),
    "masks": lambda r: (r.integers(0, 2, size=(N, 5, 3)), r.uniform(size=(N, 5, 3))),
    "masks_2d": lambda r: (r.integers(0, 2, size=(N, 3)), r.uniform(size=(N, 3))),
}

BFCE, CFCE = "binary_focal_crossentropy", "categorical_focal_crossentropy"
LOGITS = {"from_logits": True}

# (function name, kwargs, data name).
FUNCTION_CASES = [
    ("mean_absolute_percentage_error", {}, "mape"),
    ("mean_absolute_percentage_error", {}, "real_rank1_vs_col"),
    ("mean_absolute_percentage_error", {}, "real_3d"),
    ("mean_squared_logarithmic_error", {}, "msle"),
    ("mean_squared_logarithmic_error", {}, "real_rank1_vs_col"),
    ("log_cosh", {}, "log_cosh"),
    ("log_cosh", {}, "real_3d"),
    ("log_cosh", {}, "real_rank1_vs_col"),
    ("cosine_similarity", {}, "cosine"),
    ("cosine_similarity", {"axis": 0}, "cosine"),
    ("cosine_similarity", {"axis": 1}, "cosine_3d"),
    ("cosine_similarity", {}, "real_col"),
    ("hinge", {}, "hinge_pm1"),
    ("hinge", {}, "hinge_01"),
    ("hinge", {}, "hinge_mixed"),
    ("squared_hinge", {}, "hinge_pm1"),
    ("squared_hinge", {}, "hinge_01"),
    ("squared_hinge", {}, "hinge_mixed"),
    ("categorical_hinge", {}, "one_hot_scores"),
    ("categorical_hinge", {}, "pm1_one_hot_scores"),
    ("kl_divergence", {}, "kld"),
    ("kl_divergence", {}, "kld_probs"),
    ("poisson", {}, "poisson"),
    ("poisson", {}, "real_3d"),
    (BFCE, {}, "binary_probs"),
    (BFCE, {}, "binary_probs_col"),
    (BFCE, {}, "binary_soft"),
    (BFCE, {"gamma": 0.0}, "binary_probs"),
    (BFCE, {"gamma": 3.5}, "binary_probs"),
    (BFCE, {"apply_class_balancing": True}, "binary_probs"),
    (BFCE, {"apply_class_balancing": True, "alpha": 0.7, "gamma": 1.5}, "binary_soft"),
    (BFCE, {"label_smoothing": 0.2}, "binary_probs"),
    (BFCE, {"axis": 0}, "binary_probs"),
    (BFCE, LOGITS, "binary_logits"),
    (BFCE, {**LOGITS, "apply_class_balancing": True, "label_smoothing": 0.1}, "binary_logits"),
    (CFCE, {}, "one_hot_probs"),
    (CFCE, {}, "one_hot_unnormalised"),
    (CFCE, {}, "one_hot_3d"),
    (CFCE, {"alpha": 1.0, "gamma": 0.0}, "one_hot_probs"),
    (CFCE, {"alpha": [0.1, 0.2, 0.3, 0.4], "gamma": 1.5}, "one_hot_probs"),
    (CFCE, {"label_smoothing": 0.1}, "one_hot_probs"),
    (CFCE, {"axis": 0}, "one_hot_probs"),
    (CFCE, LOGITS, "one_hot_logits"),
    (CFCE, {**LOGITS, "label_smoothing": 0.3, "gamma": 3.0}, "one_hot_logits"),
    ("dice", {}, "masks"),
    ("dice", {"axis": -1}, "masks"),
    ("dice", {"axis": (1, 2)}, "masks"),
    ("tversky", {}, "masks"),
    ("tversky", {"alpha": 0.2, "beta": 0.8, "axis": (1, 2)}, "masks"),
    ("tversky", {"axis": -1}, "masks_2d"),
]


def _case_id(case):
    name, kwargs, data = case
    return "-".join([name, data, *(f"{k}={v}" for k, v in kwargs.items())])


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_case_id)
def test_function_matches_keras(keras, rng, case):
    fn_name, kwargs, data = case
    y_true, y_pred = _f32(*DATA[data](rng))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = getattr(keras.losses, fn_name)(y_true, y_pred, **kwargs)
    actual = getattr(L, fn_name)(y_true, y_pred, **kwargs)
    assert actual.shape == tuple(expected.shape)
    assert actual.dtype == jnp.float32
    _close(actual, expected, atol=LOG_COSH_ATOL if fn_name == "log_cosh" else ATOL)


# (class name, kwargs, data name).
CLASS_CASES = [
    ("MeanAbsolutePercentageError", {}, "mape"),
    ("MeanAbsolutePercentageError", {}, "real_rank1_vs_col"),
    ("MeanSquaredLogarithmicError", {}, "msle"),
    ("MeanSquaredLogarithmicError", {}, "real_3d"),
    ("LogCosh", {}, "log_cosh"),
    ("LogCosh", {}, "real_col"),
    ("CosineSimilarity", {}, "cosine"),
    ("CosineSimilarity", {"axis": 1}, "cosine_3d"),
    ("Hinge", {}, "hinge_01"),
    ("Hinge", {}, "hinge_rank1_vs_col"),
    ("SquaredHinge", {}, "hinge_pm1"),
    ("SquaredHinge", {}, "hinge_01_col"),
    ("CategoricalHinge", {}, "one_hot_scores"),
    ("KLDivergence", {}, "kld"),
    ("Poisson", {}, "poisson"),
    ("BinaryFocalCrossentropy", {}, "binary_probs"),
    ("BinaryFocalCrossentropy", {}, "binary_rank1_vs_col"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 1.0}, "binary_probs_col"),
    ("BinaryFocalCrossentropy", {**LOGITS, "label_smoothing": 0.2}, "binary_logits"),
    ("CategoricalFocalCrossentropy", {}, "one_hot_probs"),
    ("CategoricalFocalCrossentropy", {"alpha": [0.4, 0.3, 0.2, 0.1]}, "one_hot_probs"),
    ("CategoricalFocalCrossentropy", {**LOGITS, "label_smoothing": 0.1}, "one_hot_logits"),
    ("CategoricalFocalCrossentropy", {}, "one_hot_3d"),
    ("Dice", {}, "masks"),
    ("Dice", {"axis": -1}, "masks_2d"),
    ("Dice", {"axis": (1, 2)}, "masks"),
    ("Tversky", {"alpha": 0.3, "beta": 0.7}, "masks"),
    ("Tversky", {"axis": -1}, "masks_2d"),
]
SAMPLE_WEIGHTS = {
    "none": lambda shape, r: None,
    "per_sample": lambda shape, r: r.uniform(0, 2, size=shape[:1]).astype(np.float32),
    "per_sample_col": lambda shape, r: r.uniform(0, 2, size=shape[:1] + (1,)).astype(np.float32),
    "with_zeros": lambda shape, r: np.where(np.arange(shape[0]) % 2 == 0, 1.5, 0.0).astype(
        np.float32
    ),
    "scalar": lambda shape, r: np.float32(0.3),
}


@pytest.mark.parametrize("case", CLASS_CASES, ids=_case_id)
def test_class_matches_keras_for_every_reduction_and_weighting(keras, rng, case):
    cls_name, kwargs, data = case
    y_true, y_pred = _f32(*DATA[data](rng))
    for reduction in REDUCTIONS:
        keras_loss = getattr(keras.losses, cls_name)(reduction=reduction, **kwargs)
        jnet_loss = getattr(L, cls_name)(reduction=reduction, **kwargs)
        assert jnet_loss.name == keras_loss.name
        for weight_name, make_weight in SAMPLE_WEIGHTS.items():
            sample_weight = make_weight(y_true.shape, rng)
            msg = f"{cls_name}{kwargs} reduction={reduction!r} sample_weight={weight_name}"
            try:
                expected = keras_loss(y_true, y_pred, sample_weight=sample_weight)
            except Exception:  # Keras rejects these shapes: so must jnet, with its own error.
                with pytest.raises(errors.JnetValueError, match="sample_weight"):
                    jnet_loss(y_true, y_pred, sample_weight=sample_weight)
                continue
            actual = jnet_loss(y_true, y_pred, sample_weight=sample_weight)
            assert actual.shape == tuple(expected.shape), msg
            _close(actual, expected, msg, atol=LOG_COSH_ATOL if cls_name == "LogCosh" else ATOL)


def test_defaults_match_keras(keras):
    import inspect

    for cls in L._registry._CLASSES:
        keras_cls = getattr(keras.losses, cls.__name__)
        ours = {
            k: v.default for k, v in inspect.signature(cls.__init__).parameters.items()
            if k != "self"
        }
        theirs = {
            k: v.default for k, v in inspect.signature(keras_cls.__init__).parameters.items()
            if k != "self"
        }
        assert ours == theirs, cls.__name__
    for fn in L._registry._FUNCTIONS:
        ours = {k: v.default for k, v in inspect.signature(fn).parameters.items()}
        theirs = {
            k: v.default
            for k, v in inspect.signature(getattr(keras.losses, fn.__name__)).parameters.items()
        }
        assert ours == theirs, fn.__name__


CONFIG_CASES = [
    ("MeanAbsolutePercentageError", {"reduction": "sum"}),
    ("MeanSquaredLogarithmicError", {"name": "m"}),
    ("LogCosh", {}),
    ("Hinge", {}),
    ("SquaredHinge", {"reduction": None}),
    ("CategoricalHinge", {}),
    ("KLDivergence", {}),
    ("Poisson", {}),
    (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "from_logits": True},
    ),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.1}),
    ("Dice", {"axis": -1}),
    ("Tversky", {"alpha": 0.2, "beta": 0.8}),
]


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda c: c[0])
def test_config_matches_keras_and_round_trips(keras, case):
    cls_name, kwargs = case
    jnet_loss = getattr(L, cls_name)(**kwargs)
    assert L.serialize(jnet_loss) == keras.losses.serialize(
        getattr(keras.losses, cls_name)(**kwargs)
    )
    rebuilt = L.deserialize(L.serialize(jnet_loss))
    assert type(rebuilt) is type(jnet_loss) and rebuilt.get_config() == jnet_loss.get_config()


def test_cosine_similarity_config_keeps_axis(keras):
    # Keras 3.15 drops `axis` from CosineSimilarity's config (like Huber's `delta`); jnet keeps
    # it so that a config round-trips, and is otherwise Keras's.
    config = L.CosineSimilarity(axis=0).get_config()
    keras_config = keras.losses.CosineSimilarity(axis=0).get_config()
    assert config == {**keras_config, "axis": 0}
    assert L.CosineSimilarity.from_config(config).axis == 0


# ---------------------------------------------------------------------------------------------
# The TensorFlow backend's logits shortcut for the focal crossentropies
# ---------------------------------------------------------------------------------------------


def _keras_on_activation(keras, loss, y_true, z, activation):
    """Keras's loss of keras.activations.<activation>(z), which carries ``_keras_logits``."""
    import tensorflow as tf

    def run(z):
        return loss(y_true, getattr(keras.activations, activation)(z))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = tf.function(run)(tf.constant(z)).numpy()
        eager = run(tf.constant(z)).numpy()
    _close(eager, graph)
    return graph


def _jnet_step_loss(loss, y_true, z, activation):
    """What jnet's train step computes (jnet/training/steps.py compute_loss)."""
    from jnet.training.steps import takes_logits_shortcut

    y_pred = getattr(jax.nn, activation)(jnp.asarray(z))
    if takes_logits_shortcut(loss, y_true, y_pred):
        return loss.with_logits()(y_true, z)
    return loss(y_true, y_pred)


FOCAL_SHORTCUT_CASES = [
    # Binary focal on a sigmoid output: Keras reads the logits back for the crossentropy term.
    ("BinaryFocalCrossentropy", {}, "sigmoid", True),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "gamma": 3.0}, "sigmoid", True),
    ("BinaryFocalCrossentropy", {"label_smoothing": 0.2, "reduction": "sum"}, "sigmoid", True),
    # ... but with from_logits=True its own sigmoid comes first: no shortcut.
    ("BinaryFocalCrossentropy", LOGITS, "sigmoid", False),
    # Categorical focal always works on probabilities: no shortcut, clipping applies.
    ("CategoricalFocalCrossentropy", {}, "softmax", False),
    ("CategoricalFocalCrossentropy", {"label_smoothing": 0.1}, "softmax", False),
    ("CategoricalFocalCrossentropy", LOGITS, "softmax", False),
]


@pytest.mark.parametrize(
    "case", FOCAL_SHORTCUT_CASES, ids=lambda c: f"{c[0]}-{c[2]}-{'-'.join(map(str, c[1]))}"
)
def test_focal_logits_shortcut_matches_keras(keras, rng, case):
    name, kwargs, activation, shortcut = case
    if activation == "sigmoid":
        y = rng.integers(0, 2, size=(N, 1)).astype(np.float32)
        z = _logits(rng, (N, 1)).astype(np.float32)
        z[2, 0], z[3, 0] = 25.0, -25.0  # sigmoid saturates: only the logits path is finite
    else:
        y = _one_hot(rng).astype(np.float32)
        z = _logits(rng, (N, C)).astype(np.float32)
    keras_loss, loss = getattr(keras.losses, name)(**kwargs), getattr(L, name)(**kwargs)
    assert (loss.logits_activation is not None) == shortcut
    expected = _keras_on_activation(keras, keras_loss, y, z, activation)
    _close(_jnet_step_loss(loss, y, z, activation), expected)
    wrapped = L.LossFunctionWrapper(loss.fn, **loss._fn_kwargs)  # the function form, compiled
    assert (wrapped.logits_activation is not None) == shortcut
    from keras.src.losses.losses import LossFunctionWrapper

    keras_wrapped = LossFunctionWrapper(
        getattr(keras.losses, loss.fn.__name__), **loss._fn_kwargs
    )
    expected = _keras_on_activation(keras, keras_wrapped, y, z, activation)
    _close(_jnet_step_loss(wrapped, y, z, activation), expected)


@pytest.mark.xfail(
    strict=True,
    reason="Known gap: Keras's binary focal crossentropy on a *softmax* output reads the "
    "pre-softmax values as sigmoid logits for its crossentropy term but keeps the softmax "
    "probabilities in p_t; Loss.with_logits() only receives the logits, so jnet's train step "
    "uses sigmoid(logits) in p_t. Fixing it needs compute_loss to pass the activation.",
)
def test_binary_focal_on_softmax_output_quirk(keras, rng):
    y = rng.integers(0, 2, size=(N, C)).astype(np.float32)
    z = _logits(rng, (N, C)).astype(np.float32)
    loss, keras_loss = L.BinaryFocalCrossentropy(), keras.losses.BinaryFocalCrossentropy()
    expected = _keras_on_activation(keras, keras_loss, y, z, "softmax")
    _close(_jnet_step_loss(loss, y, z, "softmax"), expected)


def test_focal_with_logits_keeps_everything_else():
    loss = L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0, name="f")
    assert loss.logits_activation == "sigmoid" and loss.from_logits is False
    logits = loss.with_logits()
    assert logits.get_config() == {**loss.get_config(), "from_logits": True}
    assert logits.logits_activation is None  # Keras would not read logits off it again
    cfce = L.CategoricalFocalCrossentropy(alpha=0.5)
    assert cfce.logits_activation is None
    assert cfce.with_logits().get_config() == {**cfce.get_config(), "from_logits": True}
    for loss in [L.Hinge(), L.KLDivergence(), L.resolve("poisson"), L.CosineSimilarity()]:
        assert loss.logits_activation is None and loss.from_logits is False
        with pytest.raises(errors.JnetValueError, match="no from_logits form"):
            loss.with_logits()


# ---------------------------------------------------------------------------------------------
# The registry against Keras's
# ---------------------------------------------------------------------------------------------

# Keras 3.15 losses jnet does not provide (not in issue 5's list).
NOT_PROVIDED = {"Loss"}


def test_registry_covers_keras(keras):
    from keras.src.losses import ALL_OBJECTS_DICT

    assert set(L._registry._REGISTRY.names()) | {"LossFunctionWrapper"} == (
        set(ALL_OBJECTS_DICT) - NOT_PROVIDED
    )
    for name in L.__all__:
        assert getattr(L, name) is not None


def test_jit_and_grad_of_every_new_loss(rng):
    y_bin = rng.integers(0, 2, size=(N, 3)).astype(np.float32)
    y_oh = _one_hot(rng).astype(np.float32)
    y_real = rng.uniform(0.5, 2.0, size=(N, 3)).astype(np.float32)
    cases = [
        (L.MeanAbsolutePercentageError(), y_real, (N, 3)),
        (L.MeanSquaredLogarithmicError(), y_real, (N, 3)),
        (L.LogCosh(), y_real, (N, 3)),
        (L.CosineSimilarity(), y_real, (N, 3)),
        (L.Hinge(), y_bin, (N, 3)),
        (L.SquaredHinge(), y_bin, (N, 3)),
        (L.CategoricalHinge(), y_oh, (N, C)),
        (L.KLDivergence(), y_oh, (N, C)),
        (L.Poisson(), y_real, (N, 3)),
        (L.BinaryFocalCrossentropy(from_logits=True), y_bin, (N, 3)),
        (L.CategoricalFocalCrossentropy(from_logits=True), y_oh, (N, C)),
        (L.Dice(), y_bin, (N, 3)),
        (L.Tversky(axis=-1), y_bin, (N, 3)),
    ]
    for loss, y, shape in cases:
        x = jnp.asarray(rng.uniform(0.1, 1.0, size=shape).astype(np.float32))
        fn = jax.jit(lambda x, loss=loss, y=y: loss(y, x))
        _close(fn(x), loss(y, x), type(loss).__name__)
        grad = jax.grad(fn)(x)
        assert np.all(np.isfinite(np.asarray(grad))), type(loss).__name__


def test_bad_input_raises_naming_the_argument():
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        L.hinge(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        L.binary_focal_crossentropy(np.zeros((4, 3)), np.full((4, 2), 0.5))
    with pytest.raises(errors.JnetValueError, match="alpha"):
        L.categorical_focal_crossentropy(np.eye(3), np.eye(3), alpha=[0.5, 0.5])
    with pytest.raises(errors.JnetTypeError, match="axis"):
        L.categorical_focal_crossentropy(np.eye(2), np.eye(2), axis=True)
    with pytest.raises(errors.JnetValueError, match="axis"):
        L.cosine_similarity(np.eye(2), np.eye(2), axis=2)
