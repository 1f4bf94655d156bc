"""Exports a published T5 checkpoint to the bundle's text_encoder_<stream>.onnx (docs/bundle-format.md)."""

import pathlib
import re
import tempfile
import time

import onnx
import torch

from .. import checkpoint_keys, onnx_precision
from ..contract import tensor
from ..hy_worldplay_8b.export import write_graph
from ..hy_worldplay_8b.params import build_on_meta
from ..onnx_export import fix_signature
from ..progress import peak_memory_gib
from .checkpoint import open_checkpoint, skipped
from .config import UPSTREAM_MAX_TOKENS, VARIANTS
from .encoder import T5Encoder, TextEncoderGraph

DTYPES = ("fp32", "fp16", "bf16")
_STREAM = re.compile(r"^[a-z0-9][a-z0-9_]*$")

_WHAT = {
    "byt5": "the byT5 glyph encoder (google/byt5-small with Glyph-SDXL-v2 weights, 1510-token vocabulary)",
    "umt5": "the UMT5-XXL text encoder of Wan2.2-TI2V-5B",
}
_HINT = {
    "byt5": "pass Glyph-SDXL-v2/checkpoints/byt5_model.pt (HY-WorldPlay's text_encoder/Glyph-SDXL-v2 folder)",
    "umt5": "pass the text_encoder folder of Wan-AI/Wan2.2-TI2V-5B-Diffusers (its model-*.safetensors shards)",
}


def signature(stream, dim):
    """The manifest's graphs entry for text_encoder_<stream>."""
    return {"file": f"text_encoder_{stream}.onnx",
            "inputs": [tensor("input_ids", "int64", [1, "n_tokens"]),
                       tensor("attention_mask", "int64", [1, "n_tokens"])],
            "outputs": [tensor("embeds", "float32", [1, "n_tokens", dim])]}


def load_encoder(checkpoint_path, config, variant, log=print):
    """The encoder of `config` with the checkpoint's weights (fp32), after a key and shape check that lists
    every mismatch and says which checkpoint to pass."""
    checkpoint = open_checkpoint(checkpoint_path, log)
    try:
        log(f"checkpoint {checkpoint_path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
        model = build_on_meta(lambda: T5Encoder(config))
        hint = _HINT[variant]
        if variant == "byt5" and "shared.weight" in checkpoint.keys() and checkpoint.shape("shared.weight")[0] == 384:
            hint += ("; this one has google/byt5-small's 384-token embedding, which upstream replaces with "
                     "Glyph-SDXL-v2's weights")
        checkpoint_keys.check(model, checkpoint, _WHAT[variant], hint, skip=skipped(config.num_layers))
        return checkpoint_keys.load(model, checkpoint, torch.float32, log).eval()
    finally:
        checkpoint.close()


def example_inputs(config, tokens, seed=0):
    """Token ids and a right-padded mask (a quarter padding, at least one real token) for tracing or checks."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, config.vocab_size, (1, tokens), generator=g)
    mask = torch.ones(1, tokens, dtype=torch.int64)
    mask[0, max(1, tokens - tokens // 4):] = 0
    ids[mask == 0] = 0
    return ids, mask


def export_t5_encoder(checkpoint_path, out_dir, stream, variant, dtype, max_tokens, log=print, layers=None):
    """Write out_dir/text_encoder_<stream>.onnx (+ .onnx.data past 2 GiB) from a published checkpoint.

    variant "byt5" (8B glyph stream, d 1472) or "umt5" (5B text stream, d 4096); dtype fp32, fp16 or bf16 inside
    the graph (inputs and outputs stay int64/float32); max_tokens is the stream's token limit (the graph itself
    takes any count); layers keeps only the first blocks, for narrow parity exports. Returns (the manifest's graph
    entry {"file", "inputs", "outputs"}, the stream's dim)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant {variant!r} is not one of {', '.join(VARIANTS)}")
    config = VARIANTS[variant]
    config = config.with_layers(config.num_layers if layers is None else layers)
    return export_config(checkpoint_path, out_dir, stream, variant, config, dtype, max_tokens, log)


def export_config(checkpoint_path, out_dir, stream, variant, config, dtype, max_tokens, log=print):
    """export_t5_encoder for an explicit configuration (tests use small ones of the same structure)."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype!r} is not one of {', '.join(DTYPES)}")
    if not _STREAM.match(stream):
        raise ValueError(f"stream name {stream!r} must match [a-z0-9][a-z0-9_]* (it names the graph file)")
    if not 1 <= max_tokens <= UPSTREAM_MAX_TOKENS[variant]:
        raise ValueError(f"max_tokens {max_tokens} must be between 1 and {UPSTREAM_MAX_TOKENS[variant]}, the "
                         f"length upstream pads {variant} prompts to")
    start = time.monotonic()
    model = load_encoder(checkpoint_path, config, variant, log)
    log(f"{variant}: {config.num_layers} layers, {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M "
        f"parameters, peak memory {peak_memory_gib():.2f} GiB")
    spec = signature(stream, config.d_model)
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = trace(TextEncoderGraph(model).eval(), example_inputs(config, min(max_tokens, 16)), spec, out_dir)
    del model
    if dtype != "fp32":
        graph = onnx_precision.convert(graph, dtype)
    weight_bytes, data_name = write_graph(graph, out_dir / spec["file"])
    log(f"wrote {out_dir / spec['file']}{' + ' + data_name if data_name else ''} "
        f"({weight_bytes / 2 ** 20:.1f} MiB of {dtype} weights) in {time.monotonic() - start:.0f} s, "
        f"peak memory {peak_memory_gib():.2f} GiB")
    return spec, config.d_model


def trace(module, args, spec, scratch_parent):
    """The fp32 ONNX graph of `module(*args)` with the contract's names and symbolic token axis."""
    dynamic = {s["name"]: {i: d for i, d in enumerate(s["shape"]) if isinstance(d, str)}
               for s in spec["inputs"] + spec["outputs"]}
    with tempfile.TemporaryDirectory(dir=scratch_parent) as scratch:
        path = pathlib.Path(scratch) / spec["file"]
        with torch.no_grad():
            torch.onnx.export(module, tuple(args), str(path), input_names=[s["name"] for s in spec["inputs"]],
                              output_names=[s["name"] for s in spec["outputs"]], dynamic_axes=dynamic,
                              opset_version=17, do_constant_folding=True)
        graph = onnx.load(str(path))
    fix_signature(graph, spec["inputs"], spec["outputs"])
    return graph
