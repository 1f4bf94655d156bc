"""A synthetic checkpoint with upstream's parameter names and shapes (from the fixture) and seeded random weights,
for testing the exporter without the published weights."""

import re

import torch

from .. import safetensors_io
from ..checkpoint_keys import blocks_at_or_past
from ..synthetic_weights import fan_in, near_one, seeded
from .params import read_fixture
from .weights import BLOCK


def _scale(name, shape, draw):
    if len(shape) == 1 and (name.endswith("norm.weight") or ".norm1." in name or ".norm2." in name
                            or name.endswith("layernorm.weight") or re.search(r"proj\.[04]\.weight$", name)):
        return near_one(draw)
    if len(shape) == 1:
        return 0.02 * draw
    gain = 0.5 if ("_mod." in name or "adaLN" in name or "prope_proj" in name) else 1.0
    return gain / fan_in(shape) ** 0.5 * draw


def tensors(blocks, seed=0, dtype=torch.float32):
    """{name: tensor} for the first `blocks` double blocks. Layers upstream zero-initialises get small random
    values too, so every weight reaches the output."""
    beyond = blocks_at_or_past(BLOCK, blocks)
    shapes = {name: shape for name, shape in read_fixture("hy_worldplay_8b_dit").items() if not beyond(name)}
    return seeded(shapes, _scale, seed, dtype)


def write(path, blocks, seed=0, dtype=torch.float32):
    safetensors_io.write(path, tensors(blocks, seed, dtype), {"format": "pt", "note": "synthetic test weights"})
