"""No silent wrong labels (jnet/training/targets.py, data.py): labels checked in their own
dtype before the cast to int32, targets that can only broadcast by accident refused, and the
inputs and arguments that Keras takes silently (model(x) on the wrong feature count,
Rescaling(nan), class_weight of negative weights, fractional Embedding indices) refused."""

import warnings

import numpy as np
import pytest

import jnet
from jnet import errors
from jnet.training import data as data_lib

L = jnet.layers
X2 = np.ones((4, 2), np.float32)
X3 = np.ones((8, 3), np.float32)


def _classifier(loss="sparse_categorical_crossentropy", metrics=None, units=3):
    model = jnet.Sequential([L.Dense(units, activation="softmax", input_shape=(2,))])
    model.compile(optimizer="adam", loss=loss, metrics=metrics)
    return model


def _regressor(units=1, loss="mse", activation=None):
    model = jnet.Sequential([L.Dense(units, activation=activation, input_shape=(3,))])
    model.compile(optimizer="sgd", loss=loss)
    return model


def _custom_loss(y_true, y_pred):  # a loss the label checks know nothing of
    return jnet.ops.mean(jnet.ops.square(y_pred), axis=-1)


# -- 1. labels in their own dtype ----------------------------------------------------------

LABELS = [
    # (id, labels, build the model, the message)
    ("int64 2**32 + 1 would wrap to class 1", np.array([0, 1, 2**32 + 1, 2], np.int64),
     _classifier, r"labels must be in \[0, 3\) for a model with 3 outputs, received labels "
                  r"from 0 to 4294967297"),
    ("uint64 2**63 + 1", np.array([0, 1, 2**63 + 1, 2], np.uint64), _classifier,
     r"\[0, 3\) .* from 0 to 9223372036854775809"),
    ("uint32 2**31 + 1 would wrap negative", np.array([0, 1, 2**31 + 1, 2], np.uint32),
     _classifier, r"from 0 to 2147483649"),
    ("int64 negative", np.array([0, -(2**40), 1, 2], np.int64), _classifier,
     r"from -1099511627776 to 2"),
    ("float label with a fractional part", np.array([0.0, 2.5, 1.0, 2.0]), _classifier,
     r"non-integer label 2\.5"),
    ("sparse metric, other loss: label 2**32 + 1",
     np.array([0, 1, 2**32 + 1, 2], np.int64),
     lambda: _classifier(_custom_loss, ["sparse_categorical_accuracy"]),
     r"sparse_categorical_accuracy: labels must be in \[0, 3\) .* to 4294967297"),
    ("sparse top-k metric: label 7", np.array([0, 1, 7, 2]),
     lambda: _classifier(_custom_loss, [jnet.metrics.SparseTopKCategoricalAccuracy(k=2)]),
     r"sparse_top_k_categorical_accuracy: labels must be in \[0, 3\) .* to 7"),
    ("'accuracy' on integer labels is sparse: label -1", np.array([0, -1, 1, 2]),
     lambda: _classifier(_custom_loss, ["accuracy"]), r"accuracy: labels must be in \[0, 3\)"),
    ("any loss: int64 past int32 refused before the cast",
     np.array([0, 1, 2**33, 2], np.int64).reshape(4, 1),
     lambda: _classifier(_custom_loss),
     r"y holds the integer value 8589934592, which does not fit int32 .* wrap it to 0"),
]


@pytest.mark.parametrize(("labels", "build", "match"), [c[1:] for c in LABELS],
                         ids=[c[0] for c in LABELS])
def test_labels_are_checked_in_their_own_dtype(labels, build, match):
    with pytest.raises(errors.JnetValueError, match=match):
        build().fit(X2, labels, verbose=0)


def test_wide_integer_labels_that_fit_give_the_int32_numbers():
    model = _classifier()
    labels = np.array([0, 1, 2, 1])
    expected = model.evaluate(X2, labels.astype(np.int32), verbose=0)
    for dtype in (np.int64, np.uint64, np.uint32):
        assert model.evaluate(X2, labels.astype(dtype), verbose=0) == expected


def test_streamed_labels_are_checked_before_their_chunks_are_cast(tmp_path):
    y = np.lib.format.open_memmap(tmp_path / "y.npy", "w+", np.int64, (64, 1))
    y[:] = 0
    y[40] = 2**32 + 1  # would stream as class 1
    y.flush()
    model = _regressor(loss=_custom_loss)
    with pytest.raises(errors.JnetValueError, match="4294967297, which does not fit int32"):
        model.fit(np.ones((64, 3), np.float32), np.load(tmp_path / "y.npy", mmap_mode="r"),
                  verbose=0)


def test_generator_labels_are_checked_per_batch_before_the_cast():
    model = _classifier()
    batches = iter([(X2, np.array([0, 1, 2, 1], np.int64)),
                    (X2, np.array([0, 2**32 + 1, 2, 1], np.int64))])
    with pytest.raises(errors.JnetValueError, match=r"Batch 1 .* 4294967297"):
        model.fit(batches, verbose=0)


# -- 2. target shapes and label values the loss would take silently ------------------------

