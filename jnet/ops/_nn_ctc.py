"""Keras's connectionist temporal classification ops: ``ctc_loss`` and ``ctc_decode``.

``output``/``inputs`` are ``(batch, time, classes)`` logits (a log-softmax is applied over
classes); ``mask_index`` is the blank class. ``ctc_loss`` runs the forward (alpha)
recursion over the label sequence with blanks interleaved, in log space, as one
``jax.lax.scan`` over time; a label sequence that no alignment can produce (too long for its
output length) costs about ``1e5`` rather than ``inf``, as on Keras's JAX backend, so its
gradient stays finite.

Example:
    >>> logits = np.zeros((1, 2, 3), "float32")  # uniform over 3 classes, 2 steps
    >>> print(np.round(ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2])), 4))
    [1.0986]
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax import nn as jnn

from jnet import _dtypes, errors
from jnet.ops._op import convert, keras_op

__all__ = ["ctc_decode", "ctc_loss"]

_IMPOSSIBLE = -1e5  # the log-probability standing for "no alignment" (Keras's log epsilon)


def _float_logits(x: Any) -> jax.Array:
    x = convert(x)
    return x.astype(_dtypes.result_type(x.dtype, "float32"))


def _check_batch(first: jax.Array, first_name: str, second: jax.Array, second_name: str,
                 op: str) -> None:
    if first.shape[:1] != second.shape[:1]:
        raise errors.JnetValueError(
            f"{op}: arguments `{first_name}` and `{second_name}` must have the same first "
            f"dimension. Received shapes: `{first.shape}` and `{second.shape}`."
        )


@keras_op
def ctc_loss(target: Any, output: Any, target_length: Any, output_length: Any,
             mask_index: int = 0) -> jax.Array:
    """CTC loss: the negative log-probability of each label sequence under ``output``,
    summed over all its alignments.

    Args:
        target: ``(batch, max_label_length)`` integer labels (entries past
            ``target_length`` are ignored).
        output: ``(batch, max_time, classes)`` logits.
        target_length: ``(batch,)`` label lengths.
        output_length: ``(batch,)`` output lengths (steps past them are ignored).
        mask_index: the blank class (default 0).

    Returns:
        ``(batch,)`` losses, float32 (or float64-free promotion of ``output``'s dtype).

    Example:
        >>> logits = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]], "float32"))
        >>> print(np.round(ctc_loss(np.array([[1]]), logits, np.array([1]), np.array([2])), 4))
        [0.2877]
    """
    target = convert(target, "int32")
    output = _float_logits(output)
    target_length = convert(target_length, "int32")
    output_length = convert(output_length, "int32")
    if target.ndim != 2 or output.ndim != 3:
        raise errors.JnetValueError(
            "ctc_loss: `target` must be (batch, max_label_length) and `output` "
            f"(batch, max_time, classes). Received: target.shape={target.shape}, "
            f"output.shape={output.shape}."
        )
    _check_batch(target, "target", output, "output", "ctc_loss")
    _check_batch(target_length, "target_length", target, "target", "ctc_loss")
    _check_batch(output_length, "output_length", output, "output", "ctc_loss")
    batch, steps, _ = output.shape
    labels = target.shape[1]
    states = 2 * labels + 1
    dtype = output.dtype
    log_probs = jnn.log_softmax(output, axis=-1)

    # the extended label sequence: blank, l1, blank, l2, ..., blank
    extended = jnp.full((batch, states), mask_index, jnp.int32).at[:, 1::2].set(target)
    emit = jnp.take_along_axis(log_probs, jnp.broadcast_to(
        extended[:, None, :], (batch, steps, states)), axis=2)  # (batch, time, states)
    previous = jnp.pad(extended[:, :-2], ((0, 0), (2, 0)), constant_values=mask_index)
    odd = (np.arange(states) % 2 == 1)[None, :]
    skip = jnp.logical_and(odd, extended != previous)  # may jump over one blank
    impossible = jnp.asarray(_IMPOSSIBLE, dtype)

    first = jnp.full((batch, states), impossible).at[:, :2].set(emit[:, 0, :2])
    step_valid = jnp.arange(steps)[:, None] < output_length[None, :]  # (time, batch)

    def advance(alpha, inputs):
        emit_t, valid_t = inputs
        one = jnp.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=_IMPOSSIBLE)
        two = jnp.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=_IMPOSSIBLE)
        two = jnp.where(skip, two, impossible)
        best = jnp.maximum(jnp.maximum(alpha, one), two)
        total = best + jnp.log(jnp.exp(alpha - best) + jnp.exp(one - best)
                               + jnp.exp(two - best))
        updated = total + emit_t
        return jnp.where(valid_t[:, None], updated, alpha), None

    if steps > 1:
        alpha, _ = lax.scan(advance, first, (jnp.swapaxes(emit, 0, 1)[1:], step_valid[1:]))
    else:
        alpha = first
    alpha = jnp.where((output_length > 0)[:, None], alpha,
                      jnp.full((batch, states), impossible).at[:, 0].set(0.0))
    end = 2 * target_length
    last = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    before = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    before = jnp.where(target_length > 0, before, impossible)
    return -jnp.logaddexp(last, before)


def _greedy(inputs: jax.Array, lengths: jax.Array, merge_repeated: bool,
            mask_index: int) -> tuple[jax.Array, jax.Array]:
    batch, steps, _ = inputs.shape
    best = jnp.argmax(inputs, axis=-1).astype(jnp.int32)
    scores = jnp.max(inputs, axis=-1)
    beyond = jnp.arange(steps)[None, :] >= lengths[:, None]
    best = jnp.where(beyond, mask_index, best)
    scores = jnp.where(beyond, jnp.zeros((), scores.dtype), scores)
    if merge_repeated:
        repeated = jnp.pad(best[:, 1:] == best[:, :-1], ((0, 0), (1, 0)))
        best = jnp.where(repeated, mask_index, best)
    dropped = best == mask_index
    # stable compaction: kept labels first, in time order; then -1 padding
    order = jnp.argsort(jnp.where(dropped, steps, jnp.arange(steps)[None, :]), axis=-1,
                        stable=True)
    decoded = jnp.take_along_axis(jnp.where(dropped, -1, best), order, axis=-1)
    return decoded[None], -jnp.sum(scores, axis=1, keepdims=True)


def _logsumexp(a: jax.Array, b: jax.Array) -> jax.Array:
    return jnp.logaddexp(a, b)


def _beam_one(log_probs: jax.Array, length: jax.Array, width: int, top_paths: int,
              blank: int) -> tuple[jax.Array, jax.Array]:
    # Prefix beam search for one sequence. A beam is a distinct label prefix (padded with
    # -1) with the log-probabilities of its alignments ending in a blank (pb) and in its last
    # label (pnb). Unused beams have length _UNUSED, so no extension ever matches them.
    steps, classes = log_probs.shape
    unused = -(steps + 10)
    minus_inf = jnp.asarray(-jnp.inf, log_probs.dtype)
    prefix = jnp.full((width, steps), -1, jnp.int32)
    size = jnp.full((width,), unused, jnp.int32).at[0].set(0)
    last = jnp.full((width,), -1, jnp.int32)
    pb = jnp.full((width,), minus_inf).at[0].set(0.0)
    pnb = jnp.full((width,), minus_inf)
    positions = jnp.arange(steps)
    labels = jnp.arange(classes)

    def advance(state, inputs):
        prefix, size, last, pb, pnb = state
        y, valid = inputs
        total = _logsumexp(pb, pnb)
        stay_pb = total + y[blank]
        stay_pnb = jnp.where(last >= 0, pnb + y[jnp.maximum(last, 0)], minus_inf)
        same = labels[None, :] == last[:, None]
        extend = jnp.where(same, pb[:, None], total[:, None]) + y[None, :]
        extend = jnp.where(labels[None, :] == blank, minus_inf, extend)  # (width, classes)
        # an extension equal to an existing beam merges into it
        trimmed = jnp.where(positions[None, :] == size[:, None] - 1, -1, prefix)
        parent = jnp.logical_and(jnp.all(trimmed[:, None, :] == prefix[None, :, :], axis=-1),
                                 size[:, None] == size[None, :] + 1)  # (child, parent)
        from_parent = extend[:, jnp.maximum(last, 0)].T  # [child, parent]
        stay_pnb = _logsumexp(stay_pnb, jax.nn.logsumexp(
            jnp.where(parent, from_parent, minus_inf), axis=1))
        taken = jnp.einsum("cp,ck->pk", parent.astype(jnp.float32),
                           jax.nn.one_hot(last, classes, dtype=jnp.float32)) > 0
        extend = jnp.where(taken, minus_inf, extend)
        scores = jnp.concatenate([_logsumexp(stay_pb, stay_pnb)[:, None], extend], axis=1)
        _, best = lax.top_k(scores.reshape(-1), width)
        source, choice = best // (classes + 1), best % (classes + 1) - 1  # -1: stay
        stays = choice < 0
        label = jnp.maximum(choice, 0)
        new_prefix = jnp.where(
            jnp.logical_and(~stays[:, None], positions[None, :] == size[source][:, None]),
            label[:, None], prefix[source])
        new_pb = jnp.where(stays, stay_pb[source], minus_inf)
        new_pnb = jnp.where(stays, stay_pnb[source], extend[source, label])
        new_size = jnp.where(stays, size[source], size[source] + 1)
        alive = _logsumexp(new_pb, new_pnb) > minus_inf
        new_size = jnp.where(alive, new_size, unused)
        new_last = jnp.where(stays, last[source], label)
        new = (new_prefix, new_size, new_last, new_pb, new_pnb)
        return jax.tree_util.tree_map(lambda n, o: jnp.where(valid, n, o), new, state), None

    state = (prefix, size, last, pb, pnb)
    (prefix, size, last, pb, pnb), _ = lax.scan(advance, state, (log_probs, positions < length))
    total = jnp.where(size >= 0, _logsumexp(pb, pnb), minus_inf)
    scores, best = lax.top_k(total, top_paths)
    return prefix[best], scores


def _beam_search(inputs: jax.Array, lengths: jax.Array, beam_width: int, top_paths: int,
                 mask_index: int) -> tuple[jax.Array, jax.Array]:
    classes = inputs.shape[-1]
    if not isinstance(top_paths, int) or not 1 <= top_paths <= beam_width:
        raise errors.JnetValueError(
            f"ctc_decode: top_paths must be an integer in [1, beam_width={beam_width}], "
            f"received {top_paths!r}."
        )
    log_probs = jnn.log_softmax(inputs, axis=-1)
    blank = int(mask_index) % classes
    paths, scores = jax.vmap(
        lambda lp, n: _beam_one(lp, n, beam_width, top_paths, blank))(log_probs, lengths)
    return jnp.swapaxes(paths, 0, 1), scores


@keras_op
def ctc_decode(inputs: Any, sequence_lengths: Any, strategy: str = "greedy",
               beam_width: int = 100, top_paths: int = 1, merge_repeated: bool = True,
               mask_index: int = 0) -> tuple[jax.Array, jax.Array]:
    """Decodes CTC outputs to label sequences.

    Args:
        inputs: ``(batch, max_time, classes)`` logits.
        sequence_lengths: ``(batch,)`` lengths (steps past them are ignored).
        strategy: ``'greedy'`` (default: the most likely class at each step) or
            ``'beam_search'``.
        beam_width: the beam width of ``'beam_search'`` (default 100).
        top_paths: how many paths ``'beam_search'`` returns (default 1).
        merge_repeated: ``'greedy'`` merges repeated classes before dropping blanks
            (default True).
        mask_index: the blank class (default 0).

    Returns:
        ``(decoded, scores)``: ``decoded`` ``(paths, batch, max_time)`` int32 labels padded
        with -1 (``paths`` is 1 for greedy); ``scores`` ``(batch, paths)``: for greedy the
        negative sum of each step's largest logit, for beam search each path's
        log-probability.

    Example:
        >>> logits = np.log(np.array([[[0.1, 0.9], [0.1, 0.9], [0.9, 0.1]]], "float32"))
        >>> decoded, _ = ctc_decode(logits, np.array([3]))
        >>> decoded.tolist()
        [[[1, -1, -1]]]
    """
    inputs = _float_logits(inputs)
    if inputs.ndim != 3:
        raise errors.JnetValueError(
            "ctc_decode: `inputs` must be (batch, max_time, classes), received shape "
            f"{inputs.shape}."
        )
    lengths = convert(sequence_lengths, "int32")
    _check_batch(lengths, "sequence_lengths", inputs, "inputs", "ctc_decode")
    if strategy == "greedy":
        return _greedy(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_search(inputs, lengths, beam_width, top_paths, mask_index)
    raise errors.JnetValueError(
        f"ctc_decode: invalid strategy {strategy!r}. Supported values are 'greedy' and "
        "'beam_search'."
    )
