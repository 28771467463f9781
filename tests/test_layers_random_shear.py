"""RandomShear: each image equals Keras's affine transform (TF backend) of the shear row it
drew (either sign, as Keras), inference identity, draws per image, config, errors."""

import jax
import numpy as np
import pytest

import jnet
from jnet.layers.random_shear import RandomShear

X = np.random.default_rng(0).uniform(0, 255, (6, 7, 8, 3)).astype(np.float32)


@pytest.mark.parametrize("kwargs", [
    dict(x_factor=(0.3, 0.3)),
    dict(y_factor=(0.4, 0.4), fill_mode="constant", fill_value=9.0, interpolation="nearest"),
], ids=str)
def test_matches_keras_affine_transform(keras, kwargs):
    layer = RandomShear(**kwargs)
    got = np.asarray(layer.apply({}, X, training=True, rngs={"dropout": jax.random.key(0)}))
    sx, sy = (kwargs.get("x_factor") or (0, 0))[0], (kwargs.get("y_factor") or (0, 0))[0]
    options = dict(interpolation=kwargs.get("interpolation", "bilinear"),
                   fill_mode=kwargs.get("fill_mode", "reflect"),
                   fill_value=kwargs.get("fill_value", 0.0))
    both = [np.asarray(keras.ops.image.affine_transform(
        X, np.array([1, s * sx, 0, s * sy, 1, 0, 0, 0], np.float32), **options))
        for s in (1.0, -1.0)]
    signs = set()
    for i in range(len(X)):
        errors_ = [np.abs(got[i] - b[i]).max() for b in both]
        assert min(errors_) < 1e-3, errors_
        signs.add(int(np.argmin(errors_)))
    assert signs == {0, 1}  # both signs drawn over six images
    np.testing.assert_array_equal(layer.apply({}, X), X)


def test_config_and_errors():
    config = RandomShear(0.2, (0.1, 0.3), seed=1).get_config()
    assert config["x_factor"] == 0.2 and config["y_factor"] == (0.1, 0.3)
    with pytest.raises(jnet.errors.JnetValueError, match="x_factor must be a number"):
        RandomShear(1.5)
    with pytest.raises(jnet.errors.JnetValueError, match="y_factor must be a number"):
        RandomShear(0.1, (-0.2, 0.2))
    with pytest.raises(jnet.errors.UnknownIdentifierError, match="fill_mode"):
        RandomShear(0.1, fill_mode="mirror")
