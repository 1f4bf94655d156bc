"""Exports the HY-WorldPlay 8B VAE (HunyuanVideo-1.5's vae/ folder) to the bundle's vae_encoder, vae_decoder_first
and vae_decoder graphs (docs/bundle-format.md).

Upstream loads the VAE with AutoencoderKLConv3D.from_pretrained(<HunyuanVideo-1.5>/vae) (worldplay_video_pipeline.py
:2103-2106; download_models.py:69-72 fetches tencent/HunyuanVideo-1.5 "vae/*"): a diffusers folder with config.json
and diffusion_pytorch_model.safetensors (diffusers' default weights name).

Each piece of a graph (vae_graphs.plan) is traced once, without weights, at a small latent grid; the pieces are
stitched into the graph (vae_stitch), the weights attached, and only the boundary sizes fixed to the requested
video size: every size inside is computed from the inputs. Tracing at 848x480 would run the full decoder on the
CPU during export (tens of TFLOP per graph), and tracing four unrolled decoder steps at once takes torch's ONNX
exporter minutes, for the same graph.

python3 -m worldexplorer_models.hy_worldplay_8b.vae_export --checkpoint VAE_FOLDER --out DIR [--dtype fp16]
[--size 848x480] writes the three graphs.
"""

import argparse
import json
import pathlib
import sys
import tempfile
import time

import onnx
import torch

from .. import checkpoint_keys, onnx_precision
from ..progress import peak_memory_gib
from ..safetensors_io import Checkpoint
from . import config as c
from .export import write_graph
from .params import build_on_meta
from .vae import FULL, AutoencoderKLConv3D
from .vae_graphs import LATENTS_PER_CALL, VaeEncoderGraph, example_args, pieces, plan, signatures
from .vae_stitch import attach_weights, piece_names, pin_signature, stitch
from .vae_synthetic import WEIGHTS_FILE

TRACE_GRID = (3, 2)  # latent columns x rows the graphs are traced at; unequal, so no width/height mix-up hides
_WHAT = "the HY-WorldPlay 8B VAE (HunyuanVideo-1.5 AutoencoderKLConv3D)"
_HINT = ("pass the vae/ folder of tencent/HunyuanVideo-1.5 (config.json and diffusion_pytorch_model.safetensors) "
         "or its safetensors file")
# config.json fields and the values the modules are built for; absent ones take upstream's defaults (V:879-895).
_DEFAULTS = {"shift_factor": None, "downsample_match_channel": True, "upsample_match_channel": True}
DTYPES = ("fp32", "fp16")
_NO_BF16 = ("the VAE graphs cannot compute in bf16: ONNX's Conv takes bfloat16 only from opset 22, and torch 1.13 "
            "exports opset 17, so ONNX Runtime would refuse the graph. Upstream decodes the VAE in fp16 (or fp32 on "
            "large GPUs; upstream-spec.md 1.4): export it with dtype fp16 or fp32, whatever the DiT's dtype")


def export_vae(checkpoint_path, out_dir, dtype="fp32", size=c.DEFAULT_SIZE, log=print):
    """Write vae_encoder.onnx, vae_decoder_first.onnx and vae_decoder.onnx (+ .onnx.data past 2 GiB) for a video
    of size = (width, height). Returns {"graphs": {key: {"file", "inputs", "outputs"}}, "cache_size": Z,
    "weight_bytes": total over the three graphs}."""
    _check_dtype(dtype)
    width, height = size
    specs = signatures(build_on_meta(AutoencoderKLConv3D).decoder, width, height)
    checkpoint_path, _ = locate(checkpoint_path, log)  # a wrong path fails before anything is written
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    total = 0
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        for part in ("encoder", "decoder"):
            model = load(checkpoint_path, part, log)
            graphs = traced_graphs(model, part, scratch, log)
            parameters = part_parameters(model, part)
            for key, graph in graphs.items():
                weight_bytes, _ = finish(graph, parameters, specs[key], dtype, out_dir, log)
                total += weight_bytes
            del model, graphs, parameters
    log(f"VAE graphs written in {time.monotonic() - start:.0f} s, peak memory {peak_memory_gib():.2f} GiB")
    return {"graphs": specs, "cache_size": specs["vae_decoder"]["inputs"][1]["shape"][0], "weight_bytes": total}


def _check_dtype(dtype):
    if dtype == "bf16":
        raise ValueError(_NO_BF16)
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")


def locate(checkpoint_path, log=print):
    """(safetensors file or folder, config.json or None) for a vae/ folder, a HunyuanVideo-1.5 folder holding
    vae/, or a safetensors file."""
    path = pathlib.Path(checkpoint_path)
    if path.is_dir() and not any(path.glob("*.safetensors")) and (path / "vae" / WEIGHTS_FILE).is_file():
        log(f"{path} holds vae/: using {path / 'vae'}")
        path = path / "vae"
    if not path.exists():
        raise FileNotFoundError(f"VAE checkpoint {path} does not exist; {_HINT}")
    folder = path if path.is_dir() else path.parent
    config = folder / "config.json"
    return path, (config if config.is_file() else None)


def check_config(config_path, cfg=FULL):
    """Raise ValueError unless config.json describes the VAE these modules build."""
    config = json.loads(pathlib.Path(config_path).read_text())
    expected = {"in_channels": cfg.in_channels, "out_channels": cfg.out_channels,
                "latent_channels": cfg.latent_channels, "block_out_channels": list(cfg.block_out_channels),
                "layers_per_block": cfg.layers_per_block, "ffactor_spatial": cfg.spatial,
                "ffactor_temporal": cfg.temporal, "scaling_factor": cfg.scaling_factor, **_DEFAULTS}
    wrong = [f"{key}: config {config.get(key, _DEFAULTS.get(key))!r}, exporter {value!r}"
             for key, value in expected.items() if config.get(key, _DEFAULTS.get(key)) != value]
    if wrong:
        raise ValueError(f"{config_path} does not describe {_WHAT}:\n  " + "\n  ".join(wrong) + f"\n{_HINT}")


