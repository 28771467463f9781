"""``model.save('m.jnet')`` / ``load_model``: one file, the whole model, no code.

A ``.jnet`` file is a jnet safetensors file (:mod:`jnet.saving._file`) holding

* metadata ``model_config``: the architecture as JSON (layer class names from jnet's
  allowlist and their ``get_config()``; see :mod:`jnet.saving._config` and
  :mod:`jnet.models._architecture`);
* metadata ``compile_config``: optimizer class and config, loss and metrics (JSON, or ``null``);
* tensors ``params/<layer>/<weight>`` and ``<collection>/<layer>/<weight>``
  (``batch_stats/...``): the variables;
* when the model has trained: ``opt_state/...`` (the optimizer state, named by its pytree
  path), ``train/step`` and ``train/rng`` (the training PRNG key's raw data), so that training
  resumes exactly: the next ``fit`` step gives the loss the original model would have.

Loading rebuilds the model from the allowlist, builds it, and fills every variable and state
leaf by name from the file, checking names, shapes and dtypes against what the architecture
and optimizer create — the file never decides the structure. The build runs within a
:func:`jnet.utils._weight_memory.weight_budget` of the bytes of weights the file carries: each
layer's weights are checked (shapes from ``jax.eval_shape``) before they are allocated, so a
small file declaring large layers is refused before anything large is built (a slack of
1 MiB lets a small mismatch be reported weight by weight).

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> path = os.path.join(tempfile.mkdtemp(), "m.jnet")
    >>> model.save(path)
    >>> loaded = jnet.models.load_model(path)
    >>> x = np.ones((3, 2), np.float32)
    >>> np.array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import jax

from jnet import errors
from jnet.saving import _config
from jnet.saving._classes import architecture_of, model_class
from jnet.saving._file import FileFormatError, json_loads, read_file, write_file
from jnet.saving._keras_archive import load_keras_model
from jnet.saving._keras_write import save_keras_model
from jnet.saving._tree import flatten, restore
from jnet.utils._weight_memory import tree_bytes, weight_budget

__all__ = ["load_model", "load_variables_into", "save_model"]

_TRAIN = "train"
#: The model classes a ``.jnet`` file names (what ``model.architecture_config()`` writes).
_FILE_CLASSES = ("Sequential", "Functional")
#: Bytes of weights a load may build beyond those its file carries.
_BUDGET_SLACK = 1024 * 1024


def _variables_tensors(variables: Mapping[str, Any]) -> dict[str, Any]:
    tensors: dict[str, Any] = {}
    for collection, tree in variables.items():
        if collection in ("opt_state", _TRAIN):
            raise errors.JnetValueError(f"A variable collection may not be named {collection!r}.")
        tensors.update(flatten(tree, collection))
    return tensors


def train_state_tensors(state: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The optimizer state, step and PRNG key of a TrainState as tensors, and their metadata."""
    tensors = flatten(state.opt_state, "opt_state")
    tensors[f"{_TRAIN}/step"] = jax.device_get(state.step)
    rng = state.rng
    typed = jax.numpy.issubdtype(rng.dtype, jax.dtypes.prng_key)
    tensors[f"{_TRAIN}/rng"] = jax.device_get(jax.random.key_data(rng) if typed else rng)
    return tensors, {"typed_rng": typed}


def restore_train_state(state: Any, tensors: Mapping[str, Any], path: str) -> Any:
    """``state`` with optimizer state, step and PRNG key from ``tensors`` (checked)."""
    opt_state = restore(state.opt_state, dict(tensors), "opt_state", path, "optimizer state")
    step = restore(state.step, dict(tensors), f"{_TRAIN}/step", path, "training step")
    rng = restore(state.rng, dict(tensors), f"{_TRAIN}/rng", path, "PRNG key")
    return state.replace(opt_state=opt_state, step=step, rng=rng)


