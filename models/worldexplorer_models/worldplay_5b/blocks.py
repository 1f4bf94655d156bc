"""WanTransformerBlock with WorldPlay's PRoPE branch: self-attention over [context, own] tokens in a RoPE and a PRoPE
branch, cross-attention to the text, feed-forward; the adaLN vectors are per latent."""

import torch
from torch import nn

from .attention import multi_head_attention
from .layers import AffineFreeLayerNorm, Attention, FeedForward
from .positions import rotate, transform_groups


class WanBlock(nn.Module):
    def __init__(self, dim, ffn_dim, heads, eps):
        super().__init__()
        self.heads = heads
        self.norm1 = AffineFreeLayerNorm(dim, eps)
        self.attn1 = Attention(dim, heads, eps, prope=True)
        self.attn2 = Attention(dim, heads, eps)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.ffn = FeedForward(dim, ffn_dim)
        self.norm3 = AffineFreeLayerNorm(dim, eps)
        self.scale_shift_table = nn.Parameter(torch.randn(1, 6, dim) / dim ** 0.5)

    def text_kv(self, text):
        """Embedded text [Nt, D] -> this block's cross-attention keys and values."""
        return self.attn2.key_value(text)

    def forward(self, x, modulation, positions, text_kv, context_kv=None, keep=None):
        """x [T, P, D] (latent, token of the latent, channel); modulation [T, 6, D]; positions: RoPE (cos, sin)
        [T*P, head_dim] and PRoPE (P, P^-1) [T, 4, 4]; text_kv: cross-attention (k, v) [Nt, D]; context_kv: None or
        the context pass's (k_rope, v, k_prope, v_prope) [Nc, D]; keep: None or the mask over all self-attention
        keys (1 = attend). Returns x and this pass's own (k_rope, v, k_prope, v_prope) [T*P, D]."""
        count, tokens, dim = x.shape
        heads = self.heads
        shift, scale, gate, c_shift, c_scale, c_gate = (self.scale_shift_table + modulation).chunk(6, dim=1)
        flat = lambda t: t.reshape(count * tokens, dim)
        rope, (p, p_inv) = positions

        normed = flat(self.norm1(x) * (1 + scale) + shift)
        q = self.attn1.query(normed)
        k, v = self.attn1.key_value(normed)
        # PRoPE acts on the projections before RoPE: q -> P^T q, k and v -> P^-1 k, P^-1 v; outputs -> P o.
        p_inv_rows = p_inv.transpose(1, 2)
        own = (rotate(k, rope, heads), v, transform_groups(k, p_inv_rows, count),
               transform_groups(v, p_inv_rows, count))
        joined = own if context_kv is None else [torch.cat([old, new]) for old, new in zip(context_kv, own)]
        out = multi_head_attention(rotate(q, rope, heads), joined[0], joined[1], heads, keep)
        out_prope = multi_head_attention(transform_groups(q, p, count), joined[2], joined[3], heads, keep)
        out_prope = transform_groups(out_prope, p.transpose(1, 2), count)
        attended = self.attn1.to_out[0](out) + self.attn1.to_out_prope[0](out_prope)
        x = x + gate * attended.reshape(count, tokens, dim)

        query = self.attn2.query(flat(self.norm2(x)))
        x = x + self.attn2.to_out[0](multi_head_attention(query, text_kv[0], text_kv[1], heads)).reshape(x.shape)

        x = x + c_gate * self.ffn(self.norm3(x) * (1 + c_scale) + c_shift)
        return x, own
