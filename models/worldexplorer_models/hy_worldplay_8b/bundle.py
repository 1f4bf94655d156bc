"""A complete HY-WorldPlay 8B bundle: every graph, the LLM tokenizer and manifest.json (docs/bundle-format.md).

Inputs as published: the HY-WorldPlay transformer (e.g. HY-WorldPlay/ar_distilled_action_model) and the
HunyuanVideo-1.5 folder that upstream's download_models.py fills: vae/, text_encoder/llm (Qwen2.5-VL-7B-Instruct),
text_encoder/Glyph-SDXL-v2 (byT5 weights) and vision_encoder/siglip (FLUX.1-Redux-dev's image encoder).
"""

import json
import pathlib

from ..text_qwen import prompt as qwen_prompt
from ..text_qwen.export import TOKENIZER_FILE, export_llm
from ..text_qwen.export import graph_entry as llm_graph_entry
from ..text_t5.export import export_t5_encoder
from ..text_t5.export import signature as t5_signature
from ..vision_siglip.export import export_siglip
from ..vision_siglip.export import graph_entry as siglip_graph_entry
from ..vision_siglip.export import vision_entry
from . import config as c
from .export import export as export_dit
from .footprint import footprint
from .manifest import manifest, provenance
from .params import build_on_meta, parameter_count, read_fixture
from .signatures import dit_chunk
from .vae import AutoencoderKLConv3D
from .vae_export import export_vae
from .vae_graphs import signatures as vae_signatures

# Folders inside the HunyuanVideo-1.5 download (upstream download_models.py).
PARTS = {"vae": ("vae",), "llm": ("text_encoder", "llm"), "byt5": ("text_encoder", "Glyph-SDXL-v2"),
         "siglip": ("vision_encoder", "siglip")}
# ONNX Conv has no bfloat16 kernel before opset 22 (torch 1.13 exports opset 17), and upstream decodes under fp16
# autocast anyway: a bf16 bundle gets an fp16 VAE.
VAE_DTYPE = {"fp32": "fp32", "fp16": "fp16", "bf16": "fp16"}


def llm_stream():
    """The Qwen2.5-VL stream: upstream's chat template around the prompt; the host counts crop_start (the
    template's tokens up to and including "<|im_start|>user\\n") with the bundle's tokenizer."""
    template = qwen_prompt.CHAT_PREFIX + "{prompt}" + qwen_prompt.CHAT_SUFFIX
    return {"name": "llm", "graph": "text_encoder_llm.onnx", "dim": c.LLM_DIM, "max_tokens": c.LLM_MAX_TOKENS,
            "tokenizer": {"kind": "huggingface", "file": TOKENIZER_FILE},
            "prompt": {"kind": "template", "template": template, "crop_start": None}}


def byt5_stream():
    """The glyph stream: the prompt's quoted text, byte-level tokens."""
    return {"name": "byt5", "graph": "text_encoder_byt5.onnx", "dim": c.BYT5_DIM, "max_tokens": c.BYT5_TOKENS,
            "tokenizer": {"kind": "bytes", "file": None},
            "prompt": {"kind": "quoted_glyphs", "template": None, "crop_start": 0}}


def locate(base):
    """{part: folder} inside the HunyuanVideo-1.5 folder; a clear error lists every folder that is missing."""
    base = pathlib.Path(base)
    folders = {part: base.joinpath(*path) for part, path in PARTS.items()}
    missing = [f"{folder} ({part})" for part, folder in folders.items() if not folder.exists()]
    if missing:
        raise FileNotFoundError(
            f"--base {base} is not a complete HunyuanVideo-1.5 folder; missing:\n  " + "\n  ".join(missing)
            + "\nupstream's download_models.py fills it: tencent/HunyuanVideo-1.5 (vae/), Qwen/Qwen2.5-VL-7B-Instruct "
              "(text_encoder/llm), google/byt5-small with Glyph-SDXL-v2 (text_encoder/Glyph-SDXL-v2), "
              "black-forest-labs/FLUX.1-Redux-dev (vision_encoder/siglip)")
    return folders


