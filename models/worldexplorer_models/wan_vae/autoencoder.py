"""AutoencoderKLWan as Wan2.2-TI2V-5B configures it (autoencoder_kl_wan.py v0.35.0 D:955-1222): encoder,
quant_conv, post_quant_conv and decoder under diffusers' names, and the 2x2 patchify around them."""

from torch import nn

from .config import WanVaeConfig
from .decoder import Decoder
from .encoder import Encoder
from .layers import CausalConv3d


def patchify(x, p):
    """[B, C, T, H, W] -> [B, C p p, T, H/p, W/p]; channel (c p + column offset) p + row offset (D:912-932)."""
    b, c, t, h, w = x.shape
    x = x.reshape(b, c, t, h // p, p, w // p, p).permute(0, 1, 6, 4, 2, 3, 5)
    return x.reshape(b, c * p * p, t, h // p, w // p)


def unpatchify(x, p):
    """The inverse of patchify (D:935-952)."""
    b, cpp, t, h, w = x.shape
    x = x.reshape(b, cpp // (p * p), p, p, t, h, w).permute(0, 1, 4, 5, 3, 6, 2)
    return x.reshape(b, cpp // (p * p), t, h * p, w * p)


class AutoencoderKLWan(nn.Module):
    def __init__(self, config=None):
        super().__init__()
        self.config = config or WanVaeConfig()
        z = self.config.z_dim
        self.encoder = Encoder(self.config)
        self.quant_conv = CausalConv3d(2 * z, 2 * z, 1)
        self.post_quant_conv = CausalConv3d(z, z, 1)
        self.decoder = Decoder(self.config)

    def encode_image(self, image):
        """image [B, 3, H, W] in [-1, 1] -> the posterior's mean [B, z_dim, H/16, W/16] (raw, not normalised)."""
        x = patchify(image[:, :, None], self.config.patch_size)
        moments = self.quant_conv(self.encoder.first_frame(x))[0]
        return moments[:, : self.config.z_dim, 0]

    def decode(self, z, caches, first):
        """Raw latents [B, z_dim, T, h, w] -> frames [B, 3, F, H, W] clamped to [-1, 1] (D:1198-1222); see
        Decoder.forward for F, `caches` and `first`."""
        out = self.decoder(self.post_quant_conv(z)[0], caches, first)
        return unpatchify(out, self.config.patch_size).clamp(-1.0, 1.0)
