"""A synthetic Wan2.2 VAE checkpoint: the fixture's names and shapes (models/fixtures/wan22_vae.params) with
seeded random weights, for testing the exporter without the published weights."""

import torch

from .. import safetensors_io
from ..hy_worldplay_8b.params import read_fixture
from .config import _PUBLISHED


def tensors(seed=0, dtype=torch.float32):
    """{name: tensor}. Norm gains near 1, biases small, weights scaled by 1/sqrt(fan in) so activations keep their
    size through the 30-odd convolutions; the last conv is scaled down so most frames stay inside [-1, 1]."""
    g = torch.Generator().manual_seed(seed)
    result = {}
    for name, shape in sorted(read_fixture("wan22_vae").items()):
        if name.endswith(".gamma"):
            value = 1.0 + 0.1 * torch.randn(shape, generator=g)
        elif len(shape) == 1:
            value = 0.02 * torch.randn(shape, generator=g)
        else:
            fan_in = 1
            for d in shape[1:]:
                fan_in *= d
            gain = 0.3 if name == "decoder.conv_out.weight" else 1.0
            value = gain / fan_in ** 0.5 * torch.randn(shape, generator=g)
        result[name] = value.to(dtype)
    return result


def write(path, seed=0, dtype=torch.float32):
    safetensors_io.write(path, tensors(seed, dtype), {"format": "pt", "note": "synthetic test weights"})


def config_json():
    """vae/config.json as Wan2.2-TI2V-5B-Diffusers publishes it: the values the exporter checks."""
    return {"_class_name": "AutoencoderKLWan", **_PUBLISHED}
