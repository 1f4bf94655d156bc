"""A synthetic Wan2.2 VAE checkpoint: the fixture's names and shapes (models/fixtures/wan22_vae.params) with
seeded random weights, for testing the exporter without the published weights."""

import torch

from .. import safetensors_io
from ..hy_worldplay_8b.params import read_fixture
from ..synthetic_weights import fan_in, near_one, seeded
from .config import _PUBLISHED


def _scale(name, shape, draw):
    if name.endswith(".gamma"):
        return near_one(draw)
    if len(shape) == 1:
        return 0.02 * draw
    gain = 0.3 if name == "decoder.conv_out.weight" else 1.0
    return gain / fan_in(shape) ** 0.5 * draw


def tensors(seed=0, dtype=torch.float32):
    """{name: tensor}. Norm gains near 1, biases small, weights scaled by 1/sqrt(fan in) so activations keep their
    size through the 30-odd convolutions; the last conv is scaled down so most frames stay inside [-1, 1]."""
    return seeded(read_fixture("wan22_vae"), _scale, seed, dtype)


def write(path, seed=0, dtype=torch.float32):
    safetensors_io.write(path, tensors(seed, dtype), {"format": "pt", "note": "synthetic test weights"})


def config_json():
    """vae/config.json as Wan2.2-TI2V-5B-Diffusers publishes it: the values the exporter checks."""
    return {"_class_name": "AutoencoderKLWan", **_PUBLISHED}
