"""python3 -m worldexplorer_models.vision_siglip.parity --out DIR

Writes image_encoder exports for the Java parity test (QwenSiglipParityTest), each from a synthetic checkpoint
folder: "tiny" (width 32, 3 layers, 18 x 18 images, a processor normalisation other than 0.5 so the folded input
scaling is exercised) and "narrow" (full width and the full 384 x 384 -> 729 token grid, one of 27 layers).
Each case gets DIR/<case>/image_encoder.onnx and golden input and PyTorch output as .npy; DIR/golden.json lists
the cases. Checkpoints are deleted afterwards.
"""

import argparse
import json
import pathlib
import shutil

import numpy as np
import torch

from ..hy_worldplay_8b.params import build_on_meta
from ..safetensors_io import Checkpoint
from . import synthetic, weights
from .config import SO400M_PATCH14_384, read_preprocessing
from .export import GRAPH_KEY, export_siglip, locate
from .model import SiglipVisionEncoder

TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|
TINY = SO400M_PATCH14_384.with_(hidden=32, layers=3, heads=2, intermediate=48, patch=4, image=18)
# name: (config, layers in the checkpoint, layers exported, processor mean, std, checkpoint dtype)
CASES = {"tiny": (TINY, 3, 3, (0.48, 0.46, 0.41), (0.27, 0.26, 0.28), torch.float32),
         "narrow": (SO400M_PATCH14_384, 2, 1, (0.5,) * 3, (0.5,) * 3, torch.bfloat16)}


def write_case(out, name, log=print):
    config, stored, layers, mean, std, dtype = CASES[name]
    case = pathlib.Path(out) / name
    source = case / "checkpoint"
    synthetic.write_folder(source, config, layers=stored, dtype=dtype, mean=mean, std=std, seed=len(name))
    try:
        export_siglip(source, case, "fp32", log, layers=layers, config=config)
        path, _, preprocessor = locate(source)
        scale, shift = read_preprocessing(preprocessor).from_bundle_pixels()
        checkpoint = Checkpoint(path)
        model = build_on_meta(lambda: SiglipVisionEncoder(config, layers, scale, shift))
        model = weights.load(model, checkpoint, log=log).eval()
        checkpoint.close()
    finally:
        shutil.rmtree(source)
    g = torch.Generator().manual_seed(5)
    pixels = torch.rand(1, 3, config.image, config.image, generator=g) * 2 - 1
    with torch.no_grad():
        expected = model(pixels)
    np.save(case / "pixels.npy", pixels.numpy())
    np.save(case / "vision_tokens.npy", expected.numpy())
    return {"name": f"{GRAPH_KEY} {name}", "graph": f"{name}/{GRAPH_KEY}.onnx",
            "inputs": {"pixels": f"{name}/pixels.npy"}, "output": {"vision_tokens": f"{name}/vision_tokens.npy"},
            "tolerance": {"relative": TOLERANCE}, "layers": layers, "hidden": config.hidden}


def write(out, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cases = [write_case(out, name, log) for name in CASES]
    (out / "golden.json").write_text(json.dumps({"cases": cases}, indent=2) + "\n")
    return out / "golden.json"


def main():
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.vision_siglip.parity")
    parser.add_argument("--out", required=True, type=pathlib.Path)
    print(write(parser.parse_args().out))


if __name__ == "__main__":
    main()
