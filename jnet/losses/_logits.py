"""What a loss function declares about itself: its ``from_logits`` form and its mask.

A crossentropy function is marked with :func:`takes_logits`, which attaches the facts a loss
class or a training engine needs to the function itself:

* that it takes ``from_logits`` (:func:`accepts_from_logits`);
* the activation whose pre-activation values Keras's TensorFlow backend feeds it as logits
  (:func:`logits_activation_of`; see :mod:`jnet.losses` on the logits shortcut);
* the variant that also returns the mask of the values that count, for a function whose
  values carry one in Keras (:func:`compute_with_mask`).

So :class:`~jnet.losses.LossFunctionWrapper` and the metrics read these facts off any function
without a table of the functions that have them, and without knowing the crossentropy family.
A function that copies a marked one's attributes (``functools.wraps``) is not marked: the mark
names the function it was put on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = [
    "takes_logits",
    "returns_mask",
    "accepts_from_logits",
    "logits_activation_of",
    "compute_with_mask",
]


class _LogitsMark(NamedTuple):
    fn: Callable
    activation: str | None
    shortcut_with_from_logits: bool
    with_mask: Callable | None


def takes_logits(
    activation: str | None,
    *,
    shortcut_with_from_logits: bool = True,
    with_mask: Callable | None = None,
) -> Callable[[Callable], Callable]:
    """Marks a loss function as taking ``from_logits``.

    Args:
        activation: ``'sigmoid'``/``'softmax'``: the activation whose logits Keras's TensorFlow
            backend feeds the function in place of its output; None when it never does.
        shortcut_with_from_logits: whether that still happens for ``from_logits=True``.
            Defaults to True.
        with_mask: ``fn(y_true, y_pred, **kwargs) -> (values, mask)``, the variant that also
            returns the boolean mask of the values that count. Defaults to None (no mask).

    Returns:
        A decorator that returns the function itself, marked.

    Example:
        >>> @takes_logits("sigmoid")
        ... def my_crossentropy(y_true, y_pred, from_logits=False):
        ...     return y_pred
        >>> accepts_from_logits(my_crossentropy), logits_activation_of(my_crossentropy)
        (True, 'sigmoid')
    """

    def mark(fn: Callable) -> Callable:
        fn._jnet_logits = _LogitsMark(fn, activation, shortcut_with_from_logits, with_mask)
        return fn

    return mark


def returns_mask(with_mask: Callable) -> Callable[[Callable], Callable]:
    """Marks a loss function without a logits form whose values carry a mask in Keras.

    Args:
        with_mask: ``fn(y_true, y_pred, **kwargs) -> (values, mask)``, the variant that also
            returns the boolean mask of the values that count.

    Returns:
        A decorator that returns the function itself, marked.

    Example:
        >>> def _positive(y_true, y_pred):
        ...     return y_pred, y_pred > 0
        >>> @returns_mask(_positive)
        ... def positive_part(y_true, y_pred):
        ...     return y_pred
        >>> values, mask = compute_with_mask(positive_part, None, np.array([1.0, -1.0]))
        >>> [bool(m) for m in mask], accepts_from_logits(positive_part)
        ([True, False], False)
    """

    def mark(fn: Callable) -> Callable:
        fn._jnet_mask = (fn, with_mask)
        return fn

    return mark


def _mask_variant(fn: Any) -> Callable | None:
    mark = _mark(fn)
    if mark is not None:
        return mark.with_mask
    own = getattr(fn, "_jnet_mask", None)
    return own[1] if isinstance(own, tuple) and own[0] is fn else None


def _mark(fn: Any) -> _LogitsMark | None:
    mark = getattr(fn, "_jnet_logits", None)
    return mark if isinstance(mark, _LogitsMark) and mark.fn is fn else None


def accepts_from_logits(fn: Callable) -> bool:
    """Whether the loss function ``fn`` takes a ``from_logits`` argument.

    Args:
        fn: a loss function.

    Returns:
        True for the crossentropies (binary, categorical, sparse, and the two focal ones).

    Example:
        >>> from jnet.losses import binary_focal_crossentropy, poisson
        >>> accepts_from_logits(binary_focal_crossentropy), accepts_from_logits(poisson)
        (True, False)
    """
    return _mark(fn) is not None


def logits_activation_of(fn: Callable, from_logits: bool = False) -> str | None:
    """The activation whose pre-activation values Keras's TF backend feeds to ``fn`` as logits.

    Keras's TensorFlow backend reads ``_keras_logits`` off a sigmoid/softmax output inside
    ``ops.binary_crossentropy``, ``ops.categorical_crossentropy`` and
    ``ops.sparse_categorical_crossentropy``. ``binary_focal_crossentropy`` calls the first on
    its probabilities, so with ``from_logits=False`` it too is computed from the logits (its
    crossentropy term; ``p_t`` uses the probabilities, which are ``sigmoid(logits)``); with
    ``from_logits=True`` it applies its own sigmoid first, so the model's logits are not used.
    ``categorical_focal_crossentropy`` never calls those ops: no shortcut.

    Args:
        fn: a loss function.
        from_logits: the ``from_logits`` the loss was built with.

    Returns:
        ``'sigmoid'``, ``'softmax'`` or None.

    Example:
        >>> from jnet.losses import binary_focal_crossentropy, categorical_focal_crossentropy
        >>> logits_activation_of(binary_focal_crossentropy, from_logits=False)
        'sigmoid'
        >>> logits_activation_of(categorical_focal_crossentropy) is None
        True
    """
    mark = _mark(fn)
    if mark is None or (from_logits and not mark.shortcut_with_from_logits):
        return None
    return mark.activation


def compute_with_mask(fn: Callable, y_true: Any, y_pred: Any, **kwargs) -> tuple:
    """Calls a loss function and returns ``(values, mask)``.

    Keras attaches a mask to the values of ``sparse_categorical_crossentropy`` with
    ``ignore_class`` and to those of ``circle`` (``_keras_mask``), which its reductions then
    honour. JAX arrays carry no attributes, so the mask travels beside the values; it is
    ``None`` for every function not marked with a ``with_mask`` variant (:func:`takes_logits`,
    :func:`returns_mask`).

    Args:
        fn: a loss function ``fn(y_true, y_pred, **kwargs)``.
        y_true: targets.
        y_pred: predictions.
        **kwargs: passed to ``fn``.

    Returns:
        ``(values, mask)`` where ``mask`` is a boolean array of the values' shape, or None.

    Example:
        >>> from jnet.losses import sparse_categorical_crossentropy
        >>> values, mask = compute_with_mask(
        ...     sparse_categorical_crossentropy, [0, 1], [[0.9, 0.1], [0.5, 0.5]], ignore_class=1)
        >>> [bool(m) for m in mask]
        [True, False]
    """
    with_mask = _mask_variant(fn)
    if with_mask is not None:
        return with_mask(y_true, y_pred, **kwargs)
    return fn(y_true, y_pred, **kwargs), None
