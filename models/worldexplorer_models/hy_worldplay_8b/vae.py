"""The HY-WorldPlay 8B VAE (HunyuanVideo-1.5 AutoencoderKLConv3D) with upstream's module layout and parameter names.

Upstream: hyvideo/models/autoencoders/hunyuanvideo_15_vae_w_cache.py (V:line, commit da2d0c2); configuration from
upstream-spec.md 1.3 (the vae/config.json of tencent/HunyuanVideo-1.5). The encoder takes one image (what the
bundle needs); the decoder runs one latent at a time with every causal conv's cache, as upstream's decode does.
"""

import math
from dataclasses import dataclass

import torch.nn.functional as F
from torch import nn

from . import config as c
from .vae_layers import AttnBlock, CausalConv3d, Downsample, ResnetBlock, RMSNorm, Upsample, mean_channel_groups, \
    repeat_channels


@dataclass(frozen=True)
class VaeConfig:
    in_channels: int = 3
    out_channels: int = 3
    latent_channels: int = c.CHANNELS
    block_out_channels: tuple = (128, 256, 512, 1024, 1024)
    layers_per_block: int = 2
    spatial: int = c.SPATIAL
    temporal: int = c.TEMPORAL
    scaling_factor: float = c.SCALING_FACTOR

    def __post_init__(self):
        widths = self.block_out_channels
        if len(widths) != self.spatial_levels + 1:
            raise ValueError(f"block_out_channels {widths} needs log2({self.spatial}) + 1 = "
                             f"{self.spatial_levels + 1} levels: one per downsample and the last one")
        if self.temporal_levels > self.spatial_levels:
            raise ValueError(f"temporal factor {self.temporal} exceeds the spatial factor {self.spatial}")

    @property
    def spatial_levels(self):
        return int(math.log2(self.spatial))

    @property
    def temporal_levels(self):
        return int(math.log2(self.temporal))


FULL = VaeConfig()


def _level_module(blocks):
    level = nn.Module()
    level.block = nn.ModuleList(blocks)
    return level


def _mid(channels):
    mid = nn.Module()
    mid.block_1 = ResnetBlock(channels)
    mid.attn_1 = AttnBlock(channels)
    mid.block_2 = ResnetBlock(channels)
    return mid


class Encoder(nn.Module):
    """Image -> latent moments (mean and log-variance), V:577-725."""

    def __init__(self, cfg=FULL):
        super().__init__()
        widths = cfg.block_out_channels
        if widths[-1] % (2 * cfg.latent_channels):
            raise ValueError(f"the last width {widths[-1]} must be a multiple of 2 x {cfg.latent_channels}")
        self.moments = 2 * cfg.latent_channels
        self.conv_in = CausalConv3d(cfg.in_channels, widths[0])
        self.down = nn.ModuleList()
        # Levels below log2(spatial) downsample in space; the last log2(temporal) of those also in time (V:611-626).
        first_temporal = cfg.spatial_levels - cfg.temporal_levels
        for level, width in enumerate(widths):
            down = _level_module(ResnetBlock(width) for _ in range(cfg.layers_per_block))
            if level < cfg.spatial_levels:
                down.downsample = Downsample(width, widths[level + 1], temporal=level >= first_temporal)
            self.down.append(down)
        self.mid = _mid(widths[-1])
        self.norm_out = RMSNorm(widths[-1])
        self.conv_out = CausalConv3d(widths[-1], self.moments)

    def forward(self, x):
        h = self.conv_in(x)
        for down in self.down:
            for block in down.block:
                h = block(h)
            if hasattr(down, "downsample"):
                h = down.downsample(h)
        h = self.mid.block_2(self.mid.attn_1(self.mid.block_1(h)))
        shortcut = mean_channel_groups(h, self.moments)
        return self.conv_out(F.silu(self.norm_out(h))) + shortcut


class Decoder(nn.Module):
    """One latent -> 1 frame (the first latent) or `temporal` frames, V:728-871."""

    def __init__(self, cfg=FULL):
        super().__init__()
        widths = tuple(reversed(cfg.block_out_channels))
        if widths[0] % cfg.latent_channels:
            raise ValueError(f"the first decoder width {widths[0]} must be a multiple of {cfg.latent_channels}")
        self.repeats = widths[0] // cfg.latent_channels
        self.conv_in = CausalConv3d(cfg.latent_channels, widths[0])
        self.mid = _mid(widths[0])
        self.up = nn.ModuleList()
        for level, width in enumerate(widths):
            up = _level_module(ResnetBlock(width) for _ in range(cfg.layers_per_block + 1))
            if level < cfg.spatial_levels:
                up.upsample = Upsample(width, widths[level + 1], temporal=level < cfg.temporal_levels)
            self.up.append(up)
        self.norm_out = RMSNorm(widths[-1])
        self.conv_out = CausalConv3d(widths[-1], cfg.out_channels)
        self.cfg = cfg

    def causal_convs(self):
        """Every causal conv in the order one step runs them: the layout of the decoder cache."""
        return [m for m in self.modules() if isinstance(m, CausalConv3d)]

    def cache_shapes(self, height, width):
        """[1, channels, 2, rows, columns] of every conv's cache for a latent grid of height x width."""
        shapes, scale = [], 1
        for name, module in self.named_modules():
            if isinstance(module, CausalConv3d):
                shapes.append((1, module.conv.in_channels, 2, scale * height, scale * width))
                if name.endswith(".upsample.conv"):
                    scale *= 2  # the convs after an upsample run at twice the size
        return shapes

    def step(self, z, caches, first):
        """One scaled latent [1, C, 1, h, w] -> frames [1, 3, T, H, W]; `caches` (ConvCaches) is updated."""
        caches.position = 0
        h = self.conv_in(z, caches) + repeat_channels(z, self.repeats)
        h = self.mid.block_1(h, caches)
        h = self.mid.attn_1(h)
        h = self.mid.block_2(h, caches)
        for up in self.up:
            for block in up.block:
                h = block(h, caches)
            if hasattr(up, "upsample"):
                h = up.upsample(h, caches, first)
        return self.conv_out(F.silu(self.norm_out(h)), caches)


class AutoencoderKLConv3D(nn.Module):
    """encoder and decoder under upstream's attribute names (V:874-926)."""

    def __init__(self, cfg=FULL):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
