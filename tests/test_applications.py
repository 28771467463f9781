"""jnet.applications against Keras's: the same networks, weights that move both ways, the
same preprocessing, decoding and argument errors.

One table row per family, its smallest member at a small input: Keras builds it with random
weights and saves them as a Keras 3 ``.weights.h5`` and a Keras 2 legacy ``.h5``; jnet's
model loads each and must predict the same (1e-4), with the same layer names in the same
order and the same parameter count. ResNet and DenseNet are checked through the builders
their members share, with fewer blocks: building ResNet50 or DenseNet121 takes jnet tens of
seconds of CPU (each layer is initialized on its own), too much for this suite. The full
members (VGG16/19, ResNet50/101/152 and V2, DenseNet121/169/201, MobileNetV3Large) were
compared with Keras once by hand: same layer names, classes and parameter counts, and the
smallest of each family the same predictions from Keras's saved weights.
"""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

import jnet
from jnet.applications import _weights, imagenet_utils

SHAPE = (32, 32, 3)


def _resnet_v1(app):
    """A two-stack ResNet (v1 blocks) through the builder ResNet50/101/152 share."""
    def stack_fn(x):
        x = app.resnet.stack_residual_blocks_v1(x, 4, 2, stride1=1, name="conv2")
        return app.resnet.stack_residual_blocks_v1(x, 8, 2, name="conv3")

    return app.resnet.ResNet(stack_fn, False, True, weights=None, input_shape=SHAPE,
                             classes=7, name="resnet_small")


def _resnet_v2(app):
    """A two-stack ResNetV2 (pre-activation blocks, max-pooled shortcuts)."""
    def stack_fn(x):
        x = app.resnet.stack_residual_blocks_v2(x, 4, 2, name="conv2")
        return app.resnet.stack_residual_blocks_v2(x, 8, 3, stride1=1, name="conv3")

    return app.resnet.ResNet(stack_fn, True, True, weights=None, input_shape=SHAPE,
                             classes=7, classifier_activation=None, name="resnetv2_small")


def _densenet(app):
    """DenseNet's builder with (1, 2, 1, 1) conv blocks instead of DenseNet121's
    (6, 12, 24, 16)."""
    return app.densenet.DenseNet([1, 2, 1, 1], include_top=False, weights=None,
                                 input_shape=SHAPE, pooling="max")


# Each family at its cheapest: the builders ResNet50/101/152, ResNet50V2/... and
# DenseNet121/... share, with fewer blocks (the full members take tens of seconds of CPU to
# build here: checked once by hand, see the module docstring); the MobileNets whole, narrow.
FAMILIES = [
    ("ResNet", _resnet_v1),
    ("ResNetV2", _resnet_v2),
    ("DenseNet", _densenet),
    ("MobileNet", lambda app: app.MobileNet(weights=None, input_shape=SHAPE, alpha=0.25,
                                            classes=7)),
    ("MobileNetV2", lambda app: app.MobileNetV2(weights=None, input_shape=SHAPE, alpha=0.35,
                                                classes=7)),
    ("MobileNetV3Small", lambda app: app.MobileNetV3Small(weights=None, input_shape=SHAPE,
                                                          alpha=0.75, classes=7)),
]


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).uniform(0, 255, (2, *SHAPE)).astype("float32")


def _strip_counter(name: str) -> str:
    """``re_lu_12`` -> ``re_lu``: Keras numbers unnamed layers across its whole session."""
    head, _, tail = name.rpartition("_")
    return head if tail.isdigit() and head else name


@pytest.fixture(scope="module")
def built(keras, images, tmp_path_factory):
    """family -> (jnet model loaded from Keras's .weights.h5, Keras's model, Keras's
    predictions, Keras's weights as a legacy .h5), each built once."""
    import keras.src.applications as keras_apps
    from keras.src.applications import densenet, resnet  # noqa: F401 - submodules used above
    from keras.src.legacy.saving import legacy_h5_format

    out = {}

    def build(family):
        if family not in out:
            make = dict(FAMILIES)[family]
            keras.backend.clear_session()
            reference = make(keras_apps if family in ("ResNet", "ResNetV2", "DenseNet")
                             else keras.applications)
            folder = tmp_path_factory.mktemp(family)
            reference.save_weights(folder / "m.weights.h5")
            with h5py.File(folder / "m.h5", "w") as f:
                legacy_h5_format.save_weights_to_hdf5_group(f, reference)
            expected = reference.predict(images, verbose=0)
            model = _load_into(make(jnet.applications), folder / "m.weights.h5")
            out[family] = (model, reference, expected, folder / "m.h5")
        return out[family]

    return build


