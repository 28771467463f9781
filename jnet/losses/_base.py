"""The loss base classes: ``Loss`` and ``LossFunctionWrapper``.

Everything here follows ``keras/src/losses/loss.py``: a loss *function* returns per-sample
values, and a :class:`Loss` aligns ranks, weights those values and reduces them (the helpers
are in :mod:`jnet.losses._utils`). A wrapped function's logits form and mask are read off the
function itself (:mod:`jnet.losses._logits`), so this file knows no particular loss.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NamedTuple

import jax.numpy as jnp

from jnet import errors
from jnet.losses._logits import accepts_from_logits, compute_with_mask, logits_activation_of
from jnet.losses._utils import (
    Array,
    _object_name,
    _snake_case,
    _standardize_dtype,
    _standardize_reduction,
    reduce_weighted_values,
    squeeze_or_expand_to_same_rank,
)

__all__ = ["Loss", "LossFunctionWrapper"]


class FnCodec(NamedTuple):
    """How :class:`LossFunctionWrapper` writes its ``fn`` into a config and reads it back."""

    serialize: Callable[[Any], Any]
    """A loss function (or Loss) -> its serialised form."""
    get: Callable[[Any], Any]
    """A serialised form (or name) -> the loss function (or Loss)."""


class Loss:
    """Base class of losses: per-sample values from :meth:`call`, reduced by ``__call__``.

    Subclasses implement ``call(y_true, y_pred)`` returning per-sample values (or
    ``call_with_mask`` returning ``(values, mask)``).

    Args:
        name: the loss's name. Defaults to the snake-cased class name.
        reduction: ``'sum_over_batch_size'`` (default), ``'sum'``, ``'mean'``,
            ``'mean_with_sample_weight'``, ``'none'`` or ``None``; see
            :func:`reduce_weighted_values`.
        dtype: computation dtype; ``y_true`` and ``y_pred`` are cast to it. Defaults to float32.

    Attributes:
        logits_activation: ``'sigmoid'``/``'softmax'`` for crossentropies (the activation whose
            pre-activation values Keras's TensorFlow backend feeds this loss as logits), None
            otherwise — including categorical focal crossentropy, and binary focal
            crossentropy with ``from_logits=True`` (see :func:`logits_activation_of`).
        from_logits: whether the loss already reads logits (False for non-crossentropies).

    Example:
        >>> class SquaredSum(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return jnp.sum(jnp.square(y_true - y_pred), axis=-1)
        >>> float(SquaredSum()(np.ones((2, 3)), np.zeros((2, 3))))
        3.0
    """

    logits_activation: str | None = None
    from_logits: bool = False

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        if name is not None and not isinstance(name, str):
            raise errors.JnetTypeError(
                f"Argument `name` must be a string; received {errors.describe(name)}."
            )
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = _standardize_reduction(reduction)
        self.dtype = _standardize_dtype(dtype)

    def call(self, y_true: Array, y_pred: Array) -> Array:
        """Per-sample loss values. Subclasses implement this (or :meth:`call_with_mask`)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement call(y_true, y_pred) returning per-sample "
            f"loss values."
        )

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        """``(values, mask)``: per-sample values and the boolean mask of those that count."""
        return self.call(y_true, y_pred), None

    def check_implemented(self) -> None:
        """Raises a clear error for a subclass that cannot compute a loss (``compile`` calls
        this): one without ``call``, or whose ``__init__`` skipped ``super().__init__()``.

        Raises:
            JnetTypeError: naming the class and what it lacks.

        Example:
            >>> class NoCall(Loss):
            ...     pass
            >>> NoCall().check_implemented()
            Traceback (most recent call last):
            ...
            jnet.errors.JnetTypeError: Loss 'no_call' (NoCall) does not implement call(...)...
        """
        cls = type(self)
        if "reduction" not in self.__dict__:
            raise errors.JnetTypeError(
                f"{cls.__name__}: you forgot to call `super().__init__()` in the `__init__()` "
                "method of your Loss subclass (it sets name, reduction and dtype). Go add it!"
            )
        if cls.call is Loss.call and cls.call_with_mask is Loss.call_with_mask:
            raise errors.JnetTypeError(
                f"Loss {self.name!r} ({cls.__name__}) does not implement call(self, y_true, "
                "y_pred). A Loss subclass returns per-sample loss values from call(); the base "
                "class casts y_true and y_pred to the loss dtype, weights the values by "
                "sample_weight and reduces them."
            )

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Array:
        """The reduced loss.

        Args:
            y_true: targets; cast to the loss dtype.
            y_pred: predictions; cast to the loss dtype.
            sample_weight: optional per-sample (or per-element) weights.

        Returns:
            A scalar (or the weighted values for ``reduction='none'``).
        """
        y_pred = jnp.asarray(y_pred).astype(self.dtype)
        y_true = jnp.asarray(y_true).astype(self.dtype)
        values, mask = self.call_with_mask(y_true, y_pred)
        return reduce_weighted_values(
            values, sample_weight=sample_weight, mask=mask, reduction=self.reduction,
            dtype=self.dtype,
        )

    def logits_activation_for(self, y_true: Any, y_pred: Any) -> str | None:
        """The logits activation for these shapes (differs from the attribute only by shape)."""
        del y_true, y_pred
        return self.logits_activation

    def with_logits(self) -> Loss:
        """The same loss reading logits: ``from_logits=True``, everything else unchanged.

        Returns:
            A new Loss with the same name, reduction, dtype, smoothing, axis, ...

        Raises:
            JnetValueError: when the loss takes no ``from_logits`` (not a crossentropy).
        """
        if not self._accepts_from_logits():
            raise errors.JnetValueError(
                f"Loss {self.name!r} ({type(self).__name__}) has no from_logits form; only "
                f"the crossentropies (binary, categorical, sparse, and the focal ones) do."
            )
        return self._replace(from_logits=True)

    def _accepts_from_logits(self) -> bool:
        """Whether the loss takes ``from_logits`` (every loss with a logits activation does)."""
        return self.logits_activation is not None

    def _replace(self, **changes) -> Loss:
        config = {**self.get_config(), **changes}
        return type(self)(**config, dtype=self.dtype)

    def get_config(self) -> dict:
        """The constructor arguments, as Keras serialises them (name and reduction)."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        """Builds the loss from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A :class:`Loss` around a per-sample loss function ``fn(y_true, y_pred, **kwargs)``.

    ``y_true`` and ``y_pred`` are rank-aligned (:func:`squeeze_or_expand_to_same_rank`)
    before ``fn`` is called.

    Args:
        fn: the loss function.
        reduction: see :class:`Loss`. Defaults to ``'sum_over_batch_size'``.
        name: the loss's name. Defaults to ``'loss_function_wrapper'``.
        dtype: computation dtype. Defaults to float32.
        **kwargs: passed to ``fn`` on every call.

    Example:
        >>> from jnet.losses import huber
        >>> loss = LossFunctionWrapper(huber, name="huber", delta=0.5)
        >>> float(loss(np.zeros((2, 1)), np.full((2, 1), 2.0)))
        0.875
    """

    fn_codec: ClassVar[FnCodec | None] = None
    """The (de)serialiser of ``fn`` in :meth:`get_config`/:meth:`from_config`: the loss
    registry's ``serialize``/``get``, set by :mod:`jnet.losses._registry` (the base class never
    names the registry, which knows every subclass)."""

    def __init__(
        self,
        fn: Callable,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs,
    ):
        if not callable(fn):
            raise errors.JnetTypeError(
                f"LossFunctionWrapper: argument `fn` must be a callable fn(y_true, y_pred); "
                f"received {errors.describe(fn)}."
            )
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = dict(kwargs)

    @property
    def logits_activation(self) -> str | None:  # type: ignore[override]
        return logits_activation_of(self.fn, self.from_logits)

    def _accepts_from_logits(self) -> bool:
        return accepts_from_logits(self.fn)

    @property
    def from_logits(self) -> bool:  # type: ignore[override]
        return bool(self._fn_kwargs.get("from_logits", False))

    @from_logits.setter
    def from_logits(self, value: bool) -> None:
        self._fn_kwargs["from_logits"] = bool(value)

    def call(self, y_true: Array, y_pred: Array) -> Array:
        return self.call_with_mask(y_true, y_pred)[0]

    def call_with_mask(self, y_true: Array, y_pred: Array) -> tuple[Array, Array | None]:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return compute_with_mask(self.fn, y_true, y_pred, **self._fn_kwargs)

    def _replace(self, **changes) -> Loss:
        if type(self) is not LossFunctionWrapper:
            return super()._replace(**changes)
        return LossFunctionWrapper(
            self.fn, reduction=self.reduction, name=self.name, dtype=self.dtype,
            **{**self._fn_kwargs, **changes},
        )

    def get_config(self) -> dict:
        config = super().get_config()
        config["fn"] = self._fn_codec().serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: Mapping) -> Loss:
        config = dict(config)
        if "fn" in config:
            config["fn"] = cls._fn_codec().get(config["fn"])
        return cls(**config)

    @classmethod
    def _fn_codec(cls) -> FnCodec:
        codec = LossFunctionWrapper.fn_codec
        if codec is None:  # pragma: no cover - jnet.losses fills it on import
            raise errors.JnetError(
                "LossFunctionWrapper.fn_codec is not set: import jnet.losses, whose registry "
                "(de)serialises the wrapped function."
            )
        return codec

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({_object_name(self.fn)}, kwargs={self._fn_kwargs})>"
