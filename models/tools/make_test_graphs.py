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


TORCH_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}

# The half-boundaries case: the same functions, with these inputs and outputs in half precision at the graph
# boundary (docs/bundle-format.md, Conventions). Both half types appear, and the decoders disagree with the DiT and
# with each other where the session has to convert between them (latents, the decoder cache).
HALF_DTYPES = {
    "vae_encoder": {"image": "float16", "image_latent": "bfloat16"},
    "dit_chunk": {"context_latents": "float16", "context_w2c": "bfloat16", "chunk_noise": "bfloat16",
                  "image_latent": "float16", "context_timestep": "bfloat16", "text_llm": "float16",
                  "text_llm_mask": "bfloat16", "chunk_latents": "float16"},
    "vae_decoder_first": {"latents": "float16", "frames": "bfloat16", "cache_out": "float16"},
    "vae_decoder": {"latents": "bfloat16", "cache_in": "float16", "frames": "float16", "cache_out": "bfloat16"},
    "text_encoder_llm": {"embeds": "float16"},
}


class HalfEdges(torch.nn.Module):
    """Runs `inner` in float32 between half-precision edges: float inputs are cast up, outputs cast to their dtype."""

    def __init__(self, inner, io):
        super().__init__()
        self.inner = inner
        self.out_dtypes = [TORCH_DTYPES[t["dtype"]] for t in io[1]]

    def forward(self, *args):
        up = [a.float() if a.is_floating_point() else a for a in args]
        out = self.inner(*up)
        outs = out if isinstance(out, tuple) else (out,)
        cast = tuple(o.to(d) for o, d in zip(outs, self.out_dtypes))
        return cast if isinstance(out, tuple) else cast[0]


def with_dtypes(io, dtypes):
    """A copy of a graph's (inputs, outputs) with some tensors' dtypes replaced."""
    return tuple([{**t, "dtype": dtypes.get(t["name"], t["dtype"])} for t in tensors] for tensors in io)


# ---------------------------------------------------------------------------------------------------------------
# Export and manifest
# ---------------------------------------------------------------------------------------------------------------

def example(t, fixed_symbols):
    sizes = {**EXAMPLE_SYMBOLS, **fixed_symbols}
    shape = [d if isinstance(d, int) else sizes[d] for d in t["shape"]]
    gen = torch.Generator().manual_seed(7)
    if t["dtype"] == "int64":
        return torch.randint(0, 3, shape, generator=gen)
    return torch.rand(shape, generator=gen).to(TORCH_DTYPES[t["dtype"]])


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


def manifest(name, graphs, latent_width=LAT_W, dtypes=None):
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
        "graphs": {key: {"file": key + ".onnx", "inputs": io[0], "outputs": io[1]}
                   for key, io in ((k, with_dtypes(io, (dtypes or {}).get(k, {}))) for k, io in graphs.items())},
    }


def graph_signatures(lw):
    return {
        "vae_encoder": vae_encoder_io(lw),
        "dit_chunk": dit_io(lw),
        "vae_decoder_first": decoder_first_io(lw),
        "vae_decoder": decoder_io(lw),
        "text_encoder_llm": text_encoder_io(lw),
    }


def write_bundle(case, dit=None, dit_signature=None, manifest_width=LAT_W, dit_dynamic=True, dtypes=None):
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
        if dtypes:
            io = with_dtypes(io, dtypes.get(key, {}))
            module = HalfEdges(module, io)
        export(module, io, folder / (key + ".onnx"), dynamic=dit_dynamic or key != "dit_chunk")
    text = json.dumps(manifest(case, graph_signatures(manifest_width), manifest_width, dtypes), indent=2) + "\n"
    (folder / "manifest.json").write_text(text)
    (folder / "tokenizer_llm.json").write_text(json.dumps({"kind": "simple", "vocab": VOCAB}) + "\n")


# ---------------------------------------------------------------------------------------------------------------
# Bundle format 2 text and vision: "text-vision" has a template stream with crop_start, a quoted-glyph stream on the
# bytes tokenizer and an image encoder; "prompt-cache" has a stream without encoder, served from prompt_cache/.
# ---------------------------------------------------------------------------------------------------------------

TV_VOCAB = ["<pad>", "<unk>", "describe", "the", "world", "end", "a", "storm", "rolls", "in", "sign", "says", "open"]
# The simple tokenizer reads "describe the world <prompt words> end"; the first 3 rows are the instruction.
TV_TEMPLATE = "describe the world: {prompt}. end"
TV_CROP_START = 3
TV_LLM_TOKENS = 6
GLYPH_DIM = 4
GLYPH_TOKENS = 16
VISION_H, VISION_W, VISION_DIM = 6, 10, 6
VISION_TOKENS = 3 * VISION_H * VISION_W // VISION_DIM
CACHED_DIM, CACHED_TOKENS = 3, 4
CACHED_PROMPTS = ["a storm rolls in", "it starts to snow", "snow"]
EXAMPLE_SYMBOLS.update({"n_glyph": 7, "n_cached": CACHED_TOKENS, "n_vision": VISION_TOKENS})


