"""A causal video VAE (temporal compression 4, spatial 16) in the layout of upstream's AutoencoderKLConv3D.

Every CausalConv3d has temporal kernel 3 and is causal: its input is prefixed with a cache of the last two time
steps it saw. On the very first step the cache is the first input step twice (the same as replicate padding).
The decoder runs one latent at a time: latent 0 of a video gives one frame (the temporal upsampling levels then
only upsample in space, with the first half of their channels), every later latent gives four. The decoder
graphs carry every conv's cache across calls as one flat tensor.
"""

import torch
import torch.nn.functional as F
from torch import nn

from . import config as c


class CausalConv3d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel_size=3, padding=(0, 1, 1))

    def forward(self, x, cache):
        """x [1, cin, T, H, W], cache [1, cin, 2, H, W] or None (first step) -> (y, new cache)."""
        if cache is None:
            cache = torch.cat([x[:, :, :1], x[:, :, :1]], dim=2)
        padded = torch.cat([cache, x], dim=2)
        return self.conv(padded), padded[:, :, -2:]


class ChannelRMSNorm(nn.Module):
    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(channels, 1, 1, 1))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(1, keepdim=True) + self.eps) * self.gamma


class ResnetBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.norm1 = ChannelRMSNorm(channels)
        self.conv1 = CausalConv3d(channels, channels)
        self.norm2 = ChannelRMSNorm(channels)
        self.conv2 = CausalConv3d(channels, channels)

    def forward(self, x, caches, slots):
        h, caches[slots[0]] = self.conv1(F.silu(self.norm1(x)), caches[slots[0]])
        h, caches[slots[1]] = self.conv2(F.silu(self.norm2(h)), caches[slots[1]])
        return x + h


class Upsample(nn.Module):
    """Conv to cout * 4 (space) or cout * 8 (time and space) channels, then depth-to-space (and -time)."""

    def __init__(self, cin, cout, temporal):
        super().__init__()
        self.cout = cout
        self.temporal = temporal
        self.conv = CausalConv3d(cin, cout * (8 if temporal else 4))

    def forward(self, x, cache, first):
        y, cache = self.conv(x, cache)
        _, _, steps, height, width = y.shape
        if self.temporal and not first:
            y = y.reshape(1, self.cout, 2, 2, 2, steps, height, width).permute(0, 1, 5, 2, 6, 3, 7, 4)
            return y.reshape(1, self.cout, 2 * steps, 2 * height, 2 * width), cache
        y = y[:, : 4 * self.cout].reshape(1, self.cout, 2, 2, steps, height, width).permute(0, 1, 4, 5, 2, 6, 3)
        return y.reshape(1, self.cout, steps, 2 * height, 2 * width), cache


class Decoder(nn.Module):
    def __init__(self, channels=c.CHANNELS, widths=c.DECODER_CHANNELS):
        super().__init__()
        self.conv_in = CausalConv3d(channels, widths[0])
        self.mid = nn.ModuleDict({"block_1": ResnetBlock(widths[0])})
        self.up = nn.ModuleList([
            Upsample(widths[0], widths[1], temporal=True),
            Upsample(widths[1], widths[2], temporal=True),
            Upsample(widths[2], widths[3], temporal=False),
            Upsample(widths[3], widths[3], temporal=False),
        ])
        self.norm_out = ChannelRMSNorm(widths[3])
        self.conv_out = CausalConv3d(widths[3], 3)

    def cache_shapes(self, height, width):
        """Shape of every conv's cache, in slot order, for a latent grid of height x width."""
        w = c.DECODER_CHANNELS
        sizes = [(c.CHANNELS, height, width), (w[0], height, width), (w[0], height, width),
                 (w[0], height, width), (w[1], 2 * height, 2 * width), (w[2], 4 * height, 4 * width),
                 (w[3], 8 * height, 8 * width), (w[3], 16 * height, 16 * width)]
        return [(1, ch, 2, hh, ww) for ch, hh, ww in sizes]

    def step(self, z, caches, first):
        """One latent [1, C, 1, h, w] -> frames [1, 3, 1 or 4, H, W]; caches (a list of 8) is updated in place."""
        x, caches[0] = self.conv_in(z / c.SCALING_FACTOR, caches[0])
        x = self.mid["block_1"](x, caches, (1, 2))
        for i, up in enumerate(self.up):
            x, caches[3 + i] = up(x, caches[3 + i], first)
        x, caches[7] = self.conv_out(F.silu(self.norm_out(x)), caches[7])
        return x


