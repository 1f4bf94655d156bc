"""Exports an HY-WorldPlay 5B checkpoint's DiT to the bundle's dit_chunk graph (docs/bundle-format.md)."""

import json
import pathlib
import tempfile
import time

import onnx
import torch

from .. import onnx_precision
from ..hy_worldplay_8b.export import DTYPES, EXTERNAL_DATA_BYTES, write_graph
from ..hy_worldplay_8b.params import build_on_meta
from ..onnx_export import fix_signature
from ..progress import peak_memory_gib
from . import config as c
from . import weights
from .checkpoint import open_checkpoint
from .dit_chunk import DitChunk5B
from .signatures import TEXT_STREAM, dit_chunk, latent_size
from .transformer import WorldPlay5BTransformer

VARIANT = "hy-worldplay-5b"


def example_inputs(width, height, context=2, text=5, seed=0, channels=c.CHANNELS, text_dim=c.TEXT_DIM,
                   image_at_chunk_start=False):
    """Valid dit_chunk inputs at the given video size: `context` latents (the first one carries the image, as
    latent 0 does in a rollout) and `text` tokens, the last one padding. With image_at_chunk_start the chunk's latent
    0 carries the image instead (chunk 0 of a rollout, which has no context)."""
    w, h = latent_size(width, height)
    g = torch.Generator().manual_seed(seed)
    n, L = context, c.LATENTS_PER_CHUNK
    w2c = torch.eye(4).repeat(n + L, 1, 1)
    angle = 0.05 * torch.randn(n + L, generator=g)
    w2c[:, 0, 0], w2c[:, 0, 2], w2c[:, 2, 0], w2c[:, 2, 2] = angle.cos(), angle.sin(), -angle.sin(), angle.cos()
    w2c[:, :3, 3] = 0.1 * torch.randn(n + L, 3, generator=g)
    k = torch.tensor([[c.CAMERA_FX, 0, 0.5], [0, c.CAMERA_FY, 0.5], [0, 0, 1.0]]).repeat(n + L, 1, 1)
    context_mask = (torch.arange(n) == 0).float()
    chunk_mask = torch.zeros(L)
    if image_at_chunk_start:
        chunk_mask[0] = 1.0
    text_mask = torch.ones(1, text)
    text_mask[0, -1] = 0
    labels = (torch.arange(n + L) * 37 + 9) % 81
    return (torch.randn(1, channels, n, h, w, generator=g), w2c[:n], k[:n], labels[:n], torch.arange(n),
            context_mask, torch.randn(1, channels, L, h, w, generator=g), w2c[n:], k[n:], labels[n:],
            torch.arange(n, n + L), chunk_mask, torch.randn(1, channels, h, w, generator=g),
            torch.tensor(c.SIGMAS), torch.tensor([c.CONTEXT_TIMESTEP]),
            torch.randn(1, text, text_dim, generator=g), text_mask)


