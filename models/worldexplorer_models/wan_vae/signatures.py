"""The VAE graphs' signatures for a video size, as docs/bundle-format.md defines them."""

from .config import LATENTS_PER_CHUNK


def _t(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": list(shape)}


def vae_graphs(config, width, height, cache_size, latents=LATENTS_PER_CHUNK):
    """{graph key: {"file", "inputs", "outputs"}} for vae_encoder, vae_decoder_first and vae_decoder."""
    w, h = config.latent_size(width, height)
    C, L, Z = config.z_dim, latents, cache_size
    return {
        "vae_encoder": {
            "file": "vae_encoder.onnx",
            "inputs": [_t("image", "float32", [1, 3, height, width])],
            "outputs": [_t("image_latent", "float32", [1, C, h, w])],
        },
        "vae_decoder_first": {
            "file": "vae_decoder_first.onnx",
            "inputs": [_t("latents", "float32", [1, C, L, h, w])],
            "outputs": [_t("frames", "float32", [1, 3, 1 + 4 * (L - 1), height, width]),
                        _t("cache_out", "float32", [Z])],
        },
        "vae_decoder": {
            "file": "vae_decoder.onnx",
            "inputs": [_t("latents", "float32", [1, C, L, h, w]), _t("cache_in", "float32", [Z])],
            "outputs": [_t("frames", "float32", [1, 3, 4 * L, height, width]), _t("cache_out", "float32", [Z])],
        },
    }
