"""The Wan2.2 VAE decoder (WanDecoder3d with is_residual, autoencoder_kl_wan.py v0.35.0 D:783-909) with its
causal-conv caches made explicit.

`forward` takes any number of latents. Upstream decodes one latent per call with caches that live on between
calls (wan/inference/helper.py:25-70 of HY-WorldPlay); the bundle's graphs do the same. Given the whole video at
once with empty caches it computes the same frames in one pass, which the tests use to check the cache handling.
"""

from torch import nn
import torch.nn.functional as F

from .layers import CausalConv3d, MidBlock, ResidualBlock, RMSNorm
from .resample import Resample, dup_up


class ResidualUpBlock(nn.Module):
    """WanResidualUpBlock (D:626-711): num_res_blocks + 1 residual blocks, then (except in the last block) an
    upsampler plus the DupUp3D shortcut of the block's input."""

    def __init__(self, cin, cout, num_res_blocks, temporal, up):
        super().__init__()
        self.resnets = nn.ModuleList(ResidualBlock(cin if i == 0 else cout, cout) for i in range(num_res_blocks + 1))
        self.upsampler = Resample(cout, "upsample3d" if temporal else "upsample2d", out_dim=cout) if up else None
        self.shortcut = (cout, 2 if temporal else 1, 2) if up else None
        self.cache_channels = [c for r in self.resnets for c in r.cache_channels]
        self.upsamples = up
        if up:
            self.cache_channels += self.upsampler.cache_channels

    def forward(self, x, caches, first):
        h = x
        for resnet in self.resnets:
            h = resnet(h, caches)
        if self.upsampler is None:
            return h
        return self.upsampler.upsample(h, caches, first) + dup_up(x, *self.shortcut, first)


class Decoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        dims = config.decoder_dims
        levels = len(config.dim_mult)
        self.conv_in = CausalConv3d(config.z_dim, dims[0], 3)
        self.mid_block = MidBlock(dims[0])
        self.up_blocks = nn.ModuleList(
            ResidualUpBlock(dims[i], dims[i + 1], config.num_res_blocks,
                            temporal=i < levels - 1 and config.temperal_upsample[i], up=i < levels - 1)
            for i in range(levels))
        self.norm_out = RMSNorm(dims[-1])
        self.conv_out = CausalConv3d(dims[-1], config.io_channels, 3)

    def forward(self, x, caches, first):
        """x [B, z_dim, T, h, w] (after post_quant_conv) -> [B, io_channels, F, 8h, 8w], F = 4T, or 4T - 3 when
        `first` (x starts the video). `caches` (a layers.Caches) is read and updated."""
        caches.rewind()
        x = caches.conv(self.conv_in, x)
        x = self.mid_block(x, caches)
        for block in self.up_blocks:
            x = block(x, caches, first)
        x = caches.conv(self.conv_out, F.silu(self.norm_out(x)))
        caches.check_all_visited()
        return x

    def cache_shapes(self, height, width, batch=1):
        """Every cache's shape, in slot order, for a latent grid of height x width: the last two time steps of
        each temporal conv's input at that conv's resolution."""
        specs = [(self.conv_in.in_channels, 1)] + [(c, 1) for c in self.mid_block.cache_channels]
        scale = 1
        for block in self.up_blocks:
            specs += [(c, scale) for c in block.cache_channels]
            if block.upsamples:
                scale *= 2
        specs.append((self.conv_out.in_channels, scale))
        return [(batch, c, 2, height * s, width * s) for c, s in specs]
