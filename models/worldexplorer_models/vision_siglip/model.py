"""SigLIP's vision transformer with the checkpoint's parameter names (without the "vision_model." prefix), returning
last_hidden_state: the encoder output after post_layernorm. The pooling head is not built."""

import torch
from torch import nn


class Embeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.patch, self.grid = config.patch, config.image // config.patch
        self.patch_embedding = nn.Conv2d(3, config.hidden, config.patch, stride=config.patch, bias=True)
        self.position_embedding = nn.Embedding(config.tokens, config.hidden)

    def forward(self, pixels):
        # The stride-14 convolution as a product of flattened patches with the flattened kernel: ONNX's Conv takes
        # no bf16 (before opset 22), MatMul does. Rows and columns past grid x patch are unread, as in the Conv.
        b, p, g = pixels.shape[0], self.patch, self.grid
        patches = pixels[:, :, :g * p, :g * p].reshape(b, 3, g, p, g, p).permute(0, 2, 4, 1, 3, 5)
        patches = patches.reshape(b, g * g, 3 * p * p)
        embedded = nn.functional.linear(patches, self.patch_embedding.weight.flatten(1), self.patch_embedding.bias)
        # transformers adds position_embedding(arange(tokens)), which is the whole table in order.
        return embedded + self.position_embedding.weight[None]


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.heads, self.head_dim = config.heads, config.head_dim
        self.k_proj = nn.Linear(config.hidden, config.hidden)
        self.v_proj = nn.Linear(config.hidden, config.hidden)
        self.q_proj = nn.Linear(config.hidden, config.hidden)
        self.out_proj = nn.Linear(config.hidden, config.hidden)

    def forward(self, x):
        b = x.shape[0]
        split = lambda t: t.view(b, -1, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * self.head_dim ** -0.5, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2)
        return self.out_proj(out.reshape(b, -1, self.heads * self.head_dim))


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.fc1 = nn.Linear(config.hidden, config.intermediate)
        self.fc2 = nn.Linear(config.intermediate, config.hidden)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x), approximate="tanh"))


class EncoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(config.hidden, eps=config.eps)
        self.self_attn = Attention(config)
        self.layer_norm2 = nn.LayerNorm(config.hidden, eps=config.eps)
        self.mlp = MLP(config)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, config, layers):
        super().__init__()
        self.layers = nn.ModuleList(EncoderLayer(config) for _ in range(layers))


class SiglipVisionEncoder(nn.Module):
    """pixels [b, 3, image, image] as the image processor makes them -> [b, tokens, hidden]. `layers` keeps only the
    first encoder layers (narrow parity exports). `scale` and `shift` (per channel) map the caller's pixels to the
    processor's first; the identity adds nothing to the graph."""

    def __init__(self, config, layers=None, scale=(1.0, 1.0, 1.0), shift=(0.0, 0.0, 0.0)):
        super().__init__()
        count = config.layers if layers is None else layers
        if not 1 <= count <= config.layers:
            raise ValueError(f"layers {count} must be between 1 and the checkpoint's {config.layers}")
        self.embeddings = Embeddings(config)
        self.encoder = Encoder(config, count)
        self.post_layernorm = nn.LayerNorm(config.hidden, eps=config.eps)
        self.identity_input = all(abs(s - 1) < 1e-6 for s in scale) and all(abs(s) < 1e-6 for s in shift)
        self.scale, self.shift = tuple(scale), tuple(shift)

    def forward(self, pixels):
        if not self.identity_input:
            pixels = torch.cat([pixels[:, c:c + 1] * a + b for c, (a, b) in enumerate(zip(self.scale, self.shift))],
                               dim=1)
        x = self.embeddings(pixels)
        for layer in self.encoder.layers:
            x = layer(x)
        return self.post_layernorm(x)
