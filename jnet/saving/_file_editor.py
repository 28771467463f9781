"""``KerasFileEditor``: inspect and edit the weights of a ``.keras`` or ``.weights.h5`` file, as
``keras.saving.KerasFileEditor``.

The file's weights become a nested dict (``editor.weights_dict``) in Keras's layout:
``{'layers': {'dense': {'0': kernel, '1': bias}}}`` (each ``vars`` group folded into its
object), with each object's HDF5 attributes (its ``name``) in ``editor.object_metadata``.
Objects and weights are renamed, deleted and added in that dict, ``compare`` checks it
against a model, and ``save`` writes it as a ``.weights.h5`` file that Keras and jnet load.

The file is read as jnet's loaders read files (a regular file only; a ``.keras`` archive
through the checked zip reader): HDF5 links, external and virtual datasets are refused, the
nesting is bounded, and the datasets may hold at most ``MAX_EXPANSION`` times the file's
bytes (HDF5 compression cannot inflate a small file into a huge read). Printing is plain
text (Keras uses ``rich``).

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> folder = tempfile.mkdtemp()
    >>> model.save_weights(os.path.join(folder, "m.weights.h5"))
    >>> editor = KerasFileEditor(os.path.join(folder, "m.weights.h5"))  # doctest: +ELLIPSIS
    Keras model file '...m.weights.h5'
    >>> editor.rename_object("dense", "head")
    >>> sorted(editor.weights_dict["layers"])
    ['head']
    >>> editor.weights_dict["layers"]["head"]["0"].shape
    (3, 2)
"""

from __future__ import annotations

import collections
import io
import math
import os
from typing import Any

import numpy as np

from jnet import errors
from jnet.saving._file import FileFormatError
from jnet.saving._keras_archive import read_archive
from jnet.saving._keras_write import _weights_bytes
from jnet.saving._reading import require_regular
from jnet.utils._atomic import atomic_path

__all__ = ["KerasFileEditor"]

#: The datasets of a file may hold at most this many times the file's bytes.
MAX_EXPANSION = 100
_SLACK = 1024 * 1024
_MAX_DEPTH = 32
_MAX_RANK = 64


def _weights_error(what: str, weights: Any) -> errors.JnetValueError:
    return errors.JnetValueError(
        f"KerasFileEditor.{what}: weights must be a dict whose keys are weight names (usually "
        f"'0', '1', ...) and values NumPy arrays, received {type(weights).__name__}."
    )


class _Budget:
    def __init__(self, cap: int, path: str):
        self.left = cap
        self.path = path

    def take(self, nbytes: int, where: str) -> None:
        self.left -= nbytes
        if self.left < 0:
            raise FileFormatError(
                f"{self.path!r}: the dataset {where!r} takes the weights past "
                f"{MAX_EXPANSION} times the file's size (a compressed bomb?). Nothing more "
                f"was read."
            )


def _extract(group: Any, budget: _Budget, metadata: dict[str, dict], inner: str = "",
             depth: int = 0) -> collections.OrderedDict:
    import h5py

    if depth > _MAX_DEPTH:
        raise FileFormatError(f"{budget.path!r}: groups nest deeper than {_MAX_DEPTH}.")
    attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in group.attrs.items()}
    if attrs:
        metadata[inner] = attrs
    result: collections.OrderedDict = collections.OrderedDict()
    for key in group.keys():
        where = f"{inner}/{key}"
        kind = group.get(key, default=None, getclass=True, getlink=True)
        if kind in (h5py.ExternalLink, h5py.SoftLink):
            raise FileFormatError(f"{budget.path!r}: {where!r} is an HDF5 {kind.__name__}.")
        value = group[key]
        if isinstance(value, h5py.Group):
            if len(value) == 0:
                continue
            if "vars" in value.keys() and isinstance(value["vars"], h5py.Group):
                if len(value["vars"]) == 0:
                    continue
                result[key] = _extract(value["vars"], budget, metadata, where, depth + 1)
            else:
                result[key] = _extract(value, budget, metadata, where, depth + 1)
            continue
        if not isinstance(value, h5py.Dataset):
            continue
        if value.external or value.is_virtual:
            raise FileFormatError(
                f"{budget.path!r}: the dataset {where!r} is external or virtual."
            )
        if len(value.shape) > _MAX_RANK or not np.issubdtype(value.dtype, np.number) and (
            value.dtype != np.bool_
        ):
            raise FileFormatError(
                f"{budget.path!r}: the dataset {where!r} is not a numeric array of rank at "
                f"most {_MAX_RANK} (shape {value.shape}, dtype {value.dtype})."
            )
        budget.take(math.prod(value.shape) * value.dtype.itemsize, where)
        result[key] = value[()]
    return result


