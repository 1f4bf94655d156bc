"""Building blocks of the HY-WorldPlay 8B VAE (HunyuanVideo-1.5 AutoencoderKLConv3D), with upstream's parameter names.

Upstream: hyvideo/models/autoencoders/hunyuanvideo_15_vae_w_cache.py of Tencent-Hunyuan/HY-WorldPlay (commit
da2d0c2), cited below as V:line.

Every reshape takes its sizes from the tensor it reshapes, never from Python constants, so a graph traced at a
small video size computes correctly at any other size (the exporter traces small and fixes the sizes after).
"""

import torch
import torch.nn.functional as F
from torch import nn

CACHE_STEPS = 2  # a causal conv with temporal kernel 3 needs the two previous input steps (V:37)


class ConvCaches:
    """The cached input steps of every causal conv of the decoder, in the order the convs run.

    An entry is None before the conv's first step, then a [1, channels, 2, height, width] tensor. Each conv takes
    its entry and puts back the last two steps of its (cache-prefixed) input, as upstream's feat_cache does.
    """

    def __init__(self, entries):
        self.entries = list(entries)
        self.position = 0

    def exchange(self, make_new):
        previous = self.entries[self.position]
        padded, result = make_new(previous)
        self.entries[self.position] = padded[:, :, -CACHE_STEPS:]
        self.position += 1
        return result


