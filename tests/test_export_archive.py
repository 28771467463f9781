"""jnet.export.ExportArchive: endpoints and variable collections written as one SavedModel
that TensorFlow serves (without jnet) with the outputs jnet computes; Keras's errors."""

import numpy as np
import pytest

import jnet
from jnet.errors import JnetTypeError, JnetValueError, NotBuiltError

L = jnet.layers


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tf = pytest.importorskip("tensorflow")
    model = jnet.Sequential([L.Dense(4, activation="relu", input_shape=(3,)), L.Dense(2)])
    archive = jnet.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint("serve", model,
                         input_signature=[L.InputSpec(shape=(None, 3), dtype="float32")])
    archive.add_endpoint("scaled", lambda x, s: model(x) * s,
                         input_signature=[tf.TensorSpec((None, 3), tf.float32), (None, 1)])
    archive.add_variable_collection("weights", [jnet.Variable(np.arange(3.0, dtype="float32"))])
    path = str(tmp_path_factory.mktemp("archive") / "saved")
    archive.write_out(path, verbose=False)
    return model, tf.saved_model.load(path)


def test_endpoints_serve_jnet_outputs(served):
    model, loaded = served
    x = np.linspace(-1, 1, 15, dtype="float32").reshape(5, 3)
    expected = np.asarray(model.predict(x, verbose=0))
    np.testing.assert_allclose(loaded.serve(x).numpy(), expected, atol=1e-6)
    np.testing.assert_allclose(loaded.scaled(x[:2], np.full((2, 1), 3.0, "float32")).numpy(),
                               3 * expected[:2], atol=1e-5)
    default = loaded.signatures["serving_default"]
    (out,) = default(serve_0=x[:1]).values()
    np.testing.assert_allclose(out.numpy(), expected[:1], atol=1e-6)
    assert [v.numpy().tolist() for v in loaded.weights] == [[0.0, 1.0, 2.0]]


def test_write_out_prints_the_endpoints(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    archive = jnet.export.ExportArchive()
    archive.add_endpoint("double", lambda x: 2 * x, [(None, 2)])
    archive.write_out(str(tmp_path / "d"))
    assert "Endpoint 'double': inputs (None, 2) float32" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda a: a.track(3), JnetValueError, r"expected a jnet Layer or Model, received int"),
        (lambda a: a.track(jnet.Sequential([L.Dense(2)])), NotBuiltError, "not yet been built"),
        (lambda a: a.add_endpoint("f", lambda x: x), JnetValueError, "input_signature is needed"),
        (lambda a: a.add_endpoint("f", 3, [(None, 2)]), JnetTypeError, "fn must be callable"),
        (lambda a: a.add_endpoint("a b", abs, [(None, 2)]), JnetValueError, "identifier"),
        (lambda a: a.add_endpoint("f", abs, ["x"]), JnetValueError,
         r"input_signature\[0\] must be a spec"),
        (lambda a: a.add_endpoint("f", abs, [(None, 2)], foo=1), JnetTypeError,
         r"unexpected arguments \['foo'\]"),
        (lambda a: [a.add_endpoint("f", abs, [(None, 2)]) for _ in range(2)], JnetValueError,
         "'f' is already taken"),
        (lambda a: a.add_variable_collection("v", ["x"]), JnetValueError,
         r"variables\[0\] must be a jnet Variable"),
        (lambda a: a.write_out("never"), JnetValueError, "no endpoints have been set yet"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(jnet.export.ExportArchive())
