"""Every public class and function documents its arguments and shows an example, as Keras's
docs do (the contract is in ``tests/_docstrings.py``), and ``help()`` on a layer shows Keras's
arguments, not Flax's plumbing.

``UNDOCUMENTED`` is the allow-list of public names that do not keep the contract yet, by
namespace. It may only shrink: the test fails on a listed name that now keeps the contract (or
no longer exists): remove the entry. A helper adding a public name documents it; a name added
before its docstring is finished goes here, in alphabetical position, until it is.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import pathlib
import pydoc

import _docstrings
import pytest

import jnet
from jnet.layers._layer_kind import LayerMeta

# namespace -> names of that namespace whose docstrings still break the contract (shrinking).
UNDOCUMENTED: dict[str, set[str]] = {
    "jnet": {
        "FloatDTypePolicy", "KerasTensor", "Layer", "Operation",
    },
    "jnet.applications": {
        "DenseNet169", "DenseNet201", "MobileNetV3Large", "ResNet101", "ResNet101V2",
        "ResNet152", "ResNet152V2",
    },
    "jnet.applications.convnext": {
        "ConvNeXt", "decode_predictions",
    },
    "jnet.applications.densenet": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.efficientnet": {
        "EfficientNet", "decode_predictions",
    },
    "jnet.applications.efficientnet_v2": {
        "EfficientNetV2", "decode_predictions",
    },
    "jnet.applications.inception_resnet_v2": {
        "decode_predictions",
    },
    "jnet.applications.inception_v3": {
        "decode_predictions",
    },
    "jnet.applications.mobilenet": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.mobilenet_v2": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.mobilenet_v3": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.nasnet": {
        "NASNet", "decode_predictions",
    },
    "jnet.applications.resnet": {
        "ResNet", "decode_predictions", "preprocess_input", "residual_block_v1",
        "residual_block_v2", "stack_residual_blocks_v1", "stack_residual_blocks_v2",
    },
    "jnet.applications.resnet_v2": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.vgg16": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.vgg19": {
        "decode_predictions", "preprocess_input",
    },
    "jnet.applications.xception": {
        "decode_predictions",
    },
    "jnet.backend": {
        "get_uid", "is_float_dtype", "is_int_dtype", "is_keras_tensor",
    },
    "jnet.compilation_cache": {
        "cache_dir", "disable", "enable",
    },
    "jnet.constraints": {
        "deserialize", "serialize",
    },
    "jnet.distribution": {
        "unreplicate",
    },
    "jnet.dtype_policies": {
        "get", "serialize",
    },
    "jnet.errors": {
        "JnetError", "JnetTypeError", "JnetValueError", "MissingExtraError", "NanLossWarning",
        "NotBuiltError", "NotCompiledError", "UnknownIdentifierError", "describe",
        "must_be_bool", "must_be_non_negative_int", "must_be_positive_int", "require_bool",
        "unknown_identifier",
    },
    "jnet.export": {
        "ExportFormatError", "ExportedModel",
    },
    "jnet.metrics": {
        "ConfusionState", "FBetaScoreState", "IoUState", "MeanState", "R2ScoreState", "SumState",
    },
    "jnet.ops": {
        "bitwise_invert", "bitwise_not", "conj", "conjugate", "convert_to_numpy", "copy",
        "diagflat", "divide", "divide_no_nan", "dsplit", "dstack", "dtype", "flip", "fliplr",
        "flipud", "floor_divide", "fmax", "fmin", "fmod", "gcd", "hard_sigmoid", "hard_silu",
        "hard_tanh", "heaviside", "hsplit", "hstack", "hypot", "imag", "inner", "is_tensor",
        "isreal", "kron", "lcm", "log_sigmoid", "logaddexp", "logaddexp2", "logical_not",
        "maximum", "minimum", "mod", "multiply", "ndim", "negative", "nextafter", "outer",
        "power", "ravel", "real", "selu", "shape", "sigmoid", "sign", "signbit", "silu", "size",
        "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "square", "subtract",
        "swapaxes", "tanh_shrink", "tril", "triu", "true_divide", "trunc", "vdot", "vsplit",
        "vstack",
    },
    "jnet.optimizers": {
        "AdadeltaSlots", "AdafactorSlots", "AdagradSlots", "AdamSlots", "AdamaxSlots",
        "FtrlSlots", "LambSlots", "LionSlots", "LossScaleState", "MultiOptimizerState",
        "MuonSlots", "NadamSlots", "OptimizerState", "RMSpropSlots", "SGDSlots",
        "ScheduleFreeSlots", "UpdateRule", "link_state", "loss_scale",
    },
    "jnet.regularizers": {
        "deserialize", "serialize",
    },
    "jnet.training": {
        "StepSpec", "TrainState", "compute_logs", "compute_loss", "eval_step", "predict_step",
        "train_step",
    },
    "jnet.tree": {
        "MAP_TO_NONE", "assert_same_paths", "flatten", "flatten_with_path", "is_nested",
        "lists_to_tuples", "map_shape_structure", "map_structure_up_to", "pack_sequence_as",
        "traverse",
    },
    "jnet.utils": {
        "PyDataset", "get_registered_name", "set_random_seed",
    },
    "jnet.utils.random": {
        "drop_global_object", "global_object", "next_key", "next_seed", "numpy_generator",
    },
    "jnet.variables": {
        "AutocastScope", "get_autocast_scope", "get_stateless_scope", "in_stateless_scope",
        "register_initializer_resolver", "reset_names",
    },
}

#: help(layer) lines: Flax's methods made it about 1,040 for Dense; the Keras view is ~140-175.
HELP_LINES_BOUND = 200


@pytest.fixture(scope="module")
def found():
    return _docstrings.problems_by_name()


def _listed() -> set[str]:
    return {f"{namespace}.{name}" for namespace, names in UNDOCUMENTED.items() for name in names}


def test_public_api_keeps_the_docstring_contract(found):
    broken = {name: p for name, p in found.items() if name not in _listed()}
    assert not broken, "\n".join(f"{name}: {'; '.join(p)}" for name, p in sorted(broken.items()))


def test_the_allow_list_only_shrinks(found):
    public = _docstrings.public_objects()
    stale = sorted(name for name in _listed() if name not in found)
    gone = [name for name in stale if name not in public]
    assert not gone, f"listed in UNDOCUMENTED but not public: {gone}"
    assert not stale, f"documented now, remove from UNDOCUMENTED: {stale}"


def test_the_api_is_found():
    public = _docstrings.public_objects()
    assert {"jnet.layers.Dense", "jnet.ops.nn.relu", "jnet.Model.fit"} <= set(public) or (
        {"jnet.layers.Dense", "jnet.Model.fit"} <= set(public)
    )
    assert len(public) > 900


def _all_good(units, activation=None):
    """Summary.

    Args:
        units: the units.
        activation: the activation.

    Example:
        >>> 1
        1
    """


def _shared_entry(kernel_regularizer, bias_regularizer, *args, **kwargs):
    """Summary.

    Args:
        kernel_regularizer, bias_regularizer: penalties, an entry that runs
            on for two lines.

    Examples:
        >>> 1
        1
    """


def _no_example(units):
    """Summary.

    Args:
        units: the units.

    Returns:
        units.
    """


def _missing_argument(units, rate):
    """Summary.

    Args:
        units: the units; rate: not an entry, only text.
    A dedented line ends the section: rate:

    Example:
        >>> 1
        1
    """


def _no_args_section(units):
    """Summary.

    Example:
        >>> 1
        1
    """


def _no_summary(units):
    """
    Args:
        units: the units.
    """


def _no_doc(units):
    pass


@pytest.mark.parametrize("function, expected", [
    (_all_good, []),
    (_shared_entry, []),
    (_no_example, ["no Example section"]),
    (_missing_argument, ["Args lacks rate"]),
    (_no_args_section, ["no Args section"]),
    (_no_summary, ["no summary line", "no Example section"]),
    (_no_doc, ["no docstring"]),
])
def test_the_check_finds_each_problem(function, expected):
    assert _docstrings.problems(function) == expected


def _flax_layers() -> list[str]:
    return sorted(
        name for name in jnet.layers.__all__
        if type(getattr(jnet.layers, name)) is LayerMeta
    )


def test_layer_signature_is_keras_s():
    parameters = inspect.signature(jnet.layers.Dense).parameters
    assert list(parameters) == [
        "units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
        "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "bias_constraint", "trainable", "dtype", "name", "input_shape", "input_dim",
    ]
    assert parameters["units"].annotation is int
    assert parameters["dtype"].kind is inspect.Parameter.KEYWORD_ONLY
    # an instance keeps its own signature: the call's
    assert list(inspect.signature(jnet.layers.Dense(3)).parameters) == ["inputs", "training"]
    # what the signature shows is what the constructor takes
    layer = jnet.layers.Dense(3, name="out", dtype="float32", trainable=False)
    assert (layer.name, layer.dtype, layer.trainable) == ("out", "float32", False)


def _keras_layer_arguments() -> dict[str, list[str]]:
    """``{class name: __init__ arguments}`` of Keras's layers, read from Keras's source with
    ``ast`` (importing Keras brings TensorFlow: half a minute on the test machine)."""
    root = pathlib.Path(importlib.util.find_spec("keras").submodule_search_locations[0])
    arguments = {}
    for path in sorted((root / "src" / "layers").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        names = [a.arg for a in item.args.args[1:] + item.args.kwonlyargs]
                        arguments.setdefault(node.name, names)
    return arguments


def test_layer_signatures_follow_keras_s_order():
    """For each layer both have, the arguments they share come in Keras's order."""
    keras_arguments = _keras_layer_arguments()
    checked = 0
    for name in _flax_layers():
        cls = getattr(jnet.layers, name)
        if cls.__name__ not in keras_arguments:
            continue
        ours = [p for p in inspect.signature(cls).parameters
                if p not in _docstrings.LAYER_BASE_ARGUMENTS]  # keyword-only: any order
        keras_order = [p for p in keras_arguments[cls.__name__] if p in ours]
        assert [p for p in ours if p in keras_order] == keras_order, name
        checked += 1
    assert checked > 80


