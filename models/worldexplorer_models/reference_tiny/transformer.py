"""The WorldPlay DiT (HunyuanVideo-1.5 backbone plus action embedding and PRoPE) over one batch of latents."""

import torch
from torch import nn

from . import config as c
from .blocks import MMDoubleStreamBlock
from .layers import FinalLayer, PatchEmbed, TextProjection, TimestepEmbedder

MASKED = -1.0e9  # additive logit of a padded text key: exp underflows to exactly 0


class WorldPlayTransformer(nn.Module):
    def __init__(self, channels=c.CHANNELS, hidden=c.HIDDEN, heads=c.HEADS, depth=c.DOUBLE_BLOCKS,
                 mlp_ratio=c.MLP_RATIO, text_dim=c.TEXT_DIM, rope_dims=c.ROPE_DIMS, rope_theta=c.ROPE_THETA):
        super().__init__()
        if sum(rope_dims) != hidden // heads:
            raise ValueError(f"rope dims {rope_dims} must add up to the head dim {hidden // heads}")
        self.channels = channels
        self.rope_dims = rope_dims
        self.rope_theta = rope_theta
        self.img_in = PatchEmbed(2 * channels + 1, hidden)
        self.txt_in = self._text_in(text_dim, hidden, heads)
        self.time_in = TimestepEmbedder(hidden)
        self.action_in = TimestepEmbedder(hidden)
        self.double_blocks = nn.ModuleList(MMDoubleStreamBlock(hidden, heads, mlp_ratio) for _ in range(depth))
        self.final_layer = FinalLayer(hidden, channels)

    def _text_in(self, text_dim, hidden, heads):
        """The text input layer (upstream's `text_projection="linear"`; the 8B overrides it)."""
        return TextProjection(text_dim, hidden)

    def forward_txt(self, text_states, text_mask):
        """text_states [Nt, text_dim], mask [Nt] -> per block (k, v), and the additive key bias of the text."""
        return self.text_stream(self.txt_in(text_states), text_mask)

    def text_stream(self, txt, text_mask):
        """Embedded text tokens [Nt, hidden], mask [Nt] through every block's text half at timestep 0."""
        vec_txt = self.time_in(torch.zeros(1))
        bias = (1.0 - text_mask) * MASKED
        kvs = []
        for block in self.double_blocks:
            txt, kv = block.forward_txt(txt, vec_txt, bias)
            kvs.append(kv)
        return kvs, bias

    def forward_vision(self, tokens, timestep, action, tokens_per_latent, rope, prope, text_kvs, key_bias,
                       context_kvs=None):
        """tokens [T*h*w, 2C+1]; timestep, action [T] float; key_bias per key (text, context, own).
        Returns (velocity tokens [T*h*w, C], per-block kv)."""
        vec = self.time_in(timestep) + self.action_in(action)
        count = vec.shape[0]
        vec = vec[:, None, :].expand(count, tokens_per_latent, vec.shape[1]).reshape(count * tokens_per_latent,
                                                                                vec.shape[1])
        img = self.img_in(tokens)
        kvs = []
        for i, block in enumerate(self.double_blocks):
            img, kv = block.forward_vision(img, vec, rope, prope, text_kvs[i],
                                           None if context_kvs is None else context_kvs[i], key_bias)
            kvs.append(kv)
        return self.final_layer(img, vec), kvs


def init_weights(module: nn.Module, seed: int):
    """Seeded random weights. Every layer upstream zero-initialises (adaLN, action_in's last layer, prope_proj,
    the final layer) gets small random values instead, so each of them changes the output."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name.endswith("norm.weight") or name.endswith("_norm.weight"):
                parameter.copy_(1.0 + 0.1 * torch.randn(parameter.shape, generator=generator))
            elif parameter.dim() == 1:
                parameter.copy_(0.02 * torch.randn(parameter.shape, generator=generator))
            else:
                fan_in = parameter[0].numel()
                gain = 0.5 if ("_mod." in name or "adaLN" in name or "prope_proj" in name) else 1.0
                parameter.copy_(gain / fan_in ** 0.5 * torch.randn(parameter.shape, generator=generator))
