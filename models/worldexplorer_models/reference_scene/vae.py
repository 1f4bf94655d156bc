"""The lossless "VAE": space-to-depth on the way in, pixel shuffle of the styled view and frame blending out.

Latent 0 decodes to one frame; every later latent decodes to FRAMES_PER_LATENT frames that blend linearly from
the previous latent's image to its own, so motion between latents is smooth at 24 fps. The decoder cache is the
previous latent's styled image.
"""

import torch

from .config import FRAMES_PER_LATENT, VIDEO_HEIGHT, VIDEO_WIDTH, VIEW_CHANNELS
from .latent_layout import images_to_latents, latents_to_channel_first_images

_BLEND = torch.arange(1, FRAMES_PER_LATENT + 1, dtype=torch.float32) / FRAMES_PER_LATENT


class VaeEncoder(torch.nn.Module):
    """image [1, 3, H, W] -> image_latent [1, C, h, w]: the start image as both the base and the styled view."""

    def forward(self, image):
        view = images_to_latents(image)[:, 0]
        return torch.cat([view, view], 0)[None]


def _styled_images(latents):
    """[1, C, L, h, w] -> the styled views [3, L, H, W]."""
    return latents_to_channel_first_images(latents[0, VIEW_CHANNELS:])


def _blend(previous, current):
    """[3, T, H, W] pairs -> [3, T * FRAMES_PER_LATENT, H, W], each group ending on `current`."""
    weights = _BLEND.reshape(1, 1, FRAMES_PER_LATENT, 1, 1)
    frames = previous[:, :, None] + weights * (current - previous)[:, :, None]
    return frames.reshape(3, -1, VIDEO_HEIGHT, VIDEO_WIDTH)


class VaeDecoderFirst(torch.nn.Module):
    """latents [1, C, L, h, w] -> frames [1, 3, 1 + 4 (L - 1), H, W], cache_out [Z]."""

    def forward(self, latents):
        images = _styled_images(latents)
        frames = torch.cat([images[:, :1], _blend(images[:, :-1], images[:, 1:])], 1)
        return frames[None], images[:, -1].reshape(-1)


class VaeDecoder(torch.nn.Module):
    """latents [1, C, L, h, w], cache_in [Z] -> frames [1, 3, 4 L, H, W], cache_out [Z]."""

    def forward(self, latents, cache_in):
        images = _styled_images(latents)
        previous = torch.cat([cache_in.reshape(3, 1, VIDEO_HEIGHT, VIDEO_WIDTH), images[:, :-1]], 1)
        return _blend(previous, images)[None], images[:, -1].reshape(-1)