def save_model(
    model: Any,
    filepath: str | os.PathLike,
    overwrite: bool = True,
    zipped: bool | None = None,
    **kwargs: Any,
) -> None:
    """Saves architecture, weights and compile configuration: a '.jnet' file or a '.keras'
    archive.

    * ``'m.jnet'``: jnet's own file; the optimizer's state too, so training resumes exactly.
    * ``'m.keras'``: a Keras 3 archive (:mod:`jnet.saving._keras_write`) that
      ``keras.saving.load_model`` loads with the same predictions (and optimizer state), and
      jnet reads back.
      ``zipped=False`` writes the archive's members into a folder instead, as Keras does
      (Keras's ``load_model`` and jnet's both load the folder).

    Args:
        model: a jnet ``Sequential`` or functional model.
        filepath: a path ending in ``'.jnet'`` or ``'.keras'`` (a folder when ``zipped`` is
            False).
        overwrite: replace an existing file (default True).
        zipped: Keras's argument: None or True write a zipped '.keras' archive, False a folder.

    The file is written atomically: an interrupted save leaves the previous file intact.

    Raises:
        JnetValueError: another file name (a Keras 2 '.h5' model file included), or an
            argument Keras 3 does not take either.
        KerasExportError: a model a Keras archive cannot hold without code (a ``Lambda``
            layer, a ``jnet.ops`` call in a functional model, a subclassed model).

    Example:
        >>> import os, tempfile, jnet
        >>> from jnet.saving import save_model
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
        >>> save_model(model, os.path.join(tempfile.mkdtemp(), "m.jnet"))
        >>> save_model(model, os.path.join(tempfile.mkdtemp(), "m.keras"))
    """
    if kwargs:
        raise errors.JnetValueError(
            f"The following argument(s) are not supported: {sorted(kwargs)} (Keras 3's "
            f"save_model takes filepath, overwrite and zipped)."
        )
    if zipped is not None and not isinstance(zipped, bool):
        raise errors.JnetTypeError(f"zipped must be None, True or False, received {zipped!r}.")
    path = os.fspath(filepath)
    if zipped is False or path.endswith(".keras"):
        if zipped is False and path.endswith(".keras"):
            raise errors.JnetValueError(
                f"When using zipped=False, the filepath argument should not end in '.keras' "
                f"(it names a folder). Received: filepath={path!r}"
            )
        _check_overwrite(path, overwrite)
        errors.require("h5py", "h5", f"Writing the Keras archive {path!r}")
        save_keras_model(model, path, zipped=zipped is not False)
        return
    if not path.endswith(".jnet"):
        hint = ""
        if path.endswith((".weights.h5", ".weights.safetensors")):
            hint = " To save only the weights, use model.save_weights(path)."
        elif path.endswith((".h5", ".hdf5")):
            hint = (" '.h5' is Keras 2's legacy model format, which jnet does not write; save "
                    "a Keras 3 archive instead: model.save('m.keras').")
        raise errors.JnetValueError(
            f"The model file name must end in '.jnet' (jnet's file) or '.keras' (a Keras 3 "
            f"archive), received {path!r}.{hint}"
        )
    _check_overwrite(path, overwrite)
    meta: dict[str, str] = {
        "model_config": json.dumps(architecture_of(model)),
        "compile_config": json.dumps(_config.compile_config(model)),
    }
    tensors: dict[str, Any] = {}
    if model._has_variables() or model.input_shape is not None:
        tensors.update(_variables_tensors(model.variables))
    train = {"typed_rng": None}
    state = model.train_state
    if state is not None and model.compiled and meta["compile_config"] != "null":
        state_tensors, train = train_state_tensors(state)
        tensors.update(state_tensors)
    meta["train_config"] = json.dumps(train)
    write_file(path, tensors, meta, "jnet.model")


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise errors.JnetValueError(
            f"{path!r} exists and overwrite=False; pass overwrite=True to replace it."
        )


def _variables_from(model: Any, tensors: dict[str, Any], path: str) -> dict[str, Any]:
    template = model.variables
    restored = {}
    for collection, tree in template.items():
        restored[collection] = restore(tree, tensors, collection, path, f"{collection!r} weights")
    known = {*template, "opt_state", _TRAIN}
    stray = sorted({k.split("/", 1)[0] for k in tensors} - known)
    if stray:
        raise FileFormatError(
            f"{path!r} holds variable collections the model does not have: {stray}."
        )
    return restored


def load_variables_into(model: Any, filepath: str | os.PathLike) -> None:
    """Loads only the variables of a ``.jnet`` file into a built model (``load_weights``)."""
    path = os.fspath(filepath)
    tensors, meta = read_file(path, "jnet.model")
    tensors = _renamed_by_position(model, tensors, meta.get("model_config"))
    model._set_variables(_variables_from(model, tensors, path))


def _renamed_by_position(model: Any, tensors: dict[str, Any], config_text: str | None):
    """``tensors`` with the file's top-level layer names replaced by the model's where both
    hold the same layer classes in the same order but under other names: a nested model's
    automatic name (``sequential_3``) depends on how many models the program made before it,
    as in Keras, so a model rebuilt in the same program loads the weights of its twin."""
    try:
        entries = json.loads(config_text or "null")["config"]["layers"]
        saved = [(e["class_name"], e.get("config", {}).get("name", e.get("name")))
                 for e in entries]
    except (ValueError, TypeError, KeyError, AttributeError):
        return tensors
    layers = model.layers
    if len(saved) != len(layers) or any(
        cls != type(layer).__name__ for (cls, _), layer in zip(saved, layers, strict=True)
    ):
        return tensors
    renames = {name: layer.name for (_, name), layer in zip(saved, layers, strict=True)
               if isinstance(name, str) and name != layer.name}
    if not renames:
        return tensors
    out = {}
    for key, value in tensors.items():
        parts = key.split("/")
        if len(parts) > 2 and parts[1] in renames:
            parts[1] = renames[parts[1]]
        out["/".join(parts)] = value
    return out


