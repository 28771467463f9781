"""The Keras facade: ``compile``, ``fit``, ``evaluate``, ``predict`` over the pure engine.

``Model`` holds the current variables and checks the arguments; ``fit``, ``evaluate`` and
``predict`` build the input spec (:mod:`jnet.training.inputs`), the data adapters
(:mod:`jnet.training.data_adapters`) and the callback list, and hand the run to
:mod:`jnet.training.runner`; every number is computed by the pure steps in
:mod:`jnet.training`. Subclasses (``Sequential``) provide the architecture:
``layers``, ``build(input_shape)``, ``forward(params, model_state, x, training, rng)`` and
``logits_activation()``.

Example:
    >>> import numpy as np, jnet
    >>> model = jnet.Sequential([jnet.layers.Dense(units=1, input_shape=[1])])
    >>> model.compile(optimizer="sgd", loss="mean_squared_error")
    >>> xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    >>> h = model.fit(xs, 2 * xs - 1, epochs=3, verbose=0)
    >>> len(h.history["loss"])
    3

One concept, one file (about 800 lines): the facade is Keras's ``Model`` surface and only
that (the weights API, compile, and fit/evaluate/predict as short calls into
:mod:`jnet.training.runner`, save/export delegating to :mod:`jnet.saving`); input checks, data
adapters and the epoch loops live in :mod:`jnet.training`, architecture in the subclasses.
"""

from __future__ import annotations

import dataclasses
import json
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import flax.errors
import jax
import jax.numpy as jnp
import numpy as np

from jnet import _typing, dtype_policies, errors, saving, symbolic
from jnet import losses as losses_module
from jnet import metrics as metrics_module
from jnet import optimizers as optimizers_module
from jnet.callbacks import CallbackList, History
from jnet.export import export_model
from jnet.layers.base import _get_path, layer_variables, with_layer_variables
from jnet.models import _variable_views, links, subclassing
from jnet.saving._serialization_lib import model_from_config
from jnet.training import custom_step, inputs, loop, runner
from jnet.training import data as data_lib
from jnet.training import data_adapters as adapters
from jnet.training import outputs as outputs_lib
from jnet.training.state import StepSpec, TrainState
from jnet.utils import random as jrandom
from jnet.utils._object_registration import all_custom_objects


