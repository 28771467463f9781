"""The Keras-style optimizer objects: :class:`Optimizer` and :class:`OptaxOptimizer`."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import jax
import numpy as np
import optax

from jnet import errors
from jnet.optimizers import _build_variables, _live, _stateful, schedules
from jnet.optimizers._checks import (
    LearningRate,
    _check_clipping,
    _check_learning_rate,
    _check_loss_scale_factor,
    _check_non_negative,
    _check_range,
)
from jnet.variables import Variable

__all__ = ["OptaxOptimizer", "Optimizer"]


def _snake_case(name: str) -> str:
    """Keras's ``to_snake_case`` (the default optimizer names: 'adam', 'rm_sprop', ...)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _keras_slot(state: Any, index: int) -> Any:
    """Slot ``index`` of a Keras-style optimizer's state (its slots: a tuple in the order of
    ``add_variable``), or None."""
    slots = getattr(state, "slots", None)
    if isinstance(slots, tuple) and index < len(slots) and not hasattr(slots, "_fields"):
        return slots[index]
    return None


class Optimizer:
    """Base class of jnet's optimizers: Keras's arguments, an optax transformation inside.

    An optimizer is a description (hyperparameters); :meth:`build` turns it into an
    ``optax.GradientTransformation`` whose state (:class:`OptimizerState`) carries
    ``iterations`` and the learning rate. Subclasses implement :meth:`build` (and extend
    :meth:`get_config`), or follow Keras's contract: ``build(var_list)`` creating slots with
    :meth:`add_variable_from_reference` / :meth:`add_variable` (after
    ``super().build(var_list)``), and ``update_step(gradient, variable, learning_rate)``
    updating them with :meth:`assign` / ``variable.assign``. jnet compiles the latter into
    the same kind of transformation (:mod:`jnet.optimizers._stateful`), whose slots are the
    slot variables' values.

    Args:
        learning_rate: a float >= 0, or a schedule ``step -> learning rate`` evaluated at the
            step count before each update (the first step uses ``schedule(0)``).
        weight_decay: decoupled weight decay ``w - w * weight_decay * lr``, or None.
        clipnorm: clip each gradient tensor to this L2 norm, or None.
        clipvalue: clip gradient elements to ``[-clipvalue, clipvalue]``, or None.
        global_clipnorm: clip the gradients to this global L2 norm, or None.
        use_ema: must be False (EMA of the weights is not supported yet).
        ema_momentum: accepted for Keras compatibility; unused while ``use_ema`` is False.
        ema_overwrite_frequency: accepted for Keras compatibility; must be None.
        loss_scale_factor: divide the gradients by this before clipping, or None.
        gradient_accumulation_steps: must be None (not supported yet).
        name: the optimizer's name; defaults to the snake-cased class name, as in Keras
            (without Keras's ``_1``, ``_2`` uniquifying suffixes).
        **kwargs: Keras's deprecated ``decay`` is accepted with a warning and ignored;
            anything else raises.

    Example:
        >>> import jax.numpy as jnp
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.SGD(learning_rate=0.1)
        >>> tx = opt.build()
        >>> state = tx.init(jnp.zeros(2))
        >>> updates, state = tx.update(jnp.ones(2), state)
        >>> updates.tolist()
        [-0.10000000149011612, -0.10000000149011612]
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if ("update_step" in cls.__dict__ and build is not None
                and not hasattr(build, "_jnet_keras_build")):
            cls.build = _stateful.build_taking_variables(build)
        elif (build is not None and not hasattr(build, "_jnet_keras_build")
              and not hasattr(build, "_jnet_var_list_build")
              and not _build_variables.takes_var_list(build)):
            cls.build = _build_variables.build_answering_var_list(build)

    def __init__(
        self,
        learning_rate: LearningRate,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn(
                "Argument `decay` is no longer supported and will be ignored.", stacklevel=2
            )
        if kwargs:
            hint = (" Keras 3 (and jnet) name it learning_rate: write learning_rate=... instead "
                    "of tf.keras's old lr=..." if "lr" in kwargs else "")
            raise errors.JnetValueError(
                f"Argument(s) not recognized by {type(self).__name__}: {sorted(kwargs)}.{hint}"
            )
        if name is None:
            name = _snake_case(type(self).__name__)
        if not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string or None; received {errors.describe(name)}."
            )
        self.name = name
        self._learning_rate = _check_learning_rate(learning_rate)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay, allow_none=True)
        self.clipnorm, self.clipvalue, self.global_clipnorm = _check_clipping(
            clipnorm, clipvalue, global_clipnorm
        )
        if use_ema:
            raise errors.JnetValueError(
                "use_ema=True is not supported by jnet yet; received use_ema=True. Leave it "
                "False (the default)."
            )
        if ema_overwrite_frequency is not None:
            raise errors.JnetValueError(
                f"ema_overwrite_frequency is only meaningful with use_ema=True, which jnet does "
                f"not support yet; received ema_overwrite_frequency={ema_overwrite_frequency!r}."
            )
        if gradient_accumulation_steps is not None:
            raise errors.JnetValueError(
                f"gradient_accumulation_steps is not supported by jnet yet; received "
                f"gradient_accumulation_steps={gradient_accumulation_steps!r}. Leave it None "
                f"(or wrap the transformation in optax.MultiSteps)."
            )
        self.use_ema = False
        self.ema_momentum = _check_range("ema_momentum", ema_momentum, 0.0, 1.0)
        self.ema_overwrite_frequency = None
        self.loss_scale_factor = _check_loss_scale_factor(loss_scale_factor)
        self.gradient_accumulation_steps = None
        self.built = False
        self._variables: list[Variable] = []
        self._trainable_variables_indices: dict[int, int] = {}
        self._iterations: Variable | None = None
        self._built_for: Any = None  # Keras-style: the parameters' structure it was built for

    @property
    def learning_rate(self) -> LearningRate:
        """The configured learning rate: a float or a schedule.

        Setting it affects the next :meth:`build`. To change the learning rate of a running
        optimizer state, use :func:`set_learning_rate` on the state. As in Keras, a
        schedule cannot be replaced by a float.
        """
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: LearningRate) -> None:
        value = _check_learning_rate(value)
        if callable(self._learning_rate) and not callable(value):
            raise errors.JnetTypeError(
                "This optimizer was created with a learning-rate schedule, hence its learning "
                "rate is not settable to a float. Create the optimizer with a float "
                "`learning_rate` if you need to set it."
            )
        self._learning_rate = value

    def _extras(self) -> dict[str, Any]:
        """The base-class options, as keyword arguments of :func:`keras_transformation`."""
        return {
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
            "loss_scale_factor": self.loss_scale_factor,
        }

    def build(self, var_list: list[Variable] | None = None) -> Any:
        """Returns the optax transformation that applies this optimizer; with ``var_list``,
        Keras's base ``build`` (what a Keras-style subclass's ``build`` calls first).

        Args:
            var_list: None (jnet's call) or the model variables (Keras's call, made by jnet
                with one stand-in Variable per parameter, once).

        Returns:
            With no ``var_list``: an ``optax.GradientTransformation``; ``init(params)`` gives
            an :class:`OptimizerState` and ``update(grads, state, params)`` gives updates for
            ``optax.apply_updates``. With ``var_list``: None.
        """
        if var_list is not None:
            self._check_super_called()
            for i, variable in enumerate(var_list):
                self._trainable_variables_indices[self._var_key(variable)] = i
            self.built = True
            return None
        if type(self).update_step is not Optimizer.update_step:
            self._check_super_called()
            return _stateful.keras_style_transformation(self)
        raise NotImplementedError(
            f"{type(self).__name__} must implement build() -> optax.GradientTransformation, "
            "or Keras's build(var_list) and update_step(gradient, variable, learning_rate)."
        )

    # Keras's contract for optimizers written with build(var_list) and update_step ----------

    def update_step(self, gradient: Any, variable: Variable, learning_rate: Any) -> None:
        """Updates one model ``variable`` from its ``gradient`` (Keras's hook; override it
        together with ``build(var_list)``). Runs inside the compiled step: assign with
        :meth:`assign`/:meth:`assign_add`/:meth:`assign_sub` or ``variable.assign``."""
        raise NotImplementedError(
            f"{type(self).__name__} does not implement update_step(gradient, variable, "
            "learning_rate)."
        )

    def _check_super_called(self) -> None:
        if "_variables" not in self.__dict__:
            raise errors.JnetValueError(
                f"{type(self).__name__}: you forgot to call `super().__init__()` in the "
                "`__init__()` method of your Optimizer subclass. Go add it!"
            )

    @property
    def variables(self) -> list[Variable]:
        """Keras's ``optimizer.variables``: ``iterations``, the learning rate (unless a
        schedule gives it), then the slots: those made by :meth:`add_variable` (in order of
        creation), or a built-in optimizer's, each trainable weight's in Keras's order. In a
        compiled model they show the live training state (see
        :mod:`jnet.optimizers._live`)."""
        if "_variables" not in self.__dict__:
            return []
        if self.__dict__.get("_jnet_optax_leaves"):
            # built by build(var_list) (_build_variables): the optax state's leaves, the flat
            # list stateless_apply unflattens (its own step count comes first where it has one)
            return list(self._variables)
        out = [self.iterations]
        if not callable(self._learning_rate):
            out.append(self._learning_rate_variable())
        slots = list(self._variables) or _live.slot_variables(self)
        return out + slots

    def _learning_rate_variable(self) -> Variable:
        variable = self.__dict__.get("_jnet_learning_rate_variable")
        if variable is None:
            with jax.ensure_compile_time_eval():
                variable = Variable(np.float32(self._learning_rate), trainable=False,
                                    name="learning_rate")
            variable.bind_source(_live.StateLeaf(self, _live.learning_rate_leaf))
            self.__dict__["_jnet_learning_rate_variable"] = variable
        return variable

    @property
    def iterations(self) -> Variable:
        """The step count (int32 Variable): inside ``update_step``, the steps done before
        this one, as Keras's ``optimizer.iterations``."""
        self._check_super_called()
        if self._iterations is None:
            with jax.ensure_compile_time_eval():  # first read may be inside the compiled step
                self._iterations = Variable(np.zeros((), "int32"), trainable=False,
                                            aggregation="only_first_replica", name="iteration")
            # outside a step, the count of the model's live state (jnet.optimizers._live)
            self._iterations.bind_source(_live.StateLeaf(self, _live.iterations_leaf))
        return self._iterations

    def _var_key(self, variable: Variable) -> int:
        return id(variable)

    def _get_variable_index(self, variable: Variable) -> int:
        """The position of a model variable in the ``var_list`` given to :meth:`build`."""
        try:
            return self._trainable_variables_indices[self._var_key(variable)]
        except KeyError:
            raise errors.JnetValueError(
                f"Unknown variable: {variable!r}. This optimizer can only be called for the "
                "variables it was built with: call `super().build(var_list)` first in build()."
            ) from None

    def add_variable(self, shape: Any, initializer: Any = "zeros", dtype: Any = None,
                     aggregation: str = "none", layout: Any = None,
                     name: str | None = None) -> Variable:
        """Creates an optimizer slot variable (Keras's ``Optimizer.add_variable``).

        Args:
            shape: the shape (a tuple of ints).
            initializer: an initializer, its name or a callable. Defaults to ``'zeros'``.
            dtype: the dtype. Defaults to None: ``floatx()``.
            aggregation: ``'none'`` (default), ``'mean'``, ``'sum'``,
                ``'only_first_replica'``.
            layout: kept for Keras compatibility. Defaults to None.
            name: the variable's name. Defaults to None.

        Returns:
            The non-trainable :class:`jnet.Variable`, tracked in :attr:`variables`.

        Example:
            >>> class Plain(Optimizer):
            ...     def build(self, var_list):
            ...         super().build(var_list)
            ...         self.count = self.add_variable((), name="count")
            ...     def update_step(self, gradient, variable, learning_rate):
            ...         self.assign_sub(variable, gradient * learning_rate)
            >>> opt = Plain(learning_rate=0.1)
            >>> opt.build([Variable(np.zeros(2))])
            >>> [v.name for v in opt.variables]  # Keras's: iterations, learning rate, slots
            ['iteration', 'learning_rate', 'count']
        """
        self._check_super_called()
        variable = Variable(initializer, shape=shape, dtype=dtype, trainable=False,
                            aggregation=aggregation, layout=layout, name=name)
        index = len(self._variables)
        variable.bind_source(_live.StateLeaf(self, lambda state, paths: _keras_slot(state, index)))
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable: Variable, name: str | None = None,
                                    initializer: Any = "zeros") -> Variable:
        """A slot shaped like ``reference_variable``, named ``'<its path>_<name>'`` (Keras's).

        Example:
            >>> opt = Optimizer(learning_rate=0.1)
            >>> opt.add_variable_from_reference(Variable(np.ones(3), name="kernel"), "m").name
            'kernel_m'
        """
        name = f"{reference_variable.path.replace('/', '_')}_{name or 'var'}"
        return self.add_variable(shape=reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables: list[Variable], name: Any,
                                initializer: Any = "zeros") -> Any:
        """One slot per variable for each name (Keras's): a list, or a tuple of lists when
        ``name`` is a list of names."""
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, list | tuple) else [initializer] * len(
            names)
        if len(inits) != len(names):
            raise errors.JnetValueError(
                "The number of provided names must match the number of provided "
                f"initializers. Received name={name!r}, initializer={initializer!r}"
            )
        slots: tuple[list[Variable], ...] = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, (slot_name, init) in enumerate(zip(names, inits, strict=True)):
                slots[i].append(self.add_variable_from_reference(variable, slot_name, init))
        return slots[0] if isinstance(name, str) else slots

    def assign(self, variable: Variable, value: Any) -> None:
        """``variable.assign(value)`` (Keras's hook for backend-specific updates)."""
        variable.assign(value)

    def assign_add(self, variable: Variable, value: Any) -> None:
        """``variable.assign_add(value)``."""
        variable.assign_add(value)

    def assign_sub(self, variable: Variable, value: Any) -> None:
        """``variable.assign_sub(value)``."""
        variable.assign_sub(value)

    def get_config(self) -> dict[str, Any]:
        """The optimizer's arguments, with Keras's keys.

        Returns:
            A dict; ``type(opt).from_config(opt.get_config())`` rebuilds the optimizer.
        """
        learning_rate = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(learning_rate)  # as Keras does
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Optimizer:
        """Builds an optimizer from :meth:`get_config`'s output.

        Args:
            config: a dict of constructor arguments.

        Returns:
            A new optimizer.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), Mapping):  # a serialized schedule
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self) -> str:
        config = self.get_config()
        shown = ", ".join(f"{k}={v!r}" for k, v in config.items() if k != "name")
        return f"{type(self).__name__}(name={self.name!r}, {shown})"


class OptaxOptimizer(Optimizer):
    """A raw optax transformation (``optax.adam(1e-3)``) as a jnet optimizer.

    :meth:`build` returns the transformation unchanged, so its numbers are optax's, not
    Keras's, and its learning rate cannot be read or set through jnet (wrap the optax
    optimizer in ``optax.inject_hyperparams`` to make it adjustable).

    Args:
        transformation: an ``optax.GradientTransformation``.
        name: the optimizer's name; defaults to 'optax_optimizer'.

    Example:
        >>> import optax
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.get(optax.sgd(0.1))
        >>> isinstance(opt, jnet.optimizers.OptaxOptimizer)
        True
    """

    def __init__(self, transformation: optax.GradientTransformation, name: str | None = None):
        if not isinstance(transformation, optax.GradientTransformation):
            raise errors.JnetTypeError(
                f"OptaxOptimizer wraps an optax.GradientTransformation; received "
                f"{errors.describe(transformation)}."
            )
        self.transformation = transformation
        self.name = _snake_case(type(self).__name__) if name is None else name
        self._learning_rate = None
        self.weight_decay = self.clipnorm = self.clipvalue = self.global_clipnorm = None
        self.loss_scale_factor = self.ema_overwrite_frequency = None
        self.gradient_accumulation_steps = None
        self.use_ema = False
        self.ema_momentum = 0.99

    @property
    def learning_rate(self) -> LearningRate:
        """Not available: the learning rate lives inside the optax transformation."""
        raise errors.JnetTypeError(
            "This OptaxOptimizer wraps a raw optax transformation, whose learning rate jnet "
            "cannot read or set. Use a jnet optimizer (jnet.optimizers.Adam(...)) or "
            "optax.inject_hyperparams(...)(learning_rate=...) to make it adjustable."
        )

    @learning_rate.setter
    def learning_rate(self, value: LearningRate) -> None:
        del value
        _ = self.learning_rate  # raises the same error

    def build(self) -> optax.GradientTransformation:
        """Returns the wrapped transformation, unchanged."""
        return self.transformation

    def get_config(self) -> dict[str, Any]:
        """``{'name': ..., 'transformation': ...}``; the transformation is not serializable."""
        return {"name": self.name, "transformation": self.transformation}