def load(checkpoint_path, part, log=print):
    """AutoencoderKLConv3D with the checkpoint's weights (float32) in `part` ("encoder" or "decoder"); the other
    part stays on the meta device. Every key of the checkpoint is checked first."""
    path, config = locate(checkpoint_path, log)
    if config is not None:
        check_config(config)
    else:
        log(f"no config.json beside {path}: the configuration is not checked")
    model = build_on_meta(AutoencoderKLConv3D)
    checkpoint = Checkpoint(path)
    try:
        checkpoint_keys.check(model, checkpoint, _WHAT, _HINT)
        checkpoint_keys.load(getattr(model, part), checkpoint, torch.float32, log, prefix=part + ".",
                             task=f"loading the {part}")
    finally:
        checkpoint.close()
    return model


def part_parameters(model, part):
    return {name: p for name, p in model.named_parameters() if name.startswith(part + ".")}


def traced_graphs(model, part, scratch, log=print):
    """{graph key: stitched graph without weights} for the "encoder" or "decoder" of `model`: each piece is traced
    once, at TRACE_GRID."""
    cfg = model.cfg
    w, h = TRACE_GRID
    g = torch.Generator().manual_seed(0)
    if part == "encoder":
        modules = {"encoder": VaeEncoderGraph(model.encoder, cfg)}
        plans = {"vae_encoder": [("encoder", ["image"], ["image_latent"])]}
        args = {"encoder": [torch.rand(1, 3, h * cfg.spatial, w * cfg.spatial, generator=g) * 2 - 1]}
    elif part == "decoder":
        modules = pieces(model.decoder)
        convs = len(model.decoder.causal_convs())
        plans = {key: plan(key, convs) for key in ("vae_decoder_first", "vae_decoder")}
        args = example_args(model.decoder, torch.randn(1, cfg.latent_channels, LATENTS_PER_CALL, h, w, generator=g))
    else:
        raise ValueError(f"part {part!r} is neither encoder nor decoder")
    outputs = {name: len(wires) for steps in plans.values() for name, _, wires in steps}
    traced = {name: _trace_piece(modules[name], args[name], outputs[name], scratch, f"{part}_{name}", log)
              for name in modules}
    weights = set(part_parameters(model, part))
    return {key: stitch(steps, traced, weights) for key, steps in plans.items()}


def finish(graph, parameters, spec, dtype, out_dir, log=print):
    """Give a copy of a stitched graph its weights and the contract's fixed signature, convert it to `dtype` and
    write it to out_dir. Returns (weight bytes, external data file name or None)."""
    _check_dtype(dtype)
    model = onnx.ModelProto()
    model.CopyFrom(graph)
    attach_weights(model, parameters)
    pin_signature(model, spec)
    if dtype != "fp32":
        model = onnx_precision.convert(model, dtype)
    weight_bytes, data_name = write_graph(model, pathlib.Path(out_dir) / spec["file"])
    log(f"wrote {spec['file']}{' + ' + data_name if data_name else ''} ({weight_bytes / 2 ** 30:.2f} GiB of "
        f"{dtype} weights), peak memory {peak_memory_gib():.2f} GiB")
    return weight_bytes, data_name


def _trace_piece(module, args, count, scratch, name, log):
    """Export one piece without its weights; inputs in0.., outputs out0.. (`count` of them)."""
    path = pathlib.Path(scratch) / f"{name}.onnx"
    started = time.monotonic()
    inputs, outputs = piece_names(len(args), "in"), piece_names(count, "out")
    # Sizes that scale with the video stay symbolic (the last two dims of images, latents, frames and caches, the
    # flat cache's length), so the graph computes every inner size from its inputs.
    axes = {n: ({0: f"{n}_0"} if a.dim() == 1 else {d: f"{n}_{d}" for d in range(a.dim()) if d >= a.dim() - 2})
            for n, a in zip(inputs, args)}
    with torch.no_grad():
        torch.onnx.export(module.eval(), tuple(args), str(path), input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=17, do_constant_folding=True, export_params=False)
    log(f"traced {name} in {time.monotonic() - started:.0f} s, peak memory {peak_memory_gib():.2f} GiB")
    return onnx.load(str(path))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.hy_worldplay_8b.vae_export",
                                     description="Export the HY-WorldPlay 8B VAE to the bundle's three VAE graphs.")
    parser.add_argument("--checkpoint", required=True, type=pathlib.Path,
                        help="the vae/ folder of tencent/HunyuanVideo-1.5, or its safetensors file")
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--dtype", default="fp32", choices=DTYPES + ("bf16",), help="bf16 is refused with the reason")
    parser.add_argument("--size", default="x".join(map(str, c.DEFAULT_SIZE)), help="video WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size {args.size} is not WIDTHxHEIGHT, e.g. 848x480")
    try:
        record = export_vae(args.checkpoint, args.out, args.dtype, (width, height),
                            log=lambda line: print(line, file=sys.stderr, flush=True))
    except (ValueError, FileNotFoundError) as problem:  # CheckpointMismatch is a ValueError
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps({"cache_size": record["cache_size"], "weight_bytes": record["weight_bytes"]}))


if __name__ == "__main__":
    main()
