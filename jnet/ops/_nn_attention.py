"""Keras's ``dot_product_attention``, on ``jax.nn.dot_product_attention``.

Layouts are Keras's: ``(batch, length, heads, head_dim)`` for query, key and value
(``BTNH``); key and value may have fewer heads than query (grouped-query attention, the query
heads a multiple of theirs). ``flash_attention=None`` uses cuDNN's fused kernel on a GPU where
it applies (float16/bfloat16 operands) and XLA's otherwise; ``True`` requires cuDNN's;
``False`` uses XLA's.

Example:
    >>> q = np.ones((1, 2, 1, 4), "float32")
    >>> dot_product_attention(q, q, np.arange(8.0, dtype="float32").reshape(1, 2, 1, 4)
    ...                       )[0, :, 0].tolist()
    [[2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0]]
"""

from __future__ import annotations

from typing import Any

import jax

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op

__all__ = ["dot_product_attention"]


def _rank4(value: Any, name: str, dtype: str | None) -> jax.Array | None:
    if value is None:
        return None
    value = convert(value) if dtype is None else convert(value).astype(dtype)
    if value.ndim > 4:
        raise errors.JnetValueError(
            f"dot_product_attention: `{name}` must be broadcastable to (batch, heads, "
            f"query_length, key_length), received shape {value.shape}."
        )
    return value.reshape((1,) * (4 - value.ndim) + value.shape)


def _attend(query, key, value, bias, mask, scale, is_causal, implementation):
    return jax.nn.dot_product_attention(query, key, value, bias=bias, mask=mask, scale=scale,
                                        is_causal=is_causal, implementation=implementation)


@keras_op
def dot_product_attention(query: Any, key: Any, value: Any, bias: Any = None, mask: Any = None,
                          scale: float | None = None, is_causal: bool = False,
                          flash_attention: bool | None = None,
                          attn_logits_soft_cap: float | None = None) -> jax.Array:
    """Scaled dot-product attention: ``softmax(query @ key^T * scale + bias) @ value``.

    Args:
        query: ``(batch, query_length, heads, head_dim)``.
        key: ``(batch, key_length, key_heads, head_dim)``; ``heads`` a multiple of
            ``key_heads``.
        value: ``(batch, key_length, key_heads, value_dim)``.
        bias: optional array added to the logits, broadcastable to
            ``(batch, heads, query_length, key_length)`` (default None).
        mask: optional boolean array of that shape: False positions are left out (default
            None).
        scale: the logits' scale (default: ``1 / sqrt(head_dim)``).
        is_causal: apply a causal mask (default False).
        flash_attention: None (default: cuDNN's fused kernel where it applies), True
            (require it) or False (XLA's implementation).
        attn_logits_soft_cap: must be None (Keras supports it on TPUs only).

    Returns:
        ``(batch, query_length, heads, value_dim)``, of the operands' promoted dtype.

    Example:
        >>> x = np.ones((2, 3, 4, 8), "float32")
        >>> dot_product_attention(x, x, x, is_causal=True).shape
        (2, 3, 4, 8)
    """
    if attn_logits_soft_cap is not None:
        raise errors.JnetValueError(
            "dot_product_attention: attn_logits_soft_cap is only supported for JAX on TPU. "
            "Set attn_logits_soft_cap=None when not using JAX on TPU."
        )
    query, key, value = convert(query), convert(key), convert(value)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise errors.JnetValueError(
            "dot_product_attention: only 4D inputs (batch, length, heads, head_dim) are "
            f"supported. Received: query.shape={query.shape}, key.shape={key.shape}, "
            f"value.shape={value.shape}."
        )
    if key.shape[2] == 0 or query.shape[2] % key.shape[2] or key.shape[:3] != value.shape[:3]:
        raise errors.JnetValueError(
            "dot_product_attention: key and value must share batch, length and heads, and "
            "query's heads must be a multiple of theirs. Received: "
            f"query.shape={query.shape}, key.shape={key.shape}, value.shape={value.shape}."
        )
    dtype = _dtypes.result_type(query.dtype, key.dtype, value.dtype)
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)
    bias = _rank4(bias, "bias", dtype)
    mask = _rank4(mask, "mask", "bool")
    if flash_attention is False:
        return _attend(query, key, value, bias, mask, scale, is_causal, "xla")
    if flash_attention:
        try:
            return _attend(query, key, value, bias, mask, scale, is_causal, "cudnn")
        except Exception as error:  # cuDNN's checks: platform, dtype, layout, versions
            raise errors.JnetValueError(
                f"dot_product_attention: flash_attention=True, but cuDNN's fused attention "
                f"does not apply here: {error}"
            ) from error
    if jax.default_backend() == "gpu" and dtype in ("float16", "bfloat16"):
        try:
            return _attend(query, key, value, bias, mask, scale, is_causal, "cudnn")
        except Exception:  # not eligible: fall back to XLA, as Keras does
            pass
    return _attend(query, key, value, bias, mask, scale, is_causal, "xla")
