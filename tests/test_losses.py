"""jnet.losses against Keras 3 on the TensorFlow backend (the `keras` fixture).

Every reference number is ``keras.losses.X(...)`` evaluated eagerly on the same numpy inputs.
"""

import doctest
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jnet import errors
from jnet import losses as L

RTOL, ATOL = 1e-6, 1e-7
N, C = 6, 4
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def _close(actual, expected, msg=""):
    np.testing.assert_allclose(
        np.asarray(actual), np.asarray(expected), rtol=RTOL, atol=ATOL, err_msg=msg
    )


def _probs(rng, shape, extreme=True):
    """Probabilities in (0, 1), with values beyond the 1e-7 clip on both sides."""
    p = rng.uniform(0.05, 0.95, size=shape).astype(np.float32)
    if extreme:
        flat = p.reshape(-1)
        flat[:4] = [0.0, 1.0, 1e-9, 1.0 - 1e-9]
    return p


def _softmax_rows(rng, shape, extreme=True):
    p = rng.uniform(0.01, 1.0, size=shape).astype(np.float32)
    if extreme:
        p[0] = 0.0
        p[0, 0] = 1.0  # a certain, exactly one-hot prediction
        p[1, 1] = 1e-9  # a probability below the clip
    return (p / p.sum(-1, keepdims=True)).astype(np.float32)


def _one_hot(rng, n=N, c=C):
    return np.eye(c, dtype=np.float32)[rng.integers(0, c, size=n)]


def _binary_labels(rng, shape):
    return rng.integers(0, 2, size=shape).astype(np.float32)


def _logits(rng, shape):
    z = rng.normal(0.0, 3.0, size=shape).astype(np.float32)
    z.reshape(-1)[:2] = [40.0, -40.0]
    return z


# Named inputs: name -> rng -> (y_true, y_pred).
DATA = {
    "real": lambda r: (r.normal(size=(N, 3)), 2 * r.normal(size=(N, 3))),
    "real_rank1": lambda r: (r.normal(size=(N,)), r.normal(size=(N,))),
    "real_rank1_vs_col": lambda r: (r.normal(size=(N,)), r.normal(size=(N, 1))),
    "real_col_vs_rank1": lambda r: (r.normal(size=(N, 1)), r.normal(size=(N,))),
    "real_col": lambda r: (r.normal(size=(N, 1)), r.normal(size=(N, 1))),
    "real_3d": lambda r: (r.normal(size=(N, 2, 3)), r.normal(size=(N, 2, 3))),
    "binary_probs": lambda r: (_binary_labels(r, (N, 3)), _probs(r, (N, 3))),
    "binary_probs_col": lambda r: (_binary_labels(r, (N, 1)), _probs(r, (N, 1))),
    "binary_rank1_vs_col": lambda r: (_binary_labels(r, (N,)), _probs(r, (N, 1))),
    "binary_soft_labels": lambda r: (r.uniform(size=(N, 3)), _probs(r, (N, 3))),
    "binary_logits": lambda r: (_binary_labels(r, (N, 3)), _logits(r, (N, 3))),
    "binary_logits_col": lambda r: (_binary_labels(r, (N, 1)), _logits(r, (N, 1))),
    "one_hot_probs": lambda r: (_one_hot(r), _softmax_rows(r, (N, C))),
    "one_hot_unnormalised": lambda r: (_one_hot(r), 3 * r.uniform(0.1, 1, size=(N, C))),
    "one_hot_logits": lambda r: (_one_hot(r), _logits(r, (N, C))),
    "one_hot_3d": lambda r: (
        np.eye(C)[r.integers(0, C, size=(2, 3))],
        r.uniform(0.01, 1, size=(2, 3, C)),
    ),
    "sparse_probs": lambda r: (r.integers(0, C, size=(N,)), _softmax_rows(r, (N, C))),
    "sparse_probs_col": lambda r: (r.integers(0, C, size=(N, 1)), _softmax_rows(r, (N, C))),
    "sparse_float_labels": lambda r: (
        r.integers(0, C, size=(N,)).astype(np.float32),
        _softmax_rows(r, (N, C)),
    ),
    "sparse_unnormalised": lambda r: (
        r.integers(0, C, size=(N,)),
        3 * r.uniform(0.1, 1, size=(N, C)),
    ),
    "sparse_logits": lambda r: (r.integers(0, C, size=(N,)), _logits(r, (N, C))),
    "sparse_logits_col": lambda r: (r.integers(0, C, size=(N, 1)), _logits(r, (N, C))),
    "sparse_3d": lambda r: (
        r.integers(0, C, size=(2, 3)),
        _softmax_rows(r, (6, C)).reshape(2, 3, C),
    ),
    "sparse_3d_logits": lambda r: (r.integers(0, C, size=(2, 3)), _logits(r, (2, 3, C))),
    "sparse_with_1s": lambda r: (np.array([0, 1, 2, 1, 3, 0]), _softmax_rows(r, (N, C))),
    "sparse_with_2s": lambda r: (np.array([0, 2, 1, 2, 3, 0]), _softmax_rows(r, (N, C))),
    "sparse_all_2s": lambda r: (np.full((N,), 2), _softmax_rows(r, (N, C))),
    "sparse_with_minus1_col": lambda r: (
        np.array([[0], [-1], [2], [-1], [3], [0]]),
        _logits(r, (N, C)),
    ),
}

