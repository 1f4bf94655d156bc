"""The graph signatures docs/bundle-format.md defines, for one bundle's sizes (one text stream, no vision)."""


def tensor(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": list(shape)}


def graph_signatures(C, h, w, L, S, H, W, stream, text_dim, cache_size):
    """Inputs and outputs of every graph, keyed as the manifest's `graphs` section keys them."""
    t = tensor
    return {
        "vae_encoder": {
            "file": "vae_encoder.onnx",
            "inputs": [t("image", "float32", [1, 3, H, W])],
            "outputs": [t("image_latent", "float32", [1, C, h, w])],
        },
        "dit_chunk": {
            "file": "dit_chunk.onnx",
            "inputs": [
                t("context_latents", "float32", [1, C, "n_ctx", h, w]),
                t("context_w2c", "float32", ["n_ctx", 4, 4]),
                t("context_intrinsics", "float32", ["n_ctx", 3, 3]),
                t("context_action", "int64", ["n_ctx"]),
                t("context_rope_t", "int64", ["n_ctx"]),
                t("context_cond_mask", "float32", ["n_ctx"]),
                t("chunk_noise", "float32", [1, C, L, h, w]),
                t("chunk_w2c", "float32", [L, 4, 4]),
                t("chunk_intrinsics", "float32", [L, 3, 3]),
                t("chunk_action", "int64", [L]),
                t("chunk_rope_t", "int64", [L]),
                t("chunk_cond_mask", "float32", [L]),
                t("image_latent", "float32", [1, C, h, w]),
                t("sigmas", "float32", [S + 1]),
                t("context_timestep", "float32", [1]),
                t(f"text_{stream}", "float32", [1, f"n_{stream}", text_dim]),
                t(f"text_{stream}_mask", "float32", [1, f"n_{stream}"]),
            ],
            "outputs": [t("chunk_latents", "float32", [1, C, L, h, w])],
        },
        "vae_decoder_first": {
            "file": "vae_decoder_first.onnx",
            "inputs": [t("latents", "float32", [1, C, L, h, w])],
            "outputs": [t("frames", "float32", [1, 3, 1 + 4 * (L - 1), H, W]),
                        t("cache_out", "float32", [cache_size])],
        },
        "vae_decoder": {
            "file": "vae_decoder.onnx",
            "inputs": [t("latents", "float32", [1, C, L, h, w]), t("cache_in", "float32", [cache_size])],
            "outputs": [t("frames", "float32", [1, 3, 4 * L, H, W]), t("cache_out", "float32", [cache_size])],
        },
        f"text_encoder_{stream}": {
            "file": f"text_encoder_{stream}.onnx",
            "inputs": [t("input_ids", "int64", [1, "n_tokens"]), t("attention_mask", "int64", [1, "n_tokens"])],
            "outputs": [t("embeds", "float32", [1, "n_tokens", text_dim])],
        },
    }
