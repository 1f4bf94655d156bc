"""python3 -m worldexplorer_models.wan_vae.export --checkpoint VAE --out BUNDLE [--dtype fp16|bf16|fp32]
[--size 1280x704]

Exports the Wan2.2 VAE checkpoint to the bundle's vae_encoder, vae_decoder_first and vae_decoder graphs
(docs/bundle-format.md).

The graphs are traced at TRACE_SIZE and declared at the bundle's size: every inner shape is computed from the
inputs' shapes, so the trace is exact at any size, and tracing at 1280x704 would run some 200 TFLOP on the CPU.
"""

import pathlib
import tempfile
import time

import onnx
import torch

from ..hy_worldplay_8b.export import write_graph
from ..hy_worldplay_8b.params import build_on_meta
from ..progress import peak_memory_gib
from ..safetensors_io import Checkpoint
from . import precision, weights
from .autoencoder import AutoencoderKLWan
from .config import DEFAULT_SIZE, LATENTS_PER_CHUNK, WanVaeConfig, check_config_json
from .graphs import VaeDecoderFirst, VaeDecoderLater, VaeEncoder, cache_size
from .signatures import vae_graphs

DTYPES = ("fp32", "fp16", "bf16")
TRACE_SIZE = (32, 16)  # width x height: a 2 x 1 latent grid, the smallest one that is not square


def export_wan_vae(checkpoint_path, out_dir, dtype, size=DEFAULT_SIZE, log=print):
    """Write the three VAE graphs into out_dir (weights over 2 GiB go to `<graph>.onnx.data`). Returns
    {"graphs": {key: signature}, "cache_size": Z, "weight_bytes": total over the graphs, ...}. A config.json
    beside the checkpoint (the diffusers vae/ folder has one) must describe the same VAE."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")
    WanVaeConfig().latent_size(*size)
    vae = load_vae(checkpoint_path, log)
    record = export_graphs(vae, out_dir, dtype, size, log)
    record["checkpoint"] = str(checkpoint_path)
    return record


def load_vae(checkpoint_path, log=print):
    """The published VAE (or one with its names and shapes) in float32, ready to run."""
    check_config_json(checkpoint_path)
    checkpoint = Checkpoint(checkpoint_path)
    log(f"checkpoint {checkpoint_path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
    vae = build_on_meta(AutoencoderKLWan)
    try:
        weights.load(vae, checkpoint, log=log)
    finally:
        checkpoint.close()
    return vae.eval()


def export_graphs(vae, out_dir, dtype, size=DEFAULT_SIZE, log=print):
    """export_wan_vae for a VAE already loaded."""
    start = time.monotonic()
    out = pathlib.Path(out_dir)
    config = vae.config
    width, height = size
    z = cache_size(vae.decoder, width, height, config)
    specs = vae_graphs(config, width, height, z)
    traced = vae_graphs(config, *TRACE_SIZE, cache_size(vae.decoder, *TRACE_SIZE, config))
    log(f"video {width}x{height}, cache Z = {z:,} floats ({4 * z / 2 ** 30:.2f} GiB as float32)")

    out.mkdir(parents=True, exist_ok=True)
    args = example_inputs(config, traced)
    modules = {"vae_encoder": VaeEncoder(vae), "vae_decoder_first": VaeDecoderFirst(vae),
               "vae_decoder": VaeDecoderLater(vae)}
    record = {"variant": "wan2.2-vae", "dtype": dtype, "video": {"width": width, "height": height},
              "latents_per_chunk": LATENTS_PER_CHUNK, "cache_size": z, "weight_bytes": 0, "external_data": {},
              "graphs": specs}
    for key, module in modules.items():
        log(f"tracing {key} at {TRACE_SIZE[0]}x{TRACE_SIZE[1]} (opset 17)")
        graph = trace(module, args[key], traced[key], specs[key], out)
        if dtype != "fp32":
            graph = precision.convert(graph, dtype)
        weight_bytes, data_name = write_graph(graph, out / specs[key]["file"])
        del graph
        record["weight_bytes"] += weight_bytes
        record["external_data"][key] = data_name
        log(f"wrote {specs[key]['file']}{' + ' + data_name if data_name else ''} "
            f"({weight_bytes / 2 ** 30:.2f} GiB of weights) after {time.monotonic() - start:.0f} s, "
            f"peak memory {peak_memory_gib():.2f} GiB")
    return record


def example_inputs(config, specs, seed=0):
    """Tracing inputs at the signatures' sizes: an image in [-1, 1], unit-variance latents, a cache of zeros."""
    g = torch.Generator().manual_seed(seed)

    def tensor(spec, scale=1.0):
        return scale * torch.randn(spec["shape"], generator=g)

    image = specs["vae_encoder"]["inputs"][0]
    latents, cache = specs["vae_decoder"]["inputs"]
    return {"vae_encoder": (tensor(image).clamp(-1, 1),),
            "vae_decoder_first": (tensor(latents),),
            "vae_decoder": (tensor(latents), torch.zeros(cache["shape"]))}


