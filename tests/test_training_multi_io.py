"""Several inputs and outputs in compile/fit/evaluate/predict (numbers from formulas; Keras's
own numbers are in test_multi_io_parity.py)."""

import numpy as np
import pytest

import jnet
from jnet.training import outputs as outputs_lib

N = 24


def _model(dict_outputs=False):
    a = jnet.Input(shape=(8,), name="a")
    b = jnet.Input(shape=(4,), name="b")
    h = jnet.layers.Concatenate()([a, b])
    c = jnet.layers.Dense(3, activation="softmax", name="class")(h)
    v = jnet.layers.Dense(1, name="value")(h)
    return jnet.Model(inputs=[a, b], outputs={"value": v, "class": c} if dict_outputs else [c, v])


def _data(rng):
    xa = rng.normal(size=(N, 8)).astype(np.float32)
    xb = rng.normal(size=(N, 4)).astype(np.float32)
    return xa, xb, rng.integers(0, 3, N).astype(np.int32), rng.normal(size=(N, 1)).astype(
        np.float32
    )


def _reference(model, xa, xb, yc, yv, sample_weight=None):
    """Per-output losses by formula, from the model's weights (Keras's order)."""
    kc, bc, kv, bv = model.get_weights()
    h = np.concatenate([xa, xb], axis=1).astype(np.float64)
    logits = h @ kc + bc
    logp = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True))
    logp -= logits.max(1, keepdims=True)
    ce = -logp[np.arange(len(yc)), yc]
    se = ((h @ kv + bv)[:, 0] - yv[:, 0]) ** 2
    w = np.ones(len(yc)) if sample_weight is None else sample_weight
    return np.mean(ce * w), np.mean(se * w)


# -- compile resolution ------------------------------------------------------------------


def test_compile_outputs_forms():
    names = ["class", "value"]
    c = outputs_lib.compile_outputs("mse", None, None, names)
    assert [(o.index, o.name, o.weight) for o in c.losses] == [(0, "class", None),
                                                                (1, "value", None)]
    c = outputs_lib.compile_outputs({"value": "mse"}, [2.0, 0.5], None, names)
    assert [(o.name, o.weight) for o in c.losses] == [("value", 0.5)]
    assert c.loss_keys == ()  # one loss: no per-output loss keys (Keras)
    c = outputs_lib.compile_outputs(
        ["mse", "mae"], {"value": 0.5}, [["mae", "mae"], None], names
    )
    assert c.metric_keys == ("class_mae", "class_mae_1")
    assert c.log_order == ("loss", "class_loss", "value_loss", "class_mae", "class_mae_1")
    c = outputs_lib.compile_outputs("mse", None, {"value": ["mae", "accuracy"]}, names)
    assert [(m.index, m.key) for m in c.metrics] == [(1, "value_mae"), (1, "value_accuracy")]


@pytest.mark.parametrize("kwargs, match", [
    (dict(loss=["mse"]), "one entry per output"),
    (dict(loss={"nope": "mse"}), "not output names"),
    (dict(loss="mse", metrics=["mae"]), "one entry per output"),
    (dict(loss="mse", metrics={"klass": "mae"}), "not output names"),
    (dict(loss="mse", loss_weights=[1.0]), "one entry per output"),
    (dict(loss=[None, None]), "no loss for any output"),
    (dict(loss="mse", metrics=["mae", "nosuchmetric"]), "nosuchmetric"),
])
def test_compile_errors(kwargs, match):
    model = _model()
    with pytest.raises(ValueError, match=match):
        model.compile(optimizer="sgd", **kwargs)


# -- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("weights", [None, {"class": 1.0, "value": 0.5}, [2.0, 0.25]])
def test_evaluate_is_weighted_sum_of_output_losses(rng, weights):
    model = _model()
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"],
                  loss_weights=weights, metrics={"class": "accuracy", "value": ["mae"]})
    xa, xb, yc, yv = _data(rng)
    ce, mse = _reference(model, xa, xb, yc, yv)
    w = {None: (1.0, 1.0), 0: (1.0, 0.5), 1: (2.0, 0.25)}[
        None if weights is None else (0 if isinstance(weights, dict) else 1)
    ]
    logs = model.evaluate([xa, xb], [yc, yv], batch_size=N, verbose=0, return_dict=True)
    assert list(logs) == ["class_accuracy", "class_loss", "loss", "value_loss", "value_mae"]
    np.testing.assert_allclose(logs["class_loss"], ce, rtol=1e-5)
    np.testing.assert_allclose(logs["value_loss"], mse, rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], w[0] * ce + w[1] * mse, rtol=1e-5)
    values = model.evaluate([xa, xb], [yc, yv], batch_size=N, verbose=0)
    assert model.metrics_names == ["loss", "class_loss", "value_loss", "class_accuracy",
                                   "value_mae"]
    assert values == [logs[k] for k in model.metrics_names]


def test_sample_weight_one_array_or_per_output(rng):
    model = _model()
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"])
    xa, xb, yc, yv = _data(rng)
    sw = rng.uniform(0.0, 2.0, N).astype(np.float32)
    ce, mse = _reference(model, xa, xb, yc, yv, sw)
    one = model.evaluate([xa, xb], [yc, yv], sample_weight=sw, batch_size=N, verbose=0)
    np.testing.assert_allclose(one[1:], [ce, mse], rtol=1e-5)
    per = model.evaluate([xa, xb], [yc, yv], sample_weight={"value": sw}, batch_size=N,
                         verbose=0)
    ce_plain, _ = _reference(model, xa, xb, yc, yv)
    np.testing.assert_allclose(per[1:], [ce_plain, mse], rtol=1e-5)
    with pytest.raises(ValueError, match="one scalar score per sample"):
        model.evaluate([xa, xb], [yc, yv], sample_weight=np.ones((N, 2)), verbose=0)


