"""The WorldPlay 5B DiT (upstream's WanTransformer3DModel with action embedder and PRoPE output projections) over
one batch of latents.

Inside, tokens are [T, P, D]: latent, token of the latent (2x2 patches, row-major), channel. Upstream's timestep and
action are per latent and its adaLN vectors are repeated over each latent's tokens; here they broadcast over P.
"""

import torch
import torch.nn.functional as F
from torch import nn

from . import config as c
from .blocks import WanBlock
from .layers import AffineFreeLayerNorm, ConditionEmbedder
from .positions import positions


class WorldPlay5BTransformer(nn.Module):
    def __init__(self, layers=c.LAYERS, dim=c.DIM, heads=c.HEADS, ffn=c.FFN, channels=c.CHANNELS,
                 text_dim=c.TEXT_DIM, freq_dim=c.FREQ_DIM, eps=c.EPS):
        super().__init__()
        if dim % heads or (dim // heads) % 4:
            raise ValueError(f"width {dim} must split into {heads} heads whose size is a multiple of 4 (PRoPE)")
        self.heads = heads
        self.channels = channels
        self.head_dim = dim // heads
        c.rope_dims(self.head_dim)
        self.patch_embedding = nn.Conv3d(channels, dim, kernel_size=c.PATCH, stride=c.PATCH)
        self.condition_embedder = ConditionEmbedder(dim, freq_dim, text_dim)
        self.blocks = nn.ModuleList(WanBlock(dim, ffn, heads, eps) for _ in range(layers))
        self.norm_out = AffineFreeLayerNorm(dim, eps)
        self.proj_out = nn.Linear(dim, channels * c.PATCH[1] * c.PATCH[2])
        self.scale_shift_table = nn.Parameter(torch.randn(1, 2, dim) / dim ** 0.5)

    def text_kvs(self, text, mask):
        """UMT5 states [n, text_dim] and mask [n] -> each block's cross-attention (k, v) [512, D]. Upstream cuts
        every prompt's states at its length and zero-pads them to 512 tokens, then attends to all 512 (padding
        included, no mask); masked states are zeroed and the rest padded here to the same 512 rows."""
        text = text * mask[:, None]
        text = F.pad(text, (0, 0, 0, c.TEXT_TOKENS))[:c.TEXT_TOKENS]
        embedded = self.condition_embedder.text_embedder(text)
        return [block.text_kv(embedded) for block in self.blocks]

    def positions(self, rope_t, w2c, intrinsics, height, width):
        return positions(rope_t, w2c, intrinsics, height, width, self.head_dim)

    def patchify(self, latents):
        """[1, C, T, h, w] -> [T, h/2 * w/2, D]: the (1, 2, 2) Conv3d as a matrix product over patches."""
        channels, count, height, width = latents.shape[1], latents.shape[2], latents.shape[3], latents.shape[4]
        patches = latents[0].reshape(channels, count, height // 2, 2, width // 2, 2).permute(1, 2, 4, 0, 3, 5)
        patches = patches.reshape(count, (height // 2) * (width // 2), channels * 4)
        weight = self.patch_embedding.weight
        return patches @ weight.reshape(weight.shape[0], channels * 4).t() + self.patch_embedding.bias

    def unpatchify(self, tokens, height, width):
        """[T, P, 4C] with features ordered (row in patch, column in patch, channel) -> [1, C, T, h, w]."""
        count = tokens.shape[0]
        grid = tokens.reshape(count, height // 2, width // 2, 2, 2, self.channels).permute(5, 0, 1, 3, 2, 4)
        return grid.reshape(1, self.channels, count, height, width)

    def forward(self, latents, timestep, action, positions, text_kvs, context_kvs=None, keep=None):
        """latents [1, C, T, h, w]; timestep and action [T] float (one per latent); positions from self.positions;
        text_kvs from self.text_kvs; context_kvs: None or the context pass's per-block keys and values; keep: None
        or the self-attention key mask. Returns (velocity [1, C, T, h, w], per-block (k_rope, v, k_prope, v_prope))."""
        height, width = latents.shape[3], latents.shape[4]
        x = self.patchify(latents)
        temb, modulation = self.condition_embedder(timestep, action)
        kvs = []
        for i, block in enumerate(self.blocks):
            x, kv = block(x, modulation, positions, text_kvs[i], None if context_kvs is None else context_kvs[i],
                          keep)
            kvs.append(kv)
        shift, scale = (self.scale_shift_table + temb[:, None]).chunk(2, dim=1)
        out = self.proj_out(self.norm_out(x) * (1 + scale) + shift)
        return self.unpatchify(out, height, width), kvs
