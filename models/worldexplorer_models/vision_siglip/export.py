"""Exports HY-WorldPlay's SigLIP vision encoder to image_encoder.onnx (docs/bundle-format.md)."""

import json
import pathlib
import tempfile
import time

import onnx
import torch

from .. import onnx_precision
from ..hy_worldplay_8b.export import write_graph
from ..hy_worldplay_8b.params import build_on_meta
from ..onnx_export import fix_signature
from ..progress import peak_memory_gib
from ..safetensors_io import Checkpoint
from . import weights
from .config import REDUX_PREPROCESSING, SO400M_PATCH14_384, check_config_json, read_preprocessing
from .model import SiglipVisionEncoder

DTYPES = ("fp32", "fp16", "bf16")
GRAPH_KEY = "image_encoder"


def graph_entry(config=SO400M_PATCH14_384):
    t = lambda name, shape: {"name": name, "dtype": "float32", "shape": list(shape)}
    return {"file": GRAPH_KEY + ".onnx", "inputs": [t("pixels", [1, 3, config.image, config.image])],
            "outputs": [t("vision_tokens", [1, "n_vision", config.hidden])]}


def vision_entry(config=SO400M_PATCH14_384):
    """The manifest's vision section."""
    return {"graph": GRAPH_KEY + ".onnx", "height": config.image, "width": config.image, "tokens": config.tokens,
            "dim": config.hidden}


def locate(checkpoint_path):
    """(weights file or folder, image_encoder folder, preprocessor_config.json or None) for the siglip folder, its
    image_encoder/ subfolder or a .safetensors file in it."""
    path = pathlib.Path(checkpoint_path)
    if path.is_dir() and (path / "image_encoder").is_dir():
        path = path / "image_encoder"
    if not path.exists():
        raise FileNotFoundError(f"checkpoint {checkpoint_path} does not exist")
    folder = path if path.is_dir() else path.parent
    candidates = (folder.parent / "feature_extractor" / "preprocessor_config.json",
                  folder / "preprocessor_config.json")
    return path, folder, next((c for c in candidates if c.is_file()), None)


def export_siglip(checkpoint_path, out_dir, dtype, log=print, layers=None, config=SO400M_PATCH14_384):
    """Write out_dir/image_encoder.onnx and out_dir/export_image_encoder.json. pixels are the bundle's [-1, 1] RGB
    image at config.image squared; the processor's normalisation is folded in. `layers` keeps only the first
    encoder layers (narrow parity exports). Returns {graph key: manifest entry}."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")
    count = config.layers if layers is None else layers
    if not 1 <= count <= config.layers:
        raise ValueError(f"layers {count} must be between 1 and {config.layers}")
    path, folder, preprocessor = locate(checkpoint_path)
    if (folder / "config.json").is_file():
        check_config_json(folder / "config.json", config)
    processing = read_preprocessing(preprocessor) if preprocessor else REDUX_PREPROCESSING
    log(f"image processor: {preprocessor or 'no preprocessor_config.json found, FLUX.1-Redux-dev settings'}: "
        f"{processing}")
    if processing.size != config.image:
        raise ValueError(f"{preprocessor}: the processor resizes to {processing.size} but the model takes "
                         f"{config.image} x {config.image} images")
    scale, shift = processing.from_bundle_pixels()
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()

    checkpoint = Checkpoint(path)
    log(f"checkpoint {path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
    model = build_on_meta(lambda: SiglipVisionEncoder(config, count, scale, shift))
    weights.load(model, checkpoint, log=log)
    checkpoint.close()
    model.eval()
    parameters = sum(p.numel() for p in model.parameters())
    log(f"model: {count} of {config.layers} layers, {parameters / 1e6:.1f}M parameters, input "
        f"{'as is' if model.identity_input else f'scaled by {scale} and shifted by {shift}'}")

    spec = graph_entry(config)
    pixels = example_pixels(config)
    target = out / spec["file"]
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        traced = pathlib.Path(scratch) / spec["file"]
        log(f"tracing and exporting {GRAPH_KEY} (opset 17)")
        with torch.no_grad():
            torch.onnx.export(model, (pixels,), str(traced), input_names=["pixels"], output_names=["vision_tokens"],
                              opset_version=17, do_constant_folding=True,
                              dynamic_axes={"vision_tokens": {1: "n_vision"}})
        del model
        graph = onnx.load(str(traced))
    fix_signature(graph, spec["inputs"], spec["outputs"])
    if dtype != "fp32":
        graph = onnx_precision.convert(graph, dtype)
    weight_bytes, data_name = write_graph(graph, target)
    record = {"variant": "siglip-so400m-patch14-384 (FLUX.1-Redux-dev image_encoder)",
              "checkpoint": str(checkpoint_path), "dtype": dtype, "layers": count, "parameters": parameters,
              "weight_bytes": weight_bytes, "external_data": data_name, "vision": vision_entry(config),
              "graphs": {GRAPH_KEY: spec},
              "host": {"resize": f"{processing.size}x{processing.size}", "resample": processing.resample,
                       "pixels": "RGB scaled to [-1, 1] (8-bit value / 127.5 - 1)"}}
    (out / f"export_{GRAPH_KEY}.json").write_text(json.dumps(record, indent=2) + "\n")
    log(f"wrote {target} ({weight_bytes / 2 ** 20:.1f} MiB of weights) in {time.monotonic() - start:.0f} s, "
        f"peak memory {peak_memory_gib():.2f} GiB")
    return {GRAPH_KEY: spec}


def example_pixels(config, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(1, 3, config.image, config.image, generator=g) * 2 - 1
