"""Estimated FLOPs and GPU memory of one 8B chunk (docs/performance.md is written from these numbers).

Counts multiply-adds of matrix products and convolutions (1 MAC = 2 FLOPs); norms, activations, RoPE and PRoPE
are left out (well under 1 %). Sizes follow the dit_chunk graph as exported: the context pass runs over the
selected latents plus one masked padding latent, modulation is computed per token, and the text stream runs
inside every chunk.
"""

from . import config as c

H, FF, BLOCKS = c.HIDDEN, int(c.HIDDEN * c.MLP_RATIO), c.DOUBLE_BLOCKS

# Decoder levels of the causal VAE, decoder order (block_out_channels reversed; 3 ResnetBlocks per level; levels
# 0-3 upsample space, 0-1 also time).
DECODER_CHANNELS = (1024, 1024, 512, 256, 128)


def linear_macs_per_vision_token():
    """One double block, one vision token: modulation (per token), q/k/v/proj/prope_proj, MLP."""
    return H * 6 * H + 5 * H * H + 2 * H * FF


def dit_chunk_macs(tokens_per_latent, context_latents, text_tokens, steps=c.STEPS, latents=c.LATENTS_PER_CHUNK):
    """{part: MACs} of one dit_chunk call."""
    context = (context_latents + 1) * tokens_per_latent
    chunk = latents * tokens_per_latent
    text_linear = text_tokens * (4 * H * H + 2 * H * FF) + 6 * H * H
    text_attention = 2 * text_tokens * text_tokens * H
    context_linear = context * linear_macs_per_vision_token()
    # Two attention branches (RoPE and PRoPE), each q.k and a.v over all keys.
    context_attention = 2 * 2 * context * (text_tokens + context) * H
    step_linear = chunk * linear_macs_per_vision_token()
    step_attention = 2 * 2 * chunk * (text_tokens + context + chunk) * H
    final = (context + steps * chunk) * (2 * H * H + H * c.CHANNELS)
    return {
        "text stream": BLOCKS * (text_linear + text_attention),
        "context pass": BLOCKS * (context_linear + context_attention),
        "denoising steps": steps * BLOCKS * (step_linear + step_attention),
        "final layers": final,
    }


def _decoder_convs(h, w):
    """(in_ch, out_ch, kernel volume, output positions) of each decoder conv for one steady-state latent."""
    convs = [(c.CHANNELS, DECODER_CHANNELS[0], 27, h * w)]
    convs += [(1024, 1024, 27, h * w)] * 4
    t, channels = 1, DECODER_CHANNELS[0]
    for level, out in enumerate(DECODER_CHANNELS):
        positions = t * h * w
        for _ in range(3):  # ResnetBlock: conv1, conv2 (1x1 shortcut when the channel count changes)
            convs += [(channels, out, 27, positions), (out, out, 27, positions)]
            if channels != out:
                convs.append((channels, out, 1, positions))
            channels = out
        if level < 4:
            temporal = level < 2
            nxt = DECODER_CHANNELS[level + 1]
            convs.append((channels, nxt * (8 if temporal else 4), 27, positions))
            h, w, t, channels = 2 * h, 2 * w, t * (2 if temporal else 1), nxt
    convs.append((channels, 3, 27, t * h * w))
    return convs


def vae_decode_macs(h, w, latents=c.LATENTS_PER_CHUNK):
    convs = sum(i * o * k * p for i, o, k, p in _decoder_convs(h, w))
    attention = 4 * 1024 * 1024 * h * w + 2 * (h * w) ** 2 * 1024
    return latents * (convs + attention)


def decoder_cache_elements(h, w):
    """Two time steps of each 3x3x3 causal conv's input (the cache the decoder carries between latents)."""
    return sum(2 * i * p // _time_steps(p, h, w) for i, o, k, p in _decoder_convs(h, w) if k == 27)


def _time_steps(positions, h, w):
    # Output positions = t * rows * cols; the cache holds 2 time steps of one spatial frame.
    for t in (1, 2, 4):
        for scale in (1, 2, 4, 8, 16):
            if positions == t * h * w * scale * scale:
                return t
    raise ValueError("unexpected decoder resolution")


def memory_bytes(tokens_per_latent, context_latents, text_tokens, parameters, h, w, bytes_per_value=2):
    context = (context_latents + 1) * tokens_per_latent
    chunk = c.LATENTS_PER_CHUNK * tokens_per_latent
    largest = max(context, chunk)
    return {
        "weights": parameters * bytes_per_value,
        "context K/V (4 per block: RoPE K, V, PRoPE K, V)": BLOCKS * 4 * context * H * bytes_per_value,
        "text K/V": BLOCKS * 2 * text_tokens * H * bytes_per_value,
        # Live at once inside a block with fused attention: x, modulation (6H per token), q/k/v in two
        # branches, attention outputs, MLP hidden.
        "activations (fused attention)": largest * (H + 6 * H + 6 * H + 2 * H + FF) * bytes_per_value,
        "decoder cache": decoder_cache_elements(h, w) * bytes_per_value,
    }
