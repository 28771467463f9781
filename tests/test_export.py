"""model.export: a jax.export artifact and a TF SavedModel that agree with model.predict.

The 'jax' artifact is also run in a separate process that imports only jax and jnet.export
and has none of the model's Python code (its Lambda's function lives only in this file).
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import jnet
from jnet.export import ExportFormatError

L = jnet.layers


def _cube_plus(x):
    return x * x * x + x


def _cnn():
    return jnet.Sequential([
        L.Conv2D(4, 3, padding="same", activation="relu", input_shape=(8, 8, 2)),
        L.BatchNormalization(),
        L.MaxPooling2D(),
        L.Dropout(0.5),
        L.Flatten(),
        L.Lambda(_cube_plus),
        L.Dense(3, activation="softmax"),
    ]), (8, 8, 2)


def _recurrent():
    return jnet.Sequential([
        L.Embedding(10, 4, input_shape=(6,)),
        L.Bidirectional(L.LSTM(3, return_sequences=True)),
        L.GRU(2),
    ]), None


def _randomized(make):
    """A model with random weights (BN moving statistics off their init), its data and
    ``model.predict`` on all of it (computed once per module: each shape compiles)."""
    rng = np.random.default_rng(1)
    model, shape = make()
    model.set_weights([
        rng.uniform(0.5, 1.5, w.shape).astype(w.dtype) if i == 5 and shape else
        rng.normal(0, 0.5, w.shape).astype(w.dtype)
        for i, w in enumerate(model.get_weights())
    ])
    if shape is None:  # integer token inputs
        x = rng.integers(0, 10, size=(16, 6)).astype(np.float32)
    else:
        x = rng.normal(size=(16, *shape)).astype(np.float32)
    return model, x, model.predict(x, verbose=0)


@pytest.fixture(scope="module")
def models():
    return {"cnn": _randomized(_cnn), "recurrent": _randomized(_recurrent)}


@pytest.mark.parametrize("kind", ["cnn", "recurrent"])
def test_jax_export_matches_predict_for_any_batch_size(models, kind, tmp_path):
    model, x, want = models[kind]
    path = tmp_path / "m.jaxexport"
    model.export(path, verbose=False)
    loaded = jnet.export.load(path)
    assert loaded.input_specs[0]["shape"][0] == "b"
    for n in (1, 16):
        np.testing.assert_allclose(loaded(x[:n]), want[:n], atol=1e-6, rtol=0)


def test_jax_export_runs_without_the_models_code(models, tmp_path):
    model, x, want = models["cnn"]
    model.export(tmp_path / "m.jaxexport", verbose=False)
    np.save(tmp_path / "x.npy", x)
    script = textwrap.dedent(
        f"""
        import sys
        import jax
        import numpy as np
        import jnet.export
        loaded = jnet.export.load({str(tmp_path / "m.jaxexport")!r})
        np.save({str(tmp_path / "y.npy")!r}, loaded(np.load({str(tmp_path / "x.npy")!r})))
        assert not any(name.startswith("test_") for name in sys.modules), "test code imported"
        """
    )
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), want, atol=1e-6, rtol=0)


def test_free_axes_other_than_the_batch_stay_symbolic(tmp_path, rng):
    model = jnet.Sequential([L.GRU(3, input_shape=(None, 2))])
    model.export(tmp_path / "m.jaxexport", verbose=False)
    loaded = jnet.export.load(tmp_path / "m.jaxexport")
    for steps in (1, 4, 9):
        x = rng.normal(size=(3, steps, 2)).astype(np.float32)
        np.testing.assert_allclose(loaded(x), model.predict(x, verbose=0), atol=1e-6, rtol=0)


def test_tf_saved_model_serves_predict_outputs(keras, models, tmp_path):
    import tensorflow as tf

    for kind, (model, x, want) in models.items():
        path = str(tmp_path / kind)
        model.export(path, format="tf_saved_model", verbose=False)
        served = tf.saved_model.load(path)
        np.testing.assert_allclose(served.serve(x[:3]).numpy(), want[:3], atol=1e-5, rtol=0)
        (out,) = served.signatures["serving_default"](tf.constant(x)).values()
        np.testing.assert_allclose(out.numpy(), want, atol=1e-5, rtol=0)


def test_export_argument_errors(tmp_path):
    model = jnet.Sequential([L.Dense(2)])
    with pytest.raises(jnet.errors.NotBuiltError, match="input_signature"):
        model.export(tmp_path / "m.jaxexport", verbose=False)
    model.export(tmp_path / "m.jaxexport", verbose=False, input_signature=(None, 3))
    loaded = jnet.export.load(tmp_path / "m.jaxexport")
    assert loaded(np.ones((2, 3))).shape == (2, 2)
    with pytest.raises(jnet.errors.JnetValueError, match=r"shape \(b, 3\).*\(2, 4\)"):
        loaded(np.ones((2, 4)))
    with pytest.raises(jnet.errors.JnetValueError, match="takes 1 input"):
        loaded(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(jnet.errors.JnetValueError, match="Unrecognized format='onnx'"):
        model.export(tmp_path / "m.onnx", format="onnx")
    with pytest.raises(jnet.errors.JnetTypeError, match="unexpected arguments"):
        model.export(tmp_path / "m.jaxexport", bogus=1)
    with pytest.raises(jnet.errors.JnetValueError, match="input_signature must be a shape"):
        model.export(tmp_path / "m.jaxexport", input_signature="(None, 3)")


def test_corrupt_export_files_are_refused(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    model.export(tmp_path / "m.jaxexport", verbose=False)
    data = (tmp_path / "m.jaxexport").read_bytes()
    bad = tmp_path / "bad.jaxexport"
    for content, match in [
        (data[:-10], "truncated"),
        (data[:-5] + bytes([data[-5] ^ 1]) + data[-4:], "checksum"),
        (b"PK\x03\x04" + data[4:], "not a jnet export"),
        (data[:8] + (2**40).to_bytes(8, "little") + data[16:], "header claims"),
    ]:
        bad.write_bytes(content)
        with pytest.raises(ExportFormatError, match=match):
            jnet.export.load(bad)

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        flips=st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)), max_size=3),
        cut=st.one_of(st.none(), st.integers(0, len(data) - 1)),
    )
    def check(flips, cut):
        content = bytearray(data)
        for index, bit in flips:
            content[index] ^= 1 << bit
        if cut is not None:
            content = content[:cut]
        bad.write_bytes(bytes(content))
        try:
            jnet.export.load(bad)
        except jnet.errors.JnetError:
            pass

    check()


def test_functional_model_with_two_inputs_and_outputs(tmp_path, rng):
    a, b = jnet.Input(shape=(4,), name="a"), jnet.Input(shape=(3,), name="b")
    h = L.Concatenate()([L.Dense(3, activation="relu")(a), b])
    model = jnet.Model([a, b], [L.Dense(1)(h), L.Dense(2, activation="softmax")(h)])
    model.export(tmp_path / "m.jaxexport", verbose=False)
    loaded = jnet.export.load(tmp_path / "m.jaxexport")
    x = [rng.normal(size=(5, 4)).astype(np.float32), rng.normal(size=(5, 3)).astype(np.float32)]
    got = loaded(*x)
    for g, w in zip(got, model.predict(x, verbose=0), strict=True):
        np.testing.assert_allclose(g, w, atol=1e-6, rtol=0)
