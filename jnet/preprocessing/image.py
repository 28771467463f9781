"""Keras's ``keras.preprocessing.image``: the image helpers of :mod:`jnet.utils.image_utils`.

Example:
    >>> array_to_img(np.zeros((4, 2, 3))).size
    (2, 4)
"""

from jnet.utils.image_utils import array_to_img as array_to_img
from jnet.utils.image_utils import img_to_array as img_to_array
from jnet.utils.image_utils import load_img as load_img
from jnet.utils.image_utils import save_img as save_img
from jnet.utils.image_utils import smart_resize as smart_resize

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
