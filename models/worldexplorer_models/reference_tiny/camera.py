"""Per-token position encodings the graph forms from host inputs: 3-axis RoPE tables and PRoPE matrices."""

import torch


def rope_tables(rope_t, height, width, dims, theta):
    """cos, sin [T*h*w, sum(dims)] for tokens ordered (t, y, x), t at the given temporal positions.

    Each axis of `dims` dims gets dims/2 frequencies theta^(-2j/dims), each repeated for its interleaved pair.
    """
    t = rope_t.float()
    count = t.shape[0]
    tokens = count * height * width
    ts = t[:, None, None].expand(count, height, width).reshape(tokens)
    ys = torch.arange(height, dtype=torch.float32)[None, :, None].expand(count, height, width).reshape(tokens)
    xs = torch.arange(width, dtype=torch.float32)[None, None, :].expand(count, height, width).reshape(tokens)
    angles = []
    for position, dim in zip((ts, ys, xs), dims):
        freqs = theta ** (-torch.arange(0, dim, 2, dtype=torch.float32) / dim)
        angle = position[:, None] * freqs[None]
        angles.append(torch.stack([angle, angle], dim=-1).reshape(angle.shape[0], dim))
    angle = torch.cat(angles, dim=-1)
    return torch.cos(angle), torch.sin(angle)


def apply_rope(x, cos, sin):
    """x [N, H, D] rotated on interleaved pairs (2i, 2i+1) by the token's angles (cos, sin [N, D])."""
    pairs = x.reshape(x.shape[0], x.shape[1], x.shape[2] // 2, 2)
    rotated = torch.stack([-pairs[..., 1], pairs[..., 0]], dim=-1).reshape(x.shape)
    return x * cos[:, None, :] + rotated * sin[:, None, :]


def prope_matrices(w2c, intrinsics):
    """Per camera P = diag(fx, fy, 1, 1) V and P^-1 = V^-1 diag(1/fx, 1/fy, 1, 1) (principal point dropped)."""
    fx, fy = intrinsics[:, 0, 0], intrinsics[:, 1, 1]
    one = torch.ones_like(fx)
    lift = torch.stack([fx, fy, one, one], dim=-1)
    p = w2c * lift[:, :, None]
    rotation, translation = w2c[:, :3, :3], w2c[:, :3, 3:]
    rt = rotation.transpose(1, 2)
    inverse_top = torch.cat([rt, -(rt @ translation)], dim=2)
    bottom = torch.zeros_like(w2c[:, 3:, :])
    bottom = torch.cat([bottom[:, :, :3], torch.ones_like(bottom[:, :, 3:])], dim=2)
    inverse = torch.cat([inverse_top, bottom], dim=1)
    p_inv = inverse / lift[:, None, :]
    return p, p_inv


def per_token(matrices, tokens_per_latent):
    """[T, 4, 4] -> [T * tokens_per_latent, 4, 4]."""
    count = matrices.shape[0]
    return matrices[:, None].expand(count, tokens_per_latent, 4, 4).reshape(count * tokens_per_latent, 4, 4)


def transform_groups(x, matrix_rows):
    """x [N, H, D] cut into 4-groups g; returns g @ M per token (M [N, 4, 4]), i.e. M^T g for column vectors."""
    groups = x.reshape(x.shape[0], x.shape[1] * x.shape[2] // 4, 4)
    return (groups @ matrix_rows).reshape(x.shape)