def graph_entries(width, height):
    """Every graph's manifest entry, without exporting anything."""
    graphs = {"dit_chunk": dit_chunk(width, height)}
    graphs.update(vae_signatures(build_on_meta(AutoencoderKLConv3D).decoder, width, height))
    graphs["text_encoder_llm"] = llm_graph_entry()
    graphs["text_encoder_byt5"] = t5_signature("byt5", c.BYT5_DIM)
    graphs["image_encoder"] = siglip_graph_entry()
    return graphs


def graph_bytes(out):
    """Bytes of every graph file and its external data in the bundle folder: what the runtime loads."""
    return sum(f.stat().st_size for f in pathlib.Path(out).iterdir() if f.name.endswith((".onnx", ".onnx.data")))


def write_manifest(out, width, height, dtype, weight_bytes, provenance_text, graphs=None):
    graphs = graphs or graph_entries(width, height)
    cache_floats = graphs["vae_decoder"]["inputs"][1]["shape"][0]
    record = manifest(width, height, dtype, graphs, [llm_stream(), byt5_stream()], vision_entry(), cache_floats,
                      footprint(dtype, width, height, weight_bytes, cache_floats, VAE_DTYPE[dtype]), provenance_text)
    path = pathlib.Path(out) / "manifest.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return record


def export_bundle(checkpoint, base, out, dtype="bf16", size=c.DEFAULT_SIZE, blocks=c.DOUBLE_BLOCKS, log=print,
                  encoder_layers=None):
    """Export every graph into `out` and write its manifest. `blocks` and `encoder_layers` make narrow test
    exports (the manifest's provenance says so)."""
    width, height = size
    folders = locate(base)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    graphs = {}
    log("[1/5] DiT")
    graphs.update(export_dit(checkpoint, out, dtype, size, blocks, log)["graphs"])
    log("[2/5] VAE")
    graphs.update(export_vae(folders["vae"], out, VAE_DTYPE[dtype], size, log)["graphs"])
    log("[3/5] Qwen2.5-VL text encoder")
    graphs.update(export_llm(folders["llm"], out, dtype, c.LLM_MAX_TOKENS, log, layers=encoder_layers))
    log("[4/5] byT5 glyph encoder")
    spec, _ = export_t5_encoder(folders["byt5"], out, "byt5", "byt5", dtype, c.BYT5_TOKENS, log,
                                layers=encoder_layers)
    graphs["text_encoder_byt5"] = spec
    log("[5/5] SigLIP image encoder")
    graphs.update(export_siglip(folders["siglip"], out, dtype, log, layers=encoder_layers))
    weight_bytes = graph_bytes(out)
    text = provenance(checkpoint, base, dtype, blocks)
    if encoder_layers is not None:
        text += f" Encoders cut to {encoder_layers} layer(s): a test export."
    record = write_manifest(out, width, height, dtype, weight_bytes, text, graphs)
    log(f"bundle written to {out}: {len(graphs)} graphs, {weight_bytes / 2 ** 30:.2f} GiB on disk")
    return record


# The parameters each graph holds, from the fixtures read off upstream (not from our modules). The decoder's
# weights sit in both decoder graphs; the LLM graph stops at layer 26 of 28 and has no final norm or head.
def estimated_weight_bytes(dtype):
    value = {"fp32": 4, "fp16": 2, "bf16": 2}
    dit = parameter_count(read_fixture("hy_worldplay_8b_dit").values())
    vae = read_fixture("hy_worldplay_8b_vae")
    encoder = parameter_count(s for n, s in vae.items() if n.startswith("encoder."))
    decoder = parameter_count(s for n, s in vae.items() if n.startswith("decoder."))
    llm = parameter_count(s for n, s in read_fixture("qwen25vl_7b_llm").items()
                if not (n.startswith(("lm_head", "model.norm")) or any(f".layers.{i}." in n for i in (26, 27))))
    byt5 = parameter_count(read_fixture("byt5_small_encoder").values())
    siglip = parameter_count(s for n, s in read_fixture("siglip_so400m").items() if ".head." not in n)
    return ((dit + llm + byt5 + siglip) * value[dtype]
            + (encoder + 2 * decoder) * value[VAE_DTYPE[dtype]])

