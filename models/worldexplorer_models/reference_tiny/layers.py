"""Building blocks of the DiT, named like upstream's modules so a state dict maps one to one.

Tensors inside the DiT drop the batch axis (batch is 1): tokens are [N, hidden], per-token conditioning vectors
are [N, hidden]. Upstream broadcasts its per-latent vectors over each latent's tokens; here the caller does it
once and passes per-token vectors.
"""

import math

import torch
from torch import nn


def timestep_embedding(t, dim=256, max_period=10000.0):
    """[N] float -> [N, dim]: cosines first, then sines, at frequencies max_period^(-i / (dim/2))."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class LayerNorm(nn.Module):
    """LayerNorm without affine parameters (written out: torch 1.13 exports the affine-free one to an invalid
    node)."""

    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, x):
        centred = x - x.mean(-1, keepdim=True)
        return centred * torch.rsqrt(centred.pow(2).mean(-1, keepdim=True) + self.eps)


class ModulateDiT(nn.Module):
    """adaLN parameters from the conditioning vector: `factor` chunks of hidden size."""

    def __init__(self, hidden, factor):
        super().__init__()
        self.act = nn.SiLU()
        self.linear = nn.Linear(hidden, factor * hidden)

    def forward(self, vec):
        return self.linear(self.act(vec))


class MLP(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class TimestepEmbedder(nn.Module):
    """A scalar (timestep, or the action label as a float) -> sinusoid -> Linear, SiLU, Linear."""

    def __init__(self, hidden, frequency_embedding_size=256):
        super().__init__()
        self.frequency_embedding_size = frequency_embedding_size
        self.mlp = nn.Sequential(nn.Linear(frequency_embedding_size, hidden), nn.SiLU(), nn.Linear(hidden, hidden))

    def forward(self, t):
        return self.mlp(timestep_embedding(t, self.frequency_embedding_size))


class TextProjection(nn.Module):
    """Text states -> hidden size (upstream's `text_projection="linear"` path)."""

    def __init__(self, in_channels, hidden):
        super().__init__()
        self.linear_1 = nn.Linear(in_channels, hidden)
        self.act_1 = nn.SiLU()
        self.linear_2 = nn.Linear(hidden, hidden)

    def forward(self, x):
        return self.linear_2(self.act_1(self.linear_1(x)))


class PatchEmbed(nn.Module):
    """Patch [1, 1, 1] embedding of [noisy latent, condition latent, mask] channels.

    Kept as a Conv3d parameter (upstream's layout) but applied as a matrix product over tokens, which is the same
    thing for a 1x1x1 kernel and also works for zero context latents.
    """

    def __init__(self, in_channels, hidden):
        super().__init__()
        self.proj = nn.Conv3d(in_channels, hidden, kernel_size=1, stride=1)

    def forward(self, tokens):
        weight = self.proj.weight.reshape(self.proj.weight.shape[0], -1)
        return tokens @ weight.t() + self.proj.bias


class FinalLayer(nn.Module):
    def __init__(self, hidden, out_channels):
        super().__init__()
        self.norm_final = LayerNorm(hidden)
        self.linear = nn.Linear(hidden, out_channels)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 2 * hidden))

    def forward(self, x, vec):
        shift, scale = self.adaLN_modulation(vec).chunk(2, dim=-1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


def attention(q, k, v, key_bias):
    """q [H, Nq, D], k and v [H, Nk, D], key_bias [Nk] (0 or a large negative) -> [Nq, H * D]."""
    scale = 1.0 / math.sqrt(q.shape[-1])
    weights = torch.softmax(q @ k.transpose(1, 2) * scale + key_bias, dim=-1)
    out = weights @ v
    return out.transpose(0, 1).reshape(q.shape[1], q.shape[0] * q.shape[2])
