"""The graph signatures of reference-tiny, as docs/bundle-format.md defines them for its manifest."""

from . import config as c
from .vae import cache_size

C, h, w, L, S = c.CHANNELS, c.LATENT_HEIGHT, c.LATENT_WIDTH, c.LATENTS_PER_CHUNK, c.STEPS
H, W, D = c.VIDEO_HEIGHT, c.VIDEO_WIDTH, c.TEXT_DIM
STREAM = c.TEXT_STREAM
CACHE_SIZE = cache_size()


def _t(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": list(shape)}


GRAPHS = {
    "vae_encoder": {
        "file": "vae_encoder.onnx",
        "inputs": [_t("image", "float32", [1, 3, H, W])],
        "outputs": [_t("image_latent", "float32", [1, C, h, w])],
    },
    "dit_chunk": {
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
            _t(f"text_{STREAM}", "float32", [1, f"n_{STREAM}", D]),
            _t(f"text_{STREAM}_mask", "float32", [1, f"n_{STREAM}"]),
        ],
        "outputs": [_t("chunk_latents", "float32", [1, C, L, h, w])],
    },
    "vae_decoder_first": {
        "file": "vae_decoder_first.onnx",
        "inputs": [_t("latents", "float32", [1, C, L, h, w])],
        "outputs": [_t("frames", "float32", [1, 3, 1 + 4 * (L - 1), H, W]), _t("cache_out", "float32", [CACHE_SIZE])],
    },
    "vae_decoder": {
        "file": "vae_decoder.onnx",
        "inputs": [_t("latents", "float32", [1, C, L, h, w]), _t("cache_in", "float32", [CACHE_SIZE])],
        "outputs": [_t("frames", "float32", [1, 3, 4 * L, H, W]), _t("cache_out", "float32", [CACHE_SIZE])],
    },
    f"text_encoder_{STREAM}": {
        "file": f"text_encoder_{STREAM}.onnx",
        "inputs": [_t("input_ids", "int64", [1, "n_tokens"]), _t("attention_mask", "int64", [1, "n_tokens"])],
        "outputs": [_t("embeds", "float32", [1, "n_tokens", D])],
    },
}
