"""image/text/audio_dataset_from_directory against Keras's: the tf.data path (TensorFlow
installed) gives Keras's batches exactly; the path without TensorFlow (forced) selects the same
files for each subset and decodes the same pixels, samples and texts."""

import os
import sys
import wave

import numpy as np
import pytest

import jnet
from jnet.errors import JnetValueError, MissingExtraError
from jnet.utils import dataset as dataset_module


@pytest.fixture
def no_tf(monkeypatch):
    """The path of a machine without TensorFlow."""
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", True)


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory):
    """3 classes of 6 generated PNGs each (RGB, gray and RGBA), of different sizes, one in a
    nested folder, plus files the index must skip (hidden folder, other extension)."""
    from PIL import Image

    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    for c, name in enumerate(("cats", "dogs", "fish")):
        os.makedirs(root / name / "nested")
        for i in range(6):
            h, w = (int(v) for v in rng.integers(6, 20, 2))
            rgb = rng.integers(0, 256, (h, w, 3)).astype(np.uint8)
            rgb[..., c] = 255  # the class is visible in one channel
            image = [Image.fromarray(rgb), Image.fromarray(rgb[..., c]),
                     Image.fromarray(np.dstack([rgb, rgb[..., :1]]))][i % 3]
            folder = root / name / ("nested" if i == 5 else "")
            image.save(folder / f"img{i}.png")
        (root / name / "notes.txt").write_text("not an image")
    os.makedirs(root / ".hidden")
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(root / ".hidden" / "x.png")
    return root


