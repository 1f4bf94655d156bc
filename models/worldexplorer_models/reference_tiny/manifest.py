"""manifest.json of reference-tiny (schema: docs/bundle-format.md)."""

from . import config as c
from ..contract import UPSTREAM_ACTIONS, manifest_header, plain_prompt
from .signatures import CACHE_SIZE, GRAPHS, STREAM

NAME = "reference-tiny"
PROVENANCE = (
    "Seeded random weights, not trained: the HY-WorldPlay 8B architecture (HunyuanVideo-1.5 double-stream DiT with "
    "action embedding and PRoPE, causal 3D VAE with a streaming decoder cache) at a tiny size, fp32, for checking "
    "the Java runtime against PyTorch tensor for tensor. Its frames are noise-like. Built by "
    "models/worldexplorer_models."
)


def manifest():
    return {
        **manifest_header(
            NAME, "Tiny random-weight copy of the 8B architecture for parity tests (not a usable model).",
            PROVENANCE, learned=False),
        "video": {"width": c.VIDEO_WIDTH, "height": c.VIDEO_HEIGHT, "fps": c.FPS},
        "latent": {"channels": c.CHANNELS, "height": c.LATENT_HEIGHT, "width": c.LATENT_WIDTH,
                   "latents_per_chunk": c.LATENTS_PER_CHUNK, "temporal_compression": c.TEMPORAL,
                   "spatial_compression": c.SPATIAL},
        "sampler": {"kind": "flow_match_euler", "steps": c.STEPS, "shift": c.SHIFT, "sigmas": None,
                    "context_timestep": c.CONTEXT_TIMESTEP},
        "memory": {"context_latents": c.CONTEXT_LATENTS, "temporal_latents": c.TEMPORAL_LATENTS,
                   "always_included": list(c.ALWAYS_INCLUDED), "candidate_stride": c.CANDIDATE_STRIDE,
                   "fov_degrees": list(c.FOV_DEGREES), "radius": c.MEMORY_RADIUS},
        "actions": dict(UPSTREAM_ACTIONS),
        "camera": {"fx": c.CAMERA_FX, "fy": c.CAMERA_FY},
        "text": {"max_prompt_chars": c.MAX_PROMPT_CHARS, "prompt_cache": None,
                 "streams": [{"name": STREAM, "graph": GRAPHS[f"text_encoder_{STREAM}"]["file"], "dim": c.TEXT_DIM,
                              "max_tokens": c.MAX_TOKENS,
                              "tokenizer": {"kind": "simple", "file": f"tokenizer_{STREAM}.json"},
                              "prompt": plain_prompt()}]},
        "vision": None,
        "vae": {"cache_size": CACHE_SIZE, "scaling_factor": c.SCALING_FACTOR},
        "footprint": None,
        "graphs": GRAPHS,
    }
