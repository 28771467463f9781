"""Global switches, as ``keras.config`` (every name of it): the default float dtype, epsilon and
image layout, the dtype policy, logging, traceback filtering, flash attention, debugging caps on
``fit``, and (jnet's own) whether data is checked for NaN and infinity.

What each Keras switch does in jnet:

* ``backend()`` is always ``'jax'``; ``set_backend`` accepts only ``'jax'``.
* ``set_dtype_policy``/``dtype_policy`` set and return the global dtype policy (a
  :class:`jnet.dtype_policies.DTypePolicy`; ``'mixed_float16'``, ``'mixed_bfloat16'`` or a
  float dtype name): layers created after it compute in its compute dtype and keep their
  variables in its variable dtype, as Keras's.
* ``enable/disable_interactive_logging``: progress bars write to stdout, or (disabled) each
  line goes to the ``'jnet'`` logger of Python's ``logging`` (Keras sends them to absl).
* ``enable/disable_traceback_filtering`` switch JAX's traceback filtering
  (``jax_traceback_filtering`` ``'auto'``/``'off'``): jnet's own errors are raised before JAX
  runs, with no frames to filter.
* ``enable/disable_flash_attention``: stored; ``is_flash_attention_enabled()`` is ``None``
  (the default: attention may use it) or ``False``, as Keras's.
* ``set_max_epochs``/``set_max_steps_per_epoch`` cap ``fit``'s epochs and its steps per epoch
  (debugging runs; also read from ``KERAS_MAX_EPOCHS``/``KERAS_MAX_STEPS_PER_EPOCH``).
* ``enable_unsafe_deserialization`` is accepted and has no effect: jnet never runs code read
  from a file (a ``Lambda`` layer's function is not saved as bytecode), so there is nothing to
  unlock.
* ``is_nnx_enabled()`` is ``False``: jnet does not use Flax NNX.

``fit``, ``evaluate`` and ``predict`` refuse data holding NaN or infinite values (a
``JnetValueError`` naming the array and the first bad value): one NaN in ``x`` turns every
weight into NaN after one step, and the loss curve says nothing about why. Data that is meant
to hold them (a model that masks NaN itself) can switch the check off.

The check costs one pass over each float array as it is converted. Streamed arrays (memmaps,
arrays over 512 MB) are checked a chunk at a time as they are read for training, so a bad
value stops ``fit`` at the chunk that holds it rather than before the first step; the file is
never read an extra time.

Example:
    >>> import jnet
    >>> jnet.config.check_finite()
    True
    >>> jnet.config.set_check_finite(False)
    >>> jnet.config.check_finite()
    False
    >>> jnet.config.set_check_finite(True)
"""

from __future__ import annotations

import os
from typing import Any

import jax

from jnet import errors

__all__ = [
    "backend",
    "check_finite",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "is_unsafe_deserialization_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_check_finite",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]

_CHECK_FINITE = True
_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_FLOATX_CHOICES = ("bfloat16", "float16", "float32", "float64")
_FORMATS = ("channels_last", "channels_first")
_DTYPE_POLICY: Any = None  # None: the policy named floatx()
_POLICY_CLASS: Any = None  # jnet.dtype_policies.DTypePolicy, once that module is loaded
_MIXED = ("mixed_float16", "mixed_bfloat16")
_INTERACTIVE_LOGGING = True
_FLASH_ATTENTION: bool | None = None
_UNSAFE_DESERIALIZATION = False


