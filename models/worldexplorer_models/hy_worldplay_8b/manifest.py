"""manifest.json of an exported HY-WorldPlay 8B bundle (schema: docs/bundle-format.md)."""

from ..contract import UPSTREAM_ACTIONS, manifest_header
from . import config as c
from .signatures import latent_size

NAME = "hy-worldplay-8b"
LICENCE = {"name": "Tencent HY-WorldPlay Community License",
           "url": "https://github.com/Tencent-Hunyuan/HY-WorldPlay/blob/main/License.txt", "file": None}
# Upstream's pose files: fx = fy = 969.6969 px with the principal point at (960, 540), normalised by 2cx and 2cy
# (upstream-spec.md 3.4).
CAMERA = {"fx": 0.50505, "fy": 0.89787}
MEMORY = {"context_latents": c.CONTEXT_LATENTS, "temporal_latents": 12, "always_included": [0, 1, 2, 3],
          "candidate_stride": 4, "fov_degrees": [60.0, 35.0], "radius": 8.0}


def provenance(checkpoint, base, dtype, blocks):
    narrow = "" if blocks == c.DOUBLE_BLOCKS else f" Only the first {blocks} of {c.DOUBLE_BLOCKS} DiT blocks: a test export."
    return (f"Exported by worldexplorer's models/ (python3 -m worldexplorer_models.export hy-worldplay-8b) from the "
            f"HY-WorldPlay transformer {checkpoint} and the HunyuanVideo-1.5 components in {base} (VAE, "
            f"Qwen2.5-VL-7B-Instruct language model, byT5 with Glyph-SDXL-v2 weights, SigLIP from FLUX.1-Redux-dev), "
            f"weights in {dtype}.{narrow}")


def manifest(width, height, dtype, graphs, streams, vision, cache_size, footprint, provenance_text,
             licence_file=None):
    """`graphs`: every graph entry by key; `streams`: the text streams in DiT order (llm, byt5);
    `vision`: the image encoder record; `footprint`: footprint.footprint(...)."""
    w, h = latent_size(width, height)
    header = manifest_header(NAME, f"HY-WorldPlay 8B (HunyuanVideo-1.5), {width}x{height}, {dtype}",
                             provenance_text, learned=True)
    header["licence"] = dict(LICENCE, file=licence_file)
    return {
        **header,
        "video": {"width": width, "height": height, "fps": c.FPS},
        "latent": {"channels": c.CHANNELS, "height": h, "width": w, "latents_per_chunk": c.LATENTS_PER_CHUNK,
                   "temporal_compression": c.TEMPORAL, "spatial_compression": c.SPATIAL},
        "sampler": {"kind": "flow_match_euler", "steps": c.STEPS, "shift": c.SHIFT, "sigmas": None,
                    "context_timestep": c.CONTEXT_TIMESTEP},
        "memory": dict(MEMORY),
        "actions": dict(UPSTREAM_ACTIONS),
        "camera": dict(CAMERA),
        "text": {"max_prompt_chars": 2000, "prompt_cache": None, "streams": list(streams)},
        "vision": vision,
        "vae": {"cache_size": cache_size, "scaling_factor": c.SCALING_FACTOR},
        "footprint": footprint,
        "graphs": graphs,
    }
