"""Sentiment of short generated reviews: TextVectorization -> Embedding -> Bidirectional(LSTM).

The Keras course's text classifier on a corpus generated here (no download): reviews built
from positive and negative phrases with neutral filler. TextVectorization learns the
vocabulary and turns the texts into padded integer sequences on the host; the model masks the
padding (``mask_zero=True``) and reads each review in both directions. Saves the training
curves to examples/output/text_classification.png (matplotlib: the plot extra).
Run: .venv/bin/python examples/text_classification.py
"""

from pathlib import Path

import numpy as np

import jnet

jnet.utils.set_random_seed(0)
rng = np.random.default_rng(0)

POSITIVE = ["great acting", "a wonderful story", "loved every minute", "truly moving",
            "brilliant direction", "funny and warm", "an absolute delight", "beautifully shot"]
NEGATIVE = ["terrible acting", "a boring story", "hated every minute", "painfully slow",
            "awful direction", "dull and cold", "a complete mess", "badly shot"]
FILLER = ["the film", "this movie", "I think", "overall", "honestly", "the cast",
          "the ending", "in the cinema", "last night", "with friends"]


def review(label: int) -> str:
    phrases = POSITIVE if label else NEGATIVE
    parts = [rng.choice(FILLER) for _ in range(rng.integers(1, 4))]
    parts += [rng.choice(phrases) for _ in range(rng.integers(1, 3))]
    rng.shuffle(parts)
    return " ".join(parts).capitalize() + rng.choice([".", "!", "..."])


labels = rng.integers(0, 2, size=1200)
texts = np.array([review(int(label)) for label in labels])
split = 1000

vectorize = jnet.layers.TextVectorization(max_tokens=200, output_sequence_length=16)
vectorize.adapt(texts[:split])
print("vocabulary:", vectorize.vocabulary_size(), "tokens, first:", vectorize.get_vocabulary()[:6])
x = vectorize(texts)
y = labels.astype(np.float32)

model = jnet.Sequential([
    jnet.Input(shape=(16,), dtype="int32"),
    jnet.layers.Embedding(vectorize.vocabulary_size(), 16, mask_zero=True),
    jnet.layers.Bidirectional(jnet.layers.LSTM(16)),
    jnet.layers.Dense(16, activation="relu"),
    jnet.layers.Dense(1, activation="sigmoid"),
])
model.summary()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(x[:split], y[:split], epochs=8, batch_size=32, validation_split=0.1,
                    verbose=2)
loss, accuracy = model.evaluate(x[split:], y[split:], verbose=0)
print(f"test loss: {loss:.4f}  test accuracy: {accuracy:.4f}")
print("'a wonderful story, loved it' ->",
      float(model.predict(vectorize(["a wonderful story, loved it"]), verbose=0)[0, 0]))
out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
jnet.utils.plot_history(history, filename=out / "text_classification.png")
print(f"saved {out / 'text_classification.png'}")
assert accuracy > 0.95, accuracy
