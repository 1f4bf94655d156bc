"""The graph signatures of reference-scene, as docs/bundle-format.md defines them for this manifest."""

from ..contract import graph_signatures
from .config import (CACHE_SIZE, CHANNELS as C, LATENT_HEIGHT as h, LATENT_WIDTH as w, LATENTS_PER_CHUNK as L,
                     STEPS as S, VIDEO_HEIGHT as H, VIDEO_WIDTH as W)
from .effects import DIM

STREAM = "scene"

GRAPHS = graph_signatures(C, h, w, L, S, H, W, STREAM, DIM, CACHE_SIZE)