def load_transformer(checkpoint_path, blocks, log=print):
    """The full-size transformer's first `blocks` blocks with the checkpoint's weights (float32)."""
    checkpoint = open_checkpoint(checkpoint_path)
    log(f"checkpoint {checkpoint_path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
    try:
        model = build_on_meta(lambda: WorldPlay5BTransformer(layers=blocks))
        weights.load(model, checkpoint, blocks, log=log)
    finally:
        checkpoint.close()
    return model


def export(checkpoint_path, out, dtype="fp32", size=c.DEFAULT_SIZE, blocks=c.LAYERS, log=print,
           external_threshold=EXTERNAL_DATA_BYTES):
    """Write out/dit_chunk.onnx (+ .onnx.data when its weights exceed `external_threshold` bytes; 2 GiB is
    protobuf's limit) and out/export.json. Returns the export record with the graph entry under graphs.dit_chunk."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")
    if not 1 <= blocks <= c.LAYERS:
        raise ValueError(f"--blocks {blocks} must be between 1 and {c.LAYERS}")
    width, height = size
    spec = dit_chunk(width, height)
    out = pathlib.Path(out)
    start = time.monotonic()

    model = load_transformer(checkpoint_path, blocks, log)
    module = DitChunk5B(model).eval()
    parameters = sum(p.numel() for p in module.parameters())
    log(f"model: {blocks} of {c.LAYERS} blocks, {parameters / 1e9:.3f}B parameters, "
        f"peak memory {peak_memory_gib():.2f} GiB")
    out.mkdir(parents=True, exist_ok=True)
    graph = trace(module, spec, example_inputs(width, height), out, log)
    del module, model
    if dtype != "fp32":
        graph = onnx_precision.convert(graph, dtype)
    weight_bytes, data_name = write_graph(graph, out / spec["file"], external_threshold)
    record = {
        "variant": VARIANT, "checkpoint": str(checkpoint_path), "dtype": dtype,
        "video": {"width": width, "height": height}, "blocks": blocks, "parameters": parameters,
        "weight_bytes": weight_bytes, "external_data": data_name, "graphs": {"dit_chunk": spec},
    }
    (out / "export.json").write_text(json.dumps(record, indent=2) + "\n")
    log(f"wrote {out / spec['file']}{' + ' + data_name if data_name else ''} "
        f"({weight_bytes / 2 ** 30:.2f} GiB of weights) in {time.monotonic() - start:.0f} s, "
        f"peak memory {peak_memory_gib():.2f} GiB")
    return record


def trace(module, spec, args, scratch_parent, log=print):
    """Trace `module` to an opset-17 ONNX model with the contract's signature (dynamic n_ctx and text length)."""
    dynamic = {s["name"]: {i: d for i, d in enumerate(s["shape"]) if isinstance(d, str)}
               for s in spec["inputs"] + spec["outputs"]}
    dynamic = {k: v for k, v in dynamic.items() if v}
    with tempfile.TemporaryDirectory(dir=scratch_parent) as scratch:
        traced = pathlib.Path(scratch) / spec["file"]
        log("tracing and exporting dit_chunk (opset 17)")
        with torch.no_grad():
            torch.onnx.export(module, args, str(traced), input_names=[s["name"] for s in spec["inputs"]],
                              output_names=[s["name"] for s in spec["outputs"]], dynamic_axes=dynamic,
                              opset_version=17, do_constant_folding=True)
        log(f"exported, peak memory {peak_memory_gib():.2f} GiB")
        graph = onnx.load(str(traced))
    fix_signature(graph, spec["inputs"], spec["outputs"])
    return graph


def manifest_facts(size=c.DEFAULT_SIZE):
    """The manifest sections the 5B fixes (docs/bundle-format.md field names), for the bundle writer."""
    width, height = size
    w, h = latent_size(width, height)
    return {
        "video": {"width": width, "height": height, "fps": c.FPS},
        "latent": {"channels": c.CHANNELS, "height": h, "width": w, "latents_per_chunk": c.LATENTS_PER_CHUNK,
                   "temporal_compression": c.TEMPORAL, "spatial_compression": c.SPATIAL},
        "sampler": {"kind": "flow_match_euler", "steps": c.STEPS, "shift": c.SHIFT, "sigmas": list(c.SIGMAS),
                    "context_timestep": c.CONTEXT_TIMESTEP},
        "memory": {"context_latents": c.CONTEXT_LATENTS, "temporal_latents": c.TEMPORAL_LATENTS,
                   "always_included": list(c.ALWAYS_INCLUDED), "candidate_stride": c.CANDIDATE_STRIDE,
                   "fov_degrees": list(c.FOV_DEGREES), "radius": c.MEMORY_RADIUS},
        "camera": {"fx": c.CAMERA_FX, "fy": c.CAMERA_FY},
        # UMT5-XXL encoder states; upstream pads every prompt to 512 tokens (the graph pads shorter inputs itself).
        "text": {"streams": [{"name": TEXT_STREAM, "graph": f"text_encoder_{TEXT_STREAM}.onnx", "dim": c.TEXT_DIM,
                              "max_tokens": c.TEXT_TOKENS,
                              "tokenizer": {"kind": "huggingface", "file": f"tokenizer_{TEXT_STREAM}.json"}}]},
        "vision": None,
    }
