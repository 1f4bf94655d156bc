"""The graph signatures of reference-tiny, as docs/bundle-format.md defines them for its manifest."""

from . import config as c
from ..contract import graph_signatures
from .vae import cache_size

STREAM = c.TEXT_STREAM
CACHE_SIZE = cache_size()

GRAPHS = graph_signatures(c.CHANNELS, c.LATENT_HEIGHT, c.LATENT_WIDTH, c.LATENTS_PER_CHUNK, c.STEPS,
                          c.VIDEO_HEIGHT, c.VIDEO_WIDTH, STREAM, c.TEXT_DIM, CACHE_SIZE)
