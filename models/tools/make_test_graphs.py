#!/usr/bin/python3
"""Builds the tiny test bundles under runtime/src/test/resources/bundles/<case>/.

Every graph has the exact signature of docs/bundle-format.md (names, dtypes, symbolic sizes) at a tiny size, and
computes a simple function of its inputs that the Java tests recompute by hand. Besides the valid bundle, the
broken cases each get one deliberate defect that a load check must report.

Run from the repository root:  /usr/bin/python3 models/tools/make_test_graphs.py
Needs torch 1.13 and onnx (Debian: python3-torch, python3-onnx). The output is deterministic.
"""

import json
import pathlib
import shutil

import onnx
import torch

OPSET = 17
OUT_ROOT = pathlib.Path(__file__).resolve().parents[2] / "runtime/src/test/resources/bundles"

# Sizes of the tiny bundle. Video = latent x spatial compression: 40 x 24.
C, LAT_H, LAT_W, L = 4, 3, 5, 4
SPATIAL = 8
H, W = LAT_H * SPATIAL, LAT_W * SPATIAL
S = 4
Z = 10
CONTEXT_LATENTS = 6
TEXT_DIM = 6
MAX_TOKENS = 8
VOCAB = ["<pad>", "<unk>", "a", "storm", "rolls", "in", "it", "starts", "to", "snow"]

# Example sizes used while tracing; the symbols stay dynamic in the exported graphs.
EXAMPLE_SYMBOLS = {"n_ctx": 3, "n_llm": 5, "n_tokens": 5}


def spec(name, dtype, shape):
    return {"name": name, "dtype": dtype, "shape": list(shape)}


def vae_encoder_io(lw=LAT_W):
    return ([spec("image", "float32", [1, 3, H, lw * SPATIAL])],
            [spec("image_latent", "float32", [1, C, LAT_H, lw])])


def dit_io(lw=LAT_W, noise_width=None, drop=(), int_dtype="int64"):
    noise_width = noise_width or lw
    inputs = [
        spec("context_latents", "float32", [1, C, "n_ctx", LAT_H, lw]),
        spec("context_w2c", "float32", ["n_ctx", 4, 4]),
        spec("context_intrinsics", "float32", ["n_ctx", 3, 3]),
        spec("context_action", "int64", ["n_ctx"]),
        spec("context_rope_t", "int64", ["n_ctx"]),
        spec("context_cond_mask", "float32", ["n_ctx"]),
        spec("chunk_noise", "float32", [1, C, L, LAT_H, noise_width]),
        spec("chunk_w2c", "float32", [L, 4, 4]),
        spec("chunk_intrinsics", "float32", [L, 3, 3]),
        spec("chunk_action", int_dtype, [L]),
        spec("chunk_rope_t", "int64", [L]),
        spec("chunk_cond_mask", "float32", [L]),
        spec("image_latent", "float32", [1, C, LAT_H, lw]),
        spec("sigmas", "float32", [S + 1]),
        spec("context_timestep", "float32", [1]),
        spec("text_llm", "float32", [1, "n_llm", TEXT_DIM]),
        spec("text_llm_mask", "float32", [1, "n_llm"]),
    ]
    inputs = [t for t in inputs if t["name"] not in drop]
    return inputs, [spec("chunk_latents", "float32", [1, C, L, LAT_H, lw])]


def decoder_first_io(lw=LAT_W):
    return ([spec("latents", "float32", [1, C, L, LAT_H, lw])],
            [spec("frames", "float32", [1, 3, 1 + 4 * (L - 1), H, lw * SPATIAL]), spec("cache_out", "float32", [Z])])


def decoder_io(lw=LAT_W):
    return ([spec("latents", "float32", [1, C, L, LAT_H, lw]), spec("cache_in", "float32", [Z])],
            [spec("frames", "float32", [1, 3, 4 * L, H, lw * SPATIAL]), spec("cache_out", "float32", [Z])])


def text_encoder_io(lw=LAT_W):
    return ([spec("input_ids", "int64", [1, "n_tokens"]), spec("attention_mask", "int64", [1, "n_tokens"])],
            [spec("embeds", "float32", [1, "n_tokens", TEXT_DIM])])


# ---------------------------------------------------------------------------------------------------------------
# The tiny graphs. Each docstring states the function the Java tests recompute.
# ---------------------------------------------------------------------------------------------------------------

class VaeEncoder(torch.nn.Module):
    """image_latent[c, y, x] = (1 + 0.5 c) * mean of image channel (c mod 3) over the 8x8 block (y, x)."""

    def forward(self, image):
        pooled = torch.nn.functional.avg_pool2d(image, SPATIAL)
        picked = pooled[:, [c % 3 for c in range(C)]]
        scale = torch.tensor([1.0 + 0.5 * c for c in range(C)]).reshape(1, C, 1, 1)
        return picked * scale


