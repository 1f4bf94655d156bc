"""The bundle's three VAE graphs (docs/bundle-format.md) around AutoencoderKLWan.

Latents cross the boundary normalised as the 5B DiT uses them, (z - latents_mean) / latents_std (HY-WorldPlay
wan/inference/pipeline_wan_w_mem_relative_rope.py:695-704 encodes, :391-435 decodes). The decoder graphs decode
one latent after another, as upstream does, and carry every causal conv's cache across calls as one flat tensor:
the caches in slot order (Decoder.cache_shapes), each flattened, concatenated.
"""

import torch
from torch import nn

from .layers import Caches


def cache_size(decoder, width, height, config):
    """Z, the number of floats in the flat cache, for a video of width x height."""
    w, h = config.latent_size(width, height)
    total = 0
    for shape in decoder.cache_shapes(h, w):
        count = 1
        for s in shape:
            count *= s
        total += count
    return total


def flatten(caches, shapes, like):
    """One flat tensor of every cache; a slot never written (a first call of one latent leaves the temporal
    upsamplers' caches empty) holds zeros, which is what an empty cache means."""
    parts = [(t if t is not None else like.new_zeros(shape)).reshape(-1) for t, shape in zip(caches.tensors, shapes)]
    return torch.cat(parts)


def unflatten(flat, shapes):
    caches, offset = [], 0
    for shape in shapes:
        count = 1
        for s in shape:
            count *= s
        caches.append(flat[offset: offset + count].reshape(shape))
        offset += count
    return caches


class _Normalisation(nn.Module):
    def __init__(self, config):
        super().__init__()
        shape = (1, config.z_dim, 1, 1)
        self.register_buffer("mean", torch.tensor(config.latents_mean).reshape(shape), persistent=False)
        self.register_buffer("std", torch.tensor(config.latents_std).reshape(shape), persistent=False)


class VaeEncoder(_Normalisation):
    """vae_encoder: image [1, 3, H, W] in [-1, 1] -> image_latent [1, z_dim, h, w], normalised. Upstream takes a
    posterior sample (pipeline :695); the bundle is deterministic and takes the posterior's mean."""

    def __init__(self, vae):
        super().__init__(vae.config)
        self.vae = vae

    def forward(self, image):
        return (self.vae.encode_image(image) - self.mean) / self.std


class _Decoding(_Normalisation):
    def __init__(self, vae):
        super().__init__(vae.config)
        self.vae = vae

    def run(self, latents, caches, first_latent_starts_video):
        raw = latents * self.std[:, :, None] + self.mean[:, :, None]
        frames = []
        for i in range(latents.shape[2]):
            first = first_latent_starts_video and i == 0
            frames.append(self.vae.decode(raw[:, :, i: i + 1], caches, first))
        return torch.cat(frames, dim=2)

    def shapes(self, latents):
        return self.vae.decoder.cache_shapes(latents.shape[3], latents.shape[4], latents.shape[0])


class VaeDecoderFirst(_Decoding):
    """vae_decoder_first: the video's first L latents -> 1 + 4 (L - 1) frames and the cache."""

    def forward(self, latents):
        shapes = self.shapes(latents)
        caches = Caches([None] * len(shapes))
        frames = self.run(latents, caches, True)
        return frames, flatten(caches, shapes, latents)


class VaeDecoderLater(_Decoding):
    """vae_decoder: L later latents and the cache -> 4 L frames and the new cache."""

    def forward(self, latents, cache_in):
        shapes = self.shapes(latents)
        caches = Caches(unflatten(cache_in, shapes))
        frames = self.run(latents, caches, False)
        return frames, flatten(caches, shapes, latents)
