"""Muon with Keras's update rule (``keras/src/optimizers/muon.py``).

Muon orthogonalizes the (Nesterov) momentum of each 2-D weight with a quintic Newton-Schulz
iteration and steps along it; every other weight takes an AdamW step. Which weight goes which
way follows Keras exactly, from the parameter's path (``'dense/kernel'``, the keys of the
parameter tree joined by ``/``, which is Keras's ``variable.path`` for a layer's weight):

- a weight whose rank is not 2 -> AdamW (not configurable);
- with ``exclude_embeddings`` (default), a path containing ``'embedding'`` (any case) -> AdamW;
- a path in which ``re.search`` finds one of ``exclude_layers`` -> AdamW;
- anything else -> Muon.

Weight decay is decoupled, as Keras's: ``w <- w - w * wd * lr`` before the step, with
``weight_decay`` for Muon weights and ``adam_weight_decay`` for AdamW weights.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import optax

from jnet import errors
from jnet.optimizers._checks import (
    LearningRate,
    _check_bool,
    _check_float,
    _check_non_negative,
    _check_range,
)
from jnet.optimizers._optimizer import Optimizer
from jnet.optimizers._transformation import UpdateRule, _unfused, keras_transformation

__all__ = ["Muon", "MuonSlots", "keras_muon", "muon_uses_adamw"]


class MuonSlots(NamedTuple):
    """Muon's optimizer variables.

    Attributes:
        momentums: the momentums of every weight (Muon's and AdamW's first moments).
        velocities: AdamW's second moments; None at the leaves of Muon weights.
    """

    momentums: optax.Params
    velocities: optax.Params


def _path_string(path: Sequence[Any]) -> str:
    """A parameter's tree path as Keras's ``variable.path`` (keys joined by ``/``)."""
    return "/".join(str(getattr(k, "key", getattr(k, "idx", getattr(k, "name", k))))
                    for k in path)


def muon_uses_adamw(path: str, shape: Sequence[int], exclude_layers: Sequence[str] = (),
                    exclude_embeddings: bool = True) -> bool:
    """Keras's ``Muon._should_use_adamw``: whether a weight takes the AdamW step.

    Args:
        path: the weight's path (``'dense/kernel'``).
        shape: the weight's shape.
        exclude_layers: regular expressions; a path matching one (``re.search``) uses AdamW.
        exclude_embeddings: whether paths containing ``'embedding'`` (any case) use AdamW.

    Returns:
        True for AdamW, False for the Muon step.

    Example:
        >>> muon_uses_adamw("dense/kernel", (3, 4)), muon_uses_adamw("dense/bias", (4,))
        (False, True)
        >>> muon_uses_adamw("out/kernel", (3, 1), exclude_layers=["out"])
        True
    """
    if len(shape) != 2:
        return True
    if exclude_embeddings and "embedding" in path.lower():
        return True
    return any(re.search(keyword, path) for keyword in exclude_layers)


def _transpose_last(x: jax.Array) -> jax.Array:
    return jnp.swapaxes(x, -1, -2)


def newton_schulz5(x: jax.Array, steps: int, a: float, b: float, c: float) -> jax.Array:
    """Keras's ``zeropower_via_newtonschulz5``: an approximate ``U V^T`` of ``x = U S V^T``.

    Example:
        >>> import jax.numpy as jnp
        >>> y = newton_schulz5(jnp.array([[3.0, 0.0], [0.0, 0.5]]), 5, 3.4445, -4.7750, 2.0315)
        >>> bool(jnp.all(jnp.abs(jnp.diag(y) - 1.0) < 0.35))  # singular values pushed near 1
        True
    """
    tall = x.shape[-2] > x.shape[-1]
    if tall:
        x = _transpose_last(x)
    x = x / (jnp.sqrt(jnp.sum(jnp.square(x), axis=(-2, -1), keepdims=True)) + 1e-7)
    for _ in range(steps):
        temp_a = x @ _transpose_last(x)
        temp_b = _unfused(b * temp_a) + _unfused((c * temp_a) @ temp_a)
        x = _unfused(a * x) + _unfused(temp_b @ x)
    return _transpose_last(x) if tall else x


def _muon_rule(config: dict[str, Any]) -> UpdateRule:
    exclude_layers = tuple(config["exclude_layers"])

    def adamw_flags(tree: Any) -> list[bool]:
        with_paths, _ = jax.tree_util.tree_flatten_with_path(tree)
        return [muon_uses_adamw(_path_string(p), jnp.shape(leaf), exclude_layers,
                                config["exclude_embeddings"]) for p, leaf in with_paths]

    def init(params: optax.Params) -> MuonSlots:
        leaves, treedef = jax.tree_util.tree_flatten(params)
        flags = adamw_flags(params)
        return MuonSlots(
            momentums=optax.tree.zeros_like(params),
            velocities=treedef.unflatten(
                [jnp.zeros_like(p) if adam else None for p, adam in zip(leaves, flags,
                                                                         strict=True)]),
        )

    def step(grads, slots: MuonSlots, lr: jax.Array, iterations: jax.Array, params):
        treedef = jax.tree_util.tree_structure(params)
        flags = adamw_flags(params)
        columns = zip(treedef.flatten_up_to(grads), treedef.flatten_up_to(slots.momentums),
                      treedef.flatten_up_to(slots.velocities), treedef.flatten_up_to(params),
                      flags, strict=True)
        results = [(_adamw_leaf if adam else _muon_leaf)(config, g, m, v, p, lr, iterations)
                   for g, m, v, p, adam in columns]
        increments, momentums, velocities = ([r[i] for r in results] for i in range(3))
        return treedef.unflatten(increments), MuonSlots(
            momentums=treedef.unflatten(momentums), velocities=treedef.unflatten(velocities))

    return UpdateRule(init, step, reads_params=True)


def _decayed(p: jax.Array, weight_decay: float | None, lr: jax.Array) -> jax.Array:
    if weight_decay is None:
        return p
    return p - _unfused(_unfused(p * jnp.asarray(weight_decay, p.dtype)) * lr.astype(p.dtype))


def _adamw_leaf(config, g, m, v, p, lr, iterations):
    dtype = p.dtype
    w = _decayed(p, config["adam_weight_decay"], lr)
    lr_ = (lr * config["adam_lr_ratio"]).astype(dtype)
    g = g.astype(dtype)
    local_step = (iterations + 1).astype(dtype)
    b1_power = jnp.power(jnp.asarray(config["adam_beta_1"], dtype), local_step)
    b2_power = jnp.power(jnp.asarray(config["adam_beta_2"], dtype), local_step)
    alpha = lr_ * jnp.sqrt(1 - b2_power) / (1 - b1_power)
    m = m + _unfused((g - m) * (1 - config["adam_beta_1"]))
    v = v + _unfused((jnp.square(g) - v) * (1 - config["adam_beta_2"]))
    new = w - _unfused(m * alpha) / (_unfused(jnp.sqrt(v)) + config["epsilon"])
    return new - p, m, v


def _muon_leaf(config, g, m, v, p, lr, iterations):
    del iterations
    dtype = p.dtype
    w = _decayed(p, config["weight_decay"], lr)
    g = g.astype(dtype)
    momentum = config["momentum"]
    m = m + (g + _unfused(m * (momentum - 1)))
    direction = g + _unfused(momentum * m) if config["nesterov"] else m
    update = newton_schulz5(direction, config["ns_steps"], config["muon_a"], config["muon_b"],
                            config["muon_c"])
    step = lr.astype(dtype) * update
    if config["rms_rate"] is not None:
        scale = jnp.sqrt(jnp.asarray(max(step.shape[0], step.shape[1]), dtype))
        step = (step * scale) * config["rms_rate"]
    return (w - step) - p, m, v


def _check_muon(config: dict[str, Any]) -> dict[str, Any]:
    config = dict(config)
    for name in ("adam_beta_1", "adam_beta_2", "momentum"):
        config[name] = _check_range(name, config[name], 0.0, 1.0, high_open=True)
    config["epsilon"] = _check_non_negative("epsilon", config["epsilon"])
    for name in ("weight_decay", "adam_weight_decay", "rms_rate"):
        config[name] = _check_non_negative(name, config[name], allow_none=True)
    for name in ("muon_a", "muon_b", "muon_c", "adam_lr_ratio"):
        config[name] = _check_float(name, config[name])
    steps = config["ns_steps"]
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise errors.JnetValueError(
            f"Argument `ns_steps` must be an int >= 0; received ns_steps={steps!r}.")
    config["nesterov"] = _check_bool("nesterov", config["nesterov"])
    config["exclude_embeddings"] = _check_bool("exclude_embeddings",
                                               config["exclude_embeddings"])
    layers = config["exclude_layers"] or []
    if isinstance(layers, str) or not all(isinstance(k, str) for k in layers):
        raise errors.JnetTypeError(
            "Argument `exclude_layers` must be a list of strings (regular expressions); "
            f"received exclude_layers={layers!r}.")
    for keyword in layers:
        try:
            re.compile(keyword)
        except re.error as e:
            raise errors.JnetValueError(
                f"Argument `exclude_layers` holds {keyword!r}, not a regular expression: {e}."
            ) from None
    config["exclude_layers"] = list(layers)
    return config


_DEFAULTS: dict[str, Any] = {
    "adam_beta_1": 0.9, "adam_beta_2": 0.999, "adam_weight_decay": 0.004, "epsilon": 1e-7,
    "weight_decay": 0.004, "exclude_layers": None, "exclude_embeddings": True,
    "muon_a": 3.4445, "muon_b": -4.7750, "muon_c": 2.0315, "adam_lr_ratio": 1,
    "momentum": 0.95, "ns_steps": 5, "nesterov": True, "rms_rate": 0.2,
}


def keras_muon(learning_rate: LearningRate = 0.001, **kwargs: Any) -> optax.GradientTransformation:
    """Keras's Muon as an optax transformation (see :class:`Muon` for the arguments).

    Per Muon weight (2-D, not excluded), with ``mu = momentum``::

        m <- m + (g + m * (mu - 1))
        u = newton_schulz5(g + mu * m if nesterov else m)
        w <- w - (lr * u) * sqrt(max(rows, cols)) * rms_rate     # no scale if rms_rate None

    and Keras's Adam step (:func:`keras_adam`) with ``lr * adam_lr_ratio`` for the others.

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        **kwargs: Muon's own arguments (``adam_beta_1``, ``momentum``, ``exclude_layers``,
            ...) and ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``loss_scale_factor``.

    Returns:
        An ``optax.GradientTransformation`` (slots: :class:`MuonSlots`); its ``update``
        needs ``params``.

    Example:
        >>> import jax.numpy as jnp
        >>> from jnet.optimizers import keras_muon
        >>> tx = keras_muon(0.1, weight_decay=None, rms_rate=None)
        >>> params = {"dense": {"kernel": jnp.eye(2)}}
        >>> updates, _ = tx.update({"dense": {"kernel": jnp.eye(2)}}, tx.init(params), params)
        >>> [round(u, 2) for u in jnp.diag(updates["dense"]["kernel"]).tolist()]
        [-0.11, -0.11]
    """
    extras = {k: kwargs.pop(k) for k in ("clipnorm", "clipvalue", "global_clipnorm",
                                        "loss_scale_factor") if k in kwargs}
    unknown = set(kwargs) - set(_DEFAULTS)
    if unknown:
        raise errors.JnetTypeError(
            f"keras_muon got unexpected arguments {sorted(unknown)}; expected some of "
            f"{sorted(_DEFAULTS)}.")
    config = _check_muon({**_DEFAULTS, **kwargs})
    return keras_transformation(_muon_rule(config), learning_rate, **extras)


class Muon(Optimizer):
    """The Muon optimizer, Keras's ``keras.optimizers.Muon``: Newton-Schulz orthogonalized
    momentum for 2-D weights, AdamW for the rest.

    Which weights take AdamW is decided from their paths, as in Keras (see the module
    docstring and :func:`muon_uses_adamw`): pass the name of the output layer in
    ``exclude_layers``, as Keras's documentation advises.

    Args:
        learning_rate: a float >= 0 or a schedule ``step -> lr``. Defaults to 0.001.
        adam_beta_1: AdamW's first-moment decay, in [0, 1). Defaults to 0.9.
        adam_beta_2: AdamW's second-moment decay, in [0, 1). Defaults to 0.999.
        adam_weight_decay: the decoupled weight decay of AdamW weights, or None. Defaults to
            0.004.
        epsilon: AdamW's epsilon hat. Defaults to 1e-7.
        weight_decay: the decoupled weight decay of Muon weights, or None. Defaults to 0.004.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, ema_overwrite_frequency,
            loss_scale_factor, gradient_accumulation_steps, name: as in :class:`Optimizer`.
            The default name is 'muon'.
        exclude_layers: regular expressions; weights whose path matches one use AdamW.
            Defaults to None (none).
        exclude_embeddings: whether weights with 'embedding' in their path use AdamW.
            Defaults to True.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients. Defaults to 3.4445, -4.7750,
            2.0315.
        adam_lr_ratio: AdamW's learning rate is ``learning_rate * adam_lr_ratio``. Defaults
            to 1.
        momentum: Muon's momentum, in [0, 1). Defaults to 0.95.
        ns_steps: the number of Newton-Schulz iterations. Defaults to 5.
        nesterov: whether to use Nesterov momentum. Defaults to True.
        rms_rate: scales Muon's step by ``sqrt(max(rows, cols)) * rms_rate`` (Moonlight), or
            None for no scaling. Defaults to 0.2.
        **kwargs: as in :class:`Optimizer`.

    Example:
        >>> import jnet.optimizers
        >>> opt = jnet.optimizers.Muon(exclude_layers=["output"])
        >>> opt.get_config()["exclude_layers"], opt.get_config()["ns_steps"]
        (['output'], 5)
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        adam_beta_1: float = 0.9,
        adam_beta_2: float = 0.999,
        adam_weight_decay: float | None = 0.004,
        epsilon: float = 1e-7,
        weight_decay: float | None = 0.004,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        exclude_layers: list[str] | None = None,
        exclude_embeddings: bool = True,
        muon_a: float = 3.4445,
        muon_b: float = -4.7750,
        muon_c: float = 2.0315,
        adam_lr_ratio: float = 1,
        momentum: float = 0.95,
        ns_steps: int = 5,
        nesterov: bool = True,
        rms_rate: float | None = 0.2,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self._muon = _check_muon({
            "adam_beta_1": adam_beta_1, "adam_beta_2": adam_beta_2,
            "adam_weight_decay": adam_weight_decay, "epsilon": epsilon,
            "weight_decay": weight_decay, "exclude_layers": exclude_layers,
            "exclude_embeddings": exclude_embeddings, "muon_a": muon_a, "muon_b": muon_b,
            "muon_c": muon_c, "adam_lr_ratio": adam_lr_ratio, "momentum": momentum,
            "ns_steps": ns_steps, "nesterov": nesterov, "rms_rate": rms_rate,
        })
        for key, value in self._muon.items():
            if key != "weight_decay":
                setattr(self, key, value)

    def build(self) -> optax.GradientTransformation:
        """The optax transformation (see :func:`keras_muon`)."""
        extras = self._extras()
        del extras["weight_decay"]  # Muon decays each weight by its own rate
        config = {**self._muon, "weight_decay": self.weight_decay}
        return keras_muon(self.learning_rate, **config, **extras)

    def get_config(self) -> dict[str, Any]:
        """Keras's Muon config keys: the base keys plus Muon's own arguments."""
        return {
            **super().get_config(),
            **{k: getattr(self, k) for k in (
                "adam_beta_1", "adam_beta_2", "epsilon", "exclude_layers", "muon_a", "muon_b",
                "muon_c", "adam_lr_ratio", "momentum", "ns_steps", "nesterov",
                "exclude_embeddings", "adam_weight_decay", "rms_rate")},
        }

