"""MixUp and CutMix: images and {'images', 'labels'} dicts, label weights equal to the image
weights, permutations within the batch, inference identity, errors (inside a model: the
Pipeline and augmentation tests fit with random layers)."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.mixing import CutMix, MixUp

X = np.random.default_rng(0).uniform(size=(6, 8, 8, 3)).astype(np.float32)
Y = np.eye(6, dtype=np.float32)


def _train(layer, data, key=0):
    run = jax.jit(lambda d, k: layer.apply({}, d, training=True, rngs={"dropout": k}))
    return jax.tree.map(np.asarray, run(data, jax.random.key(key)))


def test_mix_up_blends_images_and_labels_with_one_weight():
    out = _train(MixUp(alpha=0.4), {"images": X, "labels": Y})
    labels = out["labels"]
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-6)
    for i in range(6):  # image i = w x_i + (1 - w) x_j, with w, j read from the labels
        j = int(np.argmax(labels[i] - (np.arange(6) == i) * 2)) if labels[i, i] < 1 else i
        w = labels[i, i] if j != i else 1.0
        np.testing.assert_allclose(out["images"][i], w * X[i] + (1 - w) * X[j], atol=1e-5)


def test_cut_mix_pastes_partner_pixels_and_weights_labels_by_area():
    out = _train(CutMix(), {"images": X, "labels": Y}, key=3)
    labels, images = out["labels"], out["images"]
    np.testing.assert_allclose(labels.sum(axis=1), 1.0, rtol=1e-6)
    for i in range(6):
        changed = (images[i] != X[i]).any(-1)
        if changed.any():
            j = int(np.argmax(labels[i] * (np.arange(6) != i)))
            np.testing.assert_array_equal(images[i][changed], X[j][changed])
            rows, cols = np.nonzero(changed)  # a box
            assert changed[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()
            assert 0 < labels[i, j] < 1  # the partner's share of the label


def test_inference_single_images_and_config():
    for layer in (MixUp(), CutMix()):
        np.testing.assert_array_equal(layer.apply({}, X), X)
    single = CutMix().apply({}, X[0], training=True, rngs={"dropout": jax.random.key(0)})
    np.testing.assert_array_equal(single, X[0])  # nothing to mix with
    config = CutMix(factor=0.5, seed=4).get_config()
    assert config["factor"] == 0.5 and config["seed"] == 4


@pytest.mark.parametrize("make,message", [
    (lambda: MixUp(alpha=0.0), "alpha must be a positive number, received 0.0"),
    (lambda: CutMix(factor=2.0), "factor must be a number"),
    (lambda: MixUp(seed=-1), "seed must be None"),
    (lambda: MixUp().apply({}, {"labels": Y}, training=True), "needs an 'images' entry"),
    (lambda: CutMix().apply({}, np.ones((4, 4))), "rank 4"),
    (lambda: MixUp().apply({}, X, training=True), "'dropout' PRNG key"),
])
def test_errors(make, message):
    with pytest.raises(jnet.errors.JnetValueError, match=message):
        make()
