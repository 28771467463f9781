"""RandomPerspective, RandomElasticTransform, RandAugment, AugMix and MaxNumBoundingBoxes.

A given transformation applied by ``transform_images`` gives Keras's (TF backend) pixels;
the random layers keep shape, dtype and value range, repeat themselves for one key, change
the image in training and are the identity at inference (and in ``predict``); a direct eager
call defaults to ``training=True``, as Keras's preprocessing layers do.
"""

import jax
import numpy as np
import pytest

import jnet
from jnet import layers as L

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (2, 8, 8, 3)).astype("float32")


def test_perspective_of_a_given_transformation_matches_keras(keras):
    start = np.broadcast_to(np.array([[0, 0], [7, 0], [0, 7], [7, 7]], "float32"), (2, 4, 2))
    moves = RNG.uniform(-0.25, 0.25, (2, 4, 2)).astype("float32")
    t = {"apply_perspective": np.array([True, False]), "start_points": start,
         "end_points": (start + start * moves).astype("float32")}
    ours = np.asarray(L.RandomPerspective().transform_images(IMAGES, t))
    theirs = np.asarray(keras.layers.RandomPerspective().transform_images(
        IMAGES, t, training=True))
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    np.testing.assert_array_equal(ours[1], IMAGES[1])  # not applied: unchanged


def test_elastic_transform_with_no_distortion_is_the_identity():
    t = {"apply_transform": np.array([True, True]), "distortion_factor": 0.0,
         "noise": np.zeros((2, 8, 8), "float32")}
    out = L.RandomElasticTransform().transform_images(IMAGES, t)
    np.testing.assert_allclose(np.asarray(out), IMAGES, atol=1e-4)


_RANDOM = [
    ("perspective", lambda: L.RandomPerspective(factor=(1.0, 1.0), scale=0.5)),
    ("elastic", lambda: L.RandomElasticTransform(factor=(1.0, 1.0), scale=0.5)),
    ("rand_augment", lambda: L.RandAugment(num_ops=2, factor=0.5)),
    ("aug_mix", lambda: L.AugMix(num_chains=2, chain_depth=2)),
]


@pytest.mark.parametrize("make", [m for _, m in _RANDOM], ids=[n for n, _ in _RANDOM])
def test_random_layers_train_repeat_and_keep_inference(make):
    layer = make()
    key = {"dropout": jax.random.key(3)}
    first = np.asarray(layer.apply({}, IMAGES, training=True, rngs=key))
    again = np.asarray(layer.apply({}, IMAGES, training=True, rngs=key))
    assert first.shape == IMAGES.shape and first.dtype == np.float32
    assert 0 <= first.min() and first.max() <= 255
    np.testing.assert_array_equal(first, again)  # one key, one result
    assert not np.allclose(first, IMAGES)  # training changes the images
    np.testing.assert_array_equal(np.asarray(layer.apply({}, IMAGES)), IMAGES)


def test_a_direct_eager_call_augments_and_predict_does_not():
    layer = L.RandomPerspective(factor=(1.0, 1.0), scale=0.8, seed=1)  # always applied
    assert not np.allclose(np.asarray(layer(IMAGES)), IMAGES)  # Keras: training=True
    np.testing.assert_array_equal(np.asarray(layer(IMAGES, training=False)), IMAGES)
    model = jnet.Sequential([jnet.Input((8, 8, 3)), L.RandomPerspective(factor=(1.0, 1.0))])
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), IMAGES)


def test_max_num_bounding_boxes_pads_and_truncates_as_keras(keras):
    boxes = {"boxes": np.arange(24.0, dtype="float32").reshape(2, 3, 4),
             "labels": np.array([[1, 2, 3], [4, 5, 6]], "int32")}
    for max_number in (2, 5):
        data = {"images": IMAGES, "bounding_boxes": dict(boxes)}
        ours = L.MaxNumBoundingBoxes(max_number)(data)["bounding_boxes"]
        theirs = keras.layers.MaxNumBoundingBoxes(max_number, bounding_box_format="xyxy")(
            {"images": IMAGES, "bounding_boxes": dict(boxes)})["bounding_boxes"]
        for key in ("boxes", "labels"):
            np.testing.assert_array_equal(np.asarray(ours[key]), np.asarray(theirs[key]))
    with pytest.raises(jnet.errors.JnetValueError, match="max_number"):
        L.MaxNumBoundingBoxes(0)
