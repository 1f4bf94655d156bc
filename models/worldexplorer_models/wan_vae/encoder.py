"""The Wan2.2 VAE encoder (WanEncoder3d with is_residual, autoencoder_kl_wan.py v0.35.0 D:505-623), for the one
thing the bundle encodes: a single image at the start of a video.

Upstream encodes an image as a video of one frame with empty caches (D:1145-1168), so every causal conv sees two
zero frames before it and the temporal downsamplers only store the frame for later (D:297-303).
"""

from torch import nn
import torch.nn.functional as F

from .layers import CausalConv3d, MidBlock, ResidualBlock, RMSNorm
from .resample import Resample, avg_down


class ResidualDownBlock(nn.Module):
    """WanResidualDownBlock (D:469-502): residual blocks, an optional downsampler, plus the AvgDown3D shortcut of
    the block's input."""

    def __init__(self, cin, cout, num_res_blocks, temporal, down):
        super().__init__()
        self.resnets = nn.ModuleList(ResidualBlock(cin if i == 0 else cout, cout) for i in range(num_res_blocks))
        self.downsampler = Resample(cout, "downsample3d" if temporal else "downsample2d") if down else None
        self.shortcut = (cout, 2 if temporal else 1, 2 if down else 1)

    def first_frame(self, x):
        h = x
        for resnet in self.resnets:
            h = resnet.first_frame(h)
        if self.downsampler is not None:
            h = self.downsampler.downsample_first_frame(h)
        return h + avg_down(x, *self.shortcut)


class Encoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        dims = config.encoder_dims
        levels = len(config.dim_mult)
        self.conv_in = CausalConv3d(config.io_channels, dims[0], 3)
        self.down_blocks = nn.ModuleList(
            ResidualDownBlock(dims[i], dims[i + 1], config.num_res_blocks,
                              temporal=i < levels - 1 and config.temperal_downsample[i], down=i < levels - 1)
            for i in range(levels))
        self.mid_block = MidBlock(dims[-1])
        self.norm_out = RMSNorm(dims[-1])
        self.conv_out = CausalConv3d(dims[-1], 2 * config.z_dim, 3)

    def first_frame(self, x):
        """x [B, io_channels, 1, H/p, W/p] (a patchified image) -> moments [B, 2 z_dim, 1, h, w]."""
        if x.shape[2] != 1:
            raise ValueError(f"the encoder takes one frame (the start image), got {x.shape[2]}")
        x = self.conv_in.first_frame(x)
        for block in self.down_blocks:
            x = block.first_frame(x)
        x = self.mid_block.first_frame(x)
        return self.conv_out.first_frame(F.silu(self.norm_out(x)))
