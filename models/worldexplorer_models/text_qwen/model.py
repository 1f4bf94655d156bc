"""The Qwen2.5-VL language model, text only, with the checkpoint's parameter names (without the "model." prefix).

Text-only input makes the multimodal RoPE ordinary RoPE: upstream passes no position_ids, so transformers uses
positions 0 ... n-1 in all three (temporal, height, width) rows, and the sections then pick identical cosines and
sines. Attention is causal with padded keys masked (transformers' causal mask from attention_mask). The export
spells attention out as MatMul/Softmax over [key/value head, group, query, key] so the 7 query heads of a group
share their key and value without copies.
"""

import math

import torch
from torch import nn

from .config import exported_layers

# fp16's most negative finite value: masked logits stay finite in fp32, bf16 and fp16 graphs, so a row whose keys
# are all masked (a prompt of padding only) gives a uniform average, never NaN.
MASK_VALUE = -65504.0


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        # Qwen's hidden states reach thousands in a few channels, whose squares overflow fp16. Dividing by the row's
        # largest magnitude c first keeps every square <= 1: x/c * rsqrt(mean((x/c)^2) + eps/c^2) is exactly
        # x * rsqrt(mean(x^2) + eps), and c is kept >= sqrt(eps)/16 so eps/c^2 stays small too. The square is y * y,
        # not a Pow: ONNX Runtime 1.29 fuses Pow-ReduceMean-Add-Sqrt into SimplifiedLayerNormalization and then
        # replaces the computed eps/c^2 by its default epsilon 1e-5.
        root_eps = math.sqrt(self.eps)
        c = x.abs().amax(-1, keepdim=True).clamp_min(root_eps / 16)
        y = x / c
        e = root_eps / c
        return self.weight * (y * torch.rsqrt((y * y).mean(-1, keepdim=True) + e * e))


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.kv_heads, self.groups, self.head_dim = config.kv_heads, config.groups, config.head_dim
        kv = config.kv_heads * config.head_dim
        self.q_proj = nn.Linear(config.hidden, config.hidden, bias=True)
        self.k_proj = nn.Linear(config.hidden, kv, bias=True)
        self.v_proj = nn.Linear(config.hidden, kv, bias=True)
        self.o_proj = nn.Linear(config.hidden, config.hidden, bias=False)

    def forward(self, x, cos, sin, allowed):
        b = x.shape[0]
        # Query head h = kv_head * groups + g uses key/value head kv_head, as transformers' repeat_kv does.
        q = self.q_proj(x).view(b, -1, self.kv_heads, self.groups, self.head_dim).permute(0, 2, 3, 1, 4)
        k = self.k_proj(x).view(b, -1, self.kv_heads, 1, self.head_dim).permute(0, 2, 3, 1, 4)
        v = self.v_proj(x).view(b, -1, self.kv_heads, 1, self.head_dim).permute(0, 2, 3, 1, 4)
        q = q * cos + _rotate_half(q) * sin
        k = k * cos + _rotate_half(k) * sin
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.head_dim ** -0.5
        probs = torch.softmax(scores.masked_fill(~allowed, MASK_VALUE), dim=-1)
        out = torch.matmul(probs, v).permute(0, 3, 1, 2, 4)
        return self.o_proj(out.reshape(b, -1, self.kv_heads * self.groups * self.head_dim))


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.gate_proj = nn.Linear(config.hidden, config.intermediate, bias=False)
        self.up_proj = nn.Linear(config.hidden, config.intermediate, bias=False)
        self.down_proj = nn.Linear(config.intermediate, config.hidden, bias=False)

    def forward(self, x):
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden, config.rms_eps)
        self.self_attn = Attention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden, config.rms_eps)
        self.mlp = MLP(config)

    def forward(self, x, cos, sin, allowed):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, allowed)
        return x + self.mlp(self.post_attention_layernorm(x))


class QwenTextEncoder(nn.Module):
    """input_ids, attention_mask [b, n] (int64) -> the output of decoder layer `layers` [b, n, hidden], no final
    norm. `layers` defaults to the layer that gives upstream's hidden state -3."""

    def __init__(self, config, layers=None):
        super().__init__()
        self.config = config
        count = exported_layers(config) if layers is None else layers
        if not 1 <= count <= config.layers:
            raise ValueError(f"layers {count} must be between 1 and the checkpoint's {config.layers}")
        self.embed_tokens = nn.Embedding(config.vocab, config.hidden)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(count))

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids)
        cos, sin = rotary(input_ids.shape[1], self.config.head_dim, self.config.rope_theta, x.device)
        allowed = attention_allowed(attention_mask)
        for layer in self.layers:
            x = layer(x, cos, sin, allowed)
        return x


def rotary(n, head_dim, theta, device=None):
    """cos, sin [n, head_dim] for positions 0 ... n-1, computed as transformers' rotary embedding does (fp32)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64, device=device).float() / head_dim))
    positions = torch.arange(n, device=device).float()
    freqs = positions[:, None] * inv_freq[None, :]
    angles = torch.cat((freqs, freqs), dim=-1)
    return angles.cos(), angles.sin()


def attention_allowed(attention_mask):
    """[b, 1, 1, n, n] booleans: query i may read key j when j <= i and key j is a real token."""
    n = attention_mask.shape[1]
    index = torch.arange(n, device=attention_mask.device)
    causal = index[None, :] <= index[:, None]
    real = attention_mask[:, None, None, None, :] != 0
    return causal[None, None, None] & real


def _rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)
