"""The Wan2.2 VAE's building blocks under diffusers' parameter names (autoencoder_kl_wan.py, v0.35.0, D below).

Tensors are [batch, channels, time, height, width]. Every temporal convolution is causal: its input is prefixed
with the last time steps it saw before (its cache); a cache of None means the start of a video, where upstream
pads with zeros (D:166-176), so None and a cache of zeros give the same result.
"""

import torch
import torch.nn.functional as F
from torch import nn


class CausalConv3d(nn.Conv3d):
    """WanCausalConv3d (D:134-176): an nn.Conv3d (so its parameters are `weight` and `bias`) padded causally in
    time and symmetrically in space."""

    def __init__(self, cin, cout, kernel, stride=1):
        kernel = (kernel,) * 3 if isinstance(kernel, int) else tuple(kernel)
        super().__init__(cin, cout, kernel, stride=stride, padding=(0, kernel[1] // 2, kernel[2] // 2))
        self.history = kernel[0] - 1

    def forward(self, x, cache=None):
        """x [B, cin, T, H, W], cache [B, cin, history, H, W] or None -> (y [B, cout, T, H, W], new cache)."""
        if self.history == 0:
            return super().forward(x), None
        if cache is None:
            padded = F.pad(x, (0, 0, 0, 0, self.history, 0))
        else:
            padded = torch.cat([cache, x], dim=2)
        return super().forward(padded), padded[:, :, -self.history:]

    def first_frame(self, x):
        """The output for one frame with nothing before it: only the last temporal tap meets data."""
        return F.conv3d(x, self.weight[:, :, -1:], self.bias, padding=self.padding)


class RMSNorm(nn.Module):
    """WanRMS_norm (D:179-202): x / max(||x||_2 over channels, 1e-12) * sqrt(dim) * gamma. Upstream's gamma is
    (dim, 1, 1, 1) for video tensors and (dim, 1, 1) in the attention block, which runs on per-frame images;
    every norm here runs on video tensors."""

    def __init__(self, dim, images=False):
        super().__init__()
        self.scale = dim ** 0.5
        self.gamma = nn.Parameter(torch.ones((dim, 1, 1) if images else (dim, 1, 1, 1)))

    def forward(self, x):
        # F.normalize without its expand_as: the division broadcasts, so no full-size copy of the norm
        norm = x.norm(2, dim=1, keepdim=True).clamp_min(1e-12)
        return x / norm * (self.gamma.reshape(-1, 1, 1, 1) * self.scale)


class Caches:
    """The decoder's causal-conv caches in the order upstream's feat_idx visits the convs; each conv takes the
    next slot and leaves its new cache there."""

    def __init__(self, tensors):
        self.tensors = list(tensors)
        self.index = 0

    def conv(self, conv, x):
        slot = self.index
        self.index += 1
        y, self.tensors[slot] = conv(x, self.tensors[slot])
        return y

    def rewind(self):
        """Called at the start of every decoder step: the convs run in the same order each time."""
        self.index = 0

    def check_all_visited(self):
        if self.index != len(self.tensors):
            raise RuntimeError(f"the decoder visited {self.index} caches but {len(self.tensors)} were given")

    def skip(self):
        """A conv that does not run this step (the temporal upsampler on a video's first latent) keeps its cache."""
        self.index += 1


class ResidualBlock(nn.Module):
    """WanResidualBlock (D:311-382): shortcut + conv2(silu(norm2(conv1(silu(norm1(x))))))."""

    def __init__(self, cin, cout):
        super().__init__()
        self.norm1 = RMSNorm(cin)
        self.conv1 = CausalConv3d(cin, cout, 3)
        self.norm2 = RMSNorm(cout)
        self.conv2 = CausalConv3d(cout, cout, 3)
        self.conv_shortcut = CausalConv3d(cin, cout, 1) if cin != cout else None
        self.cache_channels = [cin, cout]

    def _shortcut(self, x):
        return x if self.conv_shortcut is None else self.conv_shortcut(x)[0]

    def forward(self, x, caches):
        h = caches.conv(self.conv1, F.silu(self.norm1(x)))
        h = caches.conv(self.conv2, F.silu(self.norm2(h)))
        return h + self._shortcut(x)

    def first_frame(self, x):
        h = self.conv1.first_frame(F.silu(self.norm1(x)))
        h = self.conv2.first_frame(F.silu(self.norm2(h)))
        return h + self._shortcut(x)


class AttentionBlock(nn.Module):
    """WanAttentionBlock (D:385-427): one head over the pixels of each frame, scale 1/sqrt(dim), residual.
    to_qkv and proj are 1x1 nn.Conv2d (their checkpoint shapes), applied here as matrices."""

    def __init__(self, dim):
        super().__init__()
        self.norm = RMSNorm(dim, images=True)
        self.to_qkv = nn.Conv2d(dim, dim * 3, 1)
        self.proj = nn.Conv2d(dim, dim, 1)

    def forward(self, x):
        c = self.proj.in_channels
        tokens = self.norm(x).flatten(3).permute(0, 2, 3, 1)                      # [B, T, HW, C]
        qkv = torch.matmul(tokens, self.to_qkv.weight.flatten(1).t()) + self.to_qkv.bias
        q, k, v = qkv[..., :c], qkv[..., c: 2 * c], qkv[..., 2 * c:]
        weights = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * c ** -0.5, dim=-1)
        out = torch.matmul(torch.matmul(weights, v), self.proj.weight.flatten(1).t()) + self.proj.bias
        return out.permute(0, 3, 1, 2).reshape(x.shape) + x


class MidBlock(nn.Module):
    """WanMidBlock with num_layers 1 (D:430-465): resnets.0, attentions.0, resnets.1."""

    def __init__(self, dim):
        super().__init__()
        self.resnets = nn.ModuleList([ResidualBlock(dim, dim), ResidualBlock(dim, dim)])
        self.attentions = nn.ModuleList([AttentionBlock(dim)])
        self.cache_channels = [dim] * 4

    def forward(self, x, caches):
        x = self.resnets[0](x, caches)
        return self.resnets[1](self.attentions[0](x), caches)

    def first_frame(self, x):
        x = self.resnets[0].first_frame(x)
        return self.resnets[1].first_frame(self.attentions[0](x))