class IdTextEncoder(torch.nn.Module):
    """embeds[n, j] = (scale * (id * dim + j) + offset + 0.001 * n) * attention_mask[n], for any id."""

    def __init__(self, dim, scale, offset):
        super().__init__()
        self.dim, self.scale, self.offset = dim, scale, offset

    def forward(self, input_ids, attention_mask):
        j = torch.arange(self.dim, dtype=torch.float32).reshape(1, 1, self.dim)
        n = torch.ones_like(input_ids, dtype=torch.float32).cumsum(dim=1).unsqueeze(2) - 1.0
        value = self.scale * (input_ids.float().unsqueeze(2) * self.dim + j) + self.offset + 0.001 * n
        return value * attention_mask.unsqueeze(2).float()


class ImageEncoder(torch.nn.Module):
    """vision_tokens = 0.5 * pixels + 0.25, flattened (channel, row, column) into [1, tokens, VISION_DIM].

    The token count is counted from the input's values (every pixel is above -2, so it is always VISION_TOKENS);
    no optimiser can fix it, so the output's token axis stays symbolic, as a real encoder exports it."""

    def forward(self, pixels):
        tokens = torch.nonzero((pixels > -2.0).reshape(-1)).shape[0] // VISION_DIM
        return (0.5 * pixels + 0.25).reshape(1, VISION_TOKENS, VISION_DIM)[:, :tokens].reshape(1, -1, VISION_DIM)


class StreamsDitChunk(DitChunk):
    """DitChunk without its text term, plus 0.1 * the masked mean of each text stream (inputs after
    context_timestep, in pairs: text_<stream>, text_<stream>_mask) and, when vision, 0.1 * mean(vision_tokens)."""

    def __init__(self, streams, vision):
        super().__init__()
        self.streams, self.vision = streams, vision

    def forward(self, *inputs):
        fixed = inputs[:15]
        base = DitChunk.forward(self, *fixed, torch.zeros(1, 1, 1), torch.zeros(1, 1))
        extra = torch.zeros(())
        for k in range(self.streams):
            text, mask = inputs[15 + 2 * k], inputs[16 + 2 * k]
            extra = extra + 0.1 * (text * mask.unsqueeze(2)).sum() / mask.sum().clamp(min=1.0)
        if self.vision:
            extra = extra + 0.1 * inputs[15 + 2 * self.streams].mean()
        return base + extra


def stream_entry(name, graph, dim, max_tokens, tokenizer, prompt):
    return {"name": name, "graph": graph, "dim": dim, "max_tokens": max_tokens, "tokenizer": tokenizer,
            "prompt": prompt}


def streams_dit_io(streams, vision_dim=None):
    inputs, outputs = dit_io(drop=("text_llm", "text_llm_mask"))
    for stream in streams:
        inputs.append(spec("text_" + stream["name"], "float32", [1, "n_" + stream["name"], stream["dim"]]))
        inputs.append(spec("text_" + stream["name"] + "_mask", "float32", [1, "n_" + stream["name"]]))
    if vision_dim is not None:
        inputs.append(spec("vision_tokens", "float32", [1, "n_vision", vision_dim]))
    return inputs, outputs


def encoder_io(dim):
    return ([spec("input_ids", "int64", [1, "n_tokens"]), spec("attention_mask", "int64", [1, "n_tokens"])],
            [spec("embeds", "float32", [1, "n_tokens", dim])])


def write_streams_bundle(case, streams, encoders, vision=None, prompt_cache=None):
    """A bundle whose text streams (and vision) are given; encoders maps graph key -> (module, io)."""
    folder = OUT_ROOT / case
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    signatures = {"vae_encoder": vae_encoder_io(), "dit_chunk": streams_dit_io(streams, vision and vision["dim"]),
                  "vae_decoder_first": decoder_first_io(), "vae_decoder": decoder_io()}
    modules = {"vae_encoder": VaeEncoder(), "dit_chunk": StreamsDitChunk(len(streams), vision is not None),
               "vae_decoder_first": VaeDecoderFirst(), "vae_decoder": VaeDecoder()}
    for key, (module, io) in encoders.items():
        signatures[key], modules[key] = io, module
    for key, module in modules.items():
        export(module, signatures[key], folder / (key + ".onnx"))
    document = manifest(case, signatures)
    document["description"] = "Tiny test bundle for bundle format 2's text streams, prompt cache and vision."
    # Room for one retrieved chunk besides the 4 forced and 2 recent latents, so a session can run.
    document["memory"]["context_latents"] = 10
    document["text"] = {"max_prompt_chars": 2000, "prompt_cache": prompt_cache, "streams": streams}
    document["vision"] = vision
    (folder / "manifest.json").write_text(json.dumps(document, indent=2) + "\n")
    return folder


