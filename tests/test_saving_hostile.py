"""Hostile '.keras' archives: each is refused with a jnet error, and nothing in them runs.

The archives are crafted here with ``zipfile``/``h5py`` (no TensorFlow): escaping member
paths, decompression bombs, oversized members, truncated and bit-flipped zips, configs naming
unknown classes or modules, Lambda bytecode, and weights whose shapes or dtypes disagree.
A hypothesis fuzz over truncations, byte flips and header edits finds no other failure.
(The corresponding '.jnet' checks live in tests/test_saving_model.py.)
"""

import io
import json
import marshal
import re
import sys
import warnings
import zipfile

import h5py
import numpy as np
import pytest

import jnet
from jnet.saving import FileFormatError, _keras_archive
from jnet.saving._keras_config import KerasImportError

_DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
          "registered_name": None}


def _dense(name, units, **extra):
    return {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": name, "trainable": True, "dtype": _DTYPE, "units": units,
                   "activation": "relu", "use_bias": True, "kernel_regularizer": None, **extra},
        "registered_name": None,
        "build_config": {"input_shape": [None, 3]},
    }


def _config(layers):
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "sequential", "trainable": True, "dtype": _DTYPE, "layers": [
            {"module": "keras.layers", "class_name": "InputLayer",
             "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "input_layer"}},
            *layers,
        ]},
        "registered_name": None,
        "compile_config": None,
    }


def _weights(arrays):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_group("vars")
        for key, values in arrays.items():
            group = f.create_group(f"layers/{key}/vars")
            for i, value in enumerate(values):
                group.create_dataset(str(i), data=value)
    return buffer.getvalue()


def _archive(path, config=None, weights=None, extra=(), compression=zipfile.ZIP_STORED):
    if config is None:
        config = _config([_dense("dense", 2)])
    if weights is None:
        weights = _weights({"dense": [np.ones((3, 2), np.float32), np.zeros(2, np.float32)]})
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", weights)
        for name, data in extra:
            z.writestr(name, data)
    return path


def test_a_well_formed_crafted_archive_loads(tmp_path):
    model = jnet.models.load_model(_archive(tmp_path / "m.keras"))
    np.testing.assert_array_equal(model.predict(np.ones((1, 3)), verbose=0), [[3.0, 3.0]])


@pytest.mark.parametrize(
    "member", ["../evil.py", "assets/../../evil.py", "/etc/passwd", "C:/evil", "a\\..\\b"]
)
def test_member_paths_escaping_the_archive_are_refused(tmp_path, member):
    path = _archive(tmp_path / "m.keras", extra=[(member, b"x")])
    with pytest.raises(FileFormatError, match="leaves the archive's directory"):
        jnet.models.load_model(path)


def test_zip_bombs_and_oversized_members_are_refused_before_reading(tmp_path, monkeypatch):
    bomb = b"\0" * (8 * 1024 * 1024)  # 8 MiB of zeros deflates ~1000x
    config = json.dumps(_config([_dense("dense", 2)])).encode() + b" " * len(bomb)
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", config)
    with pytest.raises(FileFormatError, match="decompression bomb"):
        jnet.models.load_model(path)

    big = _archive(tmp_path / "big.keras")
    reads = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: reads.append(a) or 1 / 0)
    monkeypatch.setattr(_keras_archive, "MAX_JSON_BYTES", 100)
    with pytest.raises(FileFormatError, match=r"declares \d+ bytes; at most 100"):
        jnet.models.load_model(big)
    assert reads == []  # refused from the declared size, nothing opened


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "not a zip", "no config"])
def test_truncated_bit_flipped_and_foreign_archives_are_refused(tmp_path, damage):
    data = _archive(tmp_path / "m.keras").read_bytes()
    bad = tmp_path / "bad.keras"
    if damage == "truncate":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # inside the weights: the member's CRC no longer matches
        i = data.index(b"HDF") + 200
        bad.write_bytes(data[:i] + bytes([data[i] ^ 0x10]) + data[i + 1 :])
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "not a zip":
        bad.write_bytes(b"\x80\x04\x95" + data[3:100])
    else:
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("model.weights.h5", b"")
    with pytest.raises(FileFormatError):
        jnet.models.load_model(bad)


