"""keras.utils's small names in jnet.utils (Config, Sequence, get_source_inputs, clear_session,
is_keras_tensor, standardize_dtype), and tf.keras's short loss and metric function names."""

import numpy as np
import pytest

import jnet


def test_config_behaves_as_keras(keras):
    for lib in (keras, jnet):
        _check_config(lib)


def _check_config(lib):
    config = lib.utils.Config(learning_rate=0.1, momentum=0.9)
    config.seed = 123
    config["ema"] = True
    assert (config.learning_rate, config["seed"], len(config), "ema" in config) == (
        0.1, 123, 4, True)
    assert list(config) == ["ema", "learning_rate", "momentum", "seed"]  # sorted
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "seed": 123,
                                "ema": True}
    assert config.to_json() == ('{"learning_rate": 0.1, "momentum": 0.9, "seed": 123, '
                                '"ema": true}')
    assert config.pop("ema") is True and config.get("ema", "gone") == "gone"
    config.update(seed=7)
    assert config.seed == 7
    with pytest.raises(AttributeError, match="Unknown attribute: 'sed'. Did you mean 'seed'"):
        _ = config.sed
    config.freeze()
    assert config.frozen
    for mutate in (lambda: setattr(config, "seed", 1), lambda: config.update(a=1),
                   lambda: config.__setitem__("a", 1), lambda: config.__delitem__("seed"),
                   lambda: config.pop("seed")):
        with pytest.raises(ValueError, match="Cannot mutate attribute"):
            mutate()
    config.unfreeze()
    config.seed = 8
    assert config.seed == 8


def test_sequence_is_pydataset():
    assert jnet.utils.Sequence is jnet.utils.PyDataset


def _graph(lib):
    a, b = lib.Input((3,), name="a"), lib.Input((3,), name="b")
    shared = lib.layers.Dense(3, name="shared")
    mixed = lib.layers.Add(name="add")([shared(b), shared(a), b])
    return a, b, lib.layers.Dense(1, name="out")(mixed)


def test_get_source_inputs_as_keras(keras):
    for lib in (keras, jnet):
        a, b, out = _graph(lib)
        sources = lib.utils.get_source_inputs(out)
        assert [s is b for s in sources] == [True, False] and sources[1] is a  # first reached
        assert lib.utils.get_source_inputs(a)[0] is a
        assert lib.utils.get_source_inputs(3) == 3  # not a tensor: returned as it is


def test_session_and_dtype_helpers():
    assert jnet.utils.is_keras_tensor(jnet.Input((2,)))
    assert not jnet.utils.is_keras_tensor(np.ones(2))
    assert jnet.utils.standardize_dtype(np.float32) == "float32"
    assert jnet.utils.standardize_dtype("int") == "int32"  # as Keras on its JAX backend
    jnet.Sequential()
    jnet.utils.clear_session(free_memory=False)
    assert jnet.Sequential().name == "sequential"
    assert jnet.utils.clear_session is jnet.backend.clear_session


ALIASES = {
    "mean_squared_error": ("MSE", "mse"),
    "mean_absolute_error": ("MAE", "mae"),
    "mean_absolute_percentage_error": ("MAPE", "mape"),
    "mean_squared_logarithmic_error": ("MSLE", "msle"),
    "kl_divergence": ("KLD", "kld", "kullback_leibler_divergence"),
    "log_cosh": ("logcosh",),
}


@pytest.mark.parametrize("namespace", ["losses", "metrics"])
def test_tf_keras_short_names_are_the_functions(keras, namespace):
    ours = getattr(jnet, namespace)
    y_true = np.array([[0.2, 0.8], [0.5, 0.5]], np.float32)
    y_pred = np.array([[0.3, 0.6], [0.4, 0.7]], np.float32)
    for full, aliases in ALIASES.items():
        expected = np.asarray(getattr(keras.losses, full)(y_true, y_pred))
        for alias in aliases:
            assert getattr(ours, alias) is getattr(ours, full), alias
            assert alias in ours.__all__
            np.testing.assert_allclose(np.asarray(getattr(ours, alias)(y_true, y_pred)),
                                       expected, rtol=1e-5)
