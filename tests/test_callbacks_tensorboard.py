"""TensorBoard: Keras's folders and scalar tags, read back with TensorBoard's own reader."""

import os

import numpy as np
import pytest

import jnet

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")


def _data():
    x = np.linspace(-1, 1, 40, dtype=np.float32).reshape(20, 2)
    return x, x.sum(axis=1, keepdims=True)


def _read(folder):
    """{tag: [(step, value), ...]} from the event files in ``folder`` (scalars or tensors)."""
    acc = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0,
                                                                         "tensors": 0})
    acc.Reload()
    out = {}
    for tag in acc.Tags()["scalars"]:
        out[tag] = [(e.step, e.value) for e in acc.Scalars(tag)]
    for tag in acc.Tags()["tensors"]:  # what tf.summary (Keras) writes
        out[tag] = [(e.step, float(tensor_util.make_ndarray(e.tensor_proto)))
                    for e in acc.Tensors(tag)]
    return out


def _fit(module, model, log_dir, **kwargs):
    x, y = _data()
    model.compile(optimizer=module.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    cb = module.callbacks.TensorBoard(str(log_dir), write_graph=False, **kwargs)
    return model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0,
                     callbacks=[cb])


# update_freq=N > 1 is left out: Keras's record_if(step % N == 0) then also filters its epoch
# and evaluation scalars (a side effect of TF's global summary context); jnet writes those
# always and filters only the batch scalars (test below).
@pytest.mark.parametrize("update_freq", ["epoch", "batch"])
def test_same_folders_tags_and_steps_as_keras(keras, tmp_path, update_freq):
    k_model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    _fit(keras, k_model, tmp_path / "k", update_freq=update_freq)
    j_model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    j_model.set_weights(k_model.get_weights())  # not needed for tags; keeps values close
    history = _fit(jnet, j_model, tmp_path / "j", update_freq=update_freq)
    assert sorted(os.listdir(tmp_path / "j")) == sorted(os.listdir(tmp_path / "k"))
    for sub in ("train", "validation"):
        k_events, j_events = _read(tmp_path / "k" / sub), _read(tmp_path / "j" / sub)
        assert sorted(j_events) == sorted(k_events), sub
        for tag, events in k_events.items():
            assert [s for s, _ in j_events[tag]] == [s for s, _ in events], tag
    train = _read(tmp_path / "j" / "train")
    np.testing.assert_allclose([v for _, v in train["epoch_loss"]], history.history["loss"],
                               rtol=1e-6)
    np.testing.assert_allclose([v for _, v in train["epoch_learning_rate"]], [0.05] * 3,
                               rtol=1e-6)
    val = _read(tmp_path / "j" / "validation")
    np.testing.assert_allclose([v for _, v in val["epoch_mae"]], history.history["val_mae"],
                               rtol=1e-6)


def test_update_freq_n_writes_every_nth_batch(tmp_path):
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    _fit(jnet, model, tmp_path, update_freq=3)
    train = _read(tmp_path / "train")
    assert [step for step, _ in train["batch_loss"]] == [3, 6]  # 2 batches x 3 epochs
    assert [step for step, _ in train["epoch_loss"]] == [0, 1, 2]


def test_epoch_updates_do_not_need_batch_logs():
    assert not jnet.callbacks.TensorBoard("logs").needs_batch_logs()
    assert jnet.callbacks.TensorBoard("logs", update_freq="batch").needs_batch_logs()


def test_histograms(tmp_path):
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,), name="dense")])
    _fit(jnet, model, tmp_path, histogram_freq=1)
    acc = event_accumulator.EventAccumulator(str(tmp_path / "train"),
                                             size_guidance={"histograms": 0})
    acc.Reload()
    assert sorted(acc.Tags()["histograms"]) == ["dense/bias/histogram", "dense/kernel/histogram"]
    assert [e.step for e in acc.Histograms("dense/kernel/histogram")] == [0, 1, 2]


def test_unsupported_options_raise():
    with pytest.raises(ValueError, match="profile_batch"):
        jnet.callbacks.TensorBoard(profile_batch=2)
    with pytest.raises(ValueError, match="update_freq"):
        jnet.callbacks.TensorBoard(update_freq="sometimes")