def _load_into(model, path):
    model.load_weights(str(path))
    return model


@pytest.mark.parametrize("family", [f[0] for f in FAMILIES])
def test_family_matches_keras_with_its_saved_weights(built, images, family):
    model, reference, expected, legacy_path = built(family)
    assert model.name == reference.name
    assert [_strip_counter(x.name) for x in model.layers] == [
        _strip_counter(x.name) for x in reference.layers
    ]
    assert [type(x).__name__ for x in model.layers] == [
        type(x).__name__ for x in reference.layers
    ]
    assert model.count_params() == reference.count_params()
    scale = np.abs(expected).max()
    np.testing.assert_allclose(model.predict(images, verbose=0) / scale, expected / scale,
                               atol=1e-4)
    # Keras 2's legacy layout, as the published ImageNet files are (read by position here)
    saved = model.get_weights()
    model.set_weights([np.zeros_like(w) for w in saved])
    model.load_weights(str(legacy_path))
    for ours, theirs in zip(model.get_weights(), saved, strict=True):
        np.testing.assert_array_equal(ours, theirs)


# -- preprocessing and decoding ---------------------------------------------------------------

PREPROCESS = [
    (mode, fmt, shape)
    for mode in ("caffe", "tf", "torch")
    for fmt, shape in (("channels_last", (2, 4, 5, 3)), ("channels_last", (4, 5, 3)),
                       ("channels_first", (2, 3, 4, 5)), ("channels_first", (3, 4, 5)))
]


@pytest.mark.parametrize(("mode", "data_format", "shape"), PREPROCESS)
def test_preprocess_input_matches_keras(keras, mode, data_format, shape):
    from keras.src.applications import imagenet_utils as keras_utils

    x = np.random.default_rng(1).uniform(0, 255, shape).astype("float32")
    expected = keras_utils.preprocess_input(x.copy(), data_format=data_format, mode=mode)
    ours = imagenet_utils.preprocess_input(x.copy(), data_format=data_format, mode=mode)
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-5)
    tensor = imagenet_utils.preprocess_input(jnet.ops.convert_to_tensor(x), data_format, mode)
    np.testing.assert_allclose(np.asarray(tensor), expected, rtol=1e-6, atol=1e-5)


def test_preprocess_input_numpy_in_place_and_integer_cast():
    x = np.full((1, 1, 3), 255.0, "float32")
    assert imagenet_utils.preprocess_input(x, mode="tf") is x  # in place, as Keras
    assert x[0, 0, 0] == 1.0
    ints = imagenet_utils.preprocess_input(np.full((1, 1, 3), 255, "uint8"), mode="tf")
    assert ints.dtype == np.float32 and ints[0, 0, 0] == 1.0


@pytest.mark.parametrize(
    ("module", "pixel", "expected"),
    [
        ("vgg16", [0.0, 0.0, 0.0], [-103.939, -116.779, -123.68]),
        ("vgg19", [0.0, 0.0, 0.0], [-103.939, -116.779, -123.68]),
        ("resnet", [0.0, 0.0, 0.0], [-103.939, -116.779, -123.68]),
        ("resnet50", [0.0, 0.0, 0.0], [-103.939, -116.779, -123.68]),
        ("resnet_v2", [0.0, 127.5, 255.0], [-1.0, 0.0, 1.0]),
        ("mobilenet", [0.0, 127.5, 255.0], [-1.0, 0.0, 1.0]),
        ("mobilenet_v2", [0.0, 127.5, 255.0], [-1.0, 0.0, 1.0]),
        ("mobilenet_v3", [0.0, 127.5, 255.0], [0.0, 127.5, 255.0]),
        ("densenet", [255.0, 255.0, 255.0], [2.2489, 2.4286, 2.64]),
    ],
)
def test_each_family_preprocesses_in_its_mode(module, pixel, expected):
    out = getattr(jnet.applications, module).preprocess_input(np.array([pixel], "float32"))
    np.testing.assert_allclose(out[0], expected, atol=1e-4)


