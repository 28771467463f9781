"""jnet/errors.py: did-you-mean ranking over every registry, and the install hint of every
optional dependency (each simulated missing with ``sys.modules[name] = None``)."""

import os
import sys

import numpy as np
import pytest

import jnet
from jnet import errors

# --------------------------------------------------------------------------------------------
# Did you mean: exact prefix first, then edit distance (a swap of neighbours is one edit).
# --------------------------------------------------------------------------------------------

NEAREST = [
    # (registry, misspelt, suggested)
    (jnet.optimizers.get, "adma", "adam"),  # a swap: 'adam', not 'adamax'
    (jnet.optimizers.get, "Adma", "Adam"),  # the spelling closest in case
    (jnet.optimizers.get, "adamm", "adam"),  # a name it starts with beats 'adamw'
    (jnet.optimizers.get, "ada", "adam"),  # exact prefix: the shortest name starting so
    (jnet.optimizers.get, "nadamm", "nadam"),
    (jnet.optimizers.get, "rmsprob", "rmsprop"),
    (jnet.optimizers.get, "adagard", "adagrad"),
    (jnet.losses.get, "mean_squared_eror", "mean_squared_error"),
    (jnet.losses.get, "binary_crossentrpy", "binary_crossentropy"),
    (jnet.losses.get, "sparse_categorical_crossentrpy", "sparse_categorical_crossentropy"),
    (jnet.losses.get, "hubber", "huber"),
    (jnet.metrics.get, "acuracy", "accuracy"),
    (jnet.metrics.get, "recal", "recall"),
    (jnet.metrics.get, "top_k_categorical_acuracy", "top_k_categorical_accuracy"),
    (jnet.activations.get, "sigmod", "sigmoid"),
    (jnet.activations.get, "softmx", "softmax"),
    (jnet.activations.get, "tan", "tanh"),
    (jnet.activations.get, "relu7", "relu"),
    (jnet.initializers.get, "zeroes", "zeros"),  # edit distance 1 beats the prefix 'zero'
    (jnet.initializers.get, "glorot_uniformm", "glorot_uniform"),
    (jnet.initializers.get, "orthogonl", "orthogonal"),
    (jnet.regularizers.get, "orthogonal_regulariser", "orthogonal_regularizer"),
    (jnet.constraints.get, "max_norm2", "max_norm"),
]


@pytest.mark.parametrize("get, misspelt, suggested", NEAREST, ids=[r[1] for r in NEAREST])
def test_misspelt_name_suggests_the_nearest(get, misspelt, suggested):
    with pytest.raises(errors.UnknownIdentifierError) as info:
        get(misspelt)
    assert f"Did you mean {suggested!r}?" in str(info.value)


def test_nothing_close_suggests_nothing():
    with pytest.raises(errors.UnknownIdentifierError) as info:
        jnet.optimizers.get("xyzzy")
    assert "Did you mean" not in str(info.value)
    assert errors.nearest("", ["adam"]) is None
    assert errors.nearest("adam", []) is None


# --------------------------------------------------------------------------------------------
# Optional dependencies: a missing one names the extra that installs it.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model():
    m = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    m.compile(optimizer="sgd", loss="mse")
    return m


def _tensorboard(model, folder):
    callback = jnet.callbacks.TensorBoard(log_dir=folder)
    callback.set_model(model)
    callback.on_epoch_end(0, {"loss": 1.0})


MISSING = [
    # (module hidden, extra, the call that needs it, pip name)
    ("h5py", "h5", lambda m, d: m.save_weights(os.path.join(d, "w.weights.h5")), "h5py"),
    ("h5py", "h5", lambda m, d: m.load_weights(os.path.join(d, "w.weights.h5")), "h5py"),
    ("h5py", "h5", lambda m, d: jnet.models.load_model(os.path.join(d, "m.keras")), "h5py"),
    ("matplotlib", "plot", lambda m, d: jnet.utils.plot_history({"loss": [1.0]}, show=False),
     "matplotlib"),
    ("tensorboardX", "tensorboard", _tensorboard, "tensorboardX"),
    ("PIL", "images", lambda m, d: errors.require("PIL.Image", "images", "load_img"), "Pillow"),
]


@pytest.mark.parametrize(
    "module, extra, call, package", MISSING,
    ids=["save_weights h5", "load_weights h5", "load_model keras", "plot_history",
         "TensorBoard", "Pillow"],
)
def test_missing_optional_dependency_names_its_extra(
    monkeypatch, tmp_path, model, module, extra, call, package
):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(errors.MissingExtraError) as info:
        call(model, str(tmp_path))
    message = str(info.value)
    assert f"pip install 'jnet[{extra}]'" in message
    assert f"pip install {package}`" in message
    assert isinstance(info.value, ImportError)


def test_require_returns_the_module_when_installed():
    assert errors.require("numpy", "none", "this test") is np
