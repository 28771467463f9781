"""ContrastLimitedAdaptiveHistogramEqualization against Keras (TF backend): pixels (padded and
unpadded grids, clip limits, value ranges, channels first), config and errors."""

import numpy as np
import pytest

import jnet

X = np.random.default_rng(0).uniform(0, 255, (2, 13, 10, 3)).astype(np.float32)
CASES = [dict(), dict(tile_grid_size=(3, 4), clip_limit=2.0),
         dict(tile_grid_size=(2, 2), clip_limit=0.0, value_range=(0, 1))]


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_matches_keras(keras, kwargs):
    x = X / 255.0 if kwargs.get("value_range") == (0, 1) else X
    expected = np.asarray(keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)(x))
    layer = jnet.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    scale = 255.0 if kwargs.get("value_range") != (0, 1) else 1.0
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-5 * scale)
    channels_first = jnet.layers.ContrastLimitedAdaptiveHistogramEqualization(
        **kwargs, data_format="channels_first")
    np.testing.assert_allclose(channels_first(x[0].transpose(2, 0, 1)).transpose(1, 2, 0),
                               expected[0], rtol=1e-5, atol=1e-5 * scale)


def test_config_and_errors(keras):
    layer = jnet.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))
    theirs = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))
    assert layer.get_config() | {"name": None} == theirs.get_config() | {"name": None}
    with pytest.raises(jnet.errors.JnetValueError, match="tile_grid_size must be a tuple"):
        jnet.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=8)
    with pytest.raises(jnet.errors.JnetValueError, match="rank 4"):
        layer(np.ones((4, 4), "float32"))