@pytest.fixture
def class_index(tmp_path, monkeypatch):
    """A class index (class i is ('n<i>', 'class_<i>')) that get_file hands over; the calls
    to get_file are recorded."""
    path = tmp_path / "imagenet_class_index.json"
    path.write_text(json.dumps({str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}))
    calls = []

    def fake_get_file(fname, origin, **kwargs):
        calls.append((fname, origin, kwargs))
        return str(path)

    monkeypatch.setattr(imagenet_utils, "get_file", fake_get_file)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    return calls


def test_decode_predictions_reads_keras_class_index(class_index):
    preds = np.zeros((2, 1000), "float32")
    preds[0, [5, 9, 1]] = [0.5, 0.3, 0.2]
    preds[1, 999] = 1.0
    out = jnet.applications.resnet50.decode_predictions(preds, top=3)
    assert [(a, b) for a, b, _ in out[0]] == [
        ("n00000005", "class_5"), ("n00000009", "class_9"), ("n00000001", "class_1")
    ]
    assert [float(s) for _, _, s in out[0]] == pytest.approx([0.5, 0.3, 0.2])
    assert out[1][0][:2] == ("n00000999", "class_999") and len(out[1]) == 3
    jnet.applications.vgg16.decode_predictions(preds)  # read once, then kept
    assert class_index == [(
        "imagenet_class_index.json",
        "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
        {"cache_subdir": "models", "file_hash": "c2c37ea517e94d9795004a39431a14cb"},
    )]


def test_decode_predictions_refuses_other_shapes():
    with pytest.raises(jnet.errors.JnetValueError, match=r"\(samples, 1000\).*\(1000,\)"):
        imagenet_utils.decode_predictions(np.zeros(1000))


# -- argument checks, against Keras's messages ------------------------------------------------

def _keras_message(keras, fn):
    with pytest.raises(ValueError) as info:
        fn(keras.applications)
    return str(info.value)


ARGUMENT_ERRORS = [
    ("unknown weights", lambda a: a.MobileNet(weights="no/such/file.h5"), "weights=no/such"),
    ("imagenet classes", lambda a: a.VGG16(weights="imagenet", classes=10), "classes=10"),
    ("too small", lambda a: a.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3)),
     "at least 32x32"),
    ("top needs a shape", lambda a: a.DenseNet121(weights=None, input_shape=(None, None, 3)),
     "static `input_shape`"),
    ("imagenet top shape", lambda a: a.VGG19(weights="imagenet", input_shape=(64, 64, 3)),
     r"should be \(224, 224, 3\)"),
    ("imagenet channels", lambda a: a.ResNet50V2(weights="imagenet", include_top=False,
                                                 input_shape=(64, 64, 1)), "3 channels"),
    ("imagenet alpha", lambda a: a.MobileNet(weights="imagenet", alpha=0.3), "alpha=0.3"),
    ("imagenet depth", lambda a: a.MobileNet(weights="imagenet", depth_multiplier=2),
     "depth_multiplier=2"),
    ("v2 imagenet alpha", lambda a: a.MobileNetV2(weights="imagenet", alpha=0.3), "alpha=0.3"),
    ("v3 imagenet alpha", lambda a: a.MobileNetV3Large(weights="imagenet", alpha=0.5),
     "minimalistic"),
    ("v3 too small", lambda a: a.MobileNetV3Small(weights=None, input_shape=(16, 16, 3)),
     "at least 32x32"),
]


@pytest.mark.parametrize(("what", "call", "match"), ARGUMENT_ERRORS,
                         ids=[e[0] for e in ARGUMENT_ERRORS])
def test_bad_arguments_get_keras_errors(keras, what, call, match):
    assert __import__("re").search(match, _keras_message(keras, call))
    with pytest.raises(jnet.errors.JnetValueError, match=match):
        call(jnet.applications)


