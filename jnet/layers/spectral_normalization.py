"""SpectralNormalization: a layer's kernel divided by its largest singular value, estimated
by power iteration (Keras's ``keras.layers.SpectralNormalization``; Miyato et al., 2018).

Example:
    >>> import numpy as np, jnet
    >>> layer = SpectralNormalization(jnet.layers.Dense(3))
    >>> layer(np.ones((2, 4), "float32")).shape
    (2, 3)
"""

from __future__ import annotations

from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from jnet import config, dtype_policies, errors, initializers
from jnet.layers.base import Layer, WeightPath, _has_path

__all__ = ["SpectralNormalization"]

_STATE = "batch_stats"  # the collection of vector_u (updated in training only)


def _normalize(x: jax.Array) -> jax.Array:
    """Keras's ``ops.normalize(x, axis=None)``: ``x * min(rsqrt(sum(x**2)), 1/epsilon)``."""
    inv = jax.lax.rsqrt(jnp.sum(jnp.square(x)))
    return x * jnp.minimum(inv, 1.0 / config.epsilon())


def normalized_kernel(kernel: jax.Array, vector_u: jax.Array,
                      power_iterations: int) -> tuple[jax.Array, jax.Array]:
    """``(new vector_u, kernel / sigma)``: Keras's ``normalized_weights``, sigma the power
    iteration's estimate of the largest singular value of ``kernel`` reshaped to
    ``(-1, kernel.shape[-1])`` (the gradient flows through ``kernel`` and sigma, not
    through the singular vectors)."""
    weights = kernel.reshape(-1, kernel.shape[-1])
    u = vector_u
    for _ in range(power_iterations):
        v = _normalize(u @ weights.T)
        u = _normalize(v @ weights)
    u, v = jax.lax.stop_gradient(u), jax.lax.stop_gradient(v)
    sigma = (v @ weights) @ u.T
    return u.astype(vector_u.dtype), (kernel / sigma[0, 0]).astype(kernel.dtype)