MSE, MAE, HUBER = "mean_squared_error", "mean_absolute_error", "huber"
BCE, CCE = "binary_crossentropy", "categorical_crossentropy"
SCCE = "sparse_categorical_crossentropy"
LOGITS = {"from_logits": True}

# (function name, kwargs, data name): the function forms.
FUNCTION_CASES = [
    (MSE, {}, "real"),
    (MSE, {}, "real_rank1_vs_col"),
    (MSE, {}, "real_3d"),
    (MAE, {}, "real"),
    (MAE, {}, "real_col_vs_rank1"),
    (HUBER, {}, "real"),
    (HUBER, {"delta": 0.5}, "real"),
    (BCE, {}, "binary_probs"),
    (BCE, {}, "binary_probs_col"),
    (BCE, {}, "binary_soft_labels"),
    (BCE, {"label_smoothing": 0.2}, "binary_probs"),
    (BCE, {"axis": 0}, "binary_probs"),
    (BCE, LOGITS, "binary_logits"),
    (BCE, {**LOGITS, "label_smoothing": 0.1}, "binary_logits"),
    (CCE, {}, "one_hot_probs"),
    (CCE, {}, "one_hot_unnormalised"),
    (CCE, {}, "one_hot_3d"),
    (CCE, {"label_smoothing": 0.1}, "one_hot_probs"),
    (CCE, {"axis": 0}, "one_hot_probs"),
    (CCE, LOGITS, "one_hot_logits"),
    (CCE, {**LOGITS, "label_smoothing": 0.3}, "one_hot_logits"),
    (CCE, {**LOGITS, "axis": 0}, "one_hot_logits"),
    (SCCE, {}, "sparse_probs"),
    (SCCE, {}, "sparse_probs_col"),
    (SCCE, {}, "sparse_float_labels"),
    (SCCE, {}, "sparse_unnormalised"),
    (SCCE, {}, "sparse_3d"),
    (SCCE, LOGITS, "sparse_logits"),
    (SCCE, {"ignore_class": 1}, "sparse_with_1s"),
    (SCCE, {**LOGITS, "ignore_class": -1}, "sparse_with_minus1_col"),
]


def _case_id(case):
    name, kwargs, data = case
    return "-".join([name, data, *(f"{k}={v}" for k, v in kwargs.items())])


def _f32(*arrays):
    return tuple(
        np.asarray(a, np.float32) if np.asarray(a).dtype.kind == "f" else np.asarray(a)
        for a in arrays
    )


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_case_id)
def test_function_matches_keras(keras, rng, case):
    fn_name, kwargs, data = case
    y_true, y_pred = _f32(*DATA[data](rng))
    expected = getattr(keras.losses, fn_name)(y_true, y_pred, **kwargs)
    actual = getattr(L, fn_name)(y_true, y_pred, **kwargs)
    assert actual.shape == tuple(expected.shape)
    assert actual.dtype == jnp.float32
    _close(actual, expected)


def test_sparse_crossentropy_from_probs_is_not_minus_log_p(rng):
    # TF backend: softmax CE of log(clip(p)) = -log p_y + log sum_j clip(p_j).
    p = np.array([[0.7, 0.3 - 1e-9, 1e-9]], np.float32)
    value = float(L.sparse_categorical_crossentropy(np.array([0]), p)[0])
    clipped = np.clip(p[0].astype(np.float64), 1e-7, 1 - 1e-7)
    assert value == pytest.approx(-np.log(clipped[0]) + np.log(clipped.sum()), rel=1e-6)