class KerasFileEditor:
    """Inspects and edits the weights of a ``.keras`` or ``.weights.h5`` file, as
    ``keras.saving.KerasFileEditor``.

    Args:
        filepath: a ``.keras`` archive or a ``.weights.h5`` file (written by Keras or jnet).

    Attributes:
        weights_dict: the weights, nested by object path (edit it through the methods).
        object_metadata: ``{'/layers/dense': {'name': ...}}``, each object's attributes.
        config, metadata: a ``.keras`` archive's ``config.json`` and ``metadata.json``
            (None for a ``.weights.h5`` file).

    Example:
        >>> import os, tempfile, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
        >>> model.save(path)
        >>> editor = KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file '...m.keras'
        Saved with Keras 3... - date: ...
        >>> editor.compare(model)["status"]  # doctest: +ELLIPSIS
        Running comparison
        ...
        'success'
    """

    def __init__(self, filepath: str | os.PathLike):
        import h5py

        path = os.fspath(filepath)
        self.filepath = path
        self.config = None
        self.metadata = None
        if path.endswith(".keras"):
            self.config, self.metadata, data = read_archive(path, path)
            if data is None:
                raise FileFormatError(f"{path!r} holds no model.weights.h5.")
            source: Any = io.BytesIO(data)
            size = len(data)
        elif path.endswith(".weights.h5"):
            size = require_regular(path).st_size
            source = path
        else:
            raise errors.JnetValueError(
                f"KerasFileEditor: expected a '.keras' or '.weights.h5' file, received "
                f"filepath={path!r}."
            )
        try:
            f = h5py.File(source, "r")
        except OSError as e:
            raise FileFormatError(f"{path!r} holds no readable HDF5 weights ({e}).") from None
        self.object_metadata: dict[str, dict] = {}
        with f:
            self.weights_dict = _extract(
                f, _Budget(MAX_EXPANSION * size + _SLACK, path), self.object_metadata
            )
        print(f"Keras model file '{path}'")
        if self.metadata:
            print(f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                  f"{self.metadata.get('date_saved')}")

    # -- inspection --------------------------------------------------------------------------

    def summary(self) -> None:
        """Prints the weights' structure: each object (with its name) and each weight's
        shape and dtype.

        Example:
            >>> import os, tempfile, jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,), name="d")])
            >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
            >>> model.save_weights(path)
            >>> KerasFileEditor(path).summary()  # doctest: +ELLIPSIS
            Keras model file '...'
            Weights structure
              > layers
                └─ dense ('d')
                    ├─ 0: shape=(3, 2), dtype=float32
                    └─ 1: shape=(2,), dtype=float32
        """
        print("Weights structure")
        self._print(self.weights_dict, "  ", "", True)

    def _print(self, tree: dict, prefix: str, inner: str, first: bool) -> None:
        items = list(tree.items())
        for i, (key, value) in enumerate(items):
            path = f"{inner}/{key}"
            last = i == len(items) - 1
            connector = "> " if first else "└─ " if last else "├─ "
            first = False
            if isinstance(value, dict):
                name = self.object_metadata.get(path, {}).get("name")
                print(f"{prefix}{connector}{key}" + (f" ('{name}')" if name else ""))
                self._print(value, prefix + ("    " if last else "│   "), path, False)
            else:
                print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")

    def compare(self, reference_model: Any) -> dict[str, Any]:
        """Checks the file's weights against ``reference_model``'s (the layout jnet writes for
        it, as Keras would): every object and weight present in both, with equal shapes.

        Args:
            reference_model: a built jnet model.

        Returns:
            ``{'status': 'success' or 'error', 'error_count': n, 'match_count': m}``.
        """
        import h5py

        with h5py.File(io.BytesIO(_weights_bytes(reference_model)), "r") as f:
            reference = _extract(f, _Budget(1 << 62, "reference model"), {})
        print("Running comparison")
        checked: set[str] = set()
        errors_, matches = _compare(self.weights_dict, reference, "", "saved file",
                                    "reference model", checked)
        more, _ = _compare(reference, self.weights_dict, "", "reference model", "saved file",
                           checked)
        errors_ += more
        print("─────────────────────")
        if errors_ == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors_} error{'' if errors_ == 1 else 's'}: saved file is not "
                  "compatible with the reference model")
        return {"status": "success" if errors_ == 0 else "error", "error_count": errors_,
                "match_count": matches}

    # -- edits -------------------------------------------------------------------------------

    def _edit(self, edit_fn: Any, source_name: str, target_name: str | None = None) -> None:
        if target_name is not None and "/" in target_name:
            raise errors.JnetValueError(
                f"KerasFileEditor: target_name should be a leaf name, not a path; received "
                f"target_name={target_name!r}."
            )
        if "/" in source_name:
            *parents, leaf = source_name.split("/")
            tree = self.weights_dict
            for part in parents:
                if not isinstance(tree.get(part), dict):
                    raise errors.JnetValueError(
                        f"KerasFileEditor: path {source_name!r} not found in the file.")
                tree = tree[part]
            if leaf not in tree:
                raise errors.JnetValueError(
                    f"KerasFileEditor: path {source_name!r} not found in the file.")
            edit_fn(tree, leaf, target_name)
            return
        holders = _holders(self.weights_dict, source_name)
        if len(holders) > 1:
            raise errors.JnetValueError(
                f"KerasFileEditor: name {source_name!r} occurs more than once in the file; "
                "pass its complete path (e.g. 'layers/dense')."
            )
        if not holders:
            raise errors.JnetValueError(
                f"KerasFileEditor: name {source_name!r} does not appear in the file; "
                "editor.summary() lists every object."
            )
        edit_fn(holders[0], source_name, target_name)

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Renames the object ``object_name`` (a name, or a path such as
        ``'layers/dense'``) to ``new_name`` (a leaf name).

        Args:
            object_name: the object's name or path.
            new_name: its new name.
        """
        def rename(tree: dict, source: str, target: str | None) -> None:
            tree[target] = tree.pop(source)

        self._edit(rename, object_name, new_name)

    def delete_object(self, object_name: str) -> None:
        """Removes the object ``object_name`` (a name or a path) and its weights.

        Args:
            object_name: the object's name or path.
        """
        self._edit(lambda tree, source, _: tree.pop(source), object_name)

    def add_object(self, object_path: str, weights: dict[str, Any]) -> None:
        """Adds an object at ``object_path`` holding ``weights``.

        Args:
            object_path: the new object's path (its parents must exist), e.g.
                ``'layers/dense_2'``.
            weights: ``{weight name: array}`` (names are usually ``'0'``, ``'1'``, ...).
        """
        if not isinstance(weights, dict):
            raise _weights_error("add_object", weights)
        *parents, leaf = object_path.split("/")
        tree = self.weights_dict
        for part in parents:
            if not isinstance(tree.get(part), dict):
                raise errors.JnetValueError(
                    f"KerasFileEditor.add_object: path {'/'.join(parents)!r} not found in the "
                    "file.")
            tree = tree[part]
        tree[leaf] = {str(k): np.asarray(v) for k, v in weights.items()}

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Removes the weight ``weight_name`` (e.g. ``'1'``) of the object ``object_name``.

        Args:
            object_name: the object's name or path.
            weight_name: the weight's name.
        """
        def delete(tree: dict, source: str, _: Any) -> None:
            if weight_name not in tree[source]:
                raise errors.JnetValueError(
                    f"KerasFileEditor.delete_weight: weight {weight_name!r} not found in "
                    f"object {object_name!r}; weights found: {list(tree[source])}."
                )
            tree[source].pop(weight_name)

        self._edit(delete, object_name)

    def add_weights(self, object_name: str, weights: dict[str, Any]) -> None:
        """Adds (or replaces) weights of the object ``object_name``.

        Args:
            object_name: the object's name or path.
            weights: ``{weight name: array}``.
        """
        if not isinstance(weights, dict):
            raise _weights_error("add_weights", weights)

        def add(tree: dict, source: str, _: Any) -> None:
            tree[source].update({str(k): np.asarray(v) for k, v in weights.items()})

        self._edit(add, object_name)

    # -- writing -----------------------------------------------------------------------------

    def save(self, filepath: str | os.PathLike) -> None:
        """Writes the (edited) weights as a ``.weights.h5`` file, atomically.

        Args:
            filepath: a path ending in ``'.weights.h5'``.
        """
        import h5py

        path = os.fspath(filepath)
        if not path.endswith(".weights.h5"):
            raise errors.JnetValueError(
                f"KerasFileEditor.save: expected a '.weights.h5' filepath, received "
                f"filepath={path!r}."
            )
        with atomic_path(path) as tmp, h5py.File(tmp, "w") as f:
            _write(self.weights_dict, f, "", self.object_metadata)

    def resave_weights(self, filepath: str | os.PathLike) -> None:
        """:meth:`save` (Keras's other name for it).

        Args:
            filepath: a path ending in ``'.weights.h5'``.
        """
        self.save(filepath)


