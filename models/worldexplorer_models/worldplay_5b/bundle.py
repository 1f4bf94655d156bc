"""A complete WorldPlay-5B bundle: dit_chunk, the Wan2.2 VAE graphs, the UMT5 text encoder with its tokenizer,
and manifest.json (docs/bundle-format.md).

Inputs as published: the distilled WorldPlay transformer (HY-WorldPlay/wan_distilled_model/model.pt) and the
Wan-AI/Wan2.2-TI2V-5B-Diffusers folder (vae/, text_encoder/, tokenizer/) that upstream's wan/generate.py loads.
"""

import json
import pathlib
import shutil

from ..contract import UPSTREAM_ACTIONS, manifest_header, plain_prompt
from ..hy_worldplay_8b.manifest import LICENCE
from ..hy_worldplay_8b.bundle import graph_bytes
from ..hy_worldplay_8b.params import build_on_meta, parameter_count, read_fixture
from ..text_t5.export import export_t5_encoder
from ..text_t5.export import signature as t5_signature
from ..wan_vae.autoencoder import AutoencoderKLWan
from ..wan_vae.export import export_wan_vae
from ..wan_vae.graphs import cache_size
from ..wan_vae.signatures import vae_graphs
from . import config as c
from . import cost
from .export import export as export_dit
from .export import manifest_facts
from .signatures import TEXT_STREAM, dit_chunk

NAME = "worldplay-5b"
PARTS = {"vae": ("vae",), "text_encoder": ("text_encoder",), "tokenizer": ("tokenizer", "tokenizer.json")}
TOKENIZER_FILE = f"tokenizer_{TEXT_STREAM}.json"
VALUE_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2}
# A bf16 VAE would keep its Convs in fp32 under opset 17 (no bfloat16 Conv before opset 22): fp16 instead.
VAE_DTYPE = {"fp32": "fp32", "fp16": "fp16", "bf16": "fp16"}


def locate(base):
    base = pathlib.Path(base)
    paths = {part: base.joinpath(*path) for part, path in PARTS.items()}
    missing = [f"{path} ({part})" for part, path in paths.items() if not path.exists()]
    if missing:
        raise FileNotFoundError(
            f"--base {base} is not a Wan2.2-TI2V-5B-Diffusers folder; missing:\n  " + "\n  ".join(missing)
            + "\ndownload Wan-AI/Wan2.2-TI2V-5B-Diffusers (vae/, text_encoder/, tokenizer/) as wan/README.md says")
    return paths


def graph_entries(width, height):
    """Every graph's manifest entry, without exporting anything."""
    vae = build_on_meta(AutoencoderKLWan)
    graphs = {"dit_chunk": dit_chunk(width, height)}
    graphs.update(vae_graphs(vae.config, width, height, cache_size(vae.decoder, width, height, vae.config)))
    graphs[f"text_encoder_{TEXT_STREAM}"] = t5_signature(TEXT_STREAM, c.TEXT_DIM)
    return graphs


def footprint(dtype, width, height, weight_bytes, cache_floats):
    value = VALUE_BYTES[dtype]
    memory = cost.memory_bytes(width, height, c.CONTEXT_LATENTS, 0, value)
    vae_value = VALUE_BYTES[VAE_DTYPE[dtype]]
    # The cache goes in and comes out of every decoder call, next to a few full-size activations of 4 frames.
    decoder = 2 * cache_floats * vae_value + 4 * 160 * c.TEMPORAL * width * height * vae_value
    return {"dtype": dtype, "weight_bytes": int(weight_bytes),
            "kv_bytes_per_token": c.LAYERS * 4 * c.DIM * value,
            "tokens_per_latent": cost.tokens_per_latent(width, height), "text_tokens": c.TEXT_TOKENS,
            "activation_bytes": int(memory["activations (fused attention)"]
                                    + memory["step keys and values [context, own]"]),
            "decoder_bytes": int(decoder)}


