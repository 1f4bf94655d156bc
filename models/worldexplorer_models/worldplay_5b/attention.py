"""Multi-head attention on flat [tokens, heads * head_dim] tensors, exported as ONNX Runtime's fused
com.microsoft.MultiHeadAttention.

Only the context pass needs a key mask (its padding latent); the denoising steps and the cross-attention to the
text attend to every key, so they export without a mask input, which lets the CUDA provider pick its fastest kernel.
In PyTorch both compute reference_tiny.layers.attention, so parity checks compare the same maths.
"""

import torch

from ..hy_worldplay_8b.fused_attention import _MultiHeadAttention
from ..reference_tiny.layers import attention


def _split(x, heads):
    """[1, N, H*D] -> [H, N, D]"""
    return x[0].reshape(x.shape[1], heads, x.shape[2] // heads).transpose(0, 1)


class _UnmaskedMultiHeadAttention(torch.autograd.Function):
    @staticmethod
    def forward(ctx, query, key, value, heads):
        """query [1, Nq, H*D], key and value [1, Nk, H*D] -> [1, Nq, H*D]."""
        no_bias = torch.zeros(key.shape[1], dtype=query.dtype)
        return attention(_split(query, heads), _split(key, heads), _split(value, heads), no_bias)[None]

    @staticmethod
    def symbolic(g, query, key, value, heads):
        return g.op("com.microsoft::MultiHeadAttention", query, key, value, num_heads_i=heads)


def multi_head_attention(query, key, value, heads, keep=None):
    """query [Nq, H*D], key and value [Nk, H*D]; keep [Nk] (1 = attend, 0 = padding) or None -> [Nq, H*D].
    The scale is 1/sqrt(D), as upstream's attention uses."""
    if keep is None:
        return _UnmaskedMultiHeadAttention.apply(query[None], key[None], value[None], heads)[0]
    return _MultiHeadAttention.apply(query[None], key[None], value[None], keep[None], heads)[0]