def write_text_vision_bundle():
    llm = stream_entry("llm", "text_encoder_llm.onnx", TEXT_DIM, TV_LLM_TOKENS,
                       {"kind": "simple", "file": "tokenizer_llm.json"},
                       {"kind": "template", "template": TV_TEMPLATE, "crop_start": TV_CROP_START})
    glyph = stream_entry("glyph", "text_encoder_glyph.onnx", GLYPH_DIM, GLYPH_TOKENS, {"kind": "bytes", "file": None},
                         {"kind": "quoted_glyphs", "template": None, "crop_start": 0})
    vision = {"graph": "image_encoder.onnx", "height": VISION_H, "width": VISION_W, "tokens": VISION_TOKENS,
              "dim": VISION_DIM}
    encoders = {"text_encoder_llm": (IdTextEncoder(TEXT_DIM, 0.01, 0.5), encoder_io(TEXT_DIM)),
                "text_encoder_glyph": (IdTextEncoder(GLYPH_DIM, 0.001, 0.25), encoder_io(GLYPH_DIM)),
                "image_encoder": (ImageEncoder(), ([spec("pixels", "float32", [1, 3, VISION_H, VISION_W])],
                                                   [spec("vision_tokens", "float32", [1, "n_vision", VISION_DIM])]))}
    folder = write_streams_bundle("text-vision", [llm, glyph], encoders, vision=vision)
    (folder / "tokenizer_llm.json").write_text(json.dumps({"kind": "simple", "vocab": TV_VOCAB}) + "\n")
    write_vision_golden(folder / "golden")


def write_vision_golden(folder):
    """A start image of exactly the video size (so the host's cover-and-crop keeps it as it is) and the image
    encoder's input for it: torch's antialiased bilinear resize, PIL's bilinear, of the image in [-1, 1]."""
    from PIL import Image

    folder.mkdir()
    gen = torch.Generator().manual_seed(11)
    rgb = torch.randint(0, 256, (H, W, 3), generator=gen, dtype=torch.uint8)
    Image.fromarray(rgb.numpy(), "RGB").save(folder / "start.png")
    image = rgb.permute(2, 0, 1).unsqueeze(0).double() / 127.5 - 1.0
    pixels = torch.nn.functional.interpolate(image, size=(VISION_H, VISION_W), mode="bilinear",
                                             align_corners=False, antialias=True)
    (folder / "vision_pixels.f32").write_bytes(pixels.float().numpy().astype("<f4").tobytes())


def write_prompt_cache_bundle():
    llm = stream_entry("llm", "text_encoder_llm.onnx", TEXT_DIM, MAX_TOKENS,
                       {"kind": "simple", "file": "tokenizer_llm.json"},
                       {"kind": "plain", "template": None, "crop_start": 0})
    cached = stream_entry("cached", None, CACHED_DIM, CACHED_TOKENS, {"kind": "bytes", "file": None},
                          {"kind": "plain", "template": None, "crop_start": 0})
    encoders = {"text_encoder_llm": (TextEncoder(), encoder_io(TEXT_DIM))}
    folder = write_streams_bundle("prompt-cache", [llm, cached], encoders, prompt_cache="prompt_cache")
    (folder / "tokenizer_llm.json").write_text(json.dumps({"kind": "simple", "vocab": VOCAB}) + "\n")
    write_prompt_cache(folder / "prompt_cache")


def write_prompt_cache(folder):
    """Prompt k (1-based) of CACHED_PROMPTS: embeds[n, j] = k + 0.1 n + 0.01 j and mask 1 for n <= k, else 0."""
    import numpy

    folder.mkdir()
    entries = []
    for k, text in enumerate(CACHED_PROMPTS, start=1):
        n = numpy.arange(CACHED_TOKENS).reshape(-1, 1)
        j = numpy.arange(CACHED_DIM).reshape(1, -1)
        mask = (numpy.arange(CACHED_TOKENS) <= k).astype(numpy.float32)
        embeds = (k + 0.1 * n + 0.01 * j) * mask.reshape(-1, 1)
        name = "%04d_cached.f32" % k
        data = numpy.concatenate([embeds.astype("<f4").reshape(-1), mask.astype("<f4")])
        (folder / name).write_bytes(data.tobytes())
        entries.append({"text": text, "files": {"cached": name}})
    (folder / "index.json").write_text(json.dumps({"prompts": entries}, indent=2) + "\n")


def write_format2_text_bundles():
    torch.manual_seed(0)
    write_text_vision_bundle()
    write_prompt_cache_bundle()


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
    # The valid bundle's functions with float16 and bfloat16 boundary tensors (HALF_DTYPES).
    write_bundle("half-boundaries", dtypes=HALF_DTYPES)
    write_format2_text_bundles()


if __name__ == "__main__":
    main()
