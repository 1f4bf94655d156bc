"""Synthetic checkpoints with upstream's parameter names and shapes (from the fixture) and seeded random weights,
for testing the exporter without the published weights; written as upstream ships them (a torch file with the
state dict under "generator" and keys prefixed "model.") or as safetensors."""

import torch

from .. import safetensors_io
from ..checkpoint_keys import blocks_at_or_past
from ..hy_worldplay_8b.params import read_fixture
from ..synthetic_weights import fan_in, near_one, seeded
from .checkpoint import STATE_KEY
from .weights import BLOCK

# Zero-initialised upstream (action_embedder's last layer, to_out_prope: wan/models/dits/...relative_rope.py:1024,
# 1036) or an adaLN projection: small random values, so each of them still reaches the output.
_SMALL = ("time_proj", "action_embedder.linear_2", "to_out_prope")


def _scale(name, shape, draw):
    if name.endswith("scale_shift_table"):
        return draw / shape[-1] ** 0.5   # upstream's own initialisation
    if len(shape) == 1 and (".norm_q." in name or ".norm_k." in name or ".norm2." in name) \
            and name.endswith("weight"):
        return near_one(draw)
    if len(shape) == 1:
        return 0.02 * draw
    gain = 0.5 if any(s in name for s in _SMALL) else 1.0
    return gain / fan_in(shape) ** 0.5 * draw


def random_weights(shapes, seed=0, dtype=torch.float32):
    """{name: tensor} for {name: shape}, seeded: norm weights near 1, biases small, matrices scaled by fan-in."""
    return seeded(shapes, _scale, seed, dtype)


def tensors(blocks, seed=0, dtype=torch.float32):
    """{name: tensor} of the fixture's parameters in the first `blocks` blocks."""
    beyond = blocks_at_or_past(BLOCK, blocks)
    shapes = {name: shape for name, shape in read_fixture("worldplay_5b_dit").items() if not beyond(name)}
    return random_weights(shapes, seed, dtype)


def initialise(model, seed=0):
    """Seeded random weights for a model of any size (the tiny test configuration)."""
    model.load_state_dict(random_weights({n: tuple(p.shape) for n, p in model.named_parameters()}, seed))
    return model


def write_torch(path, blocks, seed=0, dtype=torch.float32, prefix="model."):
    """A file shaped like wan_distilled_model/model.pt: {"generator": {prefix + name: tensor}}."""
    state = {prefix + name: value for name, value in tensors(blocks, seed, dtype).items()}
    torch.save({STATE_KEY: state}, str(path))


def write_safetensors(path, blocks, seed=0, dtype=torch.float32):
    safetensors_io.write(path, tensors(blocks, seed, dtype), {"format": "pt", "note": "synthetic test weights"})