class CausalConv3d(nn.Module):
    """Kernel 3, causal in time, replicate padding in space (V:163-232). Without a cache the first step is repeated
    in front (upstream's replicate padding); with one, the cached steps come first. Upstream keeps a one-step cache
    after a one-step first call and replicate-pads it; a two-step cache [x, x] gives the same result."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel_size=3)

    def forward(self, x, caches=None):
        if caches is None:
            return self._run(None, x)[1]
        return caches.exchange(lambda previous: self._run(previous, x))

    def _run(self, previous, x):
        if previous is None:
            first = x[:, :, :1]
            previous = torch.cat([first, first], dim=2)
        padded = torch.cat([previous, x], dim=2)
        return padded, self.conv(F.pad(padded, (1, 1, 1, 1, 0, 0), mode="replicate"))


class RMSNorm(nn.Module):
    """RMS_norm(images=False) (V:141-160): x / max(|x|, 1e-12) over channels, times sqrt(channels) and gamma."""

    def __init__(self, channels):
        super().__init__()
        self.scale = channels ** 0.5
        self.gamma = nn.Parameter(torch.ones(channels, 1, 1, 1))

    def forward(self, x):
        return F.normalize(x, dim=1) * self.scale * self.gamma


class ResnetBlock(nn.Module):
    """norm1, silu, conv1, norm2, silu, conv2, plus the input (V:298-378). Upstream adds a 1x1x1 nin_shortcut only
    when the channel count changes, which never happens with down/upsample_match_channel."""

    def __init__(self, channels):
        super().__init__()
        self.norm1 = RMSNorm(channels)
        self.conv1 = CausalConv3d(channels, channels)
        self.norm2 = RMSNorm(channels)
        self.conv2 = CausalConv3d(channels, channels)

    def forward(self, x, caches=None):
        h = self.conv1(F.silu(self.norm1(x)), caches)
        h = self.conv2(F.silu(self.norm2(h)), caches)
        return x + h


class AttnBlock(nn.Module):
    """Single-head self-attention over one time step's pixels (V:261-296). Upstream masks attention causally
    across time steps; the encoder sees one image and the decoder one latent at a time, so there is one step."""

    def __init__(self, channels):
        super().__init__()
        self.norm = RMSNorm(channels)
        self.q = nn.Conv3d(channels, channels, kernel_size=1)
        self.k = nn.Conv3d(channels, channels, kernel_size=1)
        self.v = nn.Conv3d(channels, channels, kernel_size=1)
        self.proj_out = nn.Conv3d(channels, channels, kernel_size=1)
        self.scale = channels ** -0.5

    def forward(self, x):
        if x.shape[2] != 1:
            raise ValueError(f"attention here covers one time step, got {x.shape[2]}")
        h = self.norm(x)
        q, k, v = (layer(h).flatten(2) for layer in (self.q, self.k, self.v))  # [1, C, pixels]
        weights = torch.softmax(torch.matmul(q.transpose(1, 2), k) * self.scale, dim=-1)
        out = torch.matmul(v, weights.transpose(1, 2)).reshape(x.shape)
        return x + self.proj_out(out)


def space_to_depth(x):
    """b c f (h r2) (w r3) -> b (r2 r3 c) f h w (V:411-455)."""
    b, c, f, h, w = x.shape
    x = x.reshape(b, c, f, h // 2, 2, w // 2, 2).permute(0, 4, 6, 1, 2, 3, 5)
    return x.reshape(b, 4 * c, f, h // 2, w // 2)


def depth_to_space(x, time):
    """b (r1 r2 r3 c) f h w -> b c (f r1) (h r2) (w r3), r1 = time (V:496-572)."""
    b, c, f, h, w = x.shape
    x = x.reshape(b, time, 2, 2, c // (4 * time), f, h, w).permute(0, 4, 5, 1, 6, 2, 7, 3)
    return x.reshape(b, c // (4 * time), f * time, 2 * h, 2 * w)


def repeat_channels(x, repeats):
    """x.repeat_interleave(repeats, dim=1), written as expand and reshape so it exports to plain ONNX ops."""
    b, c, f, h, w = x.shape
    return x.unsqueeze(2).expand(b, c, repeats, f, h, w).reshape(b, c * repeats, f, h, w)


def mean_channel_groups(x, channels):
    """b (c r) f h w -> b c f h w, averaging each group of consecutive channels (V:424-455, V:700-703)."""
    b, c, f, h, w = x.shape
    return x.reshape(b, channels, c // channels, f, h, w).mean(dim=2)


class Downsample(nn.Module):
    """Conv to out/factor channels, then space-to-depth, plus a channel-averaged space-to-depth shortcut
    (V:380-459). The encoder sees one image, so a temporal level takes upstream's one-frame path: the spatial
    result is doubled along channels and the shortcut averages half as many channels per group."""

    def __init__(self, cin, cout, temporal):
        super().__init__()
        factor = 8 if temporal else 4
        if cout % factor:
            raise ValueError(f"downsample output channels {cout} must be a multiple of {factor}")
        self.conv = CausalConv3d(cin, cout // factor)
        self.temporal = temporal
        self.cout = cout

    def forward(self, x):
        if x.shape[2] != 1:
            raise ValueError(f"the encoder takes one image, got {x.shape[2]} time steps")
        h = space_to_depth(self.conv(x))
        if self.temporal:
            h = torch.cat([h, h], dim=1)
        return h + mean_channel_groups(space_to_depth(x), self.cout)


class Upsample(nn.Module):
    """Conv to out*factor channels, then depth-to-space (and -time), plus a channel-repeated depth-to-space
    shortcut (V:461-575). On the first latent (first_chunk) a temporal level upsamples in space only and keeps
    the first half of the channels of each spatial position's group, as upstream does."""

    def __init__(self, cin, cout, temporal):
        super().__init__()
        factor = 8 if temporal else 4
        self.conv = CausalConv3d(cin, cout * factor)
        self.temporal = temporal
        self.repeats = factor * cout // cin
        self.cout = cout

    def forward(self, x, caches, first):
        h = self.conv(x, caches)
        if not self.temporal:
            return depth_to_space(h, 1) + depth_to_space(repeat_channels(x, self.repeats), 1)
        if first:
            return depth_to_space(h, 1)[:, : self.cout] + repeat_channels(depth_to_space(x, 1), self.repeats // 2)
        return depth_to_space(h, 2) + repeat_channels(depth_to_space(x, 2), self.repeats)
