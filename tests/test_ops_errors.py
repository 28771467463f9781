"""Bad input to ``jnet.ops`` across its families gets a jnet error, never a raw jax/XLA one.

One table: each row is a call written against an ops namespace (so the same call runs on
``jnet.ops`` and on ``keras.ops``), the jnet error class it must raise, and words its message
must hold (the argument's name and what was received). ``keras_raises`` says whether Keras
(TensorFlow backend) refuses the same input too; a test checks that it does. Where Keras
accepts the input the row's note says what Keras does instead. The numpy array ops (shape,
joining, indexing, products) have their own table: tests/test_ops_numpy_arrays_errors.py.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from jnet import errors, ops

_V = errors.JnetValueError
_T = errors.JnetTypeError

X = np.zeros((2, 3), "float32")
I = np.zeros((2, 3), "int32")  # noqa: E741
IMAGES = np.zeros((2, 5, 5, 3), "float32")
KERNEL = np.zeros((3, 3, 3, 4), "float32")


@dataclasses.dataclass
class Bad:
    """One row: ``call(namespace)`` must raise ``error`` whose message holds every ``words``.

    Args:
        id: a short label (the test id).
        call: the bad call, written against an ops namespace (``jnet.ops`` or ``keras.ops``).
        error: the jnet error class.
        words: strings the message must contain (the argument's name, what was received).
        keras_raises: Keras's TensorFlow backend refuses the same call too.
        note: what Keras does where it does not raise, or why the row is special.
    """

    id: str
    call: Callable[[Any], Any]
    error: type
    words: tuple[str, ...]
    keras_raises: bool = True
    note: str = ""


BAD = [
    # axes out of range or named twice
    Bad("sum-axis", lambda o: o.sum(X, axis=2), _V, ("`axis`=2", "rank 2")),
    Bad("mean-repeated-axis", lambda o: o.mean(X, axis=(1, -1)), _V,
        ("`axis`", "axis=(1, -1)", "twice")),
    Bad("var-repeated-axis", lambda o: o.var(X, axis=(0, 0)), _V, ("axis=(0, 0)", "twice")),
    Bad("argmax-axis", lambda o: o.argmax(X, axis=-3), _V, ("`axis`=-3", "[-2, 2)")),
    Bad("cumsum-axis", lambda o: o.cumsum(X, axis=2), _V, ("`axis`=2", "rank 2")),
    Bad("sort-axis", lambda o: o.sort(X, axis=2), _V, ("`axis`=2", "rank 2")),
    Bad("quantile-axis", lambda o: o.quantile(X, 0.5, axis=2), _V, ("`axis`=2",)),
    Bad("softmax-axis", lambda o: o.softmax(X, axis=2), _V, ("axis=2", "rank 2")),
    Bad("softmax-repeated-axis", lambda o: o.softmax(X, axis=(1, -1)), _V,
        ("axis", "repeated", "(1, -1)")),
    Bad("logsumexp-axis", lambda o: o.logsumexp(X, axis=3), _V, ("`axis` 3", "rank 2")),
    Bad("moments-axes", lambda o: o.moments(X, axes=[2]), _V, ("axes=2", "rank 2")),
    Bad("batch_normalization-axis",
        lambda o: o.batch_normalization(X, np.zeros(3, "float32"), np.ones(3, "float32"),
                                        axis=2), _V, ("axis=2", "rank 2")),
    Bad("one_hot-axis", lambda o: o.one_hot(I, 3, axis=3), _V, ("axis", "received 3")),
    Bad("norm-axis", lambda o: o.norm(X, axis=2), _V, ("`axis`", "axis=2", "(2, 3)")),
    # wrong rank for conv, pool, image and attention ops
    Bad("conv-rank", lambda o: o.conv(X, np.zeros((3, 3, 4), "float32")), _V,
        ("inputs", "rank 3, 4 or 5", "(2, 3)")),
    Bad("conv-kernel-rank", lambda o: o.conv(IMAGES, np.zeros((3, 3, 4), "float32")), _V,
        ("kernel", "kernel.shape=(3, 3, 4)"), keras_raises=False,
        note="Keras's TF backend reads the rank off the kernel (tf.nn.convolution): a 1-D "
             "conv with (2, 5) as batch axes, shape (2, 5, 3, 4)"),
    Bad("conv-channels", lambda o: o.conv(IMAGES, np.zeros((3, 3, 4, 4), "float32")), _V,
        ("in_channels", "kernel.shape=(3, 3, 4, 4)")),
    Bad("conv_transpose-rank", lambda o: o.conv_transpose(X, np.zeros((3, 4, 3), "float32")),
        _V, ("inputs", "(2, 3)")),
    Bad("depthwise_conv-rank", lambda o: o.depthwise_conv(X, np.zeros((3, 3, 1), "float32")),
        _V, ("inputs", "(2, 3)")),
    Bad("separable_conv-rank",
        lambda o: o.separable_conv(X, np.zeros((3, 3, 1), "float32"),
                                   np.zeros((1, 3, 4), "float32")), _V, ("inputs", "(2, 3)")),
    Bad("max_pool-rank", lambda o: o.max_pool(X, 2), _V, ("inputs", "(2, 3)")),
    Bad("adaptive_max_pool-rank", lambda o: o.adaptive_max_pool(X, 2), _V,
        ("inputs", "(2, 3)")),
    Bad("resize-rank", lambda o: o.image.resize(X, (4, 4)), _V,
        ("images", "images.shape=(2, 3)")),
    Bad("rgb_to_grayscale-rank", lambda o: o.image.rgb_to_grayscale(np.zeros(3, "float32")),
        _V, ("images", "images.shape=(3,)")),
    Bad("affine_transform-rank",
        lambda o: o.image.affine_transform(X, np.zeros((1, 8), "float32")), _V,
        ("images", "(2, 3)")),
    Bad("extract_patches-rank", lambda o: o.image.extract_patches(X, 2), _V,
        ("rank 3", "(2, 3)")),
    Bad("pad_images-rank", lambda o: o.image.pad_images(np.zeros(3, "float32"), 1, 1, 1, 1),
        _V, ("images", "(3,)")),
    Bad("dot_product_attention-rank", lambda o: o.dot_product_attention(X, X, X), _V,
        ("query.shape=(2, 3)",)),
    Bad("fold-rank", lambda o: o.fold(X, (4, 4), 2), _V, ("x", "(2, 3)")),
    Bad("stft-rank", lambda o: o.stft(np.zeros((), "float32"), 4, 2, 4), _V,
        ("`x`", "shape ()")),
    # bad strings: padding, data_format, interpolation, modes
    Bad("conv-padding", lambda o: o.conv(IMAGES, KERNEL, padding="full"), _V,
        ("padding", "'full'")),
    Bad("conv-data_format", lambda o: o.conv(IMAGES, KERNEL, data_format="NHWC"), _V,
        ("data_format", "'NHWC'")),
    Bad("average_pool-padding", lambda o: o.average_pool(IMAGES, 2, padding="full"), _V,
        ("padding", "'full'")),
    Bad("max_pool-data_format", lambda o: o.max_pool(IMAGES, 2, data_format="nhwc"), _V,
        ("data_format", "'nhwc'")),
    Bad("resize-interpolation",
        lambda o: o.image.resize(IMAGES, (4, 4), interpolation="cubicx"), _V,
        ("`interpolation`", "'cubicx'", "bicubic")),
    Bad("resize-data_format", lambda o: o.image.resize(IMAGES, (4, 4), data_format="nhwc"),
        _V, ("data_format", "'nhwc'")),
    Bad("qr-mode", lambda o: o.qr(X, mode="full"), _V, ("`mode`", "mode='full'")),
    Bad("norm-ord", lambda o: o.norm(X, ord="bad"), _V, ("`ord`", "ord='bad'")),
    # shapes that do not broadcast or do not fit
    Bad("add-shapes", lambda o: o.add(X, np.zeros(4, "float32")), _V,
        ("x1.shape=(2, 3)", "x2.shape=(4,)")),
    Bad("multiply-shapes", lambda o: o.multiply(X, np.zeros((3, 2), "float32")), _V,
        ("x2.shape=(3, 2)", "axis -2")),
    Bad("maximum-shapes", lambda o: o.maximum(X, np.zeros(4, "float32")), _V,
        ("x2.shape=(4,)",)),
    Bad("equal-shapes", lambda o: o.equal(X, np.zeros(4, "float32")), _V, ("x2.shape=(4,)",)),
    Bad("where-shapes", lambda o: o.where(X > 0, X, np.zeros(4, "float32")), _V,
        ("condition.shape=(2, 3)", "x2.shape=(4,)")),
    Bad("clip-bounds", lambda o: o.clip(X, 0.0, np.zeros(4, "float32")), _V,
        ("x.shape=(2, 3)", "x_max.shape=(4,)")),
    Bad("einsum-shapes", lambda o: o.einsum("ij,jk->ik", X, X), _V,
        ("`subscripts`='ij,jk->ik'", "(2, 3), (2, 3)")),
    Bad("categorical_crossentropy-shapes",
        lambda o: o.categorical_crossentropy(np.zeros((2, 4), "float32"), X), _V,
        ("target.shape=(2, 4)", "output.shape=(2, 3)")),
    Bad("binary_crossentropy-shapes",
        lambda o: o.binary_crossentropy(np.zeros((2, 4), "float32"), X), _V,
        ("target.shape=(2, 4)", "output.shape=(2, 3)")),
    Bad("sparse_categorical_crossentropy-shapes",
        lambda o: o.sparse_categorical_crossentropy(np.zeros(3, "int32"), X), _V,
        ("target.shape=(3,)", "output.shape=(2, 3)")),
    Bad("segment_sum-ids", lambda o: o.segment_sum(X, np.zeros(3, "int32"), 2), _V,
        ("`segment_ids`", "(3,)", "(2, 3)")),
    Bad("glu-odd", lambda o: o.glu(X), _V, ("x.shape=(2, 3)", "divisible by 2")),
    Bad("depth_to_space-channels", lambda o: o.depth_to_space(IMAGES, 2), _V,
        ("block_size", "x.shape=(2, 5, 5, 3)")),
    Bad("rearrange-pattern", lambda o: o.rearrange(X, "a b c -> a b c"), _V,
        ("pattern=", "(2, 3)")),
    # float inputs to bitwise ops
    Bad("bitwise_and-float", lambda o: o.bitwise_and(X, X), _T, ("bitwise_and", "float32")),
    Bad("bitwise_or-float-y", lambda o: o.bitwise_or(I, X), _T, ("y.dtype=float32",)),
    Bad("bitwise_invert-float", lambda o: o.bitwise_invert(X), _T, ("x.dtype=float32",)),
    Bad("left_shift-float", lambda o: o.left_shift(X, 1), _T, ("x.dtype=float32",)),
    # unknown dtype names
    Bad("cast-dtype", lambda o: o.cast(X, "float33"), _V, ("dtype", "'float33'", "float32")),
    Bad("zeros-dtype", lambda o: o.zeros((2,), dtype="flaot32"), _V, ("'flaot32'",)),
    Bad("convert_to_tensor-dtype", lambda o: o.convert_to_tensor([1.0], dtype="float42"), _V,
        ("'float42'",)),
    Bad("one_hot-dtype", lambda o: o.one_hot(I, 3, dtype="in32"), _V, ("'in32'",)),
    Bad("arange-dtype", lambda o: o.arange(3, dtype="int33"), _V, ("'int33'",)),
    # matrices that are not square
    Bad("inv-square", lambda o: o.inv(X), _V, ("`x`", "square", "(2, 3)")),
    Bad("inv-rank", lambda o: o.inv(np.zeros(3, "float32")), _V, ("`x`", "rank", "(3,)")),
    Bad("det-square", lambda o: o.det(X), _V, ("`x`", "square", "(2, 3)")),
    Bad("cholesky-square", lambda o: o.cholesky(X), _V, ("`x`", "square", "(2, 3)")),
    Bad("eig-square", lambda o: o.eig(X), _V, ("`x`", "square", "(2, 3)")),
    Bad("logdet-square", lambda o: o.logdet(X), _V, ("`x`", "square", "(2, 3)")),
    Bad("solve-square", lambda o: o.solve(X, X), _V, ("`a`", "square", "(2, 3)")),
    # top_k's k beyond the axis
    Bad("top_k-k", lambda o: o.top_k(X, 5), _V, ("`k`", "k=5", "x.shape[-1]")),
    Bad("top_k-negative-k", lambda o: o.top_k(X, -1), _V, ("`k`", "k=-1")),
]


@pytest.mark.parametrize("row", BAD, ids=lambda r: r.id)
def test_bad_input_gets_a_jnet_error_naming_it(row):
    with pytest.raises(row.error) as info:
        row.call(ops)
    message = str(info.value)
    missing = [w for w in row.words if w not in message]
    assert not missing, f"{row.id}: message lacks {missing}: {message}"


@pytest.mark.parametrize("row", [r for r in BAD if r.keras_raises], ids=lambda r: r.id)
def test_keras_refuses_the_same_input(row, keras):
    with pytest.raises(Exception):  # noqa: B017,PT011 - Keras's errors vary by backend op
        row.call(keras.ops)


@pytest.mark.parametrize("row", [r for r in BAD if not r.keras_raises], ids=lambda r: r.id)
def test_rows_where_keras_accepts_say_what_it_does(row):
    assert row.note, f"{row.id}: Keras accepts this input; the note must say what it does"
