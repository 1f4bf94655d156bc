"""Sizes and rollout constants of the HY-WorldPlay 5B DiT.

W = wan/models/dits/arwan_w_action_w_mem_relative_rope.py, P = wan/inference/pipeline_wan_w_mem_relative_rope.py,
G = wan/generate.py, H = wan/inference/helper.py, U = wan/models/utils.py, all of Tencent-Hunyuan/HY-WorldPlay at
da2d0c26; the transformer sizes are those of Wan2.2-TI2V-5B (diffusers scripts/convert_wan_to_diffusers.py:550-568;
see models/fixtures/worldplay_5b_dit.params).
"""

DIM = 3072                       # 24 heads x 128
HEADS = 24
LAYERS = 30                      # also hard-coded at W:910
FFN = 14336
CHANNELS = 48                    # in_channels = out_channels
TEXT_DIM = 4096                  # UMT5-XXL hidden size
FREQ_DIM = 256                   # sinusoid width of the timestep and action embedders
PATCH = (1, 2, 2)
EPS = 1e-6
ROPE_THETA = 10000.0             # W:487
ROPE_MAX_POSITIONS = 1024        # rope_max_seq_len: rows of upstream's RoPE table per axis
TEXT_TOKENS = 512                # P:494 max_sequence_length; shorter prompts are zero-padded to it (P:149-156)

SPATIAL = 16                     # VAE 16x16 spatial compression, so a 2x2 patch covers 32x32 pixels
TEMPORAL = 4
LATENTS_PER_CHUNK = 4            # H:10 CHUNK_SIZE
FPS = 16                         # G:441
DEFAULT_SIZE = (1280, 704)       # width x height, G:420-421: latent 80x44, 40x22 = 880 tokens per latent

STEPS = 4
TIMESTEPS = (1000.0, 960.0, 888.8889, 727.2728, 0.0)   # P:652-655; sigmas are these / 1000
SIGMAS = tuple(round(t / 1000.0, 7) for t in TIMESTEPS)  # as the bundle format writes them
SHIFT = 8.0                      # s u / (1 + (s - 1) u) at u = 1, 3/4, 1/2, 1/4, 0 gives SIGMAS
CONTEXT_TIMESTEP = 14.0          # stabilization_level - 1, P:680 and P:883-887

# Memory (P:853-869, U:46-144): 16 latents of context = the 12 most recent plus one retrieved 4-latent chunk;
# nothing forced; candidates every 4 latents from 0; FOV 60 x 35 degrees (U:105-120) over points in a ball of radius
# 8 (P:621).
CONTEXT_LATENTS = 16
TEMPORAL_LATENTS = 12
ALWAYS_INCLUDED = ()
CANDIDATE_STRIDE = 4
FOV_DEGREES = (60.0, 35.0)
MEMORY_RADIUS = 8.0

# The 5B's structure at a size that exports and runs in seconds, for tests (head dim 32: RoPE dims 12/10/10).
TINY = {"layers": 2, "dim": 64, "heads": 2, "ffn": 128, "channels": 8, "text_dim": 32}

CAMERA_FX = 0.5051               # H:11-17
CAMERA_FY = 0.8979


def rope_dims(head_dim):
    """(t, h, w) dims of a head's RoPE, as upstream splits them (W:495-496 builds the tables, W:524-528 cuts them;
    the two formulas agree for head_dim 128 and for the test sizes, not for every head_dim)."""
    h = w = 2 * (head_dim // 6)
    t = head_dim - h - w
    if (t, h, w) != (head_dim - 2 * (head_dim // 3), head_dim // 3, head_dim // 3):
        raise ValueError(f"head dim {head_dim}: upstream's RoPE table and its split disagree; use a head dim such as "
                         "32 or 128")
    return t, h, w
