"""Compiled loops over on-device data: the engine under ``fit``, ``evaluate`` and ``predict``.

The dataset is put on the device once; each dispatch receives a small ``(k, batch_size)``
array of row indices and runs ``k`` steps (``lax.scan``), gathering its batches on the device.
The host never waits for the device inside an epoch unless a callback asks for batch logs.
A partial last batch is kept, as Keras keeps it, and costs one more compilation, once.

Example:
    >>> import numpy as np
    >>> [c.shape for c in plan_batches(10, 4, 8, shuffle=False, rng=None)]
    [(2, 4), (1, 2)]
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jnet import distribution as distribution_lib
from jnet.training import device_cache
from jnet.training.state import TrainState
from jnet.training.steps import compute_logs, eval_step, train_step

#: With ``steps_per_execution='auto'``, each dispatch runs this many steps (a shorter last
#: chunk is padded to it, its padding steps skipped on the device): the compiled chunk does not
#: depend on the dataset's length, so a new length reuses it. 64 steps per dispatch cost the
#: benchmark MLP nothing we could measure on a loaded 2-core machine against a whole epoch
#: per dispatch (dispatch is asynchronous), and give a progress bar something to advance on.
CHUNK_STEPS = 64


def padded_rows(num_rows: int) -> int:
    """The row count on-device data is padded to: ``num_rows`` rounded up to two significant
    bits (``2 * 2**e`` or ``3 * 2**e``; at least 16), so that datasets of nearby lengths share
    compiled programs, at most half the rows wasted.

    Example:
        >>> [padded_rows(n) for n in (10, 100, 3000, 60000)]
        [16, 128, 3072, 65536]
    """
    if num_rows <= 16:
        return 16
    quantum = 1 << (num_rows.bit_length() - 2)
    return -(-num_rows // quantum) * quantum


def plan_batches(
    num_samples: int,
    batch_size: int,
    steps_per_execution: int,
    shuffle: bool | str,
    rng: np.random.Generator | None,
    max_steps: int | None = None,
) -> list[np.ndarray]:
    """Row indices for one epoch, grouped per dispatch.

    Returns a list of int32 arrays: chunks of shape ``(k, batch_size)`` with
    ``k <= steps_per_execution`` for the full batches, then ``(1, r)`` for a partial last
    batch of ``r = num_samples % batch_size`` rows. ``shuffle='batch'`` (Keras's) shuffles
    the rows within each batch and keeps the batches in order.
    """
    if shuffle == "batch":
        order = np.arange(num_samples)
        for start in range(0, num_samples, batch_size):
            stop = min(start + batch_size, num_samples)
            order[start:stop] = start + rng.permutation(stop - start)
    else:
        order = rng.permutation(num_samples) if shuffle else np.arange(num_samples)
    order = order.astype(np.int32)
    full = num_samples // batch_size
    remainder = num_samples - full * batch_size
    if max_steps is not None:
        if max_steps <= full:
            full, remainder = max_steps, 0
    rows = order[: full * batch_size].reshape(full, batch_size)
    chunks = [rows[i : i + steps_per_execution] for i in range(0, full, steps_per_execution)]
    if remainder:
        chunks.append(order[full * batch_size :][None, :])
    return chunks


class Placement(NamedTuple):
    """Where a distributed chunk's arrays go (a static argument of the compiled chunk).

    ``batch``: the batch's sharding (split over the mesh's batch axis). ``state``: None when
    every weight is replicated (``DataParallel``), else ``(treedef, shardings)`` of the
    state placed by the distribution: the chunk's new state is constrained to it, so that
    GSPMD's choices for its outputs cannot drift from the layout map between chunks.
    """

    batch: Any
    state: Any = None


def _gather(data: Any, rows: jax.Array, placement: Placement | None = None) -> Any:
    batch = jax.tree_util.tree_map(lambda a: a[rows], data)
    if placement is None:
        return batch
    # Data parallelism: the batch is split over the mesh's batch axis (GSPMD partitions the
    # step; a batch that does not divide by the device count is padded by XLA).
    return jax.tree_util.tree_map(
        lambda a: jax.lax.with_sharding_constraint(a, placement.batch), batch
    )


def _keep_placed(state: Any, placement: Placement | None) -> Any:
    if placement is None or placement.state is None:
        return state
    treedef, shardings = placement.state
    return jax.lax.with_sharding_constraint(state, treedef.unflatten(shardings))


def _scan_or_call(
    step: Callable,
    state: Any,
    data: Any,
    idx: jax.Array,
    valid: jax.Array | None = None,
    sharding: Any = None,
) -> Any:
    if idx.shape[0] == 1:
        return step(state, _gather(data, idx[0], sharding))[0]
    if valid is None:

        def body(carry, rows):
            return step(carry, _gather(data, rows, sharding))[0], None

        return jax.lax.scan(body, state, idx)[0]

    def gated(carry, inputs):  # steps from `valid` on are padding: skipped, not computed
        i, rows = inputs
        return jax.lax.cond(
            i < valid, lambda c: step(c, _gather(data, rows, sharding))[0], lambda c: c, carry
        ), None

    steps = jnp.arange(idx.shape[0], dtype=jnp.int32)
    return jax.lax.scan(gated, state, (steps, idx))[0]


def _named(name: str, fn: Callable) -> Callable:
    fn.__name__ = fn.__qualname__ = name  # compiled as jit_<name>
    return fn


def _train_chunk(state, data, idx, valid=None, sharding=None):
    state = _keep_placed(_scan_or_call(train_step, state, data, idx, valid, sharding), sharding)
    return state, compute_logs(state)


def _eval_chunk(state, data, idx, valid=None, sharding=None):
    state = _keep_placed(_scan_or_call(eval_step, state, data, idx, valid, sharding), sharding)
    return state, compute_logs(state)


def _predict_chunk(forward, variables, x, idx, valid=None, sharding=None):
    variables = dict(variables)
    params = variables.pop("params", {})

    def predict(model_state, rows):
        y, _, new_state = forward(
            params, model_state, _gather(x, rows, sharding), training=False, rng=None
        )[:3]
        return _like_state(new_state, model_state), y

    if idx.shape[0] == 1:
        model_state, y = predict(variables, idx[0])
        return jax.tree_util.tree_map(lambda a: a[None], y), model_state
    if valid is None:
        model_state, y = jax.lax.scan(predict, variables, idx)
        return y, model_state
    shapes = jax.eval_shape(predict, variables, idx[0])[1]

    def skip(model_state, rows):
        return model_state, jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), shapes)

    def gated(model_state, inputs):  # steps from `valid` on are padding: zeros, not computed
        i, rows = inputs
        return jax.lax.cond(i < valid, predict, skip, model_state, rows)

    model_state, y = jax.lax.scan(
        gated, variables, (jnp.arange(idx.shape[0], dtype=jnp.int32), idx)
    )
    return y, model_state


def _like_state(new: Any, old: Any) -> Any:
    """The forward's new model state in the structure of ``old`` (a scan's carry), each
    leaf in its old dtype."""
    if jax.tree_util.tree_structure(new) != jax.tree_util.tree_structure(old):
        return old
    return jax.tree_util.tree_map(lambda n, o: jnp.asarray(n, o.dtype), new, old)


class BoundedJit:
    """A jitted function whose compiled programs are bounded: an LRU of ``jax.jit`` objects.

    Each program family (the model, the shapes of the data, the chunk's shape, gated or not)
    gets its own ``jax.jit`` of a fresh wrapper of ``fn``; when more than ``max_programs``
    programs are held, the least recently used families are dropped, and with their ``jit``
    objects JAX's caches free their executables. Without this bound, a process that fits many
    datasets kept every program it ever compiled (issue 24: 1.6 GB after 200 fits).
    """

    def __init__(self, name: str, fn: Callable, max_programs: int, **jit_kwargs: Any):
        self.name = name
        self.fn = fn
        self.max_programs = max_programs
        self.jit_kwargs = jit_kwargs
        self._families: collections.OrderedDict[Any, list[Any]] = collections.OrderedDict()
        self._held = 0
        self.compiled = 0  # programs compiled so far (monotone: evictions do not lower it)

    def call(
        self, owner: Any, data: Any, idx: Any, valid: Any, args: tuple[Any, ...], sharding: Any
    ) -> Any:
        """``fn(*args, sharding=sharding)`` compiled, in the family of ``owner`` (the model's
        spec or forward function) and the shapes of ``data`` and ``idx``."""
        key = (
            owner, idx.shape, valid is None, sharding,
            tuple((a.shape, a.dtype) for a in jax.tree_util.tree_leaves(data)),
        )
        family = self._families.get(key)
        if family is None:  # [owner, jit, programs held]
            family = self._families[key] = [owner, self._jit(), 0]
        else:
            self._families.move_to_end(key)
        jitted = family[1]
        result = jitted(*args, sharding=sharding)
        size = jitted._cache_size()
        if size != family[2]:
            self.compiled += max(size - family[2], 0)
            self._held += size - family[2]
            family[2] = size
            while self._held > self.max_programs and len(self._families) > 1:
                _, (_, dropped, count) = self._families.popitem(last=False)
                self._held -= count
                dropped.clear_cache()
        return result

    def _jit(self) -> Any:
        fn = self.fn

        def program(*args, **kwargs):  # a fresh function: JAX's caches key on it
            return fn(*args, **kwargs)

        return jax.jit(_named(self.name, program), **self.jit_kwargs)

    def compiled_programs(self) -> int:
        """Programs compiled so far (for tests that count compilations)."""
        return self.compiled

    def held(self) -> int:
        """Programs held now (at most ``max_programs``, unless one family alone holds more)."""
        return self._held


#: Compiled chunk programs kept per kind (train, eval, predict); the least recently used go.
#: Above a batch size of 32 plus a few chunk shapes, so that fits on random lengths (a partial
#: last batch of every size) stop compiling once every size was seen.
MAX_PROGRAMS = 64

_compiled_train = BoundedJit(
    "train_chunk", _train_chunk, MAX_PROGRAMS, donate_argnums=0, static_argnames="sharding"
)
_compiled_eval = BoundedJit(
    "eval_chunk", _eval_chunk, MAX_PROGRAMS, static_argnames="sharding"
)
_compiled_predict = BoundedJit(
    "predict_chunk", _predict_chunk, MAX_PROGRAMS, static_argnums=0, static_argnames="sharding"
)


def _distributed(state: Any, data: Any, idx: Any, valid: Any, prefix: str | None) -> tuple:
    """The chunk's arguments placed for the current distribution, and their
    :class:`Placement` (None without a distribution).

    A :class:`TrainState` (``prefix``: its model's ``variable_path_prefix``) is placed by
    :meth:`jnet.distribution.Distribution.put_state`: weights per the distribution (all
    replicated for ``DataParallel``, per the layout map for ``ModelParallel``), optimizer
    slots like their weights. Predict's variables (``prefix`` None) were placed by
    :func:`distribute` when predict began; leaves the chunks return stay where they are.
    """
    dist = distribution_lib.distribution()
    if dist is None:
        return state, idx, valid, None
    placed = None
    if prefix is None:
        state = dist.put_on_mesh(state)
    else:
        state = dist.put_state(state, prefix)
        if not dist.replicates_weights:
            leaves, treedef = jax.tree_util.tree_flatten(state)
            placed = (treedef, tuple(leaf.sharding for leaf in leaves))
    idx = dist.global_rows(idx, data)
    if valid is not None and dist.multi_process:
        valid = dist.put_replicated(np.asarray(valid))
    return state, idx, valid, Placement(dist.batch_sharding, placed)


def train_chunk(state: TrainState, data: Any, idx: Any, valid: Any = None):
    """Runs ``idx.shape[0]`` train steps on the rows ``idx`` of the on-device ``data``.

    ``valid`` (an int32 scalar) runs only the first ``valid`` steps: a short last chunk is
    padded to the full chunk's shape and reuses its compilation. The state is donated. Under a
    :mod:`jnet.distribution` distribution, the state is replicated over the mesh and each batch
    split over it.
    """
    state, idx, valid, sharding = _distributed(
        state, data, idx, valid, state.spec.variable_prefix
    )
    return _compiled_train.call(state.spec, data, idx, valid, (state, data, idx, valid), sharding)


def eval_chunk(state: TrainState, data: Any, idx: Any, valid: Any = None):
    """Accumulates eval metrics over the rows ``idx`` of ``data``; weights are untouched.

    ``valid`` and the distribution as in :func:`train_chunk`.
    """
    state, idx, valid, sharding = _distributed(
        state, data, idx, valid, state.spec.variable_prefix
    )
    return _compiled_eval.call(state.spec, data, idx, valid, (state, data, idx, valid), sharding)


def predict_chunk(forward: Callable, variables: Any, x: Any, idx: Any, valid: Any = None):
    """``(predictions, model_state)``: the predictions for the rows ``idx`` of ``x``, shaped
    ``(k, batch, ...)`` (steps from ``valid`` on are padding: zeros, not computed), and the
    non-trainable collections after them (changed only by layers that ``assign`` in
    inference, as Keras keeps it)."""
    variables, idx, valid, sharding = _distributed(variables, x, idx, valid, None)
    return _compiled_predict.call(
        forward, x, idx, valid, (forward, variables, x, idx, valid), sharding
    )


# Programs compiled so far, for tests that count compilations.
train_chunk._cache_size = _compiled_train.compiled_programs  # type: ignore[attr-defined]
eval_chunk._cache_size = _compiled_eval.compiled_programs  # type: ignore[attr-defined]
predict_chunk._cache_size = _compiled_predict.compiled_programs  # type: ignore[attr-defined]


class InFlight:
    """Bounds the dispatches queued on the device whose data was sent with them.

    Dispatch is asynchronous: without a bound, a loop over streamed chunks would send every
    chunk before the device finished the first, holding the whole dataset in memory. After
    each streamed dispatch, this waits for the one ``depth`` dispatches back, so the host
    gathers the next chunk while the device runs the current one.

    Example:
        >>> flight = InFlight()
        >>> flight.add(jax.numpy.ones(2), streamed=True)
    """

    def __init__(self, depth: int = 1):
        self.depth = depth
        self._queue: list[Any] = []

    def add(self, result: Any, streamed: bool) -> None:
        """Records a dispatch's ``result``; waits for an older one when too many are queued."""
        if not streamed:
            return
        self._queue.append(result)
        if len(self._queue) > self.depth:
            jax.block_until_ready(self._queue.pop(0))


def fetch(tree: Any) -> Any:
    """Brings device arrays to the host as Python floats / numpy arrays."""
    host = jax.device_get(tree)
    return jax.tree_util.tree_map(
        lambda a: float(a) if np.ndim(a) == 0 else np.asarray(a), host
    )


def concat_predictions(parts: list[Any]) -> Any:
    """Joins ``(k, batch, ...)`` prediction chunks into one ``(N, ...)`` numpy array (tree)."""
    def join(*arrays):
        return np.concatenate([np.asarray(a).reshape((-1, *a.shape[2:])) for a in arrays], 0)

    return jax.tree_util.tree_map(join, *parts)


def to_device(tree: Any, keep: bool = False, rows: int | None = None) -> Any:
    """Puts a tree of numpy arrays on the default device (None leaves stay None); under a
    :mod:`jnet.distribution` distribution, a copy on every device of its mesh (with several
    processes, every process's rows, concatenated).

    ``jax.device_put`` copies host memory once; ``jnp.asarray`` took twice as long on a
    188 MB dataset (benchmarks, 2 CPU cores). ``keep``: reuse the copy made by an earlier call
    for the same, unchanged array (:mod:`jnet.training.device_cache`). ``rows``: numpy arrays
    are padded with zero rows to this many (:func:`padded_rows`; not under a distribution).
    """
    dist = distribution_lib.distribution()
    if dist is not None:
        return dist.put_data(tree)
    if keep:
        return jax.tree_util.tree_map(lambda a: device_cache.put(a, rows), tree)
    if rows is not None:
        tree = jax.tree_util.tree_map(lambda a: device_cache.pad_rows(a, rows), tree)
    return jax.tree_util.tree_map(jax.device_put, tree)


def distribute(variables: Any, prefix: str = "") -> Any:
    """A model's ``variables`` (``{collection: {layer: ...}}``) placed on the current
    distribution's mesh, each weight at its path ``prefix + '<layer>/<weight>'`` per the
    distribution (replicated for ``DataParallel``); as they are without one."""
    dist = distribution_lib.distribution()
    return variables if dist is None else dist.put_variables(variables, prefix, skip=1)


def distributed() -> bool:
    """Whether a :mod:`jnet.distribution` distribution is current."""
    return distribution_lib.distribution() is not None


def multi_process() -> bool:
    """Whether the current distribution spans several processes (they must then dispatch the
    same steps in lockstep: no per-process timing decisions)."""
    dist = distribution_lib.distribution()
    return dist is not None and dist.multi_process