def test_classes_and_modules_named_by_a_file_are_never_imported(tmp_path):
    evil = "jnet_h4_evil_module"
    entry = _dense("dense", 2)
    entry["module"] = evil  # ignored: jnet's Dense is built
    model = jnet.models.load_model(_archive(tmp_path / "m.keras", config=_config([entry])))
    assert isinstance(model.layers[0], jnet.layers.Dense)

    popen = {"module": evil, "class_name": "Popen", "config": {"name": "p"},
             "registered_name": f"{evil}>Popen"}
    sneaky = _dense("sneaky", 2)
    sneaky["registered_name"] = f"{evil}>Dense"  # a user's registered class, not jnet's Dense
    path = _archive(tmp_path / "evil.keras", config=_config([popen, sneaky]))
    with pytest.raises(KerasImportError, match=r"'p' \('Popen'\), 'sneaky' \('Dense'\)"):
        jnet.models.load_model(path)
    assert evil not in sys.modules

    config = _config([_dense("dense", 2)])
    config["class_name"] = "MySubclassedModel"
    with pytest.raises(KerasImportError, match="'MySubclassedModel' model"):
        jnet.models.load_model(_archive(tmp_path / "sub.keras", config=config))


def test_lambda_bytecode_is_never_unmarshalled(tmp_path, monkeypatch):
    code = marshal.dumps((lambda x: x).__code__)
    import base64

    lam = {"module": "keras.layers", "class_name": "Lambda", "config": {
        "name": "lam", "dtype": _DTYPE, "arguments": {},
        "function": {"class_name": "__lambda__", "config": {
            "code": base64.b64encode(code).decode(), "defaults": None, "closure": None}}}}
    path = _archive(tmp_path / "m.keras", config=_config([_dense("dense", 2), lam]))
    monkeypatch.setattr(marshal, "loads", lambda *a: pytest.fail("marshal.loads was called"))
    for safe_mode in (True, False):
        with pytest.raises(KerasImportError, match=r"bytecode.*custom_objects=\{'lam'"):
            jnet.models.load_model(path, safe_mode=safe_mode)
    model = jnet.models.load_model(path, custom_objects={"lam": lambda x: -x})
    np.testing.assert_array_equal(model.predict(np.ones((1, 3)), verbose=0), [[-3.0, -3.0]])


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([np.ones((4, 2), np.float32), np.zeros(2, np.float32)], r"kernel has shape \(3, 2\)"),
        ([np.ones((3, 2), np.float64), np.zeros(2, np.float32)], "dtype float32.*float64"),
        ([np.ones((3, 2), np.float32)], "expects 2 weights"),
    ],
)
def test_weights_disagreeing_with_the_architecture_are_refused(tmp_path, weights, match):
    path = _archive(tmp_path / "m.keras", weights=_weights({"dense": weights}))
    with pytest.raises(jnet.errors.JnetValueError, match=match):
        jnet.models.load_model(path)


def test_a_dataset_larger_than_its_file_is_refused_unread(tmp_path):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        group = f.create_group("layers/dense/vars")
        group.create_dataset("0", shape=(10**6, 10**4), dtype="f4", chunks=(1, 10),
                             compression="gzip")
        group.create_dataset("1", data=np.zeros(2, np.float32))
    with pytest.raises(FileFormatError, match="more than the file could hold"):
        jnet.models.load_model(_archive(tmp_path / "m.keras", weights=buffer.getvalue()))


