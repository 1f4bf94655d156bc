"""The 8B's text-side input layers: the LLM token refiner, the byT5 glyph mapper and the SigLIP projection.

Named like upstream's modules (SingleTokenRefiner, ByT5Mapper, VisionProjection) so a state dict maps one to one.
Tokens drop the batch axis: [N, dim].
"""

import torch
from torch import nn

from ..reference_tiny.layers import TextProjection, TimestepEmbedder, attention
from ..reference_tiny.transformer import MASKED


class AffineLayerNorm(nn.Module):
    """LayerNorm with weight and bias, written out so it exports the same under every opset."""

    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        centred = x - x.mean(-1, keepdim=True)
        return centred * torch.rsqrt(centred.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight + self.bias


class RefinerMLP(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.SiLU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class IndividualTokenRefinerBlock(nn.Module):
    """Self-attention over the prompt's tokens with gates from the pooled prompt and the timestep."""

    def __init__(self, hidden, heads, mlp_ratio=4.0):
        super().__init__()
        self.heads = heads
        self.norm1 = AffineLayerNorm(hidden, 1e-6)
        self.self_attn_qkv = nn.Linear(hidden, 3 * hidden)
        self.self_attn_proj = nn.Linear(hidden, hidden)
        self.norm2 = AffineLayerNorm(hidden, 1e-6)
        self.mlp = RefinerMLP(hidden, int(hidden * mlp_ratio))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 2 * hidden))

    def forward(self, x, c, key_bias):
        gate_msa, gate_mlp = self.adaLN_modulation(c).chunk(2, dim=-1)
        count, hidden = x.shape
        head_dim = hidden // self.heads
        qkv = self.self_attn_qkv(self.norm1(x)).reshape(count, 3, self.heads, head_dim).permute(1, 2, 0, 3)
        x = x + gate_msa * self.self_attn_proj(attention(qkv[0], qkv[1], qkv[2], key_bias))
        return x + gate_mlp * self.mlp(self.norm2(x))


class IndividualTokenRefiner(nn.Module):
    def __init__(self, hidden, heads, depth):
        super().__init__()
        self.blocks = nn.ModuleList(IndividualTokenRefinerBlock(hidden, heads) for _ in range(depth))

    def forward(self, x, c, mask):
        # The first key always counts, so an all-padding prompt still has a finite softmax (as upstream).
        first = torch.zeros_like(mask)
        first[0] = 1.0
        key_bias = (1.0 - torch.maximum(mask, first)) * MASKED
        for block in self.blocks:
            x = block(x, c, key_bias)
        return x


class SingleTokenRefiner(nn.Module):
    """LLM hidden states [N, in] and mask [N] -> refined tokens [N, hidden] (upstream's single_refiner)."""

    def __init__(self, in_channels, hidden, heads, depth):
        super().__init__()
        self.input_embedder = nn.Linear(in_channels, hidden)
        self.t_embedder = TimestepEmbedder(hidden)
        self.c_embedder = TextProjection(in_channels, hidden)
        self.individual_token_refiner = IndividualTokenRefiner(hidden, heads, depth)

    def forward(self, x, mask, timestep):
        pooled = (x * mask[:, None]).sum(0, keepdim=True) / mask.sum()
        c = self.t_embedder(timestep) + self.c_embedder(pooled)
        return self.individual_token_refiner(self.input_embedder(x), c, mask)


class ByT5Mapper(nn.Module):
    """Glyph (byT5) states -> hidden: LayerNorm, Linear, GELU, Linear, GELU, Linear; no residual."""

    def __init__(self, in_dim, hidden_dim, out_dim, out_dim1):
        super().__init__()
        self.layernorm = AffineLayerNorm(in_dim, 1e-5)
        self.fc1 = nn.Linear(in_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, out_dim)
        self.fc3 = nn.Linear(out_dim, out_dim1)
        self.act_fn = nn.GELU()

    def forward(self, x):
        return self.fc3(self.act_fn(self.fc2(self.act_fn(self.fc1(self.layernorm(x))))))


class VisionProjection(nn.Module):
    """SigLIP tokens -> hidden: LayerNorm, Linear, GELU, Linear, LayerNorm."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.proj = nn.Sequential(AffineLayerNorm(input_dim, 1e-5), nn.Linear(input_dim, input_dim), nn.GELU(),
                                  nn.Linear(input_dim, output_dim), AffineLayerNorm(output_dim, 1e-5))

    def forward(self, x):
        return self.proj(x)
