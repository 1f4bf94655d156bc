"""A synthetic 8B VAE checkpoint: upstream's parameter names and shapes (from the fixture) with seeded random weights,
laid out like the HunyuanVideo-1.5 vae/ folder, for testing the exporter without the published weights."""

import json
import pathlib

import torch

from .. import safetensors_io
from ..synthetic_weights import fan_in, near_one, seeded
from .params import read_fixture
from .vae import FULL

WEIGHTS_FILE = "diffusion_pytorch_model.safetensors"


def _scale(name, shape, draw):
    if name.endswith(".gamma"):
        return near_one(draw)
    if len(shape) == 1:
        return 0.02 * draw
    return draw / fan_in(shape) ** 0.5


def tensors(seed=0, dtype=torch.bfloat16):
    """{name: tensor} for every VAE parameter. Norm gains near 1, small biases, weights scaled by fan-in."""
    return seeded(read_fixture("hy_worldplay_8b_vae"), _scale, seed, dtype)


def config_json(cfg=FULL):
    """The fields of upstream's vae/config.json that the exporter checks."""
    return {"_class_name": "AutoencoderKLConv3D", "in_channels": cfg.in_channels,
            "out_channels": cfg.out_channels, "latent_channels": cfg.latent_channels,
            "block_out_channels": list(cfg.block_out_channels), "layers_per_block": cfg.layers_per_block,
            "ffactor_spatial": cfg.spatial, "ffactor_temporal": cfg.temporal,
            "scaling_factor": cfg.scaling_factor, "shift_factor": None,
            "downsample_match_channel": True, "upsample_match_channel": True}


def write(folder, seed=0, dtype=torch.bfloat16):
    """Write folder/diffusion_pytorch_model.safetensors and folder/config.json; returns the folder."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    safetensors_io.write(folder / WEIGHTS_FILE, tensors(seed, dtype),
                         {"format": "pt", "note": "synthetic test weights"})
    (folder / "config.json").write_text(json.dumps(config_json(), indent=2) + "\n")
    return folder
