"""Changing resolution in the Wan2.2 VAE (autoencoder_kl_wan.py v0.35.0, D below): the parameter-free shortcuts
of the residual down and up blocks (AvgDown3D, DupUp3D) and the learned resampler (WanResample).

Upstream runs its 2D layers frame by frame on [B T, C, H, W]; here they run on the video tensor itself (a 2D
kernel is a 3D kernel one frame deep), which gives the same numbers and a smaller graph.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .layers import CausalConv3d


def avg_down(x, cout, factor_t, factor_s):
    """AvgDown3D (D:37-87): zero-pad time at the front to a multiple of factor_t, move every factor_t x factor_s
    x factor_s block into channels (channel-major, then time, row, column offset), average groups of
    consecutive channels down to cout."""
    b, c, t, h, w = x.shape
    x = F.pad(x, (0, 0, 0, 0, (factor_t - t % factor_t) % factor_t, 0))
    t = x.shape[2]
    x = x.reshape(b, c, t // factor_t, factor_t, h // factor_s, factor_s, w // factor_s, factor_s)
    x = x.permute(0, 1, 3, 5, 7, 2, 4, 6)
    group = c * factor_t * factor_s * factor_s // cout
    return x.reshape(b, cout, group, t // factor_t, h // factor_s, w // factor_s).mean(dim=2)


def dup_up(x, cout, factor_t, factor_s, first):
    """DupUp3D (D:90-131): repeat every channel (repeat_interleave), spread channel groups over time, row and
    column; on a video's first latent drop the factor_t - 1 leading frames."""
    b, c, t, h, w = x.shape
    repeats = cout * factor_t * factor_s * factor_s // c
    # repeat_interleave along channels as one Tile (torch exports repeat_interleave as a split per channel)
    x = x.unsqueeze(2).repeat(1, 1, repeats, 1, 1, 1).reshape(b, cout, factor_t, factor_s, factor_s, t, h, w)
    x = x.permute(0, 1, 5, 2, 6, 3, 7, 4).reshape(b, cout, t * factor_t, h * factor_s, w * factor_s)
    return x[:, :, factor_t - 1:] if first else x


class FrameConv2d(nn.Conv2d):
    """An nn.Conv2d (parameters `weight` [out, in, kh, kw] and `bias`) applied to every frame of a video."""

    def forward(self, x):
        return F.conv3d(x, self.weight.unsqueeze(2), self.bias, (1,) + self.stride, (0,) + self.padding)


class _Nearest2x(nn.Module):
    """WanUpsample(scale 2, "nearest-exact") (D:205-217) on every frame. For an integer factor of 2 nearest-exact
    picks the same source pixel as nearest, which exports as one ONNX Resize."""

    def forward(self, x):
        return F.interpolate(x, scale_factor=(1.0, 2.0, 2.0), mode="nearest")


class _ZeroPadRightBottom(nn.Module):
    """nn.ZeroPad2d((0, 1, 0, 1)) on every frame (D:257, D:259)."""

    def forward(self, x):
        return F.pad(x, (0, 1, 0, 1))


class Resample(nn.Module):
    """WanResample (D:220-307) in modes upsample2d, upsample3d, downsample2d, downsample3d. The 2D conv is
    `resample.1`; the 3D modes add `time_conv`, which doubles time (up) or halves it (down)."""

    def __init__(self, dim, mode, out_dim=None):
        super().__init__()
        self.mode = mode
        if mode in ("upsample2d", "upsample3d"):
            self.resample = nn.Sequential(_Nearest2x(), FrameConv2d(dim, out_dim or dim // 2, 3, padding=1))
        elif mode in ("downsample2d", "downsample3d"):
            self.resample = nn.Sequential(_ZeroPadRightBottom(), FrameConv2d(dim, dim, 3, stride=2))
        else:
            raise ValueError(f"resample mode {mode!r} is not one of upsample2d, upsample3d, downsample2d, "
                             "downsample3d")
        if mode == "upsample3d":
            self.time_conv = CausalConv3d(dim, dim * 2, (3, 1, 1))
        elif mode == "downsample3d":
            self.time_conv = CausalConv3d(dim, dim, (3, 1, 1), stride=(2, 1, 1))
        self.cache_channels = [dim] if mode == "upsample3d" else []

    def upsample(self, x, caches, first):
        """x [B, C, T, H, W] -> [B, C', T', 2H, 2W]. In 3D mode every frame becomes two (time_conv's 2C outputs
        are two frames of C channels, D:283-291), except a video's first frame, which upstream passes through
        without time_conv and without ever putting it in time_conv's cache (its "Rep" marker, D:268-287)."""
        if self.mode == "upsample3d":
            if first:
                head, rest = x[:, :, :1], x[:, :, 1:]
                if rest.shape[2]:
                    x = torch.cat([head, self._double(caches.conv(self.time_conv, rest))], dim=2)
                else:
                    caches.skip()
            else:
                x = self._double(caches.conv(self.time_conv, x))
        return self.resample(x)

    @staticmethod
    def _double(y):
        """[B, 2C, T, H, W] -> [B, C, 2T, H, W]: channels k C + c are frame 2t + k."""
        c = y.shape[1] // 2
        return torch.stack([y[:, :c], y[:, c:]], dim=3).flatten(2, 3)

    def downsample_first_frame(self, x):
        """One frame at the start of a video: upstream's downsample3d only stores it for later and runs no
        time_conv (D:297-303), so both modes are the strided 2D conv."""
        return self.resample(x)
