"""Global switches, as ``keras.config``: whether data is checked for NaN and infinity.

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

__all__ = ["check_finite", "set_check_finite"]

_CHECK_FINITE = True


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
