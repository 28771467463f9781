"""Bad input to the numpy array ops (creation, shape, indexing, products) gets a jnet error
that names the argument, what was received and what was expected: never a raw jax/XLA one."""

import jax.numpy as jnp
import pytest

from jnet import errors, ops

X = jnp.zeros((2, 3, 4))

BAD = [
    ("concatenate axis", lambda: ops.concatenate([X, X], axis=3), "`axis` = 3"),
    ("concatenate shapes", lambda: ops.concatenate([X, X[:, :2, :2]], axis=1), "same shape"),
    ("concatenate None", lambda: ops.concatenate([X, X], axis=None), "cannot be None"),
    ("stack shapes", lambda: ops.stack([X, X[0]]), "same shape"),
    ("reshape size", lambda: ops.reshape(X, (5, -1)), "newshape=(5, -1)"),
    ("reshape two -1", lambda: ops.reshape(X, (-1, -1)), "-1"),
    ("expand_dims axis", lambda: ops.expand_dims(X, 5), "`axis` = 5"),
    ("squeeze not 1", lambda: ops.squeeze(X, 0), "Cannot squeeze axis=0"),
    ("transpose axes", lambda: ops.transpose(X, (0, 1)), "axes=[0, 1]"),
    ("swapaxes axis2", lambda: ops.swapaxes(X, 0, 3), "`axis2` = 3"),
    ("moveaxis count", lambda: ops.moveaxis(X, (0, 1), 2), "same number of elements"),
    ("split sections", lambda: ops.split(X, 2, axis=1), "divisible"),
    ("vsplit rank", lambda: ops.vsplit(jnp.zeros(4), 2), "at least 2 dimensions"),
    ("broadcast_to", lambda: ops.broadcast_to(X, (3, 4)), "shape=(3, 4)"),
    ("flip axis", lambda: ops.flip(X, 3), "`axis` = 3"),
    ("rot90 rank", lambda: ops.rot90(jnp.zeros(3)), "at least 2 dimensions"),
    ("pad width", lambda: ops.pad(X, ((1, 1), (1, 1))), "pad_width"),
    ("pad constant_values", lambda: ops.pad(X, 1, mode="reflect", constant_values=1),
     "constant_values"),
    ("take axis", lambda: ops.take(X, jnp.array([0]), axis=-4), "`axis` = -4"),
    ("take_along_axis rank", lambda: ops.take_along_axis(X, jnp.zeros((2, 3), "int32"), 1),
     "same number of dimensions"),
    ("diagonal same axes", lambda: ops.diagonal(X, axis1=0, axis2=-3), "cannot be the same"),
    ("diag rank", lambda: ops.diag(X), "1-D or 2-D"),
    ("matmul inner", lambda: ops.matmul(X, X), "Inner dimensions"),
    ("matmul scalar", lambda: ops.matmul(jnp.ones(()), X), "1 or more dimensions"),
    ("dot", lambda: ops.dot(X, X), "x1.shape=(2, 3, 4)"),
    ("tensordot", lambda: ops.tensordot(X, X, axes=([0], [1])), "Shape mismatch"),
    ("inner", lambda: ops.inner(X, jnp.ones(3)), "last dimension"),
    ("cross size", lambda: ops.cross(X, X), "2 or 3"),
    ("correlate rank", lambda: ops.correlate(X, jnp.ones(2)), "1-dimensional"),
    ("correlate mode", lambda: ops.correlate(jnp.ones(3), jnp.ones(2), mode="x"), "`mode`"),
    ("trace axes", lambda: ops.trace(X, axis1=1, axis2=-2), "must be different"),
    ("slogdet square", lambda: ops.slogdet(X), "square"),
    ("vander rank", lambda: ops.vander(X), "1-dimensional"),
    ("array_split type", lambda: ops.array_split(X, [1]), "indices_or_sections"),
    ("meshgrid indexing", lambda: ops.meshgrid(jnp.ones(2), indexing="yx"), "indexing"),
    ("eye float", lambda: ops.eye(2.0), "`N`"),
    ("linspace num", lambda: ops.linspace(0, 1, -1), "`num`"),
    ("vectorize", lambda: ops.vectorize(3), "callable"),
]


@pytest.mark.parametrize("make, words", [(m, w) for _, m, w in BAD], ids=[n for n, *_ in BAD])
def test_bad_input_gets_a_jnet_error_naming_it(make, words):
    with pytest.raises(errors.JnetError) as info:
        make()
    assert words in str(info.value)