@pytest.fixture(scope="module")
def text_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("texts")
    for name in ("neg", "pos"):
        os.makedirs(root / name)
        for i in range(5):
            (root / name / f"{i}.txt").write_text(f"{name} review number {i} " + "x" * i)
    return root


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("audio")
    rng = np.random.default_rng(1)
    for name in ("no", "yes"):
        os.makedirs(root / name)
        for i in range(3):
            samples = rng.integers(-32768, 32767, (50 + 7 * i, 1)).astype("<i2")
            with wave.open(str(root / name / f"{i}.wav"), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes(samples.tobytes())
    return root


def _batches(ds):
    return [b if isinstance(b, tuple) else (b,) for b in ds.as_numpy_iterator()]


def _assert_batches(got, want, atol=0.0):
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert len(g) == len(w)
        for a, b in zip(g, w, strict=True):
            if isinstance(b, bytes):
                assert a == b
                continue
            assert a.shape == b.shape and a.dtype == b.dtype
            if a.dtype == object:
                assert a.tolist() == b.tolist()
            else:
                np.testing.assert_allclose(a.astype(np.float64), b, atol=atol)


IMAGE_CASES = [
    {},
    {"shuffle": False, "color_mode": "grayscale", "label_mode": "categorical"},
    {"seed": 3, "validation_split": 0.3, "subset": "training", "interpolation": "nearest"},
    {"seed": 3, "validation_split": 0.3, "subset": "validation", "crop_to_aspect_ratio": True},
    {"seed": 5, "validation_split": 0.25, "subset": "both", "pad_to_aspect_ratio": True},
    {"shuffle": False, "class_names": ["fish", "cats"], "label_mode": "binary",
     "color_mode": "rgba", "data_format": "channels_first"},
    {"shuffle": False, "labels": [0, 1, 2] * 6 + [1], "batch_size": None, "image_size": 5},
    {"shuffle": False, "labels": None, "interpolation": "bicubic"},
]


def _image_kwargs(case):
    return {"image_size": (8, 10), "batch_size": 4, "seed": 1, "verbose": False, **case}


@pytest.mark.parametrize("case", IMAGE_CASES, ids=str)
def test_image_dataset_is_keras_tf_data(keras, image_dir, case):
    import tensorflow as tf

    kwargs = _image_kwargs(case)
    got = jnet.utils.image_dataset_from_directory(image_dir, **kwargs)
    want = keras.utils.image_dataset_from_directory(str(image_dir), **kwargs)
    pairs = zip(got, want, strict=True) if case.get("subset") == "both" else [(got, want)]
    for g, w in pairs:
        assert isinstance(g, tf.data.Dataset)
        assert g.class_names == w.class_names and g.file_paths == w.file_paths
        _assert_batches(_batches(g), _batches(w))


@pytest.mark.parametrize("case", IMAGE_CASES, ids=str)
def test_image_dataset_without_tensorflow_reads_the_same_files(keras, image_dir, no_tf, case):
    kwargs = _image_kwargs(case)
    got = jnet.utils.image_dataset_from_directory(image_dir, **kwargs)
    want = keras.utils.image_dataset_from_directory(str(image_dir), **kwargs)
    pairs = zip(got, want, strict=True) if case.get("subset") == "both" else [(got, want)]
    for i, (g, w) in enumerate(pairs):
        assert isinstance(g, jnet.utils.Dataset)
        assert g.class_names == w.class_names and g.file_paths == w.file_paths
        assert len(g) == len(w)
        got_b, want_b = _batches(g), _batches(w)
        if kwargs.get("shuffle", True) and i == 0:
            # a shuffled set comes in its own order: compare image sums and labels as sets
            for part in range(len(got_b[0])):
                def sums(batches, part=part):
                    return np.sort(np.concatenate([
                        b[part].reshape(len(b[part]), -1).sum(axis=1) for b in batches]))
                np.testing.assert_allclose(sums(got_b), sums(want_b), atol=0.5)
        else:
            _assert_batches(got_b, want_b, atol=1e-3)


def test_bmp_gif_and_jpeg_decode_as_tensorflow_does(keras, tmp_path, no_tf):
    from PIL import Image

    rgb = np.random.default_rng(2).integers(0, 256, (9, 14, 3)).astype(np.uint8)
    os.makedirs(tmp_path / "a")
    for fmt in ("bmp", "gif", "jpg"):
        Image.fromarray(rgb).save(tmp_path / "a" / f"x.{fmt}")
    kwargs = {"image_size": (7, 5), "shuffle": False, "verbose": False, "batch_size": 1}
    got = _batches(jnet.utils.image_dataset_from_directory(tmp_path, **kwargs))
    want = _batches(keras.utils.image_dataset_from_directory(str(tmp_path), **kwargs))
    _assert_batches(got[:2], want[:2], atol=1e-3)  # bmp, gif: the same pixels
    _assert_batches(got[2:], want[2:], atol=8)  # jpeg: libjpeg's DCTs differ by a few levels


def test_image_dataset_prints_as_keras(image_dir, capsys, no_tf):
    jnet.utils.image_dataset_from_directory(image_dir, validation_split=0.2, subset="both",
                                            seed=1)
    assert capsys.readouterr().out == (
        "Found 18 files belonging to 3 classes.\nUsing 15 files for training.\n"
        "Using 3 files for validation.\n")
    jnet.utils.text_dataset_from_directory(image_dir, labels=None)
    assert capsys.readouterr().out == "Found 3 files.\n"


def test_fit_a_small_cnn_from_a_folder_gives_the_same_loss_with_and_without_tf(
        image_dir, monkeypatch):
    jnet.utils.set_random_seed(0)
    model = jnet.Sequential([
        jnet.layers.Input((8, 8, 3)),
        jnet.layers.Conv2D(4, 3, activation="relu"),
        jnet.layers.GlobalAveragePooling2D(),
        jnet.layers.Dense(3),
    ])
    model.compile(optimizer=jnet.optimizers.SGD(0.1),
                  loss=jnet.losses.SparseCategoricalCrossentropy(from_logits=True))
    initial = model.get_weights()

    def fit():
        ds = jnet.utils.image_dataset_from_directory(
            image_dir, image_size=(8, 8), batch_size=6, shuffle=False, verbose=False)
        ds = ds.map(lambda x, y: (x / 255.0, y)).cache().prefetch(2)
        model.set_weights(initial)
        return model.fit(ds, epochs=2, verbose=0, shuffle=False).history["loss"]

    with_tf = fit()
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", True)
    without_tf = fit()
    assert with_tf[1] < with_tf[0]
    np.testing.assert_allclose(without_tf, with_tf, rtol=1e-5)


TEXT_CASES = [
    {"shuffle": False},
    {"seed": 2, "max_length": 8, "label_mode": "binary"},
    {"seed": 2, "validation_split": 0.4, "subset": "both", "label_mode": "categorical"},
    {"shuffle": False, "labels": None, "batch_size": None},
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=str)
@pytest.mark.parametrize("tensorflow", [True, False], ids=["tf", "no_tf"])
def test_text_dataset_matches_keras(keras, text_dir, monkeypatch, case, tensorflow):
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", not tensorflow)
    kwargs = {"batch_size": 3, "verbose": False, **case}
    got = jnet.utils.text_dataset_from_directory(text_dir, **kwargs)
    want = keras.utils.text_dataset_from_directory(str(text_dir), **kwargs)
    pairs = zip(got, want, strict=True) if case.get("subset") == "both" else [(got, want)]
    for i, (g, w) in enumerate(pairs):
        assert g.class_names == w.class_names
        got_b, want_b = _batches(g), _batches(w)
        if not tensorflow and kwargs.get("shuffle", True) and i == 0:
            assert sorted(t for b in got_b for t in b[0]) == sorted(
                t for b in want_b for t in b[0])
        else:
            _assert_batches(got_b, want_b)


AUDIO_CASES = [
    {"shuffle": False},
    {"shuffle": False, "output_sequence_length": 60, "label_mode": "categorical"},
    {"seed": 4, "validation_split": 0.5, "subset": "both"},
    {"shuffle": False, "labels": None, "batch_size": None},
]


@pytest.mark.parametrize("case", AUDIO_CASES, ids=str)
@pytest.mark.parametrize("tensorflow", [True, False], ids=["tf", "no_tf"])
def test_audio_dataset_matches_keras(keras, audio_dir, monkeypatch, case, tensorflow):
    monkeypatch.setattr(dataset_module, "FORCE_NO_TENSORFLOW", not tensorflow)
    kwargs = {"batch_size": 2, "verbose": False, **case}
    got = jnet.utils.audio_dataset_from_directory(audio_dir, **kwargs)
    want = keras.utils.audio_dataset_from_directory(str(audio_dir), **kwargs)
    pairs = zip(got, want, strict=True) if case.get("subset") == "both" else [(got, want)]
    for i, (g, w) in enumerate(pairs):
        assert g.class_names == w.class_names
        got_b, want_b = _batches(g), _batches(w)
        if not tensorflow and kwargs.get("shuffle", True) and i == 0:
            def sums(batches):
                return np.sort([float(x.sum()) for b in batches for x in b[0]])
            np.testing.assert_allclose(sums(got_b), sums(want_b), rtol=1e-6)
        else:
            _assert_batches(got_b, want_b)


IMAGE_ERRORS = [
    ({"labels": "folders"}, "`labels` argument should be a list/tuple.*labels='folders'"),
    ({"labels": [0], "class_names": ["a"]}, "only pass `class_names` if `labels=\"inferred\"`"),
    ({"label_mode": "sparse"}, "label_mode.*Received: label_mode='sparse'"),
    ({"color_mode": "cmyk"}, "color_mode.*Received: color_mode='cmyk'"),
    ({"image_size": (1, 2, 3)}, r"image_size.*Received: image_size=\(1, 2, 3\)"),
    ({"interpolation": "cubic"}, "interpolation.*Received: interpolation='cubic'"),
    ({"crop_to_aspect_ratio": True, "pad_to_aspect_ratio": True}, "only one of"),
    ({"format": "torch"}, "format.*Received: format='torch'"),
    ({"validation_split": 1.5, "subset": "training", "seed": 1}, "between 0 and 1"),
    ({"validation_split": 0.2}, "if `subset` is set, `validation_split` must be set"),
    ({"validation_split": 0.2, "subset": "test", "seed": 1}, "subset.*received: subset='test'"),
    ({"validation_split": 0.2, "subset": "training"}, "you must provide a `seed`"),
    ({"class_names": ["cats", "lions"]}, r"did not match.*\['cats', 'dogs', 'fish'\]"),
    ({"labels": None, "class_names": ["cats"]}, "`class_names` cannot be specified"),
    ({"labels": [0, 1]}, "len\\(labels\\) is 2 while we found 19 files"),
    ({"label_mode": "binary"}, "exactly 2 class_names"),
    ({"data_format": "nhwc"}, "data_format.*received data_format='nhwc'"),
]


@pytest.mark.parametrize("kwargs,match", IMAGE_ERRORS, ids=str)
def test_image_dataset_errors(image_dir, kwargs, match):
    with pytest.raises(JnetValueError, match=match):
        jnet.utils.image_dataset_from_directory(image_dir, verbose=False, **kwargs)


def test_other_errors(image_dir, text_dir, audio_dir, tmp_path, no_tf):
    with pytest.raises(JnetValueError, match="must be an existing folder"):
        jnet.utils.image_dataset_from_directory(tmp_path / "missing")
    with pytest.raises(JnetValueError, match="no images found in directory"):
        jnet.utils.image_dataset_from_directory(text_dir, verbose=False)
    with pytest.raises(JnetValueError, match="no training text files found"):
        jnet.utils.text_dataset_from_directory(image_dir, validation_split=0.2, subset="both",
                                               seed=1, verbose=False)
    with pytest.raises(JnetValueError, match="max_length"):
        jnet.utils.text_dataset_from_directory(text_dir, max_length=-1)
    with pytest.raises(JnetValueError, match="both `ragged` and `output_sequence_length`"):
        jnet.utils.audio_dataset_from_directory(audio_dir, ragged=True,
                                                output_sequence_length=3)
    with pytest.raises(JnetValueError, match="`sampling_rate` should be higher than 0"):
        jnet.utils.audio_dataset_from_directory(audio_dir, sampling_rate=0)
    with pytest.raises(ImportError, match="tensorflow_io"):
        jnet.utils.audio_dataset_from_directory(audio_dir, sampling_rate=16000)
    with pytest.raises(JnetValueError, match="ragged=True.*needs TensorFlow"):
        jnet.utils.audio_dataset_from_directory(audio_dir, ragged=True)
    with wave.open(str(tmp_path / "a.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01")
    with pytest.raises(JnetValueError, match="8-bit samples; only 16-bit PCM"):
        list(jnet.utils.audio_dataset_from_directory(tmp_path, labels=None, verbose=False))


def test_pixel_cap_applies_without_tensorflow(image_dir, no_tf, monkeypatch):
    monkeypatch.setattr(jnet.utils.image_utils, "MAX_IMAGE_PIXELS", 30)
    ds = jnet.utils.image_dataset_from_directory(image_dir, verbose=False, seed=1)
    with pytest.raises(JnetValueError, match="declares more pixels"):
        next(iter(ds))


def test_without_tensorflow_or_pillow_the_call_names_the_extra(image_dir, no_tf, monkeypatch):
    for name in [m for m in sys.modules if m == "PIL" or m.startswith("PIL.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(MissingExtraError, match=r"without TensorFlow needs Pillow.*jnet\[images\]"):
        jnet.utils.image_dataset_from_directory(image_dir, verbose=False)
