"""manifest.json of reference-scene (schema: docs/bundle-format.md)."""

from . import config as c
from ..contract import UPSTREAM_ACTIONS, manifest_header, plain_prompt
from .effects import DIM
from .signatures import GRAPHS, STREAM

NAME = "reference-scene"
PROVENANCE = (
    "Hand-built geometric reference, not a learned model: no training and no learned weights. The DiT graph warps "
    "the start image and the retrieved context views over a ground-plane-and-wall scene proxy using the camera "
    "path, fills unseen areas from a mirrored panorama of the start image with seeded-noise texture, and applies "
    "prompt effects (fog, night, snow, sunset, storm, rain, sun) with fixed image operations. Its latents are the "
    "pixels themselves (space-to-depth of a base and a styled view). Built by models/worldexplorer_models."
)


def manifest():
    return {
        **manifest_header(
            NAME, "Hand-built geometric stand-in (not a learned model): walks the start image in 3D on any CPU.",
            PROVENANCE, learned=False),
        "video": {"width": c.VIDEO_WIDTH, "height": c.VIDEO_HEIGHT, "fps": c.FPS},
        "latent": {"channels": c.CHANNELS, "height": c.LATENT_HEIGHT, "width": c.LATENT_WIDTH,
                   "latents_per_chunk": c.LATENTS_PER_CHUNK, "temporal_compression": c.FRAMES_PER_LATENT,
                   "spatial_compression": c.PATCH},
        "sampler": {"kind": "flow_match_euler", "steps": c.STEPS, "shift": c.SHIFT, "sigmas": None,
                    "context_timestep": c.CONTEXT_TIMESTEP},
        "memory": {"context_latents": 20, "temporal_latents": 12, "always_included": [0, 1, 2, 3],
                   "candidate_stride": 4, "fov_degrees": [60.0, 35.0], "radius": 8.0},
        "actions": dict(UPSTREAM_ACTIONS),
        "camera": {"fx": c.CAMERA_FX, "fy": round(c.CAMERA_FY, 6)},
        "text": {"max_prompt_chars": c.MAX_PROMPT_CHARS, "prompt_cache": None,
                 "streams": [{"name": STREAM, "graph": GRAPHS[f"text_encoder_{STREAM}"]["file"], "dim": DIM,
                              "max_tokens": c.MAX_TOKENS,
                              "tokenizer": {"kind": "simple", "file": f"tokenizer_{STREAM}.json"},
                              "prompt": plain_prompt()}]},
        "vision": None,
        "vae": {"cache_size": c.CACHE_SIZE, "scaling_factor": 1.0},
        "footprint": None,
        "graphs": GRAPHS,
    }