def test_fuzzed_archives_fail_only_with_jnet_errors(tmp_path):
    """Truncations, bit flips (anywhere, and in the zip headers) and byte edits of an archive
    either load (a flip in a field nothing reads) or raise a jnet error: never anything else."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    data = _archive(tmp_path / "m.keras").read_bytes()
    directory = data.rindex(b"PK\x01\x02")  # the central directory's last entry
    bad = tmp_path / "bad.keras"
    positions = st.one_of(
        st.integers(0, len(data) - 1),
        st.integers(0, 60),  # the first local header
        st.integers(max(directory - 120, 0), len(data) - 1),  # central directory and end
    )

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        flips=st.lists(st.tuples(positions, st.integers(0, 7)), max_size=3),
        edits=st.lists(st.tuples(positions, st.integers(0, 255)), max_size=2),
        cut=st.one_of(st.none(), st.integers(0, len(data) - 1)),
    )
    def check(flips, edits, cut):
        content = bytearray(data)
        for index, bit in flips:
            content[index] ^= 1 << bit
        for index, value in edits:
            content[index] = value
        if cut is not None:
            content = content[:cut]
        bad.write_bytes(bytes(content))
        try:
            jnet.models.load_model(bad)
        except jnet.errors.JnetError:
            pass

    check()


def _paths(tree, prefix=()):
    """Every (path, leaf) of a JSON tree."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, (*prefix, i))
    yield prefix, tree


def test_fuzzed_configs_fail_only_with_jnet_errors(tmp_path):
    """Any value of config.json replaced by any JSON value (a crafted archive with valid
    CRCs): the model loads or a jnet error says why; no other exception escapes."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    conv = {"module": "keras.layers", "class_name": "Conv1D", "config": {
        "name": "conv", "filters": 2, "kernel_size": [2], "strides": [1], "padding": "valid",
        "activation": "relu", "dtype": _DTYPE}}
    config = _config([{**_dense("dense", 4)}, {"module": "keras.layers", "class_name": "Reshape",
                      "config": {"name": "reshape", "target_shape": [2, 2]}}, conv])
    config["compile_config"] = {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]}
    weights = _weights({
        "dense": [np.ones((3, 4), np.float32), np.zeros(4, np.float32)],
        "conv1d": [np.ones((2, 2, 2), np.float32), np.zeros(2, np.float32)],
    })
    jnet.models.load_model(_archive(tmp_path / "ok.keras", config=config, weights=weights))
    targets = [p for p, _ in _paths(config) if p]
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(-3, 10**12) | st.floats(allow_nan=True)
        | st.text(max_size=8) | st.sampled_from(["Dense", "InputLayer", "__lambda__", "relu"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3),
        max_leaves=6,
    )

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(targets), json_values)
    def check(path, value):
        edited = json.loads(json.dumps(config))
        node = edited
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        bad = _archive(tmp_path / "bad.keras", config=edited, weights=weights)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jnet.models.load_model(bad)
        except jnet.errors.JnetError:
            pass

    check()


@pytest.mark.parametrize("kind", ["external link", "soft link", "external storage", "virtual"])
def test_hdf5_links_and_external_storage_are_never_followed(tmp_path, kind):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.arange(8, dtype=np.float32).tobytes())
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("kernel", data=np.ones((3, 2), np.float32))
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        if kind == "external link":
            f["layers/dense"] = h5py.ExternalLink(str(other), "/")
        else:
            group = f.create_group("layers/dense/vars")
            if kind == "soft link":
                f.create_dataset("elsewhere", data=np.ones((3, 2), np.float32))
                group["0"] = h5py.SoftLink("/elsewhere")
            elif kind == "external storage":
                group.create_dataset("0", shape=(3, 2), dtype="f4",
                                     external=[(str(secret), 0, 24)])
            else:
                layout = h5py.VirtualLayout(shape=(3, 2), dtype="f4")
                layout[:] = h5py.VirtualSource(str(other), "kernel", shape=(3, 2))
                group.create_virtual_dataset("0", layout)
            group.create_dataset("1", data=np.zeros(2, np.float32))
    path = _archive(tmp_path / "m.keras", weights=buffer.getvalue())
    with pytest.raises(FileFormatError, match="follows no path named inside a file"):
        jnet.models.load_model(path)


def _functional_jnet(path):
    a = jnet.Input(shape=(3,), name="a")
    h = jnet.layers.Dense(4, activation="relu")(a)
    out = jnet.layers.Add()([jnet.layers.Dense(4)(h), h])
    model = jnet.Model(a, [out, jnet.layers.Dense(1)(h)])
    model.compile(optimizer="adam", loss=["mse", "mse"])
    model.save(path)
    return path


def test_fuzzed_jnet_headers_fail_only_with_jnet_errors(tmp_path):
    """Byte edits concentrated on a '.jnet' file's length field and JSON header."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    data = _functional_jnet(tmp_path / "m.jnet").read_bytes()
    header = 8 + int.from_bytes(data[:8], "little")
    bad = tmp_path / "bad.jnet"

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, header - 1), st.integers(0, 255)), min_size=1,
                    max_size=4))
    def check(edits):
        content = bytearray(data)
        for index, value in edits:
            content[index] = value
        if bytes(content) == data:
            return
        bad.write_bytes(bytes(content))
        with pytest.raises(jnet.errors.JnetError):
            jnet.models.load_model(bad)

    check()


