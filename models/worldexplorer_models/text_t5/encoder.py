"""The T5 encoder shared by byT5 (8B glyph stream) and UMT5 (5B text stream), with Hugging Face's parameter names
(T5EncoderModel / UMT5EncoderModel): shared.weight, encoder.block.N.layer.0.SelfAttention.{q,k,v,o},
...relative_attention_bias, encoder.block.N.layer.0.layer_norm, ...layer.1.DenseReluDense.{wi_0,wi_1,wo},
encoder.block.N.layer.1.layer_norm and encoder.final_layer_norm.

Computation as transformers' modeling_t5.py / modeling_umt5.py in eval mode: pre-norm residual blocks, RMS layer
norm without bias or mean, unscaled dot-product attention plus a relative-position bias, a gated FFN with the
tanh GELU ("gelu_new"), and the final layer norm applied to the output (last_hidden_state).
"""

import math

import torch
from torch import nn

from .buckets import relative_buckets

# Additive logit of a padded key. Finite and inside fp16's range, so a prompt of padding only still gives a
# finite softmax (uniform over its keys) in every precision; exp(-1e4) is exactly 0 next to any real key.
MASKED = -1.0e4


class T5LayerNorm(nn.Module):
    """Scales by the reciprocal root mean square; no mean subtraction, no bias."""

    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def gelu_tanh(x):
    """GELU with the tanh approximation ("gelu_new"), spelled out so every opset exports it the same."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


class T5Attention(nn.Module):
    def __init__(self, config, has_relative_attention_bias):
        super().__init__()
        self.config = config
        self.q = nn.Linear(config.d_model, config.inner_dim, bias=False)
        self.k = nn.Linear(config.d_model, config.inner_dim, bias=False)
        self.v = nn.Linear(config.d_model, config.inner_dim, bias=False)
        self.o = nn.Linear(config.inner_dim, config.d_model, bias=False)
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(config.relative_attention_num_buckets, config.num_heads)

    def position_bias(self, length):
        """[1, heads, length, length] from this layer's bucket embedding."""
        c = self.config
        buckets = relative_buckets(length, c.relative_attention_num_buckets, c.relative_attention_max_distance)
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)

    def forward(self, x, bias):
        """x [B, N, d_model]; bias [B or 1, heads, N, N] (position bias plus key mask) -> [B, N, d_model]."""
        batch, length, _ = x.shape
        heads, d_kv = self.config.num_heads, self.config.d_kv

        def split(t):
            return t.reshape(batch, length, heads, d_kv).transpose(1, 2)

        # T5 folds the 1/sqrt(d_kv) scale into its weights: the logits are plain dot products.
        scores = split(self.q(x)) @ split(self.k(x)).transpose(2, 3) + bias
        weights = torch.softmax(scores, dim=-1)
        context = (weights @ split(self.v(x))).transpose(1, 2).reshape(batch, length, heads * d_kv)
        return self.o(context)


class T5LayerSelfAttention(nn.Module):
    def __init__(self, config, has_relative_attention_bias):
        super().__init__()
        self.SelfAttention = T5Attention(config, has_relative_attention_bias)
        self.layer_norm = T5LayerNorm(config.d_model, config.layer_norm_epsilon)

    def forward(self, x, bias):
        return x + self.SelfAttention(self.layer_norm(x), bias)


class T5DenseGatedActDense(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wi_0 = nn.Linear(config.d_model, config.d_ff, bias=False)
        self.wi_1 = nn.Linear(config.d_model, config.d_ff, bias=False)
        self.wo = nn.Linear(config.d_ff, config.d_model, bias=False)

    def forward(self, x):
        return self.wo(gelu_tanh(self.wi_0(x)) * self.wi_1(x))


class T5LayerFF(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.DenseReluDense = T5DenseGatedActDense(config)
        self.layer_norm = T5LayerNorm(config.d_model, config.layer_norm_epsilon)

    def forward(self, x):
        return x + self.DenseReluDense(self.layer_norm(x))


class T5Block(nn.Module):
    def __init__(self, config, has_relative_attention_bias):
        super().__init__()
        self.layer = nn.ModuleList([T5LayerSelfAttention(config, has_relative_attention_bias), T5LayerFF(config)])

    def forward(self, x, bias):
        return self.layer[1](self.layer[0](x, bias))


class T5Stack(nn.Module):
    """The encoder stack without its embedding (the embedding is the top-level `shared`, as in T5EncoderModel)."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.block = nn.ModuleList(T5Block(config, config.bias_per_layer or i == 0) for i in range(config.num_layers))
        self.final_layer_norm = T5LayerNorm(config.d_model, config.layer_norm_epsilon)

    def forward(self, x, key_bias):
        """x [B, N, d_model] embeddings; key_bias [B, 1, 1, N], 0 or MASKED per key."""
        length = x.shape[1]
        shared = None if self.config.bias_per_layer else self.block[0].layer[0].SelfAttention.position_bias(length)
        for block in self.block:
            attention = block.layer[0].SelfAttention
            position = attention.position_bias(length) if self.config.bias_per_layer else shared
            x = block(x, position + key_bias)
        return self.final_layer_norm(x)


class T5Encoder(nn.Module):
    """input_ids [B, N] int64, attention_mask [B, N] (1 real, 0 padding) -> last hidden state [B, N, d_model]."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.shared = nn.Embedding(config.vocab_size, config.d_model)
        self.encoder = T5Stack(config)

    def forward(self, input_ids, attention_mask):
        key_bias = (1.0 - attention_mask.to(torch.float32))[:, None, None, :] * MASKED
        return self.encoder(self.shared(input_ids), key_bias)


class TextEncoderGraph(nn.Module):
    """The bundle's text_encoder graph: the encoder's output, with padded positions zeroed where the upstream
    pipeline does so (config.zero_padding)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask):
        embeds = self.encoder(input_ids, attention_mask)
        if self.encoder.config.zero_padding:
            embeds = embeds * attention_mask.to(embeds.dtype)[:, :, None]
        return embeds
