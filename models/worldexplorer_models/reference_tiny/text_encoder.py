"""text_encoder_llm: a stand-in for the LLM text encoder (token embedding and one pre-norm MLP layer)."""

import torch
from torch import nn

from . import config as c
from .layers import MLP, RMSNorm

VOCAB = ["<pad>", "<unk>", "a", "an", "the", "at", "in", "of", "and", "with", "path", "forest", "river", "bridge",
         "stone", "old", "town", "street", "night", "dusk", "snow", "fog", "rain", "light", "warm", "cold", "quiet",
         "walk", "through", "green", "hills", "sky"]


class TextLayer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.input_layernorm = RMSNorm(dim)
        self.mlp = MLP(dim, 2 * dim)

    def forward(self, x):
        return x + self.mlp(self.input_layernorm(x))


class TextEncoder(nn.Module):
    def __init__(self, seed=c.WEIGHT_SEED + 2):
        super().__init__()
        self.vocab = list(VOCAB)
        self.embed_tokens = nn.Embedding(len(VOCAB), c.TEXT_DIM)
        self.layers = nn.ModuleList([TextLayer(c.TEXT_DIM)])
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for parameter in self.parameters():
                if parameter.dim() == 1:
                    parameter.copy_(1.0 + 0.1 * torch.randn(parameter.shape, generator=generator))
                else:
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) / parameter.shape[-1] ** 0.5)

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x)
        return x * attention_mask[:, :, None].float()