def test_fuzzed_functional_configs_fail_only_with_jnet_errors(tmp_path):
    """A '.jnet' functional model whose graph config is edited and re-signed (a crafted file
    with a valid checksum): it loads or a jnet error says why."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from jnet.saving._file import read_file, write_file

    tensors, meta = read_file(_functional_jnet(tmp_path / "m.jnet"), "jnet.model")
    config = json.loads(meta["model_config"])
    targets = [p for p, _ in _paths(config) if p]
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers(-3, 10**12) | st.text(max_size=8)
        | st.sampled_from(["dense", "a", "add", "__tensor__", "InputLayer", "Functional"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3),
        max_leaves=6,
    )
    bad = tmp_path / "bad.jnet"

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(targets), json_values)
    def check(path, value):
        edited = json.loads(json.dumps(config))
        node = edited
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        write_file(bad, tensors, {**meta, "model_config": json.dumps(edited)}, "jnet.model")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jnet.models.load_model(bad)
        except jnet.errors.JnetError:
            pass

    check()


# -- bounds: every hostile file refused in under 1 s of CPU and 100 MB of memory ------------

_MB = 1024 * 1024
#: Each case: (name, file name, how it is loaded, the error's class, a part of its message).
_HOSTILE = [
    ("link to /dev/zero", "zero.jnet", "model", "FileFormatError", "a character device"),
    ("link to /dev/urandom", "random.keras", "model", "FileFormatError", "a character device"),
    ("FIFO", "fifo.jnet", "model", "FileFormatError", "a FIFO"),
    ("FIFO weights", "fifo.weights.h5", "weights", "FileFormatError", "a FIFO"),
    ("socket", "sock.keras", "model", "FileFormatError", "a socket"),
    ("directory", "dir.jnet", "model", "FileFormatError", "is a folder without config.json"),
    ("deep safetensors header", "deep.jnet", "model", "FileFormatError", "levels deep"),
    ("deep config.json", "deep.keras", "model", "FileFormatError", "levels deep"),
    ("Dense(10**6) x3, no tensors", "big.jnet", "model", "JnetValueError", "bytes of weights"),
    ("functional Dense(10**6) x3", "bigf.jnet", "model", "JnetValueError", "bytes of weights"),
    ("Dense(10**12), no tensors", "huge.jnet", "model", "JnetValueError", "bytes of weights"),
    ("Dense(10**6) x3, tiny weights", "big.keras", "model", "JnetValueError", "bytes of weights"),
    ("weights member over the cap", "padded.keras", "model", "FileFormatError", "at most"),
    ("weights member zip bomb", "bomb.keras", "model", "FileFormatError", "decompression bomb"),
    ("huge declared dataset", "huge.weights.h5", "weights", "JnetValueError",
     "more than the layer's own weights hold"),
    ("deeply nested groups", "deep.weights.h5", "weights", "FileFormatError", "levels deep"),
]

_BOUNDS_CHILD = r"""
import json, os, resource, sys, time, warnings
sys.path.insert(0, {root!r})
import numpy as np
import jnet
L = jnet.layers
folder, cases = {folder!r}, {cases!r}

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def small():
    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    model.build()
    return model

