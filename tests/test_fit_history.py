"""With History as the only callback, fit fetches the epochs' logs once, at the end: the
History must be the one a fit with a listening callback records, number for number."""

import numpy as np
import pytest

import jnet


class Listener(jnet.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append((epoch, dict(logs)))


def _fit(x, y, callbacks, **kwargs):
    jnet.utils.set_random_seed(3)
    model = jnet.Sequential([jnet.layers.Dense(4, activation="relu", input_shape=(3,)),
                             jnet.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=callbacks,
                        **kwargs)
    return model, history


@pytest.mark.parametrize("kwargs", [{}, {"validation_split": 0.25},
                                    {"validation_split": 0.25, "validation_freq": 2}])
def test_deferred_history_equals_the_listened_one(kwargs, rng):
    x = rng.normal(size=(40, 3)).astype(np.float32)
    y = x.sum(1)
    model, deferred = _fit(x, y, None, **kwargs)
    listener = Listener()
    _, listened = _fit(x, y, [listener], **kwargs)
    assert deferred.epoch == listened.epoch == [0, 1, 2, 3]
    assert deferred.history == listened.history
    assert all(isinstance(v, float) for vs in deferred.history.values() for v in vs)
    assert [logs for _, logs in listener.seen][-1]["loss"] == deferred.history["loss"][-1]
    assert model.history is deferred


def test_an_interrupted_fit_keeps_its_finished_epochs(rng, monkeypatch):
    x = rng.normal(size=(16, 3)).astype(np.float32)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x.sum(1), epochs=1, verbose=0)  # compiled
    from jnet.training import loop

    calls = {"n": 0}
    original = loop.train_chunk

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(loop, "train_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, x.sum(1), epochs=10, batch_size=16, verbose=0)
    assert model.history.epoch == [0, 1, 2]
