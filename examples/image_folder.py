"""An image classifier from a folder of images, as the Keras course builds one (no download).

Writes 240 small PNGs into a temporary folder, one sub-folder per class (``red``, ``green``,
``blue``: a square of that colour on a noisy background), then does what the course's week-4
programs do, with only the import changed:

* ``jnet.utils.image_dataset_from_directory`` with a validation split (a ``tf.data.Dataset``
  when TensorFlow is installed, as Keras returns; a ``jnet.utils.Dataset`` otherwise);
* ``.cache().shuffle().prefetch()`` on it, and ``class_names``;
* augmentation layers (``RandomFlip``, ``RandomRotation``) and ``Rescaling`` in the model;
* transfer learning: the trained convolutional base, frozen, under a new head trained alone.

With real photos, the base would be ``jnet.applications.MobileNetV2(weights='imagenet',
include_top=False)`` (Keras's pretrained file, downloaded once into Keras's cache); a base with
random weights (``weights=None``) gives features no head can separate, so this example trains
its own small base first.
Run: .venv/bin/python examples/image_folder.py
"""

import tempfile
from pathlib import Path

import numpy as np

import jnet

jnet.utils.set_random_seed(0)
SIZE = 32
CLASSES = {"red": 0, "green": 1, "blue": 2}

# -- the folder: data/<class>/<n>.png --------------------------------------------------------
root = Path(tempfile.mkdtemp()) / "data"
rng = np.random.default_rng(0)
for name, channel in CLASSES.items():
    (root / name).mkdir(parents=True)
    for n in range(80):
        image = rng.integers(0, 90, (SIZE, SIZE, 3)).astype(np.uint8)  # noisy background
        top, left = rng.integers(0, SIZE // 2, 2)
        side = rng.integers(8, SIZE // 2)
        image[top:top + side, left:left + side, channel] = 255  # a square of the class's colour
        jnet.utils.save_img(root / name / f"{n}.png", image)

train, validation = jnet.utils.image_dataset_from_directory(
    root, image_size=(SIZE, SIZE), batch_size=16, validation_split=0.25, subset="both",
    seed=1,
)
print("classes:", train.class_names)
AUTOTUNE = -1  # tf.data.AUTOTUNE
train = train.cache().shuffle(64, seed=0).prefetch(AUTOTUNE)
validation = validation.cache().prefetch(AUTOTUNE)

# -- the model: augmentation, a small convolutional base, a head --------------------------
augment = jnet.Sequential([
    jnet.layers.RandomFlip("horizontal"),
    jnet.layers.RandomRotation(0.1),
], name="augment")
base = jnet.Sequential([
    jnet.Input((SIZE, SIZE, 3)),
    jnet.layers.Rescaling(1.0 / 255),
    jnet.layers.Conv2D(16, 3, activation="relu"),
    jnet.layers.MaxPooling2D(),
    jnet.layers.Conv2D(32, 3, activation="relu"),
    jnet.layers.GlobalAveragePooling2D(),
], name="base")

inputs = jnet.Input((SIZE, SIZE, 3))
outputs = jnet.layers.Dense(len(CLASSES), activation="softmax")(base(augment(inputs)))
model = jnet.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train, validation_data=validation, epochs=10, verbose=2)

# -- transfer: the trained base, frozen, under a new head ------------------------------------
base.trainable = False
frozen_before = [w.copy() for w in base.get_weights()]
features = base(inputs, training=False)
head = jnet.layers.Dense(32, activation="relu")(features)
new_model = jnet.Model(inputs, jnet.layers.Dense(len(CLASSES), activation="softmax")(head))
new_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
new_model.fit(train, validation_data=validation, epochs=8, verbose=2)
assert all(np.array_equal(a, b) for a, b in zip(frozen_before, base.get_weights(), strict=True))
loss, accuracy = new_model.evaluate(validation, verbose=0)
print(f"validation loss: {loss:.4f}  validation accuracy: {accuracy:.4f}")
assert accuracy > 0.9, accuracy
