"""A small CNN on scikit-learn's digits (8x8 grayscale images of 0-9, bundled, no download).

Conv2D -> MaxPooling2D -> Conv2D -> MaxPooling2D -> Flatten -> Dense -> Dense(10, softmax),
the Keras course's convolutional network, scaled to 8x8 images. Saves the training curves
to examples/output/cnn_digits.png (matplotlib: the plot extra).
Run: .venv/bin/python examples/cnn_digits.py
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import jnet

jnet.utils.set_random_seed(0)

digits = load_digits()
x = (digits.images / 16.0).astype(np.float32)[..., None]  # (1797, 8, 8, 1) in [0, 1]
y = digits.target.astype(np.int32)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.2, random_state=0, stratify=y
)

model = jnet.Sequential([
    jnet.Input(shape=(8, 8, 1)),
    jnet.layers.Conv2D(32, (3, 3), activation="relu", padding="same"),
    jnet.layers.MaxPooling2D(2, 2),
    jnet.layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
    jnet.layers.MaxPooling2D(2, 2),
    jnet.layers.Flatten(),
    jnet.layers.Dense(128, activation="relu"),
    jnet.layers.Dropout(0.2),
    jnet.layers.Dense(10, activation="softmax"),
])
model.summary()
model.compile(
    optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
history = model.fit(x_train, y_train, epochs=15, batch_size=32, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
assert accuracy > 0.95, accuracy
out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
jnet.utils.plot_history(history, filename=out / "cnn_digits.png")
print(f"saved {out / 'cnn_digits.png'}")
