"""Rows for keras.ops.image (jnet/ops/image.py)."""

from ops_table import Case  # noqa: F401

CASES: list = []

LEFT_OUT: dict[str, str] = {}

PENDING = {
    "affine_transform",
    "crop_images",
    "elastic_transform",
    "extract_patches",
    "extract_patches_3d",
    "gaussian_blur",
    "hsv_to_rgb",
    "map_coordinates",
    "pad_images",
    "perspective_transform",
    "resize",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
}