TARGETS = [
    # (id, build the model, y, the message)
    ("mse: y (n, 5) against output (n, 1) would broadcast", _regressor, np.ones((8, 5)),
     r"mse: y has shape \(8, 5\) but the model's output has shape \(None, 1\); "
     r"the loss would broadcast .* Pass targets of shape \(N, 1\), or give the last layer 5 "
     r"units"),
    ("mae: y (n, 1) against output (n, 8)", lambda: _regressor(8, "mae"), np.ones((8, 1)),
     r"mae: y has shape \(8, 1\) .* \(None, 8\)"),
    ("hinge: y (n,) against output (n, 8) with n == 8", lambda: _regressor(8, "hinge"),
     np.ones(8), r"hinge: y has shape \(8,\)"),
    ("categorical_crossentropy on 1 unit is always 0",
     lambda: _regressor(1, "categorical_crossentropy", "softmax"), np.ones((8, 1)),
     r"categorical_crossentropy on an output of 1 unit is always 0 .* "
     r"loss='binary_crossentropy'"),
    ("binary_crossentropy on labels {0, 2}",
     lambda: _regressor(1, "binary_crossentropy", "sigmoid"), np.array([[0], [2]] * 4),
     r"binary_crossentropy takes labels in \[0, 1\], received labels \{0, 2\}"),
    ("binary_crossentropy on labels {-1, 1}",
     lambda: _regressor(1, "binary_crossentropy", "sigmoid"), np.array([[-1.0], [1.0]] * 4),
     r"received labels \{-1, 1\}: .* y = \(y > 0\)"),
]


@pytest.mark.parametrize(("build", "y", "match"), [c[1:] for c in TARGETS],
                         ids=[c[0] for c in TARGETS])
def test_targets_that_give_a_meaningless_loss_are_refused(build, y, match):
    with pytest.raises(errors.JnetValueError, match=match):
        build().fit(X3, y, verbose=0)


@pytest.fixture(scope="module")
def binary():
    return _regressor(1, "binary_crossentropy", "sigmoid")


def test_soft_binary_labels_slightly_outside_0_1_warn(binary):
    y = np.array([[0.0], [1.05]] * 4, np.float32)
    with pytest.warns(UserWarning, match=r"labels from 0 to 1\.05: outside \[0, 1\]"):
        binary.evaluate(X3, y, verbose=0)


def test_shapes_keras_aligns_are_accepted(binary):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for y in (np.ones(8), np.ones((8, 1)), np.ones((8, 1, 1))):  # aligned to (n, 1)
            binary.evaluate(X3, y, verbose=0)


# -- 3. model(x) on the wrong feature count or rank ----------------------------------------


@pytest.fixture(scope="module")
def models():
    sequential = jnet.Sequential([L.Dense(2, input_shape=(3,), name="dense")])
    inputs = jnet.Input((3,))
    functional = jnet.Model(inputs, L.Dense(2, name="d")(inputs))
    a, b = jnet.Input((3,), name="a"), jnet.Input((2,), name="b")
    two = jnet.Model([a, b], L.Dense(1)(L.Concatenate()([a, b])))
    subclassed = _Subclassed()
    subclassed(np.ones((2, 3), np.float32))  # built for 3 features
    return {"sequential": sequential, "functional": functional, "two inputs": two,
            "subclassed": subclassed}


class _Subclassed(jnet.Model):
    def __init__(self):
        super().__init__(name="sub")
        self.dense = L.Dense(2)

    def call(self, x, training=False):
        return self.dense(x)


CALLS = [
    ("sequential", np.ones((2, 4), np.float32),
     r"Input 0 of layer 'dense' expects shape \(None, 3\), got \(2, 4\) from x"),
    ("sequential", np.ones((2, 3, 3), np.float32), r"expects shape \(None, 3\), got \(2, 3, 3\)"),
    ("sequential", np.ones(3, np.float32), r"expects shape \(None, 3\), got \(3,\)"),
    ("functional", np.ones((2, 4), np.float32), r"expects shape \(None, 3\), got \(2, 4\)"),
    ("functional", np.ones((2, 2, 3), np.float32), r"got \(2, 2, 3\)"),
    ("two inputs", [np.ones((2, 3), np.float32), np.ones((2, 5), np.float32)],
     r"Input 1 of layer .* expects shape \(None, 2\), got \(2, 5\) from x\[1\]"),
    ("two inputs", {"a": np.ones((2, 4), np.float32), "b": np.ones((2, 2), np.float32)},
     r"Input 0 .* got \(2, 4\) from x\['a'\]"),
    ("subclassed", np.ones((2, 4), np.float32),  # no input spec (as Keras): Flax's error, worded
     r"Model 'sub' was built for inputs of shape \(None, 3\) and called on x of shape \(2, 4\)"),
]


@pytest.mark.parametrize(("name", "x", "match"), CALLS,
                         ids=[f"{c[0]} {i}" for i, c in enumerate(CALLS)])
def test_calling_a_model_on_a_wrong_shape_is_a_jnet_error(models, name, x, match):
    with pytest.raises(errors.JnetValueError, match=match):
        models[name](x)


