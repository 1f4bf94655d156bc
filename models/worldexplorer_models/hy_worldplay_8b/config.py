"""Sizes of the full HY-WorldPlay 8B DiT (upstream-spec.md 1.2; the 480p_i2v config.json)."""

CHANNELS = 32
HIDDEN = 2048
HEADS = 16
DOUBLE_BLOCKS = 54
MLP_RATIO = 4.0
ROPE_DIMS = (16, 56, 56)
ROPE_THETA = 256.0
REFINER_BLOCKS = 2

LLM_DIM = 3584                   # Qwen2.5-VL-7B hidden size
BYT5_DIM = 1472                  # Glyph-SDXL-v2 byT5 encoder width
BYT5_TOKENS = 256
VISION_DIM = 1152                # SigLIP (FLUX.1-Redux image encoder)
VISION_TOKENS = 729
LLM_MAX_TOKENS = 1000

SPATIAL = 16
TEMPORAL = 4
LATENTS_PER_CHUNK = 4
STEPS = 4
SHIFT = 5.0
CONTEXT_TIMESTEP = 14.0
SCALING_FACTOR = 1.03682
FPS = 24
DEFAULT_SIZE = (848, 480)        # width x height: the 16:9 bucket, 53 x 30 latents
CONTEXT_LATENTS = 20
