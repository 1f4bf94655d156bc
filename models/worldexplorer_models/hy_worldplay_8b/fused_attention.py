"""Attention that exports as ONNX Runtime's fused com.microsoft.MultiHeadAttention.

Decomposed into MatMul and Softmax, one full-size context pass would hold 16 x 33,390 x 34,390 logits per
branch (tens of GB); the fused op never materialises them. In PyTorch it computes exactly what
reference_tiny.layers.attention computes, so parity checks compare the same maths.
"""

import torch
from torch.onnx import symbolic_helper

from ..reference_tiny.layers import attention

INT32 = 6  # onnx TensorProto.INT32


class _MultiHeadAttention(torch.autograd.Function):
    @staticmethod
    def forward(ctx, query, key, value, keep, heads):
        """query [1, Nq, H*D], key and value [1, Nk, H*D], keep [1, Nk] (1 = attend) -> [1, Nq, H*D]."""
        split = lambda x: x[0].reshape(x.shape[1], heads, x.shape[2] // heads).transpose(0, 1)
        bias = (1.0 - keep[0]) * -1.0e9
        return attention(split(query), split(key), split(value), bias)[None]

    @staticmethod
    def symbolic(g, query, key, value, keep, heads):
        mask = g.op("Cast", keep, to_i=INT32)
        none = symbolic_helper._optional_input_placeholder_tensor(g)
        return g.op("com.microsoft::MultiHeadAttention", query, key, value, none, mask, num_heads_i=heads)


def fused_attention(heads):
    """An attention function with reference_tiny.layers.attention's signature for `heads` heads: q [H, Nq, D],
    k and v [H, Nk, D], key_bias [Nk] with 0 for keys to attend and a large negative value for padding ->
    [Nq, H*D]. The head count is fixed here: a traced tensor size cannot be an operator attribute."""

    def attend(q, k, v, key_bias):
        merge = lambda x: x.transpose(0, 1).reshape(1, x.shape[1], x.shape[0] * x.shape[2])
        keep = (key_bias > -1.0).float()[None]
        return _MultiHeadAttention.apply(merge(q), merge(k), merge(v), keep, heads)[0]

    return attend
