"""TerminateOnNaN: stops at the batch whose loss is NaN or inf, as Keras does."""

import numpy as np
import pytest

import jnet


class FakeModel:
    stop_training = False


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_same_batch_as_keras(keras, bad):
    losses = [1.0, 2.0, bad, 3.0]
    stops = []
    for module in (keras, jnet):
        cb = module.callbacks.TerminateOnNaN()
        model = FakeModel()
        cb.set_model(model)
        for batch, loss in enumerate(losses):
            cb.on_train_batch_end(batch, {"loss": loss})
            if model.stop_training:
                stops.append(batch)
                break
    assert stops == [2, 2]


def test_raise_error():
    cb = jnet.callbacks.TerminateOnNaN(raise_error=True)
    cb.set_model(FakeModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        cb.on_train_batch_end(0, {"loss": float("nan")})


def test_real_fit_stops_mid_epoch(capsys):
    x = np.full((64, 1), 10.0, np.float32)
    y = np.ones((64, 1), np.float32)
    model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer=jnet.optimizers.SGD(1e18), loss="mse")
    seen = []

    class Count(jnet.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((batch, logs["loss"]))

    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0,
                        callbacks=[jnet.callbacks.TerminateOnNaN(), Count()])
    first_bad = next(b for b, loss in seen if not np.isfinite(loss))
    assert seen[-1][0] == first_bad < 7  # stopped within the first epoch, at that batch
    assert history.epoch == [0]
    assert f"Batch {first_bad}: Invalid loss, terminating training" in capsys.readouterr().out