def trace(module, args, traced_spec, spec, scratch_parent):
    """Export `module(*args)` (inputs at traced_spec's sizes) to an in-memory graph whose inputs and outputs have
    `spec`'s names and sizes. Axes whose sizes differ between the two are traced as dynamic, so the graph computes
    them from its inputs."""
    dynamic = {}
    for t, s in zip(traced_spec["inputs"] + traced_spec["outputs"], spec["inputs"] + spec["outputs"]):
        axes = {i: f"{s['name']}_{i}" for i, (a, b) in enumerate(zip(t["shape"], s["shape"])) if a != b}
        if axes:
            dynamic[s["name"]] = axes
    with tempfile.TemporaryDirectory(dir=scratch_parent) as scratch:
        path = pathlib.Path(scratch) / spec["file"]
        with torch.no_grad():
            torch.onnx.export(module, args, str(path), input_names=[s["name"] for s in spec["inputs"]],
                              output_names=[s["name"] for s in spec["outputs"]], dynamic_axes=dynamic,
                              opset_version=17, do_constant_folding=True)
        graph = onnx.load(str(path))
    declare_signature(graph, spec)
    return graph


def declare_signature(graph, spec):
    """Give the graph's inputs and outputs the signature's exact sizes, in its order."""
    by_name = {v.name: v for v in list(graph.graph.input) + list(graph.graph.output)}
    for s in spec["inputs"] + spec["outputs"]:
        if s["name"] not in by_name:
            raise ValueError(f"{spec['file']}: the traced graph has no {s['name']} (it has "
                             f"{', '.join(sorted(by_name))})")
        dims = by_name[s["name"]].type.tensor_type.shape.dim
        if len(dims) != len(s["shape"]):
            raise ValueError(f"{spec['file']}: {s['name']} has rank {len(dims)}, the contract says "
                             f"{len(s['shape'])}")
        for dim, size in zip(dims, s["shape"]):
            dim.ClearField("dim_param")
            dim.dim_value = size
    order = [s["name"] for s in spec["inputs"]]
    if [i.name for i in graph.graph.input] != order:
        raise ValueError(f"{spec['file']}: inputs {[i.name for i in graph.graph.input]}, expected {order}")


def main(argv=None):
    import argparse
    import sys

    from ..export import parse_size
    from .weights import CheckpointMismatch
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.wan_vae.export")
    parser.add_argument("--checkpoint", required=True, type=pathlib.Path,
                        help="the vae/ folder of Wan-AI/Wan2.2-TI2V-5B-Diffusers, or its .safetensors file")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="bundle folder to write the graphs into")
    parser.add_argument("--dtype", default="fp16", choices=DTYPES)
    parser.add_argument("--size", default="1280x704", type=parse_size, help="video width x height")
    args = parser.parse_args(argv)
    log = lambda line: print(line, file=sys.stderr, flush=True)
    try:
        record = export_wan_vae(args.checkpoint, args.out, args.dtype, args.size, log)
    except (CheckpointMismatch, FileNotFoundError, ValueError) as error:
        print(f"export failed: {error}", file=sys.stderr)
        return 2
    print(f"cache_size {record['cache_size']}, weight_bytes {record['weight_bytes']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