class DitChunk(torch.nn.Module):
    """chunk_latents[c, l, y, x] = noise * s + (1 - s) * (ctx_mean[c, y, x] + cond[l] * image[c, y, x]) + b[l]

    with s = sigmas[S], ctx_mean the mean of context_latents over n_ctx (0 when n_ctx = 0), and
    b[l] = 0.001 * (sum chunk_w2c[l] + sum chunk_intrinsics[l] + chunk_action[l] + chunk_rope_t[l])
         + 0.001 * (sum of all context_w2c, context_intrinsics, context_action, context_rope_t, context_cond_mask)
         + 0.01 * context_timestep
         + 0.1 * sum(text_llm * mask) / max(sum(mask), 1).
    Optional defects: a wider chunk_noise (sliced back), a constant instead of context_timestep, a float
    chunk_action, and a sqrt(chunk_noise) term that turns negative noise into NaN.
    """

    def __init__(self, noise_width=LAT_W, timestep_input=True, add_sqrt_noise=False):
        super().__init__()
        self.noise_width = noise_width
        self.timestep_input = timestep_input
        self.add_sqrt_noise = add_sqrt_noise

    def forward(self, context_latents, context_w2c, context_intrinsics, context_action, context_rope_t,
                context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action, chunk_rope_t,
                chunk_cond_mask, image_latent, sigmas, *rest):
        if self.timestep_input:
            context_timestep, text, text_mask = rest
            timestep = context_timestep[0]
        else:
            text, text_mask = rest
            timestep = torch.tensor(14.0)
        noise = chunk_noise[..., :LAT_W]
        n_ctx = torch.ones_like(context_cond_mask).sum().clamp(min=1.0)
        ctx_mean = context_latents.sum(dim=2, keepdim=True) / n_ctx
        cond = chunk_cond_mask.reshape(1, 1, L, 1, 1) * image_latent.unsqueeze(2)
        per_latent = (chunk_w2c.sum(dim=(1, 2)) + chunk_intrinsics.sum(dim=(1, 2))
                      + chunk_action.float() + chunk_rope_t.float())
        context_sum = (context_w2c.sum() + context_intrinsics.sum() + context_action.float().sum()
                       + context_rope_t.float().sum() + context_cond_mask.sum())
        text_mean = (text * text_mask.unsqueeze(2)).sum() / text_mask.sum().clamp(min=1.0)
        bias = 0.001 * per_latent + 0.001 * context_sum + 0.01 * timestep + 0.1 * text_mean
        s = sigmas[S]
        out = noise * s + (1.0 - s) * (ctx_mean + cond) + bias.reshape(1, 1, L, 1, 1)
        if self.add_sqrt_noise:
            out = out + torch.sqrt(noise)
        return out


def upsample(latents, source_index):
    """frames[k, Y, X] = latents[channel < 3, source_index[k], Y div 8, X div 8]."""
    picked = latents[:, :3][:, :, source_index]
    b, ch, t, lh, lw = picked.shape
    grown = picked.reshape(b, ch, t, lh, 1, lw, 1).expand(b, ch, t, lh, SPATIAL, lw, SPATIAL)
    return grown.reshape(b, ch, t, lh * SPATIAL, lw * SPATIAL)


