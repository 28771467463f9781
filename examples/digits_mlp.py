"""A softmax MLP on scikit-learn's digits (8x8 images of 0-9, bundled, no download).

Dense(128, relu) -> Dense(10, softmax), adam, sparse_categorical_crossentropy, accuracy.
Run: .venv/bin/python examples/digits_mlp.py
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import jnet

jnet.utils.set_random_seed(0)

digits = load_digits()
x = (digits.data / 16.0).astype(np.float32)  # 64 pixels in [0, 1]
y = digits.target.astype(np.int32)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.2, random_state=0, stratify=y
)

model = jnet.Sequential([
    jnet.Input(shape=(64,)),
    jnet.layers.Dense(128, activation="relu"),
    jnet.layers.Dense(10, activation="softmax"),
])
model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
history = model.fit(x_train, y_train, epochs=20, batch_size=32, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
probabilities = model.predict(x_test[:5], verbose=0)
print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
print("first five predictions:", probabilities.argmax(axis=-1), "labels:", y_test[:5])
assert accuracy > 0.95, accuracy
out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
jnet.utils.plot_history(history, filename=out / "digits_mlp.png")
print(f"saved {out / 'digits_mlp.png'}")
