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


# Upstream's per-latent steps and inference label thresholds (upstream-spec 3.2 and 4.1); the maxima are twice
# the steps. Every reference bundle plays with them.
UPSTREAM_ACTIONS = {"translation_step": 0.08, "rotation_step_degrees": 3.0, "max_translation_step": 0.16,
                    "max_rotation_step_degrees": 6.0, "label_translation_threshold": 0.0001,
                    "label_rotation_threshold_degrees": 0.05}


FORMAT_VERSION = 2


def plain_prompt():
    """A stream's `prompt` when its tokenizer sees the prompt as typed (docs/bundle-format.md, Prompt preparation)."""
    return {"kind": "plain", "template": None, "crop_start": 0}


def manifest_header(name, description, provenance, learned):
    """The fields every manifest starts with: format, version, name, the project's own licence, provenance."""
    return {
        "format": "worldexplorer-bundle",
        "version": FORMAT_VERSION,
        "name": name,
        "description": description,
        "licence": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0", "file": None},
        "provenance": provenance,
        "learned": learned,
    }