class VaeDecoderFirst(torch.nn.Module):
    """frame 0 from latent 0, frames 4j-3 .. 4j from latent j; cache_out = first Z values of the last latent."""

    def forward(self, latents):
        source = [0] + [1 + (k - 1) // 4 for k in range(1, 1 + 4 * (L - 1))]
        frames = upsample(latents, source)
        cache_out = latents[0, :, L - 1].reshape(-1)[:Z]
        return frames, cache_out


class VaeDecoder(torch.nn.Module):
    """frames 4j .. 4j+3 from latent j, plus 0.01 * sum(cache_in); cache_out = last latent[:Z] + 0.5 cache_in."""

    def forward(self, latents, cache_in):
        frames = upsample(latents, [k // 4 for k in range(4 * L)]) + 0.01 * cache_in.sum()
        cache_out = latents[0, :, L - 1].reshape(-1)[:Z] + 0.5 * cache_in
        return frames, cache_out


class TextEncoder(torch.nn.Module):
    """embeds[n, j] = (0.01 * (id * d + j) + 0.5) * attention_mask[n]."""

    def forward(self, input_ids, attention_mask):
        table = torch.tensor([[0.01 * (i * TEXT_DIM + j) + 0.5 for j in range(TEXT_DIM)]
                              for i in range(len(VOCAB))])
        return table[input_ids] * attention_mask.unsqueeze(2).float()


# ---------------------------------------------------------------------------------------------------------------
# Export and manifest
# ---------------------------------------------------------------------------------------------------------------

def example(t, fixed_symbols):
    sizes = {**EXAMPLE_SYMBOLS, **fixed_symbols}
    shape = [d if isinstance(d, int) else sizes[d] for d in t["shape"]]
    gen = torch.Generator().manual_seed(7)
    if t["dtype"] == "int64":
        return torch.randint(0, 3, shape, generator=gen)
    return torch.rand(shape, generator=gen)


def export(module, io, path, dynamic=True):
    inputs, outputs = io
    args = tuple(example(t, {}) for t in inputs)
    dynamic_axes = {}
    if dynamic:
        for t in inputs + outputs:
            axes = {i: d for i, d in enumerate(t["shape"]) if isinstance(d, str)}
            if axes:
                dynamic_axes[t["name"]] = axes
    torch.onnx.export(module, args, str(path), opset_version=OPSET, do_constant_folding=True,
                      input_names=[t["name"] for t in inputs], output_names=[t["name"] for t in outputs],
                      dynamic_axes=dynamic_axes)
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    model.producer_name = "worldexplorer make_test_graphs.py"
    model.producer_version = ""
    for node in model.graph.node:  # drop tracer-generated names' noise: keeps files small and stable
        node.doc_string = ""
    onnx.save(model, str(path))


def manifest(name, graphs, latent_width=LAT_W):
    return {
        "format": "worldexplorer-bundle",
        "version": 2,
        "name": name,
        "description": "Tiny test bundle: hand-written graphs with the real signatures.",
        "licence": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0", "file": None},
        "provenance": "models/tools/make_test_graphs.py; no learned weights.",
        "learned": False,
        "video": {"width": latent_width * SPATIAL, "height": H, "fps": 24},
        "latent": {"channels": C, "height": LAT_H, "width": latent_width, "latents_per_chunk": L,
                   "temporal_compression": 4, "spatial_compression": SPATIAL},
        "sampler": {"kind": "flow_match_euler", "steps": S, "shift": 5.0, "sigmas": None,
                    "context_timestep": 14.0},
        "memory": {"context_latents": CONTEXT_LATENTS, "temporal_latents": 2, "always_included": [0, 1, 2, 3],
                   "candidate_stride": 4, "fov_degrees": [60.0, 35.0], "radius": 8.0},
        "actions": {"translation_step": 0.08, "rotation_step_degrees": 3.0, "max_translation_step": 0.16,
                    "max_rotation_step_degrees": 6.0, "label_translation_threshold": 0.0001,
                    "label_rotation_threshold_degrees": 0.05},
        "camera": {"fx": 0.50505, "fy": 0.89787},
        "text": {"max_prompt_chars": 2000, "prompt_cache": None,
                 "streams": [{"name": "llm", "graph": "text_encoder_llm.onnx", "dim": TEXT_DIM,
                              "max_tokens": MAX_TOKENS,
                              "tokenizer": {"kind": "simple", "file": "tokenizer_llm.json"},
                              "prompt": {"kind": "plain", "template": None, "crop_start": 0}}]},
        "vision": None,
        "vae": {"cache_size": Z, "scaling_factor": 1.0},
        "footprint": None,
        "graphs": {key: {"file": key + ".onnx", "inputs": io[0], "outputs": io[1]} for key, io in graphs.items()},
    }


def graph_signatures(lw):
    return {
        "vae_encoder": vae_encoder_io(lw),
        "dit_chunk": dit_io(lw),
        "vae_decoder_first": decoder_first_io(lw),
        "vae_decoder": decoder_io(lw),
        "text_encoder_llm": text_encoder_io(lw),
    }


def write_bundle(case, dit=None, dit_signature=None, manifest_width=LAT_W, dit_dynamic=True):
    folder = OUT_ROOT / case
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    signatures = graph_signatures(LAT_W)
    modules = {
        "vae_encoder": VaeEncoder(),
        "dit_chunk": dit or DitChunk(),
        "vae_decoder_first": VaeDecoderFirst(),
        "vae_decoder": VaeDecoder(),
        "text_encoder_llm": TextEncoder(),
    }
    for key, module in modules.items():
        io = dit_signature if key == "dit_chunk" and dit_signature else signatures[key]
        export(module, io, folder / (key + ".onnx"), dynamic=dit_dynamic or key != "dit_chunk")
    text = json.dumps(manifest(case, graph_signatures(manifest_width), manifest_width), indent=2) + "\n"
    (folder / "manifest.json").write_text(text)
    (folder / "tokenizer_llm.json").write_text(json.dumps({"kind": "simple", "vocab": VOCAB}) + "\n")


def main():
    torch.manual_seed(0)
    write_bundle("valid")
    # chunk_noise is one column wider in the graph than in the manifest.
    write_bundle("graph-wrong-size", dit=DitChunk(noise_width=LAT_W + 1), dit_signature=dit_io(noise_width=LAT_W + 1))
    # The graph has no context_timestep input.
    write_bundle("graph-missing-input", dit=DitChunk(timestep_input=False),
                 dit_signature=dit_io(drop=("context_timestep",)))
    # chunk_action is float32 in the graph, int64 in the manifest.
    write_bundle("graph-wrong-dtype", dit_signature=dit_io(int_dtype="float32"))
    # n_ctx was not exported as a dynamic axis, so the graph fixes it at the example size.
    write_bundle("graph-fixed-symbol", dit_dynamic=False)
    # The manifest is self-consistent but describes a latent grid one column wider than the graphs.
    write_bundle("manifest-disagrees", manifest_width=LAT_W + 1)
    # sqrt(chunk_noise) is added to the output: negative noise gives NaN.
    write_bundle("nan-output", dit=DitChunk(add_sqrt_noise=True))


if __name__ == "__main__":
    main()
