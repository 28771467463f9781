"""Bad input to the public calls: clear jnet errors, before anything is traced."""

import numpy as np
import pytest

import jnet
from jnet.layers import Dense


def _model():
    return jnet.Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])


def test_unknown_optimizer_names_valid_choices_and_nearest():
    with pytest.raises(ValueError) as info:
        _model().compile(optimizer="adamm", loss="mse")
    message = str(info.value)
    assert "adamm" in message and "Did you mean 'adam'?" in message
    assert "'sgd'" in message and "'rmsprop'" in message


def test_unknown_loss_and_metric():
    with pytest.raises(ValueError, match="mean_squared_error"):
        _model().compile(optimizer="sgd", loss="mean_squared_eror")
    with pytest.raises(ValueError, match="accuracy"):
        _model().compile(optimizer="sgd", loss="mse", metrics=["acuracy"])


def test_fit_before_compile():
    with pytest.raises(jnet.errors.NotCompiledError, match=r"compile\(\) before fit"):
        _model().fit(np.ones((4, 3)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="compile"):
        _model().evaluate(np.ones((4, 3)), np.ones((4, 1)))


def test_compile_needs_a_loss_and_a_metrics_list():
    with pytest.raises(ValueError, match="needs a loss"):
        _model().compile(optimizer="sgd")
    with pytest.raises(TypeError, match=r"metrics=\['mae'\]"):
        _model().compile(optimizer="sgd", loss="mse", metrics="mae")


def _compiled():
    model = _model()
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="x has 5, y has 4"):
        _compiled().fit(np.ones((5, 3)), np.ones((4, 1)), verbose=0)


def test_wrong_feature_shape_says_what_to_do():
    with pytest.raises(ValueError, match=r"expects shape \(None, 3\), got \(2, 4\)"):
        _compiled().fit(np.ones((2, 4)), np.ones((2, 1)), verbose=0)
    with pytest.raises(ValueError, match=r"Flatten"):
        _compiled().predict(np.ones((2, 3, 3)), verbose=0)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"epochs": -1}, "epochs must be a non-negative integer"),
        ({"validation_split": 1.5}, r"validation_split must be a float in \[0, 1\)"),
        ({"verbose": 3}, "verbose must be"),
        ({"validation_data": np.ones(3)}, "validation_data must be a tuple"),
        ({"class_weight": {0: 1.0}}, "no weight for classes"),
    ],
)
def test_fit_argument_errors(kwargs, match):
    x, y = np.ones((8, 3)), np.ones((8, 1))
    with pytest.raises(ValueError, match=match):
        _compiled().fit(x, y, **kwargs)


def test_non_numeric_and_empty_data():
    with pytest.raises(TypeError, match="x must be numeric"):
        _compiled().fit(np.array([["a", "b", "c"]]), np.ones((1, 1)), verbose=0)
    with pytest.raises(ValueError, match="rectangular"):
        _compiled().predict([[1.0, 2.0, 3.0], [1.0]], verbose=0)
    with pytest.raises(ValueError, match="empty"):
        _compiled().fit(np.ones((0, 3)), np.ones((0, 1)), verbose=0)
    with pytest.raises(ValueError, match="y is None"):
        _compiled().fit(np.ones((2, 3)), verbose=0)


def _classifier(loss="sparse_categorical_crossentropy"):
    model = jnet.Sequential([Dense(3, activation="softmax", input_shape=(2,))])
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.mark.parametrize(
    "labels,match",
    [
        (np.array([0, 1, 3, 2]), r"labels must be in \[0, 3\).*from 0 to 3"),
        (np.array([0, -1, 2, 2]), r"labels must be in \[0, 3\)"),
        (np.array([0.0, 0.5, 1.0, 2.0]), "non-integer label 0.5"),
        (np.eye(3)[[0, 1, 2, 0]], "looks one-hot.*categorical_crossentropy"),
    ],
)
def test_sparse_labels_are_validated_before_jax_clamps_them(labels, match):
    x = np.ones((4, 2), np.float32)
    for loss in ("sparse_categorical_crossentropy",
                 jnet.losses.SparseCategoricalCrossentropy()):
        with pytest.raises(ValueError, match=match):
            _classifier(loss).fit(x, labels, verbose=0)
        with pytest.raises(ValueError, match=match):
            _classifier(loss).evaluate(x, labels, verbose=0)


def test_valid_sparse_labels_and_ignore_class_pass():
    x = np.ones((4, 2), np.float32)
    _classifier().fit(x, np.array([[0], [1], [2], [1]]), verbose=0)
    loss = jnet.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    _classifier(loss).fit(x, np.array([0, -1, 2, 1]), verbose=0)
