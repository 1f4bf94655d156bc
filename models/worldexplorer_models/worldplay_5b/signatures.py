"""The 5B dit_chunk's signature for a video size, as docs/bundle-format.md defines it: one text stream (UMT5), no
vision tokens."""

from ..contract import graph_signatures
from . import config as c

TEXT_STREAM = "umt5"


def latent_size(width, height):
    """Latent (width, height) of a video size. The VAE divides by 16 and the DiT's 2x2 patches need even latent
    sizes, so both sides must be multiples of 32."""
    step = c.SPATIAL * c.PATCH[1]
    if width <= 0 or height <= 0 or width % step or height % step:
        raise ValueError(f"video size {width}x{height}: the 5B needs positive multiples of {step} in both directions "
                         f"(16x VAE compression, then 2x2 patches), for example 1280x704")
    return width // c.SPATIAL, height // c.SPATIAL


def dit_chunk(width, height, channels=c.CHANNELS, text_dim=c.TEXT_DIM):
    """The contract's dit_chunk entry; channels and text_dim differ from the 5B's only for the tiny test model."""
    w, h = latent_size(width, height)
    return graph_signatures(channels, h, w, c.LATENTS_PER_CHUNK, c.STEPS, height, width, TEXT_STREAM, text_dim,
                            0)["dit_chunk"]