def _holders(tree: dict, name: str) -> list[dict]:
    found = [tree] if name in tree else []
    for value in tree.values():
        if isinstance(value, dict):
            found += _holders(value, name)
    return found


def _compare(target: dict, reference: dict, inner: str, target_name: str, ref_name: str,
             checked: set[str]) -> tuple[int, int]:
    errors_ = matches = 0
    for key, ref in reference.items():
        path = f"{inner}/{key}"
        if path in checked:
            continue
        if key not in target:
            errors_ += 1
            checked.add(path)
            kind = "Object" if isinstance(ref, dict) else "Weight"
            print(f"...{kind} {path} present in {ref_name}, missing from {target_name}")
        elif isinstance(ref, dict):
            e, m = _compare(target[key], ref, path, target_name, ref_name, checked)
            errors_, matches = errors_ + e, matches + m
        elif target[key].shape != ref.shape:
            errors_ += 1
            checked.add(path)
            print(f"...Weight shape mismatch for {path}\n    In {ref_name}: shape={ref.shape}"
                  f"\n    In {target_name}: shape={target[key].shape}")
        else:
            matches += 1
    return errors_, matches


def _write(tree: dict, f: Any, inner: str, metadata: dict[str, dict]) -> None:
    """Keras's layout: each object's arrays in ``<path>/vars`` (the root's in ``vars``)."""
    arrays = {}
    for name, value in tree.items():
        if isinstance(value, dict):
            if value:
                _write(value, f, f"{inner}/{name}" if inner else name, metadata)
        else:
            arrays[name] = value
    if arrays:
        group = f.require_group(f"{inner}/vars" if inner else "vars")
        for key, value in metadata.get(f"/{inner}", {}).items():
            group.attrs[key] = value
        for name, value in arrays.items():
            group.create_dataset(name, data=value)