def load_model(
    filepath: str | os.PathLike,
    custom_objects: Mapping[str, Any] | None = None,
    compile: bool = True,  # noqa: A002 - Keras's argument name
    safe_mode: bool = True,
) -> Any:
    """Loads a model saved with ``model.save('m.jnet')``, or a Keras 3 ``.keras`` archive.

    A ``.keras`` file is read without TensorFlow (zip, JSON and HDF5 only), its layers are
    rebuilt from jnet's allowlist and Keras's weights put in place; see
    :func:`jnet.saving._keras_archive.load_keras_model`.

    Args:
        filepath: the ``.jnet`` or ``.keras`` file, or the folder that
            ``save_model(..., zipped=False)`` wrote (Keras's or jnet's).
        custom_objects: ``{name: object}``: your own layer classes, and the functions the
            file refers to by name (a ``Lambda``'s function, a custom activation, loss or
            metric). jnet files hold no code, so these can come only from here.
        compile: compile the model as it was saved, optimizer state included (default True).
        safe_mode: accepted for Keras compatibility. jnet files never contain code, nothing
            named in a file is imported, and no file can switch safety off; so loading is
            always safe, and ``safe_mode=False`` unlocks nothing (a ``Lambda`` still needs its
            function in ``custom_objects``).

    Returns:
        The model, built, with the saved weights; compiled with the saved optimizer (and its
        state), loss and metrics when ``compile`` and the model was compiled.

    Raises:
        FileFormatError: a corrupt, truncated, foreign or mismatched file.
        UnknownIdentifierError: a layer class that is not jnet's nor in ``custom_objects``.
        JnetValueError: a function the file refers to is missing from ``custom_objects``.

    Example:
        >>> import os, tempfile, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.jnet")
        >>> model.save(path)
        >>> jnet.models.load_model(path).layers[0].units
        1
    """
    if not isinstance(safe_mode, bool):
        raise errors.JnetTypeError(f"safe_mode must be True or False, received {safe_mode!r}.")
    path = os.fspath(filepath)
    if path.endswith(".keras") or os.path.isdir(path):
        errors.require("h5py", "h5", f"Reading the Keras archive {path!r}")
        return load_keras_model(path, custom_objects, compile=compile, safe_mode=safe_mode)
    if path.endswith(".h5"):
        raise errors.JnetValueError(
            f"{path!r} is a Keras 2 HDF5 model; jnet.models.load_model reads '.jnet' files and "
            f"Keras 3 '.keras' archives. Re-save it with Keras 3 (model.save('m.keras')), or "
            f"load Keras 3 weights with model.load_weights('x.weights.h5')."
        )
    tensors, meta = read_file(path, "jnet.model")
    arch = json_loads(meta.get("model_config", ""), "model configuration", path)
    compile_conf = json_loads(meta.get("compile_config", "null"), "compile configuration", path)
    train = json_loads(meta.get("train_config", "{}"), "training configuration", path)
    try:
        return _rebuild(arch, compile_conf, train, tensors, custom_objects, compile, path)
    except errors.JnetError:
        raise
    except RecursionError:
        raise FileFormatError(f"{path!r}: the model configuration is nested too deeply.") from None
    except Exception as e:  # noqa: BLE001 - jnet's code failing on a crafted config
        raise FileFormatError(
            f"{path!r}: the model in the file cannot be rebuilt ({type(e).__name__}: {e})."
        ) from None


def _model_from(arch: Any, custom_objects: Mapping[str, Any] | None) -> Any:
    """The model (unbuilt: no weights yet) of the file's ``model_config``."""
    name = arch.get("class_name") if isinstance(arch, dict) else None
    if name not in _FILE_CLASSES:
        raise errors.JnetValueError(
            f"Unknown model class {name!r} in the file: jnet builds 'Sequential' and "
            f"'Functional' models."
        )
    return model_class(name).from_architecture(arch.get("config"), custom_objects)


def _rebuild(
    arch: Any,
    compile_conf: Any,
    train: Any,
    tensors: dict[str, Any],
    custom_objects: Mapping[str, Any] | None,
    compile: bool,  # noqa: A002 - Keras's argument name
    path: str,
) -> Any:
    carried = tree_bytes(
        [v for k, v in tensors.items() if k.split("/", 1)[0] not in ("opt_state", _TRAIN)]
    )
    # A small slack lets a small mismatch reach the exact report of _variables_from.
    limit = carried + _BUDGET_SLACK
    with weight_budget(limit, f"the {carried} bytes of weights {path!r} carries (+1 MiB)"):
        model = _model_from(arch, custom_objects)
        if model.input_shape is not None:
            model.build(model.input_shape)
    if model.input_shape is not None:
        model._set_variables(_variables_from(model, tensors, path))
    elif tensors:
        raise FileFormatError(f"{path!r} holds weights but no input shape to build them.")
    if compile and compile_conf is not None:
        model.compile(**_config.deserialize_compile(compile_conf, custom_objects))
        if isinstance(train, dict) and train.get("typed_rng") is not None:
            model.train_state = restore_train_state(model._state(), tensors, path)
    return model
