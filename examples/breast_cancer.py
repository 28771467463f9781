"""A two-layer binary classifier on scikit-learn's breast-cancer data (bundled, no download).

Dense(64, relu) -> Dense(1, sigmoid), adam, binary_crossentropy, accuracy.
Run: .venv/bin/python examples/breast_cancer.py
"""

from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import jnet

jnet.utils.set_random_seed(0)

data = load_breast_cancer()
x = data.data[:, :10].astype(np.float32)  # the ten "mean" features
y = data.target.astype(np.float32)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.2, random_state=0, stratify=y
)
scaler = StandardScaler().fit(x_train)
x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

model = jnet.Sequential([
    jnet.layers.Dense(64, activation="relu", input_shape=(10,)),
    jnet.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.summary()
history = model.fit(x_train, y_train, epochs=30, batch_size=32, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
assert accuracy > 0.9, accuracy
out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
jnet.utils.plot_history(history, filename=out / "breast_cancer.png")
print(f"saved {out / 'breast_cancer.png'}")
