"""Global switches, as ``keras.config``: the default float dtype, epsilon and image layout, and
whether data is checked for NaN and infinity.

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

from jnet import errors

__all__ = [
    "backend",
    "check_finite",
    "epsilon",
    "floatx",
    "image_data_format",
    "set_check_finite",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
]

_CHECK_FINITE = True
_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_FLOATX_CHOICES = ("bfloat16", "float16", "float32", "float64")
_FORMATS = ("channels_last", "channels_first")


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