def test_pretrained_weights_refuse_other_activations():
    with pytest.raises(jnet.errors.JnetValueError, match="classifier_activation=relu"):
        jnet.applications.MobileNet(weights="imagenet", alpha=0.25, input_shape=(128, 128, 3),
                                    classifier_activation="relu")


def test_input_tensor_leads_back_to_its_inputs():
    """A model built on ``input_tensor`` takes the Inputs it was computed from (Keras's
    ``get_source_inputs``)."""
    a = jnet.Input(SHAPE)
    b = jnet.layers.Rescaling(2.0)(a)
    assert _weights.image_input(b, SHAPE) is b
    assert _weights.model_inputs(b, b) is a
    assert _weights.model_inputs(None, a) is a
    c, d = jnet.Input(SHAPE), jnet.Input(SHAPE)
    assert _weights.model_inputs(jnet.layers.Add()([c, d]), None) == [c, d]


def test_input_tensor_must_be_symbolic():
    with pytest.raises(jnet.errors.JnetTypeError, match="input_tensor"):
        jnet.applications.MobileNet(weights=None, input_tensor=np.zeros((1, 32, 32, 3)))


# -- 'imagenet': Keras's file names, addresses and checksums ----------------------------------

def test_imagenet_fetches_keras_file_and_reads_it_by_name(built, monkeypatch):
    """``weights='imagenet'`` asks get_file for Keras's file (name, origin, checksum, cache
    folder; 224 rows with Keras's warning for another input size) and reads the legacy file
    by layer name: here the parity test's MobileNet file, whose top this model lacks."""
    _, reference, _, legacy_path = built("MobileNet")
    calls = []

    def fake_get_file(fname, origin, **kwargs):
        calls.append((fname, origin, kwargs))
        return str(legacy_path)

    monkeypatch.setattr(_weights, "get_file", fake_get_file)
    with pytest.warns(UserWarning, match="Weights for input shape \\(224, 224\\)"):
        model = jnet.applications.MobileNet(weights="imagenet", alpha=0.25, include_top=False,
                                            input_shape=SHAPE)
    assert model.name == "mobilenet_0.25_224"
    assert calls == [(
        "mobilenet_2_5_224_tf_no_top.h5",
        "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
        "mobilenet_2_5_224_tf_no_top.h5",
        {"cache_subdir": "models", "file_hash": None},
    )]
    ours = model.get_weights()
    for mine, theirs in zip(ours, reference.get_weights()[: len(ours)], strict=True):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize(
    ("module", "key", "top", "notop"),
    [
        ("vgg16", None, "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
        ("vgg19", None, "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
        ("resnet", "resnet152v2", "a49b44d1979771252814e80f8ec446f9",
         "ed17cf2e0169df9d443503ef94b23b33"),
        ("mobilenet_v3", "small_minimalistic_224_1.0_float",
         "99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
    ],
)
def test_weight_file_checksums_are_keras(module, key, top, notop):
    mod = getattr(jnet.applications, module)
    if key is None:
        assert (mod.WEIGHTS[0].file_hash, mod.WEIGHTS[1].file_hash) == (top, notop)
    else:
        assert mod.WEIGHTS_HASHES[key] == (top, notop)


# -- transfer learning -------------------------------------------------------------------------

def test_transfer_learning_trains_the_head_only(built):
    """A frozen MobileNetV2 (the parity test's, with its top: its pooled features feed a new
    head) and a new classifier: one epoch changes the head only."""
    classifier = built("MobileNetV2")[0]
    base = jnet.Model(classifier.inputs, classifier.get_layer("out_relu").output)
    base.trainable = False
    before = [np.array(w) for w in base.get_weights()]
    inputs = jnet.Input(SHAPE)
    x = base(inputs, training=False)
    x = jnet.layers.GlobalAveragePooling2D()(x)
    outputs = jnet.layers.Dense(3, activation="softmax")(x)
    model = jnet.Model(inputs, outputs)
    head_before = [np.array(w) for w in model.layers[-1].get_weights()]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    history = model.fit(rng.uniform(-1, 1, (16, *SHAPE)).astype("float32"),
                        rng.integers(0, 3, 16), epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    for old, new in zip(before, model.layers[1].get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
    assert any(not np.array_equal(a, b)
               for a, b in zip(head_before, model.layers[-1].get_weights(), strict=True))
