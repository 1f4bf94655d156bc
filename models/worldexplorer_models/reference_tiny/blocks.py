"""MMDoubleStreamBlock: one double-stream block with separate image and text weights and the PRoPE branch."""

import torch
from torch import nn

from .camera import apply_rope, transform_groups
from .layers import MLP, LayerNorm, ModulateDiT, RMSNorm, attention, modulate


class MMDoubleStreamBlock(nn.Module):
    def __init__(self, hidden, heads, mlp_ratio):
        super().__init__()
        self.heads = heads
        head_dim = hidden // heads
        self.head_dim = head_dim
        mlp_hidden = int(hidden * mlp_ratio)
        for stream in ("img", "txt"):
            setattr(self, f"{stream}_mod", ModulateDiT(hidden, 6))
            setattr(self, f"{stream}_norm1", LayerNorm(hidden))
            setattr(self, f"{stream}_attn_q", nn.Linear(hidden, hidden))
            setattr(self, f"{stream}_attn_k", nn.Linear(hidden, hidden))
            setattr(self, f"{stream}_attn_v", nn.Linear(hidden, hidden))
            setattr(self, f"{stream}_attn_q_norm", RMSNorm(head_dim))
            setattr(self, f"{stream}_attn_k_norm", RMSNorm(head_dim))
            setattr(self, f"{stream}_attn_proj", nn.Linear(hidden, hidden))
            setattr(self, f"{stream}_norm2", LayerNorm(hidden))
            setattr(self, f"{stream}_mlp", MLP(hidden, mlp_hidden))
        self.img_attn_prope_proj = nn.Linear(hidden, hidden)
        # Plain MatMul-Softmax attention; full-size exports swap in a fused kernel with the same signature.
        self.attend = attention

    def _qkv(self, stream, x, shift, scale):
        normed = modulate(getattr(self, f"{stream}_norm1")(x), shift, scale)
        split = lambda t: t.reshape(t.shape[0], self.heads, self.head_dim)
        q = getattr(self, f"{stream}_attn_q_norm")(split(getattr(self, f"{stream}_attn_q")(normed)))
        k = getattr(self, f"{stream}_attn_k_norm")(split(getattr(self, f"{stream}_attn_k")(normed)))
        v = split(getattr(self, f"{stream}_attn_v")(normed))
        return q, k, v

    def _mlp_residual(self, stream, x, shift, scale, gate):
        mlp = getattr(self, f"{stream}_mlp")
        return x + gate * mlp(modulate(getattr(self, f"{stream}_norm2")(x), shift, scale))

    def forward_txt(self, txt, vec_txt, key_bias):
        """Text self-attention only (the text stream never sees vision). Returns txt and its (k, v) [N, H, D]."""
        shift1, scale1, gate1, shift2, scale2, gate2 = self.txt_mod(vec_txt).chunk(6, dim=-1)
        q, k, v = self._qkv("txt", txt, shift1, scale1)
        heads = lambda t: t.transpose(0, 1)
        out = self.attend(heads(q), heads(k), heads(v), key_bias)
        txt = txt + gate1 * self.txt_attn_proj(out)
        return self._mlp_residual("txt", txt, shift2, scale2, gate2), (k, v)

    def forward_vision(self, img, vec, rope, prope, text_kv, context_kv, key_bias):
        """Vision tokens attend to text keys/values, the context's cached ones (if any) and their own.

        rope: (cos, sin) per token; prope: (P, P^-1) per token [N, 4, 4]; context_kv: None or the context pass's
        (k_rope, v, k_prope, v_prope); key_bias: additive logit per key, in key order (text, context, own).
        Returns img and this pass's (k_rope, v, k_prope, v_prope).
        """
        shift1, scale1, gate1, shift2, scale2, gate2 = self.img_mod(vec).chunk(6, dim=-1)
        q, k, v = self._qkv("img", img, shift1, scale1)
        p, p_inv = prope
        q_prope = transform_groups(q, p)
        k_prope = transform_groups(k, p_inv.transpose(1, 2))
        v_prope = transform_groups(v, p_inv.transpose(1, 2))
        cos, sin = rope
        q_rope, k_rope = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        own = (k_rope, v, k_prope, v_prope)
        text_k, text_v = text_kv
        keys = [text_k, k_rope]
        values = [text_v, v]
        keys_prope = [text_k, k_prope]
        values_prope = [text_v, v_prope]
        if context_kv is not None:
            keys.insert(1, context_kv[0])
            values.insert(1, context_kv[1])
            keys_prope.insert(1, context_kv[2])
            values_prope.insert(1, context_kv[3])
        heads = lambda parts: torch.cat(parts, dim=0).transpose(0, 1)
        out = self.attend(heads([q_rope]), heads(keys), heads(values), key_bias)
        out_prope = self.attend(heads([q_prope]), heads(keys_prope), heads(values_prope), key_bias)
        out_prope = transform_groups(out_prope.reshape(q.shape), p.transpose(1, 2)).reshape(out_prope.shape)
        img = img + gate1 * (self.img_attn_proj(out) + self.img_attn_prope_proj(out_prope))
        return self._mlp_residual("img", img, shift2, scale2, gate2), own