def load(how, path, model):
    if how == "model":
        jnet.models.load_model(path)
    else:
        model.load_weights(path)

warnings.simplefilter("ignore")
for name in ("good.jnet", "good.keras"):
    load("model", os.path.join(folder, name), None)
load("weights", os.path.join(folder, "good.weights.h5"), small())
start = peak()
results = []
for name, file, how in cases:
    model = small() if how == "weights" else None
    before, cpu, wall = peak(), time.process_time(), time.perf_counter()
    try:
        load(how, os.path.join(folder, file), model)
        error, message = None, ""
    except Exception as e:
        error, message = type(e).__name__, str(e)
    results.append(dict(name=name, error=error, message=message[:400],
                        cpu=time.process_time() - cpu, wall=time.perf_counter() - wall,
                        extra=peak() - before))
huge = []
def build(): jnet.Sequential([L.Dense(10**12, input_shape=(3,))]).build()
def predict(): jnet.Sequential([L.Dense(10**12)]).predict(np.ones((2, 3)), verbose=0)
def fit():
    model = jnet.Sequential([L.Dense(10**12)])
    model.compile(loss="mse")
    model.fit(np.ones((2, 3)), np.ones((2, 1)), verbose=0)
def functional():
    x = jnet.Input(shape=(3,))
    jnet.Model(x, L.Dense(10**12)(x))
for call in (build, predict, fit, functional):
    try:
        call()
        huge.append([call.__name__, None, ""])
    except Exception as e:
        huge.append([call.__name__, type(e).__name__, str(e)])
