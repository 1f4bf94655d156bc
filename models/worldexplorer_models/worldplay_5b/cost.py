"""Estimated FLOPs and GPU memory of one 5B chunk (for docs/performance.md).

Counts multiply-adds of matrix products (1 MAC = 2 FLOPs); norms, activations, RoPE, the 4x4 PRoPE maps (16 MACs
per 4 channels, about 0.01 % here) and the Euler updates are left out. Sizes follow the dit_chunk graph as exported:
the context pass runs over the selected latents plus one masked padding latent, and in its last block only the keys
and values are used (the exporter prunes the rest); the text's cross-attention keys and values are computed once per
chunk over upstream's 512 padded tokens; every step attends to [context, own] tokens.
"""

from . import config as c

D, F, BLOCKS = c.DIM, c.FFN, c.LAYERS
PATCH_IN = c.CHANNELS * c.PATCH[1] * c.PATCH[2]     # 192 input features of a 2x2 patch, and as many outputs


def tokens_per_latent(width, height):
    return (height // (c.SPATIAL * c.PATCH[1])) * (width // (c.SPATIAL * c.PATCH[2]))


def linear_macs_per_token():
    """One block, one vision token: self-attention q, k, v, out, PRoPE out; cross-attention q, out; feed-forward."""
    return 5 * D * D + 2 * D * D + 2 * D * F


def dit_chunk_macs(width=c.DEFAULT_SIZE[0], height=c.DEFAULT_SIZE[1], context_latents=c.CONTEXT_LATENTS,
                   steps=c.STEPS, latents=c.LATENTS_PER_CHUNK, text_tokens=c.TEXT_TOKENS, blocks=BLOCKS):
    """{part: MACs} of one dit_chunk call."""
    per_latent = tokens_per_latent(width, height)
    context = (context_latents + 1) * per_latent
    chunk = latents * per_latent
    conditioning = (context_latents + 1 + steps * latents) * (2 * (c.FREQ_DIM * D + D * D) + 6 * D * D)
    text = text_tokens * (c.TEXT_DIM * D + D * D) + blocks * text_tokens * 2 * D * D
    # Self-attention has a RoPE and a PRoPE branch, each q.k and a.v over all keys; cross-attention one of each.
    context_block = context * (linear_macs_per_token() + 4 * context * D + 2 * text_tokens * D)
    context_pass = context * PATCH_IN * D + (blocks - 1) * context_block + context * 2 * D * D
    step_block = chunk * (linear_macs_per_token() + 4 * (context - per_latent + chunk) * D + 2 * text_tokens * D)
    step = chunk * PATCH_IN * D + blocks * step_block + chunk * D * PATCH_IN
    return {"conditioning (timestep and action embedders)": conditioning, "text projection and K/V": text,
            "context pass": context_pass, "denoising steps": steps * step}


def memory_bytes(width=c.DEFAULT_SIZE[0], height=c.DEFAULT_SIZE[1], context_latents=c.CONTEXT_LATENTS,
                 parameters=5_293_225_152, bytes_per_value=2, text_tokens=c.TEXT_TOKENS, blocks=BLOCKS):
    """Largest buffers of one chunk in the given precision (bf16: 2 bytes). `parameters` defaults to the fixture's
    count."""
    per_latent = tokens_per_latent(width, height)
    context = (context_latents + 1) * per_latent
    chunk = c.LATENTS_PER_CHUNK * per_latent
    largest = max(context, chunk)
    return {
        "weights": parameters * bytes_per_value,
        "context K/V (4 per block: RoPE K, V, PRoPE K, V)": blocks * 4 * context * D * bytes_per_value,
        "text K/V": blocks * 2 * text_tokens * D * bytes_per_value,
        # One step's keys and values joined with the context's, in one block at a time.
        "step keys and values [context, own]": 4 * (context - per_latent + chunk) * D * bytes_per_value,
        # Live at once inside a block with fused attention: x, q/k/v in two branches (RoPE q, k; PRoPE q, k, v;
        # plain v), both attention outputs and the feed-forward hidden layer.
        "activations (fused attention)": largest * (D + 6 * D + 2 * D + F) * bytes_per_value,
    }


def summary(width=c.DEFAULT_SIZE[0], height=c.DEFAULT_SIZE[1], context_latents=c.CONTEXT_LATENTS):
    """The numbers docs/performance.md quotes for one chunk (16 frames at 16 fps, 13 for chunk 0)."""
    macs = dit_chunk_macs(width, height, context_latents)
    memory = memory_bytes(width, height, context_latents)
    total = sum(macs.values())
    return {
        "video": f"{width}x{height}", "tokens_per_latent": tokens_per_latent(width, height),
        "context_latents": context_latents, "tflops_per_chunk": 2 * total / 1e12,
        "tflops_by_part": {k: 2 * v / 1e12 for k, v in macs.items()},
        "tflops_per_frame": 2 * total / 1e12 / (c.TEMPORAL * c.LATENTS_PER_CHUNK),
        "memory_gib": {k: v / 2 ** 30 for k, v in memory.items()},
    }