# (class name, kwargs, data name): the class forms.
CLASS_CASES = [
    ("MeanSquaredError", {}, "real"),
    ("MeanSquaredError", {}, "real_rank1"),
    ("MeanSquaredError", {}, "real_rank1_vs_col"),
    ("MeanAbsoluteError", {}, "real_col"),
    ("MeanAbsoluteError", {}, "real_3d"),
    ("Huber", {"delta": 0.7}, "real"),
    ("BinaryCrossentropy", {}, "binary_probs_col"),
    ("BinaryCrossentropy", {}, "binary_rank1_vs_col"),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, "binary_probs"),
    ("BinaryCrossentropy", LOGITS, "binary_logits_col"),
    ("CategoricalCrossentropy", {}, "one_hot_probs"),
    ("CategoricalCrossentropy", {**LOGITS, "label_smoothing": 0.1}, "one_hot_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse_probs"),
    ("SparseCategoricalCrossentropy", {}, "sparse_probs_col"),
    ("SparseCategoricalCrossentropy", LOGITS, "sparse_logits"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse_with_2s"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse_all_2s"),
    ("SparseCategoricalCrossentropy", {**LOGITS, "ignore_class": 0}, "sparse_3d_logits"),
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
            _close(actual, expected, msg)


def test_sample_weight_per_element(keras, rng):
    y_true, y_pred = _f32(rng.normal(size=(N, 2, 3)), rng.normal(size=(N, 2, 3)))
    weight = rng.uniform(size=(N, 2)).astype(np.float32)
    for reduction in REDUCTIONS:
        expected = keras.losses.MeanSquaredError(reduction=reduction)(y_true, y_pred, weight)
        _close(L.MeanSquaredError(reduction=reduction)(y_true, y_pred, weight), expected)


def test_default_names_match_keras(keras):
    for cls_name in [
        "MeanSquaredError",
        "MeanAbsoluteError",
        "BinaryCrossentropy",
        "CategoricalCrossentropy",
        "SparseCategoricalCrossentropy",
        "Huber",
    ]:
        assert getattr(L, cls_name)().name == getattr(keras.losses, cls_name)().name


def test_config_matches_keras_and_round_trips(keras):
    cases = [
        ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1, "axis": -1}),
        ("CategoricalCrossentropy", {"label_smoothing": 0.2}),
        ("SparseCategoricalCrossentropy", {"ignore_class": 3, "reduction": "sum"}),
        ("MeanSquaredError", {"name": "my_mse"}),
        ("MeanAbsoluteError", {}),
    ]
    for cls_name, kwargs in cases:
        jnet_loss = getattr(L, cls_name)(**kwargs)
        assert L.serialize(jnet_loss) == keras.losses.serialize(
            getattr(keras.losses, cls_name)(**kwargs)
        )
        rebuilt = L.deserialize(L.serialize(jnet_loss))
        assert type(rebuilt) is type(jnet_loss) and rebuilt.get_config() == jnet_loss.get_config()
    assert L.serialize(L.mean_squared_error) == keras.losses.serialize(
        keras.losses.mean_squared_error
    )
    assert L.deserialize(L.serialize(L.huber)) is L.huber
    assert L.Huber(delta=0.3).from_config(L.Huber(delta=0.3).get_config()).delta == 0.3
    wrapper = L.LossFunctionWrapper(L.huber, name="h", reduction="sum", delta=2.0)
    rebuilt = L.deserialize(L.serialize(wrapper))
    assert (rebuilt.fn, rebuilt.name, rebuilt.reduction, rebuilt._fn_kwargs) == (
        L.huber,
        "h",
        "sum",
        {"delta": 2.0},
    )


# ---------------------------------------------------------------------------------------------
# The TensorFlow backend's logits shortcut
# ---------------------------------------------------------------------------------------------


def _shortcut_keras(keras, loss, y_true, z, activation):
    """Keras's loss of keras.activations.<activation>(z): the same eagerly and in a tf.function.

    Keras's sigmoid/softmax store their input on the output (``_keras_logits``), eager tensors
    included, and every crossentropy then reads those logits instead of clipping.
    """
    import tensorflow as tf

    def run(z):
        return loss(y_true, getattr(keras.activations, activation)(z))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = tf.function(run)(tf.constant(z)).numpy()
        eager = run(tf.constant(z)).numpy()
    _close(eager, graph)
    return graph


