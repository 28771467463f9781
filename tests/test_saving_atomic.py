"""Atomic writes: a save that fails or is killed mid-write leaves the previous file loadable."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import jnet
from jnet.saving import atomic_path, atomic_write

L = jnet.layers
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_exception_mid_write_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "f.bin"
    with atomic_write(path) as f:
        f.write(b"old")
    with pytest.raises(RuntimeError), atomic_write(path) as f:
        f.write(b"new, half")
        raise RuntimeError("disk full")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.bin"]
    with pytest.raises(KeyboardInterrupt), atomic_path(path) as tmp:
        open(tmp, "wb").write(b"x")
        raise KeyboardInterrupt
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["f.bin"]


def test_new_file_gets_normal_permissions(tmp_path):
    path = tmp_path / "f.txt"
    with atomic_write(path, "w") as f:
        f.write("x")
    mask = os.umask(0)
    os.umask(mask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~mask


def test_a_failing_model_save_keeps_the_previous_model(tmp_path, monkeypatch, rng):
    path = tmp_path / "m.jnet"
    model = jnet.Sequential([L.Dense(2, input_shape=(3,))])
    model.save(path)
    before = path.read_bytes()

    def broken_save(tensors, metadata=None):
        raise OSError("No space left on device")

    import safetensors.numpy

    monkeypatch.setattr(safetensors.numpy, "save", broken_save)
    model.set_weights([w + 1 for w in model.get_weights()])
    with pytest.raises(OSError, match="No space"):
        model.save(path)
    assert path.read_bytes() == before
    loaded = jnet.models.load_model(path)
    assert not np.array_equal(loaded.get_weights()[0], model.get_weights()[0])


_CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
import numpy as np
import jnet
from jnet.saving import _file

model = jnet.Sequential([jnet.layers.Dense(512, input_shape=(2048,)), jnet.layers.Dense(512)])
real = _file.atomic_write

class Stalling:
    def __init__(self, f):
        self.f = f
    def write(self, data):
        half = len(data) // 2
        self.f.write(data[:half])
        self.f.flush()
        os.fsync(self.f.fileno())
        print("half written", flush=True)
        time.sleep(600)

def stalling_atomic_write(path, *args, **kwargs):
    import contextlib
    @contextlib.contextmanager
    def cm():
        with real(path, *args, **kwargs) as f:
            yield Stalling(f)
    return cm()

if {stall}:
    _file.atomic_write = stalling_atomic_write
print("ready", flush=True)
while True:
    model.save({path!r})
    print("saved", flush=True)
"""


def _kill_when(tmp_path, path, stall, marker, delay=0.0):
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(_CHILD.format(root=ROOT, stall=stall, path=str(path))))
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    child = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        for line in child.stdout:
            if line.strip() == marker:
                break
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL


def test_sigkill_mid_write_leaves_the_previous_file_loadable(tmp_path):
    path = tmp_path / "big.jnet"
    original = jnet.Sequential([L.Dense(512, input_shape=(2048,)), L.Dense(512)])
    original.save(path)
    size = path.stat().st_size
    assert size > 4_000_000  # a save big enough to be caught half-way
    _kill_when(tmp_path, path, stall=True, marker="half written")
    leftovers = [n for n in os.listdir(tmp_path) if n.startswith(".big.jnet.")]
    assert leftovers, "the killed child should have left its half-written temporary file"
    assert os.path.getsize(tmp_path / leftovers[0]) < size
    loaded = jnet.models.load_model(path)  # the previous file, intact
    for a, b in zip(loaded.get_weights(), original.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    # The next save of the same target removes the killed save's temporary, and nothing else.
    others = [".big.jnet.notes.tmp", ".other.jnet.jnet-x-1-abc.tmp", "big.jnet.bak"]
    for name in others:
        (tmp_path / name).write_bytes(b"keep")
    original.save(path)
    assert not any(n in os.listdir(tmp_path) for n in leftovers)
    assert all((tmp_path / n).read_bytes() == b"keep" for n in others)


def test_stale_temporaries_of_live_saves_are_kept(tmp_path):
    from jnet.utils._atomic import _prefix

    path = tmp_path / "m.bin"
    child = subprocess.Popen(["true"])
    child.wait()
    stale = tmp_path / f"{_prefix('m.bin')}{child.pid}-abcd1234.tmp"  # its process is gone
    live = tmp_path / f"{_prefix('m.bin')}1-abcd1234.tmp"  # pid 1 is always running
    for p in (stale, live):
        p.write_bytes(b"half")
    with atomic_path(path) as tmp:
        assert os.path.exists(tmp)  # its own temporary is not taken for a stale one
        with atomic_write(path) as f:  # a nested save of the same target, in this process
            f.write(b"inner")
        assert os.path.exists(tmp)
        open(tmp, "wb").write(b"outer")
    assert path.read_bytes() == b"outer"
    assert not stale.exists() and live.read_bytes() == b"half"


def test_sigkill_during_repeated_saves_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "big.jnet"
    jnet.Sequential([L.Dense(512, input_shape=(2048,)), L.Dense(512)]).save(path)
    # Killed somewhere in the second save (about 10 ms into it).
    _kill_when(tmp_path, path, stall=False, marker="saved", delay=0.01)
    assert jnet.models.load_model(path).count_params() == 2048 * 512 + 512 + 512 * 512 + 512
