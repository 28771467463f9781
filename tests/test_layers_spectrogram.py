"""MelSpectrogram and STFTSpectrogram against Keras (TF backend): outputs (1e-4 relative),
weights, output shapes, config and errors."""

import numpy as np
import pytest

import jnet

RNG = np.random.default_rng(0)
SIGNALS = RNG.normal(size=(2, 300)).astype(np.float32)
CHANNELS = RNG.normal(size=(2, 100, 2)).astype(np.float32)

MEL = [
    dict(fft_length=64, sequence_stride=16, num_mel_bins=10, sampling_rate=8000),
    dict(fft_length=64, sequence_stride=20, sequence_length=48, window="hamming",
         num_mel_bins=8, power_to_db=False, mag_exp=1.0, max_freq=3000, min_freq=100.0),
]


@pytest.mark.parametrize("kwargs", MEL, ids=str)
def test_mel_matches_keras(keras, kwargs):
    ours, theirs = jnet.layers.MelSpectrogram(**kwargs), keras.layers.MelSpectrogram(**kwargs)
    expected = np.asarray(theirs(SIGNALS))
    got = np.asarray(ours(SIGNALS))
    assert got.shape == expected.shape == ours.compute_output_shape(SIGNALS.shape)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())
    assert ours.get_config() | {"name": None} == {
        **theirs.get_config(), "name": None}


STFT = [  # (mode, padding, expand_dims, data_format)
    ("log", "valid", False, "channels_last"), ("magnitude", "same", True, "channels_last"),
    ("psd", "valid", False, "channels_first"), ("angle", "same", True, "channels_first"),
    ("stft", "valid", False, "channels_last"), ("real", "valid", True, "channels_last"),
    ("imag", "same", False, "channels_last"),
]


@pytest.mark.parametrize("mode,padding,expand_dims,data_format", STFT)
def test_stft_matches_keras(keras, mode, padding, expand_dims, data_format):
    kwargs = dict(mode=mode, frame_length=16, frame_step=5, padding=padding,
                  expand_dims=expand_dims)
    # Keras's TF convolution has no channels_first on CPU: compare channels_last outputs
    theirs = keras.layers.STFTSpectrogram(**kwargs)
    expected = np.asarray(theirs(CHANNELS))
    ours = jnet.layers.STFTSpectrogram(**kwargs, data_format=data_format)
    first = data_format == "channels_first"
    x = CHANNELS.transpose(0, 2, 1) if first else CHANNELS
    got = np.asarray(ours(x))
    if first:
        got = got.transpose(0, 2, 3, 1) if expand_dims else got.transpose(0, 2, 1)
    assert ours.compute_output_shape(x.shape) == (
        ours(x).shape)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
    assert [w.shape for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    np.testing.assert_allclose(ours.get_weights()[0], theirs.get_weights()[0], atol=1e-6)


def test_stft_config_round_trip():
    layer = jnet.layers.STFTSpectrogram(mode="psd", frame_length=8, window="hamming")
    config = layer.get_config()
    assert config["frame_step"] is None and config["data_format"] == "channels_last"


@pytest.mark.parametrize("make,error,message", [
    (lambda: jnet.layers.STFTSpectrogram(frame_length=8, frame_step=9), ValueError,
     "frame_step should be a positive integer not greater than frame_length"),
    (lambda: jnet.layers.STFTSpectrogram(frame_length=8, fft_length=4), ValueError,
     "fft_length should be not less than frame_length"),
    (lambda: jnet.layers.STFTSpectrogram(mode="power"), ValueError, "mode"),
    (lambda: jnet.layers.STFTSpectrogram()(np.ones((1, 300, 1), "int32")), TypeError,
     "float16, float32 or float64"),
    (lambda: jnet.layers.MelSpectrogram(fft_length=32, sequence_length=64), ValueError,
     "fft_length must be greater than or equal to sequence_length"),
    (lambda: jnet.layers.MelSpectrogram(fft_length=32)(np.ones((1, 2, 64))), ValueError,
     r"\(batch, samples\)"),
])
def test_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()
