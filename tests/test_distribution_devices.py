"""Data and model parallelism on 8 simulated CPU devices give one device's numbers.

One subprocess (tests/distribution_worker.py ``all``, with
``XLA_FLAGS=--xla_force_host_platform_device_count=8``) runs every case, so JAX and jnet
start once:

* ``fit``/``evaluate``/``predict`` under ``DataParallel()`` (jit + NamedSharding) against the
  same calls on one device: 62 samples in batches of 12, so every batch is uneven over 8
  devices and the last holds 2 rows (some devices get none), with shuffling; the MLP adds
  sample weights and a confusion-matrix metric (AUC);
* a hand-written ``jax.pmap`` loop over ``jnet.training.train_step(..., axis_name='batch')``
  against ``fit(shuffle=False)``: 64 samples in batches of 16 (2 rows per device); the CNN's
  BatchNormalization takes its moments over the global batch;
* ``ModelParallel`` on a 2x4 (data x model) mesh for an MLP (Keras's ``'.*dense.*kernel'``
  layout) and a transformer block (MultiHeadAttention's query/key/value/output kernels and
  the Dense FFN split over 'model'): fit (48 samples in batches of 12), evaluate, predict; the
  weights and Adam's slots are checked to be sharded per the layout map (unmatched ones
  replicated);
* the error of a layout whose mesh axis does not divide the weight's dimension.

Per-epoch losses and metrics, evaluation, predictions and final weights agree within 1e-5
relative.
"""

import pytest
from _distribution import assert_same_numbers, run_worker


@pytest.fixture(scope="module")
def result():
    return run_worker("all", timeout=900)


@pytest.mark.parametrize("case", ["mlp", "cnn_bn", "lstm"])
def test_data_parallel_and_pmap_match_one_device(result, case):
    assert result["devices"] == 8
    result = result[case]
    assert_same_numbers(result["data_parallel"], result["single"], f"{case} DataParallel")
    pmapped = result["pmap"]
    assert pmapped["replicas_equal"], "the pmapped replicas drifted apart"
    assert_same_numbers(pmapped, result["single_unshuffled"], f"{case} pmap loop")
    assert set(pmapped["history"]) == set(result["single_unshuffled"]["history"])


#: The PartitionSpec expected of weights (and their Adam slots), by the end of their path.
SHARDED = {
    "mp_mlp": {
        "['dense']['kernel']": "P(None, 'model')",
        "['dense']['bias']": "P('model',)",
        "['dense_1']['kernel']": "P(None, 'model')",
        "['dense_1']['bias']": "P('model',)",
        "['head']['kernel']": "P()",
        "['head']['bias']": "P()",
    },
    "transformer": {
        "['mha']['query']['kernel']": "P(None, None, 'model')",
        "['mha']['value']['kernel']": "P(None, None, 'model')",
        "['mha']['attention_output']['kernel']": "P(None, 'model')",  # (None, 'model', None)
        "['ffn_in']['kernel']": "P(None, 'model')",
        "['ffn_in']['bias']": "P('model',)",
        "['ffn_out']['kernel']": "P('model',)",  # ('model', None): trailing Nones dropped
        "['norm_1']['gamma']": "P()",
        "['head']['kernel']": "P()",
    },
}


@pytest.mark.parametrize("case", sorted(SHARDED))
def test_model_parallel_matches_one_device_and_shards_the_weights(result, case):
    result = result[case]
    assert_same_numbers(result["model_parallel"], result["single"], f"{case} ModelParallel")
    specs = result["model_parallel"]["specs"]
    for suffix, spec in SHARDED[case].items():
        params = [k for k in specs if k.startswith("params") and k.endswith(suffix)]
        slots = [k for k in specs if k.startswith("opt") and k.endswith(suffix)]
        assert len(params) == 1 and len(slots) == 2, (suffix, sorted(specs))  # Adam: m, v
        for key in params + slots:
            assert specs[key] == spec, (key, specs[key], spec)
    assert {s for k, s in specs.items() if not k.startswith("params['")} >= {"P()"}


def test_model_parallel_rejects_an_indivisible_layout(result):
    error = result["mp_errors"]
    assert error["type"] == "JnetValueError"
    for part in ("'sequential", "dense", "(3, 6)", "dimension 1 (6)", "'model'", "4 devices"):
        assert part in error["error"], (part, error["error"])
