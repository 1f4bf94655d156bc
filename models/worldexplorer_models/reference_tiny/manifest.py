"""manifest.json of reference-tiny (schema: docs/bundle-format.md)."""

from . import config as c
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
        "format": "worldexplorer-bundle",
        "version": 1,
        "name": NAME,
        "description": "Tiny random-weight copy of the 8B architecture for parity tests (not a usable model).",
        "licence": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0", "file": None},
        "provenance": PROVENANCE,
        "learned": False,
        "video": {"width": c.VIDEO_WIDTH, "height": c.VIDEO_HEIGHT, "fps": c.FPS},
        "latent": {"channels": c.CHANNELS, "height": c.LATENT_HEIGHT, "width": c.LATENT_WIDTH,
                   "latents_per_chunk": c.LATENTS_PER_CHUNK, "temporal_compression": c.TEMPORAL,
                   "spatial_compression": c.SPATIAL},
        "sampler": {"kind": "flow_match_euler", "steps": c.STEPS, "shift": c.SHIFT, "sigmas": None,
                    "context_timestep": c.CONTEXT_TIMESTEP},
        "memory": {"context_latents": c.CONTEXT_LATENTS, "temporal_latents": c.TEMPORAL_LATENTS,
                   "always_included": list(c.ALWAYS_INCLUDED), "candidate_stride": c.CANDIDATE_STRIDE,
                   "fov_degrees": list(c.FOV_DEGREES), "radius": c.MEMORY_RADIUS},
        "actions": {"translation_step": 0.08, "rotation_step_degrees": 3.0, "max_translation_step": 0.16,
                    "max_rotation_step_degrees": 6.0, "label_translation_threshold": 0.0001,
                    "label_rotation_threshold_degrees": 0.05},
        "camera": {"fx": c.CAMERA_FX, "fy": c.CAMERA_FY},
        "text": {"max_prompt_chars": c.MAX_PROMPT_CHARS,
                 "streams": [{"name": STREAM, "graph": GRAPHS[f"text_encoder_{STREAM}"]["file"], "dim": c.TEXT_DIM,
                              "max_tokens": c.MAX_TOKENS,
                              "tokenizer": {"kind": "simple", "file": f"tokenizer_{STREAM}.json"}}]},
        "vision": None,
        "vae": {"cache_size": CACHE_SIZE, "scaling_factor": c.SCALING_FACTOR},
        "graphs": GRAPHS,
    }