class SpectralNormalization(Layer):
    """Performs spectral normalization on the weights of a target layer.

    This wrapper controls the Lipschitz constant of the weights of a layer by constraining
    their spectral norm, which can stabilize the training of GANs. In training, the
    non-trainable ``vector_u`` advances ``power_iterations`` steps of power iteration and
    the wrapped layer computes with ``kernel / sigma`` (unless the kernel is all zeros); in
    inference the wrapped layer runs as it is. Weights are Keras's: ``[kernel, vector_u,
    bias]`` for a Dense.

    Difference from Keras: Keras's ``call`` assigns ``kernel / sigma`` to the wrapped
    layer's kernel variable. On Keras's JAX backend that assignment to a trainable variable
    is dropped by the stateless training step, so the stored kernel stays unnormalized and
    gradients flow through sigma; jnet computes exactly that (Keras 3 on JAX's numbers). On
    the TensorFlow backend the assignment persists, so training numbers differ there. Keras
    also makes ``SpectralNormalization`` a subclass of ``Wrapper``; jnet's ``Wrapper`` is
    the base for user-written (Keras-style) wrappers, and this built-in layer is a pure
    (Flax) layer beside it. Keras casts the output to the inputs' dtype, which turns a
    wrapped ``Embedding``'s vectors into integer zeros; jnet casts float inputs' outputs only.

    Args:
        layer: a jnet layer with a ``kernel`` (``Dense``, ``Conv2D``, ...) or an
            ``embeddings`` weight (``Embedding``).
        power_iterations: the number of power iterations per training step (int > 0).
            Defaults to 1.

    Example:
        >>> import jax, jax.numpy as jnp, jnet
        >>> layer = SpectralNormalization(jnet.layers.Conv2D(2, 2), power_iterations=2)
        >>> variables = layer.init(jax.random.key(0), jnp.ones((1, 10, 10, 1)))
        >>> sorted(variables["batch_stats"]), variables["batch_stats"]["vector_u"].shape
        (['vector_u'], (1, 2))
        >>> layer.apply(variables, jnp.ones((1, 10, 10, 1))).shape
        (1, 9, 9, 2)
    """

    layer: Any = None
    power_iterations: int = 1

    def __post_init__(self):
        if not isinstance(self.layer, Layer):
            raise errors.JnetValueError(
                f"SpectralNormalization: layer must be a jnet layer with a kernel or "
                f"embeddings weight (Dense, Conv2D, Embedding, ...), received "
                f"{errors.describe(self.layer)}."
            )
        p = self.power_iterations
        if isinstance(p, bool) or not isinstance(p, int | np.integer) or p <= 0:
            raise errors.JnetValueError(
                f"SpectralNormalization: power_iterations should be an integer greater than "
                f"zero, received power_iterations={p!r}."
            )
        super().__post_init__()

    # -- Keras's view ---------------------------------------------------------------------

    @nn.nowrap
    def _kernel_name(self, params: Any) -> str:
        for name in ("kernel", "embeddings"):
            if name in params:
                return name
        raise errors.JnetValueError(
            f"SpectralNormalization: {type(self.layer).__name__} has no weight 'kernel' nor "
            f"'embeddings' (its weights: {sorted(params)}); wrap a Dense, Conv or Embedding "
            f"layer."
        )

    @nn.nowrap
    def _penalty_rules(self, which: int) -> list[tuple[WeightPath, Any]]:
        return [(("wrapped", *p), r) for p, r in self.layer._penalty_rules(which)]

    @nn.nowrap
    def weight_paths(self, variables) -> list[WeightPath]:
        inner = {c: t["wrapped"] for c, t in variables.items() if "wrapped" in t}
        paths = [(p[0], "wrapped", *p[1:]) for p in self.layer.weight_paths(inner)]
        u = (_STATE, "vector_u")
        if not _has_path(variables, u):
            return paths
        # Keras tracks the wrapped kernel as the wrapper's own trainable weight: first
        kernel = [p for p in paths if p[-1] in ("kernel", "embeddings")][:1]
        return kernel + [u] + [p for p in paths if p not in kernel]

    @nn.nowrap
    def get_config(self) -> dict[str, Any]:
        config_: dict[str, Any] = {"name": self.name, "trainable": self.trainable,
                                   "dtype": dtype_policies.serialize(self.dtype_policy)}
        config_["layer"] = {"module": "keras.layers", "class_name": type(self.layer).__name__,
                            "config": self.layer.get_config(), "registered_name": None}
        config_["power_iterations"] = int(self.power_iterations)
        return config_

    @nn.nowrap
    def declared_input_shape(self):
        return super().declared_input_shape() or self.layer.declared_input_shape()

    # -- the computation ----------------------------------------------------------------

    @nn.compact
    def __call__(self, inputs, training: bool = False):
        inner = self.layer.clone(parent=None, name=None)
        inputs = jnp.asarray(inputs)
        params = self.param(
            "wrapped", lambda key: inner.init({"params": key}, inputs)["params"]
        )
        name = self._kernel_name(params)
        kernel = params[name]
        vector_u = self.variable(
            _STATE, "vector_u",
            lambda: initializers.TruncatedNormal(stddev=0.02)(
                self.make_rng("params"), (1, kernel.shape[-1]), jnp.float32
            ),
        )
        if training and not self.is_initializing():
            new_u, new_kernel = normalized_kernel(kernel, vector_u.value,
                                                  int(self.power_iterations))
            zero = jnp.all(kernel == 0)
            vector_u.value = jnp.where(zero, vector_u.value, new_u)
            params = {**params, name: jnp.where(zero, kernel, new_kernel)}
        y = inner.apply({"params": params}, inputs, training=training)
        return y.astype(inputs.dtype) if jnp.issubdtype(inputs.dtype, jnp.floating) else y