def test_keras_raises_a_value_error_on_the_same_calls(keras, models):
    reference = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    for x in (np.ones((2, 4), np.float32), np.ones((2, 3, 3), np.float32)):
        with pytest.raises(ValueError):
            reference(x)
        with pytest.raises(ValueError):  # a JnetValueError: `except ValueError` keeps working
            models["sequential"](x)


def test_calling_a_model_adjusts_a_trailing_1_as_keras():
    model = jnet.Sequential([L.Dense(2, input_shape=(1,))])
    assert model(np.ones(4, np.float32)).shape == (4, 2)  # (4,) -> (4, 1)
    assert model(np.ones((4, 1, 1), np.float32)).shape == (4, 2)  # (4, 1, 1) -> (4, 1)


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict"])
def test_fit_evaluate_predict_name_the_layer_on_a_wrong_feature_count(call):
    model = _regressor()
    args = (np.ones((8, 4)), np.ones((8, 1))) if call != "predict" else (np.ones((8, 4)),)
    with pytest.raises(errors.JnetValueError, match=r"layer 'dense.*' expects shape \(None, 3\)"):
        getattr(model, call)(*args, verbose=0)


# -- 4. arguments Keras takes silently -----------------------------------------------------

ARGUMENTS = [
    ("metrics dict naming a missing output",
     lambda: jnet.Sequential([L.Dense(1, input_shape=(3,), name="out")]).compile(
         optimizer="sgd", loss="mse", metrics={"nope": ["mae"]}),
     errors.JnetValueError, r"metrics has keys \['nope'\] .* only output is 'out'"),
    ("Rescaling(scale=nan)", lambda: L.Rescaling(float("nan")), errors.JnetValueError,
     r"scale must be finite .* received nan"),
    ("Rescaling(scale=inf)", lambda: L.Rescaling(np.inf), errors.JnetValueError,
     "scale must be finite"),
    ("Rescaling(offset=[0, nan])", lambda: L.Rescaling(1.0, offset=[0.0, float("nan")]),
     errors.JnetValueError, "offset must be finite"),
    ("Rescaling(scale=1e39) overflows float32", lambda: L.Rescaling(1e39),
     errors.JnetValueError, "scale must be finite"),
    ("class_weight negative", {0: -1.0, 1: 1.0, 2: 1.0}, errors.JnetValueError,
     r"class_weight\[0\] must be a finite number >= 0, received -1\.0"),
    ("class_weight NaN", {0: 1.0, 1: float("nan"), 2: 1.0}, errors.JnetValueError,
     r"class_weight\[1\] must be a finite number >= 0, received nan"),
    ("class_weight inf", {0: 1.0, 1: 1.0, 2: np.inf}, errors.JnetValueError,
     r"class_weight\[2\] .* received inf"),
    ("class_weight string key", {"0": 1.0, 1: 1.0, 2: 1.0}, errors.JnetValueError,
     r"received the key '0'"),
    ("class_weight fractional key", {0.5: 1.0, 0: 1.0, 1: 1.0, 2: 1.0}, errors.JnetValueError,
     r"received the key 0\.5"),
    ("class_weight string value", {0: "a", 1: 1.0, 2: 1.0}, errors.JnetTypeError,
     r"class_weight\[0\] must be a number, received"),
]


@pytest.mark.parametrize(("make", "error", "match"), [c[1:] for c in ARGUMENTS],
                         ids=[c[0] for c in ARGUMENTS])
def test_arguments_keras_takes_silently_are_refused(make, error, match):
    with pytest.raises(error, match=match):
        if isinstance(make, dict):  # a class_weight
            _classifier().fit(X2, np.array([0, 1, 2, 0]), class_weight=make, verbose=0)
        else:
            make()


def test_class_weight_takes_whole_float_and_numpy_keys():
    table = {0.0: 1.0, np.int64(1): 2.0, 2: np.float32(0.0)}
    weights = data_lib.class_weight_to_sample_weight(np.array([0, 1, 2, 1]), table)
    np.testing.assert_array_equal(weights, [1.0, 2.0, 0.0, 2.0])


@pytest.fixture(scope="module")
def embedding_model():
    model = jnet.Sequential([L.Embedding(5, 2, input_shape=(3,)), L.Flatten(), L.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_embedding_refuses_fractional_indices_and_takes_whole_floats(embedding_model):
    with pytest.raises(errors.JnetValueError, match=r"fractional index 1\.5 .* truncate it to 1"):
        embedding_model.predict(np.full((4, 3), 1.5), verbose=0)
    with pytest.raises(errors.JnetValueError, match="fractional index 2.5"):
        L.Embedding(5, 2)(np.full((1, 3), 2.5, np.float32))
    as_floats = embedding_model.predict(np.full((4, 3), 2.0), verbose=0)
    as_ints = embedding_model.predict(np.full((4, 3), 2), verbose=0)
    np.testing.assert_array_equal(as_floats, as_ints)
    with pytest.raises(errors.JnetValueError, match="indices from 4294967298 to"):
        embedding_model.predict(np.full((4, 3), 2**32 + 2, np.int64), verbose=0)
