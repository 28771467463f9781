"""``model.export(path, format=...)``: the inference function, weights included, as a file.

* ``format='jax'`` (jnet's default): ``jax.export`` of ``model.apply(variables, x)`` in
  inference mode with the batch dimension symbolic (``b``; every other ``None`` axis gets a
  symbol of its own), lowered for CPU and CUDA, serialized (StableHLO) with jnet's checked
  header (:mod:`jnet.export._artifact`). ``jnet.export.load(path)`` runs it.
* ``format='tf_saved_model'`` (Keras 3's default, needs TensorFlow): the same function
  through ``jax.experimental.jax2tf`` (native serialization: the SavedModel holds the
  StableHLO in an ``XlaCallModule`` op) with a polymorphic batch, saved with Keras's endpoint
  name ``serve`` and the ``serving_default`` signature.

The weights are baked into the program as constants rather than passed as arguments: the
artifact is then one self-contained file whose only input is the data, nothing beside it can
go missing or be swapped, and the loader needs no pytree structure or weight file. The cost
is that a new set of weights means a new export, and that a model's weights must fit the
2 GB limit of a serialized module.

Example:
    >>> import os, tempfile, numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.jaxexport")
    >>> model.export(path, verbose=False)
    >>> x = np.ones((4, 3), np.float32)
    >>> np.allclose(jnet.export.load(path)(x), model.predict(x, verbose=0))
    True
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jnet import errors
from jnet.export._artifact import write

__all__ = ["export_model"]

FORMATS = ("jax", "tf_saved_model")
_DEFAULT_PLATFORMS = ("cpu", "cuda")


def _is_shape(value: Any) -> bool:
    return isinstance(value, tuple | list) and all(
        d is None or (isinstance(d, int | np.integer) and not isinstance(d, bool))
        for d in value
    )


def _input_shapes(model: Any, input_signature: Any) -> tuple[list[tuple], bool]:
    """The input shapes (batch axis first) and whether the model takes several inputs."""
    if input_signature is None:
        shape = model.input_shape
        if shape is None:
            raise errors.NotBuiltError(
                f"Model {model.name!r} does not know its input shape, so it cannot be "
                f"exported. Give the first layer input_shape=(...), call model.build(shape), "
                f"or pass input_signature=(None, ...)."
            )
    else:
        shape = input_signature
    if _is_shape(shape):
        return [tuple(shape)], False
    items = list(shape) if isinstance(shape, tuple | list) else [shape]
    shapes = []
    for item in items:
        item = getattr(item, "shape", item)
        if not _is_shape(item):
            raise errors.JnetValueError(
                f"input_signature must be a shape such as (None, 28, 28) (None: any size), "
                f"or a list of them for several inputs; received {item!r}."
            )
        shapes.append(tuple(item))
    return shapes, len(shapes) > 1 or not _is_shape(shape)


def _dim_names(shapes: list[tuple]) -> list[list[str]]:
    """Each input's dimension names for a shape-polymorphic export.

    Every batch axis is ``b`` (one symbol shared by all inputs); every other ``None`` axis
    gets a symbol of its own, ``d0``, ``d1``, ... numbered across the inputs; a known size
    is its number. jax's ``symbolic_shape`` and jax2tf's ``polymorphic_shapes`` both read
    these names (joined with ``", "``).

    Raises:
        JnetValueError: an input has no batch axis (a shape ``()``).

    Example:
        >>> _dim_names([(None, 3, None), (None, None)])
        [['b', '3', 'd0'], ['b', 'd1']]
    """
    names: list[list[str]] = []
    k = 0
    for shape in shapes:
        if not shape:
            raise errors.JnetValueError("An exported input needs a batch axis.")
        dims = ["b"]
        for d in shape[1:]:
            if d is None:
                dims.append(f"d{k}")
                k += 1
            else:
                dims.append(str(int(d)))
        names.append(dims)
    return names


def _symbolic(shapes: list[tuple]) -> list[jax.ShapeDtypeStruct]:
    """ShapeDtypeStructs with ``b`` for every batch axis, ``d<k>`` for other None axes."""
    scope = jax.export.SymbolicScope()
    return [
        jax.ShapeDtypeStruct(jax.export.symbolic_shape(", ".join(dims), scope=scope), jnp.float32)
        for dims in _dim_names(shapes)
    ]


def _inference_fn(model: Any, several: bool):
    variables = jax.tree_util.tree_map(np.asarray, jax.device_get(model.variables))

    def predict(*inputs):
        x = list(inputs) if several else inputs[0]
        return model.apply(variables, x, training=False)

    return predict


def export_model(
    model: Any,
    filepath: str | os.PathLike,
    format: str = "jax",  # noqa: A002 - Keras's argument name
    verbose: bool | None = None,
    input_signature: Any = None,
    **kwargs: Any,
) -> None:
    """Exports a model's inference function (weights included) for serving without its code.

    Args:
        model: a built jnet model.
        filepath: the file (``format='jax'``) or directory (``'tf_saved_model'``) to write.
        format: ``'jax'`` (a ``jax.export`` StableHLO file, read by
            :func:`jnet.export.load`) or ``'tf_saved_model'`` (a TensorFlow SavedModel via
            jax2tf; needs TensorFlow). Keras 3 defaults to ``'tf_saved_model'``; jnet to
            ``'jax'``, which needs no TensorFlow.
        verbose: print where the artifact was written (default True).
        input_signature: the input shape(s), batch axis first (``(None, 28, 28)``, or a list
            for several inputs); default: the model's ``input_shape``. ``None`` axes are
            symbolic: any size is accepted at run time.
        **kwargs: ``platforms`` (``format='jax'``): the platforms to lower for (default
            ``('cpu', 'cuda')``, falling back to the current one where a platform cannot be
            lowered). ``jax2tf_kwargs`` (``'tf_saved_model'``): extra ``jax2tf.convert``
            arguments, as in Keras.

    Raises:
        JnetValueError: unknown format or bad ``input_signature``.
        NotBuiltError: the model's input shape is unknown.

    Example:
        >>> import os, tempfile, jnet
        >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
        >>> model.export(os.path.join(tempfile.mkdtemp(), "m.jaxexport"), verbose=False)
    """
    if format not in FORMATS:
        hint = " jnet cannot write ONNX, OpenVINO, LiteRT or torch." if isinstance(
            format, str
        ) else ""
        raise errors.JnetValueError(
            f"Unrecognized format={format!r}: jnet exports {list(FORMATS)}.{hint}"
        )
    platforms = kwargs.pop("platforms", None)
    jax2tf_kwargs = kwargs.pop("jax2tf_kwargs", None) or {}
    kwargs.pop("is_static", None)
    if kwargs:
        raise errors.JnetTypeError(f"model.export got unexpected arguments {sorted(kwargs)}.")
    shapes, several = _input_shapes(model, input_signature)
    if not model._has_variables() and model.input_shape is None and not several:
        model.build(shapes[0])
    model._require_built("export()")
    fn = _inference_fn(model, several)
    path = os.fspath(filepath)
    if format == "jax":
        _export_jax(fn, shapes, path, platforms, model.name)
    else:
        _export_tf(fn, shapes, path, jax2tf_kwargs)
    if verbose is None or verbose:
        print(f"Saved artifact at '{path}' (format={format!r}).")


def _export_jax(fn, shapes, path: str, platforms: Sequence[str] | None, name: str) -> None:
    args = _symbolic(shapes)
    jitted = jax.jit(fn)
    if platforms is None:
        try:
            exported = jax.export.export(jitted, platforms=_DEFAULT_PLATFORMS)(*args)
        except Exception as e:  # noqa: BLE001 - a platform jax cannot lower for here
            warnings.warn(
                f"Could not lower for {_DEFAULT_PLATFORMS} ({type(e).__name__}: {e}); the "
                f"export runs only on {jax.default_backend()!r}.",
                stacklevel=4,
            )
            exported = jax.export.export(jitted)(*args)
    else:
        exported = jax.export.export(jitted, platforms=tuple(platforms))(*args)
    write(path, exported, {"model_name": name})


def _export_tf(fn, shapes, path: str, jax2tf_kwargs: dict[str, Any]) -> None:
    try:
        import tensorflow as tf
        from jax.experimental import jax2tf
    except ImportError as e:
        raise errors.JnetValueError(
            f"format='tf_saved_model' needs TensorFlow ({e}); install tensorflow, or export "
            f"with format='jax'."
        ) from None
    poly = ["(" + ", ".join(dims) + ")" for dims in _dim_names(shapes)]
    options = {"polymorphic_shapes": poly, "with_gradient": False, **jax2tf_kwargs}
    converted = jax2tf.convert(fn, **options)
    signature = [tf.TensorSpec([None, *shape[1:]], tf.float32) for shape in shapes]
    module = tf.Module()
    module.serve = tf.function(converted, input_signature=signature, autograph=False)
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
