"""BackupAndRestore: a run killed mid-epoch and restarted ends with the uninterrupted weights."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import jnet

_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import jnet

    backup_dir, out, marker = sys.argv[1:4]
    jnet.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32)).astype(np.float32)
    model = jnet.Sequential([
        jnet.layers.Dense(8, activation="relu", input_shape=(3,)),
        jnet.layers.Dropout(0.3),
        jnet.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")

    class KillOnce(jnet.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if self.epoch == 2 and batch == 1 and not os.path.exists(marker):
                open(marker, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)

    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[
        jnet.callbacks.BackupAndRestore(backup_dir), KillOnce()])
    np.savez(out, *model.get_weights(), epochs=np.array(history.epoch))
    """
)


def _run(tmp_path, backup_dir, out, marker):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    return subprocess.run(
        [sys.executable, str(script), str(backup_dir), str(out), str(marker)],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_killed_run_resumes_and_ends_with_the_uninterrupted_weights(tmp_path):
    # Uninterrupted: the marker exists, so KillOnce never fires (same callbacks, same steps).
    (tmp_path / "no-kill").write_text("")
    ref = _run(tmp_path, tmp_path / "backup_ref", tmp_path / "ref.npz", tmp_path / "no-kill")
    assert ref.returncode == 0, ref.stderr
    # Killed during epoch 3 of 5 (after its second batch), then started again.
    marker = tmp_path / "killed"
    first = _run(tmp_path, tmp_path / "backup", tmp_path / "out.npz", marker)
    assert first.returncode == -signal.SIGKILL and marker.exists()
    assert os.path.exists(tmp_path / "backup")  # the backup survives the kill
    second = _run(tmp_path, tmp_path / "backup", tmp_path / "out.npz", marker)
    assert second.returncode == 0, second.stderr
    assert not os.path.exists(tmp_path / "backup")  # deleted once training finished
    want, got = np.load(tmp_path / "ref.npz"), np.load(tmp_path / "out.npz")
    assert want["epochs"].tolist() == [0, 1, 2, 3, 4] and got["epochs"].tolist() == [2, 3, 4]
    for key in want.files:
        if key != "epochs":
            np.testing.assert_array_equal(got[key], want[key])


def _model():
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer=jnet.optimizers.SGD(0.1), loss="mse")
    return model


def _xy():
    x = np.linspace(-1, 1, 32, dtype=np.float32).reshape(16, 2)
    return x, x.sum(axis=1, keepdims=True)


def test_backup_is_kept_when_training_stops_by_error_and_used_by_the_next_fit(tmp_path):
    class Boom(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    backup = tmp_path / "b"
    model = _model()
    with pytest.raises(KeyboardInterrupt):
        model.fit(*_xy(), epochs=4, verbose=0,
                  callbacks=[jnet.callbacks.BackupAndRestore(str(backup)), Boom()])
    # Callbacks run in order: the backup of epoch 1 was written before Boom raised.
    assert os.path.exists(backup / "latest.checkpoint.safetensors")
    history = _model().fit(*_xy(), epochs=4, verbose=0,
                           callbacks=[jnet.callbacks.BackupAndRestore(str(backup))])
    assert history.epoch == [2, 3]


def test_restored_learning_rate_is_kept(tmp_path):
    backup = tmp_path / "b"

    class Stop(jnet.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    model = _model()
    model.optimizer.learning_rate = 0.05
    with pytest.raises(KeyboardInterrupt):
        model.fit(*_xy(), epochs=3, verbose=0,
                  callbacks=[jnet.callbacks.BackupAndRestore(str(backup)), Stop()])
    fresh = _model()  # configured with 0.1; the backup says 0.05
    fresh.fit(*_xy(), epochs=2, verbose=0,
              callbacks=[jnet.callbacks.BackupAndRestore(str(backup))])
    assert float(jnet.optimizers.get_learning_rate(fresh._train_state.opt_state)) == (
        pytest.approx(0.05))
    assert fresh.optimizer.learning_rate == pytest.approx(0.05)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="backup_dir"):
        jnet.callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        jnet.callbacks.BackupAndRestore("b", save_freq="hourly")
    assert not jnet.callbacks.BackupAndRestore("b").needs_batch_logs()
    assert jnet.callbacks.BackupAndRestore("b", save_freq=3).needs_batch_logs()
