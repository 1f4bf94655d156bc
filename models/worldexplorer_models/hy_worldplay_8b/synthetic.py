"""A synthetic checkpoint with upstream's parameter names and shapes (from the fixture) and seeded random weights,
for testing the exporter without the published weights."""

import re

import torch

from .. import safetensors_io
from .params import read_fixture

_BLOCK = re.compile(r"^double_blocks\.(\d+)\.")


def tensors(blocks, seed=0, dtype=torch.float32):
    """{name: tensor} for the first `blocks` double blocks. Layers upstream zero-initialises get small random
    values too, so every weight reaches the output."""
    g = torch.Generator().manual_seed(seed)
    result = {}
    for name, shape in sorted(read_fixture("hy_worldplay_8b_dit").items()):
        block = _BLOCK.match(name)
        if block and int(block.group(1)) >= blocks:
            continue
        if len(shape) == 1 and (name.endswith("norm.weight") or ".norm1." in name or ".norm2." in name
                                or name.endswith("layernorm.weight") or re.search(r"proj\.[04]\.weight$", name)):
            value = 1.0 + 0.1 * torch.randn(shape, generator=g)
        elif len(shape) == 1:
            value = 0.02 * torch.randn(shape, generator=g)
        else:
            fan_in = 1
            for d in shape[1:]:
                fan_in *= d
            gain = 0.5 if ("_mod." in name or "adaLN" in name or "prope_proj" in name) else 1.0
            value = gain / fan_in ** 0.5 * torch.randn(shape, generator=g)
        result[name] = value.to(dtype)
    return result


def write(path, blocks, seed=0, dtype=torch.float32):
    safetensors_io.write(path, tensors(blocks, seed, dtype), {"format": "pt", "note": "synthetic test weights"})