def test_data_forms_train_identically(rng):
    xa, xb, yc, yv = _data(rng)
    histories = []
    for x, y in [([xa, xb], [yc, yv]), ({"b": xb, "a": xa}, {"value": yv, "class": yc}),
                 ((xa, xb), (yc, yv))]:
        jnet.utils.set_random_seed(0)
        model = _model()
        model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"],
                      metrics=["accuracy", "mae"])
        histories.append(model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False,
                                   validation_split=0.25).history)
    assert histories[0] == histories[1] == histories[2]
    assert list(histories[0]) == sorted(histories[0])  # Keras on TensorFlow sorts them
    assert "val_value_loss" in histories[0]


@pytest.mark.filterwarnings("ignore:Your input ran out of data")
def test_generator_and_streamed_memmap_match_arrays(rng, tmp_path):
    xa, xb, yc, yv = _data(rng)
    path = tmp_path / "xa.npy"
    np.save(path, xa)
    xa_mm = np.load(path, mmap_mode="r")

    def batches():
        for i in range(0, N, 8):
            yield (xa[i:i + 8], xb[i:i + 8]), {"class": yc[i:i + 8], "value": yv[i:i + 8]}

    results = []
    for x, y in [([xa, xb], [yc, yv]), (batches(), None), ([xa_mm, xb], [yc, yv])]:
        jnet.utils.set_random_seed(0)
        model = _model()
        model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"],
                      metrics={"value": "mae"})
        h = model.fit(x, y, epochs=1, batch_size=8, verbose=0, shuffle=False).history
        results.append(h)
    for other in results[1:]:
        assert list(other) == list(results[0])
        for key in results[0]:
            np.testing.assert_allclose(other[key], results[0][key], rtol=1e-6)


def test_predict_structure(rng):
    xa, xb, _, _ = _data(rng)
    out = _model().predict([xa, xb], batch_size=7, verbose=0)
    assert isinstance(out, list) and [o.shape for o in out] == [(N, 3), (N, 1)]
    out = _model(dict_outputs=True).predict({"a": xa, "b": xb}, verbose=0)
    assert isinstance(out, dict) and list(out) == ["value", "class"]  # as given, like Keras
    assert out["class"].shape == (N, 3)


def test_partial_loss_dict_and_missing_targets(rng):
    xa, xb, yc, yv = _data(rng)
    model = _model(dict_outputs=True)
    model.compile(optimizer="sgd", loss={"class": "sparse_categorical_crossentropy"})
    h = model.fit([xa, xb], {"class": yc}, epochs=1, verbose=0).history
    assert list(h) == ["loss"]
    model.compile(optimizer="sgd", loss={"class": "sparse_categorical_crossentropy"},
                  metrics={"value": "mae"})
    with pytest.raises(ValueError, match="no targets for output 'value'"):
        model.fit([xa, xb], {"class": yc}, epochs=1, verbose=0)


@pytest.mark.parametrize("call, match", [
    (lambda m, d: m.fit([d[0], d[1][:-1]], [d[2], d[3]], verbose=0),
     r"x\[1\] has 23"),
    (lambda m, d: m.fit([d[0], d[1]], [d[2], d[3][:-2]], verbose=0), r"y\[1\] has 22"),
    (lambda m, d: m.fit([d[0], d[1][:, :3]], [d[2], d[3]], verbose=0),
     r"Input 1 of layer .* expects shape \(None, 4\), got \(24, 3\) from x\[1\]"),
    (lambda m, d: m.fit({"a": d[0]}, [d[2], d[3]], verbose=0),
     r"missing the model's inputs \['b'\]"),
    (lambda m, d: m.fit(d[0], [d[2], d[3]], verbose=0), "x must be a list of 2 arrays"),
    (lambda m, d: m.fit([d[0], d[1]], [d[2]], verbose=0), "one array per output"),
    (lambda m, d: m.fit([d[0], d[1]], {"klass": d[2]}, verbose=0), "not output names"),
    (lambda m, d: m.fit([d[0], d[1]], [d[2], d[3]], class_weight={0: 1.0}, verbose=0),
     "single output"),
    (lambda m, d: m.fit([d[0], d[1]], [d[2] + 3, d[3]], verbose=0), r"labels must be in \[0, 3\)"),
])
def test_data_errors_name_the_leaf(rng, call, match):
    model = _model()
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"],
                  metrics={"value": "mae"})
    with pytest.raises(ValueError, match=match):
        call(model, _data(rng))


def test_single_output_accepts_one_entry_structures(rng):
    x = rng.normal(size=(N, 3)).astype(np.float32)
    y = rng.normal(size=(N, 1)).astype(np.float32)
    a = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    a.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    b = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    b.compile(optimizer="sgd", loss={"dense": "mse"}, metrics={"dense": ["mae"]})
    b.set_weights(a.get_weights())
    assert a.evaluate(x, y, verbose=0) == b.evaluate(x, [y], verbose=0)