def test_with_logits_equals_keras_shortcut_without_clipping(keras):
    y = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
    z = np.array([[-30.0], [30.0], [0.5], [-2.0]], np.float32)  # sigmoid saturates to 0 / 1
    expected = _shortcut_keras(keras, keras.losses.BinaryCrossentropy(), y, z, "sigmoid")
    actual = L.BinaryCrossentropy().with_logits()(y, z)
    _close(actual, expected)
    # ...which is not the clipped value of the saturated probabilities.
    clipped = L.BinaryCrossentropy()(y, jax.nn.sigmoid(z))
    assert float(actual) > float(clipped) + 5


# (loss class name or "bce_function", kwargs, labels, activation that produced y_pred)
SHORTCUT_CASES = [
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary", "sigmoid"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2, "reduction": "sum"}, "one_hot", "softmax"),
    ("SparseCategoricalCrossentropy", {}, "sparse", "softmax"),
    ("bce_function", {}, "binary", "sigmoid"),
    # Keras quirk: the shortcut ignores which activation made y_pred. BCE after a softmax reads
    # the pre-softmax values as sigmoid logits; CCE after a sigmoid as softmax logits.
    ("BinaryCrossentropy", {}, "multi_binary", "softmax"),
    ("CategoricalCrossentropy", {}, "one_hot", "sigmoid"),
    # from_logits=True on a sigmoid output reads the pre-activation values too.
    ("BinaryCrossentropy", LOGITS, "binary", "sigmoid"),
]


@pytest.mark.parametrize("case", SHORTCUT_CASES, ids=lambda c: f"{c[0]}-{c[2]}-{c[3]}")
def test_with_logits_matches_keras_shortcut(keras, rng, case):
    name, kwargs, labels, activation = case
    z = _logits(rng, (N, C))
    y = {
        "binary": lambda: _binary_labels(rng, (N, 1)),
        "multi_binary": lambda: _binary_labels(rng, (N, C)),
        "one_hot": lambda: _one_hot(rng),
        "sparse": lambda: rng.integers(0, C, size=(N,)),
    }[labels]()
    if labels == "binary":
        z = z[:, :1]
    if name == "bce_function":
        from keras.src.losses.losses import LossFunctionWrapper

        keras_loss, loss = LossFunctionWrapper(keras.losses.binary_crossentropy), L.resolve(BCE)
    else:
        keras_loss, loss = getattr(keras.losses, name)(**kwargs), getattr(L, name)(**kwargs)
    expected = _shortcut_keras(keras, keras_loss, y, z, activation)
    assert loss.logits_activation is not None
    _close(loss.with_logits()(y, z), expected)


def test_logits_attributes():
    assert L.BinaryCrossentropy().logits_activation == "sigmoid"
    assert L.CategoricalCrossentropy().logits_activation == "softmax"
    assert L.SparseCategoricalCrossentropy().logits_activation == "softmax"
    assert L.resolve("bce").logits_activation == "sigmoid"
    assert L.resolve("sparse_categorical_crossentropy").logits_activation == "softmax"
    for loss in [L.MeanSquaredError(), L.Huber(), L.resolve("mae"), L.resolve(lambda a, b: a - b)]:
        assert loss.logits_activation is None and loss.from_logits is False
        with pytest.raises(errors.JnetValueError, match="no from_logits form"):
            loss.with_logits()
    assert L.BinaryCrossentropy(from_logits=True).from_logits is True

    smoothed = L.BinaryCrossentropy(label_smoothing=0.3, reduction="sum", name="b", axis=-1)
    logits = smoothed.with_logits()
    assert isinstance(logits, L.BinaryCrossentropy)
    assert logits.get_config() == {**smoothed.get_config(), "from_logits": True}
    scce = L.SparseCategoricalCrossentropy(ignore_class=4, name="s").with_logits()
    assert (scce.from_logits, scce.ignore_class, scce.name) == (True, 4, "s")
    wrapped = L.resolve("bce").with_logits()
    assert (wrapped.name, wrapped.from_logits, wrapped.fn) == ("bce", True, L.binary_crossentropy)
    assert L.BinaryCrossentropy(from_logits=True).with_logits().from_logits is True