class Model(custom_step.StepHooks):
    """Base of jnet models: the training facade shared by every architecture.

    ``jnet.Model(inputs, outputs)`` builds a functional model (:mod:`jnet.models.functional`);
    a subclass that defines ``call(self, inputs, training=False)`` and creates its layers as
    attributes in ``__init__`` is traced into a pure forward (:mod:`jnet.models.subclassing`).
    Keras's step hooks (``train_step``, ``test_step``, ``predict_step``, ``compute_loss``,
    ``compute_metrics``, in the JAX form) come from :class:`jnet.training.custom_step.StepHooks`.

    Example:
        >>> import numpy as np, jnet
        >>> inputs = jnet.Input(shape=(3,))
        >>> outputs = jnet.layers.Dense(2, activation="softmax")(inputs)
        >>> model = jnet.Model(inputs, outputs)
        >>> model.predict(np.ones((4, 3)), verbose=0).shape
        (4, 2)
    """

    # A model used as a layer of another model (see jnet.models.functional).
    ACCEPTS_MASK = False
    SUPPORTS_MASKING = False

    #: Tells a model from a layer without importing this class (jnet.models._nesting.is_model).
    _JNET_IS_MODEL = True

    #: The class ``jnet.Model(inputs, outputs)`` makes: ``Functional``, which puts itself here
    #: when jnet.models.functional is imported (this base never imports its subclasses).
    _functional_class: type | None = None

    def __new__(cls, *args: Any, **kwargs: Any):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            return super().__new__(cls._jnet_functional())
        return super().__new__(cls)

    @classmethod
    def _jnet_functional(cls) -> type:
        if Model._functional_class is None:  # jnet.models imports jnet.models.functional
            raise errors.JnetValueError("jnet.models.functional is not imported.")
        return Model._functional_class

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and (
            hasattr(type(self), "call") or (
                type(self).layers is Model.layers  # not a functional/Sequential model
                and "train_step" in custom_step.overrides(self, Model)
            )
        ):  # a model without call whose own train_step uses its parts (a GAN)
            subclassing.track(self, name, value)
        if isinstance(value, metrics_module.Metric) and not name.startswith("_"):
            tracked = self.__dict__.setdefault("_jnet_metrics", [])  # Keras's model.metrics
            if not any(m is value for m in tracked):
                tracked.append(value)
        object.__setattr__(self, name, value)

    def __init__(self, *args: Any, name: str | None = None, trainable: bool = True,
                 dtype: Any = None, **kwargs: Any):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            if dtype is not None:
                kwargs["dtype"] = dtype
            # class M(jnet.Model) whose __init__ calls super().__init__(inputs, outputs)
            self._jnet_functional()._adopt(self, args, name, trainable, kwargs)
            return
        if kwargs:
            raise errors.JnetTypeError(
                f"Model() got unexpected keyword arguments {sorted(kwargs)}; a functional "
                f"model is made with jnet.Model(inputs, outputs)."
            )
        if name is None:  # Keras's per-class session names: sequential, sequential_1, ...
            name = symbolic.auto_name(type(self).__name__)
        self.name = name
        self._trainable = bool(trainable)
        self._variables: dict[str, Any] | None = None
        self._train_state: TrainState | None = None
        self._spec: StepSpec | None = None
        self.optimizer: Any = None
        self.loss: Any = None
        self.compiled = False
        self.stop_training = False
        self.history: History | None = None
        self._steps_per_execution: int | str = "auto"
        self._in_fit = False
        self._compiled_outputs: outputs_lib.CompiledOutputs | None = None
        # the model's own policy (Keras's: its layers keep theirs); the global one by default
        self._jnet_dtype_policy = _policy_argument(dtype, type(self).__name__)

    @property
    def dtype_policy(self) -> Any:
        """The model's dtype policy: the global one when it was made (Keras's; ``compile``
        reads it for ``auto_scale_loss``)."""
        return self.__dict__.get("_jnet_dtype_policy") or dtype_policies.get(None)

    @property
    def variable_path_prefix(self) -> str:
        """What Keras's ``variable.path`` puts before ``'<layer>/<weight>'`` for this model's
        weights: nothing for a functional model (``jnet.distribution.LayoutMap`` keys match
        these paths)."""
        return ""

    # -- to be provided by architectures ---------------------------------------------------

    # (the defaults below are a subclassed model's: layers are its attributes, the
    # architecture is its call() method; see jnet.models.subclassing)

    @property
    def layers(self) -> list[Any]:
        return list(self.__dict__.get("_jnet_tracked", []))

    def build(self, input_shape: Sequence[int | None]) -> None:
        """Creates the weights for inputs of ``input_shape`` (batch axis first)."""
        subclassing.build(self, input_shape)

    def _init_variables(self, key, sample_shape):
        return subclassing.init_variables(self, key, sample_shape)

    def forward(self, params, model_state, x, training: bool = False, rng=None):
        """``(params, model_state, x) -> (y_pred, logits_or_None, new_model_state)``."""
        return subclassing.forward(self, params, model_state, x, training=training, rng=rng)

    def logits_activation(self) -> str | None:
        return self.__dict__.get("_jnet_logits_activation")

    @property
    def input_shape(self) -> tuple[int | None, ...] | None:
        return self.__dict__.get("_jnet_input_shape")

    @property
    def output_shape(self) -> tuple[int | None, ...] | None:
        self._require_built("output_shape")
        return self.__dict__.get("_jnet_output_shape")

    @property
    def inputs(self) -> list[Any]:
        """The symbolic inputs (KerasTensors) of a functional or Sequential model."""
        return self._require_graph()[0]

    @property
    def outputs(self) -> list[Any]:
        """The symbolic outputs (KerasTensors) of a functional or Sequential model."""
        return self._require_graph()[1]

    def _symbolic_graph(self) -> tuple[list[Any], list[Any]] | None:
        """``(inputs, outputs)``, the model's KerasTensors, or None for a model defined by
        its ``call()`` (no graph). ``Sequential`` and ``Functional`` override it; a layer's
        ``output`` asks its model for it (``jnet.symbolic.node_attribute``)."""
        return None

    def _require_graph(self) -> tuple[list[Any], list[Any]]:
        graph = self._symbolic_graph()
        if graph is None:
            raise errors.JnetValueError(
                f"Model {self.name!r} ({type(self).__name__}) has no symbolic inputs/outputs: "
                f"a subclassed model is defined by its call() method."
            )
        inputs, outputs = graph
        return list(inputs), list(outputs)

    # -- a call on KerasTensors (the hooks of jnet.symbolic.symbolic_call) --------------------

    def _symbolic_prepare(self, specs: Sequence[Any]) -> None:
        """Before a call on KerasTensors is traced: builds the weights (from the input specs
        when the input shape is not known)."""
        if self._has_variables():
            return
        shape = specs[0].shape if specs else None
        if self.input_shape is None and shape is not None:
            self.build((None, *shape[1:]))
        self._require_built("a call on symbolic tensors")

    def _symbolic_apply(self, args: tuple, kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """``(outputs, {})`` of a call on arrays, run under ``jax.eval_shape``: the forward
        with the model's own variables (it creates none)."""
        rest = dict(self.variables)
        params = rest.pop("params", {})
        training = kwargs.get("training", False)
        return self.forward(params, rest, *args, training=training, rng=None)[0], {}

    # -- a model used as a layer of another model ----------------------------------------------

    def weight_paths(self, variables: dict[str, Any]) -> list[tuple[str, ...]]:
        """Keras-ordered paths of the weights in this model's ``variables``."""
        return [
            (path[0], layer.name, *path[1:])
            for layer in self.layers
            for path in layer.weight_paths(layer_variables(variables, layer.name))
        ]

    def keras_weights(self, variables: dict[str, Any]) -> list[np.ndarray]:
        """The weights in ``variables`` (this model's layout) in Keras's order."""
        return [
            w
            for layer in self.layers
            for w in layer.keras_weights(layer_variables(variables, layer.name))
        ]

    def set_keras_weights(self, variables: dict[str, Any], weights: Sequence[Any]) -> dict:
        """``variables`` with Keras-ordered ``weights`` put in place, layer by layer."""
        weights = list(weights)
        new = variables
        for layer in self.layers:
            own = layer_variables(variables, layer.name)
            count = len(layer.weight_paths(own))
            updated = layer.set_keras_weights(own, weights[:count])
            new = with_layer_variables(new, layer.name, updated)
            weights = weights[count:]
        return new

    def compute_mask(self, inputs: Any, mask: Any) -> Any:
        return None

    def get_config(self) -> dict[str, Any]:
        """The architecture (Keras's: what :meth:`from_config` rebuilds) of a Sequential or
        functional model; a subclassed model's name and its layers' configs."""
        try:
            architecture = self.architecture_config()
        except errors.JnetError:  # a subclassed model nested inside
            architecture = None
        if architecture is not None:
            return architecture["config"]
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": [[type(layer).__name__, layer.get_config()] for layer in self.layers],
        }

    # -- variables -------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        """Whether the weights exist, or can be created now (the input shape is known)."""
        return self._has_variables() or self.input_shape is not None

    def _has_variables(self) -> bool:
        return self._variables is not None or self._train_state is not None

    @property
    def variables(self) -> dict[str, Any]:
        """The model's current variables, ``{'params': {...}, 'batch_stats': {...}}``."""
        self._require_built("variables")
        links.pull(self)  # parts owned by a nested model or another model (jnet.models.links)
        if self._train_state is not None:
            return self._train_state.variables
        return self._variables

    def _set_variables(self, variables: dict[str, Any]) -> None:
        self._variables = dict(variables)
        if self._train_state is not None:
            rest = dict(variables)
            self._train_state = self._train_state.replace(
                params=rest.pop("params", {}), model_state=rest
            )
        links.push(self)

    def _keep_model_state(self, model_state: dict[str, Any]) -> None:
        """Keeps the non-trainable collections after ``evaluate``, ``predict`` or an eager
        call (Keras keeps what a layer ``assign``-ed in inference; built-in layers change
        nothing there). Nothing is compared: an empty state is skipped, else stored."""
        if not model_state:
            return
        if self._train_state is not None:
            self._train_state = self._train_state.replace(model_state=dict(model_state))
        else:
            self._variables = {**self._variables, **model_state}
        links.push(self)

    def _require_built(self, what: str) -> None:
        """Creates the weights if the input shape is known, else explains how to give it."""
        if self._has_variables():
            return
        if self.input_shape is not None:
            self.build(self.input_shape)
            return
        if self._build_from_parts():
            return
        raise errors.NotBuiltError(
                f"This model has not been built yet, so {what} does not exist. Give the first "
                f"layer input_shape=(...) (or start with jnet.Input(shape=(...))), call "
                f"model.build(input_shape), or call fit/predict on data first."
            )

    def _build_from_parts(self) -> bool:
        """Takes the variables of a model without ``call`` made of built models (see
        :func:`jnet.models.subclassing.parts_variables`); whether it did."""
        parts = subclassing.parts_variables(self)
        if parts is not None:
            object.__setattr__(self, "_variables", parts)
        return parts is not None

    def init(self, key: jax.Array, x: Any = None) -> dict[str, Any]:
        """Fresh variables from ``key`` (pure; the model's own variables are unchanged).

        Args:
            key: a JAX PRNG key.
            x: a sample batch, needed only when the model does not know its input shape.
        """
        shape = self.input_shape
        if shape is None:
            if x is None:
                self._require_built("init")
            shape = (None, *np.shape(x)[1:])
        return self._init_variables(key, tuple(shape[1:]))

    def _init_variables(self, key, sample_shape):
        raise NotImplementedError

    def apply(self, variables, x, training: bool = False, rng=None, mutable: bool = False):
        """The model as a pure function of its variables.

        Args:
            variables: ``{'params': ..., 'batch_stats': ...}`` as ``init`` returns.
            x: an input batch.
            training: training mode (dropout on, batch statistics from the batch).
            rng: PRNG key for dropout/augmentation when ``training``.
            mutable: also return the updated non-trainable collections, Flax-style.

        Returns:
            ``y``, or ``(y, new_model_state)`` when ``mutable``.
        """
        variables = dict(variables)
        params = variables.pop("params", {})
        y, _, new_state = self.forward(params, variables, x, training=training, rng=rng)
        return (y, new_state) if mutable else y

    def __call__(self, x, training: Any = None, **kwargs: Any):
        if training is not None:
            kwargs["training"] = training
        handled, result = symbolic.intercept(self, (x,), kwargs)
        if handled:
            return result
        training = bool(training)
        x = jnp.asarray(x)
        if self.input_shape is None:
            self.build((None, *x.shape[1:]))
        if self._is_sequential():  # Keras checks a Sequential's input shape
            x = self._checked_call_input(x)
        try:
            y, model_state = self.apply(
                self.variables, x, training=training, rng=jrandom.next_key(), mutable=True
            )
        except flax.errors.ScopeParamShapeError as e:  # a subclassed model: no input spec
            raise errors.JnetValueError(
                f"Model {self.name!r} was built for inputs of shape "
                f"{data_lib.shape_text(self.input_shape)} and called on x of shape "
                f"{data_lib.shape_text(x.shape)}: a weight no longer fits ({e}). Reshape x, "
                f"or build a new model for this input shape."
            ) from None
        if not any(isinstance(v, jax.core.Tracer) for v in jax.tree_util.tree_leaves(x)):
            self._keep_model_state(model_state)  # an eager call updates them, as in Keras
        return y

    def _checked_call_input(self, x: Any) -> Any:
        """``model(x)``'s input checked against the input shape, as ``predict`` checks it
        (Keras's rank adjustment, then the shape): a wrong feature count raises a jnet error
        naming the layer instead of Flax's ``ScopeParamShapeError``, and a wrong rank raises
        instead of running. Only shapes are read: no cost, and traced arrays pass through."""
        shape = self.input_shape
        names = outputs_lib.multi_input_names(self)
        if names is None:
            if not isinstance(shape, tuple) or not hasattr(x, "shape"):
                return x
            layers = self.layers
            sample_shape = tuple(shape[1:])
            x = data_lib.adjust_rank(x, sample_shape)
            data_lib.check_input_shape(x, sample_shape, layers[0].name if layers else self.name)
            return x
        if isinstance(x, list | tuple) and len(x) == len(names):
            items = list(enumerate(x))
        elif isinstance(x, Mapping) and all(n in x for n in names):
            items = [(i, x[n]) for i, n in enumerate(names)]
        else:
            return x
        checked = list(x) if not isinstance(x, Mapping) else dict(x)
        for i, value in items:
            if not hasattr(value, "shape"):
                continue
            sample_shape = tuple(shape[i][1:])
            value = data_lib.adjust_rank(value, sample_shape)
            source = f"x[{i}]" if not isinstance(x, Mapping) else f"x[{names[i]!r}]"
            data_lib.check_input_shape(value, sample_shape, self.name, index=i, source=source)
            checked[i if not isinstance(x, Mapping) else names[i]] = value
        return type(x)(checked) if isinstance(x, tuple) else checked

    def get_weights(self) -> list[np.ndarray]:
        """All weights as numpy arrays, layer by layer in Keras's order and layout."""
        self._require_built("get_weights()")
        variables = self.variables
        return [
            w
            for layer in self.layers
            for w in layer.keras_weights(layer_variables(variables, layer.name))
        ]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Sets all weights from a list in Keras's order (``keras_model.get_weights()``)."""
        self._require_built("set_weights()")
        variables = self.variables
        weights = list(weights)
        expected = sum(
            len(layer.weight_paths(layer_variables(variables, layer.name))) for layer in self.layers
        )
        if len(weights) != expected:
            raise errors.JnetValueError(
                f"set_weights expects a list of {expected} arrays for model {self.name!r}, "
                f"received {len(weights)}."
            )
        new = variables
        for layer in self.layers:
            own = layer_variables(variables, layer.name)
            count = len(layer.weight_paths(own))
            updated = layer.set_keras_weights(own, weights[:count])
            weights = weights[count:]
            new = with_layer_variables(new, layer.name, updated)
        self._set_variables(new)

    def count_params(self) -> int:
        """Number of scalars in all weights, trainable and not."""
        self._require_built("count_params()")
        return int(sum(np.size(v) for v in jax.tree_util.tree_leaves(self.variables)))

    # -- freezing (Keras's ``trainable``) -----------------------------------------------------

    @property
    def trainable(self) -> bool:
        """Whether ``fit`` may update this model's weights. Setting it sets every layer's
        ``trainable`` too, as in Keras; like any change of ``trainable``, it takes effect at
        the next ``compile()``."""
        return getattr(self, "_trainable", True)

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self.layers:
            layer.trainable = value

    @property
    def trainable_weights(self) -> list[np.ndarray]:
        """The weights ``fit`` updates, as numpy arrays in Keras's order."""
        return [w for train, w in self._split_weights() if train]

    @property
    def trainable_variables(self) -> list[Any]:
        """Keras's list of the trainable weights as :class:`jnet.Variable`\\ s, in Keras's
        order (the ``trainable_variables`` a custom ``train_step`` receives); ``assign`` on
        one writes into the model (see :mod:`jnet.models._variable_views`)."""
        return _variable_views.trainable_variables(self)

    @property
    def non_trainable_variables(self) -> list[Any]:
        """The other weights as :class:`jnet.Variable`\\ s (frozen weights, moving
        statistics), in Keras's order; ``assign`` writes into the model."""
        return _variable_views.non_trainable_variables(self)

    @property
    def non_trainable_weights(self) -> list[np.ndarray]:
        """The other weights (frozen layers', moving statistics), in Keras's order."""
        return [w for train, w in self._split_weights() if not train]

    def _split_weights(self, variables: Any = None) -> list[tuple[bool, np.ndarray]]:
        """``(trainable, array)`` for every weight, in Keras's order (``get_weights``)."""
        if variables is None:
            self._require_built("the weights")
            variables = self.variables
        out: list[tuple[bool, np.ndarray]] = []
        for layer in self.layers:
            own = layer_variables(variables, layer.name)
            if isinstance(layer, Model):  # a nested model: its variables nest under its name
                out += [(self.trainable and t, w) for t, w in layer._split_weights(own)]
                continue
            train = self.trainable and layer.trainable
            out += [
                (train and path[0] == "params", np.asarray(_get_path(own, path)))
                for path in layer.weight_paths(own)
            ]
        return out

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs) -> None:
        """Prints Keras's summary table of a subclassed model's layers (as Keras, a plain
        list of the layers with the output shape of their first call)."""
        subclassing.summary(self, print_fn, line_length, positions)

    def get_layer(self, name: str | None = None, index: int | None = None):
        """A layer by name or by index."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise errors.JnetValueError(
            f"No such layer: {name!r}. Existing layers are: {[lay.name for lay in self.layers]}."
        )

    # -- saving (see jnet.saving) ------------------------------------------------------------

    def architecture_config(self) -> dict[str, Any] | None:
        """The architecture a file holds, ``{'class_name', 'config'}``; None here: a subclassed
        model's architecture is its Python code (``Sequential`` and functional models have
        one, see :mod:`jnet.models._architecture`)."""
        return None

    def to_json(self, **kwargs: Any) -> str:
        """The architecture as a JSON string (no weights, no compile settings), as Keras.

        Args:
            **kwargs: passed to ``json.dumps`` (``indent=2``, ...).

        Returns:
            A string that :func:`jnet.models.model_from_json` turns back into a model.

        Example:
            >>> import jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(2, input_shape=(3,))])
            >>> jnet.models.model_from_json(model.to_json()).output_shape
            (None, 2)
        """
        return json.dumps(saving.serialize_keras_object(self), **kwargs)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], custom_objects: Any = None) -> Any:
        """A model, with new weights, from ``get_config()``'s architecture (Keras's).

        A functional config (``layers``, ``input_layers``, ``output_layers``) gives a functional
        model, one with a ``layers`` list a ``Sequential``; both jnet's and Keras's configs are
        read. A subclass of ``Model`` with its own ``get_config()`` is built as
        ``cls(**config)``.

        Args:
            config: the architecture.
            custom_objects: ``{name: object}`` for unregistered classes and functions.

        Returns:
            The model.

        Example:
            >>> import jnet
            >>> x = jnet.Input(shape=(3,))
            >>> model = jnet.Model(x, jnet.layers.Dense(2)(x))
            >>> jnet.Model.from_config(model.get_config()).output_shape
            (None, 2)
        """
        if not isinstance(config, Mapping):
            raise errors.JnetTypeError(
                f"from_config takes a config dict, received {errors.describe(config)}."
            )
        architecture = "layers" in config or ("class_name" in config and "config" in config)
        if hasattr(cls, "from_architecture") or (cls is Model and architecture):
            target = cls if hasattr(cls, "from_architecture") else None
            return model_from_config(config, custom_objects, cls=target)
        with saving.custom_object_scope(all_custom_objects(custom_objects)):
            try:
                return cls(**config)
            except TypeError as e:
                raise errors.JnetTypeError(
                    f"Unable to revive {cls.__name__} from its config ({e}). Make get_config() "
                    f"return the constructor's arguments, or define a from_config(cls, config) "
                    f"class method."
                ) from None

    def save(
        self, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any
    ) -> None:
        """Saves the model to a '.jnet' file (architecture, weights, optimizer state, compile
        config) or a Keras 3 '.keras' archive that Keras loads (see
        :func:`jnet.saving.save_model`)."""
        saving.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def export(
        self,
        filepath: Any,
        format: str = "jax",  # noqa: A002 - Keras's argument name
        verbose: bool | None = None,
        input_signature: Any = None,
        **kwargs: Any,
    ) -> None:
        """Exports the inference function, weights included, for serving without this code.

        ``format='jax'`` (default) writes a ``jax.export`` file run by ``jnet.export.load``;
        ``'tf_saved_model'`` a TensorFlow SavedModel (see ``jnet.export.export_model``).
        """
        export_model(self, filepath, format, verbose, input_signature, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Saves the weights to '.weights.safetensors' (jnet) or '.weights.h5' (Keras 3)."""
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Loads weights from '.weights.safetensors', '.weights.h5' (Keras 3), '.jnet', or a
        Keras 2 legacy '.h5' (``by_name=True`` matches its layers by name, as Keras)."""
        unknown = set(kwargs) - {"by_name"}
        if unknown:
            raise errors.unknown_arguments("load_weights()", unknown, ["by_name"])
        saving.load_weights(
            self, filepath, skip_mismatch=skip_mismatch, by_name=kwargs.get("by_name", False)
        )

    # -- compile ---------------------------------------------------------------------------

    def compile(
        self,
        optimizer: _typing.OptimizerArgument = "rmsprop",
        loss: _typing.LossArgument = None,
        loss_weights: float | Sequence[float] | Mapping[str, float] | None = None,
        metrics: _typing.MetricsArgument = None,
        weighted_metrics: _typing.MetricsArgument = None,
        run_eagerly: bool = False,
        steps_per_execution: int | str = "auto",
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
    ) -> None:
        """Configures the model for training, with Keras's arguments.

        A class that overrides ``train_step`` may compile without a loss, as in Keras.

        Args:
            optimizer: name (``'adam'``), :class:`jnet.optimizers.Optimizer`, or optax
                transformation. Default ``'rmsprop'`` as in Keras.
            loss: name, :class:`jnet.losses.Loss`, or callable ``(y_true, y_pred)``; for
                several outputs, a list or a dict by output name.
            metrics: list of names (``'accuracy'`` resolved by shape), metric objects or
                callables; for several outputs, a list or a dict by output name.
            steps_per_execution: training steps per device dispatch. ``'auto'`` (jnet's default,
                Keras's is 1) runs a whole epoch per dispatch unless a callback needs batch
                logs. Any value gives the same numbers; only speed changes.
            loss_weights: factors for the losses (the weighted sum is trained and reported as
                ``'loss'``): a list or a dict by output name for several outputs, one number
                (or a one-entry list or dict) for one output, as Keras 3.
            auto_scale_loss: under the ``'mixed_float16'`` policy (the model's), wrap the
                optimizer in a :class:`jnet.optimizers.LossScaleOptimizer`, as Keras does.
            weighted_metrics, run_eagerly, jit_compile: accepted for Keras compatibility;
                jnet always compiles.

        Example:
            >>> import jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            >>> model.metrics_names
            ['loss', 'mae']
        """
        if loss is None and "train_step" not in custom_step.overrides(self, Model):
            raise errors.JnetValueError(
                "compile() needs a loss, e.g. loss='mean_squared_error' or "
                "loss='sparse_categorical_crossentropy'."
            )
        if optimizer is None:
            raise errors.JnetValueError(
                "compile() needs an optimizer, received optimizer=None: e.g. optimizer='adam' "
                "(Keras's default is 'rmsprop')."
            )
        if metrics is not None and (
            isinstance(metrics, str) or not isinstance(metrics, Sequence | Mapping)
        ):
            raise errors.JnetTypeError(
                f"metrics must be a list, received {metrics!r}. Write metrics=[{metrics!r}]."
            )
        if weighted_metrics:
            raise errors.JnetValueError("weighted_metrics is not supported yet by jnet.")
        if isinstance(steps_per_execution, np.integer):
            steps_per_execution = int(steps_per_execution)
        if not (steps_per_execution == "auto" or (
            isinstance(steps_per_execution, int) and not isinstance(steps_per_execution, bool)
            and steps_per_execution >= 1
        )):
            raise errors.JnetValueError(
                f"steps_per_execution must be a positive integer or 'auto', received "
                f"{steps_per_execution!r}."
            )
        if self._train_state is not None:  # keep the trained weights, drop the optimizer state
            self._variables = self._train_state.variables
        self.optimizer = optimizers_module.get(optimizer)
        if auto_scale_loss and self.dtype_policy.name == "mixed_float16" and not isinstance(
            self.optimizer, optimizers_module.LossScaleOptimizer
        ):  # as Keras: float16 training scales its loss
            self.optimizer = optimizers_module.LossScaleOptimizer(
                self.optimizer, name="loss_scale_optimizer"
            )
        optimizers_module.link_state(self.optimizer, *self._optimizer_state_link())
        self.loss = loss
        self._loss_weights = loss_weights
        self._metrics_argument = metrics
        names = outputs_lib.multi_output_names(self)
        if names is not None:  # several outputs: losses, weights and metrics per output
            self._compiled_outputs = outputs_lib.compile_outputs(
                loss, loss_weights, metrics, names
            )
            self._loss_obj = self._compiled_outputs
            self._metric_objs = [m.metric for m in self._compiled_outputs.metrics]
            self._loss_weight = None  # in the compiled outputs
        else:
            self._compiled_outputs = None
            self._loss_weight = outputs_lib.single_output_loss_weight(loss_weights)
            self._loss_obj = (
                None if loss is None else losses_module.resolve(outputs_lib.sole_entry(loss))
            )
            self._metric_objs = [
                metrics_module.resolve(m)
                for m in outputs_lib.single_output_metrics(metrics, self._sole_output_name())
            ]
        self._steps_per_execution = steps_per_execution
        self._loss_tracker = metrics_module.Mean(name="loss")  # Keras's model.metrics[0]
        compiled = self._compile_metrics_count()
        self._compile_metrics = (
            custom_step.CompileMetrics(lambda: self._state().spec) if compiled else None
        )
        self._spec = None
        self._train_state = None
        self.compiled = True

    def _sole_output_name(self) -> str | None:
        """The name of a one-output model's output (its last layer's, as Keras names it), or
        None where it is not known (a subclassed model)."""
        names = getattr(self, "output_names", None)
        if isinstance(names, list | tuple) and len(names) == 1:
            return str(names[0])
        if self._is_sequential() and self.layers:
            return self.layers[-1].name
        return None

    def _is_sequential(self) -> bool:
        """Whether this is a ``Sequential`` (or a subclass): named, as models/ imports
        sequential.py and not the other way."""
        return any(c.__name__ == "Sequential" for c in type(self).__mro__)

    def _optimizer_state_link(self) -> tuple[Any, Any]:
        """``(read, write)`` of the live optimizer state, for ``optimizer.variables`` and
        ``optimizer.iterations`` outside a step (:func:`jnet.optimizers.link_state`)."""
        ref = weakref.ref(self)

        def read():
            model = ref()
            state = None if model is None else model._train_state
            if state is None:
                return None
            paths = [p for p in model.weight_paths(state.variables) if p[0] == "params"]
            return state.opt_state, paths

        def write(opt_state):
            model = ref()
            if model is not None and model._train_state is not None:
                model._train_state = model._train_state.replace(opt_state=opt_state)

        return read, write

    @property
    def metrics_names(self) -> list[str]:
        if not self.compiled:
            return []
        if self._compiled_outputs is not None:
            return list(self._compiled_outputs.log_order)
        return ["loss", *(m.name for m in self._metric_objs)]

    def _check_step_hooks(self, call: str) -> tuple[str, ...]:
        """The step hooks this class overrides (run by fit/evaluate/predict, never ignored);
        a step jnet cannot run is refused here (:func:`jnet.training.custom_step.check`)."""
        return custom_step.check(self, Model, call)

    def _compile_metrics_count(self) -> int:
        if self._compiled_outputs is not None:
            return len(self._compiled_outputs.metrics) + len(self._compiled_outputs.loss_keys)
        return len(self._metric_objs)

    def _require_compiled(self, call: str) -> None:
        if not self.compiled:
            raise errors.NotCompiledError(
                f"You must call compile() before {call}(): e.g. model.compile("
                f"optimizer='adam', loss='mse')."
            )

    def _state(self) -> TrainState:
        """The live training state, created on first use after ``compile``."""
        links.pull(self)
        if self._train_state is None:
            self._require_built("the weights")
            if self._spec is None:
                custom = custom_step.overrides(self, Model)
                spec_class = custom_step.CustomStepSpec if custom else StepSpec
                self._spec = spec_class.for_model(
                    self, self.optimizer, self._loss_obj, self._metric_objs,
                    loss_weight=getattr(self, "_loss_weight", None),
                )
            variables = self._variables
            self._train_state = TrainState.from_variables(
                self._spec, variables, jrandom.next_key()
            )
        return self._train_state

    @property
    def train_state(self) -> TrainState | None:
        """The live :class:`jnet.training.TrainState` (weights, optimizer state, metric
        accumulators, step count), or None before the first ``fit``/``evaluate`` since
        ``compile``.

        This is how callbacks reach the training state (Keras's ``jax_state_sync``): during
        ``fit`` it is read after every callback hook and replaced after every device dispatch,
        so a callback may assign a changed state (``state.replace(opt_state=...)``: a new
        learning rate, restored weights) and the next steps use it.
        """
        return self._train_state

    @train_state.setter
    def train_state(self, state: TrainState | None) -> None:
        self._train_state = state

    #: Set by a callback in ``on_train_begin`` to make the starting ``fit`` continue at this
    #: epoch instead of its ``initial_epoch`` (``BackupAndRestore``, after restoring a
    #: checkpoint); ``fit`` resets it to None when it starts.
    resume_epoch: int | None = None

    def _input_spec(self, targets: bool = True) -> inputs.InputSpec:
        """What the input checks (:mod:`jnet.training.inputs`) and the data adapters need to
        know of this model; ``targets``: with the compiled losses and output shapes. A model
        without weights gives a spec whose ``build`` hook builds it from the first data."""
        spec = inputs.InputSpec(
            input_names=outputs_lib.multi_input_names(self),
            input_shapes=self.input_shape,
            model_name=self.name,
            outputs=self._compiled_outputs if targets else None,
            loss=self._loss_obj if targets and self._compiled_outputs is None else None,
            metrics=tuple(getattr(self, "_metric_objs", ()))
            if targets and self._compiled_outputs is None
            else (),
            built=self.built,
        )
        if self._has_variables() and self.input_shape is not None:
            return self._built_input_spec(spec, targets)
        return dataclasses.replace(
            spec, build=lambda shape: self._build_for_inputs(spec, targets, shape)
        )

    def _build_for_inputs(
        self, spec: inputs.InputSpec, targets: bool, input_shape: tuple | None
    ) -> inputs.InputSpec:
        """The ``build`` hook of an input spec: builds the model for inputs of
        ``input_shape`` (the first data's) unless it knows its own, and creates the weights."""
        if self.input_shape is None and input_shape is not None and not (
            self._has_variables() or self._build_from_parts()
        ):
            self.build(input_shape)
        self._require_built("the weights")
        return self._built_input_spec(spec, targets)

    def _built_input_spec(self, spec: inputs.InputSpec, targets: bool) -> inputs.InputSpec:
        layers = self.layers
        first = layers[0] if layers else None
        embedding = None
        if type(first).__name__ == "Embedding":
            embedding = (first.name, int(first.input_dim))
        return dataclasses.replace(
            spec,
            input_shapes=self.input_shape,
            layer_name=first.name if first is not None else self.name,
            embedding=embedding,
            output_shape=self.output_shape if targets else None,
            built=True,
            build=None,
        )

    # -- fit / evaluate / predict ----------------------------------------------------------

    def fit(
        self,
        x: _typing.ArrayLike = None,
        y: _typing.ArrayLike = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: int | str = "auto",
        callbacks: Sequence[Any] | None = None,
        validation_split: float = 0.0,
        validation_data: tuple[_typing.ArrayLike, ...] | _typing.ArrayLike = None,
        shuffle: bool | str = True,
        class_weight: Mapping[int, float] | None = None,
        sample_weight: _typing.ArrayLike | None = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int | Sequence[int] = 1,
    ) -> History:
        """Trains the model for a fixed number of epochs, as Keras's ``fit``.

        Arrays over 512 MB and memmaps are streamed to the device a chunk at a time. The
        epoch loss is the sample-weighted mean of the batch losses, as in Keras.

        Args:
            x: the inputs: an array (numpy, JAX, ``np.memmap``), a list or dict of arrays for
                several inputs, or a source of ``(x, y[, sample_weight])`` batches: a
                generator or iterable, a :class:`jnet.utils.PyDataset`, or a
                ``tf.data.Dataset`` (then ``y`` stays None).
            y: the targets, like ``x`` (None when ``x`` yields batches).
            batch_size: samples per gradient step. Defaults to 32; not for batch sources.
            epochs: the epoch to train up to (from ``initial_epoch``). Defaults to 1.
            verbose: ``'auto'`` (1), 0 (silent), 1 (progress bar), 2 (one line per epoch),
                ``True`` (1), ``False`` or ``None`` (0).
            callbacks: :class:`jnet.callbacks.Callback` objects called during training.
            validation_split: the fraction of the arrays, taken from their end before
                shuffling, held out to validate after each epoch. Defaults to 0.
            validation_data: ``(x_val, y_val[, sample_weight_val])`` or a batch source,
                evaluated at the end of each epoch.
            shuffle: True (shuffle the samples each epoch), False, or ``'batch'`` (rows
                shuffled within each batch). Defaults to True.
            class_weight: ``{class index: weight}`` scaling the loss of each sample by
                its class.
            sample_weight: an array of per-sample (or per-timestep) loss weights.
            initial_epoch: the epoch to start from (to resume a run). Defaults to 0.
            steps_per_epoch: batches per epoch; needed for an endless batch source.
            validation_steps: batches of ``validation_data`` per validation.
            validation_batch_size: the validation batch size. Defaults to ``batch_size``.
            validation_freq: validate every n epochs (an integer), or at the listed
                (1-based) epochs. Defaults to 1.

        Returns:
            A :class:`History`: ``history.history`` maps each loss and metric name (and
            ``val_`` ones) to its value per epoch.

        Example:
            >>> import numpy as np, jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> x = np.arange(8.0).reshape(8, 1)
            >>> history = model.fit(x, 2 * x - 1, epochs=3, batch_size=4, verbose=0)
            >>> sorted(history.history), len(history.history["loss"])
            (['loss'], 3)
        """
        self._require_compiled("fit")
        hooks = self._check_step_hooks("fit")
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        epochs = data_lib.non_negative_int("epochs", epochs)
        initial_epoch = data_lib.non_negative_int("initial_epoch", initial_epoch)
        shuffle = data_lib.shuffle_mode(shuffle)
        steps_per_epoch = data_lib.positive_int(
            "steps_per_epoch", steps_per_epoch, allow_none=True
        )
        epochs, steps_per_epoch = runner.debug_caps(epochs, steps_per_epoch)
        validation_freq = data_lib.validation_frequency(validation_freq)
        verbose = runner.verbosity(verbose)
        val_batch_size = data_lib.positive_int(
            "validation_batch_size", validation_batch_size, allow_none=True
        ) or batch_size
        validation_steps = data_lib.positive_int(
            "validation_steps", validation_steps, allow_none=True
        )
        train = self._adapt(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch, shuffle=shuffle,
            class_weight=class_weight, targets=_targets(hooks, "train_step"),
        )
        val = None
        if validation_data is not None:
            val = self._adapt(
                *adapters.unpack_validation(validation_data), batch_size=val_batch_size,
                steps=validation_steps, steps_argument="validation_steps",
                targets=_targets(hooks, "test_step"),
            )
        elif validation_split:
            if not isinstance(train, adapters.ArrayAdapter):
                raise errors.JnetValueError(
                    f"validation_split is only supported for arrays, but x is a {train.kind}. "
                    f"Pass validation_data instead."
                )
            train, val = train.split(validation_split, val_batch_size, validation_steps)

        self._state()
        shuffle_rng = jrandom.numpy_generator()
        cbs = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": epochs, "steps": train.num_batches},
        )
        self.stop_training = False
        self._in_fit = True
        # Besides the train state, BackupAndRestore saves/restores the shuffle generator and
        # sets resume_epoch.
        self._shuffle_rng = shuffle_rng
        self.resume_epoch = None
        try:
            runner.fit(
                self, train, val, cbs, epochs=epochs, initial_epoch=initial_epoch,
                validation_freq=validation_freq, steps_per_execution=self._steps_per_execution,
                shuffle_rng=shuffle_rng,
                describe=lambda: runner.describe_training(
                    self.layers, self.optimizer, self._loss_obj, self.metrics_names
                ),
            )
        finally:
            self._in_fit = False
            self._shuffle_rng = None
            links.push(self)  # a nested model's (or another model's layers') trained weights
        self.history = cbs.history
        return cbs.history

    def _adapt(
        self, x, y=None, sample_weight=None, *, batch_size, steps=None, shuffle=False,
        class_weight=None, targets: bool | str = True, steps_argument="steps_per_epoch",
    ) -> adapters.ArrayAdapter | adapters.BatchAdapter:
        """The data adapter for what was passed to fit/evaluate/predict (see
        :mod:`jnet.training.data_adapters`), checked against this model's input spec."""
        return adapters.get_data_adapter(
            x, y, sample_weight, spec=self._input_spec(targets), batch_size=batch_size,
            steps=steps, shuffle=shuffle, class_weight=class_weight, targets=targets,
            steps_argument=steps_argument,
        )

    def evaluate(
        self,
        x: _typing.ArrayLike = None,
        y: _typing.ArrayLike = None,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        sample_weight: _typing.ArrayLike | None = None,
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
        return_dict: bool = False,
    ) -> float | list[float] | dict[str, float]:
        """Returns the loss and metrics in inference mode, as Keras's ``evaluate``.

        Args:
            x: the inputs, in any form :meth:`fit` takes.
            y: the targets (None when ``x`` yields batches).
            batch_size: samples per batch. Defaults to 32; not for batch sources.
            verbose: ``'auto'`` (1), 0 (silent) or 1 (progress bar).
            sample_weight: an array of per-sample loss weights.
            steps: batches to evaluate (all of them by default; needed for an endless
                source).
            callbacks: :class:`jnet.callbacks.Callback` objects called during evaluation.
            return_dict: True returns ``{name: value}``.

        Returns:
            The loss (a float) when there are no metrics, else ``[loss, *metrics]``; a dict
            ``{name: value}`` with ``return_dict=True``.

        Example:
            >>> import numpy as np, jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(1, input_shape=(1,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> loss, mae = model.evaluate(np.ones((4, 1)), np.ones((4, 1)), verbose=0)
            >>> model.evaluate(np.ones((4, 1)), np.ones((4, 1)), verbose=0, return_dict=True)
            {'loss': ..., 'mae': ...}
        """
        self._require_compiled("evaluate")
        hooks = self._check_step_hooks("evaluate")
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        steps = data_lib.positive_int("steps", steps, allow_none=True)
        verbose = runner.verbosity(verbose)
        data = self._adapt(
            x, y, sample_weight, batch_size=batch_size, steps=steps, steps_argument="steps",
            targets=_targets(hooks, "test_step"),
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": 1, "steps": data.num_batches},
        )
        logs, state = runner.evaluate(self._state(), data, cbs, self._steps_per_execution)
        self._keep_model_state(state.model_state)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    def predict(
        self,
        x: _typing.ArrayLike,
        batch_size: int | None = None,
        verbose: int | str = "auto",
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
    ) -> np.ndarray:
        """Returns the model's outputs on ``x`` in inference mode, as Keras's ``predict``.

        Args:
            x: the inputs: an array, a list or dict of arrays for several inputs, or a
                source of batches (as :meth:`fit` takes).
            batch_size: samples per batch. Defaults to 32; not for batch sources.
            verbose: ``'auto'`` (1), 0 (silent) or 1 (progress bar).
            steps: batches to predict (all of them by default; needed for an endless
                source).
            callbacks: :class:`jnet.callbacks.Callback` objects called during prediction.

        Returns:
            A numpy array (a list or dict of them for several outputs), one row per sample.

        Example:
            >>> import numpy as np, jnet
            >>> model = jnet.Sequential([jnet.layers.Dense(3, input_shape=(2,))])
            >>> model.predict(np.ones((5, 2)), batch_size=2, verbose=0).shape
            (5, 3)
        """
        hooks = self._check_step_hooks("predict")
        batch_size = data_lib.positive_int("batch_size", batch_size, allow_none=True) or 32
        steps = data_lib.positive_int("steps", steps, allow_none=True)
        verbose = runner.verbosity(verbose)
        data = self._adapt(
            x, batch_size=batch_size, steps=steps, targets=False, steps_argument="steps"
        )
        cbs = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            params={"verbose": verbose, "epochs": 1, "steps": data.num_batches},
        )
        # placed on the distribution's mesh (per its layout map), if one is set
        variables = loop.distribute(self.variables, self.variable_path_prefix)
        forward = self.forward
        if "predict_step" in hooks:
            forward = custom_step.predict_forward(self)
        outputs, model_state = runner.predict(
            forward, variables, data, cbs, self._steps_per_execution
        )
        self._keep_model_state(model_state)
        if isinstance(outputs, dict):  # the order the outputs were given in, as Keras returns
            struct = getattr(self, "_outputs_struct", None)
            order = list(struct) if isinstance(struct, dict) else list(outputs)
            outputs = {key: outputs[key] for key in order if key in outputs}
        return outputs

    def predict_on_batch(self, x: Any) -> np.ndarray:
        """Predictions for one batch."""
        if outputs_lib.multi_input_names(self) is not None:
            leaves = inputs.named_leaves(x=x)
            rows = int(np.shape(next(iter(leaves.values())))[0]) if leaves else 1
            return self.predict(x, batch_size=max(rows, 1), verbose=0)
        x = data_lib.to_array(x, "x", convert=False)
        return self.predict(x, batch_size=max(len(x), 1), verbose=0)


def _policy_argument(dtype: Any, owner: str) -> Any:
    """A model's ``dtype=`` as a policy (None: the global one)."""
    try:
        return dtype_policies.get(dtype)
    except errors.JnetError as e:
        raise type(e)(f"{owner}(dtype=...): {e}") from None


def _targets(hooks: tuple[str, ...], step: str) -> bool | str:
    """Whether fit/evaluate's data must carry ``y``: optional when the model's own ``step``
    reads the batch (Keras's GAN and VAE examples call ``fit(x)``)."""
    return adapters.OPTIONAL if step in hooks else True
