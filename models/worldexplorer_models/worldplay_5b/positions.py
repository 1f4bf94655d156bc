"""Per-token position encodings of the 5B, formed inside the graph from host inputs.

RoPE: upstream's WanRotaryPosEmbed (theta 10000, (t, h, w) dims (44, 42, 42) of each 128-dim head, interleaved
pairs) evaluated at the reframed temporal positions the host sends and at patch rows and columns 0 ... h/2 - 1 and
0 ... w/2 - 1. PRoPE: the same camera projections as the 8B (hyvideo/prope/camera_rope.py), applied per latent.
"""

from ..reference_tiny.camera import apply_rope, prope_matrices, rope_tables
from . import config as c


def positions(rope_t, w2c, intrinsics, height, width, head_dim):
    """rope_t [T] int64, w2c [T, 4, 4], intrinsics [T, 3, 3]; latent grid height x width ->
    ((cos, sin) [T * h/2 * w/2, head_dim], (P, P^-1) [T, 4, 4])."""
    rope = rope_tables(rope_t, height // 2, width // 2, c.rope_dims(head_dim), c.ROPE_THETA)
    return rope, prope_matrices(w2c, intrinsics)


def rotate(x, rope, heads):
    """x [N, H*D] rotated per head by each token's RoPE angles."""
    cos, sin = rope
    return apply_rope(x.reshape(x.shape[0], heads, x.shape[1] // heads), cos, sin).reshape(x.shape)


def transform_groups(x, matrix_rows, count):
    """x [N, H*D], N = count latents x tokens each, cut into consecutive 4-groups g; every group of latent i becomes
    g @ M_i (M [count, 4, 4]), i.e. M_i^T g for column vectors."""
    groups = x.reshape(count, x.shape[0] * x.shape[1] // (4 * count), 4)
    return (groups @ matrix_rows).reshape(x.shape)
