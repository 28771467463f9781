"""The "hello world" of deep learning: learn y = 2x - 1 with one Dense unit.

Run: .venv/bin/python examples/hello_world.py
"""

import numpy as np

import jnet

jnet.utils.set_random_seed(0)

model = jnet.Sequential([jnet.layers.Dense(units=1, input_shape=[1])])
model.compile(optimizer="sgd", loss="mean_squared_error")

xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
ys = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)

history = model.fit(xs, ys, epochs=500, verbose=0)
prediction = float(model.predict(np.array([10.0]), verbose=0)[0, 0])
kernel, bias = model.layers[0].get_weights()
print(f"final loss: {history.history['loss'][-1]:.6f}")
print(f"learned: y = {kernel[0, 0]:.4f} x + {bias[0]:.4f}")
print(f"model.predict(10.0) = {prediction:.4f} (the rule gives 19)")
assert abs(prediction - 19.0) < 0.1, prediction
