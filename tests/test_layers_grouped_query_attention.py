"""GroupQueryAttention: Keras's outputs, scores, weight layout, config and errors (reference:
Keras 3 on TensorFlow); its Keras-file import is in test_layers_multi_head_attention.py."""

import jax
import numpy as np
import pytest
from _keras_parity import jnet_apply

import jnet
from jnet.layers import GroupQueryAttention

TOL = {"rtol": 1e-5, "atol": 1e-5}

# (constructor kwargs, input shapes [query, value(, key)], call kwargs)
CASES = [
    ({"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2}, [(3, 5, 6), (3, 7, 6)],
     {}),
    ({"head_dim": 3, "num_query_heads": 2, "num_key_value_heads": 1, "use_bias": False},
     [(3, 5, 6), (3, 7, 6), (3, 7, 4)], {"return_attention_scores": True}),
    ({"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 4, "use_gate": True},
     [(2, 5, 6), (2, 5, 6)], {"use_causal_mask": True}),
    ({"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2, "sliding_window": 2},
     [(2, 5, 6), (2, 5, 6)], {"use_causal_mask": True, "return_attention_scores": True}),
]


@pytest.mark.parametrize("kwargs,shapes,call", CASES)
def test_outputs_scores_and_weight_layout_match_keras(keras, rng, kwargs, shapes, call):
    xs = [rng.normal(size=s).astype(np.float32) for s in shapes]
    klayer = keras.layers.GroupQueryAttention(**kwargs)
    klayer(*xs, **call)
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in klayer.get_weights()]
    klayer.set_weights(weights)
    want = klayer(*xs, **call)

    layer = GroupQueryAttention(**kwargs)
    weight_shapes, got = jnet_apply(layer, weights, tuple(xs), call)
    assert weight_shapes == [w.shape for w in weights]
    want = list(want) if isinstance(want, tuple) else [want]
    got = list(got) if isinstance(got, tuple) else [got]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, np.asarray(w), **TOL)
    kconfig, config = klayer.get_config(), layer.get_config()
    for key in ("head_dim", "num_query_heads", "num_key_value_heads", "dropout", "use_bias",
                "use_gate", "sliding_window", "seed"):
        assert config[key] == kconfig[key], key
    shapes_in = [(None, *s[1:]) for s in shapes]
    if shapes[0][-1] == shapes[1][-1]:
        assert layer.compute_output_shape(*shapes_in) == tuple(
            klayer.compute_output_shape(*shapes_in)
        )


ERRORS = [
    (lambda: GroupQueryAttention(4, 3, 2), ValueError, "divisible by num_key_value_heads"),
    (lambda: GroupQueryAttention(0, 2, 1), ValueError, "head_dim"),
    (lambda: GroupQueryAttention(4, 2, 1, dropout=2.0), ValueError, "dropout"),
    (lambda: GroupQueryAttention(4, 2, 1, sliding_window=-1), ValueError, "sliding_window"),
    (lambda: GroupQueryAttention(4, 2, 1).compute_output_shape((None, 3, 8), (None, 3, 6)),
     ValueError, "last dimension of query_shape and value_shape"),
    (lambda: GroupQueryAttention(4, 2, 1).init(
        jax.random.key(0), np.ones((1, 2, 3, 4), np.float32), np.ones((1, 2, 3, 4), np.float32)),
     ValueError, r"\(batch, length, features\)"),
]


@pytest.mark.parametrize("make,error,match", ERRORS)
def test_bad_arguments_raise_jnet_errors(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, jnet.errors.JnetError)
