"""Sizes of reference-tiny. The manifest, the graphs and the golden rollout are all written from these."""

VIDEO_WIDTH = 64
VIDEO_HEIGHT = 64
FPS = 24
SPATIAL = 16                     # VAE spatial compression
TEMPORAL = 4                     # VAE temporal compression
LATENT_WIDTH = VIDEO_WIDTH // SPATIAL
LATENT_HEIGHT = VIDEO_HEIGHT // SPATIAL
CHANNELS = 8                     # latent channels (8B: 32)
LATENTS_PER_CHUNK = 4

HIDDEN = 64                      # 8B: 2048
HEADS = 2                        # 8B: 16
HEAD_DIM = HIDDEN // HEADS
DOUBLE_BLOCKS = 2                # 8B: 54
MLP_RATIO = 4.0
ROPE_DIMS = (4, 14, 14)          # t, h, w: 8B's (16, 56, 56) scaled to head_dim 32
ROPE_THETA = 256.0

STEPS = 4
SHIFT = 5.0
CONTEXT_TIMESTEP = 14.0

TEXT_STREAM = "llm"
TEXT_DIM = 32                    # 8B: 3584 (Qwen2.5-VL hidden size)
MAX_TOKENS = 16
MAX_PROMPT_CHARS = 2000

SCALING_FACTOR = 1.03682
DECODER_CHANNELS = (16, 16, 8, 8)  # after conv_in / up.0 / up.1 / up.2 and up.3
ENCODER_CHANNELS = (8, 8, 16, 16, 16)

# Square pixels with a 90 degree field of view.
CAMERA_FX = 0.5
CAMERA_FY = 0.5

# Memory: 8 latents of context = 4 recent + one retrieved 4-latent chunk, nothing forced (chunk 0 competes like
# any other), so retrieval and reframed RoPE positions are at work from chunk 3 on.
CONTEXT_LATENTS = 8
TEMPORAL_LATENTS = 4
ALWAYS_INCLUDED = ()
CANDIDATE_STRIDE = 4
FOV_DEGREES = (60.0, 35.0)
MEMORY_RADIUS = 8.0

WEIGHT_SEED = 20260524
