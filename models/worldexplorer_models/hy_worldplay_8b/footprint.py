"""The manifest's `footprint` of an 8B bundle (docs/bundle-format.md): what the runtime needs on the GPU.

Per-token and activation sizes come from the cost model (cost.py); weight bytes are the written graphs' own.
"""

from . import config as c
from . import cost

BYTES_PER_VALUE = {"fp32": 4, "fp16": 2, "bf16": 2}
TEXT_TOKENS = c.VISION_TOKENS + c.BYT5_TOKENS + c.LLM_MAX_TOKENS


def footprint(dtype, width, height, weight_bytes, cache_floats, vae_dtype, context_latents=c.CONTEXT_LATENTS):
    """The footprint record for a bundle of `dtype` at width x height whose graphs hold `weight_bytes`, with a
    decoder cache of `cache_floats` values kept in `vae_dtype`."""
    value = BYTES_PER_VALUE[dtype]
    w, h = width // c.SPATIAL, height // c.SPATIAL
    memory = cost.memory_bytes(w * h, context_latents, TEXT_TOKENS, 0, h, w, value)
    # The decoder's largest live tensors: the cache coming in and the one going out, plus a few full-resolution
    # 128-channel activations of one latent's four frames (input, two conv outputs, the skip).
    vae_value = BYTES_PER_VALUE[vae_dtype]
    decoder_activations = 4 * 128 * c.TEMPORAL * width * height * vae_value
    return {
        "dtype": dtype,
        "weight_bytes": int(weight_bytes),
        # Four tensors per block for a vision token: keys and values of the RoPE and the PRoPE branch.
        "kv_bytes_per_token": c.DOUBLE_BLOCKS * 4 * c.HIDDEN * value,
        "tokens_per_latent": w * h,
        "text_tokens": TEXT_TOKENS,
        "activation_bytes": int(memory["activations (fused attention)"]),
        "decoder_bytes": int(2 * cache_floats * vae_value + decoder_activations),
    }


def estimate_bytes(record, context_latents, latents_per_chunk=c.LATENTS_PER_CHUNK):
    """The format's estimate for `context_latents` (the Java runtime computes the same)."""
    tokens = record["tokens_per_latent"] * (context_latents + latents_per_chunk) + record["text_tokens"]
    return (record["weight_bytes"] + record["kv_bytes_per_token"] * tokens
            + max(record["activation_bytes"], record["decoder_bytes"]))