def _env_int(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


_MAX_EPOCHS = _env_int("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH = _env_int("KERAS_MAX_STEPS_PER_EPOCH")


def backend() -> str:
    """The name of the backend, as ``keras.config.backend()``: always ``'jax'``.

    Example:
        >>> backend()
        'jax'
    """
    return "jax"


def floatx() -> str:
    """The default float dtype, as ``keras.config.floatx()`` (``'float32'`` unless set).

    Example:
        >>> floatx()
        'float32'
    """
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float dtype (``keras.config.set_floatx``).

    Args:
        value: one of ``'bfloat16'``, ``'float16'``, ``'float32'``, ``'float64'``.

    Example:
        >>> set_floatx("float16"); floatx()
        'float16'
        >>> set_floatx("float32")
    """
    global _FLOATX
    if value not in _FLOATX_CHOICES:
        raise errors.JnetValueError(
            f"Unknown value for floatx: received value={value!r}; expected one of "
            f"{', '.join(_FLOATX_CHOICES)}."
        )
    _FLOATX = str(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (``keras.config.epsilon()``, 1e-7).

    Example:
        >>> epsilon()
        1e-07
    """
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor (``keras.config.set_epsilon``).

    Args:
        value: a float, e.g. ``1e-5``.

    Example:
        >>> set_epsilon(1e-5); epsilon()
        1e-05
        >>> set_epsilon(1e-7)
    """
    global _EPSILON
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.JnetTypeError(f"set_epsilon: value must be a float, received {value!r}.")
    _EPSILON = float(value)


def image_data_format() -> str:
    """The default image layout (``keras.config.image_data_format()``, ``'channels_last'``).

    Example:
        >>> image_data_format()
        'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout (``keras.config.set_image_data_format``).

    Args:
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Example:
        >>> set_image_data_format("channels_first"); image_data_format()
        'channels_first'
        >>> set_image_data_format("channels_last")
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in _FORMATS:
        raise errors.JnetValueError(
            f"The `data_format` argument must be one of {{'channels_first', 'channels_last'}}. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = str(data_format)


def set_check_finite(enabled: bool) -> None:
    """Turns the NaN/infinity check on the data of ``fit``/``evaluate``/``predict`` on or off.

    Args:
        enabled: ``True`` (the default) raises on NaN or infinite values in ``x``, ``y`` and
            ``sample_weight``; ``False`` lets them through.

    Example:
        >>> set_check_finite(False); set_check_finite(True)
    """
    global _CHECK_FINITE
    if not isinstance(enabled, bool):
        raise errors.must_be_bool("enabled", enabled, "set_check_finite")
    _CHECK_FINITE = enabled


def check_finite() -> bool:
    """Whether data is checked for NaN and infinite values (see :func:`set_check_finite`).

    Example:
        >>> check_finite()
        True
    """
    return _CHECK_FINITE


def set_backend(backend: str) -> None:
    """Keras's backend switch: jnet runs on JAX only, so only ``'jax'`` is accepted (a no-op).

    Args:
        backend: the backend's name.

    Raises:
        JnetValueError: for any backend other than ``'jax'``.

    Example:
        >>> set_backend("jax")
    """
    if backend != "jax":
        raise errors.JnetValueError(
            f"jnet runs on JAX only: set_backend accepts 'jax', received backend={backend!r}."
        )


def set_dtype_policy(policy: Any) -> None:
    """Sets the global dtype policy (``keras.config.set_dtype_policy``).

    Layers created afterwards without ``dtype=`` compute in the policy's compute dtype and
    keep their variables in its variable dtype (:mod:`jnet.dtype_policies`).

    Args:
        policy: ``'mixed_float16'``, ``'mixed_bfloat16'``, a float dtype name such as
            ``'float32'``, or a ``DTypePolicy``.

    Raises:
        JnetValueError: for another string or type.

    Example:
        >>> set_dtype_policy("mixed_bfloat16"); dtype_policy()
        <DTypePolicy "mixed_bfloat16">
        >>> set_dtype_policy("float32")
    """
    global _DTYPE_POLICY
    if isinstance(policy, str):
        if policy not in _MIXED and policy not in _FLOATX_CHOICES:
            raise errors.JnetValueError(
                f"Cannot convert {policy!r} to a mixed precision DTypePolicy. Valid policies "
                f"include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                f"({', '.join(_FLOATX_CHOICES)})."
            )
        if _POLICY_CLASS is not None:
            policy = _POLICY_CLASS(policy)
    elif _POLICY_CLASS is None or not isinstance(policy, _POLICY_CLASS):
        raise errors.JnetValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r} "
            f"(of type {type(policy)})"
        )
    _DTYPE_POLICY = policy


def dtype_policy() -> Any:
    """The global dtype policy, as set by :func:`set_dtype_policy` (``floatx()``'s until one
    is set), a ``DTypePolicy``.

    Example:
        >>> dtype_policy()
        <DTypePolicy "float32">
    """
    policy = _DTYPE_POLICY if _DTYPE_POLICY is not None else _FLOATX
    if isinstance(policy, str) and _POLICY_CLASS is not None:
        policy = _POLICY_CLASS(policy)
    return policy


def _set_policy_class(cls: type) -> None:
    """Registers :class:`jnet.dtype_policies.DTypePolicy` (which lives a floor above) as the
    class :func:`dtype_policy` returns; called once, when :mod:`jnet.dtype_policies` loads."""
    global _POLICY_CLASS
    _POLICY_CLASS = cls


def enable_unsafe_deserialization() -> None:
    """Keras's switch to load ``Lambda`` bytecode from files: accepted, with no effect, since
    jnet never runs code read from a file.

    Example:
        >>> enable_unsafe_deserialization(); is_unsafe_deserialization_enabled()
        True
        >>> disable_unsafe_deserialization()
    """
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True


def disable_unsafe_deserialization() -> None:
    """Turns the (no-effect) unsafe-deserialization switch off again.

    Example:
        >>> disable_unsafe_deserialization(); is_unsafe_deserialization_enabled()
        False
    """
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = False


def is_unsafe_deserialization_enabled() -> bool:
    """Whether :func:`enable_unsafe_deserialization` was called (it changes nothing in jnet).

    Example:
        >>> is_unsafe_deserialization_enabled()
        False
    """
    return _UNSAFE_DESERIALIZATION


def enable_interactive_logging() -> None:
    """Progress bars write to stdout (the default), as ``keras.config.enable_interactive_logging``.

    Example:
        >>> enable_interactive_logging(); is_interactive_logging_enabled()
        True
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging() -> None:
    """Progress lines go to Python's ``logging`` (logger ``'jnet'``, level INFO) instead of
    stdout, one line per finished bar, as Keras sends them to absl logging on a server.

    Example:
        >>> disable_interactive_logging(); is_interactive_logging_enabled()
        False
        >>> enable_interactive_logging()
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled() -> bool:
    """Whether progress bars write to stdout (see :func:`disable_interactive_logging`).

    Example:
        >>> is_interactive_logging_enabled()
        True
    """
    return _INTERACTIVE_LOGGING


def enable_traceback_filtering() -> None:
    """Turns JAX's traceback filtering back on (``jax_traceback_filtering='auto'``, JAX's
    default): errors show the user's frames, not JAX's internals.

    Example:
        >>> enable_traceback_filtering(); is_traceback_filtering_enabled()
        True
    """
    jax.config.update("jax_traceback_filtering", "auto")


def disable_traceback_filtering() -> None:
    """Shows full tracebacks, JAX's internal frames included (``jax_traceback_filtering='off'``).

    Example:
        >>> disable_traceback_filtering(); is_traceback_filtering_enabled()
        False
        >>> enable_traceback_filtering()
    """
    jax.config.update("jax_traceback_filtering", "off")


def is_traceback_filtering_enabled() -> bool:
    """Whether tracebacks are filtered (JAX's ``jax_traceback_filtering`` is not ``'off'``).

    Example:
        >>> is_traceback_filtering_enabled()
        True
    """
    return jax.config.jax_traceback_filtering != "off"


def enable_flash_attention() -> None:
    """Lets attention use flash attention where it can (the default), as Keras's switch.

    Example:
        >>> enable_flash_attention(); print(is_flash_attention_enabled())
        None
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = None


def disable_flash_attention() -> None:
    """Tells attention not to use flash attention.

    Example:
        >>> disable_flash_attention(); is_flash_attention_enabled()
        False
        >>> enable_flash_attention()
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled() -> bool | None:
    """``False`` after :func:`disable_flash_attention`, else ``None`` (Keras's values: ``None``
    means attention may use it).

    Example:
        >>> print(is_flash_attention_enabled())
        None
    """
    return _FLASH_ATTENTION


def is_nnx_enabled() -> bool:
    """Whether Flax NNX features are on: always ``False`` in jnet.

    Example:
        >>> is_nnx_enabled()
        False
    """
    return False


def _cap(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise errors.JnetValueError(
            f"set_{name}: expected a positive integer or None, received {name}={value!r}."
        )
    return int(value)


def set_max_epochs(max_epochs: int | None) -> None:
    """Caps the epochs of every ``fit`` call (for debugging runs; ``None`` removes the cap).

    Args:
        max_epochs: a positive int, or ``None``.

    Example:
        >>> set_max_epochs(2); max_epochs()
        2
        >>> set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = _cap("max_epochs", max_epochs)


def max_epochs() -> int | None:
    """The cap on ``fit``'s epochs (:func:`set_max_epochs` or ``KERAS_MAX_EPOCHS``), or None.

    Example:
        >>> print(max_epochs())
        None
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Caps the steps of each epoch of ``fit`` (for debugging runs; ``None`` removes the cap).

    Args:
        max_steps_per_epoch: a positive int, or ``None``.

    Example:
        >>> set_max_steps_per_epoch(3); max_steps_per_epoch()
        3
        >>> set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = _cap("max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch() -> int | None:
    """The cap on the steps per epoch (:func:`set_max_steps_per_epoch` or
    ``KERAS_MAX_STEPS_PER_EPOCH``), or None.

    Example:
        >>> print(max_steps_per_epoch())
        None
    """
    return _MAX_STEPS_PER_EPOCH