@pytest.mark.parametrize("name", ["Dense", "Conv2D", "LSTM", "Dropout", "MultiHeadAttention"])
def test_help_shows_keras_s_arguments_first_and_no_flax_plumbing(name):
    cls = getattr(jnet.layers, name)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    first = next(iter(inspect.signature(cls).parameters))
    lines = [line.strip(" |") for line in text.splitlines()]
    assert lines[3].startswith(f"{name}({first}: "), lines[:4]  # the line after the class's
    for plumbing in ("parent", "bind(", "setup(", "variable(", "make_rng(", "__setattr__"):
        assert plumbing not in text, (name, plumbing)
    assert "count_params" in text and "get_config" in text


def test_help_of_every_layer_is_short():
    lengths = {
        name: len(pydoc.render_doc(getattr(jnet.layers, name), renderer=pydoc.plaintext)
                  .splitlines())
        for name in _flax_layers()
    }
    assert len(lengths) > 100
    long = {name: n for name, n in lengths.items() if n > HELP_LINES_BOUND}
    assert not long, long
    assert all("parent" not in inspect.signature(getattr(jnet.layers, n)).parameters
               for n in lengths)


def test_dir_lists_the_keras_view_and_attributes_still_work():
    names = dir(jnet.layers.Dense)
    assert {"apply", "count_params", "get_config", "__call__"} <= set(names)
    assert not {"parent", "bind", "setup", "units", "KERAS_WEIGHTS"} & set(names)
    assert callable(jnet.layers.Dense.bind)  # hidden from the listing, not removed


def _api_docs_script():
    spec = importlib.util.spec_from_file_location(
        "api_docs", pathlib.Path(__file__).resolve().parent.parent / "scripts" / "api_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documentation_site_has_a_page_per_namespace_and_is_up_to_date():
    """``make docs`` builds the site; here only its inputs are checked (no build)."""
    api_docs = _api_docs_script()
    assert set(api_docs.namespaces()) == set(_docstrings.namespaces())
    nav = api_docs.MKDOCS.read_text()
    for path in _docstrings.namespaces():
        assert f"- {path}: api/{path}.md" in nav, path
    assert api_docs.main(["--check"]) == 0, "run python scripts/api_docs.py"
