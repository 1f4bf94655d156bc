"""The 8B dit_chunk's signature for a video size, as docs/bundle-format.md defines it."""

from . import config as c


def _t(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": list(shape)}


def latent_size(width, height):
    if width % c.SPATIAL or height % c.SPATIAL:
        raise ValueError(f"video size {width}x{height} must be a multiple of {c.SPATIAL} in both directions")
    return width // c.SPATIAL, height // c.SPATIAL


def dit_chunk(width, height):
    w, h = latent_size(width, height)
    C, L, S = c.CHANNELS, c.LATENTS_PER_CHUNK, c.STEPS
    return {
        "file": "dit_chunk.onnx",
        "inputs": [
            _t("context_latents", "float32", [1, C, "n_ctx", h, w]),
            _t("context_w2c", "float32", ["n_ctx", 4, 4]),
            _t("context_intrinsics", "float32", ["n_ctx", 3, 3]),
            _t("context_action", "int64", ["n_ctx"]),
            _t("context_rope_t", "int64", ["n_ctx"]),
            _t("context_cond_mask", "float32", ["n_ctx"]),
            _t("chunk_noise", "float32", [1, C, L, h, w]),
            _t("chunk_w2c", "float32", [L, 4, 4]),
            _t("chunk_intrinsics", "float32", [L, 3, 3]),
            _t("chunk_action", "int64", [L]),
            _t("chunk_rope_t", "int64", [L]),
            _t("chunk_cond_mask", "float32", [L]),
            _t("image_latent", "float32", [1, C, h, w]),
            _t("sigmas", "float32", [S + 1]),
            _t("context_timestep", "float32", [1]),
            _t("text_llm", "float32", [1, "n_llm", c.LLM_DIM]),
            _t("text_llm_mask", "float32", [1, "n_llm"]),
            _t("text_byt5", "float32", [1, "n_byt5", c.BYT5_DIM]),
            _t("text_byt5_mask", "float32", [1, "n_byt5"]),
            _t("vision_tokens", "float32", [1, "n_vision", c.VISION_DIM]),
        ],
        "outputs": [_t("chunk_latents", "float32", [1, C, L, h, w])],
    }
