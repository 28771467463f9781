"""``keras.ops.nn``: activations, convolutions, pooling, normalization, losses, attention.

The ops live in private modules by concept and are re-exported here (and at ``jnet.ops``):
``_nn_activations`` (relu, softmax, gelu...), ``_nn_conv`` (conv, depthwise_conv,
separable_conv, conv_transpose), ``_nn_pool`` (max/average pooling, adaptive too),
``_nn_norm`` (moments, batch/layer/RMS normalization, normalize), ``_nn_losses``
(cross-entropies, psnr), ``_nn_encoding`` (one_hot, multi_hot, polar), ``_nn_patches``
(unfold, fold, depth_to_space, space_to_depth), ``_nn_attention`` (dot_product_attention)
and ``_nn_ctc`` (ctc_loss, ctc_decode).

Example:
    >>> from jnet.ops import nn
    >>> nn.softmax(np.array([1.0, 1.0])).tolist()
    [0.5, 0.5]
"""

from jnet.ops._nn_activations import *  # noqa: F403
from jnet.ops._nn_activations import __all__ as _activations
from jnet.ops._nn_attention import *  # noqa: F403
from jnet.ops._nn_attention import __all__ as _attention
from jnet.ops._nn_conv import *  # noqa: F403
from jnet.ops._nn_conv import __all__ as _conv
from jnet.ops._nn_ctc import *  # noqa: F403
from jnet.ops._nn_ctc import __all__ as _ctc
from jnet.ops._nn_encoding import *  # noqa: F403
from jnet.ops._nn_encoding import __all__ as _encoding
from jnet.ops._nn_losses import *  # noqa: F403
from jnet.ops._nn_losses import __all__ as _losses
from jnet.ops._nn_norm import *  # noqa: F403
from jnet.ops._nn_norm import __all__ as _norm
from jnet.ops._nn_patches import *  # noqa: F403
from jnet.ops._nn_patches import __all__ as _patches
from jnet.ops._nn_pool import *  # noqa: F403
from jnet.ops._nn_pool import __all__ as _pool

__all__ = sorted([*_activations, *_attention, *_conv, *_ctc, *_encoding, *_losses, *_norm,
                  *_patches, *_pool])
