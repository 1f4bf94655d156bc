"""Seeded random weights for the synthetic checkpoints every exporter is tested with.

Each model's synthetic module says how a standard normal draw becomes one of its weights (norm gains near 1, small
biases, matrices scaled by fan-in); the draws themselves come from here, one per parameter in sorted name order
from one seeded generator, so the same names, shapes and seed always give the same checkpoint, and the golden
files made from it stay valid.
"""

import torch


def seeded(shapes, scale, seed=0, dtype=torch.float32):
    """{name: tensor} for {name: shape}: for each name in sorted order a standard normal draw of its shape,
    turned into the weight by scale(name, shape, draw), then cast to `dtype`."""
    g = torch.Generator().manual_seed(seed)
    result = {}
    for name, shape in sorted(shapes.items()):
        result[name] = scale(name, shape, torch.randn(shape, generator=g)).to(dtype)
    return result


def fan_in(shape):
    """The inputs each output of a weight of this shape sees: the product of all but the first dimension."""
    n = 1
    for d in shape[1:]:
        n *= d
    return n


def near_one(draw):
    """A norm gain of 1 + N(0, 0.1): near the identity, yet different enough that the gain's use is tested."""
    return 1.0 + 0.1 * draw
