"""Forecasting a generated series: trend + seasonality + noise, windowed, two LSTMs.

The Keras course's time-series recipe: windows of 20 steps predict the next value; a
``Lambda(lambda x: x * 100.0)`` scales the RNN's output to the series' range; Huber loss, SGD
with momentum 0.9; the mean absolute error on the validation period is reported and compared
with the naive forecast (tomorrow = today), which on this noisy series is hard to beat: as in
the course, the network ends close to it. Saves the training curves to
examples/output/time_series.png (matplotlib: the plot extra).
Run: .venv/bin/python examples/time_series.py
"""

from pathlib import Path

import numpy as np

import jnet

jnet.utils.set_random_seed(0)
rng = np.random.default_rng(42)

time = np.arange(4 * 365 + 1, dtype=np.float32)
season = np.where((time % 365) / 365 < 0.4, np.cos((time % 365) / 365 * 2 * np.pi),
                  1 / np.exp(3 * (time % 365) / 365))
series = (10 + 0.05 * time + 40 * season + 5 * rng.standard_normal(time.shape)).astype(np.float32)
split, window = 1000, 20

# Windows of `window` values, each labelled with the value that follows it.
train = jnet.utils.timeseries_dataset_from_array(
    series[:split][:, None], series[window:split], sequence_length=window, batch_size=32,
    shuffle=True, seed=0)
valid_x = np.stack([series[i : i + window] for i in range(split - window, len(series) - window)])
valid_y = series[split:]

model = jnet.Sequential([
    jnet.Input(shape=(window, 1)),
    jnet.layers.LSTM(32, return_sequences=True),
    jnet.layers.LSTM(32),
    jnet.layers.Dense(1),
    jnet.layers.Lambda(lambda x: x * 100.0),
])
model.compile(loss=jnet.losses.Huber(),
              optimizer=jnet.optimizers.SGD(learning_rate=2e-5, momentum=0.9),
              metrics=["mae"])
history = model.fit(train, epochs=60, verbose=0)
print(f"train loss {history.history['loss'][0]:.2f} -> {history.history['loss'][-1]:.2f}")

forecast = model.predict(valid_x[..., None], verbose=0)[:, 0]
mae = float(np.mean(np.abs(forecast - valid_y)))
naive = float(np.mean(np.abs(series[split - 1 : -1] - valid_y)))
print(f"validation MAE: {mae:.2f} (naive forecast: {naive:.2f})")
out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
jnet.utils.plot_history(history, filename=out / "time_series.png")
print(f"saved {out / 'time_series.png'}")
assert mae < 1.3 * naive, (mae, naive)  # noisy series: the naive forecast is strong
