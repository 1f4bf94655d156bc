"""Exports an HY-WorldPlay 8B checkpoint's DiT to the bundle's dit_chunk graph (docs/bundle-format.md)."""

import json
import pathlib
import tempfile
import time

import onnx
import torch

from .. import onnx_precision
from ..onnx_export import fix_signature
from ..progress import peak_memory_gib
from ..safetensors_io import Checkpoint
from . import config as c
from . import weights
from .dit_chunk import DitChunk8B
from .params import build_on_meta
from .signatures import dit_chunk, latent_size
from .transformer import WorldPlay8BTransformer

EXTERNAL_DATA_BYTES = 2 ** 31 - 2 ** 26  # protobuf's 2 GiB limit, with room for the graph itself
DTYPES = ("fp32", "fp16", "bf16")


def example_inputs(width, height, context=2, llm=5, byt5=3, vision=4, seed=0):
    """Small, valid dit_chunk inputs at the given video size: a few context latents and text tokens are enough to
    trace every path (the token counts are dynamic axes)."""
    w, h = latent_size(width, height)
    g = torch.Generator().manual_seed(seed)
    C, L = c.CHANNELS, c.LATENTS_PER_CHUNK
    n = context
    w2c = torch.eye(4).repeat(n + L, 1, 1)
    w2c[:, :3, 3] = 0.1 * torch.randn(n + L, 3, generator=g)
    k = torch.tensor([[0.5, 0, 0], [0, 0.8, 0], [0, 0, 1.0]]).repeat(n + L, 1, 1)
    u = 1 - torch.arange(c.STEPS + 1, dtype=torch.float32) / c.STEPS
    sigmas = c.SHIFT * u / (1 + (c.SHIFT - 1) * u)
    llm_mask = torch.ones(1, llm)
    llm_mask[0, -1] = 0
    byt5_mask = torch.ones(1, byt5)
    byt5_mask[0, -1] = 0
    return (torch.randn(1, C, n, h, w, generator=g), w2c[:n], k[:n], torch.arange(n) % 81, torch.arange(n),
            (torch.arange(n) == 0).float(), torch.randn(1, C, L, h, w, generator=g), w2c[n:], k[n:],
            torch.tensor([3, 7, 0, 80][:L]), torch.arange(n, n + L), torch.zeros(L),
            torch.randn(1, C, h, w, generator=g), sigmas, torch.tensor([c.CONTEXT_TIMESTEP]),
            torch.randn(1, llm, c.LLM_DIM, generator=g), llm_mask, torch.randn(1, byt5, c.BYT5_DIM, generator=g),
            byt5_mask, torch.randn(1, vision, c.VISION_DIM, generator=g))


def export(checkpoint_path, out, dtype="fp32", size=c.DEFAULT_SIZE, blocks=c.DOUBLE_BLOCKS, log=print,
           external_threshold=EXTERNAL_DATA_BYTES):
    """Write out/dit_chunk.onnx (+ .onnx.data when its weights exceed `external_threshold` bytes; 2 GiB is
    protobuf's limit) and out/export.json. Returns the export record."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")
    if not 1 <= blocks <= c.DOUBLE_BLOCKS:
        raise ValueError(f"--blocks {blocks} must be between 1 and {c.DOUBLE_BLOCKS}")
    width, height = size
    spec = dit_chunk(width, height)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()

    checkpoint = Checkpoint(checkpoint_path)
    log(f"checkpoint {checkpoint_path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
    model = build_on_meta(lambda: WorldPlay8BTransformer(depth=blocks))
    weights.load(model, checkpoint, blocks, log=log)
    checkpoint.close()
    module = DitChunk8B(model).eval()
    parameters = sum(p.numel() for p in module.parameters())
    log(f"model: {blocks} of {c.DOUBLE_BLOCKS} blocks, {parameters / 1e9:.3f}B parameters, "
        f"peak memory {peak_memory_gib():.2f} GiB")

    args = example_inputs(width, height)
    dynamic = {s["name"]: {i: d for i, d in enumerate(s["shape"]) if isinstance(d, str)}
               for s in spec["inputs"] + spec["outputs"]}
    dynamic = {k: v for k, v in dynamic.items() if v}
    target = out / spec["file"]
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        traced = pathlib.Path(scratch) / spec["file"]
        log("tracing and exporting dit_chunk (opset 17)")
        with torch.no_grad():
            torch.onnx.export(module, args, str(traced), input_names=[s["name"] for s in spec["inputs"]],
                              output_names=[s["name"] for s in spec["outputs"]], dynamic_axes=dynamic,
                              opset_version=17, do_constant_folding=True)
        del module, model
        log(f"exported, peak memory {peak_memory_gib():.2f} GiB; writing {dtype}")
        graph = onnx.load(str(traced))
    fix_signature(graph, spec["inputs"], spec["outputs"])
    if dtype != "fp32":
        graph = onnx_precision.convert(graph, dtype)
    weight_bytes, data_name = write_graph(graph, target, external_threshold)
    external = data_name is not None
    record = {
        "variant": "hy-worldplay-8b", "checkpoint": str(checkpoint_path), "dtype": dtype,
        "video": {"width": width, "height": height}, "blocks": blocks, "parameters": parameters,
        "weight_bytes": weight_bytes, "external_data": data_name if external else None,
        "graphs": {"dit_chunk": spec},
    }
    (out / "export.json").write_text(json.dumps(record, indent=2) + "\n")
    log(f"wrote {target}{' + ' + data_name if external else ''} ({weight_bytes / 2 ** 30:.2f} GiB of weights) in "
        f"{time.monotonic() - start:.0f} s, peak memory {peak_memory_gib():.2f} GiB")
    return record


def write_graph(graph, target, external_threshold=EXTERNAL_DATA_BYTES):
    """Check and save `graph` at `target`; weights go to `<file>.data` beside it when they exceed the threshold
    (protobuf cannot hold 2 GiB). Returns (weight bytes, data file name or None)."""
    target = pathlib.Path(target)
    weight_bytes = sum(_nbytes(t) for t in graph.graph.initializer)
    data_name = target.name + ".data"
    for stale in (target, target.with_name(data_name)):
        stale.unlink(missing_ok=True)
    if weight_bytes > external_threshold:
        onnx.save_model(graph, str(target), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data_name, size_threshold=1024)
        onnx.checker.check_model(str(target))
        return weight_bytes, data_name
    onnx.checker.check_model(graph, full_check=True)
    onnx.save_model(graph, str(target))
    return weight_bytes, None


def _nbytes(tensor):
    if tensor.HasField("raw_data"):
        return len(tensor.raw_data)
    count = 1
    for d in tensor.dims:
        count *= d
    return count * {onnx.TensorProto.FLOAT: 4, onnx.TensorProto.FLOAT16: 2, onnx.TensorProto.BFLOAT16: 2}.get(
        tensor.data_type, 8)
