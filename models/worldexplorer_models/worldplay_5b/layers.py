"""The 5B's small building blocks, named as upstream's diffusers modules so the state dict maps one to one
(see models/fixtures/worldplay_5b_dit.params for where each name comes from)."""

import torch
import torch.nn.functional as F
from torch import nn

from ..reference_tiny.layers import RMSNorm, timestep_embedding


class TimestepEmbedding(nn.Module):
    """A scalar per latent (timestep, or the action label as a float) -> 256-wide sinusoid (cosines first,
    frequencies 10000^(-i/128)) -> linear_1, SiLU, linear_2."""

    def __init__(self, freq_dim, dim):
        super().__init__()
        self.freq_dim = freq_dim
        self.linear_1 = nn.Linear(freq_dim, dim)
        self.act = nn.SiLU()
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, values):
        return self.linear_2(self.act(self.linear_1(timestep_embedding(values, self.freq_dim))))


class TextProjection(nn.Module):
    """UMT5 states -> model width: linear_1, GELU (tanh), linear_2."""

    def __init__(self, text_dim, dim):
        super().__init__()
        self.linear_1 = nn.Linear(text_dim, dim)
        self.act_1 = nn.GELU(approximate="tanh")
        self.linear_2 = nn.Linear(dim, dim)

    def forward(self, text):
        return self.linear_2(self.act_1(self.linear_1(text)))


class ConditionEmbedder(nn.Module):
    """Per-latent conditioning: temb = time_embedder(t) + action_embedder(label), and the six adaLN vectors
    time_proj(SiLU(temb)); plus the text projection."""

    def __init__(self, dim, freq_dim, text_dim):
        super().__init__()
        self.time_embedder = TimestepEmbedding(freq_dim, dim)
        self.act_fn = nn.SiLU()
        self.time_proj = nn.Linear(dim, 6 * dim)
        self.text_embedder = TextProjection(text_dim, dim)
        self.action_embedder = TimestepEmbedding(freq_dim, dim)

    def forward(self, timestep, action):
        """timestep, action [T] float -> temb [T, D], modulation [T, 6, D]."""
        temb = self.time_embedder(timestep) + self.action_embedder(action)
        modulation = self.time_proj(self.act_fn(temb))
        return temb, modulation.reshape(temb.shape[0], 6, temb.shape[1])


class AffineFreeLayerNorm(nn.Module):
    """Upstream's FP32LayerNorm without parameters (norm1, norm3, norm_out). Given a constant unit scale and zero bias
    it exports as one LayerNormalization node, which keeps its statistics in float32 at any graph precision, as
    upstream does. (Without the bias input, ONNX Runtime 1.29 crashes while optimising the graph.)"""

    def __init__(self, dim, eps):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x):
        return F.layer_norm(x, (self.dim,), torch.ones(self.dim, dtype=x.dtype), torch.zeros(self.dim, dtype=x.dtype),
                            self.eps)


class Attention(nn.Module):
    """Projections of one of a block's attentions: q/k/v/out with bias, RMSNorm over all heads at once on q and k
    (qk_norm "rms_norm_across_heads"), and for the self-attention the PRoPE output projection."""

    def __init__(self, dim, heads, eps, prope=False):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_k = nn.Linear(dim, dim)
        self.to_v = nn.Linear(dim, dim)
        self.norm_q = RMSNorm(dim, eps)
        self.norm_k = RMSNorm(dim, eps)
        # Upstream's to_out is [Linear, Dropout]; the dropout has no parameters.
        self.to_out = nn.ModuleList([nn.Linear(dim, dim)])
        if prope:
            self.to_out_prope = nn.ModuleList([nn.Linear(dim, dim)])

    def query(self, x):
        return self.norm_q(self.to_q(x))

    def key_value(self, x):
        return self.norm_k(self.to_k(x)), self.to_v(x)


class GeluProjection(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner)
        self.act = nn.GELU(approximate="tanh")

    def forward(self, x):
        return self.act(self.proj(x))


class FeedForward(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        # net.1 is upstream's dropout, kept so the output layer is named net.2.
        self.net = nn.ModuleList([GeluProjection(dim, inner), nn.Identity(), nn.Linear(inner, dim)])

    def forward(self, x):
        for layer in self.net:
            x = layer(x)
        return x
