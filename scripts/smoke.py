"""Smoke test of the library as users install it: `pip install .`, no extra, no test tools.

`make smoke` builds a fresh virtual environment with only jnet's own dependencies (pinned by
constraints.txt) and runs this script there. It exercises every public feature that needs no
extra (build, compile, fit with validation and the callbacks, evaluate, predict, save and load,
weights files, export and its loader, utilities), checks that
`import jnet` pulls in no optional package, and that every extra that is missing gives the
`pip install 'jnet[extra]'` hint. It exits non-zero on the first failure.

Run it in any environment: `python scripts/smoke.py` (extras that are installed are skipped
in the missing-extra checks).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import time

OPTIONAL = {"h5py": "h5", "matplotlib": "plot", "tensorboardX": "tensorboard", "PIL": "images"}
NEVER_IMPORTED = ("tensorflow", "keras", "torch", *OPTIONAL)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"smoke: FAILED: {what}")
    print(f"ok  {what}")


def main(check_imports: bool = True) -> None:
    """Runs every check; ``check_imports=False`` skips the one that needs a fresh process."""
    start = time.perf_counter()
    import jax
    import numpy as np

    import jnet

    if check_imports:
        loaded = [m for m in NEVER_IMPORTED if m in sys.modules]
        check(not loaded, f"import jnet imports no optional package (found {loaded})")

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    folder = tempfile.mkdtemp()

    # Build.
    model = jnet.Sequential([
        jnet.layers.Dense(16, activation="relu", input_shape=(8,)),
        jnet.layers.Dropout(0.1),
        jnet.layers.Dense(1, activation="sigmoid"),
    ])

    # Train, with the callbacks that need no extra.
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    callbacks = [
        jnet.callbacks.EarlyStopping(monitor="val_loss", patience=5),
        jnet.callbacks.ModelCheckpoint(os.path.join(folder, "best.weights.safetensors"),
                                       save_weights_only=True),
        jnet.callbacks.CSVLogger(os.path.join(folder, "log.csv")),
        jnet.callbacks.LearningRateScheduler(lambda epoch, lr: lr),
        jnet.callbacks.ReduceLROnPlateau(patience=2),
        jnet.callbacks.TerminateOnNaN(),
        jnet.callbacks.BackupAndRestore(os.path.join(folder, "backup")),
        jnet.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: None),
    ]
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.25,
                        callbacks=callbacks, verbose=0)
    check(len(history.history["loss"]) == 3 and "val_accuracy" in history.history,
          "fit with validation and callbacks")
    check(os.path.exists(os.path.join(folder, "log.csv")), "CSVLogger wrote its file")
    check(os.path.exists(os.path.join(folder, "best.weights.safetensors")),
          "ModelCheckpoint wrote its file")
    loss, accuracy = model.evaluate(x, y, verbose=0)
    check(np.isfinite(loss) and 0.0 <= accuracy <= 1.0, "evaluate")
    predictions = model.predict(x, verbose=0)
    check(predictions.shape == (64, 1), "predict")

    # Save and load.
    path = os.path.join(folder, "m.jnet")
    model.save(path)
    again = jnet.models.load_model(path)
    check(np.allclose(again.predict(x, verbose=0), predictions, atol=1e-6), "save / load_model")
    weights = os.path.join(folder, "w.weights.safetensors")
    model.save_weights(weights)
    again.load_weights(weights)
    check(np.allclose(again.predict(x, verbose=0), predictions, atol=1e-6),
          "save_weights / load_weights")

    # Deploy: export and run without the model's code.
    exported = os.path.join(folder, "m.jaxexport")
    model.export(exported, verbose=False)
    served = jnet.export.load(exported)
    check(np.allclose(np.asarray(served(x[:5])), predictions[:5], atol=1e-5),
          "export / jnet.export.load")

    # Utilities.
    check(jnet.utils.to_categorical([0, 2], 3).shape == (2, 3), "utils.to_categorical")
    check(jnet.utils.pad_sequences([[1], [1, 2]]).shape == (2, 2), "utils.pad_sequences")

    # Every extra that is absent names itself.
    for module, extra in OPTIONAL.items():
        if importlib.util.find_spec(module) is not None:
            print(f"--  {module} is installed: its missing-extra check is skipped")
            continue
        try:
            jnet.errors.require(module, extra, "smoke")
        except ImportError as e:
            check(f"pip install 'jnet[{extra}]'" in str(e), f"missing {module} names [{extra}]")
    if importlib.util.find_spec("h5py") is None:
        try:
            model.save_weights(os.path.join(folder, "w.weights.h5"))
        except jnet.errors.MissingExtraError as e:
            check("jnet[h5]" in str(e), "save_weights('.weights.h5') names [h5]")
        else:
            check(False, "save_weights('.weights.h5') without h5py raises")

    shutil.rmtree(folder)
    print(f"smoke: all passed in {time.perf_counter() - start:.1f} s "
          f"(jax {jax.__version__}, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