def test_crossentropy_by_shape_matches_keras_get_loss(keras, rng):
    from keras.src.trainers.compile_utils import get_loss

    cases = [
        (_binary_labels(rng, (N, 1)), _probs(rng, (N, 1)), "sigmoid"),  # binary
        (_binary_labels(rng, (N,)), _probs(rng, (N, 1)), "sigmoid"),  # binary, rank-1 labels
        (rng.integers(0, C, size=(N,)), _softmax_rows(rng, (N, C)), "softmax"),  # sparse
        (rng.integers(0, C, size=(N, 1)), _softmax_rows(rng, (N, C)), "softmax"),  # sparse (N,1)
        (_one_hot(rng), _softmax_rows(rng, (N, C)), "softmax"),  # categorical
    ]
    for identifier in ["crossentropy", "ce", "CE"]:
        loss = L.resolve(identifier)
        assert isinstance(loss, L.CrossentropyByShape) and loss.name == identifier
        for y_true, y_pred, activation in cases:
            y_true, y_pred = _f32(y_true, y_pred)
            keras_loss = get_loss(identifier, y_true, y_pred)
            assert loss.function_for(y_true, y_pred).__name__ == keras_loss.fn.__name__
            assert loss.logits_activation_for(y_true, y_pred) == activation
            weight = rng.uniform(size=(N,)).astype(np.float32)
            _close(loss(y_true, y_pred, weight), keras_loss(y_true, y_pred, weight))
            logits = np.log(np.clip(y_pred, 1e-3, 1.0)).astype(np.float32)
            _close(
                loss.with_logits()(y_true, logits),
                _shortcut_keras(keras, keras_loss, y_true, logits, activation),
            )


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------


def _data_for(name, rng):
    canonical = L._REGISTRY.canonical(name).lower().replace("_", "")
    if "sparse" in canonical:
        return rng.integers(0, C, size=(N,)), _softmax_rows(rng, (N, C))
    if "categoricalhinge" in canonical:
        return _one_hot(rng), rng.normal(size=(N, C))
    if "categorical" in canonical:
        return _one_hot(rng), _softmax_rows(rng, (N, C))
    if "binary" in canonical:
        return _binary_labels(rng, (N, 1)), _probs(rng, (N, 1))
    if "hinge" in canonical:
        return rng.choice([-1.0, 1.0], size=(N, 3)), rng.normal(size=(N, 3))
    if canonical == "ctc":
        labels = rng.integers(1, C, size=(N, 3))
        labels[::2, 2] = 0
        return labels, rng.normal(size=(N, 8, C))  # T=8: every label path feasible
    if canonical == "circle":
        emb = rng.normal(size=(N, 3))
        return rng.integers(0, 2, size=(N,)), emb / np.linalg.norm(emb, axis=1, keepdims=True)
    if canonical in ("dice", "tversky"):
        return rng.integers(0, 2, size=(N, 3)), rng.uniform(size=(N, 3))
    if canonical in ("kldivergence", "poisson", "meansquaredlogarithmicerror"):
        return _softmax_rows(rng, (N, C)), rng.uniform(0.05, 1.0, size=(N, C))
    return rng.normal(size=(N, 3)), rng.normal(size=(N, 3))


@pytest.mark.parametrize("name", L._REGISTRY.names())
def test_every_registry_entry_matches_keras(keras, rng, name):
    jnet_obj, keras_obj = L.get(name), keras.losses.get(name)
    assert isinstance(jnet_obj, L.Loss) == isinstance(keras_obj, keras.losses.Loss)
    if isinstance(jnet_obj, L.Loss):
        assert type(jnet_obj).__name__ == type(keras_obj).__name__
        assert jnet_obj.name == keras_obj.name
    else:
        assert jnet_obj.__name__ == keras_obj.__name__
    y_true, y_pred = _f32(*_data_for(name, rng))
    assert np.all(np.isfinite(np.asarray(jnet_obj(y_true, y_pred))))
    _close(jnet_obj(y_true, y_pred), keras_obj(y_true, y_pred))
    resolved = L.resolve(name)
    assert isinstance(resolved, L.Loss)
    assert resolved.name == (name if not isinstance(jnet_obj, L.Loss) else jnet_obj.name)
    _close(
        resolved(y_true, y_pred),
        keras.losses.get(name)(y_true, y_pred)
        if isinstance(keras_obj, keras.losses.Loss)
        else np.mean(keras_obj(y_true, y_pred)),
    )