def manifest(width, height, dtype, graphs, weight_bytes, provenance):
    facts = manifest_facts((width, height))
    stream = dict(facts["text"]["streams"][0], prompt=plain_prompt())
    header = manifest_header(NAME, f"HY-WorldPlay WorldPlay-5B (Wan2.2-TI2V-5B), {width}x{height}, {dtype}",
                             provenance, learned=True)
    header["licence"] = dict(LICENCE)
    cache_floats = graphs["vae_decoder"]["inputs"][1]["shape"][0]
    return {
        **header,
        "video": facts["video"], "latent": facts["latent"], "sampler": facts["sampler"], "memory": facts["memory"],
        "actions": dict(UPSTREAM_ACTIONS), "camera": facts["camera"],
        "text": {"max_prompt_chars": 2000, "prompt_cache": None, "streams": [stream]},
        "vision": None,
        # Informational only: the Wan VAE normalises per channel (mean/std) inside its graphs.
        "vae": {"cache_size": cache_floats, "scaling_factor": 1.0},
        "footprint": footprint(dtype, width, height, weight_bytes, cache_floats),
        "graphs": graphs,
    }


def write_manifest(out, width, height, dtype, weight_bytes, provenance, graphs=None):
    record = manifest(width, height, dtype, graphs or graph_entries(width, height), weight_bytes, provenance)
    (pathlib.Path(out) / "manifest.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def estimated_weight_bytes(dtype):
    """From the parameter fixtures read off upstream: DiT and UMT5 in `dtype`, the VAE encoder once and its
    decoder twice (both decoder graphs hold it) in the VAE's dtype."""
    dit = parameter_count(read_fixture("worldplay_5b_dit").values())
    umt5 = parameter_count(s for n, s in read_fixture("umt5_xxl_encoder").items()
                           if n.startswith(("encoder.", "shared.")))
    vae = read_fixture("wan22_vae")
    decoder = parameter_count(s for n, s in vae.items() if n.startswith(("decoder.", "post_quant_conv.")))
    encoder = parameter_count(vae.values()) - decoder
    return (dit + umt5) * VALUE_BYTES[dtype] + (encoder + 2 * decoder) * VALUE_BYTES[VAE_DTYPE[dtype]]


def export_bundle(checkpoint, base, out, dtype="bf16", size=c.DEFAULT_SIZE, blocks=c.LAYERS, log=print,
                  encoder_layers=None):
    width, height = size
    paths = locate(base)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graphs = {}
    log("[1/3] DiT")
    graphs.update(export_dit(checkpoint, out, dtype, size, blocks, log)["graphs"])
    log("[2/3] Wan2.2 VAE")
    graphs.update(export_wan_vae(paths["vae"], out, VAE_DTYPE[dtype], size, log)["graphs"])
    log("[3/3] UMT5 text encoder")
    spec, _ = export_t5_encoder(paths["text_encoder"], out, TEXT_STREAM, "umt5", dtype, c.TEXT_TOKENS, log,
                                layers=encoder_layers)
    graphs[f"text_encoder_{TEXT_STREAM}"] = spec
    shutil.copyfile(paths["tokenizer"], out / TOKENIZER_FILE)
    weight_bytes = graph_bytes(out)
    narrow = "" if blocks == c.LAYERS else f" Only the first {blocks} of {c.LAYERS} DiT blocks: a test export."
    if encoder_layers is not None:
        narrow += f" Text encoder cut to {encoder_layers} layer(s): a test export."
    provenance = (f"Exported by worldexplorer's models/ (python3 -m worldexplorer_models.export worldplay-5b) from "
                  f"the WorldPlay-5B transformer {checkpoint} and the Wan2.2-TI2V-5B components in {base} (VAE, "
                  f"UMT5-XXL), weights in {dtype}.{narrow}")
    record = write_manifest(out, width, height, dtype, weight_bytes, provenance, graphs)
    log(f"bundle written to {out}: {len(graphs)} graphs, {weight_bytes / 2 ** 30:.2f} GiB on disk")
    return record