print("RESULT " + json.dumps(dict(results=results, huge=huge, extra=peak() - start)))
"""


def _jnet_config(layers):
    return {"class_name": "Sequential", "config": {"name": "sequential", "input_shape": [None, 3],
            "layers": [{"class_name": "Dense", "config": {"name": f"dense_{i}", "units": units}}
                       for i, units in enumerate(layers)]}}


def _functional_config(layers):
    entries = [{"class_name": "InputLayer", "config": {"shape": [3], "name": "x"}, "name": "x",
                "inbound_nodes": []}]
    for i, units in enumerate(layers):
        entries.append({"class_name": "Dense", "config": {"name": f"d{i}", "units": units},
                        "name": f"d{i}", "inbound_nodes": [
                            {"args": [{"__tensor__": [entries[-1]["name"], 0, 0]}],
                             "kwargs": {}}]})
    return {"class_name": "Functional", "config": {
        "name": "functional", "layers": entries, "input_layers": ["x", 0, 0],
        "output_layers": [entries[-1]["name"], 0, 0]}}


def _jnet_file(path, config):
    from jnet.saving._file import write_file

    write_file(path, {}, {"model_config": json.dumps(config), "compile_config": "null",
                          "train_config": "{}"}, "jnet.model")


def _hostile_files(folder):
    """Writes every file of ``_HOSTILE`` (and three good ones to warm up with) in ``folder``."""
    import os
    import socket
    import struct

    jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))]).save(folder / "good.jnet")
    _archive(folder / "good.keras")
    (folder / "good.weights.h5").write_bytes(
        _weights({"dense": [np.ones((3, 2), np.float32), np.zeros(2, np.float32)]}))
    os.symlink("/dev/zero", folder / "zero.jnet")
    os.symlink("/dev/urandom", folder / "random.keras")
    os.mkfifo(folder / "fifo.jnet")
    os.mkfifo(folder / "fifo.weights.h5")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.keras"))
    sock.close()
    (folder / "dir.jnet").mkdir()
    header = b'{"__metadata__": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (folder / "deep.jnet").write_bytes(struct.pack("<Q", len(header)) + header)
    deep = _config([_dense("dense", 2)])
    deep["config"]["extra"] = json.loads("[" * 500 + "]" * 500)
    _archive(folder / "deep.keras", config=deep)
    _jnet_file(folder / "big.jnet", _jnet_config([10**6] * 3))
    _jnet_file(folder / "bigf.jnet", _functional_config([10**6] * 3))
    _jnet_file(folder / "huge.jnet", _jnet_config([10**12]))
    _archive(folder / "big.keras", config=_config([_dense(f"d{i}", 10**6) for i in range(3)]))
    padded = _weights({"dense": [np.ones((3, 2), np.float32), np.zeros(2, np.float32)]})
    _archive(folder / "padded.keras", weights=padded + b"\0" * (17 * _MB))
    with zipfile.ZipFile(folder / "bomb.keras", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", json.dumps(_config([_dense("dense", 2)])))
        with z.open("model.weights.h5", "w", force_zip64=True) as member:
            for _ in range(10):  # 10 MiB of zeros: under the cap, 1000x its stored size
                member.write(bytes(_MB))
    with h5py.File(folder / "huge.weights.h5", "w") as f:
        group = f.create_group("layers/dense/vars")
        group.create_dataset("0", shape=(10**6, 10**4), dtype="f4", chunks=(1, 10),
                             compression="gzip")
        group.create_dataset("1", data=np.zeros(2, np.float32))
    with h5py.File(folder / "deep.weights.h5", "w") as f:
        group = f.create_group("layers/dense/vars")
        group.create_dataset("0", data=np.ones((3, 2), np.float32))
        group.create_dataset("1", data=np.zeros(2, np.float32))
        f.create_group("layers/extra/" + "/".join(["g"] * 20)).create_dataset("0", data=[1.0])


@pytest.fixture(scope="module")
def bounds(tmp_path_factory):
    """One child process loads every hostile file (after three good ones), measuring each
    load's CPU time and peak-memory growth; then asks for Dense(10**12) four ways."""
    import os
    import subprocess

    folder = tmp_path_factory.mktemp("hostile")
    _hostile_files(folder)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cases = [(name, file, how) for name, file, how, _, _ in _HOSTILE]
    script = _BOUNDS_CHILD.format(root=root, folder=str(folder), cases=cases)
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, timeout=300)  # a FIFO that hung would fail here
    lines = [ln for ln in child.stdout.splitlines() if ln.startswith("RESULT ")]
    assert child.returncode == 0 and lines, child.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT "):])


def test_hostile_files_are_refused_fast_and_in_bounded_memory(bounds):
    assert [r["name"] for r in bounds["results"]] == [case[0] for case in _HOSTILE]
    for result, (name, _, _, error, match) in zip(bounds["results"], _HOSTILE, strict=True):
        assert (result["error"], name) == (error, name), result["message"]
        assert match in result["message"], (name, result["message"])
        assert result["cpu"] < 1.0, (name, result["cpu"])
        assert result["wall"] < 30.0, (name, result["wall"])  # generous: a loaded machine
        assert result["extra"] < 100 * _MB, (name, result["extra"] / _MB)
    assert bounds["extra"] < 100 * _MB  # no file pushed the peak 100 MB over the warm-up's


def test_a_layer_too_large_to_allocate_is_an_error_not_an_abort(bounds):
    assert [h[0] for h in bounds["huge"]] == ["build", "predict", "fit", "functional"]
    for call, error, message in bounds["huge"]:
        assert error == "JnetValueError", (call, error, message)
        assert re.search(r"Layer 'dense\w*' \(Dense\) asks for 16000000000000 bytes of "
                         r"weights \(14\.6 TiB\), more than the \d+ bytes", message), message