def flatten(caches):
    return torch.cat([cache.reshape(-1) for cache in caches])


def unflatten(flat, shapes):
    caches, offset = [], 0
    for shape in shapes:
        size = 1
        for s in shape:
            size *= s
        caches.append(flat[offset: offset + size].reshape(shape))
        offset += size
    return caches


def cache_size():
    total = 0
    for shape in Decoder().cache_shapes(c.LATENT_HEIGHT, c.LATENT_WIDTH):
        size = 1
        for s in shape:
            size *= s
        total += size
    return total


class VaeDecoderFirst(nn.Module):
    """vae_decoder_first: the first chunk's latents -> 1 + 4 (L - 1) frames and the cache."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, latents):
        caches = [None] * 8
        frames = []
        for i in range(latents.shape[2]):
            frames.append(self.decoder.step(latents[:, :, i: i + 1], caches, first=i == 0))
        return torch.cat(frames, dim=2), flatten(caches)


class VaeDecoderLater(nn.Module):
    """vae_decoder: a later chunk's latents and the cache -> 4 L frames and the new cache."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, latents, cache_in):
        caches = unflatten(cache_in, self.decoder.cache_shapes(latents.shape[3], latents.shape[4]))
        frames = []
        for i in range(latents.shape[2]):
            frames.append(self.decoder.step(latents[:, :, i: i + 1], caches, first=False))
        return torch.cat(frames, dim=2), flatten(caches)


class Downsample(nn.Module):
    """Space-to-depth by 2, then a causal conv."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = CausalConv3d(4 * cin, cout)

    def forward(self, x):
        _, ch, steps, height, width = x.shape
        x = x.reshape(1, ch, steps, height // 2, 2, width // 2, 2).permute(0, 1, 4, 6, 2, 3, 5)
        return self.conv(x.reshape(1, 4 * ch, steps, height // 2, width // 2), None)[0]


class Encoder(nn.Module):
    def __init__(self, channels=c.CHANNELS, widths=c.ENCODER_CHANNELS):
        super().__init__()
        self.conv_in = CausalConv3d(3, widths[0])
        self.down = nn.ModuleList(Downsample(widths[i], widths[i + 1]) for i in range(4))
        self.mid = nn.ModuleDict({"block_1": ResnetBlock(widths[4])})
        self.norm_out = ChannelRMSNorm(widths[4])
        self.conv_out = CausalConv3d(widths[4], 2 * channels)

    def forward(self, video):
        x = self.conv_in(video, None)[0]
        for down in self.down:
            x = down(x)
        x = self.mid["block_1"](x, [None, None], (0, 1))
        return self.conv_out(F.silu(self.norm_out(x)), None)[0]


class VaeEncoder(nn.Module):
    """vae_encoder: image [1, 3, H, W] in [-1, 1] -> posterior mode x scaling factor, [1, C, h, w]."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, image):
        moments = self.encoder(image[:, :, None])
        return moments[:, : c.CHANNELS, 0] * c.SCALING_FACTOR


class AutoencoderKLConv3D(nn.Module):
    """Holds encoder and decoder under upstream's attribute names; seeded random weights."""

    def __init__(self, seed=c.WEIGHT_SEED + 1):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                if name.endswith("gamma"):
                    parameter.copy_(1.0 + 0.1 * torch.randn(parameter.shape, generator=generator))
                elif parameter.dim() == 1:
                    parameter.copy_(0.02 * torch.randn(parameter.shape, generator=generator))
                else:
                    fan_in = parameter[0].numel()
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) / fan_in ** 0.5)