def test_get_and_resolve_identifiers():
    assert L.get(None) is None and L.resolve(None) is None
    assert L.get("huber") is L.huber
    assert isinstance(L.get(L.Huber), L.Huber)
    assert isinstance(
        L.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}),
        L.CategoricalCrossentropy,
    )
    instance = L.Huber(delta=2.0)
    assert L.get(instance) is instance and L.resolve(instance) is instance

    def myLoss(y_true, y_pred):  # noqa: N802 - checks Keras's snake-casing of the name
        return jnp.mean(jnp.abs(y_true - y_pred), axis=-1)

    wrapped = L.resolve(myLoss)
    assert isinstance(wrapped, L.LossFunctionWrapper) and wrapped.name == "my_loss"
    assert float(wrapped(np.zeros((2, 2)), np.ones((2, 2)))) == 1.0
    assert L.resolve("mse").name == "mse" and isinstance(L.resolve("mse"), L.LossFunctionWrapper)
    assert L.resolve("MeanSquaredError").name == "mean_squared_error"


def test_unknown_identifier_suggests_nearest():
    with pytest.raises(errors.UnknownIdentifierError, match="Did you mean 'mean_squared_error'"):
        L.get("mean_squared_eror")
    with pytest.raises(ValueError, match="huber"):
        L.resolve("hubber")
    with pytest.raises(errors.JnetTypeError, match="Could not interpret loss identifier"):
        L.get(42)


# ---------------------------------------------------------------------------------------------
# Errors, jit, gradients
# ---------------------------------------------------------------------------------------------


def test_mismatched_shapes_raise_naming_both():
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        L.BinaryCrossentropy()(np.zeros((4, 3)), np.full((4, 2), 0.5))
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        L.categorical_crossentropy(np.zeros((4, 3)), np.full((4, 2), 0.5))
    with pytest.raises(errors.JnetValueError, match=r"\(5,\).*\(4, 3\)"):
        L.SparseCategoricalCrossentropy()(np.zeros(5), np.full((4, 3), 0.3))
    with pytest.raises(errors.JnetValueError, match=r"\(4, 3\).*\(4, 2\)"):
        L.MeanSquaredError()(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(errors.JnetValueError, match=r"sample_weight.*\(3,\)"):
        L.MeanSquaredError()(np.zeros((4, 2)), np.zeros((4, 2)), sample_weight=np.ones(3))
    with pytest.raises(errors.JnetValueError, match="reduction"):
        L.MeanSquaredError(reduction="average")
    with pytest.raises(errors.JnetValueError, match="axis=-1"):
        L.sparse_categorical_crossentropy(np.zeros(3), np.full((3, 2), 0.5), axis=0)
    with pytest.raises(errors.JnetTypeError, match="axis"):
        L.categorical_crossentropy(np.eye(2), np.eye(2), axis=True)


def test_jit_and_grad(rng):
    y_true = rng.integers(0, C, size=(N,))
    y_true[1] = 1
    logits = _logits(rng, (N, C))
    for loss in [
        L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1),
        L.SparseCategoricalCrossentropy(ignore_class=1),
        L.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        L.resolve("ce"),
    ]:
        y = y_true if not isinstance(loss, L.CategoricalCrossentropy) else np.eye(C)[y_true]
        eager = loss(y, logits if loss.from_logits else jax.nn.softmax(logits))
        fn = jax.jit(
            lambda z, loss=loss, y=y: loss(y, z if loss.from_logits else jax.nn.softmax(z))
        )
        _close(fn(logits), eager)
        grad = jax.grad(fn)(jnp.asarray(logits))
        assert np.all(np.isfinite(np.asarray(grad)))


def test_reduce_weighted_values_mask_matches_keras(keras, rng):
    from keras.src.losses.loss import reduce_weighted_values

    values = rng.uniform(size=(N,)).astype(np.float32)
    mask = np.array([True, False, True, True, False, True])
    weight = rng.uniform(size=(N,)).astype(np.float32)
    for reduction in REDUCTIONS:
        for w in (None, weight):
            expected = reduce_weighted_values(values, w, mask=mask, reduction=reduction)
            _close(L.reduce_weighted_values(values, w, mask=mask, reduction=reduction), expected)


@pytest.mark.parametrize(
    "module",
    [L, L._utils, L._logits, L._crossentropy, L._base, L._regression, L._probabilistic, L._hinge,
     L._segmentation, L._registry],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
